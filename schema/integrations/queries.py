"""Integration queries: endpoints (with their deliveries), the caller's notice settings, an organization's LRS."""

from __future__ import annotations

from typing import Annotated

import strawberry

from resolvers.integrations import notices, webhooks, xapi
from schema.context import Info
from schema.integrations.types import LearningRecordStore, NoticeSettings, WebhookEndpoint
from schema.relay import After, Before, Connection, First, Last, PageArgs, decode_id, paginate_listing


@strawberry.type
class IntegrationQuery:
    @strawberry.field(
        description=(
            "Admins: every webhook endpoint; an organization's API key: its own organization's. "
            "Anyone else: null with UNAUTHENTICATED (signed out) or FORBIDDEN."
        )
    )
    async def webhook_endpoints(
        self,
        info: Info,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> Connection[WebhookEndpoint] | None:
        listing = webhooks.visible(info.context.actor)
        return await paginate_listing(PageArgs(first, after, last, before), listing, WebhookEndpoint.from_model)

    @strawberry.field(
        description=(
            "The signed-in caller's e-mail notice settings; null with UNAUTHENTICATED for anonymous callers, "
            "FORBIDDEN for API keys."
        )
    )
    async def notice_settings(self, info: Info) -> NoticeSettings | None:
        return NoticeSettings.from_value(await notices.my_preferences(info.context.actor))

    @strawberry.field(
        description=(
            "An organization's learning record store: admins and that organization's API key; "
            "null for anyone else, as for an organization without one."
        )
    )
    async def learning_record_store(
        self,
        info: Info,
        organization_id: Annotated[strawberry.ID, strawberry.argument(description="Global ID of the organization.")],
    ) -> LearningRecordStore | None:
        pk = decode_id(organization_id, "Organization", field="organizationId")
        store = await xapi.get(info.context.actor, pk)
        return LearningRecordStore.from_model(store) if store else None
