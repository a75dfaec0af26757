"""`make test`: run the whole suite on SQLite and on a fresh PostgreSQL database.

Creates a throwaway database on the local PostgreSQL server (BEACON_TEST_POSTGRES_ADMIN_URL,
default postgres://postgres@127.0.0.1:5432/postgres), points BEACON_TEST_POSTGRES_URL at it,
runs pytest once, and drops the database again. Without a reachable server the PostgreSQL pass
is skipped, and says so.
"""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import uuid

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
    except Exception as error:  # no server, no rights: the PostgreSQL pass is skipped, loudly
        print(f"harness: PostgreSQL not reachable at {ADMIN_URL} ({type(error).__name__}: {error}); "
              "the PostgreSQL pass will be skipped", flush=True)
        return None
    return name


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
        code = subprocess.call([sys.executable, "-m", "pytest", *sys.argv[1:]], env=env)
    finally:
        if created:
            asyncio.run(_admin(f'DROP DATABASE IF EXISTS "{created}" WITH (FORCE)'))
    return code


if __name__ == "__main__":
    sys.exit(main())
