"""A person's rights over their data (docs/privacy.md): erasure, and its cancellation by an admin."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Annotated

import strawberry

from resolvers import privacy
from resolvers.events import EventBus
from schema.accounts import User
from schema.context import Info
from schema.errors import PAYLOAD_ERRORS, UserError, payload
from schema.relay import decode_id


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
