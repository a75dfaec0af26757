"""`python -m bench.images`: what an image bomb costs Beacon, as ratios to a plain request in the same run.

One uvicorn worker (pinned to core 0 where taskset exists) on a fresh SQLite database; this
process drives it with httpx, 16 requests in flight, each scenario for --seconds:

  plain     POST /graphql {__typename}, anonymous: the unit every ratio is taken against
  upload    an editor uploads the 249 KB PNG that declares 8000 x 8000 RGBA (refused: TOO_LARGE)
  variant   GET a variant of that bomb stored before the fix, as old deployments have it (422)
  cached    GET an ordinary image's variant already on disk (200), for scale

and prints requests/s, p50/p99, each scenario's cost as a multiple of a plain request (plain
req/s over its req/s), the answers seen, and the peak RSS of the server with its image workers.
Before the fix one bomb's six variants took the server to 4.65 GB (docs/security.md).
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from bench.servers import ROOT, uvicorn_server
from tests.live import tree_rss_bytes
from tests.media.media_samples import png_bomb

PASSWORD = "bench-editor-password"  # noqa: S105 (a throwaway account in a temp database)
UPLOAD = "mutation($file: Upload!) { uploadMedia(file: $file) { asset { sha256 } errors { code } } }"
Send = Callable[[httpx.AsyncClient], Awaitable[httpx.Response]]


@dataclass
class Driven:
    """What one scenario did: its rate, latencies and the answers it got."""

    name: str
    requests_per_second: float
    p50_ms: float
    p99_ms: float
    answers: Counter[str] = field(default_factory=Counter)


async def drive(base: str, name: str, send: Send, seconds: float, concurrency: int = 16) -> Driven:
    """Keep `concurrency` requests in flight for `seconds`; every answer's status and code are counted."""
    latencies: list[float] = []
    answers: Counter[str] = Counter()
    deadline = time.monotonic() + seconds

    async def one_after_another(client: httpx.AsyncClient) -> None:
        while time.monotonic() < deadline:
            started = time.perf_counter()
            response = await send(client)
            latencies.append((time.perf_counter() - started) * 1000)
            answers[_answer(response)] += 1

    limits = httpx.Limits(max_connections=concurrency)
    async with httpx.AsyncClient(base_url=base, timeout=60, limits=limits) as client:
        started = time.monotonic()
        await asyncio.gather(*(one_after_another(client) for _ in range(concurrency)))
        elapsed = time.monotonic() - started
    latencies.sort()
    return Driven(
        name,
        len(latencies) / elapsed,
        latencies[len(latencies) // 2],
        latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))],
        answers,
    )


def _answer(response: httpx.Response) -> str:
    """`200`, or the status with the first error code in the body (top level or in a payload)."""
    if not response.headers.get("content-type", "").startswith("application/json"):
        return str(response.status_code)
    body = response.json()
    payloads = [p for p in (body.get("data") or {}).values() if isinstance(p, dict)]
    errors = body.get("errors") or [e for p in payloads for e in p.get("errors", [])]
    code = (errors[0].get("extensions") or errors[0]).get("code") if errors else None
    return f"{response.status_code} {code}" if code else str(response.status_code)


def multipart(data: bytes, filename: str) -> tuple[bytes, dict[str, str]]:
    """A GraphQL multipart request body (operations, map, one file) and its content type."""
    boundary = "beaconbench"
    parts = [
        ("operations", json.dumps({"query": UPLOAD, "variables": {"file": None}}).encode(), None),
        ("map", b'{"0": ["variables.file"]}', None),
        ("0", data, filename),
    ]
    body = b""
    for name, content, file in parts:
        disposition = f'form-data; name="{name}"' + (f'; filename="{file}"' if file else "")
        body += f"--{boundary}\r\nContent-Disposition: {disposition}\r\n".encode()
        body += (b"Content-Type: image/png\r\n" if file else b"") + b"\r\n" + content + b"\r\n"
    body += f"--{boundary}--\r\n".encode()
    return body, {"content-type": f"multipart/form-data; boundary={boundary}", "apollo-require-preflight": "true"}


def prepare(data_dir: Path, env: dict[str, str], bomb: bytes) -> str:
    """Migrate, create an editor, and store the bomb as a pre-fix deployment would have (file and row)."""
    python = sys.executable
    run_env = {**os.environ, **env}
    subprocess.run([python, "-m", "cli", "migrate"], cwd=ROOT, env=run_env, check=True, capture_output=True)
    create_user = ["create-user", "bench-editor", "--role", "EDITOR", "--display-name", "B", "--password-stdin"]
    subprocess.run(
        [python, "-m", "cli", *create_user],
        cwd=ROOT,
        env=run_env,
        input=PASSWORD.encode() + b"\n",
        check=True,
        capture_output=True,
    )
    sha256 = hashlib.sha256(bomb).hexdigest()
    path = data_dir / "media" / sha256[:2] / sha256[2:4] / f"{sha256}.png"
    path.parent.mkdir(parents=True)
    path.write_bytes(bomb)
    asyncio.run(_row(env["BEACON_DATABASE_URL"], sha256, len(bomb)))
    return sha256


async def _row(database_url: str, sha256: str, size: int) -> None:
    from models.content import MediaAsset, MediaKind
    from models.database import close_database, open_database

    await open_database(database_url)
    try:
        await MediaAsset.create(
            kind=MediaKind.IMAGE, mime_type="image/png", extension=".png", byte_size=size, sha256=sha256
        )
    finally:
        await close_database()


async def scenarios(base: str, legacy: str, bomb: bytes, seconds: float) -> list[Driven]:
    async with httpx.AsyncClient(base_url=base, timeout=60) as client:
        login = '{"query": "mutation { login(input: {username: \\"bench-editor\\", password: \\"%s\\"}) { token } }"}'
        answer = await client.post("/graphql", content=login % PASSWORD, headers={"content-type": "application/json"})
        token = answer.json()["data"]["login"]["token"]
        poster = _poster()
        body, headers = multipart(poster, "poster.png")
        stored = await client.post("/graphql", content=body, headers={**headers, "authorization": f"Bearer {token}"})
        ordinary = stored.json()["data"]["uploadMedia"]["asset"]["sha256"]
        await client.get(f"/media/{ordinary}/w320.png")  # render it once: the scenario reads it from disk
    upload_body, upload_headers = multipart(bomb, "bomb.png")
    upload_headers["authorization"] = f"Bearer {token}"
    plain = {"content-type": "application/json"}
    return [
        await drive(
            base, "plain", lambda c: c.post("/graphql", content='{"query": "{ __typename }"}', headers=plain), seconds
        ),
        await drive(base, "upload", lambda c: c.post("/graphql", content=upload_body, headers=upload_headers), seconds),
        await drive(base, "variant", lambda c: c.get(f"/media/{legacy}/w640.png"), seconds),
        await drive(base, "cached", lambda c: c.get(f"/media/{ordinary}/w320.png"), seconds),
    ]


def _poster() -> bytes:
    from media.generate import poster_png

    return poster_png("Bench", "An ordinary image", width=1200, height=800)


class PeakTreeRss:
    """The highest summed RSS of a process and its descendants, sampled in a thread."""

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            self.peak = max(self.peak, tree_rss_bytes(self.pid))
            self._stop.wait(0.02)

    def __enter__(self) -> PeakTreeRss:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


def table(results: list[Driven], peak_mb: float) -> str:
    unit = results[0].requests_per_second
    lines = [
        "| scenario | req/s | p50 ms | p99 ms | cost × plain | answers |",
        "| --- | ---: | ---: | ---: | ---: | --- |",
    ]
    for r in results:
        answers = ", ".join(f"{k}: {v}" for k, v in sorted(r.answers.items()))
        lines.append(
            f"| {r.name} | {r.requests_per_second:.0f} | {r.p50_ms:.1f} | {r.p99_ms:.1f} | "
            f"{unit / r.requests_per_second:.2f} | {answers} |"
        )
    lines.append(f"\nPeak RSS of the server and its image workers during the run: {peak_mb:.0f} MB.")
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.images", description=__doc__)
    parser.add_argument("--seconds", type=float, default=10, help="how long each scenario runs")
    args = parser.parse_args()
    bomb = png_bomb(8000, 8000)
    with tempfile.TemporaryDirectory() as tmp:
        data_dir = Path(tmp)
        env = {
            "BEACON_DATA_DIR": str(data_dir),
            "BEACON_DATABASE_URL": f"sqlite://{data_dir}/bench.sqlite3",
            "BEACON_SECRET_KEY": "bench-secret-key-not-for-production",
            # The bench sends hundreds of uploads an hour; the hourly count is not what it measures.
            "BEACON_STAFF_UPLOADS_PER_HOUR": "1000000",
            "BEACON_RESPONSE_CACHE": "off",
        }
        legacy = prepare(data_dir, env, bomb)
        with uvicorn_server("server:asgi_app", env) as (base, pid), PeakTreeRss(pid) as rss:
            results = asyncio.run(scenarios(base, legacy, bomb, args.seconds))
    print(table(results, rss.peak / 1024 / 1024))
    return 0


if __name__ == "__main__":
    sys.exit(main())
