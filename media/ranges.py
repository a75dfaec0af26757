"""Parse a single HTTP byte range (RFC 9110 section 14)."""

import re
from dataclasses import dataclass
from typing import Final

# ASCII digits only (`\d` would match any Unicode digit).
_SPEC: Final = re.compile(r"bytes=([0-9]*)-([0-9]*)")
# Positions past this are past the end of any file; longer numbers are read as this (int() refuses
# more than 4,300 digits, and a header of thousands of digits answered 500).
_HUGE: Final = 10**18


@dataclass(frozen=True)
class ByteRange:
    """Bytes start (inclusive) to end (exclusive) of a file of `size` bytes."""

    start: int
    end: int
    size: int

    @property
    def length(self) -> int:
        """Number of bytes in the range."""
        return self.end - self.start

    @property
    def content_range(self) -> str:
        """The Content-Range header value for a 206 response."""
        return f"bytes {self.start}-{self.end - 1}/{self.size}"


class RangeNotSatisfiable(Exception):
    """The range starts at or after the end of the file."""

    def __init__(self, size: int) -> None:
        super().__init__(size)
        self.size = size


def parse_range(header: str | None, size: int) -> ByteRange | None:
    """Return the one range asked for, or None to send the whole file.

    Several ranges and malformed headers get None: RFC 9110 lets a server ignore Range.
    """
    match = _SPEC.fullmatch((header or "").replace(" ", "").lower())
    if match is None or match.group(1) == match.group(2) == "":
        return None
    first, last = match.group(1), match.group(2)
    if first == "":
        return _suffix(_position(last), size)
    start = _position(first)
    if last != "" and _position(last) < start:
        return None  # "bytes=5-2" is invalid syntax, not an unsatisfiable range
    if start >= size:
        raise RangeNotSatisfiable(size)
    return ByteRange(start, size if last == "" else min(_position(last) + 1, size), size)


def _position(digits: str) -> int:
    """A byte position or length; anything longer than 18 digits is past every file's end."""
    significant = digits.lstrip("0") or "0"
    return int(significant) if len(significant) <= 18 else _HUGE


def _suffix(length: int, size: int) -> ByteRange:
    """The last `length` bytes ("bytes=-n")."""
    if length == 0 or size == 0:
        raise RangeNotSatisfiable(size)
    return ByteRange(max(size - length, 0), size, size)
