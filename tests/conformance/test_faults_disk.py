"""Faults: a disk that refuses to keep an image variant (full, or its folder a file) still gets the image served."""

from __future__ import annotations

import contextlib
import io
import subprocess
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from PIL import Image

from tests.content.factories import editor_token, png_bytes, upload
from tests.helpers import GraphQLClient
from tests.live import LiveServer


@contextlib.contextmanager
def full_filesystem(where: Path) -> Iterator[None]:
    """A 64 KB tmpfs on `where`, filled to the last byte (needs root and mount; skipped otherwise)."""
    where.mkdir(parents=True, exist_ok=True)
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(where)], capture_output=True, check=False
    )
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tiny tmpfs here ({mounted.stderr.decode().strip()}): the full disk needs root")
    try:
        with contextlib.suppress(OSError), (where / "filler").open("wb") as filler:
            while True:
                filler.write(bytes(4096))
                filler.flush()
        yield
    finally:
        subprocess.run(["umount", "-l", str(where)], check=False)


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.rglob("*") if p.is_file() and p.name != "filler") if folder.is_dir() else []


@pytest.mark.parametrize("fault", ["full disk", "not a directory"])
async def test_a_variant_the_disk_will_not_keep_is_served_from_memory(
    once: None, live_server: LiveServer, data_dir: Path, fault: str
) -> None:
    async with httpx.AsyncClient(base_url=live_server.url, timeout=60) as http:
        status, body = await upload(GraphQLClient(http), await editor_token(), png_bytes((1600, 1200)), "p.png")
        assert status == 200 and body["data"]["uploadMedia"]["errors"] == [], body
        sha256 = body["data"]["uploadMedia"]["asset"]["sha256"]
        variants = data_dir / "media" / "variants"
        with contextlib.ExitStack() as stack:
            if fault == "full disk":
                stack.enter_context(full_filesystem(variants))
            else:
                variants.write_bytes(b"")  # the variants folder's path is a regular file: ENOTDIR

            whole = await http.get(f"/media/{sha256}/w640.png")
            partial = await http.get(f"/media/{sha256}/w640.png", headers={"Range": "bytes=0-99"})
            head = await http.head(f"/media/{sha256}/w640.png")
            not_modified = await http.get(f"/media/{sha256}/w640.png", headers={"If-None-Match": f'"{sha256}-w640"'})

            assert whole.status_code == 200 and whole.headers["content-type"] == "image/png"
            with Image.open(io.BytesIO(whole.content)) as image:
                assert image.size == (640, 480)
            assert whole.headers["etag"] == f'"{sha256}-w640"'
            assert whole.headers["cache-control"] == "public, max-age=31536000, immutable"
            assert partial.status_code == 206 and partial.content == whole.content[:100]
            assert partial.headers["content-range"] == f"bytes 0-99/{len(whole.content)}"
            assert head.status_code == 200 and head.headers["content-length"] == str(len(whole.content))
            assert not_modified.status_code == 304
            if fault == "full disk":
                assert leftovers(variants) == []  # nothing half-written on the full disk
            assert "variant not kept on disk" in live_server.log()
        if fault == "not a directory":
            variants.unlink()
        # Once the disk takes writes again, the variant is kept as usual.
        again = await http.get(f"/media/{sha256}/w640.png")
        assert again.status_code == 200 and again.content == whole.content
        assert leftovers(variants) == ["w640.png"]
