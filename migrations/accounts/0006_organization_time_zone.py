from tortoise import fields, migrations
from tortoise.migrations import operations as ops


class Migration(migrations.Migration):
    dependencies = [("accounts", "0005_data_exports")]

    initial = False

    operations = [
        ops.AddField(
            model_name="Organization",
            name="time_zone",
            field=fields.CharField(default="Asia/Shanghai", max_length=64),
        ),
    ]
