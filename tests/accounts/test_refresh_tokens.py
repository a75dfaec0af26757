"""Short access tokens with refresh for everyone but staff (issue 14, "Strong sign-in";
docs/accounts.md, "Short access tokens and refresh"): rotation, reuse ending the session and its
sockets, ended sessions refusing a refresh, expired access tokens renewed, staff without refresh."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx

from models.accounts import AuthToken, ThrottleEvent, UsedRefreshToken
from models.base import Role
from resolvers import accounts, retention
from resolvers.content.media import storage_for
from settings import Settings
from tests.accounts.factories import make_user
from tests.accounts.test_accounts_sessions import refused
from tests.helpers import GraphQLClient
from tests.realtime import CEILING, Http, graphql_ws, server_in_process

PASSWORD = "correct horse battery"
LOGIN = """mutation($u: String!, $p: String!) { login(input: {username: $u, password: $p}) {
  token refreshToken errors { code } } }"""
REGISTER = """mutation { register(input: {username: "newbie", password: "correct horse battery",
  displayName: "Newbie"}) { token refreshToken errors { code } } }"""
REFRESH = """mutation($r: String!) { refreshSession(refreshToken: $r) {
  token refreshToken errors { field code } } }"""
VIEWER = "{ viewer { user { username } } }"
SESSIONS = "{ mySessions { edges { node { id expiresAt } } } }"


async def sign_in(gql: GraphQLClient, username: str) -> dict[str, Any]:
    payload: dict[str, Any] = (await gql.ok(LOGIN, {"u": username, "p": PASSWORD}))["login"]
    assert payload["errors"] == [], payload
    return payload


async def refresh(gql: GraphQLClient, refresh_token: str) -> dict[str, Any]:
    payload: dict[str, Any] = (await gql.ok(REFRESH, {"r": refresh_token}))["refreshSession"]
    return payload


async def expire_access(token: str) -> None:
    """Move an access token's expiry into the past (no waiting)."""
    moved = await AuthToken.filter(token_hash=accounts.secret_digest(token)).update(
        expires_at=datetime.now(UTC) - timedelta(seconds=1)
    )
    assert moved == 1


async def test_sign_in_gives_a_short_access_token_and_a_refresh_token_stored_hashed(gql: GraphQLClient) -> None:
    await make_user("mei")
    session = await sign_in(gql, "mei")
    assert session["token"] and session["refreshToken"] and session["token"] != session["refreshToken"]
    row = await AuthToken.get(token_hash=accounts.secret_digest(session["token"]))
    assert row.refresh_hash == accounts.secret_digest(session["refreshToken"])
    now = datetime.now(UTC)
    # The access token lives an hour (BEACON_ACCESS_TOKEN_MINUTES); the session 30 days.
    assert now + timedelta(minutes=55) < row.expires_at <= now + timedelta(minutes=60)
    assert row.refresh_expires_at is not None and row.refresh_expires_at > now + timedelta(days=29)
    # mySessions tells when the session ends, not when this access token does.
    node = (await gql.ok(SESSIONS, token=session["token"]))["mySessions"]["edges"][0]["node"]
    assert datetime.fromisoformat(node["expiresAt"]) > now + timedelta(days=29)
    registered = (await gql.ok(REGISTER))["register"]
    assert registered["token"] and registered["refreshToken"]


async def test_refresh_rotates_and_the_old_access_token_ends_at_once(gql: GraphQLClient) -> None:
    await make_user("mei")
    first = await sign_in(gql, "mei")
    second = await refresh(gql, first["refreshToken"])
    assert second["errors"] == []
    assert second["token"] not in (first["token"], None)
    assert second["refreshToken"] not in (first["refreshToken"], None)
    assert (await gql.ok(VIEWER, token=second["token"]))["viewer"]["user"]["username"] == "mei"
    # Decided (docs/accounts.md): the replaced access token stops at once.
    refused(await gql(VIEWER, token=first["token"]), "invalid")
    # The same session throughout: one row, one entry in mySessions.
    assert await AuthToken.filter(user__username="mei").count() == 1
    assert len((await gql.ok(SESSIONS, token=second["token"]))["mySessions"]["edges"]) == 1
    third = await refresh(gql, second["refreshToken"])
    assert third["errors"] == [] and third["token"]


async def test_an_expired_access_token_is_401_expired_and_a_refresh_then_works(gql: GraphQLClient) -> None:
    await make_user("mei")
    session = await sign_in(gql, "mei")
    await expire_access(session["token"])
    refused(await gql(VIEWER, token=session["token"]), "expired")
    renewed = await refresh(gql, session["refreshToken"])
    assert renewed["errors"] == []
    assert (await gql.ok(VIEWER, token=renewed["token"]))["viewer"]["user"]["username"] == "mei"


async def test_an_expired_session_cannot_be_refreshed(gql: GraphQLClient) -> None:
    await make_user("mei")
    session = await sign_in(gql, "mei")
    await AuthToken.filter(user__username="mei").update(refresh_expires_at=datetime.now(UTC))
    ended = await refresh(gql, session["refreshToken"])
    assert ended["token"] is None and ended["errors"] == [{"field": "refreshToken", "code": "SESSION_ENDED"}]


async def test_reusing_a_rotated_refresh_token_ends_the_session_and_closes_its_socket(settings: Settings) -> None:
    await make_user("mei")
    quiet = replace(settings, socket_recheck_seconds=3600)  # the announcement must do it, not the sweep
    async with server_in_process(quiet) as address:
        http = Http(address)
        first = (await http.ok(LOGIN, {"u": "mei", "p": PASSWORD}))["login"]
        second = (await http.ok(REFRESH, {"r": first["refreshToken"]}))["refreshSession"]
        assert second["errors"] == []
        async with graphql_ws(address, second["token"]) as ws:
            await ws.subscribe(VIEWER)
            assert (await ws.receive())["payload"]["data"]["viewer"]["user"]["username"] == "mei"
            assert (await ws.receive())["type"] == "complete"
            # Someone presents the spent refresh token (a thief, or the owner after the thief).
            reused = (await http.ok(REFRESH, {"r": first["refreshToken"]}))["refreshSession"]
            assert reused["errors"] == [{"field": "refreshToken", "code": "REFRESH_TOKEN_REUSED"}]
            assert reused["token"] is None
            assert (await ws.closed())[:2] == (4401, "revoked")
        # The whole family ended: the current access token and the current refresh token too.
        async with httpx.AsyncClient(timeout=CEILING) as client:
            response = await client.post(
                http.url, json={"query": VIEWER}, headers={"Authorization": f"Bearer {second['token']}"}
            )
        refused((response.status_code, response.json()), "revoked")
        after = (await http.ok(REFRESH, {"r": second["refreshToken"]}))["refreshSession"]
        assert after["errors"] == [{"field": "refreshToken", "code": "SESSION_ENDED"}]


async def test_refresh_fails_after_sign_out_everywhere_revoke_session_and_deactivation(gql: GraphQLClient) -> None:
    await make_user("mei")
    admin = await make_user("boss", Role.ADMIN)
    admin_token = (await accounts._open_session(admin)).token

    everywhere = await sign_in(gql, "mei")
    await gql.ok("mutation { signOutEverywhere { endedSessions } }", token=everywhere["token"])
    assert (await refresh(gql, everywhere["refreshToken"]))["errors"] == [
        {"field": "refreshToken", "code": "SESSION_ENDED"}
    ]

    # revokeSession of a session whose access token already expired still ends its refresh.
    other, current = await sign_in(gql, "mei"), await sign_in(gql, "mei")
    await expire_access(other["token"])
    sessions = (await gql.ok(SESSIONS, token=current["token"]))["mySessions"]["edges"]
    assert len(sessions) == 2  # the expired access token's session still works: it can be refreshed
    current_id = await _session_id(gql, current["token"])
    other_id = next(e["node"]["id"] for e in sessions if e["node"]["id"] != current_id)
    revoked = await gql.ok(
        "mutation($id: ID!) { revokeSession(sessionId: $id) { errors { code } } }",
        {"id": other_id},
        token=current["token"],
    )
    assert revoked["revokeSession"]["errors"] == []
    assert (await refresh(gql, other["refreshToken"]))["errors"] == [{"field": "refreshToken", "code": "SESSION_ENDED"}]

    await expire_access(current["token"])
    mei = await make_user("mei2")
    later = await sign_in(gql, "mei2")
    await expire_access(later["token"])
    deactivated = await gql.ok(
        "mutation($id: ID!) { deactivateUser(userId: $id) { errors { code } } }",
        {"id": _gid("User", mei.id)},
        token=admin_token,
    )
    assert deactivated["deactivateUser"]["errors"] == []
    assert await AuthToken.filter(user_id=mei.id, revoked_at=None).count() == 0  # ended, though its access had expired
    assert (await refresh(gql, later["refreshToken"]))["errors"] == [{"field": "refreshToken", "code": "SESSION_ENDED"}]
    assert (await refresh(gql, "never-issued"))["errors"] == [{"field": "refreshToken", "code": "SESSION_ENDED"}]


async def test_staff_get_no_refresh_token(gql: GraphQLClient) -> None:
    await make_user("xuexpert", Role.EXPERT)
    await make_user("root", Role.ADMIN)
    for name in ("xuexpert", "root"):
        session = await sign_in(gql, name)
        assert session["token"] and session["refreshToken"] is None
        row = await AuthToken.get(token_hash=accounts.secret_digest(session["token"]))
        assert row.refresh_hash is None and row.idle_seconds is not None


async def _session_id(gql: GraphQLClient, token: str) -> str:
    data = await gql.ok("{ mySessions { edges { node { id current } } } }", token=token)
    return str(next(e["node"]["id"] for e in data["mySessions"]["edges"] if e["node"]["current"]))


def _gid(kind: str, pk: int) -> str:
    from schema.relay import to_global_id

    return to_global_id(kind, pk)


async def test_two_refreshes_with_one_token_at_once_rotate_once_and_end_the_session(gql: GraphQLClient) -> None:
    await make_user("mei")
    session = await sign_in(gql, "mei")
    answers = await asyncio.gather(*(refresh(gql, session["refreshToken"]) for _ in range(2)))
    codes = sorted(str([e["code"] for e in a["errors"]]) for a in answers)
    # One rotated; the other is a second use of the same token: reuse, so the session ended.
    assert codes == ["['REFRESH_TOKEN_REUSED']", "[]"], answers
    winner = next(a for a in answers if not a["errors"])
    refused(await gql(VIEWER, token=winner["token"]), "revoked")


async def test_unknown_refresh_tokens_are_throttled_per_address(gql: GraphQLClient) -> None:
    await make_user("mei")
    session = await sign_in(gql, "mei")
    assert (await refresh(gql, "a-guess"))["errors"] == [{"field": "refreshToken", "code": "SESSION_ENDED"}]
    [counted] = await ThrottleEvent.filter(bucket__startswith="refresh:address:")
    for _ in range(accounts.REFRESH_FAILURE_LIMIT - 1):  # as if this address had guessed that often
        await ThrottleEvent.create(bucket=counted.bucket, created_at=datetime.now(UTC))
    limited = await gql.ok(
        "mutation($r: String!) { refreshSession(refreshToken: $r) { errors { code retryAfterSeconds } } }",
        {"r": session["refreshToken"]},
    )
    [error] = limited["refreshSession"]["errors"]
    assert error["code"] == "RATE_LIMITED" and error["retryAfterSeconds"] > 0
    # Refused before the lookup, and not counted again.
    assert await ThrottleEvent.filter(bucket=counted.bucket).count() == accounts.REFRESH_FAILURE_LIMIT


async def test_erasure_removes_a_refreshed_session_and_its_spent_refresh_tokens(
    gql: GraphQLClient, settings: Settings
) -> None:
    mei = await make_user("mei")
    first = await sign_in(gql, "mei")
    second = await refresh(gql, first["refreshToken"])
    await gql.ok(
        "mutation($input: RequestAccountDeletionInput!) { requestAccountDeletion(input: $input) { errors { code } } }",
        {"input": {"password": PASSWORD}},
        token=second["token"],
    )
    made = await retention.plan(retention.Policy(erased_accounts=timedelta(0)))
    done = await retention.execute(made, storage_for(settings.data_dir / "media"))
    assert done[retention.ERASED_ACCOUNTS] == [mei.id]
    assert not await AuthToken.exists(user_id=mei.id)
    assert not await UsedRefreshToken.exists(refresh_hash=accounts.secret_digest(first["refreshToken"]))
