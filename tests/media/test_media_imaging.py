"""Stored images are cleaned: decoded whole at upload, upright, without metadata, within a decoding budget."""

import hashlib
import io
import resource
from pathlib import Path

import pytest
from media_samples import (
    SECRETS,
    animation,
    chunked,
    files_under,
    gif_with_metadata,
    image_bytes,
    marked,
    photo_with_metadata,
    png_bomb,
)
from PIL import Image

from media.errors import ImageTooLarge, UnsupportedFormat
from media.imaging import Budget
from media.pool import ImagePool, PoolLimits
from media.storage import MediaStorage, StoredFile
from media.variants import variant

EXTENSIONS = {"JPEG": ".jpg", "PNG": ".png", "WEBP": ".webp", "GIF": ".gif"}


async def save(storage: MediaStorage, data: bytes) -> StoredFile:
    return await storage.save_stream(chunked(data, 4096), max_bytes=10**8)


def stored_bytes(storage: MediaStorage, stored: StoredFile) -> bytes:
    return storage.path_for(stored.sha256, stored.extension).read_bytes()


def assert_no_metadata(data: bytes) -> None:
    assert [s for s in SECRETS if s in data] == []
    assert b"Exif\x00\x00" not in data and b"eXIf" not in data
    assert b"xmpmeta" not in data and b"XMP Data" not in data
    with Image.open(io.BytesIO(data)) as image:
        assert dict(image.getexif()) == {}
        kept = set(image.info) - {"icc_profile", "dpi", "jfif", "jfif_version", "jfif_unit", "jfif_density"}
        assert kept <= {"progressive", "progression", "loop", "duration", "background", "version", "extension"}, kept
        assert image.info.get("extension", (b"NETSCAPE2.0",))[0] == b"NETSCAPE2.0"  # GIF looping only


@pytest.mark.parametrize("fmt", ["JPEG", "PNG", "WEBP"])
async def test_stills_are_stored_without_any_metadata_but_keep_their_colour_profile(
    storage: MediaStorage, fmt: str
) -> None:
    upload = photo_with_metadata(fmt)
    assert all(s in upload for s in SECRETS)  # the sample really carries what must go

    stored = await save(storage, upload)

    data = stored_bytes(storage, stored)
    assert_no_metadata(data)
    with Image.open(io.BytesIO(upload)) as original, Image.open(io.BytesIO(data)) as image:
        assert (image.format, image.size) == (fmt, (320, 240))
        assert image.info["icc_profile"] == original.info["icc_profile"]


async def test_stored_sha256_names_the_cleaned_bytes(storage: MediaStorage) -> None:
    upload = photo_with_metadata("JPEG")

    stored = await save(storage, upload)
    again = await save(storage, upload)

    data = stored_bytes(storage, stored)
    assert stored.sha256 == hashlib.sha256(data).hexdigest() != hashlib.sha256(upload).hexdigest()
    assert stored.byte_size == len(data)
    assert stored.relative_path == f"{stored.sha256[:2]}/{stored.sha256[2:4]}/{stored.sha256}.jpg"
    assert (again.sha256, again.created) == (stored.sha256, False)  # cleaning is deterministic: still one file
    assert [p for p in files_under(storage.root) if p.suffix == ".part"] == []


@pytest.mark.parametrize("orientation", [3, 6, 8])
@pytest.mark.parametrize("fmt", ["JPEG", "PNG", "WEBP"])
async def test_orientation_is_applied_before_the_exif_goes(storage: MediaStorage, fmt: str, orientation: int) -> None:
    stored = await save(storage, photo_with_metadata(fmt, (320, 240), orientation))

    turned = orientation in (6, 8)
    assert (stored.width, stored.height) == ((240, 320) if turned else (320, 240))
    with Image.open(io.BytesIO(stored_bytes(storage, stored))) as image:
        rgb = image.convert("RGB")
        # The red quarter was top-left as stored; where it shows depends on the rotation.
        corner = {3: (300, 225), 6: (225, 15), 8: (15, 300)}[orientation]
        red, _, blue = rgb.getpixel(corner)  # type: ignore[misc]  # Pillow types getpixel's pixel as a union
        assert red > 150 and blue < 100, (orientation, rgb.getpixel(corner))


async def test_jpeg_keeps_its_quality_tables(storage: MediaStorage) -> None:
    upload = io.BytesIO()
    marked((400, 300)).save(upload, "JPEG", quality=60, exif=b"Exif\x00\x00" + bytes(20))
    with Image.open(io.BytesIO(upload.getvalue())) as original:
        tables = original.quantization  # type: ignore[attr-defined]  # JPEG- and GIF-only attributes Pillow does not declare on Image

    stored = await save(storage, upload.getvalue())

    with Image.open(io.BytesIO(stored_bytes(storage, stored))) as cleaned:
        assert cleaned.quantization == tables  # type: ignore[attr-defined]  # JPEG- and GIF-only attributes Pillow does not declare on Image


async def test_gif_keeps_every_frame_and_its_timing_byte_for_byte(storage: MediaStorage) -> None:
    upload = gif_with_metadata(frames=3)

    stored = await save(storage, upload)

    data = stored_bytes(storage, stored)
    assert_no_metadata(data)
    with Image.open(io.BytesIO(upload)) as before, Image.open(io.BytesIO(data)) as after:
        assert after.n_frames == before.n_frames == 3  # type: ignore[attr-defined]  # JPEG- and GIF-only attributes Pillow does not declare on Image
        for index in range(3):
            before.seek(index)
            after.seek(index)
            assert after.info["duration"] == before.info["duration"]
            assert after.convert("RGB").tobytes() == before.convert("RGB").tobytes()


@pytest.mark.parametrize("fmt", ["PNG", "WEBP"])
async def test_animated_png_and_webp_keep_their_frames_and_timing(storage: MediaStorage, fmt: str) -> None:
    stored = await save(storage, animation(fmt, frames=3))

    with Image.open(io.BytesIO(stored_bytes(storage, stored))) as image:
        assert image.n_frames == 3  # type: ignore[attr-defined]  # JPEG- and GIF-only attributes Pillow does not declare on Image
        durations = []
        for index in range(3):
            image.seek(index)
            image.load()  # WebP tells a frame's duration once it is decoded
            durations.append(image.info["duration"])
        assert durations == [100, 200, 300]


@pytest.mark.parametrize("fmt", ["JPEG", "PNG", "WEBP", "GIF"])
async def test_truncated_images_are_refused_at_upload(storage: MediaStorage, fmt: str) -> None:
    whole = image_bytes(fmt, (600, 400), **({"quality": 95} if fmt != "GIF" else {}))
    cut = whole[: len(whole) * 2 // 3]

    with pytest.raises(UnsupportedFormat) as refused:
        await save(storage, cut)

    assert "/" not in refused.value.reason  # no server paths in what the uploader is told
    assert files_under(storage.root) == []


async def test_an_image_that_decodes_to_more_bytes_than_the_budget_is_refused_before_decoding(tmp_path: Path) -> None:
    # The same 600x600 costs 360 KB as grey and 1.44 MB as RGBA: the budget counts decoded bytes.
    pool = ImagePool(PoolLimits(budget=Budget(max_decoded_bytes=1_000_000)))
    storage = MediaStorage(tmp_path / "media", pool)

    with pytest.raises(ImageTooLarge) as refused:
        await save(storage, png_bomb(600, 600, color_type=6))
    grey = await save(storage, png_bomb(600, 600, color_type=0))

    assert (refused.value.what, refused.value.limit) == ("bytes", 1_000_000)
    assert (grey.width, grey.height) == (600, 600)
    pool.close()


async def test_the_8000_pixel_png_bomb_is_refused_by_the_default_budget(storage: MediaStorage) -> None:
    bomb = png_bomb(8000, 8000)  # 249 KB on disk, 256 MB decoded: under 64 MP, over 200 MB
    assert len(bomb) < 300_000

    with pytest.raises(ImageTooLarge) as refused:
        await save(storage, bomb)

    assert refused.value.what == "bytes"
    assert files_under(storage.root) == []


async def test_a_small_images_variant_is_a_cleaned_copy_even_of_a_legacy_original(storage: MediaStorage) -> None:
    # An original stored before cleaning existed, still carrying GPS and camera data.
    legacy = photo_with_metadata("JPEG", (200, 100))
    sha256 = hashlib.sha256(legacy).hexdigest()
    path = storage.path_for(sha256, ".jpg")
    path.parent.mkdir(parents=True)
    path.write_bytes(legacy)

    made = await variant(storage, sha256, ".jpg", 1920)

    assert made.path != path and not made.path.samefile(path)
    data = made.path.read_bytes()
    assert_no_metadata(data)
    with Image.open(io.BytesIO(data)) as image:
        assert image.size == (200, 100)  # never upscaled


async def test_a_legacy_bomb_on_disk_is_refused_at_variant_time_without_decoding(storage: MediaStorage) -> None:
    bomb = png_bomb(8000, 8000)
    sha256 = hashlib.sha256(bomb).hexdigest()
    path = storage.path_for(sha256, ".png")
    path.parent.mkdir(parents=True)
    path.write_bytes(bomb)

    peak_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024

    with pytest.raises(ImageTooLarge):
        await variant(storage, sha256, ".png", 320)

    assert not storage.variants_dir(sha256).exists()
    # Decoding it here would have raised this process's peak by 256 MB (a PNG's orientation,
    # asked for too early, makes Pillow decode the whole image: the header check must not ask).
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024 - peak_before < 64 * 1024 * 1024


def test_extensions_cover_every_cleaned_format() -> None:
    from media.imaging import PILLOW_FORMATS
    from media.sniff import BY_EXTENSION

    assert {BY_EXTENSION[ext].mime_type for ext in EXTENSIONS.values()} == set(PILLOW_FORMATS)
