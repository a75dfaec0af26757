"""DataExport's descriptions as the model has always had them (issue 17): 0005 recorded the table
without its docstring and the status column with an empty description, so `makemigrations`
kept writing this migration for whoever ran it next.

Descriptions are PostgreSQL comments; SQLite stores none, so its schema does not change. The status
column is altered on PostgreSQL only: on SQLite tortoise's AlterField rebuilds the table for any
change, and tortoise-orm 1.1's rebuild does not create the table's indexes again (expires_at;
user_id, status). The index in the options below is the one 0005 made, only recorded the way the
model states it; nothing is built for it.
"""

from typing import Any

from tortoise import fields, migrations
from tortoise.indexes import Index
from tortoise.migrations import operations as ops

from models.accounts import ExportStatus

TABLE_DESCRIPTION = (
    "One exportMyData request (resolvers/exports.py): its state, its sealed document and its link's hash."
)


class AlterFieldOnPostgres(ops.AlterField):
    """ops.AlterField for a change SQLite does not store (a description): the state on both, SQL on PostgreSQL."""

    async def database_forward(self, app_label: str, old_state: Any, new_state: Any, state_editor: Any = None) -> None:
        if state_editor is not None and state_editor.client.capabilities.dialect == "postgres":
            await super().database_forward(app_label, old_state, new_state, state_editor)

    async def database_backward(self, app_label: str, old_state: Any, new_state: Any, state_editor: Any = None) -> None:
        if state_editor is not None and state_editor.client.capabilities.dialect == "postgres":
            await super().database_backward(app_label, old_state, new_state, state_editor)


def _table_comment(description: str | None) -> Any:
    async def run(apps: Any, schema_editor: Any) -> None:
        client = schema_editor.client
        if client.capabilities.dialect != "postgres":
            return
        value = "NULL" if description is None else "'" + description.replace("'", "''") + "'"
        await client.execute_script(f"COMMENT ON TABLE data_export IS {value}")

    return run


class Migration(migrations.Migration):
    dependencies = [("accounts", "0008_refresh_tokens")]

    initial = False

    operations = [
        ops.AlterModelOptions(
            name="DataExport",
            options={
                "table": "data_export",
                "app": "accounts",
                "indexes": [Index(fields=["user_id", "status"])],
                "pk_attr": "id",
                "table_description": TABLE_DESCRIPTION,
            },
        ),
        AlterFieldOnPostgres(
            model_name="DataExport",
            name="status",
            field=fields.CharEnumField(
                default=ExportStatus.PENDING,
                description="PENDING: PENDING\nREADY: READY\nDOWNLOADED: DOWNLOADED\nEXPIRED: EXPIRED\nFAILED: FAILED",
                enum_type=ExportStatus,
                max_length=12,
            ),
        ),
        ops.RunPython(_table_comment(TABLE_DESCRIPTION), _table_comment(None)),
    ]
