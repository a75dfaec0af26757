"""The /media routes as a client sees them: ranges, validators, caching, privacy, safety headers."""

import asyncio
import io
import time
from collections.abc import AsyncIterator

import httpx
import pytest
from media_samples import chunked, image_bytes
from PIL import Image
from starlette.applications import Starlette
from starlette.requests import Request

from media.endpoint import Access, media_routes
from media.generate import courseware_pdf, tone_wav
from media.pool import PoolLimits, configure
from media.storage import MediaStorage, StoredFile

SAFETY = {
    "x-content-type-options": "nosniff",
    "content-security-policy": "default-src 'none'; sandbox",
    "referrer-policy": "no-referrer",
}


class Policy:
    """A stand-in privacy hook: access per sha256, NOT_FOUND for anything unknown."""

    def __init__(self) -> None:
        self.access: dict[str, Access] = {}

    async def __call__(self, request: Request, sha256: str) -> Access:
        return self.access.get(sha256, Access.NOT_FOUND)


@pytest.fixture
def policy() -> Policy:
    return Policy()


@pytest.fixture
async def client(storage: MediaStorage, policy: Policy) -> AsyncIterator[httpx.AsyncClient]:
    app = Starlette(routes=media_routes(storage, policy))
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://beacon") as client:
        yield client


async def upload(storage: MediaStorage, policy: Policy, data: bytes, access: Access = Access.PUBLIC) -> StoredFile:
    stored = await storage.save_stream(chunked(data), max_bytes=10**8)
    policy.access[stored.sha256] = access
    return stored


def url(stored: StoredFile) -> str:
    return f"/media/{stored.sha256}{stored.extension}"


async def test_get_serves_the_original_with_safe_cacheable_headers(
    client: httpx.AsyncClient, storage: MediaStorage, policy: Policy
) -> None:
    wav = tone_wav(0.5)
    stored = await upload(storage, policy, wav)

    response = await client.get(url(stored))

    assert response.status_code == 200
    assert response.content == wav
    assert response.headers["content-type"] == "audio/wav"
    assert response.headers["content-length"] == str(len(wav))
    assert response.headers["etag"] == f'"{stored.sha256}"'
    assert response.headers["last-modified"].endswith(" GMT")
    assert response.headers["accept-ranges"] == "bytes"
    assert response.headers["cache-control"] == "public, max-age=31536000, immutable"
    assert response.headers["content-disposition"] == "inline"
    assert SAFETY.items() <= response.headers.items()


async def test_head_sends_headers_only(client: httpx.AsyncClient, storage: MediaStorage, policy: Policy) -> None:
    wav = tone_wav(0.5)
    stored = await upload(storage, policy, wav)

    response = await client.head(url(stored))

    assert response.status_code == 200
    assert response.content == b""
    assert response.headers["content-length"] == str(len(wav))
    assert response.headers["etag"] == f'"{stored.sha256}"'


@pytest.mark.parametrize(
    ("range_header", "start", "end"),
    [("bytes=0-99", 0, 100), ("bytes=1000-", 1000, None), ("bytes=-500", -500, None), ("bytes=10-999999999", 10, None)],
)
async def test_single_range_gets_206(
    client: httpx.AsyncClient, storage: MediaStorage, policy: Policy, range_header: str, start: int, end: int | None
) -> None:
    wav = tone_wav(0.5)
    stored = await upload(storage, policy, wav)
    expected = wav[start:end]

    response = await client.get(url(stored), headers={"Range": range_header})

    assert response.status_code == 206
    assert response.content == expected
    first = start % len(wav)
    assert response.headers["content-range"] == f"bytes {first}-{first + len(expected) - 1}/{len(wav)}"
    assert response.headers["content-length"] == str(len(expected))
    assert SAFETY.items() <= response.headers.items()


async def test_range_past_the_end_gets_416(client: httpx.AsyncClient, storage: MediaStorage, policy: Policy) -> None:
    wav = tone_wav(0.5)
    stored = await upload(storage, policy, wav)

    response = await client.get(url(stored), headers={"Range": f"bytes={len(wav)}-"})

    assert response.status_code == 416
    assert response.headers["content-range"] == f"bytes */{len(wav)}"
    assert SAFETY.items() <= response.headers.items()


@pytest.mark.parametrize("range_header", ["bytes=0-9,20-29", "bytes=9-0", "items=0-9", "bytes=abc"])
async def test_several_or_malformed_ranges_get_the_whole_file(
    client: httpx.AsyncClient, storage: MediaStorage, policy: Policy, range_header: str
) -> None:
    wav = tone_wav(0.2)
    stored = await upload(storage, policy, wav)

    response = await client.get(url(stored), headers={"Range": range_header})

    assert (response.status_code, response.content) == (200, wav)


async def test_stale_if_range_gets_the_whole_file(
    client: httpx.AsyncClient, storage: MediaStorage, policy: Policy
) -> None:
    wav = tone_wav(0.2)
    stored = await upload(storage, policy, wav)

    stale = await client.get(url(stored), headers={"Range": "bytes=0-9", "If-Range": '"other"'})
    fresh = await client.get(url(stored), headers={"Range": "bytes=0-9", "If-Range": f'"{stored.sha256}"'})

    assert (stale.status_code, len(stale.content)) == (200, len(wav))
    assert (fresh.status_code, len(fresh.content)) == (206, 10)


@pytest.mark.parametrize("if_none_match", ['"{sha}"', 'W/"{sha}"', '"nope", "{sha}"', "*"])
async def test_matching_etag_gets_304(
    client: httpx.AsyncClient, storage: MediaStorage, policy: Policy, if_none_match: str
) -> None:
    stored = await upload(storage, policy, tone_wav(0.2))

    response = await client.get(url(stored), headers={"If-None-Match": if_none_match.format(sha=stored.sha256)})

    assert response.status_code == 304
    assert response.content == b""
    assert response.headers["etag"] == f'"{stored.sha256}"'
    assert response.headers["cache-control"] == "public, max-age=31536000, immutable"


async def test_if_modified_since_gets_304(client: httpx.AsyncClient, storage: MediaStorage, policy: Policy) -> None:
    stored = await upload(storage, policy, tone_wav(0.2))
    first = await client.get(url(stored))

    again = await client.get(url(stored), headers={"If-Modified-Since": first.headers["last-modified"]})
    older = await client.get(url(stored), headers={"If-Modified-Since": "Mon, 01 Jan 2001 00:00:00 GMT"})

    assert (again.status_code, older.status_code) == (304, 200)


async def test_private_media_is_not_cached_by_shared_caches(
    client: httpx.AsyncClient, storage: MediaStorage, policy: Policy
) -> None:
    stored = await upload(storage, policy, tone_wav(0.2), Access.PRIVATE_ALLOWED)

    response = await client.get(url(stored))

    assert response.status_code == 200
    assert response.headers["cache-control"] == "private, no-store"


async def test_private_media_denied_is_indistinguishable_from_missing(
    client: httpx.AsyncClient, storage: MediaStorage, policy: Policy
) -> None:
    stored = await upload(storage, policy, tone_wav(0.2), Access.NOT_FOUND)

    denied = await client.get(url(stored))
    missing = await client.get(f"/media/{'0' * 64}.wav")
    conditional = await client.get(url(stored), headers={"If-None-Match": "*", "Range": "bytes=0-1"})

    assert denied.status_code == missing.status_code == conditional.status_code == 404
    assert denied.content == missing.content == conditional.content
    assert denied.headers == missing.headers == conditional.headers
    assert SAFETY.items() <= denied.headers.items()
    assert denied.headers["cache-control"] == "no-store"


async def test_allowed_but_deleted_file_is_404(
    client: httpx.AsyncClient, storage: MediaStorage, policy: Policy
) -> None:
    stored = await upload(storage, policy, tone_wav(0.2))
    await storage.delete(stored.sha256, stored.extension)

    assert (await client.get(url(stored))).status_code == 404


@pytest.mark.parametrize(
    "path",
    [
        "/media/nothing.png",
        "/media/{sha}.exe",
        "/media/{sha}.jpg",
        "/media/{SHA}.wav",
        "/media/{sha}",
        "/media/{sha}.wav.wav",
        "/media/{sha}/w0.png",
        "/media/{sha}/wide.png",
        "/media/{sha}/w320.wav",
        "/media/..%2F..%2Fetc%2Fpasswd",
        "/media/{sha}/w320.png/extra",
    ],
)
async def test_malformed_paths_get_404(
    client: httpx.AsyncClient, storage: MediaStorage, policy: Policy, path: str
) -> None:
    stored = await upload(storage, policy, tone_wav(0.2))

    response = await client.get(path.format(sha=stored.sha256, SHA=stored.sha256.upper()))

    assert response.status_code == 404


async def test_pdf_is_downloaded_not_rendered(client: httpx.AsyncClient, storage: MediaStorage, policy: Policy) -> None:
    stored = await upload(storage, policy, courseware_pdf("Lesson", ["page"]))

    response = await client.get(url(stored))

    assert response.headers["content-type"] == "application/pdf"
    assert response.headers["content-disposition"] == "attachment"


async def test_variant_route_serves_the_snapped_width(
    client: httpx.AsyncClient, storage: MediaStorage, policy: Policy, png: bytes
) -> None:
    stored = await upload(storage, policy, png)

    response = await client.get(f"/media/{stored.sha256}/w300.png")
    cached = await client.get(f"/media/{stored.sha256}/w320.png", headers={"If-None-Match": f'"{stored.sha256}-w320"'})

    assert response.status_code == 200
    assert response.headers["content-type"] == "image/png"
    assert response.headers["etag"] == f'"{stored.sha256}-w320"'
    assert SAFETY.items() <= response.headers.items()
    with Image.open(io.BytesIO(response.content)) as image:
        assert image.size == (320, 160)
    assert cached.status_code == 304


async def test_variant_of_private_media_respects_the_hook(
    client: httpx.AsyncClient, storage: MediaStorage, policy: Policy, png: bytes
) -> None:
    stored = await upload(storage, policy, png, Access.NOT_FOUND)

    response = await client.get(f"/media/{stored.sha256}/w320.png")

    assert response.status_code == 404
    assert not storage.variants_dir(stored.sha256).exists()  # no work done for callers who may not see it


async def test_variants_past_the_image_pools_limits_get_typed_answers_with_retry_after(
    storage: MediaStorage, policy: Policy
) -> None:
    stored = await upload(storage, policy, image_bytes("PNG", (1000, 500)))
    # One worker, nothing waiting: a second job is refused at once, per caller or in total.
    pool = configure(PoolLimits(workers=1, per_caller=1, caller_queue=0, queue=0))
    app = Starlette(routes=media_routes(storage, policy, caller=lambda request: request.headers["x-caller"]))
    try:
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://beacon") as client:
            busy = asyncio.ensure_future(pool.run("same", time.sleep, 1.0))
            await asyncio.sleep(0.05)
            mine = await client.get(f"/media/{stored.sha256}/w320.png", headers={"x-caller": "same"})
            others = await client.get(f"/media/{stored.sha256}/w320.png", headers={"x-caller": "other"})
            await busy
            later = await client.get(f"/media/{stored.sha256}/w320.png", headers={"x-caller": "other"})
    finally:
        configure(PoolLimits())

    assert (mine.status_code, mine.json()["errors"][0]["extensions"]["code"]) == (429, "RATE_LIMITED")
    assert (others.status_code, others.json()["errors"][0]["extensions"]["code"]) == (503, "SERVICE_UNAVAILABLE")
    assert int(mine.headers["retry-after"]) > 0 and int(others.headers["retry-after"]) > 0
    assert mine.headers["cache-control"] == others.headers["cache-control"] == "no-store"
    assert later.status_code == 200


async def test_a_damaged_legacy_original_gets_a_404_for_its_variants_never_a_500(
    client: httpx.AsyncClient, storage: MediaStorage, policy: Policy
) -> None:
    whole = image_bytes("JPEG", (800, 600), quality=95)
    damaged = whole[: len(whole) // 2]
    sha256 = "cd" * 32
    path = storage.path_for(sha256, ".jpg")
    path.parent.mkdir(parents=True)
    path.write_bytes(damaged)  # stored before uploads were decoded whole
    policy.access[sha256] = Access.PUBLIC

    response = await client.get(f"/media/{sha256}/w320.jpg")

    assert response.status_code == 404
