"""A real xAPI learning record store on a loopback port: ralph (`ralph runserver -b fs`), from its own virtualenv."""

from __future__ import annotations

import contextlib
import os
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.live import ROOT, free_port

RALPH = Path(os.environ.get("BEACON_TEST_RALPH", ROOT / ".venv-ralph" / "bin" / "ralph"))
USERNAME, PASSWORD = "beacon-lrs", "lrs-test-password"


@dataclass
class Lrs:
    url: str  # the xAPI base, as an organization would configure it

    def statements(self) -> list[dict[str, Any]]:
        """Every stored statement, read back through the LRS's own xAPI GET /xAPI/statements."""
        found: list[dict[str, Any]] = []
        url: str | None = f"{self.url}/statements?limit=100"
        while url:
            answer = httpx.get(
                url, auth=(USERNAME, PASSWORD), headers={"X-Experience-API-Version": "1.0.3"}, timeout=10
            )
            answer.raise_for_status()
            body = answer.json()
            found += body["statements"]
            more = body.get("more")
            url = f"{self.url.removesuffix('/xAPI')}{more}" if more else None
        return found


@contextlib.contextmanager
def running_lrs(root: Path) -> Iterator[Lrs]:
    """Write a credentials file with `ralph auth`, serve the fs backend, wait until it answers."""
    if not RALPH.exists():
        pytest.skip(f"ralph is not installed at {RALPH} (make install-test installs it into .venv-ralph)")
    env = {
        **os.environ,
        "RALPH_APP_DIR": str(root),
        "RALPH_AUTH_FILE": str(root / "auth.json"),
        "RALPH_RUNSERVER_BACKEND": "fs",
        "PYTHONPATH": str(Path(__file__).parent / "ralph_site"),
    }
    subprocess.run(
        [str(RALPH), "auth", "-u", USERNAME, "-p", PASSWORD, "-s", "all", "-M", "mailto:lrs@example.org", "-w"],
        env=env,
        check=True,
        capture_output=True,
        timeout=60,
    )
    port = free_port()
    log = (root / "ralph.log").open("wb")
    process = subprocess.Popen(
        [
            str(RALPH),
            "runserver",
            "-b",
            "fs",
            "-h",
            "127.0.0.1",
            "-p",
            str(port),
            "--fs-default-directory-path",
            str(root / "data"),
        ],
        env=env,
        cwd=root,  # ralph's dev server watches its working directory for reloads
        stdout=log,
        stderr=log,
    )
    lrs = Lrs(f"http://127.0.0.1:{port}/xAPI")
    try:
        deadline = time.monotonic() + 60
        while True:
            assert process.poll() is None, (root / "ralph.log").read_text(errors="replace")[-3000:]
            try:
                lrs.statements()
                break
            except httpx.HTTPError:
                assert time.monotonic() < deadline, "ralph did not start"
                time.sleep(0.2)
        yield lrs
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()
