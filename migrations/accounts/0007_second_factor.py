"""Staff's second factor and idle limit (docs/accounts.md): TOTP columns, recovery codes, the account
audit, and each session's scope and idle limit.

Sessions of experts and admins opened before this migration were opened with a password alone and
carry no idle limit: they are ended (revoked now), so staff sign in once more under the new rules.
"""

from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Any

from tortoise import fields, migrations
from tortoise.fields.base import OnDelete
from tortoise.migrations import operations as ops

# The same statement in each driver's parameter style: staff's sessions that still work end now.
END_STAFF_SESSIONS = {
    "sqlite": """UPDATE auth_token SET revoked_at = ? WHERE revoked_at IS NULL AND user_id IN (SELECT id FROM app_user
        WHERE CAST(roles AS TEXT) LIKE '%"EXPERT"%' OR CAST(roles AS TEXT) LIKE '%"ADMIN"%')""",
    "postgres": """UPDATE auth_token SET revoked_at = $1 WHERE revoked_at IS NULL AND user_id IN (SELECT id FROM app_user
        WHERE CAST(roles AS TEXT) LIKE '%"EXPERT"%' OR CAST(roles AS TEXT) LIKE '%"ADMIN"%')""",
}


def _end_staff_sessions() -> Callable[[Any, Any], Awaitable[None]]:
    async def run(apps: Any, schema_editor: Any) -> None:
        client = schema_editor.client
        postgres = client.capabilities.dialect == "postgres"
        now = datetime.now(UTC)
        # SQLite keeps datetimes as ISO text, as Tortoise writes them.
        statement = END_STAFF_SESSIONS["postgres" if postgres else "sqlite"]
        await client.execute_query(statement, [now if postgres else now.isoformat(" ")])

    return run


async def _nothing(apps: Any, schema_editor: Any) -> None:
    """Ended sessions stay ended when the migration is reversed."""


class Migration(migrations.Migration):
    dependencies = [("accounts", "0006_organization_time_zone")]

    initial = False

    operations = [
        ops.CreateModel(
            name="AccountAudit",
            fields=[
                ("id", fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ("actor_user_id", fields.IntField(null=True)),
                ("subject_user_id", fields.IntField(db_index=True)),
                ("action", fields.CharField(max_length=50)),
                ("created_at", fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={
                "table": "account_audit",
                "app": "accounts",
                "pk_attr": "id",
                "table_description": "An admin's action on someone's credentials (e.g. a second-factor reset): who, on whom, what, when.",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="RecoveryCode",
            fields=[
                ("id", fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                (
                    "user",
                    fields.ForeignKeyField(
                        "accounts.User",
                        source_field="user_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="recovery_codes",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                ("code_hash", fields.CharField(max_length=64)),
                ("created_at", fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ("used_at", fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
            ],
            options={
                "table": "recovery_code",
                "app": "accounts",
                "unique_together": (("user", "code_hash"),),
                "pk_attr": "id",
                "table_description": "One single-use recovery code for a person's second factor (only its SHA-256 is stored).",
            },
            bases=["Model"],
        ),
        ops.AddField(
            model_name="AuthToken",
            name="idle_seconds",
            field=fields.IntField(null=True),
        ),
        ops.AddField(
            model_name="AuthToken",
            name="scope",
            field=fields.CharField(null=True, max_length=20),
        ),
        ops.AddField(
            model_name="User",
            name="totp_confirmed_at",
            field=fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
        ),
        ops.AddField(
            model_name="User",
            name="totp_last_step",
            field=fields.BigIntField(null=True),
        ),
        ops.AddField(
            model_name="User",
            name="totp_secret",
            field=fields.CharField(null=True, max_length=512),
        ),
        ops.RunPython(_end_staff_sessions(), _nothing),
    ]
