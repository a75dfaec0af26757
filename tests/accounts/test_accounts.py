"""Sign-up, sign-in, tokens and the account mutations, through the real HTTP app."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from models.accounts import AuthToken, User
from models.base import Role
from tests.accounts.factories import make_user, token_for
from tests.helpers import GraphQLClient

REGISTER = """
mutation Register($input: RegisterInput!) {
  register(input: $input) { token user { id username roles } errors { field message code } }
}"""
LOGIN = """
mutation Login($input: LoginInput!) {
  login(input: $input) { token user { username } errors { field message code } }
}"""
LOGOUT = "mutation { logout { ok } }"
VIEWER = "{ viewer { user { username displayName roles } } }"
CREATE_USER = """
mutation CreateUser($input: CreateUserInput!) {
  createUser(input: $input) { user { id username roles organization { name } } errors { field code message } }
}"""
CREATE_ORG = """
mutation CreateOrg($input: OrganizationInput!) {
  createOrganization(input: $input) { organization { id name kind region } errors { field code } }
}"""


async def login(gql: GraphQLClient, username: str, password: str = "correct horse battery") -> dict:
    result = await gql(LOGIN, {"input": {"username": username, "password": password}})
    return result.data["login"]


async def test_register_then_viewer(gql: GraphQLClient) -> None:
    data = await gql.ok(
        REGISTER, {"input": {"username": "Mei_Lin", "password": "a long passphrase", "displayName": "小林"}}
    )
    payload = data["register"]
    assert payload["errors"] == []
    assert payload["user"]["roles"] == ["LEARNER"]
    viewer = await gql.ok(VIEWER, token=payload["token"])
    assert viewer["viewer"]["user"] == {"username": "Mei_Lin", "displayName": "小林", "roles": ["LEARNER"]}


async def test_register_stores_only_an_argon2_hash(gql: GraphQLClient) -> None:
    await gql.ok(REGISTER, {"input": {"username": "hashme", "password": "a long passphrase", "displayName": "H"}})
    user = await User.get(username_key="hashme")
    assert user.password_hash.startswith("$argon2id$")
    assert "a long passphrase" not in user.password_hash


async def test_register_may_choose_client_but_not_staff(gql: GraphQLClient) -> None:
    ok = await gql.ok(
        REGISTER,
        {"input": {"username": "client1", "password": "a long passphrase", "displayName": "C", "role": "CLIENT"}},
    )
    assert ok["register"]["user"]["roles"] == ["CLIENT"]
    for role in ("ADMIN", "EDITOR", "TEACHER", "EXPERT"):
        refused = await gql.ok(
            REGISTER,
            {
                "input": {
                    "username": f"x{role.lower()}",
                    "password": "a long passphrase",
                    "displayName": "X",
                    "role": role,
                }
            },
        )
        assert refused["register"]["token"] is None
        assert refused["register"]["errors"] == [
            {
                "field": "input.role",
                "message": "Only LEARNER or CLIENT can be chosen when registering.",
                "code": "FORBIDDEN",
            }
        ]
    assert not await User.exists(username_key="xadmin")


async def test_usernames_are_unique_ignoring_case(gql: GraphQLClient) -> None:
    await make_user("alice")
    data = await gql.ok(REGISTER, {"input": {"username": "ALICE", "password": "a long passphrase", "displayName": "A"}})
    assert data["register"]["errors"][0]["code"] == "CONFLICT"
    assert await User.filter(username_key="alice").count() == 1


async def test_register_validates_every_field_at_once(gql: GraphQLClient) -> None:
    data = await gql.ok(REGISTER, {"input": {"username": "a", "password": "short", "displayName": " "}})
    fields = {e["field"] for e in data["register"]["errors"]}
    assert fields == {"input.username", "input.password", "input.displayName"}
    assert await User.all().count() == 0


async def test_login_logout_and_revocation(gql: GraphQLClient) -> None:
    await make_user("alice", Role.ADMIN, display_name="Alice")
    payload = await login(gql, "alice")
    token = payload["token"]
    assert payload["errors"] == [] and token
    assert (await gql.ok(VIEWER, token=token))["viewer"]["user"]["roles"] == ["ADMIN"]
    assert (await gql.ok(LOGOUT, token=token))["logout"]["ok"] is True
    # A signed-out token is refused, not treated as anonymous (issue 11, item 1).
    for document in (VIEWER, LOGOUT):
        after = await gql(document, token=token)
        assert after.status == 401 and after.data is None
        assert after.errors[0]["extensions"] == {"code": "UNAUTHENTICATED", "reason": "revoked"}


async def test_tokens_are_stored_hashed(gql: GraphQLClient) -> None:
    await make_user("alice")
    token = (await login(gql, "alice"))["token"]
    stored = await AuthToken.all().values_list("token_hash", flat=True)
    assert token not in stored and len(stored) == 1


async def test_expired_token_is_refused(gql: GraphQLClient) -> None:
    await make_user("alice")
    token = (await login(gql, "alice"))["token"]
    await AuthToken.all().update(expires_at=datetime.now(UTC) - timedelta(seconds=1))
    refused = await gql(VIEWER, token=token)
    assert refused.status == 401 and refused.errors[0]["extensions"] == {"code": "UNAUTHENTICATED", "reason": "expired"}


async def test_wrong_password_and_unknown_user_look_the_same(gql: GraphQLClient) -> None:
    await make_user("alice")
    wrong = await login(gql, "alice", "not the password")
    unknown = await login(gql, "nobody", "not the password")
    assert (
        wrong
        == unknown
        == {
            "token": None,
            "user": None,
            "errors": [{"field": "input.password", "message": "Wrong username or password.", "code": "INVALID"}],
        }
    )


@pytest.mark.usefixtures("frozen_throttle_clock")  # the 1 s back-off must not run out
async def test_failed_logins_are_throttled_per_account(gql: GraphQLClient) -> None:
    await make_user("alice")
    for _ in range(5):
        assert (await login(gql, "alice", "wrong password!"))["errors"][0]["code"] == "INVALID"
    assert (await login(gql, "alice"))["errors"][0]["code"] == "RATE_LIMITED"
    assert (await login(gql, "ALICE"))["errors"][0]["code"] == "RATE_LIMITED"


@pytest.mark.usefixtures("frozen_throttle_clock")  # the 1 s back-off must not run out
async def test_aliases_cannot_multiply_login_attempts(gql: GraphQLClient) -> None:
    await make_user("alice")
    aliased = (
        "mutation {"
        + " ".join(
            f'a{i}: login(input: {{username: "alice", password: "guess {i} guess"}}) {{ token errors {{ code }} }}'
            for i in range(8)
        )
        + "}"
    )
    data = (await gql(aliased)).data
    codes = [data[f"a{i}"]["errors"][0]["code"] for i in range(8)]
    assert codes[:5] == ["INVALID"] * 5 and set(codes[5:]) == {"RATE_LIMITED"}
    assert (await login(gql, "alice"))["errors"][0]["code"] == "RATE_LIMITED"


async def test_batched_requests_are_refused(gql: GraphQLClient) -> None:
    body = [{"query": LOGIN, "variables": {"input": {"username": "a", "password": "b"}}}] * 3
    response = await gql.http.post("/graphql", json=body)
    assert response.status_code == 400


async def test_failed_logins_are_throttled_per_address(gql: GraphQLClient) -> None:
    # 50 failures in 15 minutes from one address, whatever the accounts (docs/security.md, 11.5).
    for i in range(50):
        assert (await login(gql, f"user{i}", "wrong password!"))["errors"][0]["code"] == "INVALID"
    await make_user("innocent")
    assert (await login(gql, "innocent"))["errors"][0]["code"] == "RATE_LIMITED"


async def test_successful_logins_do_not_count_as_failures(gql: GraphQLClient) -> None:
    await make_user("alice")
    for _ in range(7):
        assert (await login(gql, "alice"))["token"]


async def test_admin_creates_users_and_organizations(gql: GraphQLClient) -> None:
    admin = await token_for("root", Role.ADMIN)
    org = (
        await gql.ok(CREATE_ORG, {"input": {"name": "第一中学", "kind": "SCHOOL", "region": "城关区"}}, token=admin)
    )["createOrganization"]
    assert org["errors"] == [] and org["organization"]["kind"] == "SCHOOL"
    created = (
        await gql.ok(
            CREATE_USER,
            {
                "input": {
                    "username": "teacher1",
                    "password": "a long passphrase",
                    "displayName": "王老师",
                    "roles": ["TEACHER"],
                    "organizationId": org["organization"]["id"],
                }
            },
            token=admin,
        )
    )["createUser"]
    assert created["errors"] == []
    assert created["user"]["organization"]["name"] == "第一中学"
    duplicate = (await gql.ok(CREATE_ORG, {"input": {"name": "第一中学", "kind": "SCHOOL"}}, token=admin))[
        "createOrganization"
    ]
    assert duplicate["errors"] == [{"field": "input.name", "code": "CONFLICT"}]


async def test_only_admins_create_users_and_organizations(gql: GraphQLClient) -> None:
    for role in (Role.LEARNER, Role.TEACHER, Role.CLIENT, Role.EXPERT, Role.EDITOR):
        token = await token_for(f"u{role.value.lower()}", role)
        user = (
            await gql.ok(
                CREATE_USER,
                {
                    "input": {
                        "username": f"n{role.value.lower()}",
                        "password": "a long passphrase",
                        "displayName": "N",
                        "roles": ["ADMIN"],
                    }
                },
                token=token,
            )
        )["createUser"]
        assert user["errors"][0]["code"] == "FORBIDDEN"
        org = (await gql.ok(CREATE_ORG, {"input": {"name": f"org {role.value}", "kind": "SCHOOL"}}, token=token))[
            "createOrganization"
        ]
        assert org["errors"][0]["code"] == "FORBIDDEN"
    anonymous = (await gql.ok(CREATE_ORG, {"input": {"name": "anon", "kind": "SCHOOL"}}))["createOrganization"]
    assert anonymous["errors"][0]["code"] == "UNAUTHENTICATED"  # signed out: sign in first
    assert await User.filter(username_key__startswith="n").count() == 0


async def test_create_user_with_unknown_organization_writes_nothing(gql: GraphQLClient) -> None:
    admin = await token_for("root", Role.ADMIN)
    from schema.relay import to_global_id

    result = (
        await gql.ok(
            CREATE_USER,
            {
                "input": {
                    "username": "ghost",
                    "password": "a long passphrase",
                    "displayName": "G",
                    "roles": ["LEARNER"],
                    "organizationId": to_global_id("Organization", 999),
                }
            },
            token=admin,
        )
    )["createUser"]
    assert result["errors"] == [
        {"field": "input.organizationId", "code": "NOT_FOUND", "message": "No such organization."}
    ]
    bad_id = (
        await gql.ok(
            CREATE_USER,
            {
                "input": {
                    "username": "ghost",
                    "password": "a long passphrase",
                    "displayName": "G",
                    "roles": ["LEARNER"],
                    "organizationId": "garbage",
                }
            },
            token=admin,
        )
    )["createUser"]
    # "an Organization", not "a Organization": the article follows the type's name (issue 12).
    assert bad_id["errors"] == [
        {"field": "input.organizationId", "code": "INVALID", "message": "Not an Organization ID."}
    ]
    assert not await User.exists(username_key="ghost")


async def test_api_key_acts_as_its_organization(gql: GraphQLClient) -> None:
    from models.accounts import Organization
    from resolvers import accounts

    org = await Organization.create(name="LMS school", kind="SCHOOL")
    key = await accounts.create_api_key(name="lms", organization=org)
    assert key.startswith("bk_")
    assert (await gql.ok(VIEWER, token=key))["viewer"] is None
    from schema.relay import to_global_id

    node = await gql.ok(
        "query($id: ID!) { node(id: $id) { ... on Organization { name } } }",
        {"id": to_global_id("Organization", org.id)},
        token=key,
    )
    assert node["node"] == {"name": "LMS school"}
    other = await Organization.create(name="Other", kind="SCHOOL")
    hidden = await gql.ok(
        "query($id: ID!) { node(id: $id) { id } }", {"id": to_global_id("Organization", other.id)}, token=key
    )
    assert hidden["node"] is None
