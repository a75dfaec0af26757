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

from server import create_app
from settings import Settings

ROOT = Path(__file__).resolve().parent.parent


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
    config = uvicorn.Config(
        create_app(settings, manage_database=False), log_level="warning", lifespan="on", ws="websockets-sansio"
    )
    server = uvicorn.Server(config)
    server.install_signal_handlers = lambda: None
    task = asyncio.create_task(server.serve(sockets=[sock]))
    try:
        while not server.started:
            if task.done():
                task.result()
            await asyncio.sleep(0.01)
        yield f"127.0.0.1:{port}"
    finally:
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
        async with httpx.AsyncClient() as http:
            for _ in range(200):
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
        async with httpx.AsyncClient() as http:
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

    async def receive(self, timeout: float = 1.0) -> dict[str, Any]:
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
        ack = json.loads(await asyncio.wait_for(ws.recv(), 5))
        assert ack["type"] == "connection_ack", ack
        yield GraphQLWs(ws)


async def settle() -> None:
    """Give a just-sent subscribe message time to register on the server (the protocol has no ack)."""
    await asyncio.sleep(0.3)
