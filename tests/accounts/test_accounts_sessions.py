"""Sessions end when they should (issue 11, item 1): over HTTP a credential that signs nobody in is
401 UNAUTHENTICATED with its reason, never anonymous; a graphql-ws socket is checked for every
operation and every event, and is closed with 4401 when its credential ends."""

from __future__ import annotations

import asyncio
import uuid
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from models.accounts import ApiKey, AuthToken, Organization, User
from resolvers import accounts
from resolvers.actor import Actor
from resolvers.events import CREDENTIALS_CHANNEL, InProcessEventBus, RedisEventBus, user_channel
from resolvers.sockets import LiveSockets
from settings import Settings
from tests.accounts.factories import make_user, token_for
from tests.consultations import factories as f
from tests.content.factories import upload_attachment
from tests.helpers import GraphQLClient, Response
from tests.realtime import CEILING, Http, bus_of, graphql_ws, server_in_process, server_process, subscribed

VIEWER = "{ viewer { user { username } } }"
LOGOUT = "mutation { logout { ok } }"
UPDATED = "subscription { consultationUpdated { id } }"
REDIS_URL = "redis://127.0.0.1:6379/0"


def refused(result: Response | tuple[int, dict[str, Any]], reason: str) -> None:
    status, body = (result.status, result.body) if isinstance(result, Response) else result
    assert status == 401, body
    assert body.get("data") is None, body
    assert body["errors"][0]["extensions"] == {"code": "UNAUTHENTICATED", "reason": reason}, body


async def test_no_credential_is_anonymous_and_a_bad_one_is_401_with_its_reason(gql: GraphQLClient) -> None:
    assert (await gql.ok(VIEWER))["viewer"] is None
    user = await make_user("alice")
    good = (await accounts._open_session(user)).token
    assert (await gql.ok(VIEWER, token=good))["viewer"]["user"]["username"] == "alice"

    invalid = await gql(VIEWER, token="not-a-token")
    refused(invalid, "invalid")
    assert invalid.headers["www-authenticate"].startswith('Bearer error="invalid_token"')
    # Public data is not quietly served to a bad credential either.
    refused(await gql("{ lessons { totalCount } }", token="not-a-token"), "invalid")

    expired = (await accounts._open_session(user)).token
    await AuthToken.filter(token_hash=accounts.secret_digest(expired)).update(expires_at=datetime.now(UTC))
    refused(await gql(VIEWER, token=expired), "expired")

    await gql.ok(LOGOUT, token=good)
    refused(await gql(VIEWER, token=good), "revoked")

    fresh = (await accounts._open_session(user)).token
    await User.filter(id=user.id).update(is_active=False)
    refused(await gql(VIEWER, token=fresh), "deactivated")


async def test_the_graphql_response_media_type_gets_the_same_401(gql: GraphQLClient) -> None:
    response = await gql.http.post(
        "/graphql",
        json={"query": VIEWER},
        headers={"Authorization": "Bearer not-a-token", "Accept": "application/graphql-response+json"},
    )
    assert response.status_code == 401
    assert response.headers["content-type"].startswith("application/graphql-response+json")
    assert response.json()["errors"][0]["extensions"]["reason"] == "invalid"


async def test_a_revoked_or_unknown_api_key_is_401(gql: GraphQLClient) -> None:
    org = await Organization.create(name="LMS school", kind="SCHOOL")
    key = await accounts.create_api_key(name="lms", organization=org)
    assert (await gql.ok("{ lessons { totalCount } }", token=key))["lessons"]["totalCount"] == 0
    await ApiKey.filter(organization_id=org.id).update(revoked_at=datetime.now(UTC))
    refused(await gql("{ lessons { totalCount } }", token=key), "revoked")
    refused(await gql("{ lessons { totalCount } }", token="bk_" + "x" * 43), "invalid")


async def test_media_and_uploads_refuse_a_bad_credential_with_401(gql: GraphQLClient) -> None:
    sha = "ab" * 32
    anonymous = await gql.http.get(f"/media/{sha}.png")
    assert anonymous.status_code == 404  # nothing stored: the usual answer
    for path in (f"/media/{sha}.png", f"/media/{sha}/w320.png"):
        response = await gql.http.get(path, headers={"Authorization": "Bearer not-a-token"})
        refused((response.status_code, response.json()), "invalid")
    token = await token_for("ming")
    await gql.ok(LOGOUT, token=token)
    refused(await upload_attachment(gql, token, b"GIF89a", "a.gif"), "revoked")


async def test_logout_over_http_closes_the_socket(settings: Settings) -> None:
    me = await f.client("ming")
    async with server_in_process(settings) as address, graphql_ws(address, me.token) as ws:
        await ws.subscribe(UPDATED)
        await subscribed(bus_of(address), user_channel(me.user_id))
        assert (await Http(address).ok(LOGOUT, token=me.token))["logout"]["ok"] is True
        code, reason, before = await ws.closed()
        assert (code, reason) == (4401, "revoked")
        assert not [m for m in before if m["type"] == "next"]


async def test_logout_sent_over_the_socket_itself_closes_it(settings: Settings) -> None:
    me = await f.client("ming")
    async with server_in_process(settings) as address, graphql_ws(address, me.token) as ws:
        await ws.subscribe(LOGOUT)
        assert (await ws.closed())[:2] == (4401, "revoked")
    assert await AuthToken.filter(user_id=me.user_id, revoked_at=None).count() == 0


async def test_an_operation_after_an_unannounced_revocation_is_refused(settings: Settings) -> None:
    # The ending is written straight to the database: no announcement, and the sweep is far off.
    me = await f.client("ming")
    thread = await f.thread(me, await f.expert("xuexpert"))
    quiet = replace(settings, socket_recheck_seconds=3600)
    async with server_in_process(quiet) as address, graphql_ws(address, me.token) as ws:
        await ws.subscribe("{ viewer { user { username } } }")
        assert (await ws.receive())["payload"]["data"]["viewer"]["user"]["username"] == "ming"
        assert (await ws.receive())["type"] == "complete"
        await AuthToken.filter(user_id=me.user_id).update(revoked_at=datetime.now(UTC))
        await ws.subscribe(
            "query($id: ID!) { consultation(id: $id) { subject } }", {"id": f.gid("Consultation", thread.id)}
        )
        code, reason, before = await ws.closed()
        assert (code, reason) == (4401, "revoked")
        assert before == []  # nothing of the thread was sent


async def test_an_event_after_an_unannounced_revocation_ends_the_socket(settings: Settings) -> None:
    chosen = await f.expert("xuexpert")
    me = await f.client("ming")
    thread = await f.thread(me, chosen)
    cid = f.gid("Consultation", thread.id)
    quiet = replace(settings, socket_recheck_seconds=3600)
    async with server_in_process(quiet) as address, graphql_ws(address, me.token) as ws:
        await ws.subscribe("subscription($id: ID!) { messageAdded(consultationId: $id) { body } }", {"id": cid})
        await subscribed(bus_of(address), f"consultation:{thread.id}")
        await AuthToken.filter(user_id=me.user_id).update(revoked_at=datetime.now(UTC))
        await Http(address).ok(
            "mutation($input: SendMessageInput!) { sendMessage(input: $input) { errors { code } } }",
            {"input": {"consultationId": cid, "body": "还在吗"}},
            token=chosen.token,
        )
        code, reason, before = await ws.closed()
        assert (code, reason) == (4401, "revoked")
        assert not [m for m in before if m["type"] == "next"]


async def test_expiry_and_deactivation_end_sockets_through_the_sweep(settings: Settings) -> None:
    ming = await f.client("ming")
    hui = await f.client("hui")
    swept = replace(settings, socket_recheck_seconds=0.2)
    async with (
        server_in_process(swept) as address,
        graphql_ws(address, ming.token) as expiring,
        graphql_ws(address, hui.token) as deactivated,
    ):
        await AuthToken.filter(user_id=ming.user_id).update(expires_at=datetime.now(UTC) + timedelta(seconds=1))
        await User.filter(id=hui.user_id).update(is_active=False)
        assert (await expiring.closed())[:2] == (4401, "expired")
        assert (await deactivated.closed())[:2] == (4401, "deactivated")


async def test_an_expiring_token_ends_its_socket_without_asking_the_database(db: str) -> None:
    bus = InProcessEventBus()
    sockets = LiveSockets(bus, recheck_seconds=3600)
    ended: asyncio.Queue[str] = asyncio.Queue()
    soon = accounts.Identity(Actor(user_id=1, token_id=7), datetime.now(UTC) + timedelta(milliseconds=300))
    later = accounts.Identity(Actor(user_id=1, token_id=8), datetime.now(UTC) + timedelta(days=1))
    key = accounts.Identity(Actor(api_key_id=3))
    try:
        await sockets.register(soon, ended.put)
        kept = await sockets.register(later, ended.put)
        await sockets.register(key, ended.put)
        assert await asyncio.wait_for(ended.get(), CEILING) == "expired"
        assert ended.empty() and kept in sockets.sockets
        # Announced endings: one token, all of a user's but one, an API key.
        sockets.dispatch({"user": 1, "keep_token": 8, "reason": "revoked"})
        sockets.dispatch({"api_key": 3, "reason": "revoked"})
        assert await asyncio.wait_for(ended.get(), CEILING) == "revoked"
        assert kept in sockets.sockets and len(sockets.sockets) == 1
        await bus.publish(CREDENTIALS_CHANNEL, {"tokens": [8], "reason": "revoked"})
        assert await asyncio.wait_for(ended.get(), CEILING) == "revoked"
        assert not sockets.sockets
    finally:
        await sockets.close()


def _redis_available() -> bool:
    import socket

    with socket.socket() as sock:
        sock.settimeout(0.5)
        return sock.connect_ex(("127.0.0.1", 6379)) == 0


@pytest.mark.skipif(not _redis_available(), reason="no Redis at 127.0.0.1:6379")
async def test_logout_in_another_process_closes_the_socket(database: str, db: str, data_dir: Path) -> None:
    me = await f.client("ming")
    prefix = f"beacon-test-{uuid.uuid4().hex}"
    env = {
        "BEACON_DATABASE_URL": database,
        "BEACON_DATA_DIR": str(data_dir),
        "BEACON_SECRET_KEY": "s" * 48,
        "BEACON_REDIS_URL": REDIS_URL,
        "BEACON_EVENTS_PREFIX": prefix,
        "BEACON_SOCKET_RECHECK_SECONDS": "3000",  # the announcement, not the sweep, must end it
    }
    observer = RedisEventBus(REDIS_URL, prefix)
    await observer.start()
    try:
        async with server_process(env) as first, server_process(env) as second:
            await subscribed(observer, CREDENTIALS_CHANNEL, count=2)
            async with graphql_ws(first, me.token) as ws:
                await ws.subscribe(UPDATED)
                assert (await Http(second).ok(LOGOUT, token=me.token))["logout"]["ok"] is True
                assert (await ws.closed())[:2] == (4401, "revoked")
    finally:
        await observer.close()
