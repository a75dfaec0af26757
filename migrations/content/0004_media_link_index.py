from tortoise import migrations
from tortoise.indexes import Index
from tortoise.migrations import operations as ops


class Migration(migrations.Migration):
    dependencies = [("accounts", "0001_initial"), ("content", "0003_list_order_index")]

    initial = False

    operations = [
        ops.AddIndex(
            model_name="ContentMedia",
            index=Index(fields=["content_id", "position"]),
        ),
    ]
