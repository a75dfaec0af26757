from tortoise import migrations
from tortoise.indexes import Index
from tortoise.migrations import operations as ops


class Migration(migrations.Migration):
    dependencies = [("accounts", "0001_initial"), ("content", "0001_initial"), ("content", "0002_search")]

    initial = False

    operations = [
        ops.AddIndex(
            model_name="ContentItem",
            index=Index(fields=["content_type", "status", "published_at", "created_at", "id"]),
        ),
    ]
