"""Accounts in GraphQL: users, organizations, sign-in and sign-up."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import strawberry

from models import accounts as models
from models.base import OrganizationKind as OrganizationKindModel
from models.base import Role as RoleModel
from resolvers import accounts
from schema.context import Info
from schema.errors import PAYLOAD_ERRORS, ErrorCode, UserError, payload
from schema.node import register_node
from schema.relay import (
    After,
    Before,
    Connection,
    First,
    Last,
    Node,
    PageArgs,
    decode_id,
    paginate_listing,
    to_global_id,
)
from schema.shared import described_enum

# described_enum registers the model's enum in place; the alias lets type checkers read it as a type.
Role = RoleModel
described_enum(
    Role,
    "What a person may do; one account can hold several roles.",
    {
        "LEARNER": "Learns, takes quizzes, practises wrong answers and sees their own progress (self-registrable).",
        "TEACHER": "A learner who also reads their school's reports and quiz statistics.",
        "CLIENT": "A person in community rehabilitation (or family) who consults experts; learns too (self-registrable).",
        "EXPERT": "Member of the expert pool: answers consultations addressed to them, writes help plans, schedules visits.",
        "EDITOR": "Staff who create, review and publish lessons, stories, media, questions and quizzes.",
        "ADMIN": "Platform operator: users, organizations, expert profiles, API keys and integrations, and everything editors do.",
    },
)
OrganizationKind = OrganizationKindModel
described_enum(
    OrganizationKind,
    "What kind of organization an Organization is.",
    {
        "SCHOOL": "A school (its teachers read its reports).",
        "COMMUNITY": "A town or community.",
        "REHAB_CENTER": "A community rehabilitation center.",
        "AGENCY": "A government or partner agency.",
    },
)


@strawberry.type(
    description="A school, community, rehabilitation center or agency that people and an API key belong to. Seen by its members, its API key and admins."
)
class Organization(Node):
    name: str | None = strawberry.field(description="The organization's unique name (1–200 characters).")
    kind: OrganizationKind | None = strawberry.field(description="What kind of organization it is.")
    region: str | None = strawberry.field(description="Free-text region (county, town); null when not given.")
    time_zone: str = strawberry.field(
        description=(
            "IANA time zone (e.g. Asia/Shanghai, the default) whose calendar days count learning days, "
            "report day buckets and trends."
        )
    )

    @classmethod
    def from_model(cls, org: models.Organization) -> Organization:
        return cls(
            id=to_global_id("Organization", org.id),
            name=org.name,
            kind=org.kind,
            region=org.region,
            time_zone=org.time_zone,
        )


@strawberry.type(
    description="A person's account. Looked up (node, users) only by that person and admins, who manage it; editors also see who saved a content revision."
)
class User(Node):
    username: str | None = strawberry.field(
        description="Sign-in name, unique regardless of case (3–64 letters, digits, '_', '.' or '-')."
    )
    display_name: str | None = strawberry.field(description="The name shown to others (1–100 characters).")
    roles: list[Role] | None = strawberry.field(
        description="What the person may do: people pick LEARNER or CLIENT at sign-up; admins grant the other roles."
    )
    is_active: bool | None = strawberry.field(description="False once an admin deactivated the account.")
    deletion_requested_at: datetime | None = strawberry.field(
        default=None,
        description="When the account's erasure was asked for (it is deactivated until then); null when none is pending.",
    )
    organization_pk: strawberry.Private[int | None] = None

    @classmethod
    def from_model(cls, user: models.User) -> User:
        return cls(
            id=to_global_id("User", user.id),
            username=user.username,
            display_name=user.display_name,
            roles=[RoleModel(r) for r in user.roles],
            is_active=user.is_active,
            deletion_requested_at=user.deletion_requested_at if user.erased_at is None else None,
            organization_pk=user.organization_id,
        )

    @strawberry.field(description="The school or community the person belongs to; null when none.")
    async def organization(self, info: Info) -> Organization | None:
        if self.organization_pk is None:
            return None
        org = await info.context.loader(accounts.organizations_by_id).load(self.organization_pk)
        return Organization.from_model(org) if org else None


@register_node("User")
async def user_node(info: Info, pk: int) -> User | None:
    user = await accounts.get_user(info.context.actor, pk)
    return User.from_model(user) if user else None


@register_node("Organization")
async def organization_node(info: Info, pk: int) -> Organization | None:
    org = await accounts.get_organization(info.context.actor, pk)
    return Organization.from_model(org) if org else None


@strawberry.type
class OrganizationQuery:
    @strawberry.field(description="Admins: every organization, by name. Others: their own organization, if any.")
    async def organizations(
        self,
        info: Info,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> Connection[Organization]:
        listing = accounts.organizations_for(info.context.actor)
        return await paginate_listing(PageArgs(first, after, last, before), listing, Organization.from_model)


@strawberry.input(description="A new self-registered account.")
class RegisterInput:
    username: str = strawberry.field(
        description="Sign-in name: 3–64 letters, digits, '_', '.' or '-'; unique regardless of case (else CONFLICT)."
    )
    password: str = strawberry.field(description="At least 10 characters; stored only as an argon2 hash.")
    display_name: str = strawberry.field(description="The name shown to others (1–100 characters).")
    role: Role | None = strawberry.field(
        default=None, description="Only LEARNER or CLIENT may be chosen by self-registration."
    )


@strawberry.input(description="A username and password to sign in with.")
class LoginInput:
    username: str = strawberry.field(description="Sign-in name (compared regardless of case).")
    password: str = strawberry.field(description="The account's password.")
    otp: str | None = strawberry.field(
        default=None,
        description="The 6-digit code from the authenticator app, or a recovery code, for accounts with a "
        "second factor (asked for with SECOND_FACTOR_REQUIRED).",
    )


@strawberry.input(description="An account an admin creates, with any roles.")
class CreateUserInput:
    username: str = strawberry.field(
        description="Sign-in name: 3–64 letters, digits, '_', '.' or '-'; unique regardless of case (else CONFLICT)."
    )
    password: str = strawberry.field(
        description="Initial password, at least 10 characters; stored only as an argon2 hash."
    )
    display_name: str = strawberry.field(description="The name shown to others (1–100 characters).")
    roles: list[Role] = strawberry.field(description="At least one role.")
    organization_id: strawberry.ID | None = strawberry.field(
        default=None,
        description="Global ID of the organization the person belongs to; omit for none (NOT_FOUND if it does not exist).",
    )


@strawberry.input(description="A new organization.")
class OrganizationInput:
    name: str = strawberry.field(description="Unique name, 1–200 characters (CONFLICT when taken).")
    kind: OrganizationKind = strawberry.field(description="What kind of organization it is.")
    region: str | None = strawberry.field(default=None, description="Free-text region (county, town); optional.")
    time_zone: str | None = strawberry.field(
        default=None, description="IANA time zone name (e.g. Europe/Berlin); Asia/Shanghai when left out."
    )


@strawberry.input(description="An organization's new time zone.")
class OrganizationTimeZoneInput:
    organization_id: strawberry.ID = strawberry.field(description="The organization's global ID.")
    time_zone: str = strawberry.field(description="IANA time zone name, e.g. Asia/Shanghai or Europe/Berlin.")


@strawberry.type(description="The result of register or login.")
class AuthPayload:
    token: str | None = strawberry.field(
        default=None,
        description="Bearer token for the Authorization header; null when errors is not empty. Experts' and "
        "admins' tokens live until their session ends (idle or absolute limit); everyone else's is a short "
        "access token (BEACON_ACCESS_TOKEN_MINUTES, 60) renewed with refreshToken.",
    )
    refresh_token: str | None = strawberry.field(
        default=None,
        description="For everyone but experts and admins: trade it once with refreshSession for a new token and a "
        "new refreshToken when the token expires (HTTP 401 `expired`); keep it like the token. Null for staff and "
        "when errors is not empty.",
    )
    user: User | None = strawberry.field(
        default=None, description="The signed-in account; null when errors is not empty."
    )
    enrolment_token: str | None = strawberry.field(
        default=None,
        description="With SECOND_FACTOR_ENROLMENT_REQUIRED: a bearer token, valid 15 minutes, that may only "
        "set up a second factor (beginSecondFactorEnrolment, confirmSecondFactor) or log out.",
    )
    errors: list[UserError] = strawberry.field(default_factory=list, description=PAYLOAD_ERRORS)


@strawberry.type(description="The result of refreshSession.")
class RefreshSessionPayload:
    token: str | None = strawberry.field(
        default=None, description="The new access token (the one it replaces stops working); null on errors."
    )
    refresh_token: str | None = strawberry.field(
        default=None,
        description="The new refresh token; the one just sent is spent (sending it again ends the session).",
    )
    errors: list[UserError] = strawberry.field(default_factory=list, description=PAYLOAD_ERRORS)


@strawberry.type(description="The result of logout.")
class LogoutPayload:
    ok: bool = strawberry.field(
        description="True when the token was revoked; false when the request carried no bearer token (e.g. it used an API key)."
    )


@strawberry.type(description="The result of createUser.")
class UserPayload:
    user: User | None = strawberry.field(default=None, description="The new account; null when errors is not empty.")
    errors: list[UserError] = strawberry.field(default_factory=list, description=PAYLOAD_ERRORS)


@strawberry.type(description="The result of createOrganization.")
class OrganizationPayload:
    organization: Organization | None = strawberry.field(
        default=None, description="The new organization; null when errors is not empty."
    )
    errors: list[UserError] = strawberry.field(default_factory=list, description=PAYLOAD_ERRORS)


@strawberry.type
class AccountMutation:
    @strawberry.mutation(description="Create a LEARNER or CLIENT account and sign in.")
    @payload(AuthPayload)
    async def register(
        self,
        info: Info,
        input: Annotated[
            RegisterInput,
            strawberry.argument(
                description="The account to create (INVALID, CONFLICT for a taken username, FORBIDDEN for a staff role, RATE_LIMITED per address)."
            ),
        ],
    ) -> AuthPayload:
        session = await accounts.register(
            username=input.username,
            password=input.password,
            display_name=input.display_name,
            role=input.role,
            client_address=info.context.client_address,
        )
        return AuthPayload(token=session.token, refresh_token=session.refresh_token, user=User.from_model(session.user))

    @strawberry.mutation(
        description="Sign in; failures are throttled per account and per address. Experts and admins also "
        "give a second-factor code (SECOND_FACTOR_REQUIRED), or set one up first "
        "(SECOND_FACTOR_ENROLMENT_REQUIRED with enrolmentToken)."
    )
    @payload(AuthPayload, atomic=False)
    async def login(
        self,
        info: Info,
        input: Annotated[
            LoginInput,
            strawberry.argument(
                description="Credentials (INVALID for a wrong pair, RATE_LIMITED after repeated failures)."
            ),
        ],
    ) -> AuthPayload:
        session = await accounts.login(
            username=input.username,
            password=input.password,
            otp=input.otp,
            client_address=info.context.client_address,
            policy=accounts.SessionPolicy.of(info.context.settings),
        )
        if session.enrolment_only:
            enrol = UserError(
                field=None,
                message="Set up a second factor to finish signing in.",
                code=ErrorCode.SECOND_FACTOR_ENROLMENT_REQUIRED,
            )
            return AuthPayload(enrolment_token=session.token, errors=[enrol])
        return AuthPayload(token=session.token, refresh_token=session.refresh_token, user=User.from_model(session.user))

    @strawberry.mutation(
        description="Renew a session whose access token expired (or is about to): a new token and a new "
        "refreshToken, in the same session. Needs no Authorization header. The refresh token is spent: "
        "sending it again is REFRESH_TOKEN_REUSED and ends the session everywhere; an ended session is "
        "SESSION_ENDED. Unknown tokens are throttled per address (RATE_LIMITED)."
    )
    @payload(RefreshSessionPayload, atomic=False)
    async def refresh_session(
        self,
        info: Info,
        refresh_token: Annotated[
            str, strawberry.argument(description="The refreshToken from login, register or the last refreshSession.")
        ],
    ) -> RefreshSessionPayload:
        session = await accounts.refresh_session(
            refresh_token,
            policy=accounts.SessionPolicy.of(info.context.settings),
            bus=info.context.services["events"],
            client_address=info.context.client_address,
        )
        return RefreshSessionPayload(token=session.token, refresh_token=session.refresh_token)

    @strawberry.mutation(
        description="Revoke the token this request was made with; sockets opened with it close (4401)."
    )
    async def logout(self, info: Info) -> LogoutPayload:
        return LogoutPayload(ok=await accounts.logout(info.context.actor, info.context.services["events"]))

    @strawberry.mutation(description="Admins only.")
    @payload(UserPayload)
    async def create_user(
        self,
        info: Info,
        input: Annotated[
            CreateUserInput,
            strawberry.argument(
                description="The account to create (INVALID, CONFLICT, NOT_FOUND for the organization)."
            ),
        ],
    ) -> UserPayload:
        org_id = (
            decode_id(input.organization_id, "Organization", field="input.organizationId")
            if input.organization_id
            else None
        )
        user = await accounts.create_user(
            info.context.actor,
            username=input.username,
            password=input.password,
            display_name=input.display_name,
            roles=input.roles,
            organization_id=org_id,
        )
        return UserPayload(user=User.from_model(user))

    @strawberry.mutation(description="Admins only.")
    @payload(OrganizationPayload)
    async def create_organization(
        self,
        info: Info,
        input: Annotated[
            OrganizationInput,
            strawberry.argument(description="The organization to create (INVALID, CONFLICT for a taken name)."),
        ],
    ) -> OrganizationPayload:
        org = await accounts.create_organization(
            info.context.actor, name=input.name, kind=input.kind, region=input.region, time_zone=input.time_zone
        )
        return OrganizationPayload(organization=Organization.from_model(org))

    @strawberry.mutation(
        description=(
            "Admins only: the time zone whose days the organization's learning days and reports count in "
            "from now on (days already recorded keep their date)."
        )
    )
    @payload(OrganizationPayload)
    async def set_organization_time_zone(
        self,
        info: Info,
        input: Annotated[
            OrganizationTimeZoneInput,
            strawberry.argument(
                description="The organization and its new zone (INVALID for a name zoneinfo does not know)."
            ),
        ],
    ) -> OrganizationPayload:
        org_id = decode_id(input.organization_id, "Organization", field="input.organizationId")
        org = await accounts.set_organization_time_zone(info.context.actor, org_id, input.time_zone)
        return OrganizationPayload(organization=Organization.from_model(org))
