"""A bare Starlette endpoint returning fixed bytes from memory: the ceiling Beacon is measured against.

Run as: uvicorn --factory bench.bare:app_factory (BENCH_BODY_FILE names the bytes to return,
BENCH_CONTENT_TYPE their type). Every path answers, so the same wrk script drives it.
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
    media_type = os.environ.get("BENCH_CONTENT_TYPE", "application/json")

    async def endpoint(request: Request) -> Response:
        await request.body()
        return Response(body, media_type=media_type)

    return Starlette(routes=[Route("/{path:path}", endpoint, methods=["GET", "POST"])])
