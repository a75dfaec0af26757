"""Inputs and payloads of the consultation desk's mutations."""

from __future__ import annotations

from datetime import datetime

import strawberry

from schema.consultations.types import Consultation, Expert, ExpertiseArea, Message, PrivacyNotice, Visit
from schema.errors import PAYLOAD_ERRORS, UserError


@strawberry.input(description="An expert's directory entry, created or replaced as a whole.")
class ExpertProfileInput:
    user_id: strawberry.ID = strawberry.field(
        description="The user account that answers as this expert (must have the EXPERT role)."
    )
    display_name: str = strawberry.field(description="The name the directory shows (1–100 characters).")
    title: str | None = strawberry.field(default=None, description="Professional title, up to 200 characters.")
    bio: str | None = strawberry.field(default=None, description="A short introduction, up to 5,000 characters.")
    area: ExpertiseArea = strawberry.field(description="The expert group they belong to.")
    specialties: list[str] | None = strawberry.field(
        default=None, description="Up to 20 topics of up to 50 characters each."
    )
    photo_id: strawberry.ID | None = strawberry.field(default=None, description="An image MediaAsset for the profile.")
    accepting_consultations: bool | None = strawberry.field(
        default=None, description="False keeps the expert listed but not selectable; omitted keeps the current value."
    )


@strawberry.input(description="A new consultation with its first message.")
class OpenConsultationInput:
    expert_id: strawberry.ID = strawberry.field(description="The chosen expert (must be accepting consultations).")
    subject: str = strawberry.field(description="Subject line, 1–200 characters.")
    message: str = strawberry.field(description="The first message.")
    attachment_ids: list[strawberry.ID] | None = strawberry.field(
        default=None, description="Media the client uploaded, attached privately."
    )


@strawberry.input(description="A message to a consultation the caller is a party to.")
class SendMessageInput:
    consultation_id: strawberry.ID = strawberry.field(
        description="Global ID of the consultation (NOT_FOUND unless the caller is its client or expert)."
    )
    body: str = strawberry.field(description="The text, 1–5,000 characters.")
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


@strawberry.input(description="One step of a help plan.")
class HelpMeasureInput:
    description: str = strawberry.field(description="What is to be done, 1–1,000 characters.")
    due_at: datetime | None = strawberry.field(default=None, description="By when; omit for open-ended.")
    done: bool | None = strawberry.field(default=None, description="Whether it has been carried out (default false).")


@strawberry.input(description="A new revision of a consultation's help plan (the whole plan).")
class HelpPlanInput:
    consultation_id: strawberry.ID = strawberry.field(
        description="Global ID of a consultation the caller is the expert of."
    )
    goals: str = strawberry.field(description="What the plan aims at, 1–5,000 characters.")
    measures: list[HelpMeasureInput] = strawberry.field(description="The steps, in order (at most 50).")
    follow_up_at: datetime | None = strawberry.field(
        default=None, description="When the expert means to follow up; omit for none."
    )


@strawberry.input(description="A request for an offline visit.")
class VisitInput:
    consultation_id: strawberry.ID = strawberry.field(
        description="Global ID of a consultation the caller is a party to."
    )
    scheduled_at: datetime | None = strawberry.field(default=None, description="A proposed time (optional).")
    location: str | None = strawberry.field(default=None, description="A proposed place (optional).")
    note: str | None = strawberry.field(default=None, description="What the visit is about, up to 2,000 characters.")


@strawberry.type(description="The result of saveExpertProfile.")
class ExpertPayload:
    expert: Expert | None = strawberry.field(
        default=None, description="The profile as saved; null when errors is not empty."
    )
    errors: list[UserError] = strawberry.field(default_factory=list, description=PAYLOAD_ERRORS)


@strawberry.type(description="The result of accepting or withdrawing privacy consent.")
class ConsentPayload:
    accepted_version: int | None = strawberry.field(
        default=None, description="The notice version the caller has accepted now; null after withdrawal."
    )
    errors: list[UserError] = strawberry.field(default_factory=list, description=PAYLOAD_ERRORS)


@strawberry.type(description="The result of a consultation mutation.")
class ConsultationPayload:
    consultation: Consultation | None = strawberry.field(
        default=None, description="The consultation as saved; null when errors is not empty."
    )
    errors: list[UserError] = strawberry.field(default_factory=list, description=PAYLOAD_ERRORS)


@strawberry.type(description="The result of sendMessage.")
class SendMessagePayload:
    message: Message | None = strawberry.field(
        default=None,
        description="The message as stored (the first one for a repeated clientMessageId); null when errors is not empty.",
    )
    errors: list[UserError] = strawberry.field(default_factory=list, description=PAYLOAD_ERRORS)


@strawberry.type(description="The result of saveHelpPlan.")
class HelpPlanPayload:
    consultation: Consultation | None = strawberry.field(
        default=None, description="The consultation with its new plan; null when errors is not empty."
    )
    errors: list[UserError] = strawberry.field(default_factory=list, description=PAYLOAD_ERRORS)


@strawberry.type(description="The result of a visit mutation.")
class VisitPayload:
    visit: Visit | None = strawberry.field(
        default=None, description="The visit as saved; null when errors is not empty."
    )
    errors: list[UserError] = strawberry.field(default_factory=list, description=PAYLOAD_ERRORS)


@strawberry.input(description="The notice's text in one language.")
class PrivacyNoticeTextInput:
    locale: str = strawberry.field(description='BCP 47 language tag, e.g. "zh-CN" or "en".')
    text: str = strawberry.field(description="The notice (Markdown), 1–20,000 characters.")


@strawberry.input(description="A new version of the privacy notice.")
class PublishPrivacyNoticeInput:
    texts: list[PrivacyNoticeTextInput] = strawberry.field(description="One text per locale; zh-CN is required.")


@strawberry.type(description="The result of publishPrivacyNotice.")
class PrivacyNoticePayload:
    notices: list[PrivacyNotice] = strawberry.field(
        default_factory=list, description="The new version's texts, one per locale; empty when errors is not empty."
    )
    errors: list[UserError] = strawberry.field(default_factory=list, description=PAYLOAD_ERRORS)
