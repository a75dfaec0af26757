"""BEACON_ENV=production: no GraphiQL, no introspection, no suggestions, masked errors, a secret required."""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
import websockets

from resolvers import accounts
from server import create_app
from settings import Settings
from tests.helpers import TEST_DATA_KEY
from tests.live import ROOT, LiveServer, serve_in_process

LOGIN = 'mutation { login(input: {username: "alice", password: "correct horse battery"}) { token } }'
TYPO = "{ viewr { user { id } } }"
SECRET_DETAIL = "password hash $argon2id$v=19 for alice"


@pytest.fixture
def production(db: str, data_dir: Path) -> Settings:
    return Settings(
        database_url=db, data_dir=data_dir, secret_key="p" * 48, data_keys=(TEST_DATA_KEY,), env="production"
    )


@pytest.fixture
async def production_client(production: Settings) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=create_app(production, manage_database=False))
    async with httpx.AsyncClient(transport=transport, base_url="http://beacon.test") as client:
        yield client


@pytest.fixture
def broken_login(monkeypatch: pytest.MonkeyPatch) -> None:
    """A bug deep in the service layer whose message must never reach a client."""

    async def fail(**kwargs: object) -> None:
        raise RuntimeError(SECRET_DETAIL)

    monkeypatch.setattr(accounts, "login", fail)


async def test_no_did_you_mean_suggestions_in_production(
    production_client: httpx.AsyncClient, app_client: httpx.AsyncClient
) -> None:
    development = (await app_client.post("/graphql", json={"query": TYPO})).json()
    assert "Did you mean 'viewer'?" in development["errors"][0]["message"]
    for query in (
        TYPO,
        "query($x: Strin) { viewer { user { id } } }",
        '{ node(id: "x") { ... on Usr { id } } }',
    ):
        body = (await production_client.post("/graphql", json={"query": query})).json()
        messages = [e["message"] for e in body["errors"]]
        assert messages and not any("Did you mean" in m for m in messages), messages
    assert body["errors"][0]["extensions"]["code"] == "BAD_REQUEST"


async def test_unexpected_errors_are_masked_over_http(production_client: httpx.AsyncClient, broken_login: None) -> None:
    response = await production_client.post("/graphql", json={"query": LOGIN}, headers={"x-request-id": "req-1"})
    error = response.json()["errors"][0]
    assert error["message"] == "Internal error (request id req-1)."
    assert error["extensions"] == {"code": "INTERNAL", "requestId": "req-1"}
    assert SECRET_DETAIL not in response.text and "Traceback" not in response.text


async def test_unexpected_errors_are_masked_over_websocket(production: Settings, broken_login: None) -> None:
    async with (
        serve_in_process(create_app(production, manage_database=False)) as url,
        websockets.connect(
            url.replace("http", "ws", 1) + "/graphql",
            subprotocols=["graphql-transport-ws"],
        ) as ws,
    ):
        await ws.send(json.dumps({"type": "connection_init"}))
        assert json.loads(await ws.recv())["type"] == "connection_ack"
        await ws.send(json.dumps({"id": "1", "type": "subscribe", "payload": {"query": LOGIN}}))
        frames = [json.loads(await ws.recv()), json.loads(await ws.recv())]
    assert SECRET_DETAIL not in json.dumps(frames)
    assert frames[0]["type"] == "next" and frames[1] == {"id": "1", "type": "complete"}
    error = frames[0]["payload"]["errors"][0]
    assert error["extensions"]["code"] == "INTERNAL" and error["message"].startswith("Internal error (request id ")


async def test_a_production_server_process(once: None, db: str, data_dir: Path) -> None:
    refused = await asyncio.to_thread(
        subprocess.run,
        [sys.executable, "-m", "cli", "serve", "--port", "1"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,  # a ceiling for a hung process; a busy machine can make a cold CLI run slow
        env={
            **LiveServer(db, data_dir).environ,
            "BEACON_ENV": "production",
            "BEACON_SECRET_KEY": "",
        },
        check=False,
    )
    assert refused.returncode == 1 and "BEACON_SECRET_KEY" in refused.stderr
    with LiveServer(db, data_dir, env={"BEACON_ENV": "production"}) as server:
        async with httpx.AsyncClient(base_url=server.url) as client:
            assert (await client.get("/graphql", headers={"accept": "text/html"})).status_code == 404
            introspection = (await client.post("/graphql", json={"query": "{ __schema { types { name } } }"})).json()
            assert introspection["errors"][0]["extensions"]["code"] == "BAD_REQUEST" and "data" not in introspection
            typo = (await client.post("/graphql", json={"query": TYPO})).json()
            assert typo["errors"][0]["message"] == "Cannot query field 'viewr' on type 'Query'."
            assert (await client.post("/graphql", json={"query": "{ __typename }"})).json() == {
                "data": {"__typename": "Query"}
            }
