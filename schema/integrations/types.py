"""Integration types: webhook endpoints and their deliveries, notice settings, learning record stores."""

from __future__ import annotations

from datetime import datetime
from enum import Enum
from typing import Annotated

import strawberry
from strawberry.scalars import JSON

from models import integrations as models
from resolvers import accounts
from resolvers.integrations import notices, webhooks
from resolvers.integrations.events import EventType, NoticeKind
from schema.accounts import Organization
from schema.context import Info
from schema.node import register_node
from schema.relay import After, Before, Connection, First, Last, Node, PageArgs, paginate_listing, to_global_id
from schema.shared import described_enum


@strawberry.enum(description="What a webhook endpoint can subscribe to; the payload's `type` is the dotted name.")
class WebhookEventType(Enum):
    CONTENT_PUBLISHED = strawberry.enum_value("content.published", description="A lesson or story became public.")
    CONTENT_UPDATED = strawberry.enum_value(
        "content.updated", description="A public lesson or story published an edit."
    )
    CONTENT_UNPUBLISHED = strawberry.enum_value(
        "content.unpublished", description="A lesson or story went back to draft."
    )
    CONTENT_ARCHIVED = strawberry.enum_value("content.archived", description="A public lesson or story was archived.")
    QUIZ_PUBLISHED = strawberry.enum_value("quiz.published", description="A quiz was published.")
    QUIZ_ATTEMPT_SUBMITTED = strawberry.enum_value(
        "quiz.attempt_submitted",
        description="One of the organization's learners submitted a quiz (organization endpoints only).",
    )
    CONSULTATION_ACTIVITY = strawberry.enum_value(
        "consultation.activity",
        description="Ids and kind of a consultation change, for push notices (platform endpoints only; never text or names).",
    )
    AUDIT_ALERT = strawberry.enum_value(
        "audit.alert",
        description="An audit alert, e.g. one admin opened more consultations within an hour than allowed "
        "(platform endpoints only; ids and counts, never consultation data).",
    )


def event_types(chosen: list[WebhookEventType]) -> list[EventType]:
    return [EventType(e.value) for e in chosen]


# described_enum registers the enum in place; the alias lets type checkers read it as a type.
DeliveryStatus = models.DeliveryStatus
described_enum(
    DeliveryStatus,
    "Where a delivery stands.",
    {
        "PENDING": "Waiting for its first or next try.",
        "DELIVERED": "The receiver answered with a 2xx status.",
        "FAILED": "Given up: too old to retry, or its endpoint was disabled or removed.",
        "CANCELLED": "Nothing to send any more (e.g. the message was read in time, or the person turned the notice off).",
    },
)
NoticeKindEnum = NoticeKind
described_enum(
    NoticeKind,
    "Kinds of e-mail notice a person may turn off.",
    {
        "NEW_CONSULTATION": "To an expert: someone opened a consultation with them.",
        "NEW_MESSAGE": "A message in one of the person's consultations is still unread.",
        "EXPERT_REPLIED": "To a client: their expert replied.",
        "VISIT": "An offline visit was requested or changed.",
        "ENDPOINT_DISABLED": "To an endpoint's owners: a webhook endpoint was disabled after failing.",
    },
)


@strawberry.type(description="One try at a delivery.")
class DeliveryAttempt:
    number: int = strawberry.field(description="1 for the first try, counting up.")
    attempted_at: datetime = strawberry.field(description="When the try began (UTC).")
    duration_ms: int = strawberry.field(description="How long the try took, in milliseconds.")
    response_status: int | None = strawberry.field(description="The receiver's HTTP status; null when none came.")
    error: str | None = strawberry.field(description="Why the try failed; null when it succeeded.")
    succeeded: bool = strawberry.field(description="True when the receiver answered with a 2xx status.")

    @classmethod
    def from_model(cls, attempt: models.DeliveryAttempt) -> DeliveryAttempt:
        return cls(
            number=attempt.number,
            attempted_at=attempt.started_at,
            duration_ms=attempt.duration_ms,
            response_status=attempt.response_status,
            error=attempt.error,
            succeeded=attempt.succeeded,
        )


@strawberry.type(description="One event sent (or being sent) to one endpoint, with every try.")
class WebhookDelivery(Node):
    webhook_id: str = strawberry.field(description="The webhook-id header: the same on every try and redelivery.")
    event_type: str = strawberry.field(description="The event's dotted type, e.g. content.published.")
    status: DeliveryStatus = strawberry.field(description="Where the delivery stands.")
    attempt_count: int = strawberry.field(description="Tries so far.")
    created_at: datetime = strawberry.field(description="When the event was queued (UTC).")
    next_attempt_at: datetime | None = strawberry.field(
        description="When the next try is due (UTC); null unless PENDING."
    )
    finished_at: datetime | None = strawberry.field(
        description="When it was delivered or given up (UTC); null while PENDING."
    )
    last_error: str | None = strawberry.field(description="Why the latest try failed; null when none failed.")
    data: JSON = strawberry.field(description="The event's data as stored (learner ids are rendered when sent).")
    pk: strawberry.Private[int]

    @classmethod
    def from_model(cls, message: models.OutboxMessage) -> WebhookDelivery:
        pending = message.status == models.DeliveryStatus.PENDING
        return cls(
            id=to_global_id("WebhookDelivery", message.id),
            webhook_id=message.uid,
            event_type=message.event_type,
            status=message.status,
            attempt_count=message.attempt_count,
            created_at=message.created_at,
            next_attempt_at=message.next_attempt_at if pending else None,
            finished_at=message.finished_at,
            last_error=message.last_error,
            data=JSON(message.payload),
            pk=message.id,
        )

    @strawberry.field(description="Every try, oldest first.")
    async def attempts(self, info: Info) -> list[DeliveryAttempt]:
        found = await info.context.loader(webhooks.attempts_by_message_id).load(self.pk)
        return [DeliveryAttempt.from_model(a) for a in found]


@strawberry.type(description="A URL that receives signed events (Standard Webhooks).")
class WebhookEndpoint(Node):
    url: str = strawberry.field(description="Where events are POSTed.")
    description: str = strawberry.field(description="What the endpoint is for, in the owner's words (may be empty).")
    events: list[WebhookEventType] = strawberry.field(description="The event types it receives.")
    allow_private_network: bool = strawberry.field(
        description="Whether an admin allowed it to resolve to a private-network address."
    )
    enabled: bool = strawberry.field(
        description="False once disabled by its owner or after failing too long; nothing is sent then."
    )
    failing_since: datetime | None = strawberry.field(description="When the current run of failed deliveries began.")
    disabled_at: datetime | None = strawberry.field(description="When it was disabled (UTC); null while enabled.")
    disabled_reason: str | None = strawberry.field(description="Why it was disabled; null while enabled.")
    created_at: datetime = strawberry.field(description="When it was registered (UTC).")
    pk: strawberry.Private[int]
    organization_pk: strawberry.Private[int | None]

    @classmethod
    def from_model(cls, endpoint: models.WebhookEndpoint) -> WebhookEndpoint:
        return cls(
            id=to_global_id("WebhookEndpoint", endpoint.id),
            url=endpoint.url,
            description=endpoint.description,
            events=[WebhookEventType(e.value) for e in webhooks.events_of(endpoint)],
            allow_private_network=endpoint.allow_private_network,
            enabled=endpoint.enabled,
            failing_since=endpoint.failing_since,
            disabled_at=endpoint.disabled_at,
            disabled_reason=endpoint.disabled_reason,
            created_at=endpoint.created_at,
            pk=endpoint.id,
            organization_pk=endpoint.organization_id,
        )

    @strawberry.field(description="The organization it belongs to; null for a platform-wide endpoint.")
    async def organization(self, info: Info) -> Organization | None:
        if self.organization_pk is None:
            return None
        org = await info.context.loader(accounts.organizations_by_id).load(self.organization_pk)
        return Organization.from_model(org) if org else None

    @strawberry.field(description="Deliveries to this endpoint, newest first.")
    async def deliveries(
        self,
        info: Info,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
        status: Annotated[DeliveryStatus | None, strawberry.argument(description="Only this status.")] = None,
    ) -> Connection[WebhookDelivery]:
        listing = webhooks.deliveries(self.pk, models.DeliveryStatus(status.value) if status else None)
        return await paginate_listing(PageArgs(first, after, last, before), listing, WebhookDelivery.from_model)


@register_node("WebhookEndpoint")
async def endpoint_node(info: Info, pk: int) -> WebhookEndpoint | None:
    endpoint = await webhooks.get(info.context.actor, pk)
    return WebhookEndpoint.from_model(endpoint) if endpoint else None


@strawberry.type(description="Where and which e-mail notices the caller wants (no address: none).")
class NoticeSettings:
    email: str | None = strawberry.field(description="Where notices go; null when the caller wants none.")
    muted: list[NoticeKindEnum] = strawberry.field(description="Kinds the caller turned off.")

    @classmethod
    def from_value(cls, value: notices.Preferences) -> NoticeSettings:
        return cls(email=value.email, muted=sorted(value.muted, key=lambda k: k.value))


@strawberry.type(description="An organization's xAPI learning record store (its password is never shown).")
class LearningRecordStore:
    endpoint: str = strawberry.field(description="The LRS's xAPI base URL.")
    username: str = strawberry.field(description="HTTP basic user name Beacon sends statements with.")
    account_home_page: str = strawberry.field(
        description="The xAPI actor's account.homePage for the organization's learners."
    )
    enabled: bool = strawberry.field(description="Whether statements are being sent.")
    allow_private_network: bool = strawberry.field(description="Whether an admin allowed a private-network address.")
    updated_at: datetime = strawberry.field(description="When the settings last changed (UTC).")

    @classmethod
    def from_model(cls, store: models.LearningRecordStore) -> LearningRecordStore:
        return cls(
            endpoint=store.endpoint,
            username=store.username,
            account_home_page=store.account_home_page,
            enabled=store.enabled,
            allow_private_network=store.allow_private_network,
            updated_at=store.updated_at,
        )
