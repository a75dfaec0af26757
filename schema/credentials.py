"""Credentials people can manage: their sessions and password; admins: users and API keys."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import strawberry

from models import accounts as models
from resolvers import accounts, credentials
from resolvers.events import EventBus
from schema.accounts import Organization, Role, User
from schema.context import Info
from schema.errors import PAYLOAD_ERRORS, UserError, payload
from schema.relay import After, Before, Connection, First, Last, PageArgs, decode_id, paginate_listing, to_global_id


def _events(info: Info) -> EventBus:
    events: EventBus = info.context.services["events"]
    return events


@strawberry.type(description="One sign-in of the caller (a bearer token): when it began, was last used and ends.")
class Session:
    id: strawberry.ID = strawberry.field(description="Global ID of the session (pass it to revokeSession).")
    created_at: datetime = strawberry.field(description="When the person signed in (UTC).")
    last_used_at: datetime | None = strawberry.field(
        description="Recorded at most once a minute; null if never used after signing in."
    )
    expires_at: datetime = strawberry.field(
        description="When the session ends by itself (UTC): with a refresh token, when that expires (its access "
        "tokens are renewed until then); without one, when its token expires."
    )
    current: bool = strawberry.field(description="True for the session this request was made with.")

    @classmethod
    def from_model(cls, token: models.AuthToken, current_token_id: int | None) -> Session:
        return cls(
            id=to_global_id("Session", token.id),
            created_at=token.created_at,
            last_used_at=token.last_used_at,
            expires_at=token.refresh_expires_at or token.expires_at,
            current=token.id == current_token_id,
        )


@strawberry.type(description="An organization's integration credential (its secret is never shown again).")
class ApiKey:
    id: strawberry.ID = strawberry.field(description="Global ID of the key (pass it to revokeApiKey).")
    name: str = strawberry.field(description="A label the admin gave the key, e.g. the LMS it is for.")
    scope: str = strawberry.field(description="What the key may do, in words.")
    created_at: datetime = strawberry.field(description="When it was created (UTC).")
    expires_at: datetime | None = strawberry.field(description="Null: it does not expire.")
    last_used_at: datetime | None = strawberry.field(description="Recorded at most once a minute.")
    revoked_at: datetime | None = strawberry.field(description="When it was revoked (UTC); null while usable.")
    organization_pk: strawberry.Private[int]

    @classmethod
    def from_model(cls, key: models.ApiKey) -> ApiKey:
        return cls(
            id=to_global_id("ApiKey", key.id),
            name=key.name,
            scope=credentials.API_KEY_SCOPE,
            created_at=key.created_at,
            expires_at=key.expires_at,
            last_used_at=key.last_used_at,
            revoked_at=key.revoked_at,
            organization_pk=key.organization_id,
        )

    @strawberry.field(description="True once revoked; a revoked key signs nothing in.")
    def revoked(self) -> bool:
        return self.revoked_at is not None

    @strawberry.field(description="The organization the key acts for; null if it was deleted.")
    async def organization(self, info: Info) -> Organization | None:
        org = await info.context.loader(accounts.organizations_by_id).load(self.organization_pk)
        return Organization.from_model(org) if org else None


@strawberry.type
class CredentialQuery:
    @strawberry.field(
        description="The caller's sessions that still work, newest first (null with UNAUTHENTICATED when signed out, FORBIDDEN for an API key)."
    )
    async def my_sessions(
        self,
        info: Info,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> Connection[Session] | None:
        actor = info.context.actor
        listing = await credentials.my_sessions(actor)
        return await paginate_listing(
            PageArgs(first, after, last, before), listing, lambda t: Session.from_model(t, actor.token_id)
        )

    @strawberry.field(
        description="Every account, by username; admins only (null with UNAUTHENTICATED when signed out, else FORBIDDEN)."
    )
    async def users(
        self,
        info: Info,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
        role: Annotated[Role | None, strawberry.argument(description="Only accounts with this role.")] = None,
        organization_id: Annotated[
            strawberry.ID | None, strawberry.argument(description="Only members of this organization (global ID).")
        ] = None,
        active: Annotated[
            bool | None, strawberry.argument(description="Only active (true) or deactivated (false) accounts.")
        ] = None,
        search: Annotated[
            str | None,
            strawberry.argument(description="Part of a username or display name (at most 100 characters)."),
        ] = None,
    ) -> Connection[User] | None:
        where = credentials.UserFilter(
            role=role,
            organization_id=decode_id(organization_id, "Organization", field="organizationId")
            if organization_id
            else None,
            active=active,
            search=search,
        )
        listing = credentials.list_users(info.context.actor, where)
        return await paginate_listing(PageArgs(first, after, last, before), listing, User.from_model)

    @strawberry.field(
        description=(
            "Organizations' API keys, newest first; admins only (null with UNAUTHENTICATED when signed out, "
            "else FORBIDDEN)."
        )
    )
    async def api_keys(
        self,
        info: Info,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
        organization_id: Annotated[
            strawberry.ID | None, strawberry.argument(description="Only keys of this organization (global ID).")
        ] = None,
        revoked: Annotated[
            bool | None, strawberry.argument(description="Only revoked (true) or usable (false) keys.")
        ] = None,
    ) -> Connection[ApiKey] | None:
        listing = credentials.list_api_keys(
            info.context.actor,
            organization_id=decode_id(organization_id, "Organization", field="organizationId")
            if organization_id
            else None,
            revoked=revoked,
        )
        return await paginate_listing(PageArgs(first, after, last, before), listing, ApiKey.from_model)


@strawberry.input(description="The caller's current password and the new one.")
class ChangePasswordInput:
    current_password: str = strawberry.field(
        description="The password in use now (INVALID when wrong; RATE_LIMITED after repeated failures)."
    )
    new_password: str = strawberry.field(
        description="The new password (10–256 characters, different from the current one); stored only as an argon2 hash."
    )


@strawberry.input(description="Whose password an admin resets.")
class ResetUserPasswordInput:
    user_id: strawberry.ID = strawberry.field(description="Global ID of the account.")
    new_password: str | None = strawberry.field(
        default=None, description="A temporary password; null: one is generated and returned once."
    )


@strawberry.input(description="A new API key for an organization.")
class CreateApiKeyInput:
    name: str = strawberry.field(description="A label for the key (1–100 characters), e.g. the LMS it is for.")
    organization_id: strawberry.ID = strawberry.field(
        description="Global ID of the organization the key acts for (NOT_FOUND otherwise)."
    )
    expires_at: datetime | None = strawberry.field(default=None, description="Null: the key does not expire.")


@strawberry.type(description="The result of changePassword.")
class ChangePasswordPayload:
    user: User | None = strawberry.field(
        default=None, description="The caller's account; null when errors is not empty."
    )
    ended_sessions: int | None = strawberry.field(default=None, description="How many other sessions ended.")
    errors: list[UserError] = strawberry.field(default_factory=list, description=PAYLOAD_ERRORS)


@strawberry.type(description="The result of signOutEverywhere.")
class SignOutEverywherePayload:
    ended_sessions: int | None = strawberry.field(default=None, description="How many sessions ended (this one too).")
    errors: list[UserError] = strawberry.field(default_factory=list, description=PAYLOAD_ERRORS)


@strawberry.type(description="The result of revokeSession.")
class SessionPayload:
    session: Session | None = strawberry.field(
        default=None, description="The session as ended; null when errors is not empty."
    )
    errors: list[UserError] = strawberry.field(default_factory=list, description=PAYLOAD_ERRORS)


@strawberry.type(description="The result of deactivating or reactivating an account.")
class AccountStatePayload:
    user: User | None = strawberry.field(
        default=None, description="The account in its new state; null when errors is not empty."
    )
    errors: list[UserError] = strawberry.field(default_factory=list, description=PAYLOAD_ERRORS)


@strawberry.type(description="The result of resetUserPassword.")
class ResetUserPasswordPayload:
    user: User | None = strawberry.field(default=None, description="The account; null when errors is not empty.")
    temporary_password: str | None = strawberry.field(
        default=None, description="The generated password, shown this once; null when the admin chose it."
    )
    errors: list[UserError] = strawberry.field(default_factory=list, description=PAYLOAD_ERRORS)


@strawberry.type(description="The result of createApiKey.")
class CreateApiKeyPayload:
    api_key: ApiKey | None = strawberry.field(default=None, description="The new key; null when errors is not empty.")
    secret: str | None = strawberry.field(
        default=None, description="Send as 'Authorization: Bearer <secret>'; shown this once, stored hashed."
    )
    errors: list[UserError] = strawberry.field(default_factory=list, description=PAYLOAD_ERRORS)


@strawberry.type(description="The result of revokeApiKey.")
class ApiKeyPayload:
    api_key: ApiKey | None = strawberry.field(
        default=None, description="The key as revoked; null when errors is not empty."
    )
    errors: list[UserError] = strawberry.field(default_factory=list, description=PAYLOAD_ERRORS)


@strawberry.type(description="A new second-factor secret: add it to an authenticator app, then confirm a code.")
class SecondFactorEnrolmentPayload:
    secret: str | None = strawberry.field(default=None, description="The secret as base32 text, to type in.")
    otpauth_uri: str | None = strawberry.field(
        default=None, description="The otpauth:// URI an authenticator app reads (e.g. from a QR code of it)."
    )
    errors: list[UserError] = strawberry.field(default_factory=list, description=PAYLOAD_ERRORS)


@strawberry.type(description="The result of confirmSecondFactor.")
class ConfirmSecondFactorPayload:
    token: str | None = strawberry.field(
        default=None,
        description="For an enrolment sign-in: the full session's bearer token (the enrolment token ended); "
        "null when the caller was signed in already.",
    )
    refresh_token: str | None = strawberry.field(
        default=None,
        description="With `token`, for accounts whose sessions renew (not experts and admins): the refresh token "
        "for refreshSession; null otherwise.",
    )
    user: User | None = strawberry.field(
        default=None, description="The account that set up its second factor; null when errors is not empty."
    )
    recovery_codes: list[str] | None = strawberry.field(
        default=None,
        description="Ten single-use codes that stand in for the authenticator app; shown this once, stored hashed.",
    )
    errors: list[UserError] = strawberry.field(default_factory=list, description=PAYLOAD_ERRORS)


@strawberry.type
class CredentialMutation:
    @strawberry.mutation(
        description="Begin setting up a TOTP second factor (an enrolment sign-in, or a signed-in person without "
        "one); calling it again replaces the unconfirmed secret."
    )
    @payload(SecondFactorEnrolmentPayload, atomic=False)
    async def begin_second_factor_enrolment(self, info: Info) -> SecondFactorEnrolmentPayload:
        enrolment = await credentials.begin_second_factor(info.context.actor)
        return SecondFactorEnrolmentPayload(secret=enrolment.secret, otpauth_uri=enrolment.otpauth_uri)

    @strawberry.mutation(
        description="Confirm the second factor with a current code: it is in force from now on, and ten "
        "recovery codes are returned once. Wrong codes are throttled."
    )
    @payload(ConfirmSecondFactorPayload, atomic=False)
    async def confirm_second_factor(
        self,
        info: Info,
        code: Annotated[str, strawberry.argument(description="The current 6-digit code from the app.")],
    ) -> ConfirmSecondFactorPayload:
        confirmed = await credentials.confirm_second_factor(
            info.context.actor, code, accounts.SessionPolicy.of(info.context.settings)
        )
        return ConfirmSecondFactorPayload(
            token=confirmed.token,
            refresh_token=confirmed.refresh_token,
            user=User.from_model(confirmed.user),
            recovery_codes=confirmed.recovery_codes,
        )

    @strawberry.mutation(
        description="Admins: remove a person's second factor and recovery codes (a lost phone); their sessions "
        "end and their next sign-in sets up a new one. Recorded in the account audit."
    )
    @payload(AccountStatePayload, atomic=False)
    async def reset_user_second_factor(
        self,
        info: Info,
        user_id: Annotated[
            strawberry.ID, strawberry.argument(description="Global ID of the person (not one's own account).")
        ],
    ) -> AccountStatePayload:
        pk = decode_id(user_id, "User", field="userId")
        user = await credentials.reset_second_factor(info.context.actor, _events(info), pk)
        return AccountStatePayload(user=User.from_model(user))

    @strawberry.mutation(
        description="Change one's own password (the current one is checked; wrong ones are throttled). "
        "Every other session of the caller ends, sockets included; this one goes on."
    )
    @payload(ChangePasswordPayload, atomic=False)
    async def change_password(
        self,
        info: Info,
        input: Annotated[ChangePasswordInput, strawberry.argument(description="Current and new password.")],
    ) -> ChangePasswordPayload:
        user, ended = await credentials.change_password(
            info.context.actor, _events(info), current=input.current_password, new=input.new_password
        )
        return ChangePasswordPayload(user=User.from_model(user), ended_sessions=ended)

    @strawberry.mutation(description="End every session of the caller, this one included, and close their sockets.")
    @payload(SignOutEverywherePayload, atomic=False)
    async def sign_out_everywhere(self, info: Info) -> SignOutEverywherePayload:
        ended = await credentials.sign_out_everywhere(info.context.actor, _events(info))
        return SignOutEverywherePayload(ended_sessions=ended)

    @strawberry.mutation(description="End one of the caller's own sessions (see mySessions).")
    @payload(SessionPayload, atomic=False)
    async def revoke_session(
        self,
        info: Info,
        session_id: Annotated[
            strawberry.ID,
            strawberry.argument(description="Global ID of one of the caller's own sessions (NOT_FOUND otherwise)."),
        ],
    ) -> SessionPayload:
        actor = info.context.actor
        token = await credentials.revoke_session(
            actor, _events(info), decode_id(session_id, "Session", field="sessionId")
        )
        return SessionPayload(session=Session.from_model(token, actor.token_id))

    @strawberry.mutation(description="Admins: the account can no longer sign in; its sessions and sockets end at once.")
    @payload(AccountStatePayload, atomic=False)
    async def deactivate_user(
        self,
        info: Info,
        user_id: Annotated[
            strawberry.ID,
            strawberry.argument(
                description="Global ID of the account (NOT_FOUND otherwise; INVALID for the caller's own)."
            ),
        ],
    ) -> AccountStatePayload:
        pk = decode_id(user_id, "User", field="userId")
        user = await credentials.deactivate_user(info.context.actor, _events(info), pk)
        return AccountStatePayload(user=User.from_model(user))

    @strawberry.mutation(description="Admins: a deactivated account may sign in again (old sessions stay ended).")
    @payload(AccountStatePayload, atomic=False)
    async def reactivate_user(
        self,
        info: Info,
        user_id: Annotated[
            strawberry.ID, strawberry.argument(description="Global ID of the account (NOT_FOUND otherwise).")
        ],
    ) -> AccountStatePayload:
        user = await credentials.reactivate_user(info.context.actor, decode_id(user_id, "User", field="userId"))
        return AccountStatePayload(user=User.from_model(user))

    @strawberry.mutation(
        description="Admins: set a temporary password (or have one generated); the person's sessions end "
        "and they are asked to choose their own (mustChangePassword)."
    )
    @payload(ResetUserPasswordPayload, atomic=False)
    async def reset_user_password(
        self,
        info: Info,
        input: Annotated[
            ResetUserPasswordInput,
            strawberry.argument(description="The account and, optionally, the temporary password."),
        ],
    ) -> ResetUserPasswordPayload:
        pk = decode_id(input.user_id, "User", field="input.userId")
        user, generated = await credentials.reset_user_password(
            info.context.actor, _events(info), pk, input.new_password
        )
        return ResetUserPasswordPayload(user=User.from_model(user), temporary_password=generated)

    @strawberry.mutation(description="Admins: a new API key for an organization; the secret is shown once.")
    @payload(CreateApiKeyPayload, atomic=False)
    async def create_api_key(
        self,
        info: Info,
        input: Annotated[
            CreateApiKeyInput, strawberry.argument(description="The organization, a label and an optional expiry.")
        ],
    ) -> CreateApiKeyPayload:
        org = decode_id(input.organization_id, "Organization", field="input.organizationId")
        key, secret = await credentials.create_api_key(
            info.context.actor, name=input.name, organization_id=org, expires_at=input.expires_at
        )
        return CreateApiKeyPayload(api_key=ApiKey.from_model(key), secret=secret)

    @strawberry.mutation(description="Admins: revoke an API key; its next request gets HTTP 401 UNAUTHENTICATED.")
    @payload(ApiKeyPayload, atomic=False)
    async def revoke_api_key(
        self,
        info: Info,
        api_key_id: Annotated[
            strawberry.ID, strawberry.argument(description="Global ID of the key (NOT_FOUND otherwise).")
        ],
    ) -> ApiKeyPayload:
        pk = decode_id(api_key_id, "ApiKey", field="apiKeyId")
        key = await credentials.revoke_api_key(info.context.actor, _events(info), pk)
        return ApiKeyPayload(api_key=ApiKey.from_model(key))
