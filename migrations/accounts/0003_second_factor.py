from tortoise import fields, migrations
from tortoise.fields.base import OnDelete
from tortoise.migrations import operations as ops


class Migration(migrations.Migration):
    dependencies = [("accounts", "0002_credentials")]

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
    ]
