"""Help plans (every revision kept) and offline visits of a consultation."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from tortoise.transactions import in_transaction

from models import sql
from models.consultations import Consultation, HelpPlanRevision, Visit, VisitStatus
from resolvers import permissions
from resolvers.actor import Actor
from resolvers.consultations import audit, consent, sealed
from resolvers.consultations.threads import _for_party, notify, now, other_party
from resolvers.errors import Conflict, Forbidden, Invalid, NotFound, a_or_an
from resolvers.events import EventBus
from resolvers.integrations import events as integration_events

MAX_MEASURES = 50


@dataclass(frozen=True)
class MeasureInput:
    description: str
    due_at: datetime | None
    done: bool


def _measures(measures: Sequence[MeasureInput]) -> list[dict[str, object]]:
    if len(measures) > MAX_MEASURES:
        raise Invalid(f"A plan has at most {MAX_MEASURES} measures.", field="input.measures")
    cleaned: list[dict[str, object]] = []
    for index, measure in enumerate(measures):
        text = measure.description.strip()
        if not 1 <= len(text) <= 1000:
            raise Invalid("Describe each measure in 1–1000 characters.", field=f"input.measures.{index}.description")
        cleaned.append(
            {
                "description": text,
                "due_at": measure.due_at.isoformat() if measure.due_at else None,
                "done": measure.done,
            }
        )
    return cleaned


async def save_help_plan(
    actor: Actor,
    bus: EventBus,
    *,
    consultation_id: int,
    goals: str,
    measures: Sequence[MeasureInput],
    follow_up_at: datetime | None,
) -> Consultation:
    """The consultation's expert writes a new revision of the plan; old revisions stay."""
    consultation = await _for_party(actor, consultation_id, "input.consultationId")
    if not permissions.can_write_help_plan(actor, consultation):
        raise Forbidden("Only the consultation's expert writes the help plan.", field="input.consultationId")
    await consent.require_for_processing(actor, consultation)
    text = goals.strip()
    if not 1 <= len(text) <= 5000:
        raise Invalid("Describe the goals in 1–5000 characters.", field="input.goals")
    cleaned = _measures(measures)
    async with in_transaction():
        # Saves of one plan take turns: each reads the newest revision only once the one before committed.
        await sql.lock(Consultation, consultation.id)
        latest = await HelpPlanRevision.filter(consultation_id=consultation.id).order_by("-revision").first()
        revision = await HelpPlanRevision.create(
            consultation=consultation,
            revision=(latest.revision + 1) if latest else 1,
            author_id=actor.user_id,
            goals=sealed.seal(text, sealed.PLAN_GOALS),
            measures=sealed.seal_measures(cleaned),
            follow_up_at=follow_up_at,
            created_at=now(),
        )
        await audit.record(actor, consultation.id, audit.HELP_PLAN_SAVED, f"revision {revision.revision}")
        await integration_events.consultation_activity(
            "HELP_PLAN_SAVED", consultation_id=consultation.id, recipient_ids=[other_party(actor, consultation)]
        )
    await notify(bus, consultation)
    return consultation


async def get_visit(actor: Actor, pk: int) -> Visit | None:
    """A visit of a consultation the actor may read (admins audited), else None."""
    visit = await Visit.get_or_none(id=pk).select_related("consultation")
    if visit is None or not permissions.can_read_consultation(actor, visit.consultation):
        return None
    await audit.record_read_if_audited(actor, visit.consultation, f"visit {visit.id}")
    return visit


async def _party_visit(actor: Actor, pk: int, *, processing: bool) -> Visit:
    """A visit a party changes (the change itself happens under a lock of its row, in `_change`).

    `processing`: the change records something new about the client (scheduling, completing), so
    it needs their current consent; cancelling does not.
    """
    permissions.require_user(actor)
    visit = await Visit.get_or_none(id=pk).select_related("consultation")
    if visit is None or not permissions.can_write_to_consultation(actor, visit.consultation):
        raise NotFound("No such visit.", field="visitId")
    if processing:
        await consent.require_for_processing(actor, visit.consultation)
    return visit


def _clean(value: str | None, limit: int, field: str) -> str | None:
    text = (value or "").strip()
    if len(text) > limit:
        raise Invalid(f"Keep this under {limit} characters.", field=field)
    return text or None


async def request_visit(
    actor: Actor,
    bus: EventBus,
    *,
    consultation_id: int,
    scheduled_at: datetime | None,
    location: str | None,
    note: str | None,
) -> Visit:
    """Either party asks for an offline visit (a proposed time and place are optional)."""
    consultation = await _for_party(actor, consultation_id, "input.consultationId")
    await consent.require_for_processing(actor, consultation)
    async with in_transaction():
        visit = await Visit.create(
            consultation=consultation,
            requested_by_id=actor.user_id,
            status=VisitStatus.REQUESTED,
            scheduled_at=scheduled_at,
            location=sealed.seal_optional(_clean(location, 300, "input.location"), sealed.VISIT_LOCATION),
            note=sealed.seal_optional(_clean(note, 2000, "input.note"), sealed.VISIT_NOTE),
        )
        await audit.record(actor, consultation.id, audit.VISIT_REQUESTED, f"visit {visit.id}")
        await _announce_visit(actor, visit, consultation, audit.VISIT_REQUESTED)
    await notify(bus, consultation)
    return visit


async def _announce_visit(actor: Actor, visit: Visit, consultation: Consultation, action: str) -> None:
    """Push ids to the platform's endpoints; e-mail the other party, and both parties when a visit is scheduled."""
    other = other_party(actor, consultation)
    told = [other] if action != audit.VISIT_SCHEDULED else [other, actor.user_id or other]
    await integration_events.consultation_activity(
        action,
        consultation_id=consultation.id,
        recipient_ids=[other],
        visit_id=visit.id,
        notices=[
            integration_events.visit_notice(user_id, consultation.id, visit.id)
            for user_id in (dict.fromkeys(told) if action != audit.VISIT_DONE else ())
        ],
    )


async def _change(
    actor: Actor,
    bus: EventBus,
    visit: Visit,
    action: str,
    *,
    allowed: tuple[VisitStatus, ...],
    conflict: str,
    **values: object,
) -> Visit:
    """Change a visit if its status (as committed, under a lock of its row) still allows it.

    Two changes of one visit at once (a cancel and a completion) take turns: the second sees the
    first's status and gets CONFLICT, never a silent overwrite.
    """
    async with in_transaction():
        await sql.lock(Visit, visit.id)
        status = (await Visit.get(id=visit.id)).status
        if status not in allowed:
            raise Conflict(conflict.format(status=a_or_an(status.lower(), capital=True)), field="visitId")
        await visit.update_from_dict(values).save()
        await audit.record(actor, visit.consultation.id, action, f"visit {visit.id}")
        await _announce_visit(actor, visit, visit.consultation, action)
    await notify(bus, visit.consultation)
    return visit


async def schedule_visit(actor: Actor, bus: EventBus, *, visit_id: int, scheduled_at: datetime, location: str) -> Visit:
    """The expert fixes (or moves) the time and place."""
    visit = await _party_visit(actor, visit_id, processing=True)
    if not permissions.can_schedule_visit(actor, visit.consultation):
        raise Forbidden("Only the consultation's expert schedules visits.", field="visitId")
    place = _clean(location, 300, "location")
    if place is None:
        raise Invalid("Say where the visit takes place.", field="location")
    return await _change(
        actor,
        bus,
        visit,
        audit.VISIT_SCHEDULED,
        allowed=(VisitStatus.REQUESTED, VisitStatus.SCHEDULED),
        conflict="{status} visit cannot be scheduled.",
        status=VisitStatus.SCHEDULED,
        scheduled_at=scheduled_at,
        location=sealed.seal(place, sealed.VISIT_LOCATION),
    )


async def cancel_visit(actor: Actor, bus: EventBus, *, visit_id: int) -> Visit:
    """Either party cancels a visit that has not happened (also after consent was withdrawn)."""
    visit = await _party_visit(actor, visit_id, processing=False)
    return await _change(
        actor,
        bus,
        visit,
        audit.VISIT_CANCELLED,
        allowed=(VisitStatus.REQUESTED, VisitStatus.SCHEDULED),
        conflict="{status} visit cannot be cancelled.",
        status=VisitStatus.CANCELLED,
    )


async def complete_visit(actor: Actor, bus: EventBus, *, visit_id: int) -> Visit:
    """The expert marks a scheduled visit done."""
    visit = await _party_visit(actor, visit_id, processing=True)
    if not permissions.can_schedule_visit(actor, visit.consultation):
        raise Forbidden("Only the consultation's expert marks a visit done.", field="visitId")
    return await _change(
        actor,
        bus,
        visit,
        audit.VISIT_DONE,
        allowed=(VisitStatus.SCHEDULED,),
        conflict="Only a scheduled visit can be marked done.",
        status=VisitStatus.DONE,
    )
