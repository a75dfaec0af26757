"""Short access tokens and refresh (docs/accounts.md): each session's current refresh token (its
SHA-256) and the session's end, and the refresh tokens already traded (reuse ends the session).

Sessions opened before this migration keep working as they were (no refresh token, their 30-day
token) until they end; the next sign-in gets the new kind.
"""

from tortoise import fields, migrations
from tortoise.fields.base import OnDelete
from tortoise.migrations import operations as ops


class Migration(migrations.Migration):
    dependencies = [("accounts", "0007_second_factor")]

    initial = False

    operations = [
        ops.CreateModel(
            name="UsedRefreshToken",
            fields=[
                ("id", fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ("refresh_hash", fields.CharField(unique=True, max_length=64)),
                (
                    "token",
                    fields.ForeignKeyField(
                        "accounts.AuthToken",
                        source_field="token_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="used_refresh_tokens",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                ("used_at", fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={
                "table": "used_refresh_token",
                "app": "accounts",
                "pk_attr": "id",
                "table_description": "A refresh token already traded for a new one (its SHA-256): presenting it again is reuse.",
            },
            bases=["Model"],
        ),
        ops.AddField(
            model_name="AuthToken",
            name="refresh_expires_at",
            field=fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
        ),
        ops.AddField(
            model_name="AuthToken",
            name="refresh_hash",
            field=fields.CharField(null=True, unique=True, max_length=64),
        ),
    ]
