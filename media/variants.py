"""Resized renditions of stored images, made on first request and kept on disk."""

import asyncio
import contextlib
import os
import shutil
from pathlib import Path
from typing import Final

from PIL import ExifTags, Image, ImageOps

from .errors import NotStored, UnsupportedFormat
from .storage import MediaStorage

# A short fixed list keeps the number of files per image (and the work an attacker can cause) small.
ALLOWED_WIDTHS: Final = (160, 320, 640, 960, 1280, 1920)
_rendering: dict[Path, asyncio.Future[None]] = {}
_RESIZABLE: Final = {".jpg": "JPEG", ".png": "PNG", ".webp": "WEBP"}
_SAVE_OPTIONS: Final[dict[str, dict[str, object]]] = {
    "JPEG": {"quality": 85, "optimize": True, "progressive": True},
    "PNG": {"optimize": True},
    "WEBP": {"quality": 82, "method": 4},
}


def snap_width(width: int) -> int:
    """Return the allowed width nearest to `width` (the larger one on a tie)."""
    return min(ALLOWED_WIDTHS, key=lambda allowed: (abs(allowed - width), -allowed))


async def variant_path(storage: MediaStorage, sha256: str, extension: str, width: int) -> Path:
    """Return a file holding the image at the snapped width, making it if needed."""
    original = storage.path_for(sha256, extension)
    if not await asyncio.to_thread(original.is_file):
        raise NotStored(sha256)
    if extension == ".gif":
        return original  # keeps animation; browsers scale GIFs well enough
    if extension not in _RESIZABLE:
        raise UnsupportedFormat(f"{extension} has no resized variants")
    target = storage.variants_dir(sha256) / f"w{snap_width(width)}{extension}"
    if not await asyncio.to_thread(target.is_file):
        await _render_once(original, target, snap_width(width), storage.temp_path())
    return target


async def _render_once(original: Path, target: Path, width: int, temp: Path) -> None:
    """Share one render among concurrent first requests in this process: resizing is CPU-heavy."""
    task = _rendering.get(target)
    if task is None:
        task = asyncio.ensure_future(asyncio.to_thread(_render, original, target, width, temp))
        _rendering[target] = task
        task.add_done_callback(lambda _: _rendering.pop(target, None))
    await asyncio.shield(task)  # one impatient client must not cancel the others' render


def _render(original: Path, target: Path, width: int, temp: Path) -> None:
    """Write the rendition to temp and rename it, so concurrent first requests never see half a file."""
    target.parent.mkdir(parents=True, exist_ok=True)
    temp.parent.mkdir(parents=True, exist_ok=True)
    try:
        with Image.open(original) as image:
            fmt = _RESIZABLE[original.suffix]
            if _upright_size(image)[0] <= width:
                _link_or_copy(original, temp)  # never upscale: the original is the rendition
            else:
                _resized(image, width).save(temp, format=fmt, **_SAVE_OPTIONS[fmt])
        os.replace(temp, target)
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temp)


def _turned(image: Image.Image) -> bool:
    """Say whether the EXIF orientation swaps width and height for display."""
    return image.getexif().get(ExifTags.Base.Orientation, 1) in (5, 6, 7, 8)


def _upright_size(image: Image.Image) -> tuple[int, int]:
    """Return the size as displayed."""
    return (image.height, image.width) if _turned(image) else image.size


def _resized(image: Image.Image, width: int) -> Image.Image:
    """Return the image upright and scaled to `width`, keeping its aspect ratio."""
    upright_width, upright_height = _upright_size(image)
    height = max(1, round(upright_height * width / upright_width))
    # JPEG can decode at 1/2, 1/4 or 1/8 scale directly: far less memory for big photos.
    image.draft(None, (height, width) if _turned(image) else (width, height))
    resized = ImageOps.exif_transpose(image).resize((width, height), Image.Resampling.LANCZOS)
    if image.format == "JPEG" and resized.mode not in ("RGB", "L", "CMYK"):
        resized = resized.convert("RGB")
    return resized  # saved without EXIF: variants never carry camera or GPS metadata


def _link_or_copy(original: Path, temp: Path) -> None:
    try:
        os.link(original, temp)  # no extra disk space for small originals
    except OSError:
        shutil.copyfile(original, temp)
