"""A stalled database: requests end with a typed TIMEOUT within the deadline, /healthz stays fast, /readyz honest.

Two stalls on a private PostgreSQL: a lock held by another connection (the database answers, but
not about the locked table; the pool fills with waiting statements), and a network that stops
passing bytes (a TCP proxy between server and database; nothing answers at all).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from pathlib import Path

import asyncpg
import httpx
import pytest

from tests.faults import PrivatePostgres, StallingProxy
from tests.live import LiveServer

# Short deadlines keep the test quick; the defaults (README) have the same order.
DEADLINES = {"BEACON_DB_STATEMENT_TIMEOUT": "2", "BEACON_DB_ACQUIRE_TIMEOUT": "2", "BEACON_REQUEST_TIMEOUT": "4"}
BUDGET = 4.0
# A well-behaved client waits a little longer than the documented deadline, then gives up.
CLIENT_PATIENCE = BUDGET + 6
REGISTER = """mutation($u: String!) {
  register(input: {username: $u, password: "correct horse battery", displayName: "某人"}) { token errors { code } }
}"""
VIEWER = "{ viewer { user { username } } }"


LATENCIES: list[float] = []


async def post(
    http: httpx.AsyncClient, query: str, variables: dict[str, str], token: str | None = None
) -> httpx.Response:
    """A GraphQL POST; how long it took goes to LATENCIES."""
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    started = time.monotonic()
    response = await http.post("/graphql", json={"query": query, "variables": variables}, headers=headers)
    LATENCIES.append(time.monotonic() - started)
    return response


def timed_out(response: httpx.Response) -> dict[str, str]:
    """The extensions of a typed timeout answer (asserting it is one)."""
    body = response.json()
    assert response.status_code in (200, 503), response.text
    [error] = body["errors"]
    assert error["extensions"]["code"] == "TIMEOUT", body
    assert error["extensions"]["requestId"] and "ran out of time" in error["message"], body
    if response.status_code == 503:
        assert response.headers["retry-after"] and "data" not in body, body
    return error["extensions"]  # type: ignore[no-any-return]  # parsed JSON is Any


async def fast_while_stalled(http: httpx.AsyncClient, path: str) -> tuple[int, float]:
    """Status and seconds of a probe request made while the database is stalled."""
    started = time.monotonic()
    response = await http.get(path, timeout=BUDGET)
    return response.status_code, time.monotonic() - started


async def first_success(http: httpx.AsyncClient, token: str, since: float) -> float:
    """Seconds from `since` until a signed-in read is answered again."""
    while True:
        response = await post(http, VIEWER, {}, token)
        if response.status_code == 200 and not response.json().get("errors"):
            return time.monotonic() - since
        await asyncio.sleep(0.1)


@pytest.fixture
async def admin(private_postgres: PrivatePostgres) -> AsyncIterator[asyncpg.Connection]:
    connection = await asyncpg.connect(private_postgres.url.replace("postgres://", "postgresql://", 1))
    try:
        yield connection
    finally:
        await connection.close()


async def test_a_held_lock_gives_typed_timeouts_and_readiness_stays_honest(
    once: None, private_postgres: PrivatePostgres, admin: asyncpg.Connection, data_dir: Path
) -> None:
    with LiveServer(private_postgres.url, data_dir, DEADLINES) as server:
        async with httpx.AsyncClient(base_url=server.url, timeout=CLIENT_PATIENCE) as http:
            token = (await post(http, REGISTER, {"u": "alice"})).json()["data"]["register"]["token"]
            # Another connection holds every session's table: signing in and registering must wait for it.
            locked = admin.transaction()
            await locked.start()
            await admin.execute("LOCK TABLE auth_token IN ACCESS EXCLUSIVE MODE")
            try:
                LATENCIES.clear()
                registering = asyncio.ensure_future(post(http, REGISTER, {"u": "bob"}))
                await asyncio.sleep(0.3)  # its statement waits for the lock on a connection of its own
                # More signed-in reads than the pool has connections: the rest wait for a free one.
                loaded = asyncio.gather(*(post(http, VIEWER, {}, token) for _ in range(12)), registering)
                await asyncio.sleep(0.5)  # the pool is full of waiting statements now
                ready = await fast_while_stalled(http, "/readyz")
                health = await fast_while_stalled(http, "/healthz")
                *read_answers, registered = await loaded
                slowest = max(LATENCIES)
            finally:
                await locked.rollback()
            recovery = await first_success(http, token, time.monotonic())

            for answer in read_answers:
                assert timed_out(answer).get("outcome") in (None, "NOT_APPLIED")
            assert timed_out(registered)["outcome"] == "NOT_APPLIED"
            # It said nothing was stored, and nothing was: the same registration goes through now.
            again = (await post(http, REGISTER, {"u": "bob"})).json()
            assert again["data"]["register"]["errors"] == [] and again["data"]["register"]["token"]
    # The database itself answered all along: ready, though every pooled connection was busy.
    assert ready[0] == 200 and health[0] == 200
    print(
        f"held lock: 13 requests answered TIMEOUT, the slowest after {slowest:.1f} s (budget {BUDGET:g} s); "
        f"/readyz 200 in {ready[1]:.2f} s, /healthz in {health[1]:.3f} s; recovered {recovery:.2f} s after the lock went"
    )


async def test_a_database_that_stops_answering_gives_typed_timeouts(
    once: None, private_postgres: PrivatePostgres, data_dir: Path
) -> None:
    proxy = await StallingProxy(private_postgres.port).start()
    url = f"postgres://postgres@127.0.0.1:{proxy.port}/beacon"
    server = LiveServer(url, data_dir, DEADLINES)
    try:
        # The proxy runs in this event loop: start and stop the server without blocking it.
        await asyncio.to_thread(server.start)
        async with httpx.AsyncClient(base_url=server.url, timeout=CLIENT_PATIENCE) as http:
            token = (await post(http, REGISTER, {"u": "carol"})).json()["data"]["register"]["token"]
            proxy.stall()
            LATENCIES.clear()
            loaded = asyncio.gather(
                *(post(http, VIEWER, {}, token) for _ in range(6)), post(http, REGISTER, {"u": "dave"})
            )
            await asyncio.sleep(0.5)
            ready = await fast_while_stalled(http, "/readyz")
            health = await fast_while_stalled(http, "/healthz")
            *read_answers, registered = await loaded
            slowest = max(LATENCIES)
            proxy.resume()
            recovery = await first_success(http, token, time.monotonic())

            for answer in read_answers:
                assert timed_out(answer).get("outcome") in (None, "NOT_APPLIED")
            assert timed_out(registered)["outcome"] in ("NOT_APPLIED", "UNKNOWN")
    finally:
        await asyncio.to_thread(server.stop)
        await proxy.close()
    log = server.log()
    # Nothing answers: not ready (within its own 2 s), but alive.
    assert ready[0] == 503 and health[0] == 200
    assert "Traceback" not in log, log
    print(
        f"stalled network: 7 requests answered TIMEOUT, the slowest after {slowest:.1f} s (budget {BUDGET:g} s); "
        f"/readyz 503 in {ready[1]:.2f} s, /healthz in {health[1]:.3f} s; recovered {recovery:.2f} s after it flowed again"
    )
