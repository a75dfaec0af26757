"""Tortoise models, one module (and one Tortoise app) per domain."""

from __future__ import annotations

# Each domain is its own Tortoise app with its own migrations package, so
# domains can evolve their tables independently.
APPS: dict[str, list[str]] = {
    "accounts": ["models.accounts"],
    "content": ["models.content"],
    "quizzes": ["models.quizzes"],
    "consultations": ["models.consultations"],
}


def tortoise_config(database_url: str) -> dict[str, object]:
    """The Tortoise configuration for this database URL."""
    return {
        "connections": {"default": _connection(database_url)},
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


def _connection(database_url: str) -> str | dict[str, object]:
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
            },
        }
    return database_url
