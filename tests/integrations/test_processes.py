"""The outbox across real processes: a kill between commit and delivery, and two workers sharing 500 events."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
from collections import Counter
from collections.abc import Awaitable, Callable, Iterator
from pathlib import Path

import httpx
from standardwebhooks import Webhook
from tortoise.transactions import in_transaction

from models.integrations import DeliveryStatus, OutboxMessage
from resolvers.integrations import events
from tests.content.factories import CREATE_LESSON, SET_LESSON_STATUS, editor_token
from tests.helpers import GraphQLClient
from tests.integrations.helpers import admin_token, register_endpoint
from tests.integrations.receiver import Receiver, receiving
from tests.live import ROOT, LiveServer

FAST_OUTBOX = {
    # The same key as the tests' settings: endpoint secrets are sealed under it.
    "BEACON_SECRET_KEY": "test-secret-key-not-for-production",
    "BEACON_OUTBOX_DISPATCH": "on",
    "BEACON_OUTBOX_POLL_SECONDS": "0.1",
    "BEACON_OUTBOX_LEASE_SECONDS": "2",
    "BEACON_OUTBOX_RETRY_BASE_SECONDS": "0.1",
    "BEACON_OUTBOX_RETRY_CAP_SECONDS": "0.5",
}


async def _graphql(server: LiveServer, query: str, variables: dict, token: str) -> dict:
    async with httpx.AsyncClient(timeout=30) as http:
        response = await http.post(
            server.graphql, json={"query": query, "variables": variables}, headers={"authorization": f"Bearer {token}"}
        )
    body = response.json()
    assert response.status_code == 200 and not body.get("errors"), body
    return body["data"]


async def _until(condition: Callable[[], Awaitable[bool]], limit: float = 60) -> None:
    """Poll a condition (a generous bound for a busy machine; not a speed assertion)."""
    async with asyncio.timeout(limit):
        while not await condition():  # noqa: ASYNC110 (the condition is a database read, no event to wait on)
            await asyncio.sleep(0.1)


async def test_a_server_killed_between_commit_and_delivery_delivers_after_restart(
    gql: GraphQLClient, db: str, data_dir: Path
) -> None:
    admin, editor = await admin_token(), await editor_token()
    async with receiving(Receiver(hold=asyncio.Event())) as receiver:
        registered = await register_endpoint(gql, admin, receiver.url, ["CONTENT_PUBLISHED"])
        first = LiveServer(db, data_dir, FAST_OUTBOX)
        await asyncio.to_thread(first.start)
        try:
            created = await _graphql(first, CREATE_LESSON, {"input": {"title": "断电", "section": "HANDBOOK"}}, editor)
            lesson_id = created["createLesson"]["lesson"]["id"]
            await _graphql(first, SET_LESSON_STATUS, {"id": lesson_id, "status": "PUBLISHED"}, editor)
            try:
                await receiver.wait_for(1)  # the delivery is in flight, the receiver has not answered…
            except TimeoutError:
                raise AssertionError(first.log()) from None
        finally:
            first.stop(kill=True)  # …and the process dies (SIGKILL: no cleanup of any kind)
        assert await OutboxMessage.filter(status=DeliveryStatus.DELIVERED).count() == 0
        held, receiver.hold = receiver.hold, None
        assert held is not None
        held.set()  # the dead server's request may finish now; new requests are answered at once
        second = LiveServer(db, data_dir, FAST_OUTBOX)
        await asyncio.to_thread(second.start)
        try:
            await _until(lambda: OutboxMessage.filter(status=DeliveryStatus.DELIVERED).exists())
        except TimeoutError:
            rows = await OutboxMessage.all().values("status", "locked_until", "attempt_count", "last_error")
            raise AssertionError(f"{rows} {len(receiver.requests)}\n{second.log()}") from None
        finally:
            second.stop()
    assert len(receiver.requests) == 2 and len(set(receiver.ids())) == 1, "the same event, delivered after the restart"
    # Signed by the server process's own dispatcher, as the Standard Webhooks reference check wants it.
    delivered = receiver.requests[1]
    event = Webhook(registered["secret"]).verify(delivered.body, delivered.headers)
    assert event["type"] == "content.published" and event["data"]["id"] == lesson_id


class Workers:
    """`beacon worker` subprocesses on the test database."""

    def __init__(self, database_url: str, data_dir: Path, count: int) -> None:
        data_dir.mkdir(parents=True, exist_ok=True)
        self.env = {
            **os.environ,
            "BEACON_DATABASE_URL": database_url,
            "BEACON_DATA_DIR": str(data_dir),
            **FAST_OUTBOX,
            "BEACON_OUTBOX_LEASE_SECONDS": "30",
        }
        self.logs = [data_dir / f"worker-{i}.log" for i in range(count)]
        self.processes: list[subprocess.Popen[bytes]] = []

    def __enter__(self) -> Workers:
        for path in self.logs:
            with path.open("wb") as log:
                self.processes.append(
                    subprocess.Popen(
                        [sys.executable, "-m", "cli", "worker"], cwd=ROOT, env=self.env, stdout=log, stderr=log
                    )
                )
        return self

    def __exit__(self, *exc: object) -> None:
        for process in self.processes:
            process.send_signal(signal.SIGTERM)
        for process in self.processes:
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()

    def tail(self) -> Iterator[str]:
        for path in self.logs:
            yield path.read_text(errors="replace")[-2000:]


async def test_two_workers_deliver_500_events_once_each(gql: GraphQLClient, db: str, data_dir: Path) -> None:
    admin = await admin_token()
    async with receiving() as receiver:
        await register_endpoint(gql, admin, receiver.url, ["CONTENT_PUBLISHED"])
        with Workers(db, data_dir, 2) as workers:
            await asyncio.sleep(1)  # both are polling before the events appear at once
            async with in_transaction():
                for n in range(500):
                    await events.content_changed(
                        events.EventType.CONTENT_PUBLISHED,
                        content_type="LESSON",
                        pk=n + 1,
                        slug=f"l{n}",
                        locale="zh-CN",
                        version=1,
                    )
            try:
                await _until(lambda: _all_delivered(500), limit=180)
            except TimeoutError:
                raise AssertionError("\n".join(workers.tail())) from None
            await asyncio.sleep(1)  # time for any double delivery to show up
            assert all(p.poll() is None for p in workers.processes), "\n".join(workers.tail())
    counts = Counter(receiver.ids())
    assert len(receiver.requests) == 500 and len(counts) == 500, [i for i, n in counts.items() if n > 1][:5]
    assert await OutboxMessage.filter(attempt_count=1).count() == 500


async def _all_delivered(total: int) -> bool:
    return await OutboxMessage.filter(status=DeliveryStatus.DELIVERED).count() == total
