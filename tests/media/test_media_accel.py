"""With an accel prefix, allowed media is handed to nginx (X-Accel-Redirect); refusals stay 404."""

from collections.abc import AsyncIterator

import httpx
import pytest
from media_samples import chunked
from starlette.applications import Starlette
from starlette.requests import Request

from media.endpoint import Access, media_routes
from media.generate import tone_wav
from media.storage import MediaStorage

SAFETY = {"x-content-type-options": "nosniff", "content-security-policy": "default-src 'none'; sandbox"}


class Policy:
    def __init__(self) -> None:
        self.access: dict[str, Access] = {}

    async def __call__(self, request: Request, sha256: str) -> Access:
        return self.access.get(sha256, Access.NOT_FOUND)


@pytest.fixture
def policy() -> Policy:
    return Policy()


@pytest.fixture
async def client(storage: MediaStorage, policy: Policy) -> AsyncIterator[httpx.AsyncClient]:
    app = Starlette(routes=media_routes(storage, policy, accel_prefix="/_media/"))
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://beacon") as client:
        yield client


async def test_allowed_original_is_redirected_internally_with_its_headers(
    client: httpx.AsyncClient, storage: MediaStorage, policy: Policy
) -> None:
    stored = await storage.save_stream(chunked(tone_wav(0.2)), max_bytes=10**8)
    policy.access[stored.sha256] = Access.PUBLIC

    response = await client.get(f"/media/{stored.sha256}{stored.extension}", headers={"Range": "bytes=0-9"})

    assert response.status_code == 200 and response.content == b""
    assert response.headers["x-accel-redirect"] == f"/_media/{stored.relative_path}"
    assert response.headers["content-type"] == "audio/wav"
    assert response.headers["cache-control"] == "public, max-age=31536000, immutable"
    assert SAFETY.items() <= response.headers.items()


async def test_private_media_is_redirected_uncacheable_and_refused_media_is_plain_404(
    client: httpx.AsyncClient, storage: MediaStorage, policy: Policy
) -> None:
    stored = await storage.save_stream(chunked(tone_wav(0.3)), max_bytes=10**8)
    policy.access[stored.sha256] = Access.PRIVATE_ALLOWED
    allowed = await client.get(f"/media/{stored.sha256}{stored.extension}")
    assert allowed.headers["cache-control"] == "private, no-store" and "x-accel-redirect" in allowed.headers

    policy.access[stored.sha256] = Access.NOT_FOUND
    refused = await client.get(f"/media/{stored.sha256}{stored.extension}")
    assert refused.status_code == 404 and "x-accel-redirect" not in refused.headers
