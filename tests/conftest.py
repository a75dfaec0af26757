"""The real stack for every test: migrated databases (SQLite, then PostgreSQL) and the ASGI app.

Tests that take `db` (or `client`, which needs it) run once per database backend.
The PostgreSQL pass needs BEACON_TEST_POSTGRES_URL (set by `make test` and `.ci/run`);
without it those tests are skipped with a line saying so.
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from datetime import datetime
from pathlib import Path

import httpx
import pytest
from argon2 import PasswordHasher, profiles
from tortoise import Tortoise, connections
from tortoise.backends.base.executor import EXECUTOR_CACHE

from models.database import apply_migrations, close_database, open_database
from resolvers import passwords, throttle, vault
from server import create_app
from settings import Settings
from tests.helpers import TEST_DATA_KEY, GraphQLClient

# Argon2's production cost makes every created user take ~0.1 s; tests use the cheapest profile.
passwords.use_parameters(PasswordHasher.from_parameters(profiles.CHEAPEST))
# One data key for the tests and every process they start (the CLI, servers), so all open what others sealed.
os.environ["BEACON_DATA_KEY"] = TEST_DATA_KEY
vault.configure([TEST_DATA_KEY])

BACKENDS = ["sqlite", "postgres"]
POSTGRES_SKIP = "PostgreSQL pass skipped: BEACON_TEST_POSTGRES_URL is not set (make test sets it)"
# privacy_notice rows are published by a migration, like the schema itself.
KEEP_TABLES = {"tortoise_migrations", "privacy_notice"}


def _postgres_url() -> str | None:
    return os.environ.get("BEACON_TEST_POSTGRES_URL") or None


@pytest.fixture(scope="session", params=BACKENDS)
async def database(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[str]:
    """A migrated, open database of one backend for the whole session; yields its URL."""
    if request.param == "sqlite":
        url = f"sqlite://{tmp_path_factory.mktemp('sqlite') / 'beacon.sqlite3'}"
    else:
        url = _postgres_url() or ""
        if not url:
            pytest.skip(POSTGRES_SKIP)
        await _reset_postgres(url)
    # Tortoise caches each model's SQL per connection name; the other backend's dialect must not leak in.
    EXECUTOR_CACHE.clear()
    await apply_migrations(url)
    await open_database(url)
    yield url
    await close_database()


async def _reset_postgres(url: str) -> None:
    """Start from an empty schema so a reused test database holds nothing stale."""
    import asyncpg

    name = url.rsplit("/", 1)[-1].split("?")[0]
    if not name.startswith("beacon_test"):
        raise RuntimeError(f"refusing to reset {name!r}: test databases must be named beacon_test*")
    conn = await asyncpg.connect(url.replace("postgres://", "postgresql://", 1))
    try:
        await conn.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public;")
    finally:
        await conn.close()


async def _table_names() -> list[str]:
    conn = connections.get("default")
    if conn.capabilities.dialect == "sqlite":
        _, rows = await conn.execute_query(
            "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%' "
            "AND sql NOT LIKE 'CREATE VIRTUAL TABLE%'"
        )
        names = [r["name"] for r in rows]
        # FTS5 shadow tables belong to their virtual table; never touch them directly.
        virtual = await conn.execute_query(
            "SELECT name FROM sqlite_master WHERE type='table' AND sql LIKE 'CREATE VIRTUAL TABLE%'"
        )
        shadows = {f"{v['name']}_{s}" for v in virtual[1] for s in ("data", "idx", "content", "docsize", "config")}
        return [n for n in names if n not in shadows and n not in KEEP_TABLES] + [v["name"] for v in virtual[1]]
    _, rows = await conn.execute_query("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
    return [r["tablename"] for r in rows if r["tablename"] not in KEEP_TABLES]


async def _empty_tables() -> None:
    conn = connections.get("default")
    names = await _table_names()
    if not names:
        return
    if conn.capabilities.dialect == "sqlite":
        # The audit log refuses DELETE (migration 0006_audit_chain): its triggers step aside while tests empty it.
        _, triggers = await conn.execute_query(
            "SELECT name, sql FROM sqlite_master WHERE type='trigger' AND tbl_name='consultation_audit'"
        )
        deletes = "".join(f'DELETE FROM "{n}";' for n in names)  # noqa: S608 table names read from the database's own catalogue
        await conn.execute_script(
            "PRAGMA foreign_keys=OFF;"
            + "".join(f'DROP TRIGGER "{t["name"]}";' for t in triggers)
            + deletes
            + "".join(f"{t['sql']};" for t in triggers)
            + "PRAGMA foreign_keys=ON;"
        )
    else:
        # The audit log refuses TRUNCATE too (migration 0007_retention): its triggers step aside likewise.
        audit = "consultation_audit" in names
        await conn.execute_script(
            ("ALTER TABLE consultation_audit DISABLE TRIGGER USER;" if audit else "")
            + f"TRUNCATE {', '.join(chr(34) + n + chr(34) for n in names)} RESTART IDENTITY CASCADE;"
            + ("ALTER TABLE consultation_audit ENABLE TRIGGER USER;" if audit else "")
        )


@pytest.fixture
async def db(database: str) -> AsyncIterator[str]:
    """A database emptied after the test."""
    yield database
    await _empty_tables()


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "data"


@pytest.fixture
def settings(db: str, data_dir: Path) -> Settings:
    # Tests arrange data straight through the ORM, which the public response cache cannot see
    # (it is invalidated by mutations and the scheduler): it is on only in tests that ask for it.
    # The request budget is a ceiling for a busy machine (two cores shared by several suites once ran a
    # plain startQuizAttempt past the 8 s default); the deadline tests run live servers with their own.
    return Settings(
        database_url=db,
        data_dir=data_dir,
        secret_key="test-secret-key-not-for-production",
        data_keys=(TEST_DATA_KEY,),
        response_cache=False,
        request_timeout=60.0,
        # Many tests sign staff in with a password alone; the second-factor tests
        # (tests/accounts/test_second_factor.py) turn it on.
        staff_second_factor=False,
    )


@pytest.fixture
async def app_client(settings: Settings) -> AsyncIterator[httpx.AsyncClient]:
    """An httpx client talking to the real app in-process."""
    app = create_app(settings, manage_database=False)
    transport = httpx.ASGITransport(app=app, client=("203.0.113.7", 50000))
    async with httpx.AsyncClient(transport=transport, base_url="http://beacon.test") as client:
        yield client


@pytest.fixture
def gql(app_client: httpx.AsyncClient) -> GraphQLClient:
    return GraphQLClient(app_client)


@pytest.fixture
def frozen_throttle_clock(monkeypatch: pytest.MonkeyPatch) -> datetime:
    """Hold the throttle's clock still, for tests of its waits.

    Sign-in back-off starts at one second, and a busy machine can spend that between two attempts,
    so a test expecting the 1 s wait met a wait already over (a contention run did). Tests let a
    wait pass by moving recorded events back in time instead.
    """
    instant = throttle.now()
    monkeypatch.setattr(throttle, "now", lambda: instant)
    return instant


@pytest.fixture
def backend(database: str) -> str:
    return "postgres" if database.startswith("postgres") else "sqlite"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--backend",
        choices=["all", *BACKENDS],
        default="all",
        help="run only one database pass (tests that need no database go with the SQLite pass)",
    )


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Keep one database pass when --backend asks for it (the harness runs both passes side by side)."""
    backend = config.getoption("--backend")
    if backend == "all":
        return
    keep: list[pytest.Item] = []
    drop: list[pytest.Item] = []
    for item in items:
        callspec = getattr(item, "callspec", None)
        param = callspec.params.get("database", "sqlite") if callspec else "sqlite"
        (keep if param == backend else drop).append(item)
    if drop:
        config.hook.pytest_deselected(items=drop)
    items[:] = keep


def pytest_report_header(config: pytest.Config) -> str:
    return f"postgres: {_postgres_url() or 'not configured (PostgreSQL pass will be skipped)'}"


_ = Tortoise  # keep the import: fixtures rely on Tortoise's global state
