"""The consultation audit log: append-only records of admin reads and of every change."""

from __future__ import annotations

from datetime import UTC, datetime

from models.consultations import Consultation, ConsultationAudit
from resolvers import permissions
from resolvers.actor import Actor
from resolvers.errors import Invalid
from resolvers.listing import Listing, of_queryset

# What happened, as stored in ConsultationAudit.action.
ADMIN_READ = "ADMIN_READ"
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


def _actor_name(actor: Actor) -> str:
    if actor.is_integration:
        return f"api-key:{actor.api_key_id}"
    return actor.display_name or (f"user:{actor.user_id}" if actor.user_id else "anonymous")


async def record(actor: Actor, consultation_id: int, action: str, detail: str = "") -> ConsultationAudit:
    """Append one record. There is deliberately no function to change or delete one."""
    return await ConsultationAudit.create(
        consultation_id=consultation_id,
        actor_user_id=actor.user_id,
        actor_name=_actor_name(actor)[:100],
        actor_roles=sorted(r.value for r in actor.roles),
        action=action,
        detail=detail[:200],
        created_at=datetime.now(UTC),
    )


async def record_read_if_audited(actor: Actor, consultation: Consultation, what: str) -> None:
    """Admins reading someone's consultation leave a trace; the two parties do not."""
    if permissions.is_audited_read(actor, consultation):
        await record(actor, consultation.id, ADMIN_READ, what)


async def log_for_operators(*, consultation_id: int | None = None, limit: int = 100) -> list[ConsultationAudit]:
    """The newest records, oldest first (for `beacon audit`)."""
    query = ConsultationAudit.all()
    if consultation_id is not None:
        query = query.filter(consultation_id=consultation_id)
    newest = await query.order_by("-id").limit(limit)
    return list(reversed(newest))


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
    permissions.require(permissions.is_admin(actor), "Only admins read the consultation audit log.")
    if start is not None and end is not None and start >= end:
        raise Invalid("'from' must be before 'to'.", field="from")
    query = ConsultationAudit.all()
    if consultation_id is not None:
        query = query.filter(consultation_id=consultation_id)
    if actor_user_id is not None:
        query = query.filter(actor_user_id=actor_user_id)
    if actor_name and actor_name.strip():
        query = query.filter(actor_name__icontains=actor_name.strip()[:100])
    if start is not None:
        query = query.filter(created_at__gte=start)
    if end is not None:
        query = query.filter(created_at__lt=end)
    return of_queryset(query.order_by("-id"))
