"""Consultation desk queries, node(id:) getters and the Viewer's consultation fields."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from typing import Annotated

import strawberry

from resolvers.consultations import audit, care, consent, directory, threads
from schema.consultations.types import (
    Consultation,
    ConsultationAuditEntry,
    ConsultationStatus,
    Expert,
    ExpertGroup,
    ExpertiseArea,
    Message,
    PrivacyConsentRecord,
    PrivacyNotice,
    Visit,
)
from schema.context import Info
from schema.node import register_node
from schema.relay import After, Before, Connection, First, Last, PageArgs, decode_id, paginate_listing


@register_node("Expert")
async def expert_node(info: Info, pk: int) -> Expert | None:
    profile = await directory.get_expert(pk)
    return Expert.from_model(profile) if profile else None


@register_node("Consultation")
async def consultation_node(info: Info, pk: int) -> Consultation | None:
    consultation = await threads.get_consultation(info.context.actor, pk)
    return Consultation.from_model(consultation) if consultation else None


@register_node("Message")
async def message_node(info: Info, pk: int) -> Message | None:
    message = await threads.get_message(info.context.actor, pk)
    return Message.from_model(message) if message else None


@register_node("Visit")
async def visit_node(info: Info, pk: int) -> Visit | None:
    visit = await care.get_visit(info.context.actor, pk)
    return Visit.from_model(visit) if visit else None


@strawberry.type
class ConsultationQuery:
    @strawberry.field(
        description="The current privacy notice of the consultation desk (Chinese unless a locale asks otherwise)."
    )
    async def privacy_notice(
        self,
        locale: Annotated[
            str | None, strawberry.argument(description='BCP 47 language tag, e.g. "zh-CN" or "en".')
        ] = None,
    ) -> PrivacyNotice:
        return PrivacyNotice.from_model(await consent.current_notice(locale))

    @strawberry.field(description="Every published privacy notice text, newest version first; anyone may read them.")
    async def privacy_notices(
        self, first: First = None, after: After = None, last: Last = None, before: Before = None
    ) -> Connection[PrivacyNotice]:
        return await paginate_listing(PageArgs(first, after, last, before), consent.notices(), PrivacyNotice.from_model)

    @strawberry.field(
        description="Admins: the consultation audit log, newest first, by consultation, actor and period; "
        "null with UNAUTHENTICATED (signed out) or FORBIDDEN for everyone else."
    )
    async def consultation_audit_log(
        self,
        info: Info,
        consultation_id: Annotated[
            strawberry.ID | None, strawberry.argument(description="Only entries about this consultation (global ID).")
        ] = None,
        actor_id: Annotated[strawberry.ID | None, strawberry.argument(description="The acting user.")] = None,
        actor_name: Annotated[str | None, strawberry.argument(description="Part of the actor's shown name.")] = None,
        from_: Annotated[
            datetime | None,
            strawberry.argument(name="from", description="Only entries at or after this time."),
        ] = None,
        to: Annotated[
            datetime | None, strawberry.argument(description="Only entries before this time (exclusive).")
        ] = None,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> Connection[ConsultationAuditEntry] | None:
        listing = audit.for_admins(
            info.context.actor,
            consultation_id=decode_id(consultation_id, "Consultation", field="consultationId")
            if consultation_id
            else None,
            actor_user_id=decode_id(actor_id, "User", field="actorId") if actor_id else None,
            actor_name=actor_name,
            start=from_,
            end=to,
        )
        return await paginate_listing(PageArgs(first, after, last, before), listing, ConsultationAuditEntry.from_model)

    @strawberry.field(description="The four expert groups with their experts; anyone may read the directory.")
    def expert_groups(
        self,
        locale: Annotated[
            str | None, strawberry.argument(description='"en" for English names; Chinese otherwise.')
        ] = None,
    ) -> list[ExpertGroup]:
        return [ExpertGroup(area=g.area, name=g.name, description=g.description) for g in directory.groups(locale)]

    @strawberry.field(description="The expert directory, page by page; anyone may read it.")
    async def experts(
        self,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
        area: Annotated[ExpertiseArea | None, strawberry.argument(description="Only this group.")] = None,
    ) -> Connection[Expert]:
        return await paginate_listing(PageArgs(first, after, last, before), directory.experts(area), Expert.from_model)

    @strawberry.field(
        description="A consultation: its client, its expert, or an admin (whose read is audited); null for anyone else."
    )
    async def consultation(
        self,
        info: Info,
        id: Annotated[strawberry.ID, strawberry.argument(description="Global ID of the consultation.")],
        reason: Annotated[
            str | None,
            strawberry.argument(
                description="Admins: why you are opening someone's consultation (required of admins, here or in the "
                "Beacon-Access-Reason header; recorded and shown to the client). Ignored for the two parties."
            ),
        ] = None,
    ) -> Consultation | None:
        pk = decode_id(id, "Consultation", field="id")
        actor = info.context.actor
        if reason and reason.strip():
            actor = replace(actor, access_reason=reason.strip()[:300])
        found = await threads.get_consultation(actor, pk)
        return Consultation.from_model(found) if found else None


async def viewer_consultations(
    info: Info, status: ConsultationStatus | None, args: PageArgs
) -> Connection[Consultation]:
    query = threads.viewer_consultations(info.context.actor, status)
    return await paginate_listing(args, query, Consultation.from_model)


async def viewer_unread_message_count(info: Info) -> int:
    return await threads.unread_total(info.context.actor)


async def viewer_expert_profile(user_id: int) -> Expert | None:
    profile = await directory.own_profile(user_id)
    return Expert.from_model(profile) if profile else None


async def viewer_accepted_privacy_notice_version(user_id: int) -> int | None:
    return await consent.accepted_version(user_id)


async def viewer_privacy_consents(info: Info) -> list[PrivacyConsentRecord]:
    return [PrivacyConsentRecord.from_model(r) for r in await consent.records(info.context.actor)]
