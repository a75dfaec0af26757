from tortoise import migrations
from tortoise.indexes import Index
from tortoise.migrations import operations as ops


class Migration(migrations.Migration):
    dependencies = [("accounts", "0001_initial"), ("content", "0004_media_link_index")]

    initial = False

    operations = [
        ops.AddIndex(
            model_name="MediaAsset",
            index=Index(fields=["uploaded_by_id", "created_at"]),
        ),
        ops.AddIndex(
            model_name="MediaAsset",
            index=Index(fields=["is_private", "created_at"]),
        ),
    ]
