"""Inputs and payloads of the consultation desk's mutations."""

from __future__ import annotations

from datetime import datetime

import strawberry

from schema.consultations.types import Consultation, Expert, ExpertiseArea, Message, PrivacyNotice, Visit
from schema.errors import UserError


@strawberry.input
class ExpertProfileInput:
    user_id: strawberry.ID = strawberry.field(
        description="The user account that answers as this expert (must have the EXPERT role)."
    )
    display_name: str
    title: str | None = None
    bio: str | None = None
    area: ExpertiseArea
    specialties: list[str] | None = None
    photo_id: strawberry.ID | None = strawberry.field(default=None, description="An image MediaAsset for the profile.")
    accepting_consultations: bool | None = strawberry.field(
        default=None, description="False keeps the expert listed but not selectable; omitted keeps the current value."
    )


@strawberry.input
class OpenConsultationInput:
    expert_id: strawberry.ID = strawberry.field(description="The chosen expert (must be accepting consultations).")
    subject: str
    message: str = strawberry.field(description="The first message.")
    attachment_ids: list[strawberry.ID] | None = strawberry.field(
        default=None, description="Media the client uploaded, attached privately."
    )


@strawberry.input
class SendMessageInput:
    consultation_id: strawberry.ID
    body: str
    attachment_ids: list[strawberry.ID] | None = strawberry.field(
        default=None, description="Media the sender uploaded, attached privately."
    )
    client_message_id: str | None = strawberry.field(
        default=None,
        description=(
            "Client-chosen key of at most 100 characters (a longer one is INVALID, never cut). Resending the "
            "same key with the same message returns the first message instead of a duplicate; the same key "
            "with another body or other attachments is CONFLICT."
        ),
    )


@strawberry.input
class HelpMeasureInput:
    description: str
    due_at: datetime | None = None
    done: bool | None = None


@strawberry.input
class HelpPlanInput:
    consultation_id: strawberry.ID
    goals: str
    measures: list[HelpMeasureInput]
    follow_up_at: datetime | None = None


@strawberry.input
class VisitInput:
    consultation_id: strawberry.ID
    scheduled_at: datetime | None = strawberry.field(default=None, description="A proposed time (optional).")
    location: str | None = strawberry.field(default=None, description="A proposed place (optional).")
    note: str | None = None


@strawberry.type
class ExpertPayload:
    expert: Expert | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class ConsentPayload:
    accepted_version: int | None = strawberry.field(
        default=None, description="The notice version the caller has accepted now; null after withdrawal."
    )
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class ConsultationPayload:
    consultation: Consultation | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class SendMessagePayload:
    message: Message | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class HelpPlanPayload:
    consultation: Consultation | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class VisitPayload:
    visit: Visit | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.input
class PrivacyNoticeTextInput:
    locale: str = strawberry.field(description='e.g. "zh-CN" or "en".')
    text: str


@strawberry.input
class PublishPrivacyNoticeInput:
    texts: list[PrivacyNoticeTextInput] = strawberry.field(description="One text per locale; zh-CN is required.")


@strawberry.type
class PrivacyNoticePayload:
    notices: list[PrivacyNotice] = strawberry.field(default_factory=list)
    errors: list[UserError] = strawberry.field(default_factory=list)
