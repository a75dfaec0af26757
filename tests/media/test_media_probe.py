"""An MP4's picture size is read from its track header; files without one say nothing, damaged ones too."""

from pathlib import Path

from demo.media import VIDEO_DIR
from media.probe import mp4_size


def test_the_size_of_an_mp4_comes_from_its_track_header(tmp_path: Path) -> None:
    assert mp4_size(VIDEO_DIR / "video-626.mp4") == (480, 270)
    data = (VIDEO_DIR / "video-626.mp4").read_bytes()
    cut = tmp_path / "cut.mp4"
    cut.write_bytes(data[: data.index(b"tkhd") + 20])  # the header promises more than the file holds
    assert mp4_size(cut) == (None, None)
    nothing = tmp_path / "ftyp-only.mp4"
    nothing.write_bytes(b"\x00\x00\x00\x18ftypisom\x00\x00\x02\x00isomiso2" + b"\x00" * 64)
    assert mp4_size(nothing) == (None, None)
    looping = tmp_path / "zero.mp4"
    looping.write_bytes(b"\x00\x00\x00\x04moov" * 4)  # a box smaller than its own header
    assert mp4_size(looping) == (None, None)
