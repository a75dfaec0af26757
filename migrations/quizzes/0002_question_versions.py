from tortoise import fields, migrations
from tortoise.migrations import operations as ops


class Migration(migrations.Migration):
    dependencies = [("quizzes", "0001_initial")]

    initial = False

    operations = [
        ops.AddField(model_name="Question", name="version", field=fields.IntField(default=1)),
        ops.AddField(model_name="Question", name="previous_version_id", field=fields.IntField(null=True)),
        ops.AddField(model_name="Question", name="retired_at", field=fields.DatetimeField(null=True)),
    ]
