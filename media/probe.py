"""Read durations from stored audio and video, and an MP4's picture size (blocking: call in a thread); images are
probed as they are cleaned."""

import struct
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, Final

import mutagen
import mutagen.aac
import mutagen.mp3
import mutagen.mp4
import mutagen.wave

from .sniff import Sniffed

_MUTAGEN_TYPES: Final[dict[str, type[mutagen.FileType]]] = {
    "audio/mpeg": mutagen.mp3.MP3,
    "audio/mp4": mutagen.mp4.MP4,
    "video/mp4": mutagen.mp4.MP4,
    "audio/aac": mutagen.aac.AAC,
    "audio/wav": mutagen.wave.WAVE,
}


@dataclass(frozen=True)
class Probe:
    """What the container says about its content; None where it says nothing."""

    width: int | None = None
    height: int | None = None
    duration_seconds: float | None = None


def probe(path: Path, sniffed: Sniffed) -> Probe:
    """Return a duration for audio and video; nothing for documents."""
    if sniffed.kind in ("AUDIO", "VIDEO"):
        width, height = mp4_size(path) if sniffed.mime_type == "video/mp4" else (None, None)
        return Probe(width=width, height=height, duration_seconds=probe_duration(path, sniffed))
    return Probe()


# Boxes walked into on the way to a track header; everything else is skipped by its size.
_CONTAINERS: Final = {b"moov": 0, b"trak": 0}
_MAX_BOXES: Final = 10_000


def mp4_size(path: Path) -> tuple[int | None, int | None]:
    """Width and height of an MP4's first track with a picture (its track header), or (None, None).

    Reads box headers only (seeking past payloads), so a large or damaged file costs a few reads.
    """
    try:
        with path.open("rb") as file:
            end = file.seek(0, 2)
            return _track_size(file, 0, end, budget=[_MAX_BOXES]) or (None, None)
    except (OSError, struct.error):
        return None, None


def _track_size(file: BinaryIO, start: int, end: int, budget: list[int]) -> tuple[int, int] | None:
    at = start
    while at + 8 <= end and budget[0] > 0:
        budget[0] -= 1
        file.seek(at)
        size, kind = struct.unpack(">I4s", file.read(8))
        header = 8
        if size == 1:
            size, header = struct.unpack(">Q", file.read(8))[0], 16
        elif size == 0:
            size = end - at
        if size < header or at + size > end:
            return None
        if kind in _CONTAINERS:
            found = _track_size(file, at + header, at + size, budget)
            if found:
                return found
        elif kind == b"tkhd":
            version = file.read(1)[0]
            file.seek(at + header + (88 if version == 1 else 76))  # past the fields before the 16.16 width
            width, height = (value >> 16 for value in struct.unpack(">II", file.read(8)))
            if width and height:
                return width, height
        at += size
    return None


def probe_duration(path: Path, sniffed: Sniffed) -> float | None:
    """Return the duration the container declares, or None (WebM, damaged files)."""
    try:
        parsed = _open_with_mutagen(path, sniffed)
    except (mutagen.MutagenError, OSError, ValueError):
        return None  # playable media without a readable duration is still allowed
    length = getattr(getattr(parsed, "info", None), "length", None)
    return round(float(length), 3) if length else None


def _open_with_mutagen(path: Path, sniffed: Sniffed) -> mutagen.FileType | None:
    file_type = _MUTAGEN_TYPES.get(sniffed.mime_type)
    if file_type is not None:
        return file_type(path)
    if sniffed.mime_type == "audio/ogg":
        ogg: mutagen.FileType | None = mutagen.File(path)  # picks Vorbis, Opus, FLAC or Speex
        return ogg
    return None
