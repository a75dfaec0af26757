"""Variants: widths snap to a short list, are made once, cached on disk, never upscaled."""

import asyncio
import io

import pytest
from media_samples import chunked, files_under, image_bytes
from PIL import ExifTags, Image

from media.errors import NotStored, UnsupportedFormat
from media.generate import courseware_pdf
from media.pool import image_pool
from media.storage import MediaStorage, StoredFile
from media.variants import ALLOWED_WIDTHS, snap_width, variant_path


async def save(storage: MediaStorage, data: bytes) -> StoredFile:
    return await storage.save_stream(chunked(data), max_bytes=10**8)


@pytest.mark.parametrize(
    ("asked", "snapped"),
    [(1, 160), (160, 160), (239, 160), (240, 320), (300, 320), (700, 640), (1100, 960), (1150, 1280), (5000, 1920)],
)
def test_snap_width_picks_the_nearest_allowed_width(asked: int, snapped: int) -> None:
    assert snap_width(asked) == snapped
    assert snapped in ALLOWED_WIDTHS


async def test_variant_is_resized_keeping_aspect_ratio_and_cached(storage: MediaStorage, png: bytes) -> None:
    stored = await save(storage, png)

    path = await variant_path(storage, stored.sha256, ".png", 300)
    made_at = path.stat().st_mtime_ns
    again = await variant_path(storage, stored.sha256, ".png", 330)

    assert path == again == storage.variants_dir(stored.sha256) / "w320.png"
    assert path.is_relative_to(storage.root / "variants")
    assert again.stat().st_mtime_ns == made_at
    with Image.open(path) as image:
        assert (image.format, image.size) == ("PNG", (320, 160))


async def test_small_images_are_never_upscaled(storage: MediaStorage) -> None:
    stored = await save(storage, image_bytes("JPEG", (200, 100)))

    path = await variant_path(storage, stored.sha256, ".jpg", 1920)

    with Image.open(path) as image:
        assert (image.format, image.size) == ("JPEG", (200, 100))


async def test_jpeg_variant_is_upright_and_drops_exif(storage: MediaStorage) -> None:
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = 6  # stored landscape, displayed portrait
    exif[ExifTags.Base.Make] = "PhoneCam"
    stored = await save(storage, image_bytes("JPEG", (1600, 1200), exif=exif.tobytes()))

    path = await variant_path(storage, stored.sha256, ".jpg", 640)

    with Image.open(path) as image:
        assert image.size == (640, 853)
        assert dict(image.getexif()) == {}


async def test_webp_keeps_its_format(storage: MediaStorage) -> None:
    stored = await save(storage, image_bytes("WEBP", (1000, 500)))

    path = await variant_path(storage, stored.sha256, ".webp", 160)

    with Image.open(path) as image:
        assert (image.format, image.size) == ("WEBP", (160, 80))


async def test_gif_is_served_as_its_original(storage: MediaStorage) -> None:
    stored = await save(storage, image_bytes("GIF", (800, 400)))

    assert await variant_path(storage, stored.sha256, ".gif", 320) == storage.path_for(stored.sha256, ".gif")


async def test_concurrent_first_requests_share_one_render(storage: MediaStorage, png: bytes) -> None:
    stored = await save(storage, png)
    pool = image_pool()
    before = pool.completed

    paths = await asyncio.gather(*(variant_path(storage, stored.sha256, ".png", 640) for _ in range(8)))

    assert len(set(paths)) == 1
    assert pool.completed == before + 1
    with Image.open(io.BytesIO(paths[0].read_bytes())) as image:
        image.load()
        assert image.size == (640, 320)
    assert [p for p in files_under(storage.root) if p.suffix == ".part"] == []


async def test_missing_original_and_non_images_have_no_variants(storage: MediaStorage) -> None:
    with pytest.raises(NotStored):
        await variant_path(storage, "0" * 64, ".png", 320)
    pdf = await save(storage, courseware_pdf("No variants", []))
    with pytest.raises(UnsupportedFormat):
        await variant_path(storage, pdf.sha256, ".pdf", 320)
