"""WebVTT caption files: checked whole before they are stored, then served as text/vtt like any original."""

import re
from dataclasses import dataclass
from typing import Final

from .errors import UnsupportedFormat

# A caption file is text: a feature film's subtitles are ~100 KB; more is not captions.
MAX_BYTES: Final = 512 * 1024
_TIMESTAMP: Final = r"(?:(\d{2,}):)?([0-5]\d):([0-5]\d)\.(\d{3})"
_TIMING: Final = re.compile(rf"{_TIMESTAMP}[ \t]+-->[ \t]+{_TIMESTAMP}(?:[ \t]+.*)?")
_HEADER: Final = re.compile(r"WEBVTT(?:[ \t].*)?")


@dataclass(frozen=True)
class Cue:
    """One cue: shown from start to end (seconds), its text (lines joined with a newline)."""

    start: float
    end: float
    text: str


def parse_webvtt(data: bytes) -> list[Cue]:
    """The cues of a WebVTT file; UnsupportedFormat when it is not one.

    Checked: UTF-8 (a BOM is allowed), the `WEBVTT` signature line, every timing line well formed,
    each cue ending after it starts, starts in order (as the WebVTT spec requires), at least one cue.
    Cue settings and NOTE/STYLE/REGION blocks are allowed and not interpreted.
    """
    if len(data) > MAX_BYTES:
        raise UnsupportedFormat(f"caption files are at most {MAX_BYTES // 1024} KiB")
    try:
        text = data.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError:
        raise UnsupportedFormat("a WebVTT file is UTF-8 text") from None
    if "\0" in text:
        raise UnsupportedFormat("a WebVTT file is UTF-8 text")
    blocks = re.split(r"\n[ \t]*\n", text.replace("\r\n", "\n").replace("\r", "\n").strip("\n"))
    if not _HEADER.fullmatch(blocks[0].split("\n", 1)[0]):
        raise UnsupportedFormat("a WebVTT file starts with the line WEBVTT")
    cues: list[Cue] = []
    for block in blocks[1:]:
        lines = block.split("\n")
        if lines[0].startswith(("NOTE", "STYLE", "REGION")):
            continue
        at = 0 if "-->" in lines[0] else 1  # an optional cue identifier comes first
        timing = _TIMING.fullmatch(lines[at].strip()) if at < len(lines) else None
        if timing is None:
            raise UnsupportedFormat(f"cue {len(cues) + 1} has no valid timing line")
        start, end = _seconds(timing.groups()[:4]), _seconds(timing.groups()[4:])
        if end <= start:
            raise UnsupportedFormat(f"cue {len(cues) + 1} ends before it starts")
        if cues and start < cues[-1].start:
            raise UnsupportedFormat(f"cue {len(cues) + 1} starts before the cue above it")
        cues.append(Cue(start, end, "\n".join(lines[at + 1 :])))
    if not cues:
        raise UnsupportedFormat("a caption file needs at least one cue")
    return cues


def _seconds(parts: tuple[str | None, ...]) -> float:
    hours, minutes, seconds, millis = (int(p or 0) for p in parts)
    return hours * 3600 + minutes * 60 + seconds + millis / 1000
