"""Memory stays flat however big the file: saving a 200 MB upload and serving a 150 MB range."""

import tracemalloc
from collections.abc import AsyncIterator, MutableMapping
from typing import Any

import pytest
from media_samples import wav_header
from starlette.applications import Starlette
from starlette.requests import Request

from media.endpoint import Access, media_routes
from media.storage import MediaStorage

MB = 1024 * 1024
PEAK_LIMIT = 20 * MB


async def big_wav(total: int) -> AsyncIterator[bytes]:
    """A valid WAV of `total` bytes, yielded in 1 MB chunks that are never all alive at once."""
    header = wav_header(total - 44)
    yield header
    sent, silence = len(header), bytes(MB)
    while sent < total:
        piece = silence[: min(MB, total - sent)]
        sent += len(piece)
        yield piece


async def test_saving_200_mb_keeps_memory_flat(storage: MediaStorage) -> None:
    tracemalloc.start()
    try:
        stored = await storage.save_stream(big_wav(200 * MB), max_bytes=300 * MB)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()

    assert stored.byte_size == 200 * MB
    assert stored.duration_seconds == pytest.approx((200 * MB - 44) / 16000, abs=0.01)
    assert peak < PEAK_LIMIT


async def test_serving_a_150_mb_range_keeps_memory_flat(storage: MediaStorage) -> None:
    sha = "ab" * 32
    path = storage.path_for(sha, ".wav")
    path.parent.mkdir(parents=True)
    with path.open("wb") as file:
        file.write(wav_header(200 * MB - 44))
        file.truncate(200 * MB)  # sparse: quick to make, reads back as zeros

    async def allow(request: Request, sha256: str) -> Access:
        return Access.PUBLIC

    app = Starlette(routes=media_routes(storage, allow))
    received = 0

    # httpx's ASGI transport buffers whole bodies, so talk ASGI directly and count the bytes.
    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: MutableMapping[str, Any]) -> None:
        nonlocal received
        if message["type"] == "http.response.body":
            received += len(message.get("body", b""))

    scope = _scope(f"/media/{sha}.wav", [(b"range", b"bytes=%d-" % (50 * MB))])
    tracemalloc.start()
    try:
        await app(scope, receive, send)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()

    assert received == 150 * MB
    assert peak < PEAK_LIMIT


def _scope(path: str, headers: list[tuple[bytes, bytes]]) -> dict[str, Any]:
    return {
        "type": "http",
        "asgi": {"version": "3.0", "spec_version": "2.4"},
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "root_path": "",
        "headers": [(b"host", b"beacon"), *headers],
        "client": ("127.0.0.1", 1234),
        "server": ("beacon", 80),
    }
