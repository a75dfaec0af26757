"""An index on content_item.translation_of_id: one-locale lists look up each row's work's translations."""

from tortoise import migrations
from tortoise.indexes import Index
from tortoise.migrations import operations as ops


class Migration(migrations.Migration):
    dependencies = [("content", "0008_captions")]

    initial = False

    operations = [
        ops.AddIndex(model_name="ContentItem", index=Index(fields=["translation_of_id"])),
    ]
