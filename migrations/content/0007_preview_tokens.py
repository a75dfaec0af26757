"""Preview tokens (issue 12): read-only links to one draft (and its translations) or to every draft."""

from tortoise import fields, migrations
from tortoise.fields.base import OnDelete
from tortoise.migrations import operations as ops


class Migration(migrations.Migration):
    dependencies = [("accounts", "0001_initial"), ("content", "0006_sealed_media")]

    initial = False

    operations = [
        ops.CreateModel(
            name="PreviewToken",
            fields=[
                ("id", fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ("token_hash", fields.CharField(unique=True, max_length=64)),
                ("label", fields.CharField(max_length=100)),
                (
                    "item",
                    fields.ForeignKeyField(
                        "content.ContentItem",
                        source_field="item_id",
                        null=True,
                        db_constraint=True,
                        to_field="id",
                        related_name="preview_tokens",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                (
                    "created_by",
                    fields.ForeignKeyField(
                        "accounts.User",
                        source_field="created_by_id",
                        null=True,
                        db_constraint=True,
                        to_field="id",
                        related_name="preview_tokens",
                        on_delete=OnDelete.SET_NULL,
                    ),
                ),
                ("created_at", fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ("expires_at", fields.DatetimeField(db_index=True, auto_now=False, auto_now_add=False)),
                ("revoked_at", fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ("last_used_at", fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
            ],
            options={"table": "preview_token", "app": "content", "pk_attr": "id"},
            bases=["Model"],
        ),
    ]
