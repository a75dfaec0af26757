"""Range header parsing: one range served, odd ones ignored, impossible ones refused."""

import pytest

from media.ranges import ByteRange, RangeNotSatisfiable, parse_range


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("bytes=0-0", ByteRange(0, 1, 100)),
        ("bytes=0-99", ByteRange(0, 100, 100)),
        ("bytes=10-500", ByteRange(10, 100, 100)),
        ("bytes=90-", ByteRange(90, 100, 100)),
        ("bytes=-10", ByteRange(90, 100, 100)),
        ("bytes=-1000", ByteRange(0, 100, 100)),
        ("Bytes = 5-9", ByteRange(5, 10, 100)),
    ],
)
def test_single_ranges(header: str, expected: ByteRange) -> None:
    assert parse_range(header, 100) == expected


@pytest.mark.parametrize(
    "header", [None, "", "bytes=", "bytes=-", "bytes=5-2", "bytes=0-1,5-6", "lines=0-5", "bytes=x-"]
)
def test_ignored_headers_mean_whole_file(header: str | None) -> None:
    assert parse_range(header, 100) is None


@pytest.mark.parametrize(
    ("header", "size"), [("bytes=100-", 100), ("bytes=100-200", 100), ("bytes=-0", 100), ("bytes=-5", 0)]
)
def test_unsatisfiable(header: str, size: int) -> None:
    with pytest.raises(RangeNotSatisfiable):
        parse_range(header, size)


def test_content_range() -> None:
    assert ByteRange(10, 20, 100).content_range == "bytes 10-19/100"
    assert ByteRange(10, 20, 100).length == 10
