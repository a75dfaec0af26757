"""A person's rights over their data (docs/privacy.md): erasure, and its cancellation by an admin."""

from __future__ import annotations

from datetime import datetime, timedelta
from enum import Enum
from typing import Annotated

import strawberry

from models import accounts as accounts_models
from resolvers import exports, privacy
from resolvers.events import EventBus
from schema.accounts import User
from schema.context import Info
from schema.errors import PAYLOAD_ERRORS, UserError, payload
from schema.relay import decode_id, to_global_id


def _events(info: Info) -> EventBus:
    events: EventBus = info.context.services["events"]
    return events


@strawberry.input(
    description="Who is to be erased: oneself (confirmed with one's password), or, for admins, another person."
)
class RequestAccountDeletionInput:
    password: str | None = strawberry.field(
        default=None, description="One's current password, to delete one's own account (wrong ones are throttled)."
    )
    user_id: strawberry.ID | None = strawberry.field(
        default=None, description="Admins: the person to erase on their behalf; null: oneself."
    )
    reason: str | None = strawberry.field(
        default=None, description="Admins acting for someone: why (at most 300 characters); recorded in the audit log."
    )


@strawberry.input(description="An admin cancels a pending erasure.")
class CancelAccountDeletionInput:
    user_id: strawberry.ID = strawberry.field(description="The person whose deletion is pending.")
    reason: str = strawberry.field(description="Why (at most 300 characters); recorded in the audit log.")


@strawberry.type(description="The account whose deletion was asked for or cancelled.")
class AccountDeletionPayload:
    user: User | None = strawberry.field(
        default=None, description="The account (deactivated while deletion is pending)."
    )
    erases_after: datetime | None = strawberry.field(
        default=None, description="When the grace period ends and the account is erased; null once cancelled."
    )
    errors: list[UserError] = strawberry.field(default_factory=list, description=PAYLOAD_ERRORS)


@strawberry.enum(description="Where an export of one's data stands.")
class DataExportStatus(Enum):
    PENDING = strawberry.enum_value("PENDING", description="Being prepared in the background.")
    READY = strawberry.enum_value("READY", description="Ready: the link downloads it once, until it expires.")
    DOWNLOADED = strawberry.enum_value("DOWNLOADED", description="Downloaded; the link no longer works.")
    EXPIRED = strawberry.enum_value("EXPIRED", description="Not downloaded in time, or superseded by a newer export.")
    FAILED = strawberry.enum_value("FAILED", description="It could not be prepared; ask again.")


@strawberry.type(description='One export of a person\'s data (docs/privacy.md, "Export format").')
class DataExport:
    id: strawberry.ID = strawberry.field(description="This export's ID.")
    status: DataExportStatus = strawberry.field(description="Where it stands; poll myDataExports for READY.")
    requested_at: datetime = strawberry.field(description="When it was asked for.")
    ready_at: datetime | None = strawberry.field(description="When it was ready to download.")
    expires_at: datetime = strawberry.field(description="When its link stops working.")
    downloaded_at: datetime | None = strawberry.field(description="When it was downloaded (once).")

    @classmethod
    def from_model(cls, export: accounts_models.DataExport) -> DataExport:
        return cls(
            id=strawberry.ID(to_global_id("DataExport", export.id)),
            status=DataExportStatus(export.status.value),
            requested_at=export.created_at,
            ready_at=export.ready_at,
            expires_at=export.expires_at,
            downloaded_at=export.downloaded_at,
        )


@strawberry.input(description="Whose data to export: one's own, or, for admins, another person's.")
class ExportMyDataInput:
    user_id: strawberry.ID | None = strawberry.field(
        default=None, description="Admins: the person whose data to export; null: one's own."
    )
    reason: str | None = strawberry.field(
        default=None, description="Admins acting for someone: why (at most 300 characters); recorded in the audit log."
    )


@strawberry.type(description="An export being prepared, and the one link that will download it.")
class ExportMyDataPayload:
    export: DataExport | None = strawberry.field(default=None, description="The export, PENDING while it is prepared.")
    download_url: str | None = strawberry.field(
        default=None,
        description="Downloads the ZIP once it is READY: once, until expiresAt. Shown this once (stored hashed).",
    )
    errors: list[UserError] = strawberry.field(default_factory=list, description=PAYLOAD_ERRORS)


@strawberry.type
class PrivacyQuery:
    @strawberry.field(
        description=(
            "The caller's newest exports (at most 10), newest first: poll for READY. "
            "Null with UNAUTHENTICATED for anyone not signed in as a person."
        )
    )
    async def my_data_exports(self, info: Info) -> list[DataExport] | None:
        return [DataExport.from_model(e) for e in await exports.recent(info.context.actor)]


@strawberry.type
class PrivacyMutation:
    @strawberry.mutation(
        description="Ask for an account's erasure: it is deactivated at once (sessions and sockets end) and erased "
        "after the grace period; an admin can cancel it meanwhile. Staff accounts are FORBIDDEN."
    )
    @payload(AccountDeletionPayload, atomic=False)
    async def request_account_deletion(
        self,
        info: Info,
        input: Annotated[
            RequestAccountDeletionInput,
            strawberry.argument(
                description="Oneself with one's password, or (admins) someone else with a reason (INVALID for a wrong password or a missing reason, RATE_LIMITED after repeated wrong passwords, FORBIDDEN for staff accounts)."
            ),
        ],
    ) -> AccountDeletionPayload:
        pk = decode_id(input.user_id, "User", field="input.userId") if input.user_id is not None else None
        user = await privacy.request_deletion(
            info.context.actor, _events(info), user_id=pk, password=input.password, reason=input.reason
        )
        grace = timedelta(days=info.context.settings.deletion_grace_days)
        requested = user.deletion_requested_at
        return AccountDeletionPayload(user=User.from_model(user), erases_after=requested + grace if requested else None)

    @strawberry.mutation(
        description="Admins: cancel a pending erasure during its grace period; the account may sign in again."
    )
    @payload(AccountDeletionPayload, atomic=False)
    async def cancel_account_deletion(
        self,
        info: Info,
        input: Annotated[
            CancelAccountDeletionInput,
            strawberry.argument(
                description="The person and why (CONFLICT when no deletion is pending, NOT_FOUND for no such user)."
            ),
        ],
    ) -> AccountDeletionPayload:
        pk = decode_id(input.user_id, "User", field="input.userId")
        user = await privacy.cancel_deletion(info.context.actor, user_id=pk, reason=input.reason)
        return AccountDeletionPayload(user=User.from_model(user))

    @strawberry.mutation(
        description="Export a person's data (one's own; admins: anyone's, audited) as a ZIP of JSON and their files, "
        "prepared in the background; one export in preparation at a time (CONFLICT)."
    )
    @payload(ExportMyDataPayload, atomic=False)
    async def export_my_data(
        self,
        info: Info,
        input: Annotated[
            ExportMyDataInput | None,
            strawberry.argument(
                description="Null: one's own data; admins: someone else's with a reason (INVALID without one, "
                "NOT_FOUND for no such user, CONFLICT while an export of theirs is being prepared)."
            ),
        ] = None,
    ) -> ExportMyDataPayload:
        given = input or ExportMyDataInput()
        pk = decode_id(given.user_id, "User", field="input.userId") if given.user_id is not None else None
        requested = await exports.request(info.context.actor, user_id=pk, reason=given.reason)
        url = f"{info.context.settings.public_url}{exports.DOWNLOAD_PATH}?token={requested.token}"
        return ExportMyDataPayload(export=DataExport.from_model(requested.export), download_url=url)
