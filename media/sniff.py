"""Identify an upload's format from its first bytes, never its name or headers."""

from dataclasses import dataclass
from typing import Final

# Every check below looks at most this far into the file.
HEAD_BYTES: Final = 64


@dataclass(frozen=True)
class Sniffed:
    """An allowed format: kind (IMAGE, VIDEO, AUDIO, DOCUMENT), MIME type, extension."""

    kind: str
    mime_type: str
    extension: str


JPEG: Final = Sniffed("IMAGE", "image/jpeg", ".jpg")
PNG: Final = Sniffed("IMAGE", "image/png", ".png")
WEBP: Final = Sniffed("IMAGE", "image/webp", ".webp")
GIF: Final = Sniffed("IMAGE", "image/gif", ".gif")
MP4: Final = Sniffed("VIDEO", "video/mp4", ".mp4")
WEBM: Final = Sniffed("VIDEO", "video/webm", ".webm")
MP3: Final = Sniffed("AUDIO", "audio/mpeg", ".mp3")
M4A: Final = Sniffed("AUDIO", "audio/mp4", ".m4a")
AAC: Final = Sniffed("AUDIO", "audio/aac", ".aac")
OGG: Final = Sniffed("AUDIO", "audio/ogg", ".ogg")
WAV: Final = Sniffed("AUDIO", "audio/wav", ".wav")
PDF: Final = Sniffed("DOCUMENT", "application/pdf", ".pdf")

ALLOWED: Final = (JPEG, PNG, WEBP, GIF, MP4, WEBM, MP3, M4A, AAC, OGG, WAV, PDF)
BY_EXTENSION: Final = {s.extension: s for s in ALLOWED}
# Caption tracks (WebVTT) are never a media upload: they are checked whole (media/captions.py) and
# stored beside the originals, so the /media route serves them too (and makes no variants of them).
VTT: Final = Sniffed("CAPTIONS", "text/vtt", ".vtt")
SERVED: Final = {**BY_EXTENSION, VTT.extension: VTT}

_AUDIO_BRANDS: Final = frozenset({b"M4A ", b"M4B ", b"F4A ", b"F4B "})
_VIDEO_BRANDS: Final = frozenset(
    {
        b"isom",
        b"iso2",
        b"iso4",
        b"iso5",
        b"iso6",
        b"mp41",
        b"mp42",
        b"avc1",
        b"M4V ",
        b"M4VH",
        b"M4VP",
        b"dash",
        b"mmp4",
        b"f4v ",
    }
)
# First packet of an Ogg stream that carries audio; Theora video and others are refused.
_OGG_AUDIO_CODECS: Final = (b"\x01vorbis", b"OpusHead", b"\x7fFLAC", b"Speex   ")


def sniff(head: bytes) -> Sniffed | None:
    """Return the allowed format these first bytes (HEAD_BYTES suffice) start, or None."""
    for check in (_image, _riff, _iso_media, _webm, _ogg, _pdf, _mpeg_audio):
        found = check(head)
        if found is not None:
            return found
    return None


def _image(head: bytes) -> Sniffed | None:
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return GIF
    return None


def _riff(head: bytes) -> Sniffed | None:
    if not head.startswith(b"RIFF"):
        return None
    return {b"WEBP": WEBP, b"WAVE": WAV}.get(head[8:12])


def _iso_media(head: bytes) -> Sniffed | None:
    """MP4 family: an 'ftyp' box whose brands say audio or video."""
    if head[4:8] != b"ftyp":
        return None
    box_size = int.from_bytes(head[0:4], "big")
    brands = [head[8:12]] + [head[i : i + 4] for i in range(16, min(box_size, len(head)) - 3, 4)]
    if brands[0] in _AUDIO_BRANDS:
        return M4A
    if any(brand in _VIDEO_BRANDS for brand in brands):
        return MP4
    return None


def _webm(head: bytes) -> Sniffed | None:
    """EBML header whose DocType is 'webm' (plain Matroska is not allowed)."""
    if not head.startswith(b"\x1a\x45\xdf\xa3"):
        return None
    at = head.find(b"\x42\x82")
    if at < 0 or at + 3 > len(head):
        return None
    size = head[at + 2] & 0x7F  # DocType is short, so its size fits a one-byte vint
    return WEBM if head[at + 2] & 0x80 and head[at + 3 : at + 3 + size] == b"webm" else None


def _ogg(head: bytes) -> Sniffed | None:
    if not head.startswith(b"OggS") or len(head) < 28:
        return None
    packet = head[27 + head[26] :]
    return OGG if packet.startswith(_OGG_AUDIO_CODECS) else None


def _pdf(head: bytes) -> Sniffed | None:
    return PDF if head.startswith(b"%PDF-") else None


def _mpeg_audio(head: bytes) -> Sniffed | None:
    """MP3 (ID3 tag or an MPEG audio frame header) or raw AAC in ADTS frames."""
    if head.startswith(b"ID3") and len(head) >= 4 and head[3] in (2, 3, 4):
        return MP3
    if len(head) < 4 or head[0] != 0xFF:
        return None
    if head[1] & 0xF6 == 0xF0 and (head[2] >> 2) & 0x0F < 13:
        return AAC
    if _is_mp3_frame(head):
        return MP3
    return None


def _is_mp3_frame(head: bytes) -> bool:
    """Check frame sync plus fields that random bytes rarely get right."""
    version = (head[1] >> 3) & 0x03
    layer = (head[1] >> 1) & 0x03
    bitrate = head[2] >> 4
    sample_rate = (head[2] >> 2) & 0x03
    return head[1] & 0xE0 == 0xE0 and version != 1 and layer == 1 and bitrate not in (0, 15) and sample_rate != 3
