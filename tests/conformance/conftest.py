"""Fixtures for the conformance, hostile-input and fault tests: live servers and the Node.js suites."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.faults import PrivatePostgres, postgres_bin
from tests.live import ROOT, LiveServer

SUITES = Path(__file__).resolve().parent
ONCE = "runs once, on the SQLite pass: it exercises the HTTP layer, which does not depend on the database backend"


@pytest.fixture
def live_server(db: str, data_dir: Path) -> Iterator[LiveServer]:
    """A real server process on the test database (same rows the test's factories write)."""
    with LiveServer(db, data_dir) as server:
        yield server


@pytest.fixture(scope="module")
def private_postgres() -> Iterator[PrivatePostgres]:
    """A throwaway, migrated PostgreSQL cluster that the module's fault tests may stop, restart and stall."""
    if postgres_bin() is None:
        pytest.skip("initdb/pg_ctl not installed: the PostgreSQL fault tests need the Debian postgresql packages")
    server = PrivatePostgres().init()
    try:
        beacon_command(server.url, "migrate")
        yield server
    finally:
        server.destroy()


def beacon_command(database_url: str, *args: str, stdin: str | None = None) -> str:
    """Run `beacon …` against a database; its standard output."""
    environ = {**os.environ, "BEACON_DATABASE_URL": database_url, "BEACON_SECRET_KEY": "x" * 40}
    done = subprocess.run(
        [sys.executable, "-m", "cli", *args],
        cwd=ROOT,
        env=environ,
        input=stdin,
        check=True,
        capture_output=True,
        text=True,
        timeout=120,
    )
    return done.stdout


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
            "node is not installed: the graphql-http, graphql-ws and schema-linter suites need Node.js 18+ and npm"
        )
    if not all(
        (SUITES / "node_modules" / name).exists()
        for name in ("graphql-http", "apollo-upload-client", "graphql-schema-linter", "playwright-core")
    ):
        npm = shutil.which("npm")
        if npm is None:
            pytest.skip("npm is not installed: cannot install tests/conformance/package-lock.json")
        subprocess.run(
            [npm, "ci", "--prefix", str(SUITES), "--no-audit", "--no-fund"],
            check=True,
            capture_output=True,
            timeout=300,
        )
    return binary


def run_node(node: str, script: str, *args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [node, str(SUITES / script), *args],
        check=False,
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd=SUITES,
    )
