"""PreviewToken's description as the model has always had it (issue 17): 0007 recorded the table
without its docstring, so `makemigrations` kept writing this migration for whoever ran it next.

A description is a PostgreSQL comment; SQLite stores none, so its schema does not change.
"""

from typing import Any

from tortoise import migrations
from tortoise.migrations import operations as ops

TABLE_DESCRIPTION = (
    "A read-only preview link of one item (and its translations) or of every draft (resolvers/content/previews.py)."
)


def _table_comment(description: str | None) -> Any:
    async def run(apps: Any, schema_editor: Any) -> None:
        client = schema_editor.client
        if client.capabilities.dialect != "postgres":
            return
        value = "NULL" if description is None else "'" + description.replace("'", "''") + "'"
        await client.execute_script(f"COMMENT ON TABLE preview_token IS {value}")

    return run


class Migration(migrations.Migration):
    dependencies = [("accounts", "0008_refresh_tokens"), ("content", "0009_translation_index")]

    initial = False

    operations = [
        ops.AlterModelOptions(
            name="PreviewToken",
            options={
                "table": "preview_token",
                "app": "content",
                "pk_attr": "id",
                "table_description": TABLE_DESCRIPTION,
            },
        ),
        ops.RunPython(_table_comment(TABLE_DESCRIPTION), _table_comment(None)),
    ]
