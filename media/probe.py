"""Read durations from stored audio and video (blocking: call in a thread); images are probed as they are cleaned."""

from dataclasses import dataclass
from pathlib import Path
from typing import Final

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
        return Probe(duration_seconds=probe_duration(path, sniffed))
    return Probe()


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
