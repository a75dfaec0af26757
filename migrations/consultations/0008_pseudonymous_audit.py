"""The audit log names people who are not staff by id only (`user:<id>`), so it outlives their erasure.

Records written before this version carried a client's or learner's shown name in `actor_name`.
This migration checks the chain first (a broken chain is not re-chained: that would hide what
broke it; the migration stops and names the record), then, with the append-only triggers set
aside, rewrites those names and re-chains every record after the first one changed. Staff
(experts, editors, admins) keep their names: clients read who opened their thread.
"""

import json
from datetime import datetime
from typing import Any

from tortoise import migrations
from tortoise.migrations import operations as ops

STAFF = frozenset({"EXPERT", "EDITOR", "ADMIN"})
REFUSAL = "consultation_audit is append-only"
SQLITE_TRIGGERS = (
    f"CREATE TRIGGER consultation_audit_no_update BEFORE UPDATE ON consultation_audit BEGIN SELECT RAISE(ABORT, '{REFUSAL}'); END",
    f"CREATE TRIGGER consultation_audit_no_delete BEFORE DELETE ON consultation_audit BEGIN SELECT RAISE(ABORT, '{REFUSAL}'); END",
)


def _fields(row: dict[str, Any]) -> dict[str, Any]:
    roles = row["actor_roles"]
    created = row["created_at"]
    return {
        "consultation_id": row["consultation_id"],
        "actor_user_id": row["actor_user_id"],
        "actor_name": row["actor_name"],
        "actor_roles": json.loads(roles) if isinstance(roles, str) else roles,
        "action": row["action"],
        "detail": row["detail"],
        "reason": row["reason"],
        "created_at": datetime.fromisoformat(created) if isinstance(created, str) else created,
    }


async def pseudonymise(apps: Any, schema_editor: Any) -> None:
    from resolvers.consultations.audit import GENESIS, chain_hash

    client = schema_editor.client
    sqlite = client.capabilities.dialect == "sqlite"
    _, rows = await client.execute_query("SELECT * FROM consultation_audit ORDER BY id")
    prev = GENESIS
    for row in rows:  # the chain as it stands must verify before anything is rewritten
        if row["prev_hash"] != prev or row["row_hash"] != chain_hash(prev, **_fields(row)):
            raise RuntimeError(
                f"consultation_audit: the chain is broken at record {row['id']} (`beacon audit --verify`); "
                "it is not rewritten. Investigate, then rerun `beacon migrate`."
            )
        prev = row["row_hash"]
    changes: list[tuple[str, str, str, int]] = []
    prev, rewriting = GENESIS, False
    for row in rows:
        values = _fields(row)
        if values["actor_user_id"] and not STAFF & set(values["actor_roles"]):
            rewriting = rewriting or values["actor_name"] != f"user:{values['actor_user_id']}"
            values["actor_name"] = f"user:{values['actor_user_id']}"
        row_hash = chain_hash(prev, **values) if rewriting else row["row_hash"]
        if rewriting:
            changes.append((values["actor_name"], prev, row_hash, row["id"]))
        prev = row_hash
    if not changes:
        return
    update = (
        "UPDATE consultation_audit SET actor_name = ?, prev_hash = ?, row_hash = ? WHERE id = ?"
        if sqlite
        else "UPDATE consultation_audit SET actor_name = $1, prev_hash = $2, row_hash = $3 WHERE id = $4"
    )
    if sqlite:
        await client.execute_script("DROP TRIGGER consultation_audit_no_update")
    else:
        await client.execute_script("ALTER TABLE consultation_audit DISABLE TRIGGER consultation_audit_no_change")
    for change in changes:
        await client.execute_query(update, list(change))
    if sqlite:
        await client.execute_script(SQLITE_TRIGGERS[0])
    else:
        await client.execute_script("ALTER TABLE consultation_audit ENABLE TRIGGER consultation_audit_no_change")


async def nothing(apps: Any, schema_editor: Any) -> None:
    """Names replaced by ids are not restored."""


class Migration(migrations.Migration):
    dependencies = [("consultations", "0007_retention")]

    initial = False

    operations = [ops.RunPython(pseudonymise, nothing)]
