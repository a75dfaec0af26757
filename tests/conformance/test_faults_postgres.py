"""PostgreSQL stopped during requests: fail fast, 503 readiness, recover without a restart, no half-writes."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import asyncpg
import httpx
import pytest

from tests.faults import PrivatePostgres, postgres_bin
from tests.live import ROOT, LiveServer

REGISTER = """mutation($u: String!) {
  register(input: {username: $u, password: "correct horse battery", displayName: "Someone"}) { token errors { code } }
}"""
VIEWER = "{ viewer { user { username } } }"


@pytest.fixture(scope="module")
def private_postgres() -> Iterator[PrivatePostgres]:
    if postgres_bin() is None:
        pytest.skip("initdb/pg_ctl not installed: the PostgreSQL fault tests need the Debian postgresql packages")
    server = PrivatePostgres().init()
    try:
        environ = {
            **os.environ,
            "BEACON_DATABASE_URL": server.url,
            "BEACON_SECRET_KEY": "x" * 40,
        }
        subprocess.run(
            [sys.executable, "-m", "cli", "migrate"],
            cwd=ROOT,
            env=environ,
            check=True,
            capture_output=True,
            timeout=120,
        )
        yield server
    finally:
        server.destroy()


async def register(client: httpx.AsyncClient, username: str) -> dict[str, object]:
    response = await client.post("/graphql", json={"query": REGISTER, "variables": {"u": username}})
    return {"status": response.status_code, "body": response.json()}


async def wait_ready(client: httpx.AsyncClient, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while (await client.get("/readyz")).status_code != 200:
        assert time.monotonic() < deadline, "the server did not become ready again"
        await asyncio.sleep(0.2)


async def test_postgres_outage_and_recovery(once: None, private_postgres: PrivatePostgres, data_dir: Path) -> None:
    pg = private_postgres
    with LiveServer(pg.url, data_dir) as server:
        async with httpx.AsyncClient(base_url=server.url, timeout=20) as client:
            alice = await register(client, "alice")
            token = alice["body"]["data"]["register"]["token"]  # type: ignore[index]
            auth = {"Authorization": f"Bearer {token}"}

            # Registrations in flight while the database goes down mid-way.
            in_flight = [asyncio.create_task(register(client, f"burst{i}")) for i in range(40)]
            await asyncio.wait(in_flight, return_when=asyncio.FIRST_COMPLETED)
            await asyncio.to_thread(pg.stop)
            burst = await asyncio.gather(*in_flight)
            for outcome in burst:  # accepted, or refused as unavailable: never an internal error
                body = outcome["body"]
                assert (body.get("data") and body["data"]["register"]["token"]) or (  # type: ignore[index]
                    body["errors"][0]["extensions"]["code"] == "SERVICE_UNAVAILABLE"  # type: ignore[index]
                ), body

            # Down: fail fast with SERVICE_UNAVAILABLE, readiness 503, liveness still fine.
            for query, headers in ((VIEWER, auth), (REGISTER, {})):
                started = time.monotonic()
                response = await client.post(
                    "/graphql",
                    json={"query": query, "variables": {"u": "bob"}},
                    headers=headers,
                )
                assert time.monotonic() - started < 5
                body = response.json()
                # 503 when signing in (before execution) needed the database; 200 with the code from inside execution.
                assert (
                    response.status_code in (200, 503)
                    and body["errors"][0]["extensions"]["code"] == "SERVICE_UNAVAILABLE"
                ), body
                assert "5432" not in response.text and str(pg.port) not in response.text  # no connection details
            assert (await client.get("/readyz")).status_code == 503
            assert (await client.get("/healthz")).status_code == 200

            # Back: the same process serves again, no restart.
            await asyncio.to_thread(pg.start)
            await wait_ready(client)
            viewer = (await client.post("/graphql", json={"query": VIEWER}, headers=auth)).json()
            assert viewer == {"data": {"viewer": {"user": {"username": "alice"}}}}
            carol = await register(client, "carol")
            assert carol["body"]["data"]["register"]["token"]  # type: ignore[index]
        assert server.process is not None and server.process.poll() is None

    # Nothing half-written: every user has the session its registration opened; no accepted one was lost.
    conn = await asyncpg.connect(pg.url.replace("postgres://", "postgresql://", 1))
    try:
        users = {r["username"] for r in await conn.fetch("SELECT username FROM app_user")}
        orphans = await conn.fetch(
            "SELECT u.username FROM app_user u WHERE NOT EXISTS (SELECT 1 FROM auth_token t WHERE t.user_id = u.id)"
        )
    finally:
        await conn.close()
    assert orphans == []
    assert {"alice", "carol"} <= users and "bob" not in users
    accepted = {
        f"burst{i}" for i, r in enumerate(burst) if r["body"].get("data") and r["body"]["data"]["register"]["token"]
    }
    assert accepted <= users
    failed = len(burst) - len(accepted)
    print(
        f"postgres outage: {len(accepted)} registrations accepted before the stop, {failed} refused with SERVICE_UNAVAILABLE"
    )
