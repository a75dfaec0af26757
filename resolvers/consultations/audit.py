"""The consultation audit log: append-only records of admin reads and of every change."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

from models.consultations import Consultation, ConsultationAudit
from resolvers import permissions
from resolvers.actor import Actor

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


async def access_logs_by_consultation(ids: Sequence[int]) -> list[list[ConsultationAudit]]:
    """Batch: every audit record per consultation (callers filter what the actor may see)."""
    found: dict[int, list[ConsultationAudit]] = {i: [] for i in ids}
    for entry in await ConsultationAudit.filter(consultation_id__in=list(ids)).order_by("id"):
        found[entry.consultation_id].append(entry)
    return [found[i] for i in ids]


async def log_for_operators(*, consultation_id: int | None = None, limit: int = 100) -> list[ConsultationAudit]:
    """The newest records, oldest first (for `beacon audit`)."""
    query = ConsultationAudit.all()
    if consultation_id is not None:
        query = query.filter(consultation_id=consultation_id)
    newest = await query.order_by("-id").limit(limit)
    return list(reversed(newest))
