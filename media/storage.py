"""Content-addressed storage of uploaded media under one root folder."""

import asyncio
import contextlib
import dataclasses
import hashlib
import os
import re
import secrets
import shutil
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Final

import aiofiles
import aiofiles.os

from . import imaging
from .captions import Cue, parse_webvtt
from .errors import StorageFailed, TooLarge, UnsupportedFormat
from .pool import ImagePool, image_pool
from .probe import Probe, probe
from .sniff import HEAD_BYTES, SERVED, VTT, Sniffed, sniff

_SHA256: Final = re.compile(r"[0-9a-f]{64}")
_SEALED_NAME: Final = re.compile(r"[0-9a-f]{32}")
# Encrypts a whole file (the caller holds the keys: media knows no cryptography).
Sealer = Callable[[bytes], bytes]


@dataclass(frozen=True)
class StoredFile:
    """An original on disk and what we learned about it while saving."""

    sha256: str
    byte_size: int
    kind: str
    mime_type: str
    extension: str
    relative_path: str
    width: int | None
    height: int | None
    duration_seconds: float | None
    created: bool
    # Set for a sealed file: its name under root/sealed (no file was placed at the sha256 address).
    sealed_name: str | None = None


@dataclass(frozen=True)
class _Received:
    sha256: str
    byte_size: int
    sniffed: Sniffed


@dataclass(frozen=True)
class _Filed:
    """What goes into place: the file, its digest and size, what probing found."""

    path: Path
    sha256: str
    byte_size: int
    found: Probe


class MediaStorage:
    """Stores each distinct content once, at root/ab/cd/<sha256><ext>.

    Images are stored as cleaned by the image pool (upright, no metadata), so their sha256 is the
    digest of the cleaned bytes, not of the upload (docs/media.md says why).
    """

    def __init__(self, root: Path, pool: ImagePool | None = None) -> None:
        self.root = root
        self.pool = pool

    def relative_path(self, sha256: str, extension: str) -> str:
        """Return the POSIX path of an original, relative to root."""
        _check_key(sha256, extension)
        return f"{sha256[:2]}/{sha256[2:4]}/{sha256}{extension}"

    def path_for(self, sha256: str, extension: str) -> Path:
        """Return where the original with this content lives (or would live)."""
        return self.root / self.relative_path(sha256, extension)

    def variants_dir(self, sha256: str) -> Path:
        """Return the folder that holds resized renditions of one original."""
        _check_key(sha256, None)
        return self.root / "variants" / sha256[:2] / sha256[2:4] / sha256

    def temp_path(self) -> Path:
        """Return a fresh name in root/tmp, on the same filesystem as the final places."""
        return self.root / "tmp" / f"{secrets.token_hex(16)}.part"

    def exists(self, sha256: str, extension: str) -> bool:
        """Say whether the original is on disk."""
        return self.path_for(sha256, extension).is_file()

    async def delete(self, sha256: str, extension: str, *, idle_seconds: float = 0) -> bool:
        """Remove an original and its variants; return whether it was removed.

        With idle_seconds, an original stored (or stored again) more recently is kept: an upload of
        the same bytes may be about to record a row for it.
        """
        if idle_seconds and _touched_within(self.path_for(sha256, extension), idle_seconds):
            return False
        await asyncio.to_thread(shutil.rmtree, self.variants_dir(sha256), ignore_errors=True)
        try:
            await aiofiles.os.remove(self.path_for(sha256, extension))
        except FileNotFoundError:
            return False
        return True

    async def save_stream(self, chunks: AsyncIterator[bytes], *, max_bytes: int, caller: str = "-") -> StoredFile:
        """Stream an upload to disk, check it (cleaning images in the pool), and file it under its sha256."""

        async def place(filed: _Filed, sniffed: Sniffed) -> tuple[str, bool]:
            created = await _place(filed.path, self.path_for(filed.sha256, sniffed.extension))
            return self.relative_path(filed.sha256, sniffed.extension), created

        return await self._save(chunks, max_bytes, caller, place)

    async def save_captions(self, data: bytes) -> tuple[StoredFile, list[Cue]]:
        """Check a WebVTT file whole (UnsupportedFormat) and file it under its sha256 with `.vtt`; return its cues too."""
        cues = parse_webvtt(data)
        sha256 = hashlib.sha256(data).hexdigest()
        temp = self.temp_path()
        try:
            await aiofiles.os.makedirs(temp.parent, exist_ok=True)
            await asyncio.to_thread(_write_synced, temp, data)
            created = await _place(temp, self.path_for(sha256, VTT.extension))
        except OSError as exc:
            raise StorageFailed(f"{type(exc).__name__}: {exc.strerror or exc}") from exc
        finally:
            _discard(temp)
        stored = StoredFile(
            sha256=sha256,
            byte_size=len(data),
            kind=VTT.kind,
            mime_type=VTT.mime_type,
            extension=VTT.extension,
            relative_path=self.relative_path(sha256, VTT.extension),
            width=None,
            height=None,
            duration_seconds=cues[-1].end,
            created=created,
        )
        return stored, cues

    def sealed_path(self, name: str) -> Path:
        """Where a sealed (encrypted) private file lives: root/sealed/ab/<name>."""
        if not _SEALED_NAME.fullmatch(name):
            raise ValueError(f"not a sealed file name: {name!r}")
        return self.root / "sealed" / name[:2] / name

    async def save_sealed_stream(
        self, chunks: AsyncIterator[bytes], *, max_bytes: int, seal: Sealer, caller: str = "-"
    ) -> StoredFile:
        """Like save_stream, but what is kept is `seal(cleaned bytes)` under a random name, never the plain file.

        The plain bytes exist only in root/tmp while they are received, checked and cleaned.
        """
        name = secrets.token_hex(16)

        async def place(filed: _Filed, sniffed: Sniffed) -> tuple[str, bool]:
            await asyncio.to_thread(_seal_file, filed.path, self.sealed_path(name), seal)
            return self.sealed_path(name).relative_to(self.root).as_posix(), True

        stored = await self._save(chunks, max_bytes, caller, place)
        return dataclasses.replace(stored, sealed_name=name)

    async def _save(
        self,
        chunks: AsyncIterator[bytes],
        max_bytes: int,
        caller: str,
        place: Callable[[_Filed, Sniffed], Awaitable[tuple[str, bool]]],
    ) -> StoredFile:
        """Receive and check an upload in root/tmp (images cleaned in the pool), then let `place` keep it."""
        temp = self.temp_path()
        cleaned = self.temp_path()
        try:
            await aiofiles.os.makedirs(temp.parent, exist_ok=True)
            received = await _receive(chunks, temp, max_bytes)
            sniffed = received.sniffed
            if sniffed.kind == "IMAGE":
                filed = await self._clean(temp, cleaned, sniffed, caller)
            else:
                found = await asyncio.to_thread(probe, temp, sniffed)
                filed = _Filed(temp, received.sha256, received.byte_size, found)
            relative_path, created = await place(filed, sniffed)
        except OSError as exc:
            raise StorageFailed(f"{type(exc).__name__}: {exc.strerror or exc}") from exc
        finally:
            _discard(temp)
            _discard(cleaned)
        return StoredFile(
            sha256=filed.sha256,
            byte_size=filed.byte_size,
            kind=sniffed.kind,
            mime_type=sniffed.mime_type,
            extension=sniffed.extension,
            relative_path=relative_path,
            width=filed.found.width,
            height=filed.found.height,
            duration_seconds=filed.found.duration_seconds,
            created=created,
        )

    async def seal_in_place(self, sha256: str, extension: str, seal: Sealer) -> str:
        """Seal an original already stored in plain form into a new sealed file; return its name (the original stays)."""
        name = secrets.token_hex(16)
        await asyncio.to_thread(_seal_file, self.path_for(sha256, extension), self.sealed_path(name), seal)
        return name

    async def read_sealed(self, name: str) -> bytes | None:
        try:
            async with aiofiles.open(self.sealed_path(name), "rb") as file:
                return await file.read()
        except (FileNotFoundError, NotADirectoryError):
            return None

    async def delete_sealed(self, name: str) -> None:
        with contextlib.suppress(FileNotFoundError):
            await aiofiles.os.remove(self.sealed_path(name))

    async def _clean(self, upload: Path, cleaned: Path, sniffed: Sniffed, caller: str) -> _Filed:
        """Decode the whole image in the pool and keep its cleaned copy: upright, without metadata."""
        pool = self.pool or image_pool()
        fmt = imaging.PILLOW_FORMATS[sniffed.mime_type]
        # A bomb is refused from its header here, without taking a worker from anyone.
        await asyncio.to_thread(imaging.inspect, upload, fmt, pool.budget)
        result = await pool.run(caller, imaging.clean, upload, cleaned, fmt, pool.budget)
        return _Filed(cleaned, result.sha256, result.byte_size, Probe(width=result.width, height=result.height))


async def _receive(chunks: AsyncIterator[bytes], temp: Path, max_bytes: int) -> _Received:
    """Write chunks to temp while hashing; refuse early on size or format."""
    digest = hashlib.sha256()
    head = b""
    size = 0
    async with aiofiles.open(temp, "xb") as out:
        async for chunk in chunks:
            size += len(chunk)
            if size > max_bytes:
                raise TooLarge(max_bytes)
            if len(head) < HEAD_BYTES:
                head += chunk[: HEAD_BYTES - len(head)]
                if len(head) == HEAD_BYTES:
                    _sniff_or_refuse(head)  # refuse an executable before storing all of it
            digest.update(chunk)
            await out.write(chunk)
        await out.flush()
        # Without fsync a crash after the rename could leave an empty file at a valid address.
        await asyncio.to_thread(os.fsync, out.fileno())
    return _Received(sha256=digest.hexdigest(), byte_size=size, sniffed=_sniff_or_refuse(head))


def _sniff_or_refuse(head: bytes) -> Sniffed:
    sniffed = sniff(head)
    if sniffed is None:
        raise UnsupportedFormat("not an allowed image, audio, video or PDF format")
    return sniffed


async def _place(temp: Path, final: Path) -> bool:
    """Link temp into place; return False when identical bytes were already stored."""
    await aiofiles.os.makedirs(final.parent, exist_ok=True)
    try:
        # link() fails if the name exists, so exactly one concurrent upload sees created=True;
        # callers rely on that to decide whether deleting an orphan is theirs to do.
        await aiofiles.os.link(temp, final)
    except FileExistsError:
        # Mark the file as wanted again, so a purge of old unused files leaves it alone.
        with contextlib.suppress(FileNotFoundError):
            await asyncio.to_thread(os.utime, final)
        return False
    return True


def _seal_file(source: Path, target: Path, seal: Sealer) -> None:
    """Write seal(source's bytes) to target through a temp name, synced before the rename."""
    sealed = seal(source.read_bytes())
    target.parent.mkdir(parents=True, exist_ok=True)
    temp = target.with_name(f".{target.name}.{secrets.token_hex(8)}.part")
    try:
        with temp.open("xb") as out:
            out.write(sealed)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temp, target)
    finally:
        with contextlib.suppress(OSError):
            os.unlink(temp)


def _write_synced(path: Path, data: bytes) -> None:
    with path.open("xb") as out:
        out.write(data)
        out.flush()
        os.fsync(out.fileno())


def _touched_within(path: Path, seconds: float) -> bool:
    try:
        return time.time() - path.stat().st_mtime < seconds
    except FileNotFoundError:
        return False


def _discard(temp: Path) -> None:
    """Remove the temp file; synchronous so it also runs while a task is being cancelled."""
    with contextlib.suppress(FileNotFoundError, NotADirectoryError):
        os.unlink(temp)


def _check_key(sha256: str, extension: str | None) -> None:
    """Refuse anything but a lowercase hex digest and an allowed extension (no path tricks)."""
    if not _SHA256.fullmatch(sha256):
        raise ValueError(f"not a sha256 hex digest: {sha256!r}")
    if extension is not None and extension not in SERVED:
        raise ValueError(f"not an allowed extension: {extension!r}")
