"""Accounts in GraphQL: users, organizations, sign-in and sign-up."""

from __future__ import annotations

from datetime import timedelta

import strawberry

from models import accounts as models
from models.base import OrganizationKind as OrganizationKindModel
from models.base import Role as RoleModel
from resolvers import accounts
from schema.context import Info
from schema.errors import UserError, payload
from schema.node import register_node
from schema.relay import Connection, Node, PageArgs, decode_id, paginate_listing, to_global_id

# strawberry.enum registers the model's enum in place; the alias lets type checkers read it as a type.
Role = RoleModel
strawberry.enum(Role)
OrganizationKind = OrganizationKindModel
strawberry.enum(OrganizationKind)


@strawberry.type
class Organization(Node):
    id: strawberry.ID
    name: str | None
    kind: OrganizationKind | None
    region: str | None

    @classmethod
    def from_model(cls, org: models.Organization) -> Organization:
        return cls(id=to_global_id("Organization", org.id), name=org.name, kind=org.kind, region=org.region)


@strawberry.type
class User(Node):
    id: strawberry.ID
    username: str | None
    display_name: str | None
    roles: list[Role] | None
    organization_pk: strawberry.Private[int | None]

    @classmethod
    def from_model(cls, user: models.User) -> User:
        return cls(
            id=to_global_id("User", user.id),
            username=user.username,
            display_name=user.display_name,
            roles=[RoleModel(r) for r in user.roles],
            organization_pk=user.organization_id,
        )

    @strawberry.field
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
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
    ) -> Connection[Organization]:
        listing = accounts.organizations_for(info.context.actor)
        return await paginate_listing(PageArgs(first, after, last, before), listing, Organization.from_model)


@strawberry.input
class RegisterInput:
    username: str
    password: str
    display_name: str
    role: Role | None = strawberry.field(
        default=None, description="Only LEARNER or CLIENT may be chosen by self-registration."
    )


@strawberry.input
class LoginInput:
    username: str
    password: str


@strawberry.input
class CreateUserInput:
    username: str
    password: str
    display_name: str
    roles: list[Role]
    organization_id: strawberry.ID | None = None


@strawberry.input
class OrganizationInput:
    name: str
    kind: OrganizationKind
    region: str | None = None


@strawberry.type
class AuthPayload:
    token: str | None = strawberry.field(
        default=None, description="Bearer token for the Authorization header; null when errors is not empty."
    )
    user: User | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class LogoutPayload:
    ok: bool


@strawberry.type
class UserPayload:
    user: User | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class OrganizationPayload:
    organization: Organization | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class AccountMutation:
    @strawberry.mutation(description="Create a LEARNER or CLIENT account and sign in.")
    @payload(AuthPayload)
    async def register(self, info: Info, input: RegisterInput) -> AuthPayload:
        session = await accounts.register(
            username=input.username,
            password=input.password,
            display_name=input.display_name,
            role=input.role,
            client_address=info.context.client_address,
        )
        return AuthPayload(token=session.token, user=User.from_model(session.user))

    @strawberry.mutation(description="Sign in; failures are throttled per account and per address.")
    @payload(AuthPayload, atomic=False)
    async def login(self, info: Info, input: LoginInput) -> AuthPayload:
        session = await accounts.login(
            username=input.username,
            password=input.password,
            client_address=info.context.client_address,
            token_ttl=timedelta(seconds=info.context.settings.token_ttl_seconds),
        )
        return AuthPayload(token=session.token, user=User.from_model(session.user))

    @strawberry.mutation(
        description="Revoke the token this request was made with; sockets opened with it close (4401)."
    )
    async def logout(self, info: Info) -> LogoutPayload:
        return LogoutPayload(ok=await accounts.logout(info.context.actor, info.context.services["events"]))

    @strawberry.mutation(description="Admins only.")
    @payload(UserPayload)
    async def create_user(self, info: Info, input: CreateUserInput) -> UserPayload:
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
    async def create_organization(self, info: Info, input: OrganizationInput) -> OrganizationPayload:
        org = await accounts.create_organization(
            info.context.actor, name=input.name, kind=input.kind, region=input.region
        )
        return OrganizationPayload(organization=Organization.from_model(org))
