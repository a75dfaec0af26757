"""Full-text search over content, on each database's own machinery (see docs/content.md).

SQLite: two FTS5 tables kept in step by resolvers/content/search.py on every save,
one with the trigram tokenizer (queries of 3+ characters) and one whose text is
pre-split into CJK character bigrams and words (1-2 character queries).
PostgreSQL: pg_trgm GIN indexes on the content table itself (always in step).
"""

from collections.abc import Awaitable, Callable
from typing import Any

from tortoise import migrations
from tortoise.migrations import operations as ops

SQLITE_UP = (
    "CREATE VIRTUAL TABLE content_search USING fts5(title, body, tokenize='trigram')",
    "CREATE VIRTUAL TABLE content_search_gram USING fts5(title, body, tokenize='unicode61')",
)
SQLITE_DOWN = ("DROP TABLE content_search_gram", "DROP TABLE content_search")
POSTGRES_UP = (
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX content_item_title_trgm ON content_item USING gin (title gin_trgm_ops)",
    "CREATE INDEX content_item_search_trgm ON content_item USING gin ((coalesce(summary, '') || ' ' || coalesce(body, '')) gin_trgm_ops)",
)
POSTGRES_DOWN = (
    "DROP INDEX content_item_search_trgm",
    "DROP INDEX content_item_title_trgm",
)


def _runner(sqlite: tuple[str, ...], postgres: tuple[str, ...]) -> Callable[[Any, Any], Awaitable[None]]:
    async def run(apps: Any, schema_editor: Any) -> None:
        client = schema_editor.client
        for statement in sqlite if client.capabilities.dialect == "sqlite" else postgres:
            await client.execute_script(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("content", "0001_initial")]

    operations = [ops.RunPython(_runner(SQLITE_UP, POSTGRES_UP), _runner(SQLITE_DOWN, POSTGRES_DOWN))]
