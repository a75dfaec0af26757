"""`make test`: run the whole suite on SQLite and on a fresh PostgreSQL database.

Creates a throwaway database on the local PostgreSQL server (BEACON_TEST_POSTGRES_ADMIN_URL,
default postgres://postgres@127.0.0.1:5432/postgres), points BEACON_TEST_POSTGRES_URL at it,
runs the SQLite and PostgreSQL passes as two pytest processes side by side, and drops the
database again. Without a reachable server the PostgreSQL pass
is skipped, and says so.
"""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import tempfile
import uuid
from pathlib import Path

ADMIN_URL = os.environ.get("BEACON_TEST_POSTGRES_ADMIN_URL", "postgresql://postgres@127.0.0.1:5432/postgres")


async def _admin(sql: str) -> None:
    import asyncpg

    conn = await asyncio.wait_for(asyncpg.connect(ADMIN_URL), 5)
    try:
        await conn.execute(sql)
    finally:
        await conn.close()


def _create_database() -> str | None:
    name = f"beacon_test_{uuid.uuid4().hex[:10]}"
    try:
        asyncio.run(_admin(f'CREATE DATABASE "{name}"'))
    except Exception as error:  # noqa: BLE001 no server, no rights: the PostgreSQL pass is skipped, loudly
        print(
            f"harness: PostgreSQL not reachable at {ADMIN_URL} ({type(error).__name__}: {error}); "
            "the PostgreSQL pass will be skipped",
            flush=True,
        )
        return None
    return name


def _run_passes(args: list[str], env: dict[str, str]) -> int:
    """Run the SQLite and PostgreSQL passes as two pytest processes side by side (two cores)."""
    with tempfile.TemporaryDirectory() as logs:
        runs = []
        for backend in ("sqlite", "postgres"):
            log = open(Path(logs) / f"{backend}.log", "w+", encoding="utf-8")  # noqa: SIM115 (closed below)
            # Separate base temp dirs: pytest's cleanup of old numbered dirs must not touch the other pass.
            basetemp = Path(logs) / f"tmp-{backend}"
            command = [sys.executable, "-m", "pytest", "--backend", backend, f"--basetemp={basetemp}", *args]
            runs.append((backend, log, subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT)))
        codes = []
        for backend, log, process in runs:
            codes.append(process.wait())
            log.seek(0)
            print(f"\n===== {backend} pass =====", flush=True)
            sys.stdout.write(log.read())
            log.close()
    return next((c for c in codes if c != 0), 0)


def main() -> int:
    env = dict(os.environ)
    created = None
    if not env.get("BEACON_TEST_POSTGRES_URL"):
        created = _create_database()
        if created:
            base = ADMIN_URL.rsplit("/", 1)[0].replace("postgresql://", "postgres://", 1)
            env["BEACON_TEST_POSTGRES_URL"] = f"{base}/{created}"
            print(f"harness: PostgreSQL pass on fresh database {created}", flush=True)
    try:
        if env.get("BEACON_TEST_POSTGRES_URL"):
            return _run_passes(sys.argv[1:], env)
        return subprocess.call([sys.executable, "-m", "pytest", *sys.argv[1:]], env=env)
    finally:
        if created:
            asyncio.run(_admin(f'DROP DATABASE IF EXISTS "{created}" WITH (FORCE)'))


if __name__ == "__main__":
    sys.exit(main())
