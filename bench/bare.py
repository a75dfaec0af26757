"""A bare Starlette endpoint returning fixed bytes from memory: the ceiling Beacon is measured against.

Run as: uvicorn --factory bench.bare:app_factory (BENCH_BODY_FILE names the bytes to return).
"""

from __future__ import annotations

import os
from pathlib import Path

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route


def app_factory() -> Starlette:
    body = Path(os.environ["BENCH_BODY_FILE"]).read_bytes()

    async def endpoint(request: Request) -> Response:
        await request.body()
        return Response(body, media_type="application/json")

    return Starlette(routes=[Route("/graphql", endpoint, methods=["GET", "POST"])])
