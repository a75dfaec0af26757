"""Retention: how long each kind of record lives, and the one purge that removes what is past it.

`beacon purge --dry-run` lists what `plan` finds; `beacon purge` and the scheduler run `execute` on
such a plan. Every deletion repeats its kind's condition, so a row that changed since the plan was
made (a consultation reopened, an upload attached) is kept: a purge removes at most what its plan
listed. The settings and the reason for each default are in docs/privacy.md ("Retention").

A closed consultation past its retention keeps its row (the append-only audit log refers to it)
with its subject and the client's shown name blanked and `purged_at` stamped; its messages,
attachments (rows and files), help plans and visits are deleted, and the purge is itself recorded in
the audit log, whose records name people by id only.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from tortoise.expressions import Q
from tortoise.queryset import QuerySet
from tortoise.transactions import in_transaction

import media
from models import sql
from models.accounts import ApiKey, AuthToken, ThrottleEvent
from models.consultations import (
    Consultation,
    ConsultationMessage,
    ConsultationStatus,
    HelpPlanRevision,
    MessageAttachment,
    Visit,
)
from resolvers import exports, privacy
from resolvers.actor import Actor
from resolvers.consultations import attachments, audit
from resolvers.content import previews
from settings import Settings

log = logging.getLogger("beacon.retention")

# The kinds of records a purge removes, in the order it removes them (and lists them).
CLOSED_CONSULTATIONS = "closed_consultations"
CLOSED_ATTACHMENTS = "closed_attachments"
UNATTACHED_UPLOADS = "unattached_uploads"
EXPIRED_TOKENS = "expired_tokens"
EXPIRED_API_KEYS = "expired_api_keys"
EXPIRED_PREVIEW_TOKENS = "expired_preview_tokens"
THROTTLE_EVENTS = "throttle_events"
ERASED_ACCOUNTS = "erased_accounts"
DATA_EXPORTS = "data_exports"
KINDS = (
    ERASED_ACCOUNTS,
    DATA_EXPORTS,
    CLOSED_CONSULTATIONS,
    CLOSED_ATTACHMENTS,
    UNATTACHED_UPLOADS,
    EXPIRED_TOKENS,
    EXPIRED_API_KEYS,
    EXPIRED_PREVIEW_TOKENS,
    THROTTLE_EVENTS,
)
# Who the audit log names for a purge: the system, not a person.
PURGER = Actor(display_name="system:retention")


@dataclass(frozen=True)
class Policy:
    """How long each kind lives (after closing, expiry or revocation, creation)."""

    closed_consultations: timedelta = timedelta(days=365)
    closed_attachments: timedelta = timedelta(days=365)
    unattached_uploads: timedelta = timedelta(hours=24)
    expired_tokens: timedelta = timedelta(days=30)
    expired_api_keys: timedelta = timedelta(days=365)
    # Preview links (docs/content.md, "Previews") are credentials like sessions: kept as long after they ended.
    expired_preview_tokens: timedelta = timedelta(days=30)
    throttle_events: timedelta = timedelta(hours=48)
    # Not a retention of records: the grace period between a deletion request and the erasure.
    erased_accounts: timedelta = timedelta(days=14)
    # Exports go as soon as their link expired (BEACON_EXPORT_LINK_HOURS sets that, per export).
    data_exports: timedelta = timedelta(0)

    @classmethod
    def from_settings(cls, settings: Settings) -> Policy:
        return cls(
            closed_consultations=timedelta(days=settings.closed_consultation_days),
            closed_attachments=timedelta(days=settings.closed_attachment_days),
            unattached_uploads=timedelta(hours=settings.unattached_upload_hours),
            expired_tokens=timedelta(days=settings.expired_token_days),
            expired_api_keys=timedelta(days=settings.expired_api_key_days),
            expired_preview_tokens=timedelta(days=settings.expired_token_days),
            throttle_events=timedelta(hours=settings.throttle_retention_hours),
            erased_accounts=timedelta(days=settings.deletion_grace_days),
        )


@dataclass(frozen=True)
class Plan:
    """What a purge at `now` under `policy` removes: the ids of each kind, ascending."""

    policy: Policy
    now: datetime
    ids: dict[str, list[int]] = field(default_factory=dict)

    def cutoff(self, kind: str) -> datetime:
        kept: timedelta = getattr(self.policy, kind)
        return self.now - kept

    @property
    def empty(self) -> bool:
        return not any(self.ids.values())


async def plan(policy: Policy, *, now: datetime | None = None, limit: int | None = None) -> Plan:
    """Find what is past its retention at `now` (at most `limit` of each kind; None: all)."""
    made = Plan(policy, now or datetime.now(UTC))
    made.ids[ERASED_ACCOUNTS] = await _ids(privacy.due_for_erasure(made.cutoff(ERASED_ACCOUNTS)), "id", limit)
    made.ids[DATA_EXPORTS] = await _ids(exports.expired(made.cutoff(DATA_EXPORTS)), "id", limit)
    closed = await _ids(_closed_consultations(made.cutoff(CLOSED_CONSULTATIONS)), "id", limit)
    made.ids[CLOSED_CONSULTATIONS] = closed
    # Attachments of threads closed long enough whose thread itself is not purged in this run.
    old_files = _closed_attachments(made.cutoff(CLOSED_ATTACHMENTS)).exclude(message__consultation_id__in=closed)
    made.ids[CLOSED_ATTACHMENTS] = await _ids(old_files, "media_id", limit)
    uploads = attachments.unattached_uploads(made.cutoff(UNATTACHED_UPLOADS))
    made.ids[UNATTACHED_UPLOADS] = await _ids(uploads, "id", limit)
    tokens = AuthToken.filter(_session_ended_before(made.cutoff(EXPIRED_TOKENS)))
    made.ids[EXPIRED_TOKENS] = await _ids(tokens, "id", limit)
    keys = ApiKey.filter(_ended_before(made.cutoff(EXPIRED_API_KEYS)))
    made.ids[EXPIRED_API_KEYS] = await _ids(keys, "id", limit)
    previewed = previews.ended_before(made.cutoff(EXPIRED_PREVIEW_TOKENS))
    made.ids[EXPIRED_PREVIEW_TOKENS] = await _ids(previewed, "id", limit)
    events = ThrottleEvent.filter(created_at__lt=made.cutoff(THROTTLE_EVENTS))
    made.ids[THROTTLE_EVENTS] = await _ids(events, "id", limit)
    return made


async def execute(made: Plan, storage: media.MediaStorage) -> dict[str, list[int]]:
    """Remove what the plan lists and still meets its kind's condition; the ids removed, by kind."""
    done: dict[str, list[int]] = {ERASED_ACCOUNTS: []}
    # Erasure first: a person's threads are anonymised before any of them is purged.
    for user_id in made.ids.get(ERASED_ACCOUNTS, []):
        if await privacy.erase(user_id, made.cutoff(ERASED_ACCOUNTS), made.now, storage):
            done[ERASED_ACCOUNTS].append(user_id)
    done[DATA_EXPORTS] = await exports.drop(made.ids.get(DATA_EXPORTS, []), made.cutoff(DATA_EXPORTS))
    done[CLOSED_CONSULTATIONS] = await _purge_consultations(
        made.ids.get(CLOSED_CONSULTATIONS, []), made.cutoff(CLOSED_CONSULTATIONS), made.now, storage
    )
    done[CLOSED_ATTACHMENTS] = await _purge_attachments(
        made.ids.get(CLOSED_ATTACHMENTS, []), made.cutoff(CLOSED_ATTACHMENTS), storage
    )
    listed = made.ids.get(UNATTACHED_UPLOADS, [])
    uploads = attachments.unattached_uploads(made.cutoff(UNATTACHED_UPLOADS)).filter(id__in=listed)
    done[UNATTACHED_UPLOADS] = await attachments.drop_unattached(
        storage, await _ids(uploads, "id", None) if listed else []
    )
    done[EXPIRED_TOKENS] = await _delete_matching(
        AuthToken.filter(_session_ended_before(made.cutoff(EXPIRED_TOKENS))), made.ids.get(EXPIRED_TOKENS, [])
    )
    done[EXPIRED_API_KEYS] = await _delete_matching(
        ApiKey.filter(_ended_before(made.cutoff(EXPIRED_API_KEYS))), made.ids.get(EXPIRED_API_KEYS, [])
    )
    done[EXPIRED_PREVIEW_TOKENS] = await _delete_matching(
        previews.ended_before(made.cutoff(EXPIRED_PREVIEW_TOKENS)), made.ids.get(EXPIRED_PREVIEW_TOKENS, [])
    )
    done[THROTTLE_EVENTS] = await _delete_matching(
        ThrottleEvent.filter(created_at__lt=made.cutoff(THROTTLE_EVENTS)), made.ids.get(THROTTLE_EVENTS, [])
    )
    return done


def describe(ids: dict[str, list[int]]) -> list[str]:
    """One line per kind: its count and ids (runs of consecutive ids as ranges), for `beacon purge`."""
    return [f"{kind}: {len(ids.get(kind, []))}{_ranges(ids.get(kind, []))}" for kind in KINDS]


def _ranges(ids: Sequence[int]) -> str:
    if not ids:
        return ""
    runs: list[str] = []
    start = prev = ids[0]
    for pk in [*ids[1:], None]:
        if pk is not None and pk == prev + 1:
            prev = pk
            continue
        runs.append(str(start) if start == prev else f"{start}-{prev}")
        if pk is not None:
            start = prev = pk
    return " (ids " + ",".join(runs) + ")"


async def _ids(query: QuerySet[Any], column: str, limit: int | None) -> list[int]:
    """The values of an id column the query finds, ascending and distinct, at most `limit`."""
    ordered = query.order_by(column)
    rows = await sql.flat((ordered.limit(limit) if limit is not None else ordered).values_list(column, flat=True))
    return sorted({int(r) for r in rows})


def _closed_consultations(closed_before: datetime) -> QuerySet[Consultation]:
    """Closed threads untouched since the cutoff (closing is their last change) and not purged yet."""
    return Consultation.filter(status=ConsultationStatus.CLOSED, purged_at=None, updated_at__lt=closed_before)


def _closed_attachments(closed_before: datetime) -> QuerySet[MessageAttachment]:
    return MessageAttachment.filter(
        message__consultation__status=ConsultationStatus.CLOSED,
        message__consultation__purged_at=None,
        message__consultation__updated_at__lt=closed_before,
    )


def _ended_before(cutoff: datetime) -> Q:
    """Expired or revoked before the cutoff."""
    return Q(expires_at__lt=cutoff) | Q(revoked_at__lt=cutoff)


def _session_ended_before(cutoff: datetime) -> Q:
    """A session ended before the cutoff: revoked, or both its access token and its refresh token expired."""
    refresh_ended = Q(refresh_expires_at__isnull=True) | Q(refresh_expires_at__lt=cutoff)
    return Q(Q(expires_at__lt=cutoff), refresh_ended) | Q(revoked_at__lt=cutoff)


async def _delete_matching(query: QuerySet[Any], ids: Sequence[int]) -> list[int]:
    """Delete the listed rows that still match the condition; the ids deleted."""
    if not ids:
        return []
    matching = [int(i) for i in await sql.flat(query.filter(id__in=list(ids)).values_list("id", flat=True))]
    if matching:
        await query.model.filter(id__in=matching).delete()
    return sorted(matching)


async def _purge_consultations(
    ids: Iterable[int], closed_before: datetime, now: datetime, storage: media.MediaStorage
) -> list[int]:
    """Each listed thread still closed and old: blank it, delete its contents, record the purge; then its files."""
    purged: list[int] = []
    for consultation_id in ids:
        async with in_transaction():
            # The UPDATE is the claim: a thread reopened meanwhile no longer matches (and, on
            # PostgreSQL, a message being sent waits for this transaction on the row's lock).
            claimed = await Consultation.filter(
                id=consultation_id,
                status=ConsultationStatus.CLOSED,
                purged_at=None,
                updated_at__lt=closed_before,
            ).update(purged_at=now, subject="", client_display_name="")
            if not claimed:
                continue
            media_ids = await _drop_contents(consultation_id)
            await audit.record(PURGER, consultation_id, audit.PURGED, "retention")
        await attachments.drop_unattached(storage, media_ids)
        purged.append(consultation_id)
    if purged:
        log.info("closed consultations purged: %d", len(purged))
    return purged


async def _drop_contents(consultation_id: int) -> list[int]:
    """Delete a thread's messages, attachment links, help plans and visits; the media ids it held."""
    message_ids = ConsultationMessage.filter(consultation_id=consultation_id).values_list("id", flat=True)
    ids = [int(i) for i in await sql.flat(message_ids)]
    media_ids = [
        int(i) for i in await sql.flat(MessageAttachment.filter(message_id__in=ids).values_list("media_id", flat=True))
    ]
    await MessageAttachment.filter(message_id__in=ids).delete()
    await ConsultationMessage.filter(consultation_id=consultation_id).delete()
    await HelpPlanRevision.filter(consultation_id=consultation_id).delete()
    await Visit.filter(consultation_id=consultation_id).delete()
    return media_ids


async def _purge_attachments(
    media_ids: Sequence[int], closed_before: datetime, storage: media.MediaStorage
) -> list[int]:
    """Unlink the listed files from threads still closed and old, then delete them (rows and files)."""
    if not media_ids:
        return []
    links = _closed_attachments(closed_before).filter(media_id__in=list(media_ids))
    linked = [int(i) for i in await sql.flat(links.values_list("id", flat=True))]
    if not linked:
        return []
    await MessageAttachment.filter(id__in=linked).delete()
    return await attachments.drop_unattached(storage, list(media_ids))
