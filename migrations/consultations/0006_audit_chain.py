"""Break-glass reasons on admin reads, and the audit log made append-only in the database and hash-chained (resolvers/consultations/audit.py).

Existing records are chained in id order first; then triggers refuse every UPDATE and DELETE of a
record, on SQLite (RAISE(ABORT)) and PostgreSQL (a row trigger raising an exception). Removing the
triggers takes a schema change by the database owner; `beacon audit --verify` finds what was done
while they were away.
"""

import json
from datetime import datetime
from typing import Any

from tortoise import fields, migrations
from tortoise.migrations import operations as ops

REFUSAL = "consultation_audit is append-only"
SQLITE_UP = (
    f"CREATE TRIGGER consultation_audit_no_update BEFORE UPDATE ON consultation_audit BEGIN SELECT RAISE(ABORT, '{REFUSAL}'); END",
    f"CREATE TRIGGER consultation_audit_no_delete BEFORE DELETE ON consultation_audit BEGIN SELECT RAISE(ABORT, '{REFUSAL}'); END",
)
SQLITE_DOWN = ("DROP TRIGGER consultation_audit_no_update", "DROP TRIGGER consultation_audit_no_delete")
POSTGRES_UP = (
    f"CREATE FUNCTION consultation_audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION '{REFUSAL}' USING ERRCODE = 'insufficient_privilege'; END $$",
    "CREATE TRIGGER consultation_audit_no_change BEFORE UPDATE OR DELETE ON consultation_audit FOR EACH ROW EXECUTE FUNCTION consultation_audit_append_only()",
)
POSTGRES_DOWN = (
    "DROP TRIGGER consultation_audit_no_change ON consultation_audit",
    "DROP FUNCTION consultation_audit_append_only()",
)


async def chain_existing(apps: Any, schema_editor: Any) -> None:
    from resolvers.consultations.audit import GENESIS, chain_hash

    client = schema_editor.client
    postgres = client.capabilities.dialect != "sqlite"
    _, rows = await client.execute_query("SELECT * FROM consultation_audit ORDER BY id")
    prev = GENESIS
    for row in rows:
        roles = row["actor_roles"]
        created = row["created_at"]
        if isinstance(created, str):
            created = datetime.fromisoformat(created)
        row_hash = chain_hash(
            prev,
            consultation_id=row["consultation_id"],
            actor_user_id=row["actor_user_id"],
            actor_name=row["actor_name"],
            actor_roles=json.loads(roles) if isinstance(roles, str) else roles,
            action=row["action"],
            detail=row["detail"],
            reason="",
            created_at=created,
        )
        update = (
            "UPDATE consultation_audit SET prev_hash = $1, row_hash = $2 WHERE id = $3"
            if postgres
            else "UPDATE consultation_audit SET prev_hash = ?, row_hash = ? WHERE id = ?"
        )
        await client.execute_query(update, [prev, row_hash, row["id"]])
        prev = row_hash


def _runner(sqlite: tuple[str, ...], postgres: tuple[str, ...]) -> Any:
    async def run(apps: Any, schema_editor: Any) -> None:
        client = schema_editor.client
        for statement in sqlite if client.capabilities.dialect == "sqlite" else postgres:
            await client.execute_script(statement)

    return run


async def nothing(apps: Any, schema_editor: Any) -> None:
    """The hashes go with their columns."""


class Migration(migrations.Migration):
    dependencies = [("accounts", "0001_initial"), ("consultations", "0005_consent_terms")]

    initial = False

    operations = [
        ops.AddField(
            model_name="ConsultationAudit",
            name="reason",
            field=fields.CharField(default="", max_length=300),
        ),
        ops.AddField(
            model_name="ConsultationAudit",
            name="prev_hash",
            field=fields.CharField(default="", max_length=64),
        ),
        ops.AddField(
            model_name="ConsultationAudit",
            name="row_hash",
            field=fields.CharField(default="", max_length=64),
        ),
        ops.RunPython(chain_existing, nothing),
        ops.RunPython(_runner(SQLITE_UP, POSTGRES_UP), _runner(SQLITE_DOWN, POSTGRES_DOWN)),
    ]
