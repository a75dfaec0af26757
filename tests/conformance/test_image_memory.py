"""Image bombs cannot exhaust a real server's memory (issue 11.3): the resident set of `beacon serve`
and its image workers is measured while a bomb is uploaded, a bomb already on disk is asked for in
every width, and the largest image the budget allows is rendered in every width at once.

Before the image pool, the same 8000x8000 PNG's six variants took the server to 4.6 GB.
"""

from __future__ import annotations

import asyncio
import hashlib
from pathlib import Path

import httpx

from media.variants import ALLOWED_WIDTHS
from models.content import MediaAsset, MediaKind
from tests.content.factories import editor_token, upload
from tests.helpers import GraphQLClient
from tests.live import LiveServer, PeakRss, rss_bytes, tree_rss_bytes
from tests.media.media_samples import png_bomb

MB = 1024 * 1024
# Generous: one worker decoding 100 MB plus its resize buffers, the fork server, Python's own memory.
TREE_GROWTH_LIMIT = 700 * MB
SERVER_GROWTH_LIMIT = 120 * MB


async def plant_legacy_original(media_dir: Path, data: bytes) -> str:
    """A file stored before uploads were cleaned, with its public row, as an old deployment has them."""
    sha256 = hashlib.sha256(data).hexdigest()
    path = media_dir / sha256[:2] / sha256[2:4] / f"{sha256}.png"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    await MediaAsset.create(
        kind=MediaKind.IMAGE, mime_type="image/png", extension=".png", byte_size=len(data), sha256=sha256
    )
    return sha256


async def every_width(http: httpx.AsyncClient, sha256: str) -> list[httpx.Response]:
    return await asyncio.gather(*(http.get(f"/media/{sha256}/w{width}.png") for width in ALLOWED_WIDTHS))


async def test_image_bombs_are_refused_and_image_work_is_bounded(
    once: None, live_server: LiveServer, data_dir: Path
) -> None:
    assert live_server.process is not None
    pid = live_server.process.pid
    token = await editor_token()
    bomb = png_bomb(8000, 8000)  # 249 KB that decodes to 256 MB
    async with httpx.AsyncClient(base_url=live_server.url, timeout=120) as http:
        gql = GraphQLClient(http)
        await http.get("/healthz")
        server_before, tree_before = rss_bytes(pid), tree_rss_bytes(pid)
        with PeakRss(pid) as sampled:
            status, refused = await upload(gql, token, bomb, "bomb.png", "image/png")
            legacy = await plant_legacy_original(data_dir / "media", bomb)
            legacy_variants = await every_width(http, legacy)
            big = png_bomb(5000, 5000, color_type=2)  # allowed: 100 MB decoded
            status_big, allowed = await upload(gql, token, big, "big.png", "image/png")
            sha256 = allowed["data"]["uploadMedia"]["asset"]["sha256"]
            big_variants = await every_width(http, sha256)
        server_after = rss_bytes(pid)

    errors = refused["data"]["uploadMedia"]["errors"]
    assert status == 200 and [(e["code"], e["field"]) for e in errors] == [("TOO_LARGE", "file")]
    assert "decoded" in errors[0]["message"]
    assert [r.status_code for r in legacy_variants] == [422] * len(ALLOWED_WIDTHS)
    assert {r.json()["errors"][0]["extensions"]["code"] for r in legacy_variants} == {"UNSUPPORTED_FORMAT"}
    assert status_big == 200 and allowed["data"]["uploadMedia"]["errors"] == []
    assert [r.status_code for r in big_variants] == [200] * len(ALLOWED_WIDTHS)
    growth = sampled.peak - tree_before
    print(f"server RSS {server_before / MB:.0f} -> {server_after / MB:.0f} MB; tree peak +{growth / MB:.0f} MB")
    assert growth < TREE_GROWTH_LIMIT, f"image work grew the server's processes by {growth / MB:.0f} MB"
    assert server_after - server_before < SERVER_GROWTH_LIMIT  # decoding never happens in the server itself
