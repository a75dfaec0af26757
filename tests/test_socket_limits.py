"""graphql-ws sockets are capped per owner and operations per socket (issue 11, item 13).

The hostile review held 100 sockets with 20 subscriptions each, so that one message fanned out to
2,000 deliveries. Past the cap a new socket is closed with 4429 "Too many connections", and one
more `subscribe` gets an `error` message with a code; nothing is silently accepted.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import socket
import time
import uuid
from dataclasses import replace

import pytest
from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed

from models.accounts import Organization, User
from resolvers import accounts
from resolvers.events import user_channel
from resolvers.sockets import LEASE_SECONDS, SharedSocketPlaces, SocketQuota, TooManySockets
from settings import Settings, load_settings
from tests.accounts.factories import make_user
from tests.consultations import factories as f
from tests.realtime import CEILING, bus_of, graphql_ws, server_in_process, subscribed

UPDATED = "subscription { consultationUpdated { id } }"


async def refused_socket(address: str, token: str | None = None) -> tuple[int, str]:
    """Open a socket and send connection_init; the close code and reason the server answers with."""
    async with connect(f"ws://{address}/graphql", subprotocols=["graphql-transport-ws"]) as ws:
        payload = {"Authorization": f"Bearer {token}"} if token else {}
        await ws.send(json.dumps({"type": "connection_init", "payload": payload}))
        try:
            async with asyncio.timeout(CEILING):
                while True:
                    message = json.loads(await ws.recv())
                    assert message["type"] != "connection_ack", "the socket was accepted"
        except ConnectionClosed as closed:
            assert closed.rcvd is not None, "the client closed, not the server"
            return closed.rcvd.code, closed.rcvd.reason
    raise AssertionError("unreachable")


def test_the_caps_are_settings_with_documented_defaults() -> None:
    defaults = load_settings({"BEACON_ENV": "development"})
    assert (defaults.sockets_per_user, defaults.sockets_per_address, defaults.subscriptions_per_socket) == (10, 20, 10)
    tuned = load_settings(
        {
            "BEACON_ENV": "development",
            "BEACON_SOCKETS_PER_USER": "3",
            "BEACON_SOCKETS_PER_ADDRESS": "4",
            "BEACON_SUBSCRIPTIONS_PER_SOCKET": "5",
        }
    )
    assert (tuned.sockets_per_user, tuned.sockets_per_address, tuned.subscriptions_per_socket) == (3, 4, 5)


async def test_one_person_holds_at_most_ten_sockets_whatever_their_tokens(settings: Settings) -> None:
    me = await f.client("ming")
    user = await make_user("other")
    other = (await accounts._open_session(user)).token
    # Every sign-in of the same person counts together.
    mine = await User.get(id=me.user_id)
    tokens = [me.token, *[(await accounts._open_session(mine)).token for _ in range(2)]]
    async with server_in_process(settings) as address, contextlib.AsyncExitStack() as sockets:
        held = [await sockets.enter_async_context(graphql_ws(address, tokens[i % 3])) for i in range(10)]
        assert await refused_socket(address, tokens[0]) == (4429, "Too many connections")
        assert await refused_socket(address, tokens[2]) == (4429, "Too many connections")
        # Somebody else is not affected.
        async with graphql_ws(address, other):
            pass
        # Closing one frees its place.
        await held[0].ws.close()
        async with asyncio.timeout(CEILING):
            while True:
                try:
                    async with graphql_ws(address, tokens[1]):
                        break
                except AssertionError:  # the server has not seen the close yet
                    await asyncio.sleep(0.05)


async def test_api_keys_and_anonymous_addresses_are_capped_too(settings: Settings) -> None:
    org = await Organization.create(name="LMS school", kind="SCHOOL")
    secret = await accounts.create_api_key(name="lms", organization=org)
    capped = replace(settings, sockets_per_user=2, sockets_per_address=3)
    async with server_in_process(capped) as address, contextlib.AsyncExitStack() as sockets:
        for _ in range(2):
            await sockets.enter_async_context(graphql_ws(address, secret))
        assert await refused_socket(address, secret) == (4429, "Too many connections")
        for _ in range(3):
            await sockets.enter_async_context(graphql_ws(address))
        assert await refused_socket(address) == (4429, "Too many connections")


async def test_one_socket_runs_at_most_ten_operations_and_the_next_gets_an_error_with_a_code(
    settings: Settings,
) -> None:
    me = await f.client("ming")
    async with server_in_process(settings) as address, graphql_ws(address, me.token) as ws:
        ops = [await ws.subscribe(UPDATED) for _ in range(10)]
        await subscribed(bus_of(address), user_channel(me.user_id), count=10)
        extra = await ws.subscribe(UPDATED)
        answer = await ws.receive()
        assert answer["type"] == "error" and answer["id"] == extra, answer
        assert answer["payload"][0]["extensions"] == {"code": "TOO_MANY_SUBSCRIPTIONS"}, answer
        # Completing one frees its place (the socket stays open): the next subscribe is accepted, so
        # the one after it is the first to be refused again.
        await ws.ws.send(json.dumps({"id": ops[0], "type": "complete"}))
        again = await ws.subscribe(UPDATED)
        probe = await ws.subscribe(UPDATED)
        answer = await ws.receive()
        assert (answer["type"], answer["id"]) == ("error", probe), f"not {again}: {answer}"
        assert answer["payload"][0]["extensions"] == {"code": "TOO_MANY_SUBSCRIPTIONS"}, answer


REDIS_URL = "redis://127.0.0.1:6379/0"


def _redis_available() -> bool:
    with socket.socket() as sock:
        sock.settimeout(0.5)
        return sock.connect_ex(("127.0.0.1", 6379)) == 0


@pytest.mark.skipif(not _redis_available(), reason="no Redis at 127.0.0.1:6379")
async def test_with_redis_one_persons_sockets_are_counted_across_processes(settings: Settings) -> None:
    me = await f.client("ming")
    shared = replace(settings, redis_url=REDIS_URL, events_prefix=f"beacon-test-{uuid.uuid4().hex}", sockets_per_user=3)
    async with (
        server_in_process(shared) as first,
        server_in_process(shared) as second,
        contextlib.AsyncExitStack() as sockets,
    ):
        await sockets.enter_async_context(graphql_ws(first, me.token))
        on_second = [await sockets.enter_async_context(graphql_ws(second, me.token)) for _ in range(2)]
        # Each process holds fewer than three, but the person holds three in all.
        assert await refused_socket(first, me.token) == (4429, "Too many connections")
        assert await refused_socket(second, me.token) == (4429, "Too many connections")
        # A socket closed in one process frees a place for the other.
        await on_second[0].ws.close()
        async with asyncio.timeout(CEILING):
            while True:
                try:
                    async with graphql_ws(first, me.token):
                        break
                except AssertionError:  # its place is not given back yet
                    await asyncio.sleep(0.05)


async def test_without_an_answer_from_redis_the_count_of_this_process_still_holds() -> None:
    unreachable = SharedSocketPlaces("redis://127.0.0.1:1/0", "beacon-test", timeout=0.5)
    quota = SocketQuota(per_user=2, per_address=5, shared=unreachable)
    try:
        places = [await quota.acquire(("user", 7)) for _ in range(2)]  # let in: Redis does not answer
        assert all(p.shared is None for p in places)
        with pytest.raises(TooManySockets):
            await quota.acquire(("user", 7))
        quota.release(places[0])
        await quota.acquire(("user", 7))
    finally:
        await quota.close()


@pytest.mark.skipif(not _redis_available(), reason="no Redis at 127.0.0.1:6379")
async def test_a_place_whose_process_stopped_renewing_it_lapses() -> None:
    places = SharedSocketPlaces(REDIS_URL, f"beacon-test-{uuid.uuid4().hex}", timeout=10.0)  # a ceiling: a busy machine
    try:
        member = await places.take(("user", 7), 1)
        assert member is not None and await places.take(("user", 7), 1) is None
        await places.renew()  # what the process does every LEASE_SECONDS / 3
        score = await places._client().zscore(places.key(("user", 7)), member)
        assert score > time.time() + LEASE_SECONDS / 2
        # Its process died: nobody renews it, and its lease ends.
        await places._client().zadd(places.key(("user", 7)), {member: 1.0}, xx=True)
        assert await places.take(("user", 7), 1) is not None
    finally:
        await places.close()
