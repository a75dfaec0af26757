"""Erasure (resolvers/privacy.py): when a person asked for their account's deletion, and when it was erased."""

from tortoise import fields, migrations
from tortoise.migrations import operations as ops


class Migration(migrations.Migration):
    dependencies = [("accounts", "0002_credentials")]

    initial = False

    operations = [
        ops.AddField(
            model_name="User",
            name="deletion_requested_at",
            field=fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
        ),
        ops.AddField(
            model_name="User",
            name="erased_at",
            field=fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
        ),
    ]
