"""Integration mutations: register and manage webhook endpoints, redeliver, notice settings, an organization's LRS."""

from __future__ import annotations

from typing import Annotated

import strawberry

from resolvers.integrations import notices, webhooks, xapi
from resolvers.integrations.events import NoticeKind
from schema.context import Info
from schema.errors import PAYLOAD_ERRORS, UserError, payload
from schema.integrations.types import (
    LearningRecordStore,
    NoticeKindEnum,
    NoticeSettings,
    WebhookDelivery,
    WebhookEndpoint,
    WebhookEventType,
    event_types,
)
from schema.relay import decode_id


def _given(value: object) -> bool:
    return value is not strawberry.UNSET


@strawberry.input(description="A new webhook endpoint.")
class WebhookEndpointInput:
    url: str = strawberry.field(description="An http(s) URL; private, loopback and link-local addresses are refused.")
    events: list[WebhookEventType] = strawberry.field(description="The event types to receive (at least one).")
    description: str | None = strawberry.field(default=None, description="What the endpoint is for.")
    organization_id: strawberry.ID | None = strawberry.field(
        default=None,
        description="Admins: the organization it belongs to (null: platform-wide). API keys always register for their own.",
    )
    allow_private_network: bool = strawberry.field(
        default=False, description="Admins only: deliver to a private-network address (e.g. an intranet LMS)."
    )


@strawberry.input(description="Changes to an endpoint; omitted fields stay.")
class WebhookEndpointPatch:
    url: str | None = strawberry.field(
        default=strawberry.UNSET, description="A new http(s) URL (private addresses refused unless allowed)."
    )
    events: list[WebhookEventType] | None = strawberry.field(
        default=strawberry.UNSET, description="The event types to receive (replaces the list)."
    )
    description: str | None = strawberry.field(default=strawberry.UNSET, description="What the endpoint is for.")
    enabled: bool | None = strawberry.field(
        default=strawberry.UNSET,
        description="Enable a disabled endpoint again (its failure clock restarts), or disable it.",
    )
    allow_private_network: bool | None = strawberry.field(default=strawberry.UNSET, description="Admins only.")


@strawberry.type(description="The result of creating, changing or re-keying a webhook endpoint.")
class WebhookEndpointPayload:
    endpoint: WebhookEndpoint | None = strawberry.field(
        default=None, description="The endpoint as saved; null when errors is not empty."
    )
    secret: str | None = strawberry.field(
        default=None,
        description="The signing secret (whsec_…), shown only in the answer that created or rotated it.",
    )
    errors: list[UserError] = strawberry.field(default_factory=list, description=PAYLOAD_ERRORS)


@strawberry.type(description="The result of deleteWebhookEndpoint.")
class DeleteWebhookEndpointPayload:
    deleted_id: strawberry.ID | None = strawberry.field(
        default=None, description="Global ID of the removed endpoint; null when errors is not empty."
    )
    errors: list[UserError] = strawberry.field(default_factory=list, description=PAYLOAD_ERRORS)


@strawberry.type(description="The result of a test send or a redelivery.")
class WebhookDeliveryPayload:
    delivery: WebhookDelivery | None = strawberry.field(
        default=None, description="The queued delivery; null when errors is not empty."
    )
    errors: list[UserError] = strawberry.field(default_factory=list, description=PAYLOAD_ERRORS)


@strawberry.input(description="The caller's e-mail notice settings; omitted fields stay.")
class NoticeSettingsInput:
    email: str | None = strawberry.field(
        default=strawberry.UNSET, description="The address to send notices to; null or empty: no e-mail notices at all."
    )
    muted: list[NoticeKindEnum] | None = strawberry.field(default=strawberry.UNSET, description="Kinds not wanted.")


@strawberry.type(description="The result of updateNoticeSettings.")
class NoticeSettingsPayload:
    settings: NoticeSettings | None = strawberry.field(
        default=None, description="The caller's settings as saved; null when errors is not empty."
    )
    errors: list[UserError] = strawberry.field(default_factory=list, description=PAYLOAD_ERRORS)


@strawberry.input(description="An organization's xAPI learning record store.")
class LearningRecordStoreInput:
    endpoint: str = strawberry.field(description="The LRS's xAPI base URL, e.g. https://lrs.example.org/xAPI")
    username: str = strawberry.field(description="HTTP basic user name for the LRS.")
    password: str = strawberry.field(description="HTTP basic password; stored sealed, never shown again.")
    account_home_page: str = strawberry.field(
        description="The organization's system that knows its learners; the xAPI actor is {homePage, name: username}."
    )
    enabled: bool = strawberry.field(default=True, description="Whether to send statements (default true).")
    allow_private_network: bool = strawberry.field(default=False, description="Admins only.")


@strawberry.type(description="The result of setting a learning record store.")
class LearningRecordStorePayload:
    store: LearningRecordStore | None = strawberry.field(
        default=None, description="The store as saved; null when errors is not empty."
    )
    errors: list[UserError] = strawberry.field(default_factory=list, description=PAYLOAD_ERRORS)


@strawberry.type
class IntegrationMutation:
    @strawberry.mutation(
        description="Admins, or an organization's API key for its own organization: register a webhook endpoint. The secret is shown once."
    )
    @payload(WebhookEndpointPayload)
    async def create_webhook_endpoint(
        self,
        info: Info,
        input: Annotated[
            WebhookEndpointInput,
            strawberry.argument(
                description="The URL, event types and owner (INVALID for a refused URL; CONFLICT past the per-organization limit)."
            ),
        ],
    ) -> WebhookEndpointPayload:
        organization_id = (
            decode_id(input.organization_id, "Organization", field="input.organizationId")
            if input.organization_id
            else None
        )
        registered = await webhooks.create(
            info.context.actor,
            url=input.url,
            chosen=event_types(input.events),
            description=input.description,
            organization_id=organization_id,
            allow_private_network=input.allow_private_network,
            secret_key=info.context.settings.secret_key,
        )
        return WebhookEndpointPayload(
            endpoint=WebhookEndpoint.from_model(registered.endpoint), secret=registered.secret
        )

    @strawberry.mutation(description="Change a webhook endpoint (who may: as createWebhookEndpoint).")
    @payload(WebhookEndpointPayload)
    async def update_webhook_endpoint(
        self,
        info: Info,
        id: Annotated[
            strawberry.ID,
            strawberry.argument(description="Global ID of an endpoint the caller manages (NOT_FOUND otherwise)."),
        ],
        patch: Annotated[WebhookEndpointPatch, strawberry.argument(description="The fields to change.")],
    ) -> WebhookEndpointPayload:
        endpoint = await webhooks.update(
            info.context.actor,
            decode_id(id, "WebhookEndpoint", field="id"),
            url=patch.url if _given(patch.url) else None,
            chosen=event_types(patch.events) if _given(patch.events) and patch.events is not None else None,
            description=patch.description if _given(patch.description) else None,
            enabled=patch.enabled if _given(patch.enabled) else None,
            allow_private_network=patch.allow_private_network if _given(patch.allow_private_network) else None,
        )
        return WebhookEndpointPayload(endpoint=WebhookEndpoint.from_model(endpoint))

    @strawberry.mutation(description="A new signing secret, shown once; the old one stops working at once.")
    @payload(WebhookEndpointPayload)
    async def rotate_webhook_secret(
        self,
        info: Info,
        id: Annotated[strawberry.ID, strawberry.argument(description="Global ID of an endpoint the caller manages.")],
    ) -> WebhookEndpointPayload:
        registered = await webhooks.rotate_secret(
            info.context.actor,
            decode_id(id, "WebhookEndpoint", field="id"),
            secret_key=info.context.settings.secret_key,
        )
        return WebhookEndpointPayload(
            endpoint=WebhookEndpoint.from_model(registered.endpoint), secret=registered.secret
        )

    @strawberry.mutation(description="Remove a webhook endpoint; its pending deliveries are given up.")
    @payload(DeleteWebhookEndpointPayload)
    async def delete_webhook_endpoint(
        self,
        info: Info,
        id: Annotated[strawberry.ID, strawberry.argument(description="Global ID of an endpoint the caller manages.")],
    ) -> DeleteWebhookEndpointPayload:
        await webhooks.delete(info.context.actor, decode_id(id, "WebhookEndpoint", field="id"))
        return DeleteWebhookEndpointPayload(deleted_id=id)

    @strawberry.mutation(
        description="Queue a signed `webhook.test` event to this endpoint alone (to check a receiver)."
    )
    @payload(WebhookDeliveryPayload)
    async def send_test_webhook(
        self,
        info: Info,
        id: Annotated[
            strawberry.ID,
            strawberry.argument(
                description="Global ID of an enabled endpoint the caller manages (CONFLICT when disabled)."
            ),
        ],
    ) -> WebhookDeliveryPayload:
        message = await webhooks.send_test(info.context.actor, decode_id(id, "WebhookEndpoint", field="id"))
        return WebhookDeliveryPayload(delivery=WebhookDelivery.from_model(message))

    @strawberry.mutation(description="Send a finished delivery again now, with the same webhook-id.")
    @payload(WebhookDeliveryPayload)
    async def redeliver_webhook(
        self,
        info: Info,
        id: Annotated[
            strawberry.ID,
            strawberry.argument(
                description="Global ID of a finished delivery of an endpoint the caller manages (CONFLICT while still being tried)."
            ),
        ],
    ) -> WebhookDeliveryPayload:
        message = await webhooks.redeliver(info.context.actor, decode_id(id, "WebhookDelivery", field="id"))
        return WebhookDeliveryPayload(delivery=WebhookDelivery.from_model(message))

    @strawberry.mutation(description="Signed-in people: where to send e-mail notices, and which kinds not to send.")
    @payload(NoticeSettingsPayload)
    async def update_notice_settings(
        self,
        info: Info,
        input: Annotated[
            NoticeSettingsInput,
            strawberry.argument(description="The address and the kinds to mute; omitted fields stay."),
        ],
    ) -> NoticeSettingsPayload:
        value = await notices.update(
            info.context.actor,
            email=input.email if _given(input.email) else None,
            email_given=_given(input.email),
            muted=[NoticeKind(k.value) for k in input.muted or []] if _given(input.muted) else None,
        )
        return NoticeSettingsPayload(settings=NoticeSettings.from_value(value))

    @strawberry.mutation(
        description="Admins, or the organization's API key: send its learners' xAPI statements to this learning record store."
    )
    @payload(LearningRecordStorePayload)
    async def set_learning_record_store(
        self,
        info: Info,
        organization_id: Annotated[strawberry.ID, strawberry.argument(description="Global ID of the organization.")],
        input: Annotated[
            LearningRecordStoreInput, strawberry.argument(description="The store's address, credentials and settings.")
        ],
    ) -> LearningRecordStorePayload:
        store = await xapi.configure(
            info.context.actor,
            organization_id=decode_id(organization_id, "Organization", field="organizationId"),
            endpoint=input.endpoint,
            username=input.username,
            password=input.password,
            account_home_page=input.account_home_page,
            enabled=input.enabled,
            allow_private_network=input.allow_private_network,
            secret_key=info.context.settings.secret_key,
        )
        return LearningRecordStorePayload(store=LearningRecordStore.from_model(store))

    @strawberry.mutation(description="Stop sending an organization's statements anywhere.")
    @payload(LearningRecordStorePayload)
    async def remove_learning_record_store(
        self,
        info: Info,
        organization_id: Annotated[strawberry.ID, strawberry.argument(description="Global ID of the organization.")],
    ) -> LearningRecordStorePayload:
        await xapi.remove(info.context.actor, decode_id(organization_id, "Organization", field="organizationId"))
        return LearningRecordStorePayload()
