"""Pillow work on images: clean an upload, render a variant (blocking; run in the image pool's processes).

Each job opens the file itself and checks the decoding budget against the header before a pixel is
decoded. The budget counts decoded bytes (width x height x the bytes Pillow holds per pixel), not only
pixels: an 8000x8000 RGBA PNG is 64 MP but 256 MB once decoded, from a 250 KB file.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import math
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

from PIL import ExifTags, Image, ImageOps, ImageSequence, JpegImagePlugin, UnidentifiedImageError

from . import gif
from .errors import ImageTooLarge, UnsupportedFormat

# Pillow refuses on its own beyond twice this; ours is the only image code in the process.
Image.MAX_IMAGE_PIXELS = 64_000_000

# Pillow keeps 1 byte per pixel for these modes, 2 for 16-bit grey, and 4 for every other mode
# (RGB is held in 4 bytes like RGBA). P counts as 4: variants turn it into RGB(A) to resize well.
_PIXEL_BYTES: Final = {"1": 1, "L": 1, "I;16": 2, "I;16B": 2, "I;16L": 2, "I;16N": 2}
_DAMAGED: Final = "the image data is damaged or incomplete"
PILLOW_FORMATS: Final = {"image/jpeg": "JPEG", "image/png": "PNG", "image/webp": "WEBP", "image/gif": "GIF"}
_VARIANT_OPTIONS: Final[dict[str, dict[str, Any]]] = {
    "JPEG": {"quality": 85, "optimize": True, "progressive": True},
    "PNG": {"optimize": True},
    "WEBP": {"quality": 82, "method": 4},
}
# Modes each format's variants are written in; anything else is converted first.
_VARIANT_MODES: Final = {"JPEG": ("L", "RGB", "CMYK"), "PNG": ("L", "LA", "RGB", "RGBA"), "WEBP": ("RGB", "RGBA")}


@dataclass(frozen=True)
class Budget:
    """What decoding one image may cost; images over it are refused before any pixel is decoded."""

    max_pixels: int = 64_000_000
    max_decoded_bytes: int = 200_000_000
    # All frames of an animation together: decoding each one costs CPU even when memory is reused.
    max_animation_pixels: int = 400_000_000


@dataclass(frozen=True)
class Cleaned:
    """The stored image as written: upright, without metadata, and its own digest."""

    width: int
    height: int
    sha256: str
    byte_size: int


def decoded_bytes(image: Image.Image) -> int:
    """Bytes Pillow allocates to hold one decoded frame of this image."""
    return image.width * image.height * _PIXEL_BYTES.get(image.mode, 4)


def check_budget(image: Image.Image, budget: Budget, *, frames: int = 1, whole_animation: bool = False) -> None:
    """Refuse an image whose header promises more decoding than the budget allows."""
    pixels = image.width * image.height
    if pixels > budget.max_pixels:
        raise ImageTooLarge(budget.max_pixels, "pixels")
    held = decoded_bytes(image) * (frames if whole_animation else 1)
    if held > budget.max_decoded_bytes:
        raise ImageTooLarge(budget.max_decoded_bytes, "bytes")
    if pixels * frames > budget.max_animation_pixels:
        raise ImageTooLarge(budget.max_animation_pixels, "pixels in all frames")


def clean(source: Path, target: Path, fmt: str, budget: Budget) -> Cleaned:
    """Decode the whole upload (refusing bombs and damaged files), turn it upright, and write it without metadata."""
    with _opened(source, fmt) as image:
        frames = getattr(image, "n_frames", 1)
        if fmt == "GIF":
            check_budget(image, budget, frames=frames)
            size = image.size
            _decode_frames(image, keep=False)
            with source.open("rb") as original, target.open("wb") as out:
                gif.strip(original, out)
        elif frames > 1:
            # Pillow's APNG and WebP writers hold every frame until the file is written.
            check_budget(image, budget, frames=frames, whole_animation=True)
            size = image.size
            _write_animation(image, target, fmt, _decode_frames(image, keep=True), source)
        else:
            check_budget(image, budget)
            _decode(image)
            ImageOps.exif_transpose(image, in_place=True)
            size = image.size
            _write_still(image, target, fmt, _clean_options(image, fmt, source))
    digest, byte_size = _digest(target)
    return Cleaned(width=size[0], height=size[1], sha256=digest, byte_size=byte_size)


@dataclass(frozen=True)
class Shape:
    """What a variant should look like: a width, optionally a box (width x height) and how to fit it.

    fit "contain": the whole picture inside the box; "cover": the box filled, the overflow cropped
    from the centre. Never upscaled: a cover box larger than the image gives the largest centre crop
    with the box's proportions. out_fmt is the format written (None: the original's own).
    """

    width: int
    height: int | None = None
    fit: str = "contain"
    out_fmt: str | None = None


@dataclass(frozen=True)
class _Plan:
    """Where a shape lands on one upright image: the crop taken from it and the size it is resized to."""

    crop: tuple[int, int, int, int]
    size: tuple[int, int]


def plan(upright: tuple[int, int], shape: Shape) -> _Plan:
    """Crop and output size for an upright image of this size (pure arithmetic, easy to test)."""
    width, height = upright
    if shape.height is None:
        out_width = min(shape.width, width)
        return _Plan((0, 0, width, height), (out_width, max(1, round(height * out_width / width))))
    if shape.fit == "cover":
        factor = min(1.0, width / shape.width, height / shape.height)
        size = (max(1, round(shape.width * factor)), max(1, round(shape.height * factor)))
        crop_width = min(width, height * shape.width / shape.height)
        crop_height = min(height, width * shape.height / shape.width)
        left, top = (width - crop_width) / 2, (height - crop_height) / 2
        crop = (round(left), round(top), round(left + crop_width), round(top + crop_height))
        return _Plan(crop, size)
    factor = min(1.0, shape.width / width, shape.height / height)
    return _Plan((0, 0, width, height), (max(1, round(width * factor)), max(1, round(height * factor))))


def inspect(source: Path, fmt: str, budget: Budget, *, width: int | None = None, shape: Shape | None = None) -> None:
    """Check the header against the budget without decoding a pixel (cheap enough for the server process).

    With width (or a shape), check what rendering that variant would decode (JPEG decodes reduced).
    """
    if shape is None and width is not None:
        shape = Shape(width)
    with _opened(source, fmt) as image:
        if shape is not None:
            _draft(image, shape)
            check_budget(image, budget)
            return
        frames = getattr(image, "n_frames", 1)
        check_budget(image, budget, frames=frames, whole_animation=fmt != "GIF" and frames > 1)


def render(source: Path, fmt: str, width: int | Shape, budget: Budget) -> bytes:
    """Return the image upright in the shape (a bare width: that width), without metadata.

    Written in the shape's format (WebP on request), else in the original's own.
    """
    shape = width if isinstance(width, Shape) else Shape(width)
    out_fmt = shape.out_fmt or fmt
    with _opened(source, fmt) as image:
        _draft(image, shape)
        check_budget(image, budget)
        _decode(image)
        ImageOps.exif_transpose(image, in_place=True)
        placed = plan(image.size, shape)
        mode = _variant_mode(image, out_fmt)
        converted = image if image.mode == mode else image.convert(mode)
        # reducing_gap: shrink by whole factors first (cheap box filter), then resample what is left.
        resized = converted.resize(placed.size, Image.Resampling.LANCZOS, box=placed.crop, reducing_gap=3.0)
        resized.info = {}  # resize copies info; JPEG's writer would put a comment back from it
        out = io.BytesIO()
        icc = image.info.get("icc_profile")
        resized.save(out, format=out_fmt, **_VARIANT_OPTIONS[out_fmt], **({"icc_profile": icc} if icc else {}))
        return out.getvalue()


def _draft(image: Image.Image, shape: Shape) -> None:
    """JPEG only: decode at 1/2, 1/4 or 1/8 scale when that still covers the variant (far less memory).

    Only JPEG, whose EXIF is read with its header: Pillow finds a PNG's orientation by decoding it all.
    """
    if image.format != "JPEG":
        return
    turned = _orientation(image) in (5, 6, 7, 8)
    upright = (image.height, image.width) if turned else image.size
    placed = plan(upright, shape)
    # The whole upright image at the scale the crop is resized by: what the decode must still cover.
    scale = placed.size[0] / max(1, placed.crop[2] - placed.crop[0])
    width, height = max(1, math.ceil(upright[0] * scale)), max(1, math.ceil(upright[1] * scale))
    image.draft(None, (height, width) if turned else (width, height))


@contextlib.contextmanager
def _opened(source: Path, fmt: str) -> Iterator[Image.Image]:
    """Open a file as exactly one format; anything Pillow cannot read is UnsupportedFormat."""
    try:
        image = Image.open(source, formats=[fmt])
    except Image.DecompressionBombError:
        raise ImageTooLarge(Image.MAX_IMAGE_PIXELS or 0, "pixels") from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError):
        raise UnsupportedFormat(f"not a readable {fmt} image") from None
    with image:
        yield image


def _decode(image: Image.Image) -> None:
    """Decode every pixel now: a truncated or damaged file is refused here, not at a later request."""
    try:
        image.load()
    except Image.DecompressionBombError:
        raise ImageTooLarge(Image.MAX_IMAGE_PIXELS or 0, "pixels") from None
    except (OSError, SyntaxError, ValueError, EOFError, IndexError):
        raise UnsupportedFormat(_DAMAGED) from None


def _decode_frames(image: Image.Image, *, keep: bool) -> list[tuple[Image.Image, int]]:
    """Decode every frame in turn; with keep, return each (full canvas, RGBA) with its duration in ms."""
    frames = []
    try:
        for frame in ImageSequence.Iterator(image):
            _decode(frame)
            if keep:
                frames.append((frame.convert("RGBA"), _duration(frame)))
    except (OSError, EOFError, ValueError):
        raise UnsupportedFormat(_DAMAGED) from None
    return frames


def _duration(frame: Image.Image) -> int:
    value = frame.info.get("duration", 100)
    return max(0, int(value)) if isinstance(value, int | float) else 100


def _write_animation(
    image: Image.Image, target: Path, fmt: str, frames: list[tuple[Image.Image, int]], source: Path
) -> None:
    """Write decoded frames as a new animation: timing and looping kept, no metadata."""
    options: dict[str, Any] = {
        "save_all": True,
        "append_images": [frame for frame, _ in frames[1:]],
        "duration": [duration for _, duration in frames],
        "loop": int(image.info.get("loop", 0)),
    }
    if fmt == "WEBP":
        options.update(_webp_quality(source))
    frames[0][0].save(target, format=fmt, **options)


def _write_still(image: Image.Image, target: Path, fmt: str, options: dict[str, Any]) -> None:
    """Save with only the options given: nothing Pillow read from the file (EXIF, XMP, text, comments) goes back."""
    image.info = {}
    image.save(target, format=fmt, **options)


def _clean_options(image: Image.Image, fmt: str, source: Path) -> dict[str, Any]:
    """Encoder options that keep the picture as it was: JPEG tables, PNG transparency, WebP losslessness, ICC."""
    options: dict[str, Any] = {}
    if icc := image.info.get("icc_profile"):
        options["icc_profile"] = icc  # colour, not metadata about the person or the camera
    if fmt == "JPEG" and isinstance(image, JpegImagePlugin.JpegImageFile):
        # The file's own quantisation and subsampling: re-encoding loses next to nothing.
        options.update(qtables=image.quantization, subsampling=JpegImagePlugin.get_sampling(image))
        options["progressive"] = bool(image.info.get("progressive"))
    elif fmt == "PNG" and "transparency" in image.info:
        options["transparency"] = image.info["transparency"]
    elif fmt == "WEBP":
        options.update(_webp_quality(source))
    return options


def _webp_quality(source: Path) -> dict[str, Any]:
    """Lossless stays lossless; lossy is written at a high quality so a second generation loses little."""
    return {"lossless": True} if _webp_is_lossless(source) else {"quality": 90, "method": 4}


def _webp_is_lossless(path: Path) -> bool:
    """True when the file's image data is VP8L (lossless), read from its RIFF chunks."""
    with path.open("rb") as file:
        file.seek(12)
        while header := file.read(8):
            if len(header) < 8:
                return False
            kind, size = header[:4], int.from_bytes(header[4:], "little")
            if kind in (b"VP8L", b"VP8 "):
                return kind == b"VP8L"
            file.seek(size + (size & 1), io.SEEK_CUR)
    return False


def _orientation(image: Image.Image) -> int:
    value = image.getexif().get(ExifTags.Base.Orientation, 1)
    return value if isinstance(value, int) else 1


def _variant_mode(image: Image.Image, fmt: str) -> str:
    """The mode to resize and write in: the image's own when the format takes it."""
    if image.mode in _VARIANT_MODES[fmt]:
        return image.mode
    if fmt == "JPEG":
        return "L" if image.mode in ("1", "I;16", "I;16B", "I;16L", "I") else "RGB"
    return "RGBA" if image.has_transparency_data else "RGB"


def _digest(path: Path) -> tuple[str, int]:
    digest = hashlib.sha256()
    size = 0
    with path.open("rb") as file:
        while chunk := file.read(1 << 20):
            digest.update(chunk)
            size += len(chunk)
    return digest.hexdigest(), size
