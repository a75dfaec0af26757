"""Caption tracks (WebVTT files) of video and audio assets, and a visible caption for images."""

from tortoise import fields, migrations
from tortoise.fields.base import OnDelete
from tortoise.migrations import operations as ops

from models.content import CaptionKind


class Migration(migrations.Migration):
    dependencies = [("accounts", "0001_initial"), ("content", "0007_preview_tokens")]

    initial = False

    operations = [
        ops.CreateModel(
            name="CaptionTrack",
            fields=[
                ("id", fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                (
                    "asset",
                    fields.ForeignKeyField(
                        "content.MediaAsset",
                        source_field="asset_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="caption_tracks",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                ("language", fields.CharField(max_length=35)),
                ("label", fields.CharField(max_length=100)),
                (
                    "kind",
                    fields.CharEnumField(
                        description="CAPTIONS: CAPTIONS\nSUBTITLES: SUBTITLES\nDESCRIPTIONS: DESCRIPTIONS",
                        enum_type=CaptionKind,
                        max_length=12,
                    ),
                ),
                ("sha256", fields.CharField(db_index=True, max_length=64)),
                ("byte_size", fields.IntField()),
                ("created_at", fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={
                "table": "media_caption_track",
                "app": "content",
                "unique_together": (("asset_id", "language", "kind"),),
                "pk_attr": "id",
                "table_description": "A WebVTT file of timed text for a video or audio asset, stored at its sha256 with `.vtt`.",
            },
            bases=["Model"],
        ),
        ops.AddField(
            model_name="MediaAsset",
            name="caption",
            field=fields.TextField(null=True, unique=False),
        ),
    ]
