"""A private redis-server killed while two `beacon serve` processes hold open subscriptions.

(tests/consultations/test_consultations_realtime.py cuts one in-process server's connection through a TCP
proxy; here the Redis process itself dies and comes back, across real server processes.)
"""

from __future__ import annotations

import asyncio
import shutil
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from resolvers.events import RedisEventBus, consultation_channel, user_channel
from tests.consultations import factories as f
from tests.faults import PrivateRedis
from tests.live import LiveServer
from tests.realtime import Http, graphql_ws, subscribed

ADDED = "subscription($id: ID!) { messageAdded(consultationId: $id) { body } }"
UPDATED = "subscription { consultationUpdated { id lastMessage { body } } }"
SEND = """mutation($input: SendMessageInput!) {
  sendMessage(input: $input) { message { body } errors { code message } }
}"""
MESSAGES = "query($id: ID!) { consultation(id: $id) { messages(last: 5) { edges { node { body } } } } }"
RATE_LIMIT_SECONDS = 3.1  # one message per person every 3 seconds


@pytest.fixture
def private_redis() -> Iterator[PrivateRedis]:
    if shutil.which("redis-server") is None:
        pytest.skip("redis-server is not installed: the Redis fault test starts its own")
    server = PrivateRedis().start()
    try:
        yield server
    finally:
        server.destroy()


async def _subscribed(url: str, prefix: str, *channels: str) -> None:
    """Wait until the listening process has subscribed to the channels in Redis."""
    observer = RedisEventBus(url, prefix)
    await observer.start()
    try:
        await subscribed(observer, *channels)
    finally:
        await observer.close()


def address(server: LiveServer) -> str:
    return server.url.removeprefix("http://")


async def send(server: LiveServer, cid: str, body: str, token: str) -> None:
    sent = await Http(address(server)).ok(SEND, {"input": {"consultationId": cid, "body": body}}, token=token)
    assert sent["sendMessage"]["errors"] == [], sent


async def test_redis_killed_with_subscriptions_open(
    once: None, db: str, data_dir: Path, private_redis: PrivateRedis
) -> None:
    chosen = await f.expert("xuexpert")
    me = await f.client("ming")
    thread = await f.thread(me, chosen)
    cid = f.gid("Consultation", thread.id)
    prefix = f"beacon-test-{uuid.uuid4().hex}"
    env = {"BEACON_REDIS_URL": private_redis.url, "BEACON_EVENTS_PREFIX": prefix}
    with LiveServer(db, data_dir, env) as listening, LiveServer(db, data_dir, env) as writing:
        async with graphql_ws(address(listening), me.token) as ws:
            await ws.subscribe(ADDED, {"id": cid})
            await ws.subscribe(UPDATED)
            await _subscribed(private_redis.url, prefix, consultation_channel(thread.id), user_channel(me.user_id))
            await send(writing, cid, "第一条", chosen.token)
            expert_sent = time.monotonic()
            first = [await ws.receive() for _ in range(2)]
            assert {next(iter(m["payload"]["data"])) for m in first} == {"messageAdded", "consultationUpdated"}

            # Redis dies: both open subscriptions end with an error, then complete; nothing hangs.
            private_redis.kill()
            ended = [await ws.receive() for _ in range(4)]
            assert sorted(m["type"] for m in ended) == ["complete", "complete", "next", "next"]
            for message in (m for m in ended if m["type"] == "next"):
                assert message["payload"]["data"] is None
                assert message["payload"]["errors"][0]["extensions"]["code"] == "SERVICE_UNAVAILABLE"

            # Everything else keeps working: a mutation on one process, a query on the other.
            await send(writing, cid, "Redis 不在时写的", me.token)
            read = await Http(address(listening)).ok(MESSAGES, {"id": cid}, token=me.token)
            assert [e["node"]["body"] for e in read["consultation"]["messages"]["edges"]] == [
                "最近总是失眠。",
                "第一条",
                "Redis 不在时写的",
            ]

            # A subscription asked for while Redis is away is refused at once, not left hanging.
            op = await ws.subscribe(UPDATED)
            refused = await ws.receive()
            assert refused["id"] == op
            errors = refused["payload"]["errors"] if refused["type"] == "next" else refused["payload"]
            assert errors[0]["extensions"]["code"] == "SERVICE_UNAVAILABLE", refused

        # Redis returns (same port): new subscriptions work again, across both processes, no restart.
        private_redis.start()
        async with graphql_ws(address(listening), me.token) as ws:
            await ws.subscribe(ADDED, {"id": cid})
            await _subscribed(private_redis.url, prefix, consultation_channel(thread.id))
            await asyncio.sleep(max(0.0, RATE_LIMIT_SECONDS - (time.monotonic() - expert_sent)))
            await send(writing, cid, "回来了", chosen.token)
            back = await ws.receive()
            assert back["type"] == "next" and back["payload"]["data"]["messageAdded"] == {"body": "回来了"}
        for server in (listening, writing):
            assert server.process is not None and server.process.poll() is None
