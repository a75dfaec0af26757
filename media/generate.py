"""Draw real demo media (posters, comics, chimes, courseware, portraits) for `beacon seed-demo`."""

from __future__ import annotations

import functools
import io
import math
import unicodedata
import wave
from array import array
from typing import Final

from PIL import Image, ImageDraw, ImageFont

Color = tuple[int, int, int]
Font = ImageFont.FreeTypeFont | ImageFont.ImageFont

# (sky top, sky bottom, accent, ink) per palette; calm colours that suit a public-health service.
PALETTES: Final[tuple[tuple[Color, Color, Color, Color], ...]] = (
    ((14, 59, 94), (38, 128, 160), (255, 196, 61), (255, 255, 255)),
    ((36, 82, 54), (120, 178, 96), (255, 236, 170), (255, 255, 255)),
    ((92, 37, 84), (214, 96, 102), (255, 214, 140), (255, 255, 255)),
    ((24, 36, 64), (70, 90, 160), (120, 220, 200), (255, 255, 255)),
)
_INK: Final[Color] = (28, 32, 40)
_PAPER: Final[Color] = (252, 250, 244)
_PUNCTUATION: Final = str.maketrans(
    {
        "\u2014": "-",
        "\u2013": "-",
        "\u2018": "'",
        "\u2019": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u00b7": "-",
        "\u3002": ". ",
        "\uff0c": ", ",
    }
)
_SAMPLE_RATE: Final = 22050
# A major pentatonic scale: no two notes clash, so any order sounds pleasant.
_PENTATONIC: Final = (1.0, 9 / 8, 5 / 4, 3 / 2, 5 / 3, 2.0)
_MELODY: Final = (0, 2, 4, 3, 5, 4, 2, 1, 0, 3, 2, 0)


def poster_png(title: str, subtitle: str, *, width: int = 1200, height: int = 800, palette: int = 0) -> bytes:
    """Return a PNG poster: gradient sky, shapes, a beacon mark, title and subtitle."""
    top, bottom, accent, ink = PALETTES[palette % len(PALETTES)]
    image = _gradient(width, height, top, bottom)
    _draw_shapes(image, accent, palette)
    draw = ImageDraw.Draw(image)
    unit = min(width, height) / 100
    _draw_beacon(draw, (int(width - 16 * unit), int(height - 8 * unit)), unit, accent)
    left, text_width = int(7 * unit), int(width * 0.62)
    title_font = _font(int(9 * unit))
    y = _draw_lines(draw, _wrap(draw, title, title_font, text_width)[:3], (left, int(18 * unit)), title_font, ink)
    draw.rectangle((left, y + 2 * unit, left + 18 * unit, y + 3.2 * unit), fill=accent)
    sub_font = _font(int(4.2 * unit))
    _draw_lines(draw, _wrap(draw, subtitle, sub_font, text_width)[:4], (left, int(y + 7 * unit)), sub_font, ink)
    draw.text((left, height - 9 * unit), "BEACON", font=_font(int(3 * unit)), fill=accent)
    return _png(image)


def comic_strip_png(panels: list[str]) -> bytes:
    """Return a PNG comic strip: one framed panel per caption, a figure speaking each line."""
    size, gap = 420, 24
    count = max(1, len(panels))
    image = Image.new("RGB", (gap + count * (size + gap), size + 2 * gap), _PAPER)
    draw = ImageDraw.Draw(image)
    for index, caption in enumerate(panels or [""]):
        _draw_panel(draw, (gap + index * (size + gap), gap), size, caption, index)
    return _png(image)


def tone_wav(seconds: float, *, frequency: float = 440.0) -> bytes:
    """Return a mono 16-bit WAV of soft bell-like notes on a pentatonic melody."""
    total = max(1, int(seconds * _SAMPLE_RATE))
    note_length = int(0.36 * _SAMPLE_RATE)
    samples = array("h", bytes(2 * total))
    for start in range(0, total, note_length):
        pitch = frequency * _PENTATONIC[_MELODY[(start // note_length) % len(_MELODY)]]
        _add_bell(samples, start, min(note_length * 2, total - start), pitch)
    _fade_out(samples, int(0.05 * _SAMPLE_RATE))
    out = io.BytesIO()
    with wave.open(out, "wb") as writer:
        writer.setnchannels(1)
        writer.setsampwidth(2)
        writer.setframerate(_SAMPLE_RATE)
        writer.writeframes(samples.tobytes())
    return out.getvalue()


def courseware_pdf(title: str, pages: list[str]) -> bytes:
    """Return an A4 PDF: a cover with the title, then one page per text."""
    cover = _cover_page(title)
    body = [_text_page(title, text, number) for number, text in enumerate(pages, start=2)]
    out = io.BytesIO()
    cover.save(out, format="PDF", save_all=True, append_images=body, resolution=150.0, title=_latin(title))
    return out.getvalue()


_SKIN: Final[tuple[Color, ...]] = ((255, 224, 189), (241, 194, 150), (224, 172, 128), (198, 144, 100))
_HAIR: Final[tuple[Color, ...]] = ((34, 30, 32), (58, 42, 36), (90, 70, 60), (150, 150, 155))


def portrait_png(variant: int, *, size: int = 320) -> bytes:
    """Return a PNG illustration of a person, head and shoulders (not a likeness of anyone).

    `variant` picks skin tone, hair colour and style, glasses, clothes and background: variants 0 to 47
    all differ. Drawn at twice the size and reduced, for smooth edges.
    """
    scale = 2
    s = size * scale
    top, bottom, accent, _ = PALETTES[(variant // 3) % len(PALETTES)]
    image = _gradient(s, s, _lighter(top, 2), _lighter(bottom, 2))
    draw = ImageDraw.Draw(image)
    skin = _SKIN[variant % len(_SKIN)]
    hair = _HAIR[(variant // 4) % len(_HAIR)]
    shirt = PALETTES[(variant + 2) % len(PALETTES)][0]
    style = variant % 3  # 0 short, 1 long, 2 bun
    glasses = (variant // 2) % 5 == 1
    cx, unit = s / 2, s / 100
    draw.ellipse((cx - 48 * unit, 20 * unit, cx + 48 * unit, 116 * unit), fill=_lighter(accent, 3))
    if style == 1:  # long hair falls behind the shoulders
        draw.rounded_rectangle((cx - 24 * unit, 22 * unit, cx + 24 * unit, 78 * unit), radius=int(12 * unit), fill=hair)
    draw.rounded_rectangle((cx - 40 * unit, 72 * unit, cx + 40 * unit, 130 * unit), radius=int(22 * unit), fill=shirt)
    draw.polygon([(cx - 9 * unit, 72 * unit), (cx + 9 * unit, 72 * unit), (cx, 84 * unit)], fill=(250, 250, 250))
    draw.rectangle((cx - 7 * unit, 56 * unit, cx + 7 * unit, 74 * unit), fill=_shade(skin))
    draw.ellipse((cx - 20 * unit, 24 * unit, cx + 20 * unit, 66 * unit), fill=skin)
    draw.chord((cx - 21 * unit, 20 * unit, cx + 21 * unit, 52 * unit), 180, 360, fill=hair)
    if style == 2:
        draw.ellipse((cx - 9 * unit, 12 * unit, cx + 9 * unit, 28 * unit), fill=hair)
    for side in (-1, 1):
        eye = cx + side * 8 * unit
        draw.ellipse((eye - 2 * unit, 43 * unit, eye + 2 * unit, 47 * unit), fill=_INK)
        if glasses:
            draw.ellipse((eye - 6 * unit, 39 * unit, eye + 6 * unit, 51 * unit), outline=_INK, width=int(1.2 * unit))
    if glasses:
        draw.line((cx - 2 * unit, 45 * unit, cx + 2 * unit, 45 * unit), fill=_INK, width=int(1.2 * unit))
    draw.arc((cx - 7 * unit, 50 * unit, cx + 7 * unit, 59 * unit), 20, 160, fill=(150, 60, 60), width=int(1.4 * unit))
    return _png(image.resize((size, size), Image.Resampling.LANCZOS))


def _shade(color: Color) -> Color:
    r, g, b = (int(c * 0.88) for c in color)
    return (r, g, b)


# Drawing helpers -----------------------------------------------------------------------------


def _font(size: int) -> Font:
    return ImageFont.load_default(size=max(8, size))


def _latin(text: str) -> str:
    """Fold pinyin tone marks and typographic marks to ASCII: the built-in font has no others."""
    decomposed = unicodedata.normalize("NFKD", text.translate(_PUNCTUATION))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).encode("ascii", "ignore").decode()


def _wrap(draw: ImageDraw.ImageDraw, text: str, font: Font, max_width: int) -> list[str]:
    """Break text into lines no wider than max_width, at spaces."""
    lines: list[str] = []
    for paragraph in _latin(text).splitlines() or [""]:
        line = ""
        for word in paragraph.split():
            candidate = f"{line} {word}".strip()
            if line and draw.textlength(candidate, font=font) > max_width:
                lines.append(line)
                candidate = word
            line = candidate
        lines.append(line)
    return lines


def _draw_lines(draw: ImageDraw.ImageDraw, lines: list[str], origin: tuple[int, int], font: Font, fill: Color) -> int:
    """Draw lines downward from origin and return the y below the last one."""
    x, y = origin
    step = int(_font_size(font) * 1.25)
    for line in lines:
        draw.text((x, y), line, font=font, fill=fill)
        y += step
    return y


def _font_size(font: Font) -> int:
    return int(getattr(font, "size", 12))


def _gradient(width: int, height: int, top: Color, bottom: Color) -> Image.Image:
    image = Image.new("RGB", (width, height))
    draw = ImageDraw.Draw(image)
    for y in range(height):
        t = y / max(1, height - 1)
        draw.line((0, y, width, y), fill=tuple(round(a + (b - a) * t) for a, b in zip(top, bottom, strict=True)))
    return image


def _draw_shapes(image: Image.Image, accent: Color, seed: int) -> None:
    """Soft translucent circles and a diagonal band, laid over the sky."""
    width, height = image.size
    layer = Image.new("RGBA", image.size, (0, 0, 0, 0))
    draw = ImageDraw.Draw(layer)
    for i in range(5):
        radius = height * (0.18 + 0.07 * ((i + seed) % 3))
        cx = width * (0.55 + 0.1 * i) + 30 * math.sin(i + seed)
        cy = height * (0.15 + 0.17 * ((i * 2 + seed) % 5))
        draw.ellipse((cx - radius, cy - radius, cx + radius, cy + radius), fill=(*accent, 28 + 10 * (i % 3)))
    draw.polygon(
        [(0, height * 0.86), (width, height * 0.62), (width, height * 0.7), (0, height * 0.94)],
        fill=(255, 255, 255, 34),
    )
    image.paste(Image.alpha_composite(image.convert("RGBA"), layer).convert("RGB"))


def _draw_beacon(draw: ImageDraw.ImageDraw, base: tuple[int, int], unit: float, accent: Color) -> None:
    """A small lighthouse with light rays: the Beacon mark."""
    x, y = base
    for side in (-1, 1):
        tip = x + side * 14 * unit
        draw.polygon([(x, y - 18 * unit), (tip, y - 21 * unit), (tip, y - 15 * unit)], fill=_lighter(accent, 2))
    draw.polygon(
        [(x - 3 * unit, y), (x + 3 * unit, y), (x + 1.6 * unit, y - 16 * unit), (x - 1.6 * unit, y - 16 * unit)],
        fill=(245, 245, 245),
    )
    for band in (4, 10):
        draw.rectangle((x - 3 * unit, y - (band + 2) * unit, x + 3 * unit, y - band * unit), fill=(200, 60, 60))
    draw.rectangle((x - 2 * unit, y - 20 * unit, x + 2 * unit, y - 16 * unit), fill=accent)
    draw.polygon(
        [(x - 2.4 * unit, y - 20 * unit), (x + 2.4 * unit, y - 20 * unit), (x, y - 23 * unit)], fill=(60, 60, 70)
    )


def _draw_panel(draw: ImageDraw.ImageDraw, origin: tuple[int, int], size: int, caption: str, index: int) -> None:
    """One frame: tinted background, a stick figure, and a speech bubble with the caption."""
    x, y = origin
    tint = PALETTES[index % len(PALETTES)][1]
    draw.rectangle((x, y, x + size, y + size), fill=_lighter(tint, 6))
    draw.rectangle((x, y + size * 0.82, x + size, y + size), fill=_lighter(tint, 3))
    draw.rectangle((x, y, x + size, y + size), outline=_INK, width=5)
    _draw_figure(draw, (x + size * (0.3 if index % 2 == 0 else 0.7), y + size * 0.7), size / 420, index)
    _draw_bubble(draw, (x + 18, y + 18, x + size - 18, y + size * 0.36), caption, tail_right=index % 2 == 1)
    draw.ellipse((x + size - 44, y + size - 44, x + size - 12, y + size - 12), fill=_INK)
    draw.text((x + size - 28, y + size - 28), str(index + 1), font=_font(18), fill=_PAPER, anchor="mm")


def _lighter(color: Color, factor: int) -> Color:
    """Mix a colour with white: 1/factor of the colour remains."""
    r, g, b = (255 - (255 - c) // factor for c in color)
    return (r, g, b)


def _draw_figure(draw: ImageDraw.ImageDraw, centre: tuple[float, float], scale: float, pose: int) -> None:
    cx, cy = centre
    s = scale
    draw.ellipse((cx - 26 * s, cy - 96 * s, cx + 26 * s, cy - 44 * s), fill=(255, 224, 189), outline=_INK, width=4)
    draw.arc((cx - 13 * s, cy - 76 * s, cx + 13 * s, cy - 56 * s), 20, 160, fill=_INK, width=3)
    draw.line((cx, cy - 44 * s, cx, cy + 40 * s), fill=_INK, width=6)
    wave_up = -40 if pose % 2 else 10
    draw.line((cx - 44 * s, cy + wave_up * s, cx, cy - 18 * s, cx + 44 * s, cy + 10 * s), fill=_INK, width=6)
    draw.line((cx - 30 * s, cy + 100 * s, cx, cy + 40 * s, cx + 30 * s, cy + 100 * s), fill=_INK, width=6)


def _draw_bubble(
    draw: ImageDraw.ImageDraw, box: tuple[float, float, float, float], text: str, *, tail_right: bool
) -> None:
    left, top, right, bottom = box
    draw.rounded_rectangle(box, radius=24, fill=(255, 255, 255), outline=_INK, width=4)
    tail_x = right - 90 if tail_right else left + 90
    draw.polygon(
        [(tail_x - 14, bottom - 2), (tail_x + 14, bottom - 2), (tail_x, bottom + 34)],
        fill=(255, 255, 255),
        outline=_INK,
    )
    draw.line((tail_x - 12, bottom - 2, tail_x + 12, bottom - 2), fill=(255, 255, 255), width=4)
    font = _font(22)
    lines = _wrap(draw, text, font, int(right - left - 36))[:3]
    _draw_lines(draw, lines, (int(left + 18), int(top + 16)), font, _INK)


def _cover_page(title: str) -> Image.Image:
    page = _gradient(1240, 1754, *PALETTES[0][:2])
    draw = ImageDraw.Draw(page)
    _draw_beacon(draw, (1000, 1560), 14, PALETTES[0][2])
    font = _font(84)
    y = _draw_lines(draw, _wrap(draw, title, font, 1000)[:5], (120, 420), font, (255, 255, 255))
    draw.rectangle((120, y + 30, 420, y + 46), fill=PALETTES[0][2])
    draw.text((120, 1580), "Beacon courseware", font=_font(36), fill=(255, 255, 255))
    return page


def _text_page(title: str, text: str, number: int) -> Image.Image:
    page = Image.new("RGB", (1240, 1754), _PAPER)
    draw = ImageDraw.Draw(page)
    draw.rectangle((0, 0, 1240, 150), fill=PALETTES[0][0])
    draw.text((100, 75), _wrap(draw, title, _font(40), 1040)[0], font=_font(40), fill=(255, 255, 255), anchor="lm")
    font = _font(40)
    _draw_lines(draw, _wrap(draw, text, font, 1040)[:28], (100, 240), font, _INK)
    draw.line((100, 1640, 1140, 1640), fill=PALETTES[0][1], width=3)
    draw.text((1140, 1690), str(number), font=_font(32), fill=_INK, anchor="rm")
    return page


def _png(image: Image.Image) -> bytes:
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()


# Sound helpers -------------------------------------------------------------------------------


def _add_bell(samples: array[int], start: int, length: int, pitch: float) -> None:
    """Mix in one note: a fundamental with two soft overtones and a bell-like decay."""
    note = _bell(pitch, length)
    end = start + length
    samples[start:end] = array(
        "h", [max(-32767, min(32767, a + b)) for a, b in zip(samples[start:end], note, strict=True)]
    )


@functools.lru_cache(maxsize=32)
def _bell(pitch: float, length: int) -> tuple[int, ...]:
    """One note's samples; a melody repeats a few pitches, so each is computed once."""
    step = 2 * math.pi * pitch / _SAMPLE_RATE
    attack = int(0.008 * _SAMPLE_RATE)
    out = []
    for i in range(length):
        envelope = min(1.0, i / attack) * math.exp(-4.5 * i / _SAMPLE_RATE)
        tone = math.sin(step * i) + 0.3 * math.sin(2 * step * i) + 0.12 * math.sin(3 * step * i)
        out.append(int(9000 * envelope * tone))
    return tuple(out)


def _fade_out(samples: array[int], length: int) -> None:
    """Ramp the end to silence so the file stops without a click."""
    length = min(length, len(samples))
    for i in range(length):
        index = len(samples) - length + i
        samples[index] = int(samples[index] * (length - 1 - i) / length)
