"""Consultation desk mutations: one-line calls into resolvers.consultations."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import strawberry

from resolvers.consultations import care, consent, directory, threads
from resolvers.consultations.care import MeasureInput
from resolvers.events import EventBus
from schema.consultations.inputs import (
    ConsentPayload,
    ConsultationPayload,
    ExpertPayload,
    ExpertProfileInput,
    HelpPlanInput,
    HelpPlanPayload,
    OpenConsultationInput,
    PrivacyNoticePayload,
    PublishPrivacyNoticeInput,
    SendMessageInput,
    SendMessagePayload,
    VisitInput,
    VisitPayload,
)
from schema.consultations.types import Consultation, Expert, Message, PrivacyNotice, Visit
from schema.context import Info
from schema.errors import payload
from schema.relay import decode_id, decode_ids


def _events(info: Info) -> EventBus:
    events: EventBus = info.context.services["events"]
    return events


@strawberry.type
class ConsultationMutation:
    @strawberry.mutation(description="Accept the current privacy notice; needed before opening a consultation.")
    @payload(ConsentPayload)
    async def accept_privacy_notice(
        self,
        info: Info,
        version: Annotated[
            int, strawberry.argument(description="The current notice's version (INVALID for any other).")
        ],
        locale: Annotated[
            str | None,
            strawberry.argument(
                description="The locale of the notice the person read (as asked of privacyNotice); its text is kept "
                "with the consent record. Default: zh-CN."
            ),
        ] = None,
    ) -> ConsentPayload:
        return ConsentPayload(accepted_version=await consent.accept(info.context.actor, version, locale))

    @strawberry.mutation(description="Stops new consultations and messages; what exists is kept.")
    @payload(ConsentPayload)
    async def withdraw_privacy_consent(self, info: Info) -> ConsentPayload:
        await consent.withdraw(info.context.actor)
        return ConsentPayload(accepted_version=None)

    @strawberry.mutation(
        description="Admins: publish a new version of the privacy notice; clients accept it before writing again."
    )
    @payload(PrivacyNoticePayload)
    async def publish_privacy_notice(
        self,
        info: Info,
        input: Annotated[PublishPrivacyNoticeInput, strawberry.argument(description="The texts of the new version.")],
    ) -> PrivacyNoticePayload:
        published = await consent.publish(info.context.actor, {t.locale: t.text for t in input.texts})
        return PrivacyNoticePayload(notices=[PrivacyNotice.from_model(n) for n in published])

    @strawberry.mutation(description="Admins, or the expert editing their own profile.")
    @payload(ExpertPayload)
    async def save_expert_profile(
        self,
        info: Info,
        input: Annotated[
            ExpertProfileInput,
            strawberry.argument(
                description="The whole profile (INVALID, NOT_FOUND for the user, FORBIDDEN for someone else's)."
            ),
        ],
    ) -> ExpertPayload:
        profile = await directory.save_profile(
            info.context.actor,
            user_id=decode_id(input.user_id, "User", field="input.userId"),
            display_name=input.display_name,
            title=input.title,
            bio=input.bio,
            area=input.area,
            specialties=input.specialties,
            photo_id=decode_id(input.photo_id, "MediaAsset", field="input.photoId") if input.photo_id else None,
            accepting_consultations=input.accepting_consultations,
        )
        return ExpertPayload(expert=Expert.from_model(profile))

    @strawberry.mutation(description="A signed-in LEARNER or CLIENT writes to one chosen expert.")
    @payload(ConsultationPayload, atomic=False)
    async def open_consultation(
        self,
        info: Info,
        input: Annotated[
            OpenConsultationInput,
            strawberry.argument(
                description="The expert, subject and first message (FORBIDDEN until the current privacy notice is accepted; INVALID when the expert is not accepting; RATE_LIMITED past the daily limit)."
            ),
        ],
    ) -> ConsultationPayload:
        consultation = await threads.open_consultation(
            info.context.actor,
            _events(info),
            expert_id=decode_id(input.expert_id, "Expert", field="input.expertId"),
            subject=input.subject,
            body=input.message,
            attachment_ids=decode_ids(input.attachment_ids or [], "MediaAsset", field="input.attachmentIds"),
        )
        return ConsultationPayload(consultation=Consultation.from_model(consultation))

    @strawberry.mutation(description="Either party writes; a client's message reopens a closed consultation.")
    @payload(SendMessagePayload, atomic=False)
    async def send_message(
        self,
        info: Info,
        input: Annotated[
            SendMessageInput,
            strawberry.argument(
                description="The message (CONFLICT for a reused clientMessageId with another message)."
            ),
        ],
    ) -> SendMessagePayload:
        message = await threads.send_message(
            info.context.actor,
            _events(info),
            consultation_id=decode_id(input.consultation_id, "Consultation", field="input.consultationId"),
            body=input.body,
            client_message_id=input.client_message_id,
            attachment_ids=decode_ids(input.attachment_ids or [], "MediaAsset", field="input.attachmentIds"),
        )
        return SendMessagePayload(message=Message.from_model(message))

    @strawberry.mutation(description="Mark the other party's messages in this consultation as read.")
    @payload(ConsultationPayload, atomic=False)
    async def mark_consultation_read(
        self,
        info: Info,
        consultation_id: Annotated[
            strawberry.ID, strawberry.argument(description="Global ID of a consultation the caller is a party to.")
        ],
    ) -> ConsultationPayload:
        pk = decode_id(consultation_id, "Consultation", field="consultationId")
        consultation = await threads.mark_read(info.context.actor, _events(info), pk)
        return ConsultationPayload(consultation=Consultation.from_model(consultation))

    @strawberry.mutation(description="Either party closes the consultation.")
    @payload(ConsultationPayload, atomic=False)
    async def close_consultation(
        self,
        info: Info,
        consultation_id: Annotated[
            strawberry.ID, strawberry.argument(description="Global ID of a consultation the caller is a party to.")
        ],
    ) -> ConsultationPayload:
        pk = decode_id(consultation_id, "Consultation", field="consultationId")
        consultation = await threads.close(info.context.actor, _events(info), pk)
        return ConsultationPayload(consultation=Consultation.from_model(consultation))

    @strawberry.mutation(description="The consultation's expert saves a new revision of the help plan.")
    @payload(HelpPlanPayload, atomic=False)
    async def save_help_plan(
        self, info: Info, input: Annotated[HelpPlanInput, strawberry.argument(description="The whole new plan.")]
    ) -> HelpPlanPayload:
        consultation = await care.save_help_plan(
            info.context.actor,
            _events(info),
            consultation_id=decode_id(input.consultation_id, "Consultation", field="input.consultationId"),
            goals=input.goals,
            measures=[MeasureInput(m.description, m.due_at, bool(m.done)) for m in input.measures],
            follow_up_at=input.follow_up_at,
        )
        return HelpPlanPayload(consultation=Consultation.from_model(consultation))

    @strawberry.mutation(description="The client or the expert asks for an offline visit.")
    @payload(VisitPayload, atomic=False)
    async def request_visit(
        self,
        info: Info,
        input: Annotated[VisitInput, strawberry.argument(description="The consultation and an optional note.")],
    ) -> VisitPayload:
        visit = await care.request_visit(
            info.context.actor,
            _events(info),
            consultation_id=decode_id(input.consultation_id, "Consultation", field="input.consultationId"),
            scheduled_at=input.scheduled_at,
            location=input.location,
            note=input.note,
        )
        return VisitPayload(visit=Visit.from_model(visit))

    @strawberry.mutation(description="The expert fixes (or moves) a visit's time and place.")
    @payload(VisitPayload, atomic=False)
    async def schedule_visit(
        self,
        info: Info,
        visit_id: Annotated[
            strawberry.ID,
            strawberry.argument(
                description="Global ID of a visit of the caller's consultation (CONFLICT once cancelled or done)."
            ),
        ],
        scheduled_at: Annotated[datetime, strawberry.argument(description="When the visit takes place.")],
        location: Annotated[str, strawberry.argument(description="Where it takes place, 1–300 characters.")],
    ) -> VisitPayload:
        pk = decode_id(visit_id, "Visit", field="visitId")
        visit = await care.schedule_visit(
            info.context.actor, _events(info), visit_id=pk, scheduled_at=scheduled_at, location=location
        )
        return VisitPayload(visit=Visit.from_model(visit))

    @strawberry.mutation(description="Either party cancels a visit that has not happened.")
    @payload(VisitPayload, atomic=False)
    async def cancel_visit(
        self,
        info: Info,
        visit_id: Annotated[
            strawberry.ID,
            strawberry.argument(description="Global ID of a visit that has not happened (CONFLICT otherwise)."),
        ],
    ) -> VisitPayload:
        pk = decode_id(visit_id, "Visit", field="visitId")
        return VisitPayload(
            visit=Visit.from_model(await care.cancel_visit(info.context.actor, _events(info), visit_id=pk))
        )

    @strawberry.mutation(description="The expert marks a scheduled visit done.")
    @payload(VisitPayload, atomic=False)
    async def complete_visit(
        self,
        info: Info,
        visit_id: Annotated[
            strawberry.ID, strawberry.argument(description="Global ID of a scheduled visit (CONFLICT otherwise).")
        ],
    ) -> VisitPayload:
        pk = decode_id(visit_id, "Visit", field="visitId")
        return VisitPayload(
            visit=Visit.from_model(await care.complete_visit(info.context.actor, _events(info), visit_id=pk))
        )
