"""Opening, migrating and checking the database (Tortoise's built-in migrations)."""

from __future__ import annotations

import asyncio

import asyncpg
from tortoise import Tortoise, connections
from tortoise.exceptions import DBConnectionError, OperationalError
from tortoise.migrations.api import migrate as migrate_api
from tortoise.migrations.executor import MigrationExecutor

from models import app_configs, tortoise_config
from models.postgres import BeaconPostgresClient, PoolTimeout


async def open_database(
    database_url: str, *, statement_timeout: float | None = None, acquire_timeout: float | None = None
) -> None:
    """Connect the ORM for this process (the timeouts, in seconds, bind PostgreSQL only)."""
    config = tortoise_config(database_url, statement_timeout=statement_timeout, acquire_timeout=acquire_timeout)
    # Global fallback: the ASGI lifespan runs in another task than the requests,
    # so the ORM must not live only in the lifespan task's context variables.
    await Tortoise.init(config=config, _enable_global_fallback=True)


async def close_database() -> None:
    await Tortoise.close_connections()


async def apply_migrations(database_url: str) -> list[str]:
    """Bring the database's tables up to date with the committed migrations; the ones applied, as 'app.name'."""
    applied: list[str] = []

    def progress(event: str, app_label: str, name: str) -> None:
        if event == "apply_done":
            applied.append(f"{app_label}.{name}")

    await migrate_api(config=tortoise_config(database_url), progress=progress)
    await Tortoise.close_connections()
    return applied


async def pending_migrations() -> list[str]:
    """Migrations not yet applied, as 'app.name' (needs an open database)."""
    executor = MigrationExecutor(connections.get("default"), app_configs())
    steps = await executor.plan(None)
    return [f"{s.migration.app_label}.{s.migration.name}" for s in steps if not s.backward]


async def ping(timeout: float = 2.0) -> None:
    """Raise when the database does not answer a trivial query in time (never waits for the pool)."""
    client = connections.get("default")
    async with asyncio.timeout(timeout):
        if isinstance(client, BeaconPostgresClient):
            await client.ping()
        else:
            await client.execute_query("SELECT 1")


TIMED_OUT = "timeout"
LOST = "lost"
# SQLSTATEs: class 08 connection exception; 57P01-57P03 admin/crash shutdown, cannot connect now.
_LOST_STATES = ("57P01", "57P02", "57P03")
# 57014 query_canceled (statement_timeout), 55P03 lock_not_available (lock_timeout).
_TIMEOUT_STATES = ("57014", "55P03")


def outage(error: BaseException) -> str | None:
    """TIMED_OUT when the database ran past a deadline, LOST when it went away, else None (follows causes)."""
    current: BaseException | None = error
    for _ in range(6):
        if current is None:
            return None
        kind = _outage_of(current)
        if kind is not None:
            return kind
        current = current.__cause__ or current.__context__
    return None


def _outage_of(error: BaseException) -> str | None:
    sqlstate = str(getattr(error, "sqlstate", "") or "")
    if isinstance(error, PoolTimeout) or sqlstate in _TIMEOUT_STATES:
        return TIMED_OUT
    if isinstance(error, (DBConnectionError, ConnectionError, OSError)):
        return LOST
    if sqlstate.startswith("08") or sqlstate in _LOST_STATES:
        return LOST
    message = str(error).lower()
    if isinstance(error, OperationalError) and "connect" in message:
        return LOST
    if isinstance(error, asyncpg.InterfaceError) and "connection" in message:
        return LOST  # "connection is closed", "connection has been released back to the pool"
    if isinstance(error, asyncpg.InternalClientError) and ("another operation" in message or "protocol" in message):
        return LOST  # a pooled connection that died unnoticed, caught in a broken protocol state
    return None
