"""Real sample bytes for the media tests (a module, so tests can import it by a unique name)."""

import io
import struct
import zlib
from collections.abc import AsyncIterator
from pathlib import Path

from PIL import Image


def image_bytes(fmt: str, size: tuple[int, int] = (64, 48), **save: object) -> bytes:
    """A real image in `fmt`, with a diagonal so resizing has something to show."""
    image = Image.new("RGB", size, (30, 120, 200))
    for i in range(min(size)):
        image.putpixel((i, i), (250, 200, 40))
    out = io.BytesIO()
    image.save(out, format=fmt, **save)
    return out.getvalue()


def png_header_only(width: int, height: int) -> bytes:
    """A tiny PNG that claims huge dimensions: the shape of a decompression bomb."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    ihdr = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(bytes(4096))) + chunk(b"IEND", b"")
    )


def wav_header(data_bytes: int, rate: int = 8000) -> bytes:
    """A PCM mono 16-bit WAV header announcing `data_bytes` of samples."""
    fmt = struct.pack("<HHIIHH", 1, 1, rate, rate * 2, 2, 16)
    return (
        b"RIFF"
        + struct.pack("<I", 36 + data_bytes)
        + b"WAVE"
        + b"fmt "
        + struct.pack("<I", len(fmt))
        + fmt
        + b"data"
        + struct.pack("<I", data_bytes)
    )


async def chunked(data: bytes, size: int = 1000) -> AsyncIterator[bytes]:
    """Stream bytes as an upload would arrive: small chunks."""
    for start in range(0, len(data), size):
        yield data[start : start + size]


def files_under(root: Path) -> list[Path]:
    """Every regular file below root (empty folders do not count as leftovers)."""
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []
