"""Real time over a real graphql-ws connection: in one process, across two processes via Redis, and when Redis drops."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import uuid
from collections.abc import AsyncIterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import cast

import pytest
from strawberry.http.exceptions import WebSocketDisconnected

from models.accounts import AuthToken
from models.consultations import ConsultationMessage
from resolvers.events import RedisEventBus, consultation_channel, user_channel
from schema.relay import decode_id
from server import BeaconTransportWS, create_app
from settings import Settings
from tests.consultations import factories as f
from tests.live import serve_in_process
from tests.realtime import Http, bus_of, graphql_ws, server_in_process, server_process, subscribed, unsubscribed

REDIS_URL = "redis://127.0.0.1:6379/0"

REGISTER = """
mutation($input: RegisterInput!) { register(input: $input) { token user { id } errors { code } } }"""
ACCEPT = "mutation { acceptPrivacyNotice(version: 1) { acceptedVersion errors { code } } }"
OPEN = """
mutation($input: OpenConsultationInput!) { openConsultation(input: $input) { consultation { id } errors { code message } } }"""
SEND = """
mutation($input: SendMessageInput!) { sendMessage(input: $input) { message { id } errors { code message } } }"""
READ = (
    "mutation($id: ID!) { markConsultationRead(consultationId: $id) { consultation { unreadCount } errors { code } } }"
)
UPDATED = "subscription { consultationUpdated { id subject status unreadCount lastMessage { body } } }"
ADDED = "subscription($id: ID!) { messageAdded(consultationId: $id) { id body readAt author { displayName isExpert isViewer } } }"
UNREAD = "{ viewer { unreadMessageCount } }"
MESSAGES = "query($id: ID!) { consultation(id: $id) { messages { edges { node { body readAt } } } } }"


async def test_client_and_expert_talk_in_real_time(settings: Settings) -> None:
    chosen = await f.expert("xuexpert")
    async with server_in_process(settings) as address:
        http = Http(address)
        async with graphql_ws(address, chosen.token) as expert_ws:
            watch = await expert_ws.subscribe(UPDATED)
            await subscribed(bus_of(address), user_channel(chosen.user_id))
            # A person registers, accepts the notice and opens a consultation.
            registered = (
                await http.ok(
                    REGISTER,
                    {
                        "input": {
                            "username": "ming",
                            "password": "a long passphrase",
                            "displayName": "阿明",
                            "role": "CLIENT",
                        }
                    },
                )
            )["register"]
            token = registered["token"]
            assert (await http.ok(ACCEPT, token=token))["acceptPrivacyNotice"]["acceptedVersion"] == 1
            opened = (
                await http.ok(
                    OPEN,
                    {"input": {"expertId": chosen.gid, "subject": "晚上睡不着", "message": "许老师您好"}},
                    token=token,
                )
            )["openConsultation"]
            assert opened["errors"] == []
            cid = opened["consultation"]["id"]
            event = await expert_ws.receive()
            assert event["id"] == watch and event["type"] == "next"
            assert event["payload"]["data"]["consultationUpdated"] == {
                "id": cid,
                "subject": "晚上睡不着",
                "status": "OPEN",
                "unreadCount": 1,
                "lastMessage": {"body": "许老师您好"},
            }
            async with graphql_ws(address, token) as client_ws:
                await client_ws.subscribe(ADDED, {"id": cid})
                await subscribed(bus_of(address), consultation_channel(decode_id(cid, "Consultation", field="id")))
                await http.ok(
                    SEND, {"input": {"consultationId": cid, "body": "你好，我们一起想办法"}}, token=chosen.token
                )
                reply = await client_ws.receive()
                assert reply["payload"]["data"]["messageAdded"]["body"] == "你好，我们一起想办法"
                assert reply["payload"]["data"]["messageAdded"]["author"] == {
                    "displayName": chosen.display_name,
                    "isExpert": True,
                    "isViewer": False,
                }
                assert reply["payload"]["data"]["messageAdded"]["readAt"] is None
            # The expert's own reply changed the thread too.
            assert (await expert_ws.receive())["payload"]["data"]["consultationUpdated"]["status"] == "ANSWERED"
            assert (await http.ok(UNREAD, token=token))["viewer"]["unreadMessageCount"] == 1
            await http.ok(READ, {"id": cid}, token=token)
            assert (await http.ok(UNREAD, token=token))["viewer"]["unreadMessageCount"] == 0
            # The read receipt reaches the expert, whose reply now carries readAt.
            assert (await expert_ws.receive())["payload"]["data"]["consultationUpdated"]["unreadCount"] == 1
            edges = (await http.ok(MESSAGES, {"id": cid}, token=chosen.token))["consultation"]["messages"]["edges"]
            assert edges[0]["node"]["readAt"] is None and edges[1]["node"]["readAt"] is not None


async def test_strangers_cannot_subscribe_and_a_revoked_token_stops_events(settings: Settings) -> None:
    chosen = await f.expert("xuexpert")
    me = await f.client("ming")
    stranger = await f.client("stranger")
    thread = await f.thread(me, chosen)
    cid = f.gid("Consultation", thread.id)
    async with server_in_process(settings) as address:
        http = Http(address)
        async with graphql_ws(address, stranger.token) as ws:
            op = await ws.subscribe(ADDED, {"id": cid})
            refused = await ws.receive()
            assert refused["id"] == op and refused["payload"]["errors"][0]["extensions"]["code"] == "NOT_FOUND"
        async with graphql_ws(address) as ws:
            await ws.subscribe(UPDATED)
            assert (await ws.receive())["payload"]["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
        async with graphql_ws(address, me.token) as ws:
            await ws.subscribe(ADDED, {"id": cid})
            await subscribed(bus_of(address), consultation_channel(thread.id))
            await http.ok("mutation { logout { ok } }", token=me.token)
            await http.ok(SEND, {"input": {"consultationId": cid, "body": "还在吗"}}, token=chosen.token)
            # The signed-out socket is closed (4401) and the message never reaches it.
            code, reason, before = await ws.closed()
            assert (code, reason) == (4401, "revoked")
            assert not [m for m in before if m["type"] == "next"]


async def test_connections_from_unlisted_origins_are_refused(settings: Settings) -> None:
    from websockets.exceptions import InvalidStatus

    allowed = replace(settings, cors_origins=("https://portal.example",))
    chosen = await f.expert("xuexpert")
    async with server_in_process(allowed) as address:
        async with graphql_ws(address, chosen.token, origin="https://portal.example"):
            pass
        with pytest.raises(InvalidStatus):
            async with graphql_ws(address, chosen.token, origin="https://evil.example"):
                pass


def _redis_available() -> bool:
    import socket

    with socket.socket() as sock:
        sock.settimeout(0.5)
        return sock.connect_ex(("127.0.0.1", 6379)) == 0


needs_redis = pytest.mark.skipif(not _redis_available(), reason="no Redis at 127.0.0.1:6379")


@needs_redis
async def test_two_processes_share_events_through_redis(database: str, db: str, data_dir: Path) -> None:
    chosen = await f.expert("xuexpert")
    me = await f.client("ming")
    thread = await f.thread(me, chosen)
    cid = f.gid("Consultation", thread.id)
    prefix = f"beacon-test-{uuid.uuid4().hex}"
    env = {
        "BEACON_DATABASE_URL": database,
        "BEACON_DATA_DIR": str(data_dir),
        "BEACON_SECRET_KEY": "s" * 48,
        "BEACON_REDIS_URL": REDIS_URL,
        "BEACON_EVENTS_PREFIX": prefix,
    }
    observer = RedisEventBus(REDIS_URL, prefix)  # only counts the subscriptions the first process holds
    await observer.start()
    async with server_process(env) as first, server_process(env) as second, graphql_ws(first, me.token) as ws:
        await ws.subscribe(ADDED, {"id": cid})
        await ws.subscribe(UPDATED)
        try:
            await subscribed(observer, consultation_channel(thread.id), user_channel(me.user_id))
        finally:
            await observer.close()
        await Http(second).ok(
            SEND, {"input": {"consultationId": cid, "body": "从另一个进程来的回复"}}, token=chosen.token
        )
        received = [await ws.receive(), await ws.receive()]
        bodies = {next(iter(m["payload"]["data"].values()))["id"]: m for m in received}
        assert len(received) == 2 and all(m["type"] == "next" for m in received)
        added = next(m for m in received if "messageAdded" in m["payload"]["data"])
        assert added["payload"]["data"]["messageAdded"]["body"] == "从另一个进程来的回复"
        assert bodies


@contextlib.asynccontextmanager
async def tcp_proxy(target_port: int) -> AsyncIterator[tuple[int, asyncio.Event]]:
    """A loopback proxy to Redis; setting the event cuts every connection through it."""
    cut = asyncio.Event()
    writers: list[asyncio.StreamWriter] = []

    async def pipe(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        with contextlib.suppress(Exception):
            while data := await reader.read(65536):
                writer.write(data)
                await writer.drain()
        writer.close()

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        upstream_reader, upstream_writer = await asyncio.open_connection("127.0.0.1", target_port)
        writers.extend([writer, upstream_writer])
        await asyncio.gather(pipe(reader, upstream_writer), pipe(upstream_reader, writer))

    server = await asyncio.start_server(handle, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]

    async def cutter() -> None:
        await cut.wait()
        server.close()
        for writer in writers:
            writer.close()

    task = asyncio.create_task(cutter())
    try:
        yield port, cut
    finally:
        cut.set()
        await task
        await server.wait_closed()


@needs_redis
async def test_a_dropped_redis_connection_ends_subscriptions_with_an_error(settings: Settings) -> None:
    chosen = await f.expert("xuexpert")
    me = await f.client("ming")
    thread = await f.thread(me, chosen)
    cid = f.gid("Consultation", thread.id)
    async with tcp_proxy(6379) as (port, cut):
        through_proxy = replace(
            settings, redis_url=f"redis://127.0.0.1:{port}/0", events_prefix=f"beacon-test-{uuid.uuid4().hex}"
        )
        async with server_in_process(through_proxy) as address, graphql_ws(address, me.token) as ws:
            await ws.subscribe(ADDED, {"id": cid})
            await ws.subscribe(UPDATED)
            await subscribed(bus_of(address), consultation_channel(thread.id), user_channel(me.user_id))
            await Http(address).ok(SEND, {"input": {"consultationId": cid, "body": "先到的一条"}}, token=chosen.token)
            assert {next(iter((await ws.receive())["payload"]["data"])) for _ in range(2)} == {
                "messageAdded",
                "consultationUpdated",
            }
            cut.set()
            ended = [await ws.receive() for _ in range(4)]
            errors = [m for m in ended if m["type"] == "next"]
            assert len(errors) == 2 and all(
                m["payload"]["errors"][0]["extensions"]["code"] == "SERVICE_UNAVAILABLE" for m in errors
            )
            assert sorted(m["type"] for m in ended) == ["complete", "complete", "next", "next"]


async def test_a_client_closing_mid_event_is_not_an_error(
    settings: Settings, backend: str, caplog: pytest.LogCaptureFixture
) -> None:
    """Clients hanging up while a burst of events is on its way: no error logged, whichever side of
    the server notices first (its read of the socket, or a send that finds it closed).

    Which side wins is a race the machine's load decides (a quiet machine lets a send notice within
    a try or two, a busy one lets the read win forty times in a row), so the send side is also
    checked directly below, instead of retrying until the race goes one way.
    """
    if backend != "sqlite":
        pytest.skip("runs once, on the SQLite pass: the hang-up race does not depend on the database")
    chosen = await f.expert("xuexpert")
    me = await f.client("ming")
    consultation = await f.thread(me, chosen)
    message = await ConsultationMessage.filter(consultation_id=consultation.id).first()
    assert message is not None
    app = create_app(settings, manage_database=False)
    events = app.state.events
    caplog.set_level(logging.DEBUG, logger="beacon.subscriptions")
    async with serve_in_process(app) as url:
        address = url.removeprefix("http://")
        for _ in range(5):
            async with graphql_ws(address, me.token) as ws:
                await ws.subscribe(ADDED, {"id": f.gid("Consultation", consultation.id)})
                await subscribed(events, consultation_channel(consultation.id))
                for _ in range(200):
                    await events.publish(consultation_channel(consultation.id), {"message": message.id})
                assert (await ws.receive())["type"] == "next"
                ws.ws.transport.abort()
            await unsubscribed(events, consultation_channel(consultation.id))  # the server noticed and stopped
    errors = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert errors == [], [(r.getMessage(), repr(r.exc_info and r.exc_info[1])) for r in errors]


async def test_a_send_that_finds_the_socket_closed_is_logged_as_a_hang_up(caplog: pytest.LogCaptureFixture) -> None:
    # The send side of the race above: strawberry hands the operation's WebSocketDisconnected to the
    # handler, which records a hang-up (debug) instead of strawberry's error log. Nothing else of the
    # handler is touched on this path, so no socket is needed.
    caplog.set_level(logging.DEBUG, logger="beacon.subscriptions")
    await BeaconTransportWS.handle_task_exception(cast("BeaconTransportWS", None), WebSocketDisconnected())
    [record] = [r for r in caplog.records if r.name == "beacon.subscriptions"]
    assert record.levelno == logging.DEBUG and "closed the connection mid-event" in record.getMessage()
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]


async def test_events_pushed_to_a_staff_socket_do_not_keep_the_session_from_idling(settings: Settings) -> None:
    """An expert's open inbox receives every client message; those pushes are not the expert at work,
    so they must not count as use of the session (which ends after 30 minutes without use)."""
    chosen = await f.expert("xuexpert")
    me = await f.client("ming")
    thread = await f.thread(me, chosen)
    async with server_in_process(settings) as address, graphql_ws(address, chosen.token) as ws:
        await ws.subscribe(UPDATED)
        await ws.subscribe(ADDED, {"id": f.gid("Consultation", thread.id)})
        await subscribed(bus_of(address), user_channel(chosen.user_id), consultation_channel(thread.id))
        # The expert last did something ten minutes ago (longer than the once-a-minute write).
        quiet_since = datetime.now(UTC) - timedelta(minutes=10)
        await AuthToken.filter(user_id=chosen.user_id).update(last_used_at=quiet_since)
        sent = await Http(address).ok(
            SEND, {"input": {"consultationId": f.gid("Consultation", thread.id), "body": "在吗"}}, token=me.token
        )
        assert sent["sendMessage"]["errors"] == []
        pushed = {next(iter((await ws.receive())["payload"]["data"])) for _ in range(2)}
        assert pushed == {"messageAdded", "consultationUpdated"}
    token = await AuthToken.get(user_id=chosen.user_id)
    assert token.last_used_at is not None and token.last_used_at <= quiet_since + timedelta(seconds=1)
