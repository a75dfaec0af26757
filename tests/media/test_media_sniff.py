"""Sniffing identifies allowed formats from their first bytes and refuses everything else."""

import pytest
from media_samples import image_bytes, wav_header

from media.generate import courseware_pdf, tone_wav
from media.sniff import AAC, GIF, HEAD_BYTES, JPEG, M4A, MP3, MP4, OGG, PDF, PNG, WAV, WEBM, WEBP, Sniffed, sniff

EBML_WEBM = bytes.fromhex("1a45dfa39f4286810142f7810142f2810442f381084282847765626d4287810242858102")
EBML_MATROSKA = bytes.fromhex("1a45dfa3a34286810142f7810142f2810442f381084282886d6174726f736b614287810442858102")


def ogg_page(first_packet: bytes) -> bytes:
    """An Ogg beginning-of-stream page holding one packet (CRC left zero: sniffing ignores it)."""
    header = b"OggS\x00\x02" + bytes(8) + b"\x01\x00\x00\x00" + bytes(4) + bytes(4)
    return header + bytes([1, len(first_packet)]) + first_packet


def ftyp(major: bytes, *compatible: bytes) -> bytes:
    body = major + b"\x00\x00\x02\x00" + b"".join(compatible)
    return (8 + len(body)).to_bytes(4, "big") + b"ftyp" + body + bytes(32)


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (image_bytes("JPEG"), JPEG),
        (image_bytes("PNG"), PNG),
        (image_bytes("WEBP"), WEBP),
        (image_bytes("GIF"), GIF),
        (ftyp(b"isom", b"isom", b"iso2", b"avc1", b"mp41"), MP4),
        (ftyp(b"mp42", b"mp42", b"isom"), MP4),
        (ftyp(b"XAVC", b"XAVC", b"mp42"), MP4),
        (ftyp(b"M4A ", b"M4A ", b"mp42", b"isom"), M4A),
        (EBML_WEBM + bytes(32), WEBM),
        (b"ID3\x04\x00\x00\x00\x00\x00\x21" + bytes(60), MP3),
        (b"\xff\xfb\x90\x64" + bytes(60), MP3),
        (b"\xff\xf1\x50\x80\x02\x1f\xfc" + bytes(60), AAC),
        (ogg_page(b"\x01vorbis\x00\x00\x00\x00\x02\x44\xac\x00\x00") + bytes(20), OGG),
        (ogg_page(b"OpusHead\x01\x02\x38\x01\x80\xbb\x00\x00") + bytes(20), OGG),
        (tone_wav(0.2), WAV),
        (wav_header(1000), WAV),
        (courseware_pdf("Sniff me", ["one page"]), PDF),
    ],
)
def test_allowed_formats_are_recognised(data: bytes, expected: Sniffed) -> None:
    assert sniff(data[:HEAD_BYTES]) == expected


@pytest.mark.parametrize(
    "data",
    [
        pytest.param(b"\x7fELF\x02\x01\x01\x00" + bytes(56), id="elf-renamed-png"),
        pytest.param(b"MZ\x90\x00\x03\x00\x00\x00\x04\x00" + bytes(54), id="pe-exe"),
        pytest.param(b"<!DOCTYPE html><html><script>alert(1)</script></html>", id="html"),
        pytest.param(b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" onload="x()"/>', id="svg"),
        pytest.param(b"<svg xmlns='http://www.w3.org/2000/svg'></svg>", id="svg-bare"),
        pytest.param(b"PK\x03\x04\x14\x00\x00\x00\x08\x00" + bytes(54), id="zip"),
        pytest.param(EBML_MATROSKA + bytes(32), id="matroska-not-webm"),
        pytest.param(ogg_page(b"\x80theora\x03\x02\x01") + bytes(20), id="ogg-theora-video"),
        pytest.param(ftyp(b"qt  ", b"qt  "), id="quicktime"),
        pytest.param(b"RIFF\x24\x00\x00\x00AVI LIST" + bytes(48), id="avi"),
        pytest.param(b"\xff\xff\xff\xff" + bytes(60), id="ff-noise"),
        pytest.param(b"\x89PN", id="truncated-png"),
        pytest.param(b"", id="empty"),
    ],
)
def test_other_bytes_are_refused(data: bytes) -> None:
    assert sniff(data) is None


def test_only_the_head_matters_not_a_trailing_payload() -> None:
    assert sniff(b"\x7fELF" + image_bytes("PNG")) is None
