"""Demo media generators produce real files that sniff correctly and decode."""

import array
import io
import wave

import pytest
from PIL import Image

from media.captions import parse_webvtt
from media.errors import UnsupportedFormat
from media.generate import comic_strip_png, courseware_pdf, portrait_png, poster_png, tone_wav
from media.sniff import HEAD_BYTES, PDF, PNG, WAV, sniff


def test_poster_is_a_png_of_the_asked_size() -> None:
    data = poster_png("Shìtīng jìndú — Say no", "Lessons for every school", width=900, height=600, palette=3)

    assert sniff(data[:HEAD_BYTES]) == PNG
    with Image.open(io.BytesIO(data)) as image:
        assert (image.format, image.size) == ("PNG", (900, 600))
        assert len(image.convert("RGB").getcolors(maxcolors=1 << 20) or []) > 50  # drawn, not flat


def test_palettes_give_different_posters() -> None:
    assert poster_png("A", "B", palette=0) != poster_png("A", "B", palette=1)


def test_comic_strip_has_one_panel_per_caption() -> None:
    data = comic_strip_png(["Want some?", "No thanks.", "Good call!"])

    assert sniff(data[:HEAD_BYTES]) == PNG
    with Image.open(io.BytesIO(data)) as image:
        assert image.width > 2.5 * image.height > 0


def test_tone_is_a_wav_of_the_asked_length_and_not_noise() -> None:
    data = tone_wav(1.5, frequency=330.0)

    assert sniff(data[:HEAD_BYTES]) == WAV
    with wave.open(io.BytesIO(data)) as reader:
        assert (reader.getnchannels(), reader.getsampwidth()) == (1, 2)
        assert reader.getnframes() / reader.getframerate() == 1.5
        samples = array.array("h", reader.readframes(reader.getnframes()))
    assert 3000 < max(abs(s) for s in samples) < 32767  # audible and never clipped
    assert samples[-1] == 0  # faded out, no click


def test_courseware_is_a_pdf_with_a_cover_and_one_page_per_text() -> None:
    data = courseware_pdf("Drug prevention basics", ["What drugs are.", "How to say no.", "Where to get help."])

    assert sniff(data[:HEAD_BYTES]) == PDF
    assert data.rstrip().endswith(b"%%EOF")
    assert b"/Count 4" in data


def test_portraits_are_square_pngs_that_differ_for_a_pool_of_experts() -> None:
    portraits = [portrait_png(variant, size=160) for variant in range(18)]

    assert len(set(portraits)) == 18
    for data in portraits[:3]:
        assert sniff(data[:HEAD_BYTES]) == PNG
        with Image.open(io.BytesIO(data)) as image:
            assert (image.format, image.size) == ("PNG", (160, 160))


def test_webvtt_cues_are_read_with_identifiers_settings_notes_and_a_bom() -> None:
    text = "\ufeffWEBVTT - demo\r\n\r\nNOTE made by hand\r\n\r\nintro\r\n00:01.000 --> 00:02.500 line:0\r\n第一行\r\n第二行\r\n\r\n01:00:00.000 --> 01:00:01.000\r\nend\r\n"

    cues = parse_webvtt(text.encode())

    assert [(c.start, c.end, c.text) for c in cues] == [(1.0, 2.5, "第一行\n第二行"), (3600.0, 3601.0, "end")]
    for bad in (
        b"",
        b"WEBVTTX\n\n00:01.000 --> 00:02.000\nx",
        b"WEBVTT\n\nNOTE only",
        b"WEBVTT\n\n00:01.000 -> 00:02.000\nx",
    ):
        with pytest.raises(UnsupportedFormat):
            parse_webvtt(bad)
