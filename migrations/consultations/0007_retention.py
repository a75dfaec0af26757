"""Retention (resolvers/retention.py): a purged consultation's stamp, and TRUNCATE refused on the audit log.

A purged consultation keeps its row (the audit log refers to it) with `purged_at` set. On PostgreSQL
the append-only row triggers of 0006_audit_chain never fire for TRUNCATE, which emptied the log in
one statement: a statement trigger now refuses it too. SQLite has no TRUNCATE (its "DELETE FROM"
without WHERE runs the row triggers once a table has them).
"""

from typing import Any

from tortoise import fields, migrations
from tortoise.migrations import operations as ops

POSTGRES_UP = (
    (
        "CREATE TRIGGER consultation_audit_no_truncate BEFORE TRUNCATE ON consultation_audit "
        "FOR EACH STATEMENT EXECUTE FUNCTION consultation_audit_append_only()"
    ),
)
POSTGRES_DOWN = ("DROP TRIGGER consultation_audit_no_truncate ON consultation_audit",)


def _postgres(statements: tuple[str, ...]) -> Any:
    async def run(apps: Any, schema_editor: Any) -> None:
        client = schema_editor.client
        if client.capabilities.dialect == "postgres":
            for statement in statements:
                await client.execute_script(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("consultations", "0006_audit_chain")]

    initial = False

    operations = [
        ops.AddField(
            model_name="Consultation",
            name="purged_at",
            field=fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
        ),
        ops.RunPython(_postgres(POSTGRES_UP), _postgres(POSTGRES_DOWN)),
    ]
