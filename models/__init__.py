"""Tortoise models, one module (and one Tortoise app) per domain."""

from __future__ import annotations

from typing import cast

# Each domain is its own Tortoise app with its own migrations package, so
# domains can evolve their tables independently.
APPS: dict[str, list[str]] = {
    "accounts": ["models.accounts"],
    "content": ["models.content"],
    "quizzes": ["models.quizzes"],
    "consultations": ["models.consultations"],
    "integrations": ["models.integrations"],
}


def tortoise_config(
    database_url: str, *, statement_timeout: float | None = None, acquire_timeout: float | None = None
) -> dict[str, object]:
    """The Tortoise configuration for this database URL; the timeouts (seconds) bind PostgreSQL only."""
    return {
        "connections": {"default": _connection(database_url, statement_timeout, acquire_timeout)},
        "apps": app_configs(),
        "use_tz": True,
        "timezone": "UTC",
    }


def app_configs() -> dict[str, dict[str, object]]:
    """Each app's models and migrations package, as Tortoise's config and migration executor take them."""
    return {
        label: {"models": modules, "default_connection": "default", "migrations": f"migrations.{label}"}
        for label, modules in APPS.items()
    }


def _connection(
    database_url: str, statement_timeout: float | None, acquire_timeout: float | None
) -> str | dict[str, object]:
    if database_url.startswith("sqlite://"):
        # WAL lets several worker processes read while one writes; the busy
        # timeout makes a writer wait for the lock instead of failing.
        return {
            "engine": "tortoise.backends.sqlite",
            "credentials": {
                "file_path": database_url.removeprefix("sqlite://"),
                "journal_mode": "WAL",
                "busy_timeout": 10000,
                "foreign_keys": "ON",
                # Deleted and overwritten content is zeroed in the file, not left in free space
                # (erasure, docs/privacy.md); it costs some writes, not reads.
                "secure_delete": "ON",
            },
        }
    return _postgres(database_url, statement_timeout, acquire_timeout)


def _postgres(database_url: str, statement_timeout: float | None, acquire_timeout: float | None) -> dict[str, object]:
    """Beacon's asyncpg engine (models/postgres.py) with its deadlines."""
    from tortoise.backends.base.config_generator import expand_db_url

    config = expand_db_url(database_url)
    credentials: dict[str, object] = config["credentials"]
    if statement_timeout is not None:
        # PostgreSQL itself cancels a statement past the deadline, also one waiting for a lock.
        settings = dict(cast(dict[str, str], credentials.get("server_settings") or {}))
        settings["statement_timeout"] = str(int(statement_timeout * 1000))
        credentials["server_settings"] = settings
    credentials["acquire_timeout"] = acquire_timeout
    return {"engine": "models.postgres", "credentials": credentials}
