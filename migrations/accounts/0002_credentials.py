from tortoise import fields, migrations
from tortoise.migrations import operations as ops


class Migration(migrations.Migration):
    dependencies = [("accounts", "0001_initial")]

    initial = False

    operations = [
        ops.AddField(
            model_name="ApiKey",
            name="expires_at",
            field=fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
        ),
        ops.AddField(
            model_name="ApiKey",
            name="last_used_at",
            field=fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
        ),
        ops.AddField(
            model_name="AuthToken",
            name="last_used_at",
            field=fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
        ),
        ops.AddField(
            model_name="User",
            name="must_change_password",
            field=fields.BooleanField(default=False, null=True),
        ),
    ]
