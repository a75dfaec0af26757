"""Opening, migrating and checking the database (Tortoise's built-in migrations)."""

from __future__ import annotations

import asyncio

from tortoise import Tortoise, connections
from tortoise.migrations.api import migrate as migrate_api
from tortoise.migrations.executor import MigrationExecutor

from models import app_configs, tortoise_config


async def open_database(database_url: str) -> None:
    """Connect the ORM for this process."""
    # Global fallback: the ASGI lifespan runs in another task than the requests,
    # so the ORM must not live only in the lifespan task's context variables.
    await Tortoise.init(config=tortoise_config(database_url), _enable_global_fallback=True)


async def close_database() -> None:
    await Tortoise.close_connections()


async def apply_migrations(database_url: str) -> None:
    """Bring the database's tables up to date with the committed migrations."""
    await migrate_api(config=tortoise_config(database_url))
    await Tortoise.close_connections()


async def pending_migrations() -> list[str]:
    """Migrations not yet applied, as 'app.name' (needs an open database)."""
    executor = MigrationExecutor(connections.get("default"), app_configs())
    steps = await executor.plan(None)
    return [f"{s.migration.app_label}.{s.migration.name}" for s in steps if not s.backward]


async def ping(timeout: float = 2.0) -> None:
    """Raise when the database does not answer a trivial query in time."""
    await asyncio.wait_for(connections.get("default").execute_query("SELECT 1"), timeout)
