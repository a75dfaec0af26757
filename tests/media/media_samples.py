"""Real sample bytes for the media tests (a module, so tests can import it by a unique name)."""

import io
import struct
import zlib
from collections.abc import AsyncIterator
from pathlib import Path

from PIL import ExifTags, Image, PngImagePlugin


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


# Strings planted in every kind of metadata; none may survive in a stored image.
SECRETS = (b"PhoneCam-X1", b"beacon-secret-place", b"Serial-4711", b"Maker-Private")
XMP = (
    b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
    b'<rdf:Description xmlns:dc="http://purl.org/dc/elements/1.1/" dc:source="beacon-secret-place"/>'
    b"</rdf:RDF></x:xmpmeta>"
)


def camera_exif(orientation: int = 1) -> Image.Exif:
    """EXIF as a phone writes it: camera, serial, maker note, orientation and a GPS position."""
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "PhoneCam-X1"
    exif[ExifTags.Base.Orientation] = orientation
    private = exif.get_ifd(ExifTags.IFD.Exif)
    private[ExifTags.Base.BodySerialNumber] = "Serial-4711"
    private[ExifTags.Base.MakerNote] = b"Maker-Private"
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = (39.0, 54.0, 27.0)
    gps[ExifTags.GPS.GPSLongitudeRef] = "E"
    gps[ExifTags.GPS.GPSLongitude] = (116.0, 23.0, 50.0)
    gps[ExifTags.GPS.GPSAreaInformation] = "beacon-secret-place"
    return exif


def marked(size: tuple[int, int], mode: str = "RGB") -> Image.Image:
    """An image whose top-left quarter is red and the rest blue: orientation is visible in the pixels."""
    image = Image.new(mode, size, (20, 40, 220) if mode.startswith("RGB") else 200)
    image.paste((230, 20, 20) if mode.startswith("RGB") else 30, (0, 0, size[0] // 2, size[1] // 2))
    return image


def srgb_icc() -> bytes:
    from PIL import ImageCms

    return ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()


def photo_with_metadata(fmt: str, size: tuple[int, int] = (320, 240), orientation: int = 1) -> bytes:
    """A still in `fmt` carrying EXIF (GPS, serial, maker note), XMP, text or comments, and an ICC profile."""
    image = marked(size)
    out = io.BytesIO()
    exif = camera_exif(orientation).tobytes()
    if fmt == "JPEG":
        image.save(out, "JPEG", quality=92, exif=exif, xmp=XMP, comment=b"beacon-secret-place", icc_profile=srgb_icc())
    elif fmt == "PNG":
        info = PngImagePlugin.PngInfo()
        info.add_text("Comment", "beacon-secret-place")
        info.add_text("Author", "Serial-4711", zip=True)
        info.add_itxt("XML:com.adobe.xmp", XMP.decode())
        image.save(out, "PNG", pnginfo=info, exif=exif, icc_profile=srgb_icc())
    else:
        image.save(out, fmt, exif=exif, xmp=XMP, icc_profile=srgb_icc(), quality=90)
    return out.getvalue()


def gif_with_metadata(frames: int = 3) -> bytes:
    """An animated GIF with a comment and an XMP application extension."""
    pictures = [marked((64, 48)).quantize(colors=16) for _ in range(frames)]
    for i, picture in enumerate(pictures):
        picture.putpixel((i, i), 3)
    out = io.BytesIO()
    pictures[0].save(
        out,
        "GIF",
        save_all=True,
        append_images=pictures[1:],
        duration=[100, 200, 300][:frames],
        loop=0,
        comment=b"beacon-secret-place",
    )
    data = out.getvalue()
    xmp_block = b"\x21\xff\x0bXMP DataXMP" + _sub_blocks(XMP) + b"\x00"
    # Insert the XMP extension before the first image block, where tools put it.
    return data.replace(b"\x21\xf9", xmp_block + b"\x21\xf9", 1)


def _sub_blocks(data: bytes) -> bytes:
    return b"".join(bytes([len(data[i : i + 255])]) + data[i : i + 255] for i in range(0, len(data), 255))


def animation(fmt: str, frames: int = 3, size: tuple[int, int] = (40, 30)) -> bytes:
    """An animated PNG or WebP: each frame a different colour, 100/200/300 ms."""
    colors = [(200, 30, 30), (30, 200, 30), (30, 30, 200), (200, 200, 30)]
    pictures = [Image.new("RGBA", size, colors[i % 4] + (255,)) for i in range(frames)]
    out = io.BytesIO()
    pictures[0].save(
        out,
        fmt,
        save_all=True,
        append_images=pictures[1:],
        duration=[100, 200, 300, 400][:frames],
        loop=0,
        **({"lossless": True} if fmt == "WEBP" else {}),
    )
    return out.getvalue()


def png_bomb(width: int, height: int, *, color_type: int = 6) -> bytes:
    """A real, decodable PNG of zeros: tiny on disk, width x height x 4 bytes once decoded (RGBA)."""
    channels = {0: 1, 2: 3, 6: 4}[color_type]

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    compressor = zlib.compressobj(9)
    row = bytes(1 + width * channels)
    idat = b"".join(compressor.compress(row) for _ in range(height)) + compressor.flush()
    ihdr = struct.pack(">IIBBBBB", width, height, 8, color_type, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")


def hold_pixels(megabytes: int) -> int:
    """An image-pool job: decode-sized memory held and freed, as a render does; returns the RSS it reached."""
    image = Image.new("RGBA", (1000, megabytes * 1024 * 1024 // 4000))
    image.paste((1, 2, 3, 4), (0, 0, *image.size))
    reached = worker_rss()
    image.close()
    return reached


def worker_rss() -> int:
    """An image-pool job: the worker's resident memory in bytes."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024
    return 0
