"""exportMyData (resolvers/exports.py): one row per export, its state and its link's hash."""

from tortoise import fields, migrations
from tortoise.migrations import operations as ops

from models.accounts import ExportStatus


class Migration(migrations.Migration):
    dependencies = [("accounts", "0004_erasure")]

    initial = False

    operations = [
        ops.CreateModel(
            name="DataExport",
            fields=[
                ("id", fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                (
                    "user",
                    fields.ForeignKeyField(
                        "accounts.User",
                        source_field="user_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="data_exports",
                        on_delete=fields.CASCADE,
                    ),
                ),
                ("requested_by_id", fields.IntField()),
                ("token_hash", fields.CharField(unique=True, max_length=64)),
                (
                    "status",
                    fields.CharEnumField(
                        default=ExportStatus.PENDING, description="", enum_type=ExportStatus, max_length=12
                    ),
                ),
                ("created_at", fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ("ready_at", fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ("downloaded_at", fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ("expires_at", fields.DatetimeField(db_index=True, auto_now=False, auto_now_add=False)),
                ("file_name", fields.CharField(null=True, max_length=64)),
                ("sealed_key", fields.TextField(null=True, unique=False)),
            ],
            options={"table": "data_export", "app": "accounts", "indexes": [("user_id", "status")], "pk_attr": "id"},
            bases=["Model"],
        ),
    ]
