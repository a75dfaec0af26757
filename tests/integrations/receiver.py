"""A local webhook receiver on a loopback port: records every request and answers as scripted."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from dataclasses import dataclass, field

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from tests.live import free_port


@dataclass
class Received:
    headers: dict[str, str]
    body: bytes


@dataclass
class Receiver:
    """Answers the first `fail_first` requests with 500 (or holds them while `hold` is set), then 200."""

    url: str = ""
    requests: list[Received] = field(default_factory=list)
    fail_first: int = 0
    hold: asyncio.Event | None = None
    arrived: asyncio.Event = field(default_factory=asyncio.Event)

    async def handle(self, request: Request) -> Response:
        self.requests.append(Received(dict(request.headers), await request.body()))
        self.arrived.set()
        if self.hold is not None:
            await self.hold.wait()
        if len(self.requests) <= self.fail_first:
            return Response("not now", status_code=500)
        return Response(status_code=204)

    async def wait_for(self, count: int, limit: float = 30) -> list[Received]:
        """Until `count` requests arrived (a generous bound for a busy machine; not a speed assertion)."""
        async with asyncio.timeout(limit):
            while len(self.requests) < count:
                self.arrived.clear()
                await self.arrived.wait()
        return self.requests

    def ids(self) -> list[str]:
        return [r.headers["webhook-id"] for r in self.requests]


@contextlib.asynccontextmanager
async def receiving(receiver: Receiver | None = None) -> AsyncIterator[Receiver]:
    """Serve a Receiver with uvicorn in this event loop at http://127.0.0.1:<port>/hook."""
    receiver = receiver or Receiver()
    app = Starlette(routes=[Route("/hook", receiver.handle, methods=["POST"])])
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, lifespan="off", log_level="warning"))
    task = asyncio.create_task(server.serve())
    while not server.started:
        assert not task.done(), "receiver did not start"
        await asyncio.sleep(0.02)
    receiver.url = f"http://127.0.0.1:{port}/hook"
    try:
        yield receiver
    finally:
        if receiver.hold is not None:
            receiver.hold.set()
        server.should_exit = True
        await asyncio.wait_for(task, 10)
