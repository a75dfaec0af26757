"""Real servers on loopback ports and a graphql-transport-ws client, for end-to-end real-time tests."""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import socket
import subprocess
import sys
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import uvicorn
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed

from resolvers.events import EventBus
from server import create_app
from settings import Settings

ROOT = Path(__file__).resolve().parent.parent
# How long a test waits for something that should happen: generous, because a busy machine can
# delay a message by seconds; a message that never comes still fails the test, only later.
CEILING = 30.0
_BUSES: dict[str, EventBus] = {}  # host:port of a server_in_process -> its event bus


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextlib.asynccontextmanager
async def server_in_process(settings: Settings) -> AsyncIterator[str]:
    """A real uvicorn server in this event loop (sharing the test's open database); yields host:port."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    app = create_app(settings, manage_database=False)
    config = uvicorn.Config(app, log_level="warning", lifespan="on", ws="websockets-sansio")
    server = uvicorn.Server(config)
    server.install_signal_handlers = lambda: None
    task = asyncio.create_task(server.serve(sockets=[sock]))
    try:
        while not server.started:
            if task.done():
                task.result()
            await asyncio.sleep(0.01)
        address = f"127.0.0.1:{port}"
        _BUSES[address] = app.state.events
        yield address
    finally:
        _BUSES.pop(f"127.0.0.1:{port}", None)
        server.should_exit = True
        await asyncio.wait_for(task, 10)
        sock.close()


@contextlib.asynccontextmanager
async def server_process(env: dict[str, str]) -> AsyncIterator[str]:
    """A separate `uvicorn server:asgi_app` process; yields host:port once it answers /healthz."""
    port = free_port()
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "uvicorn",
            "--factory",
            "server:asgi_app",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--ws",
            "websockets-sansio",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env={**os.environ, **env},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        async with httpx.AsyncClient(timeout=CEILING) as http, asyncio.timeout(4 * CEILING):
            while True:  # a cold start under load (and coverage) can take many seconds
                if process.poll() is not None:
                    raise RuntimeError(f"server exited: {process.stderr.read().decode() if process.stderr else ''}")
                with contextlib.suppress(httpx.HTTPError):
                    if (await http.get(f"http://127.0.0.1:{port}/healthz")).status_code == 200:
                        break
                await asyncio.sleep(0.05)
        yield f"127.0.0.1:{port}"
    finally:
        process.terminate()
        try:
            await asyncio.to_thread(process.wait, 10)
        except subprocess.TimeoutExpired:
            process.kill()
        if process.stderr:
            process.stderr.close()


class Http:
    """GraphQL over HTTP to a real server."""

    def __init__(self, address: str) -> None:
        self.url = f"http://{address}/graphql"

    async def ok(self, query: str, variables: dict[str, Any] | None = None, *, token: str | None = None) -> Any:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        async with httpx.AsyncClient(timeout=CEILING) as http:
            response = await http.post(self.url, json={"query": query, "variables": variables or {}}, headers=headers)
        body = response.json()
        assert response.status_code == 200 and not body.get("errors"), body
        return body["data"]


class GraphQLWs:
    """A graphql-transport-ws client connection."""

    def __init__(self, ws: ClientConnection) -> None:
        self.ws = ws
        self.next_id = 0

    async def subscribe(self, query: str, variables: dict[str, Any] | None = None) -> str:
        self.next_id += 1
        op = str(self.next_id)
        await self.ws.send(
            json.dumps({"id": op, "type": "subscribe", "payload": {"query": query, "variables": variables or {}}})
        )
        return op

    async def closed(self, timeout: float = CEILING) -> tuple[int, str, list[dict[str, Any]]]:
        """Wait until the server closes the socket: its close code and reason, and what came before."""
        before: list[dict[str, Any]] = []
        try:
            async with asyncio.timeout(timeout):
                while True:
                    message = json.loads(await self.ws.recv())
                    if message["type"] not in ("ping", "pong"):
                        before.append(message)
        except ConnectionClosed as closed:
            assert closed.rcvd is not None, "the client closed, not the server"
            return closed.rcvd.code, closed.rcvd.reason, before

    async def receive(self, timeout: float = CEILING) -> dict[str, Any]:
        """The next message other than ping/pong, within the timeout."""
        while True:
            message: dict[str, Any] = json.loads(await asyncio.wait_for(self.ws.recv(), timeout))
            if message["type"] not in ("ping", "pong"):
                return message


@contextlib.asynccontextmanager
async def graphql_ws(address: str, token: str | None = None, *, origin: str | None = None) -> AsyncIterator[GraphQLWs]:
    headers = {"Origin": origin} if origin else None
    async with connect(
        f"ws://{address}/graphql",
        subprotocols=["graphql-transport-ws"],
        additional_headers=headers,
    ) as ws:
        payload = {"Authorization": f"Bearer {token}"} if token else {}
        await ws.send(json.dumps({"type": "connection_init", "payload": payload}))
        ack = json.loads(await asyncio.wait_for(ws.recv(), CEILING))
        assert ack["type"] == "connection_ack", ack
        yield GraphQLWs(ws)


def bus_of(address: str) -> EventBus:
    """The event bus of a server started by server_in_process."""
    return _BUSES[address]


async def unsubscribed(bus: EventBus, channel: str, *, ceiling: float = CEILING) -> None:
    """Wait until the server has dropped every subscription on the channel."""
    async with asyncio.timeout(ceiling):
        while await bus.subscribers(channel) > 0:  # noqa: ASYNC110 the server holds the state; poll it
            await asyncio.sleep(0.02)


async def subscribed(bus: EventBus, *channels: str, count: int = 1, ceiling: float = CEILING) -> None:
    """Wait until each channel has `count` subscribers (processes, on Redis): graphql-transport-ws does not
    acknowledge a subscribe, so an event published before the server registered it would be lost."""
    async with asyncio.timeout(ceiling):
        for channel in channels:
            while await bus.subscribers(channel) < count:  # noqa: ASYNC110 the server holds the state; poll it
                await asyncio.sleep(0.02)
