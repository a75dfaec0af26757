"""Read dimensions and durations from stored files (blocking: call in a thread)."""

from dataclasses import dataclass
from pathlib import Path
from typing import Final

import mutagen
import mutagen.aac
import mutagen.mp3
import mutagen.mp4
import mutagen.wave
from PIL import Image, UnidentifiedImageError

from .errors import ImageTooLarge, UnsupportedFormat
from .sniff import Sniffed

# 64 MP covers 50 MP phone cameras; above that decoding costs too much memory.
MAX_IMAGE_PIXELS: Final = 64_000_000
# Pillow's own guard is process-wide; tighten it to ours so nothing in Beacon decodes more.
Image.MAX_IMAGE_PIXELS = MAX_IMAGE_PIXELS

_PILLOW_FORMATS: Final = {"image/jpeg": "JPEG", "image/png": "PNG", "image/webp": "WEBP", "image/gif": "GIF"}
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
    """Return dimensions for images and a duration for audio/video."""
    if sniffed.kind == "IMAGE":
        return probe_image(path, sniffed)
    if sniffed.kind in ("AUDIO", "VIDEO"):
        return Probe(duration_seconds=probe_duration(path, sniffed))
    return Probe()


def probe_image(path: Path, sniffed: Sniffed) -> Probe:
    """Open the image header with Pillow, refusing bombs and undecodable files."""
    try:
        with Image.open(path) as image:
            width, height = image.size
            if width * height > MAX_IMAGE_PIXELS:
                raise ImageTooLarge(MAX_IMAGE_PIXELS)  # before verify(), which reads the pixel data
            fmt = image.format
            image.verify()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        # The warning arrives as an exception only when warnings are errors; both mean "too big".
        raise ImageTooLarge(MAX_IMAGE_PIXELS) from exc
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise UnsupportedFormat(f"image does not decode: {exc}") from exc
    if fmt != _PILLOW_FORMATS[sniffed.mime_type]:
        raise UnsupportedFormat(f"sniffed {sniffed.mime_type} but Pillow reads {fmt}")
    return Probe(width=width, height=height)


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
