"""Preview links of drafts in GraphQL: the token type, its query and mutations, and the read-only rule.

The service is resolvers/content/previews.py; docs/content.md ("Previews") and docs/api-guide.md
("Previews") say how a portal uses a token.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Annotated

import strawberry
from graphql import ExecutionResult, GraphQLError
from strawberry.extensions import SchemaExtension
from strawberry.types.graphql import OperationType

from models import content as models
from resolvers import accounts
from resolvers.content import loaders, previews
from schema.content.types import Content, wrap_content
from schema.context import Info
from schema.errors import PAYLOAD_ERRORS, UserError, payload
from schema.relay import (
    After,
    Before,
    Connection,
    First,
    Last,
    PageArgs,
    decode_any,
    decode_id,
    paginate_listing,
    to_global_id,
)

READ_ONLY_MESSAGE = "A preview link is read-only: sign in to make changes."


@strawberry.type(
    description="A read-only preview link of one lesson or story (and its translations) or of every draft. "
    "Its secret is shown once, by createPreviewToken; editors and admins only."
)
class PreviewToken:
    id: strawberry.ID = strawberry.field(description="Global ID of the token (pass it to revokePreviewToken).")
    label: str = strawberry.field(description="What the editor called it, e.g. who it is for.")
    created_at: datetime = strawberry.field(description="When it was created (UTC).")
    expires_at: datetime = strawberry.field(description="When it stops working by itself (UTC).")
    revoked_at: datetime | None = strawberry.field(description="When it was revoked (UTC); null while not revoked.")
    last_used_at: datetime | None = strawberry.field(
        description="When a request last carried it (UTC), recorded at most once a minute; null if never."
    )
    item_pk: strawberry.Private[int | None]
    creator_pk: strawberry.Private[int | None]

    @classmethod
    def from_model(cls, token: models.PreviewToken) -> PreviewToken:
        return cls(
            id=to_global_id("PreviewToken", token.id),
            label=token.label,
            created_at=token.created_at,
            expires_at=token.expires_at,
            revoked_at=token.revoked_at,
            last_used_at=token.last_used_at,
            item_pk=token.item_id,
            creator_pk=token.created_by_id,
        )

    @strawberry.field(description="True when every draft is in its scope (a preview deployment of the portal).")
    def all_drafts(self) -> bool:
        return self.item_pk is None

    @strawberry.field(description="The lesson or story it shows (with its translations); null for an all-drafts token.")
    async def item(self, info: Info) -> Content | None:
        if self.item_pk is None:
            return None
        item = await info.context.loader(loaders.items_by_id).load(self.item_pk)
        return wrap_content(item, info) if item else None

    @strawberry.field(description="Shown name of the editor who created it; null if their account is gone.")
    async def created_by_name(self, info: Info) -> str | None:
        if self.creator_pk is None:
            return None
        return await info.context.loader(accounts.display_names_by_user_id).load(self.creator_pk)

    @strawberry.field(description="Whether it still works: neither revoked nor expired.")
    def active(self) -> bool:
        return self.revoked_at is None and self.expires_at > datetime.now(UTC)


@strawberry.input(description="A new preview link: for one lesson or story, or (itemId omitted) every draft.")
class CreatePreviewTokenInput:
    label: str = strawberry.field(description="What to call it, 1–100 characters, e.g. who it is for.")
    item_id: strawberry.ID | None = strawberry.field(
        default=None,
        description="Global ID of a Lesson or Story (its translations are shown too; NOT_FOUND otherwise); "
        "null: every draft.",
    )
    expires_in_hours: int | None = strawberry.field(
        default=None,
        description="Lifetime in hours, 1 to BEACON_PREVIEW_MAX_HOURS (720 by default; INVALID otherwise); "
        "null: BEACON_PREVIEW_HOURS (72 by default).",
    )


@strawberry.type(description="The result of createPreviewToken.")
class CreatePreviewTokenPayload:
    preview_token: PreviewToken | None = strawberry.field(
        default=None, description="The new token; null when errors is not empty."
    )
    token: str | None = strawberry.field(
        default=None,
        description="The secret: send it as the 'Beacon-Preview' header. Shown this once, stored only as a digest.",
    )
    link: str | None = strawberry.field(
        default=None,
        description="BEACON_PORTAL_URL/preview?token=…(&type=lesson|story&slug=…&locale=… for one item), for "
        "the editor to share; null without a configured portal.",
    )
    errors: list[UserError] = strawberry.field(default_factory=list, description=PAYLOAD_ERRORS)


@strawberry.type(description="The result of revokePreviewToken.")
class PreviewTokenPayload:
    preview_token: PreviewToken | None = strawberry.field(
        default=None, description="The token as revoked; null when errors is not empty."
    )
    errors: list[UserError] = strawberry.field(default_factory=list, description=PAYLOAD_ERRORS)


@strawberry.type
class PreviewQuery:
    @strawberry.field(
        description=(
            "Editors and admins: every preview link (anyone's), newest first, never their secrets. Anyone else: "
            "null with UNAUTHENTICATED (signed out) or FORBIDDEN."
        )
    )
    async def preview_tokens(
        self,
        info: Info,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
        item_id: Annotated[
            strawberry.ID | None,
            strawberry.argument(description="Only links of this lesson or story (global ID)."),
        ] = None,
        active: Annotated[
            bool | None,
            strawberry.argument(description="Only working (true) or ended (false: revoked or expired) links."),
        ] = None,
    ) -> Connection[PreviewToken] | None:
        pk = _item_pk(item_id, field="itemId") if item_id else None
        listing = previews.list_tokens(info.context.actor, item_id=pk, active=active)
        return await paginate_listing(PageArgs(first, after, last, before), listing, PreviewToken.from_model)


def _item_pk(item_id: strawberry.ID, *, field: str) -> int:
    return decode_any(item_id, ("Lesson", "Story"), field=field, described="a Lesson or Story")[1]


@strawberry.type
class PreviewMutation:
    @strawberry.mutation(
        description="Editors and admins: a read-only preview link of a draft (or of every draft); the secret is "
        "shown once. UNAUTHENTICATED or FORBIDDEN for anyone else."
    )
    @payload(CreatePreviewTokenPayload)
    async def create_preview_token(
        self,
        info: Info,
        input: Annotated[
            CreatePreviewTokenInput,
            strawberry.argument(description="The item (or none: every draft), a label, a lifetime."),
        ],
    ) -> CreatePreviewTokenPayload:
        settings = info.context.settings
        pk = _item_pk(input.item_id, field="input.itemId") if input.item_id else None
        expires_in = previews.lifetime(
            input.expires_in_hours, default_hours=settings.preview_hours, max_hours=settings.preview_max_hours
        )
        token, secret = await previews.create(info.context.actor, item_id=pk, label=input.label, expires_in=expires_in)
        return CreatePreviewTokenPayload(
            preview_token=PreviewToken.from_model(token),
            token=secret,
            link=await previews.link(token, secret, settings.portal_url),
        )

    @strawberry.mutation(
        description="Editors and admins: end a preview link at once; requests carrying it get HTTP 401 "
        "UNAUTHENTICATED (reason preview_revoked)."
    )
    @payload(PreviewTokenPayload)
    async def revoke_preview_token(
        self,
        info: Info,
        id: Annotated[strawberry.ID, strawberry.argument(description="Global ID of the token (NOT_FOUND otherwise).")],
    ) -> PreviewTokenPayload:
        token = await previews.revoke(info.context.actor, decode_id(id, "PreviewToken", field="id"))
        return PreviewTokenPayload(preview_token=PreviewToken.from_model(token))


class PreviewReadOnly(SchemaExtension):
    """A mutation sent with a preview token and no sign-in is refused before it runs (FORBIDDEN, preview_read_only).

    A preview token signs nobody in, so most mutations would refuse such a caller anyway; this also
    covers the ones open to anonymous callers (register, login, …): a preview link writes nothing.
    """

    def on_execute(self) -> Iterator[None]:
        context = self.execution_context
        actor = getattr(context.context, "actor", None)
        if actor is not None and actor.preview is not None and actor.is_anonymous and _is_mutation(context):
            error = GraphQLError(READ_ONLY_MESSAGE, extensions={"code": "FORBIDDEN", "reason": "preview_read_only"})
            context.result = ExecutionResult(data=None, errors=[error])
        yield


def _is_mutation(context: object) -> bool:
    try:
        return getattr(context, "operation_type", None) == OperationType.MUTATION
    except Exception:  # no document: nothing will run  # noqa: BLE001
        return False
