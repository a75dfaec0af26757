"""Credentials people can manage (issue 11, item 14; issue 15's API keys): changing one's password,
signing out everywhere, one's sessions, admins' user list, deactivation and password resets, and
API keys that list, expire and can be revoked — every ending reaching open sockets too."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx

from models.accounts import ApiKey, AuthToken, Organization, User
from models.base import Role
from resolvers import accounts
from schema.relay import to_global_id
from settings import Settings
from tests.accounts.factories import make_user, token_for
from tests.helpers import GraphQLClient, count_statements
from tests.realtime import Http, graphql_ws, server_in_process

PASSWORD = "correct horse battery"
VIEWER = "{ viewer { user { username } mustChangePassword } }"
LOGIN = "mutation($u: String!, $p: String!) { login(input: {username: $u, password: $p}) { token errors { code } } }"
CHANGE = """
mutation($input: ChangePasswordInput!) {
  changePassword(input: $input) { user { username } endedSessions errors { field code message } }
}"""
EVERYWHERE = "mutation { signOutEverywhere { endedSessions errors { code } } }"
SESSIONS = "{ mySessions { totalCount edges { node { id createdAt lastUsedAt expiresAt current } } } }"
REVOKE_SESSION = "mutation($id: ID!) { revokeSession(sessionId: $id) { session { id current } errors { field code } } }"
USERS = """
query($role: Role, $org: ID, $active: Boolean, $search: String, $first: Int, $after: String) {
  users(role: $role, organizationId: $org, active: $active, search: $search, first: $first, after: $after) {
    totalCount pageInfo { hasNextPage endCursor } edges { node { username isActive roles } }
  }
}"""
DEACTIVATE = "mutation($id: ID!) { deactivateUser(userId: $id) { user { username isActive } errors { field code } } }"
REACTIVATE = "mutation($id: ID!) { reactivateUser(userId: $id) { user { username isActive } errors { field code } } }"
RESET = """
mutation($input: ResetUserPasswordInput!) {
  resetUserPassword(input: $input) { user { username } temporaryPassword errors { field code message } }
}"""
CREATE_KEY = """
mutation($input: CreateApiKeyInput!) {
  createApiKey(input: $input) { secret apiKey { id name scope expiresAt revoked organization { name } } errors { field code } }
}"""
KEYS = """
query($org: ID, $revoked: Boolean) {
  apiKeys(organizationId: $org, revoked: $revoked) {
    totalCount edges { node { id name scope createdAt expiresAt lastUsedAt revokedAt revoked organization { name } } }
  }
}"""
REVOKE_KEY = "mutation($id: ID!) { revokeApiKey(apiKeyId: $id) { apiKey { id revoked } errors { field code } } }"
LESSONS = "{ lessons { totalCount } }"


def unauthenticated(result: Any, reason: str) -> None:
    assert result.status == 401, result.body
    assert result.errors[0]["extensions"] == {"code": "UNAUTHENTICATED", "reason": reason}, result.body


async def sign_in(gql: GraphQLClient, username: str, password: str = PASSWORD) -> str:
    data = await gql.ok(LOGIN, {"u": username, "p": password})
    assert data["login"]["errors"] == [], data
    token: str = data["login"]["token"]
    return token


# ------------------------------------------------------------ one's own password and sessions


async def test_changing_ones_password_ends_every_other_session(gql: GraphQLClient) -> None:
    await make_user("ming")
    here, elsewhere = await sign_in(gql, "ming"), await sign_in(gql, "ming")
    wrong = await gql.ok(
        CHANGE, {"input": {"currentPassword": "not it at all", "newPassword": "a new passphrase"}}, token=here
    )
    assert wrong["changePassword"]["errors"] == [
        {"field": "input.currentPassword", "code": "INVALID", "message": "The current password is wrong."}
    ]
    short = await gql.ok(CHANGE, {"input": {"currentPassword": PASSWORD, "newPassword": "short"}}, token=here)
    assert [(e["field"], e["code"]) for e in short["changePassword"]["errors"]] == [("input.newPassword", "INVALID")]
    done = await gql.ok(CHANGE, {"input": {"currentPassword": PASSWORD, "newPassword": "a new passphrase"}}, token=here)
    assert done["changePassword"] == {"user": {"username": "ming"}, "endedSessions": 1, "errors": []}
    assert (await gql.ok(VIEWER, token=here))["viewer"]["user"]["username"] == "ming"
    unauthenticated(await gql(VIEWER, token=elsewhere), "revoked")
    assert (await gql.ok(LOGIN, {"u": "ming", "p": PASSWORD}))["login"]["errors"][0]["code"] == "INVALID"
    await sign_in(gql, "ming", "a new passphrase")


async def test_wrong_current_passwords_are_throttled(gql: GraphQLClient) -> None:
    await make_user("ming")
    token = await sign_in(gql, "ming")
    for _ in range(5):
        wrong = await gql.ok(
            CHANGE, {"input": {"currentPassword": "a wrong guess", "newPassword": "a new passphrase"}}, token=token
        )
        assert wrong["changePassword"]["errors"][0]["code"] == "INVALID"
    right = await gql.ok(
        CHANGE, {"input": {"currentPassword": PASSWORD, "newPassword": "a new passphrase"}}, token=token
    )
    assert right["changePassword"]["errors"][0]["code"] == "RATE_LIMITED"
    assert await User.filter(username_key="ming", password_hash__contains="argon2").count() == 1
    await sign_in(gql, "ming")  # unchanged


async def test_sign_out_everywhere_ends_this_session_too(gql: GraphQLClient) -> None:
    await make_user("ming")
    here, elsewhere = await sign_in(gql, "ming"), await sign_in(gql, "ming")
    other = await token_for("hui")
    assert (await gql.ok(EVERYWHERE, token=here))["signOutEverywhere"] == {"endedSessions": 2, "errors": []}
    unauthenticated(await gql(VIEWER, token=here), "revoked")
    unauthenticated(await gql(VIEWER, token=elsewhere), "revoked")
    assert (await gql.ok(VIEWER, token=other))["viewer"]["user"]["username"] == "hui"
    anonymous = await gql.ok(EVERYWHERE)
    assert anonymous["signOutEverywhere"]["errors"] == [{"code": "UNAUTHENTICATED"}]


async def test_my_sessions_list_the_working_ones_with_their_last_use(gql: GraphQLClient) -> None:
    await make_user("ming")
    first = await sign_in(gql, "ming")
    second = await sign_in(gql, "ming")
    ended = await sign_in(gql, "ming")
    await gql.ok("mutation { logout { ok } }", token=ended)
    await token_for("hui")
    sessions = (await gql.ok(SESSIONS, token=second))["mySessions"]
    assert sessions["totalCount"] == 2
    nodes = [e["node"] for e in sessions["edges"]]
    assert [n["current"] for n in nodes] == [True, False]  # newest first
    assert nodes[0]["lastUsedAt"] is not None and nodes[1]["lastUsedAt"] is not None  # signing in is a use
    # Another session ends from here; the list follows.
    revoked = await gql.ok(REVOKE_SESSION, {"id": nodes[1]["id"]}, token=second)
    assert revoked["revokeSession"]["session"] == {"id": nodes[1]["id"], "current": False}
    unauthenticated(await gql(VIEWER, token=first), "revoked")
    assert (await gql.ok(SESSIONS, token=second))["mySessions"]["totalCount"] == 1
    # Nobody else's session can be named.
    hui_token = await AuthToken.filter(user__username_key="hui").first()
    assert hui_token is not None
    stranger = await gql.ok(REVOKE_SESSION, {"id": to_global_id("Session", hui_token.id)}, token=second)
    assert stranger["revokeSession"]["errors"] == [{"field": "sessionId", "code": "NOT_FOUND"}]
    refused = await gql(SESSIONS)
    assert refused.codes == ["UNAUTHENTICATED"] and refused.data == {"mySessions": None}


async def test_last_use_is_recorded_at_most_once_a_minute(gql: GraphQLClient) -> None:
    await make_user("ming")
    token = await sign_in(gql, "ming")
    await gql.ok(VIEWER, token=token)
    stored = await AuthToken.get(token_hash=accounts.secret_digest(token))
    assert stored.last_used_at is not None
    with count_statements() as counted:
        await gql.ok(VIEWER, token=token)
    assert not [s for s in counted.statements if s.upper().startswith("UPDATE")]
    long_ago = datetime.now(UTC) - timedelta(minutes=2)
    await AuthToken.filter(id=stored.id).update(last_used_at=long_ago)
    await gql.ok(VIEWER, token=token)
    used = (await AuthToken.get(id=stored.id)).last_used_at
    assert used is not None and used > long_ago


# ------------------------------------------------------------ users (admins)


async def test_admins_list_users_with_filters_and_pages(gql: GraphQLClient) -> None:
    admin = await token_for("root", Role.ADMIN)
    school = await Organization.create(name="第一中学", kind="SCHOOL")
    await make_user("teacher1", Role.TEACHER, organization_id=school.id, display_name="王老师")
    await make_user("pupil1", Role.LEARNER, organization_id=school.id)
    await make_user("pupil2", Role.LEARNER, organization_id=school.id)
    gone = await make_user("client1", Role.CLIENT)
    await User.filter(id=gone.id).update(is_active=False)

    async def names(**variables: Any) -> list[str]:
        page = (await gql.ok(USERS, variables, token=admin))["users"]
        return [e["node"]["username"] for e in page["edges"]]

    assert await names() == ["client1", "pupil1", "pupil2", "root", "teacher1"]
    assert await names(role="LEARNER") == ["pupil1", "pupil2"]
    assert await names(org=to_global_id("Organization", school.id)) == ["pupil1", "pupil2", "teacher1"]
    assert await names(active=False) == ["client1"]
    assert await names(search="王老") == ["teacher1"]
    assert await names(search="PUPIL") == ["pupil1", "pupil2"]
    assert await names(search="%") == []  # a wildcard is a character like any other
    first = (await gql.ok(USERS, {"first": 2}, token=admin))["users"]
    assert first["totalCount"] == 5 and first["pageInfo"]["hasNextPage"]
    rest = (await gql.ok(USERS, {"first": 10, "after": first["pageInfo"]["endCursor"]}, token=admin))["users"]
    assert [e["node"]["username"] for e in rest["edges"]] == ["pupil2", "root", "teacher1"]
    too_long = await gql(USERS, {"search": "x" * 101}, token=admin)
    assert too_long.codes == ["INVALID"]


async def test_only_admins_manage_accounts_and_keys(gql: GraphQLClient) -> None:
    org = await Organization.create(name="LMS school", kind="SCHOOL")
    target = await make_user("pupil", Role.LEARNER)
    key = await accounts.create_api_key(name="lms", organization=org)
    uid = to_global_id("User", target.id)
    for token in (
        await token_for("teacher", Role.TEACHER, organization_id=org.id),
        await token_for("editor", Role.EDITOR),
        await token_for("expert", Role.EXPERT),
        key,
        None,
    ):
        for query in (USERS, KEYS):
            refused = await gql(query, token=token)
            # Signed out: UNAUTHENTICATED (signing in might help); anyone else FORBIDDEN (docs/api-guide.md).
            code = "UNAUTHENTICATED" if token is None else "FORBIDDEN"
            assert refused.status == 200 and refused.codes == [code], refused.body
        for mutation, variables in (
            (DEACTIVATE, {"id": uid}),
            (REACTIVATE, {"id": uid}),
            (RESET, {"input": {"userId": uid}}),
            (CREATE_KEY, {"input": {"name": "k", "organizationId": to_global_id("Organization", org.id)}}),
            (REVOKE_KEY, {"id": to_global_id("ApiKey", 1)}),
        ):
            data = await gql.ok(mutation, variables, token=token)
            assert next(iter(data.values()))["errors"][0]["code"] == code, (mutation, data)
    assert (await User.get(id=target.id)).is_active
    assert await ApiKey.filter(revoked_at__isnull=True).count() == 1


async def test_deactivation_ends_the_persons_sessions_and_sockets(settings: Settings) -> None:
    admin = await token_for("root", Role.ADMIN)
    pupil = await make_user("pupil", Role.CLIENT)
    token = (await accounts._open_session(pupil)).token
    uid = to_global_id("User", pupil.id)
    async with server_in_process(settings) as address, graphql_ws(address, token) as ws:
        await ws.subscribe("subscription { consultationUpdated { id } }")
        data = await Http(address).ok(DEACTIVATE, {"id": uid}, token=admin)
        assert data["deactivateUser"] == {"user": {"username": "pupil", "isActive": False}, "errors": []}
        assert (await ws.closed())[:2] == (4401, "deactivated")
        async with httpx.AsyncClient() as client:
            response = await client.post(
                f"http://{address}/graphql", json={"query": VIEWER}, headers={"Authorization": f"Bearer {token}"}
            )
        assert response.status_code == 401
        assert response.json()["errors"][0]["extensions"]["reason"] == "deactivated"


async def test_deactivate_and_reactivate(gql: GraphQLClient) -> None:
    admin = await token_for("root", Role.ADMIN)
    pupil = await make_user("pupil", Role.LEARNER)
    old = await sign_in(gql, "pupil")
    uid = to_global_id("User", pupil.id)
    await gql.ok(DEACTIVATE, {"id": uid}, token=admin)
    assert (await gql.ok(LOGIN, {"u": "pupil", "p": PASSWORD}))["login"]["errors"][0]["code"] == "INVALID"
    again = await gql.ok(DEACTIVATE, {"id": uid}, token=admin)  # idempotent
    assert again["deactivateUser"]["user"]["isActive"] is False
    back = await gql.ok(REACTIVATE, {"id": uid}, token=admin)
    assert back["reactivateUser"] == {"user": {"username": "pupil", "isActive": True}, "errors": []}
    await sign_in(gql, "pupil")
    unauthenticated(await gql(VIEWER, token=old), "revoked")  # old sessions stay ended
    root = await User.get(username_key="root")
    own = await gql.ok(DEACTIVATE, {"id": to_global_id("User", root.id)}, token=admin)
    assert own["deactivateUser"]["errors"] == [{"field": "userId", "code": "INVALID"}]
    missing = await gql.ok(DEACTIVATE, {"id": to_global_id("User", 99999)}, token=admin)
    assert missing["deactivateUser"]["errors"] == [{"field": "userId", "code": "NOT_FOUND"}]


async def test_an_admin_resets_a_password(gql: GraphQLClient) -> None:
    admin = await token_for("root", Role.ADMIN)
    pupil = await make_user("pupil", Role.LEARNER)
    old = await sign_in(gql, "pupil")
    uid = to_global_id("User", pupil.id)
    generated = (await gql.ok(RESET, {"input": {"userId": uid}}, token=admin))["resetUserPassword"]
    assert generated["errors"] == [] and len(generated["temporaryPassword"]) >= 10
    unauthenticated(await gql(VIEWER, token=old), "revoked")
    temporary = await sign_in(gql, "pupil", generated["temporaryPassword"])
    assert (await gql.ok(VIEWER, token=temporary))["viewer"]["mustChangePassword"] is True
    changed = await gql.ok(
        CHANGE,
        {"input": {"currentPassword": generated["temporaryPassword"], "newPassword": "my own passphrase"}},
        token=temporary,
    )
    assert changed["changePassword"]["errors"] == []
    assert (await gql.ok(VIEWER, token=temporary))["viewer"]["mustChangePassword"] is False
    chosen = await gql.ok(RESET, {"input": {"userId": uid, "newPassword": "chosen by admin"}}, token=admin)
    assert chosen["resetUserPassword"]["temporaryPassword"] is None
    await sign_in(gql, "pupil", "chosen by admin")
    weak = await gql.ok(RESET, {"input": {"userId": uid, "newPassword": "short"}}, token=admin)
    assert weak["resetUserPassword"]["errors"][0]["field"] == "input.newPassword"


# ------------------------------------------------------------ API keys


async def test_admins_create_list_and_revoke_api_keys(gql: GraphQLClient) -> None:
    admin = await token_for("root", Role.ADMIN)
    org = await Organization.create(name="LMS school", kind="SCHOOL")
    org_id = to_global_id("Organization", org.id)
    created = (await gql.ok(CREATE_KEY, {"input": {"name": " Moodle ", "organizationId": org_id}}, token=admin))[
        "createApiKey"
    ]
    assert created["errors"] == [] and created["secret"].startswith("bk_")
    assert created["apiKey"]["name"] == "Moodle" and created["apiKey"]["organization"] == {"name": "LMS school"}
    assert "organization" in created["apiKey"]["scope"]
    secret = created["secret"]
    assert (await gql.ok(LESSONS, token=secret))["lessons"]["totalCount"] == 0
    listed = await gql(KEYS, token=admin)
    assert secret not in json.dumps(listed.body)
    node = listed.data["apiKeys"]["edges"][0]["node"]
    assert node["lastUsedAt"] is not None and node["revoked"] is False and node["expiresAt"] is None
    revoked = await gql.ok(REVOKE_KEY, {"id": node["id"]}, token=admin)
    assert revoked["revokeApiKey"] == {"apiKey": {"id": node["id"], "revoked": True}, "errors": []}
    # Issue 15, must show: a revoked key's next request is 401 UNAUTHENTICATED.
    unauthenticated(await gql(LESSONS, token=secret), "revoked")
    assert (await gql.ok(KEYS, {"revoked": False}, token=admin))["apiKeys"]["totalCount"] == 0
    assert (await gql.ok(KEYS, {"revoked": True, "org": org_id}, token=admin))["apiKeys"]["totalCount"] == 1
    missing = await gql.ok(REVOKE_KEY, {"id": to_global_id("ApiKey", 99999)}, token=admin)
    assert missing["revokeApiKey"]["errors"] == [{"field": "apiKeyId", "code": "NOT_FOUND"}]


async def test_an_expired_api_key_is_refused(gql: GraphQLClient) -> None:
    admin = await token_for("root", Role.ADMIN)
    org = await Organization.create(name="LMS school", kind="SCHOOL")
    org_id = to_global_id("Organization", org.id)
    soon = (datetime.now(UTC) + timedelta(days=30)).isoformat()
    created = (
        await gql.ok(CREATE_KEY, {"input": {"name": "lms", "organizationId": org_id, "expiresAt": soon}}, token=admin)
    )["createApiKey"]
    assert created["apiKey"]["expiresAt"] is not None
    assert (await gql.ok(LESSONS, token=created["secret"]))["lessons"]["totalCount"] == 0
    await ApiKey.all().update(expires_at=datetime.now(UTC) - timedelta(seconds=1))
    unauthenticated(await gql(LESSONS, token=created["secret"]), "expired")
    for bad in (
        (datetime.now(UTC) - timedelta(days=1)).isoformat(),
        "2026-01-01T00:00:00Z",  # past (a value without an offset is a BAD_REQUEST: tests/test_api_time.py)
        "2999-12-31T00:00:00+00:00",
    ):
        refused = await gql.ok(
            CREATE_KEY, {"input": {"name": "x", "organizationId": org_id, "expiresAt": bad}}, token=admin
        )
        assert refused["createApiKey"]["errors"] == [{"field": "input.expiresAt", "code": "INVALID"}], bad
    no_org = await gql.ok(
        CREATE_KEY, {"input": {"name": "x", "organizationId": to_global_id("Organization", 999)}}, token=admin
    )
    assert no_org["createApiKey"]["errors"] == [{"field": "input.organizationId", "code": "NOT_FOUND"}]


async def test_a_revoked_key_closes_its_socket(settings: Settings) -> None:
    admin = await token_for("root", Role.ADMIN)
    org = await Organization.create(name="LMS school", kind="SCHOOL")
    secret = await accounts.create_api_key(name="lms", organization=org)
    key = await ApiKey.get(organization_id=org.id)
    async with server_in_process(settings) as address, graphql_ws(address, secret) as ws:
        await Http(address).ok(REVOKE_KEY, {"id": to_global_id("ApiKey", key.id)}, token=admin)
        assert (await ws.closed())[:2] == (4401, "revoked")


async def test_the_key_list_reads_organizations_in_one_batch(gql: GraphQLClient) -> None:
    admin = await token_for("root", Role.ADMIN)
    for n in range(6):
        org = await Organization.create(name=f"school {n}", kind="SCHOOL")
        for k in range(3):
            await accounts.create_api_key(name=f"key {k}", organization=org)
    await gql.ok(KEYS, token=admin)  # warm: the admin's token's last use is recorded
    with count_statements() as counted:
        listed = await gql.ok(KEYS, token=admin)
    assert listed["apiKeys"]["totalCount"] == 18
    assert counted.count <= 4, counted.statements  # sign-in, page, count, organizations
