"""A live Beacon (a real `beacon serve` process on a free loopback port) and the Node.js suites."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

ROOT = Path(__file__).resolve().parents[2]
SUITES = Path(__file__).resolve().parent
ONCE = "runs once, on the SQLite pass: it exercises the HTTP layer, which does not depend on the database backend"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class LiveServer:
    """`python -m cli serve` in a subprocess; stopped when the block ends."""

    def __init__(
        self, database_url: str, data_dir: Path, env: dict[str, str] | None = None
    ) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.environ = {
            **os.environ,
            "BEACON_DATABASE_URL": database_url,
            "BEACON_DATA_DIR": str(data_dir),
            "BEACON_SECRET_KEY": "live-test-secret-key-not-for-production",
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
        deadline = time.monotonic() + 30
        while True:
            assert self.process.poll() is None, f"server exited: {self.log()}"
            try:
                if httpx.get(f"{self.url}/healthz", timeout=1).status_code == 200:
                    return self
            except httpx.HTTPError:
                pass
            assert time.monotonic() < deadline, f"server did not start: {self.log()}"
            time.sleep(0.1)

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
        return (
            self.log_path.read_text(errors="replace")[-4000:]
            if self.log_path.exists()
            else ""
        )

    def __enter__(self) -> LiveServer:  # noqa: PYI034
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


@pytest.fixture
def live_server(db: str, data_dir: Path) -> Iterator[LiveServer]:
    """A real server process on the test database (same rows the test's factories write)."""
    with LiveServer(db, data_dir) as server:
        yield server


@pytest.fixture
def once(backend: str) -> None:
    """Skip the PostgreSQL duplicate of a test that does not depend on the backend."""
    if backend != "sqlite":
        pytest.skip(ONCE)


@pytest.fixture(scope="session")
def node() -> str:
    """The node binary with the pinned suites installed (npm ci on first use)."""
    binary = shutil.which("node")
    if binary is None:
        pytest.skip(
            "node is not installed: the graphql-http and graphql-ws suites need Node.js 18+ and npm"
        )
    if not (SUITES / "node_modules" / "graphql-http").exists():
        npm = shutil.which("npm")
        if npm is None:
            pytest.skip(
                "npm is not installed: cannot install tests/conformance/package-lock.json"
            )
        subprocess.run(
            [npm, "ci", "--prefix", str(SUITES), "--no-audit", "--no-fund"],
            check=True,
            capture_output=True,
            timeout=300,
        )
    return binary


def run_node(
    node: str, script: str, *args: str, timeout: float = 120
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [node, str(SUITES / script), *args],
        check=False,
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd=SUITES,
    )
