"""Saving streams: content addressing, dedup, limits, refusals and clean failure."""

import hashlib
import warnings
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from media_samples import chunked, files_under, image_bytes, png_header_only
from PIL import Image

from media.errors import ImageTooLarge, StorageFailed, TooLarge, UnsupportedFormat
from media.generate import tone_wav
from media.storage import MediaStorage


async def test_save_files_the_upload_under_its_sha256(storage: MediaStorage, png: bytes) -> None:
    stored = await storage.save_stream(chunked(png, 777), max_bytes=len(png))

    sha = hashlib.sha256(png).hexdigest()
    assert (stored.sha256, stored.byte_size, stored.created) == (sha, len(png), True)
    assert (stored.kind, stored.mime_type, stored.extension) == ("IMAGE", "image/png", ".png")
    assert (stored.width, stored.height, stored.duration_seconds) == (2000, 1000, None)
    assert stored.relative_path == f"{sha[:2]}/{sha[2:4]}/{sha}.png"
    assert storage.path_for(sha, ".png").read_bytes() == png
    assert storage.exists(sha, ".png")
    assert files_under(storage.root) == [storage.path_for(sha, ".png")]


async def test_identical_bytes_are_stored_once(storage: MediaStorage, png: bytes) -> None:
    first = await storage.save_stream(chunked(png), max_bytes=10**7)
    second = await storage.save_stream(chunked(png, 5000), max_bytes=10**7)

    assert (first.created, second.created) == (True, False)
    assert first.sha256 == second.sha256
    assert files_under(storage.root) == [storage.path_for(first.sha256, ".png")]


async def test_too_large_stops_reading_and_leaves_no_file(storage: MediaStorage, png: bytes) -> None:
    pulled = 0

    async def endless() -> AsyncIterator[bytes]:
        nonlocal pulled
        yield png[:1000]
        while True:
            pulled += 1
            yield bytes(1000)

    with pytest.raises(TooLarge) as caught:
        await storage.save_stream(endless(), max_bytes=50_000)

    assert caught.value.limit == 50_000
    assert pulled == 50  # the 51st chunk crossed the limit; nothing after it was read
    assert files_under(storage.root) == []


async def test_executable_is_refused_at_its_first_chunk(storage: MediaStorage) -> None:
    pulled = 0

    async def executable() -> AsyncIterator[bytes]:
        nonlocal pulled
        for _ in range(100):
            pulled += 1
            yield b"\x7fELF\x02\x01\x01\x00" + bytes(4088)

    with pytest.raises(UnsupportedFormat):
        await storage.save_stream(executable(), max_bytes=10**9)

    assert pulled == 1
    assert files_under(storage.root) == []


async def test_short_unknown_upload_is_refused(storage: MediaStorage) -> None:
    with pytest.raises(UnsupportedFormat):
        await storage.save_stream(chunked(b"<svg/>"), max_bytes=100)
    with pytest.raises(UnsupportedFormat):
        await storage.save_stream(chunked(b""), max_bytes=100)
    assert files_under(storage.root) == []


async def test_png_that_pillow_cannot_open_is_refused(storage: MediaStorage) -> None:
    fake = b"\x89PNG\r\n\x1a\n" + b"this is not a PNG at all, only its magic" * 10

    with pytest.raises(UnsupportedFormat):
        await storage.save_stream(chunked(fake), max_bytes=10_000)
    assert files_under(storage.root) == []


async def test_decompression_bomb_is_refused(storage: MediaStorage) -> None:
    bomb = png_header_only(100_000, 100_000)

    with pytest.raises(ImageTooLarge):
        await storage.save_stream(chunked(bomb), max_bytes=10**6)
    assert files_under(storage.root) == []


async def test_image_over_our_pixel_limit_is_refused_even_if_pillow_only_warns(storage: MediaStorage) -> None:
    # 9000 x 9000 sits between Pillow's warning and error thresholds; our own check decides.
    big = png_header_only(9000, 9000)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", Image.DecompressionBombWarning)
        with pytest.raises(ImageTooLarge):
            await storage.save_stream(chunked(big), max_bytes=10**6)
    assert files_under(storage.root) == []


async def test_wav_duration_comes_from_the_container(storage: MediaStorage) -> None:
    wav = tone_wav(2.5)

    stored = await storage.save_stream(chunked(wav, 4096), max_bytes=10**7)

    assert (stored.kind, stored.mime_type, stored.extension) == ("AUDIO", "audio/wav", ".wav")
    assert stored.duration_seconds == pytest.approx(2.5, abs=0.01)
    assert stored.width is None


async def test_unwritable_root_raises_storage_failed(tmp_path: Path, png: bytes) -> None:
    # Tests run as root, so chmod cannot make a folder read-only; a root below a file cannot be created.
    (tmp_path / "a-file").write_bytes(b"x")
    storage = MediaStorage(tmp_path / "a-file" / "media")

    with pytest.raises(StorageFailed):
        await storage.save_stream(chunked(png), max_bytes=10**7)
    assert files_under(tmp_path) == [tmp_path / "a-file"]


async def test_failure_when_filing_removes_the_streamed_temp_file(storage: MediaStorage, png: bytes) -> None:
    sha = hashlib.sha256(png).hexdigest()
    storage.root.mkdir(parents=True)
    (storage.root / sha[:2]).write_bytes(b"blocks the folder the upload needs")

    with pytest.raises(StorageFailed):
        await storage.save_stream(chunked(png), max_bytes=10**7)
    assert files_under(storage.root) == [storage.root / sha[:2]]


async def test_upload_stream_failing_midway_leaves_no_file(storage: MediaStorage, png: bytes) -> None:
    async def broken() -> AsyncIterator[bytes]:
        yield png[:5000]
        raise ConnectionResetError("client went away")

    with pytest.raises(StorageFailed):
        await storage.save_stream(broken(), max_bytes=10**7)
    assert files_under(storage.root) == []


async def test_upload_stream_raising_other_errors_propagates_them(storage: MediaStorage, png: bytes) -> None:
    async def broken() -> AsyncIterator[bytes]:
        yield png[:5000]
        raise RuntimeError("parser bug")

    with pytest.raises(RuntimeError):
        await storage.save_stream(broken(), max_bytes=10**7)
    assert files_under(storage.root) == []


async def test_delete_removes_original_and_its_variants(storage: MediaStorage, png: bytes) -> None:
    stored = await storage.save_stream(chunked(png), max_bytes=10**7)
    storage.variants_dir(stored.sha256).mkdir(parents=True)
    (storage.variants_dir(stored.sha256) / "w160.png").write_bytes(b"x")

    assert await storage.delete(stored.sha256, ".png") is True
    assert await storage.delete(stored.sha256, ".png") is False
    assert files_under(storage.root) == []


@pytest.mark.parametrize(("sha", "ext"), [("../../etc/passwd", ".png"), ("A" * 64, ".png"), ("a" * 64, ".exe")])
def test_paths_refuse_anything_but_a_digest_and_an_allowed_extension(storage: MediaStorage, sha: str, ext: str) -> None:
    with pytest.raises(ValueError):
        storage.path_for(sha, ext)


async def test_jpeg_and_webp_are_probed(storage: MediaStorage) -> None:
    jpeg = await storage.save_stream(chunked(image_bytes("JPEG", (300, 200))), max_bytes=10**6)
    webp = await storage.save_stream(chunked(image_bytes("WEBP", (30, 20))), max_bytes=10**6)

    assert (jpeg.extension, jpeg.width, jpeg.height) == (".jpg", 300, 200)
    assert (webp.extension, webp.width, webp.height) == (".webp", 30, 20)
