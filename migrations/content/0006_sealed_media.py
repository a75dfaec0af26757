"""Private media (consultation attachments) is stored sealed: the wrapped data key and the sealed file's name."""

from tortoise import fields, migrations
from tortoise.migrations import operations as ops


class Migration(migrations.Migration):
    dependencies = [("accounts", "0001_initial"), ("content", "0005_media_upload_indexes")]

    initial = False

    operations = [
        ops.AddField(
            model_name="MediaAsset",
            name="sealed_key",
            field=fields.TextField(null=True, unique=False),
        ),
        ops.AddField(
            model_name="MediaAsset",
            name="sealed_name",
            field=fields.CharField(null=True, max_length=64),
        ),
    ]
