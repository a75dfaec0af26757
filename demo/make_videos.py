"""Render the demo videos of ``demo/videos.py`` into ``demo/videos/`` (MP4 + WebVTT); run by hand, never by the seed.

    python -m demo.make_videos            # every video
    python -m demo.make_videos video-626  # one

Needs Pillow, ffmpeg (libx264, aac), espeak-ng with its Mandarin voice (cmn) and a CJK font
(Debian: ``apt-get install ffmpeg espeak-ng fonts-noto-cjk``; another font with ``BEACON_CJK_FONT``).
For each scene espeak-ng speaks the line; the spoken part of its sound (silence trimmed) sets the
cue's start and end, so the captions follow the narration. Frames (480x270, 10 per second) show
the video's title, then each scene's heading, and a bar that fills as the video plays. Output is
H.264 (yuv420p, main profile) with AAC mono audio, ``+faststart`` (the index first, so a player
starts before the whole file is in), metadata stripped and bit-exact flags set, so a rerun with the
same tools writes the same bytes. The files are committed; ``tests/demo`` checks them.
"""

from __future__ import annotations

import array
import os
import shutil
import subprocess
import sys
import tempfile
import wave
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from PIL import Image, ImageDraw, ImageFont

from demo.videos import VIDEOS, DemoVideo
from media.generate import PALETTES

OUT: Final = Path(__file__).parent / "videos"
FONT: Final = Path(os.environ.get("BEACON_CJK_FONT", "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"))
WIDTH, HEIGHT, FPS = 480, 270, 10
RATE: Final = 22050  # espeak-ng's sample rate
LEAD_IN: Final = 1.5  # seconds of title card before the first line
GAP: Final = 0.5  # seconds of quiet between lines
TAIL: Final = 1.0  # seconds after the last line
VOICE: Final = ("-v", "cmn", "-s", "175")
LANGUAGES: Final = {"zh-CN": "中文", "en": "English"}


@dataclass(frozen=True)
class Cue:
    start: float
    end: float
    texts: dict[str, str]  # language -> text


def main(argv: list[str]) -> int:
    for tool in ("ffmpeg", "espeak-ng"):
        if shutil.which(tool) is None:
            print(f"{tool} is missing (apt-get install ffmpeg espeak-ng fonts-noto-cjk)", file=sys.stderr)
            return 1
    if not FONT.is_file():
        print(f"no CJK font at {FONT} (apt-get install fonts-noto-cjk, or set BEACON_CJK_FONT)", file=sys.stderr)
        return 1
    wanted = [v for v in VIDEOS if not argv or v.key in argv]
    OUT.mkdir(exist_ok=True)
    for video in wanted:
        with tempfile.TemporaryDirectory() as work:
            cues, seconds = _narrate(video, Path(work))
            _encode(video, cues, seconds, Path(work))
        for language in cues[0].texts:
            (OUT / f"{video.key}.{language}.vtt").write_text(_webvtt(cues, language), encoding="utf-8")
        size = (OUT / f"{video.key}.mp4").stat().st_size
        print(f"{video.key}: {seconds:.1f} s, {size // 1024} KiB, {len(cues)} cues in {', '.join(cues[0].texts)}")
    return 0


def _narrate(video: DemoVideo, work: Path) -> tuple[list[Cue], float]:
    """Speak every line into one WAV (work/narration.wav); return the cues and the total length."""
    samples = array.array("h", bytes(2 * int(LEAD_IN * RATE)))
    cues: list[Cue] = []
    for index, scene in enumerate(video.scenes):
        spoken = _speak(scene.line, work / f"line{index}.wav")
        first, last = _speech_span(spoken)
        start = len(samples) / RATE
        samples.extend(spoken[first:last])
        texts = {"zh-CN": scene.line, **dict(scene.translations)}
        cues.append(Cue(round(start, 3), round(len(samples) / RATE, 3), texts))
        samples.extend(bytes(2 * int((GAP if index < len(video.scenes) - 1 else TAIL) * RATE)))
    with wave.open(str(work / "narration.wav"), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(RATE)
        out.writeframes(samples.tobytes())
    return cues, len(samples) / RATE


def _speak(text: str, path: Path) -> array.array[int]:
    subprocess.run(["espeak-ng", *VOICE, "-w", str(path), text], check=True, capture_output=True)
    with wave.open(str(path), "rb") as spoken:
        if (spoken.getnchannels(), spoken.getsampwidth(), spoken.getframerate()) != (1, 2, RATE):
            raise RuntimeError(f"espeak-ng wrote an unexpected format to {path}")
        return array.array("h", spoken.readframes(spoken.getnframes()))


def _speech_span(samples: array.array[int], threshold: int = 300) -> tuple[int, int]:
    """The first and one past the last sample louder than the threshold (espeak-ng pads with silence)."""
    loud = [i for i, s in enumerate(samples) if abs(s) > threshold]
    if not loud:
        return 0, len(samples)
    pad = int(0.05 * RATE)
    return max(0, loud[0] - pad), min(len(samples), loud[-1] + pad)


def _encode(video: DemoVideo, cues: list[Cue], seconds: float, work: Path) -> None:
    frames = int(seconds * FPS) + 1
    command = [
        "ffmpeg", "-hide_banner", "-loglevel", "error", "-y",
        "-f", "rawvideo", "-pix_fmt", "rgb24", "-s", f"{WIDTH}x{HEIGHT}", "-r", str(FPS), "-i", "-",
        "-i", str(work / "narration.wav"),
        "-map", "0:v", "-map", "1:a", "-shortest", "-map_metadata", "-1",
        "-c:v", "libx264", "-preset", "slow", "-tune", "stillimage", "-crf", "30", "-profile:v", "main",
        "-pix_fmt", "yuv420p", "-g", str(5 * FPS), "-threads", "1",
        "-c:a", "aac", "-b:a", "40k", "-ac", "1",
        "-fflags", "+bitexact", "-flags:v", "+bitexact", "-flags:a", "+bitexact",
        "-movflags", "+faststart", str(OUT / f"{video.key}.mp4"),
    ]  # fmt: skip
    with subprocess.Popen(command, stdin=subprocess.PIPE) as encoder:
        if encoder.stdin is None:
            raise RuntimeError("ffmpeg's input pipe did not open")
        for frame in _frames(video, cues, frames):
            encoder.stdin.write(frame)
        encoder.stdin.close()
    if encoder.returncode != 0:
        raise RuntimeError(f"ffmpeg failed for {video.key}")


def _frames(video: DemoVideo, cues: list[Cue], count: int) -> Iterator[bytes]:
    """Each scene's card is drawn once; frames differ only by the progress bar."""
    top, bottom, accent, ink = PALETTES[video.palette % len(PALETTES)]
    cards = [_card(video.title, "BEACON 视听禁毒", top, bottom, accent, ink, small=True)]
    cards += [_card(scene.heading, video.title, top, bottom, accent, ink) for scene in video.scenes]
    for number in range(count):
        t = number / FPS
        scene = sum(1 for cue in cues if cue.start <= t)  # 0 = title card
        frame = cards[scene].copy()
        draw = ImageDraw.Draw(frame)
        draw.rectangle((0, HEIGHT - 6, WIDTH, HEIGHT), fill=top)
        draw.rectangle((0, HEIGHT - 6, int(WIDTH * number / max(1, count - 1)), HEIGHT), fill=accent)
        yield frame.tobytes()


def _card(
    text: str,
    caption: str,
    top: tuple[int, int, int],
    bottom: tuple[int, int, int],
    accent: tuple[int, int, int],
    ink: tuple[int, int, int],
    *,
    small: bool = False,
) -> Image.Image:
    image = Image.new("RGB", (WIDTH, HEIGHT))
    draw = ImageDraw.Draw(image)
    for y in range(HEIGHT):
        t = y / (HEIGHT - 1)
        draw.line((0, y, WIDTH, y), fill=tuple(round(a + (b - a) * t) for a, b in zip(top, bottom, strict=True)))
    for i in range(3):
        r = 60 + 25 * i
        cx, cy = WIDTH - 70 + 20 * i, 60 + 70 * i
        draw.ellipse((cx - r, cy - r, cx + r, cy + r), outline=accent, width=3)
    size = 30 if small else 52
    font = ImageFont.truetype(str(FONT), size)
    while draw.textlength(text, font=font) > WIDTH - 60 and size > 16:
        size -= 2
        font = ImageFont.truetype(str(FONT), size)
    draw.text((WIDTH // 2, HEIGHT // 2 - 10), text, font=font, fill=ink, anchor="mm")
    draw.rectangle(
        (WIDTH // 2 - 40, HEIGHT // 2 + size // 2, WIDTH // 2 + 40, HEIGHT // 2 + size // 2 + 4), fill=accent
    )
    draw.text((20, 16), caption, font=ImageFont.truetype(str(FONT), 16), fill=ink)
    return image


def _webvtt(cues: list[Cue], language: str) -> str:
    lines = ["WEBVTT", f"Language: {language}", ""]
    for number, cue in enumerate(cues, start=1):
        lines += [str(number), f"{_time(cue.start)} --> {_time(cue.end)}", cue.texts[language], ""]
    return "\n".join(lines)


def _time(seconds: float) -> str:
    millis = round(seconds * 1000)
    hours, millis = divmod(millis, 3_600_000)
    minutes, millis = divmod(millis, 60_000)
    return f"{hours:02d}:{minutes:02d}:{millis // 1000:02d}.{millis % 1000:03d}"


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
