"""Real servers on loopback ports: `beacon serve` subprocesses and in-process uvicorn."""

from __future__ import annotations

import asyncio
import contextlib
import os
import socket
import subprocess
import sys
import time
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import uvicorn
from starlette.types import ASGIApp

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class LiveServer:
    """`python -m cli serve` in a subprocess; stopped when the block ends."""

    def __init__(self, database_url: str, data_dir: Path, env: dict[str, str] | None = None) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.environ = {
            **os.environ,
            "BEACON_DATABASE_URL": database_url,
            "BEACON_DATA_DIR": str(data_dir),
            "BEACON_SECRET_KEY": "live-test-secret-key-not-for-production",
            # A server's outbox dispatcher would deliver the events of whatever test runs next on this
            # database; the tests that exercise it turn it on.
            "BEACON_OUTBOX_DISPATCH": "off",
            # Tests sign staff in with a password alone unless they are about the second factor.
            "BEACON_STAFF_SECOND_FACTOR": "off",
            **(env or {}),
        }
        self.process: subprocess.Popen[bytes] | None = None
        self.log_path = data_dir.parent / f"server-{self.port}.log"

    @property
    def graphql(self) -> str:
        return f"{self.url}/graphql"

    def start(self) -> LiveServer:
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        log = self.log_path.open("ab")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "cli", "serve", "--port", str(self.port)],
            cwd=ROOT,
            env=self.environ,
            stdout=log,
            stderr=log,
        )
        log.close()
        deadline = time.monotonic() + 120  # a busy machine (and coverage) can slow a cold start a lot
        try:
            while True:
                assert self.process.poll() is None, f"server exited: {self.log()}"
                try:
                    if httpx.get(f"{self.url}/healthz", timeout=10).status_code == 200:
                        return self
                except httpx.HTTPError:
                    pass
                assert time.monotonic() < deadline, f"server did not start: {self.log()}"
                time.sleep(0.1)
        except AssertionError:
            self.stop(kill=True)  # a server that starts late must not outlive its test
            raise

    def stop(self, kill: bool = False) -> None:
        if self.process and self.process.poll() is None:
            if kill:
                self.process.kill()
            else:
                self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")[-4000:] if self.log_path.exists() else ""

    def __enter__(self) -> LiveServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


@contextlib.asynccontextmanager
async def serve_in_process(app: ASGIApp) -> AsyncIterator[str]:
    """Serve an app with uvicorn in this event loop (shares the test's database and monkeypatches)."""
    port = free_port()
    server = uvicorn.Server(
        uvicorn.Config(
            app,
            host="127.0.0.1",
            port=port,
            lifespan="off",
            log_level="warning",
            ws="websockets-sansio",
        )
    )
    task = asyncio.create_task(server.serve())
    try:
        while not server.started:
            assert not task.done(), "uvicorn did not start"
            await asyncio.sleep(0.02)
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        await asyncio.wait_for(task, 10)


def process_tree(pid: int) -> list[int]:
    """The pid and every process below it (image workers fork from a child of the server)."""
    parents: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            with contextlib.suppress(OSError, IndexError, ValueError):
                stat = (entry / "stat").read_text()
                ppid = int(stat.rsplit(")", 1)[1].split()[1])
                parents.setdefault(ppid, []).append(int(entry.name))
    tree, todo = [], [pid]
    while todo:
        current = todo.pop()
        tree.append(current)
        todo.extend(parents.get(current, []))
    return tree


def rss_bytes(pid: int) -> int:
    """Resident memory of one process (0 once it is gone)."""
    with contextlib.suppress(OSError):
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    return 0


def tree_rss_bytes(pid: int) -> int:
    """Resident memory of a process and all its descendants, summed."""
    return sum(rss_bytes(p) for p in process_tree(pid))


class PeakRss:
    """Samples a process tree's summed RSS in a thread while the block runs; `peak` is the highest seen."""

    def __init__(self, pid: int, interval: float = 0.02) -> None:
        import threading

        self.pid = pid
        self.interval = interval
        self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def _sample(self) -> None:
        while not self._stop.is_set():
            self.peak = max(self.peak, tree_rss_bytes(self.pid))
            self._stop.wait(self.interval)

    def __enter__(self) -> PeakRss:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()
