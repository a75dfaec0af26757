"""Resized renditions of stored images, made in the image pool on first request and kept on disk."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import secrets
import weakref
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from . import imaging
from .errors import NotStored, UnsupportedFormat
from .pool import ImagePool, image_pool
from .storage import MediaStorage

log = logging.getLogger("beacon.media")

# A short fixed list keeps the number of files per image (and the work an attacker can cause) small.
ALLOWED_WIDTHS: Final = (160, 320, 640, 960, 1280, 1920)
# Heights snap to the same list, and a box has two fits: with the two output formats that bounds the
# files per image at 2 x 6 x (1 + 6 x 2) = 156, whatever a client asks for.
ALLOWED_HEIGHTS: Final = ALLOWED_WIDTHS
FITS: Final = ("contain", "cover")
# Formats a variant may be converted to WebP from (GIFs stay GIFs: their animation is kept).
WEBP_CONVERTIBLE: Final = (".jpg", ".png")
_RESIZABLE: Final = {".jpg": "JPEG", ".png": "PNG", ".webp": "WEBP"}
# One render per target at a time in this process, shared by concurrent first requests (per event loop).
_rendering: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, dict[Path, asyncio.Task[Variant]]] = (
    weakref.WeakKeyDictionary()
)


@dataclass(frozen=True)
class Variant:
    """A rendition: a file on disk, or its bytes when the disk would not keep it (full, read-only)."""

    path: Path
    data: bytes | None = None


def snap_width(width: int) -> int:
    """Return the allowed width nearest to `width` (the larger one on a tie)."""
    return min(ALLOWED_WIDTHS, key=lambda allowed: (abs(allowed - width), -allowed))


def snap_height(height: int) -> int:
    """Return the allowed height nearest to `height` (the larger one on a tie)."""
    return min(ALLOWED_HEIGHTS, key=lambda allowed: (abs(allowed - height), -allowed))


def variant_name(width: int, height: int | None = None, fit: str = "contain") -> str:
    """The variant's name in its URL and on disk, sizes snapped: `w320`, or `w320h240-cover` for a box."""
    if fit not in FITS:
        raise ValueError(f"fit must be one of {', '.join(FITS)}")
    if height is None:
        return f"w{snap_width(width)}"
    return f"w{snap_width(width)}h{snap_height(height)}-{fit}"


async def variant(
    storage: MediaStorage,
    sha256: str,
    extension: str,
    width: int,
    *,
    height: int | None = None,
    fit: str = "contain",
    webp: bool = False,
    caller: str = "-",
    pool: ImagePool | None = None,
) -> Variant:
    """Return the image in the snapped shape, rendering it in the pool on first request.

    webp: the client accepts WebP, so a JPEG or PNG variant is written as WebP (a file of its own).
    """
    original = storage.path_for(sha256, extension)
    if not await asyncio.to_thread(original.is_file):
        raise NotStored(sha256)
    if extension == ".gif":
        return Variant(original)  # keeps animation (cleaned at upload); browsers scale GIFs well enough
    if extension not in _RESIZABLE:
        raise UnsupportedFormat(f"{extension} has no resized variants")
    name = variant_name(width, height, fit)
    converted = webp and extension in WEBP_CONVERTIBLE
    target = storage.variants_dir(sha256) / f"{name}{'.webp' if converted else extension}"
    if await asyncio.to_thread(target.is_file):
        return Variant(target)
    shape = imaging.Shape(
        snap_width(width),
        None if height is None else snap_height(height),
        fit,
        "WEBP" if converted else None,
    )
    return await _render_once(original, target, shape, caller, pool or image_pool())


async def variant_path(storage: MediaStorage, sha256: str, extension: str, width: int) -> Path:
    """Return the variant's file (rendering it if needed); the file may be missing if the disk refused it."""
    return (await variant(storage, sha256, extension, width)).path


async def _render_once(original: Path, target: Path, shape: imaging.Shape, caller: str, pool: ImagePool) -> Variant:
    """Share one render among concurrent first requests in this process: resizing is CPU-heavy."""
    tasks = _rendering.setdefault(asyncio.get_running_loop(), {})
    task = tasks.get(target)
    if task is None:
        task = asyncio.ensure_future(_render(original, target, shape, caller, pool))
        tasks[target] = task
        task.add_done_callback(lambda _: tasks.pop(target, None))
    return await asyncio.shield(task)  # one impatient client must not cancel the others' render


async def _render(original: Path, target: Path, shape: imaging.Shape, caller: str, pool: ImagePool) -> Variant:
    fmt = _RESIZABLE[original.suffix]
    # An original over the budget (stored before it existed) is refused from its header, without a worker.
    await asyncio.to_thread(imaging.inspect, original, fmt, pool.budget, shape=shape)
    data = await pool.run(caller, imaging.render, original, fmt, shape, pool.budget)
    try:
        await asyncio.to_thread(_keep, target, data)
    except OSError as error:
        # A full or read-only disk must not turn a good image into an error: serve it from memory.
        log.warning("variant not kept on disk (%s); served from memory", error.strerror or type(error).__name__)
        return Variant(target, data)
    return Variant(target)


def _keep(target: Path, data: bytes) -> None:
    """Write beside the final name, then rename: concurrent requests never see half a file."""
    target.parent.mkdir(parents=True, exist_ok=True)
    temp = target.with_name(f".{target.name}.{secrets.token_hex(8)}.part")
    try:
        with temp.open("xb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())  # a crash must not leave an empty file at an immutable URL
        os.replace(temp, target)
    finally:
        with contextlib.suppress(OSError):
            os.unlink(temp)
