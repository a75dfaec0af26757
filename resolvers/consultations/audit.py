"""The consultation audit log: append-only records of admin reads and of every change.

Append-only twice over: the service layer has no function to change or delete a record, and the
database itself refuses UPDATE and DELETE on the table (triggers, migration 0006_audit_chain).
Tamper-evident too: each record carries the hash of the one before it and its own hash over that
and all its fields, so an edited, removed or inserted record breaks the chain at that point;
`beacon audit --verify` walks it and names the first record that does not fit.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from tortoise.expressions import Q, Subquery
from tortoise.transactions import in_transaction

from models.accounts import User
from models.base import Role
from models.consultations import Consultation, ConsultationAudit
from resolvers import permissions
from resolvers.actor import Actor
from resolvers.errors import Invalid, ReasonRequired
from resolvers.integrations import events as integration_events
from resolvers.listing import Listing, of_queryset

log = logging.getLogger("beacon.audit")
# The WARNING line an alert writes starts with this stable event name (operators grep and alert on it).
BULK_READ_EVENT = "audit.admin_bulk_read"
ALERT_WINDOW = timedelta(hours=1)
# An expert's reads of one thread are recorded at most once in this window (the client's list stays readable).
EXPERT_READ_WINDOW = timedelta(minutes=10)
_alert_threshold = 20


def configure(*, admin_reads_per_hour: int) -> None:
    """More consultations than this opened by one admin within an hour raise an alert."""
    global _alert_threshold
    _alert_threshold = admin_reads_per_hour


GENESIS = "0" * 64
# pg_advisory_xact_lock key: one writer of the chain at a time (held until the transaction commits).
_CHAIN_LOCK = 0x6265_6163_6F6E  # "beacon"

# What happened, as stored in ConsultationAudit.action.
ADMIN_READ = "ADMIN_READ"
EXPERT_READ = "EXPERT_READ"
READS = frozenset({ADMIN_READ, EXPERT_READ})
OPENED = "OPENED"
MESSAGE_SENT = "MESSAGE_SENT"
MARKED_READ = "MARKED_READ"
CLOSED = "CLOSED"
REOPENED = "REOPENED"
HELP_PLAN_SAVED = "HELP_PLAN_SAVED"
VISIT_REQUESTED = "VISIT_REQUESTED"
VISIT_SCHEDULED = "VISIT_SCHEDULED"
VISIT_CANCELLED = "VISIT_CANCELLED"
VISIT_DONE = "VISIT_DONE"
# The retention purge removed the thread's contents (resolvers/retention.py).
PURGED = "PURGED"
# Erasure of the client (resolvers/privacy.py): asked for by an admin on their behalf, cancelled, done.
DELETION_REQUESTED = "DELETION_REQUESTED"
DELETION_CANCELLED = "DELETION_CANCELLED"
ERASED = "ERASED"
# An admin exported the client's data on their behalf (resolvers/exports.py).
EXPORT_REQUESTED = "EXPORT_REQUESTED"
# Staff act in a professional capacity and are named; everyone else by id only, so that the log,
# which is kept, names nobody once their account is erased (docs/privacy.md, "Erasure").
NAMED_ROLES = frozenset({Role.EXPERT, Role.EDITOR, Role.ADMIN})


def _actor_name(actor: Actor) -> str:
    if actor.is_integration:
        return f"api-key:{actor.api_key_id}"
    if actor.user_id is not None and not actor.has(*NAMED_ROLES):
        return f"user:{actor.user_id}"
    return actor.display_name or (f"user:{actor.user_id}" if actor.user_id else "anonymous")


def chain_hash(
    prev_hash: str,
    *,
    consultation_id: int,
    actor_user_id: int | None,
    actor_name: str,
    actor_roles: Sequence[str],
    action: str,
    detail: str,
    reason: str,
    created_at: datetime,
) -> str:
    """sha256 over the previous hash and every field of a record, in a fixed canonical form."""
    stamp = created_at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")
    fields = [prev_hash, consultation_id, actor_user_id, actor_name, list(actor_roles), action, detail, reason, stamp]
    return hashlib.sha256(json.dumps(fields, ensure_ascii=False, separators=(",", ":")).encode()).hexdigest()


async def record(
    actor: Actor, consultation_id: int, action: str, detail: str = "", reason: str = ""
) -> ConsultationAudit:
    """Append one record to the chain. There is deliberately no function to change or delete one."""
    name, roles, at = _actor_name(actor)[:100], sorted(r.value for r in actor.roles), datetime.now(UTC)
    async with in_transaction() as connection:
        if connection.capabilities.dialect == "postgres":
            # Writers of the chain queue here, so two records never hang off the same predecessor.
            await connection.execute_query("SELECT pg_advisory_xact_lock($1)", [_CHAIN_LOCK])
        last = await ConsultationAudit.all().order_by("-id").first().values_list("row_hash", flat=True)
        prev = str(last) if last else GENESIS
        return await ConsultationAudit.create(
            consultation_id=consultation_id,
            actor_user_id=actor.user_id,
            actor_name=name,
            actor_roles=roles,
            action=action,
            detail=detail[:200],
            reason=reason[:300],
            created_at=at,
            prev_hash=prev,
            row_hash=chain_hash(
                prev,
                consultation_id=consultation_id,
                actor_user_id=actor.user_id,
                actor_name=name,
                actor_roles=roles,
                action=action,
                detail=detail[:200],
                reason=reason[:300],
                created_at=at,
            ),
        )


async def record_read_if_audited(actor: Actor, consultation: Consultation, what: str) -> None:
    """An admin's read needs a stated reason and is recorded with it; the expert's reads are recorded too.

    The client's own reads are not: they are the one whose data it is.
    """
    since = datetime.now(UTC)
    if permissions.is_audited_read(actor, consultation):
        reason = (actor.access_reason or "").strip()
        if not reason:
            raise ReasonRequired(
                "Say why you are opening this consultation (the reason argument, or the Beacon-Access-Reason "
                "header): the client sees who opened it and why."
            )
        first_this_hour = not await ConsultationAudit.exists(
            actor_user_id=actor.user_id,
            consultation_id=consultation.id,
            action=ADMIN_READ,
            created_at__gte=since - ALERT_WINDOW,
        )
        await record(actor, consultation.id, ADMIN_READ, what, reason)
        if first_this_hour:
            await _alert_on_bulk_reads(actor, since)
    elif permissions.is_consultation_expert(actor, consultation):
        recent = await ConsultationAudit.exists(
            actor_user_id=actor.user_id,
            consultation_id=consultation.id,
            action=EXPERT_READ,
            created_at__gte=since - EXPERT_READ_WINDOW,
        )
        if not recent:
            await record(actor, consultation.id, EXPERT_READ, what)


async def _alert_on_bulk_reads(actor: Actor, now: datetime) -> None:
    """Past the threshold, each further consultation an admin opens within the hour raises the alert again."""
    opened = set(
        await ConsultationAudit.filter(
            actor_user_id=actor.user_id, action=ADMIN_READ, created_at__gte=now - ALERT_WINDOW
        ).values_list("consultation_id", flat=True)
    )
    if len(opened) <= _alert_threshold:
        return
    log.warning(
        "%s admin_user_id=%s consultations=%d window_seconds=%d threshold=%d",
        BULK_READ_EVENT,
        actor.user_id,
        len(opened),
        int(ALERT_WINDOW.total_seconds()),
        _alert_threshold,
    )
    await integration_events.admin_bulk_read(
        admin_user_id=actor.user_id or 0, consultations=len(opened), threshold=_alert_threshold, at=now
    )


async def log_for_operators(*, consultation_id: int | None = None, limit: int = 100) -> list[ConsultationAudit]:
    """The newest records, oldest first (for `beacon audit`)."""
    query = ConsultationAudit.all()
    if consultation_id is not None:
        query = query.filter(consultation_id=consultation_id)
    newest = await query.order_by("-id").limit(limit)
    return list(reversed(newest))


@dataclass(frozen=True)
class ChainReport:
    """What `beacon audit --verify` found: records checked, and the first that does not fit (None: unbroken)."""

    checked: int
    broken_at: int | None = None
    reason: str = ""


async def verify_chain(batch: int = 1000) -> ChainReport:
    """Walk every record in order, recomputing each hash; stop at the first record that does not fit."""
    prev = GENESIS
    checked = 0
    last_id = 0
    while True:
        rows = await ConsultationAudit.filter(id__gt=last_id).order_by("id").limit(batch)
        if not rows:
            return ChainReport(checked)
        for row in rows:
            last_id = row.id
            if row.prev_hash != prev:
                return ChainReport(
                    checked,
                    row.id,
                    "it does not follow the record before it (a record was removed, inserted or edited)",
                )
            expected = chain_hash(
                row.prev_hash,
                consultation_id=row.consultation_id,
                actor_user_id=row.actor_user_id,
                actor_name=row.actor_name,
                actor_roles=row.actor_roles,
                action=row.action,
                detail=row.detail,
                reason=row.reason,
                created_at=row.created_at,
            )
            if row.row_hash != expected:
                return ChainReport(checked, row.id, "its contents do not match its hash (the record was edited)")
            prev = row.row_hash
            checked += 1


def for_admins(
    actor: Actor,
    *,
    consultation_id: int | None = None,
    actor_user_id: int | None = None,
    actor_name: str | None = None,
    start: datetime | None = None,
    end: datetime | None = None,
) -> Listing[ConsultationAudit]:
    """Admins: the audit log, newest first, filtered by consultation, actor and period (others: FORBIDDEN)."""
    permissions.require_role(
        actor, actor.is_user and permissions.is_admin(actor), "Only admins read the consultation audit log."
    )
    if start is not None and end is not None and start >= end:
        raise Invalid("'from' must be before 'to'.", field="from")
    query = ConsultationAudit.all()
    if consultation_id is not None:
        query = query.filter(consultation_id=consultation_id)
    if actor_user_id is not None:
        query = query.filter(actor_user_id=actor_user_id)
    if actor_name and actor_name.strip():
        # People other than staff are stored by id: match their current shown name too.
        name = actor_name.strip()[:100]
        named = Subquery(User.filter(display_name__icontains=name).values("id"))
        query = query.filter(Q(actor_name__icontains=name) | Q(actor_user_id__in=named))
    if start is not None:
        query = query.filter(created_at__gte=start)
    if end is not None:
        query = query.filter(created_at__lt=end)
    return of_queryset(query.order_by("-id"))
