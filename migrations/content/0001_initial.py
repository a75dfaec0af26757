from orjson import loads
from tortoise import fields, migrations
from tortoise.fields.base import OnDelete
from tortoise.fields.data import JSON_DUMPS
from tortoise.migrations import operations as ops

from models.content import ContentType, LessonSection, MediaKind, PublicationStatus, StoryKind


class Migration(migrations.Migration):
    dependencies = [("accounts", "0001_initial")]

    initial = True

    operations = [
        ops.CreateModel(
            name="ContentChange",
            fields=[
                ("id", fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ("content_id", fields.IntField(db_index=True)),
                (
                    "content_type",
                    fields.CharEnumField(
                        description="LESSON: LESSON\nSTORY: STORY", enum_type=ContentType, max_length=10
                    ),
                ),
                ("created_at", fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={
                "table": "content_change",
                "app": "content",
                "pk_attr": "id",
                "table_description": "The change sequence for delta sync: one row per change of what the public sees.",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="LearningDay",
            fields=[
                ("id", fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                (
                    "user",
                    fields.ForeignKeyField(
                        "accounts.User",
                        source_field="user_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="learning_days",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                ("organization_id", fields.IntField(null=True, db_index=True)),
                ("day", fields.DateField(db_index=True)),
                ("seconds", fields.IntField(default=0)),
                ("lessons_completed", fields.IntField(default=0)),
            ],
            options={
                "table": "learning_day",
                "app": "content",
                "unique_together": (("user", "day"),),
                "pk_attr": "id",
                "table_description": "Per user and UTC day: seconds learned and lessons completed (school reports sum these).",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="MediaAsset",
            fields=[
                ("id", fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                (
                    "kind",
                    fields.CharEnumField(
                        description="IMAGE: IMAGE\nVIDEO: VIDEO\nAUDIO: AUDIO\nDOCUMENT: DOCUMENT",
                        enum_type=MediaKind,
                        max_length=10,
                    ),
                ),
                ("mime_type", fields.CharField(max_length=100)),
                ("extension", fields.CharField(max_length=8)),
                ("byte_size", fields.BigIntField()),
                ("sha256", fields.CharField(db_index=True, max_length=64)),
                ("title", fields.CharField(null=True, max_length=200)),
                ("alt_text", fields.TextField(null=True, unique=False)),
                ("transcript", fields.TextField(null=True, unique=False)),
                ("width", fields.IntField(null=True)),
                ("height", fields.IntField(null=True)),
                ("duration_seconds", fields.FloatField(null=True)),
                ("is_private", fields.BooleanField(default=False)),
                (
                    "uploaded_by",
                    fields.ForeignKeyField(
                        "accounts.User",
                        source_field="uploaded_by_id",
                        null=True,
                        db_constraint=True,
                        to_field="id",
                        related_name="media_uploads",
                        on_delete=OnDelete.SET_NULL,
                    ),
                ),
                ("created_at", fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ("updated_at", fields.DatetimeField(auto_now=True, auto_now_add=False)),
            ],
            options={
                "table": "media_asset",
                "app": "content",
                "pk_attr": "id",
                "table_description": "One upload: its file is stored once per sha256, rows may share a file.",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="ContentItem",
            fields=[
                ("id", fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ("created_at", fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ("updated_at", fields.DatetimeField(auto_now=True, auto_now_add=False)),
                (
                    "content_type",
                    fields.CharEnumField(
                        description="LESSON: LESSON\nSTORY: STORY", enum_type=ContentType, max_length=10
                    ),
                ),
                ("slug", fields.CharField(max_length=200)),
                ("locale", fields.CharField(default="zh-CN", max_length=35)),
                ("title", fields.CharField(max_length=300)),
                ("summary", fields.TextField(null=True, unique=False)),
                ("body", fields.TextField(null=True, unique=False)),
                ("body_html", fields.TextField(null=True, unique=False)),
                ("audiences", fields.JSONField(default=list, encoder=JSON_DUMPS, decoder=loads)),
                ("audience_key", fields.CharField(default="|", max_length=200)),
                (
                    "status",
                    fields.CharEnumField(
                        default=PublicationStatus.DRAFT,
                        db_index=True,
                        description="DRAFT: DRAFT\nIN_REVIEW: IN_REVIEW\nPUBLISHED: PUBLISHED\nARCHIVED: ARCHIVED",
                        enum_type=PublicationStatus,
                        max_length=12,
                    ),
                ),
                ("published_at", fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                (
                    "cover_image",
                    fields.ForeignKeyField(
                        "content.MediaAsset",
                        source_field="cover_image_id",
                        null=True,
                        db_constraint=True,
                        to_field="id",
                        related_name="covers",
                        on_delete=OnDelete.SET_NULL,
                    ),
                ),
                (
                    "translation_of",
                    fields.ForeignKeyField(
                        "content.ContentItem",
                        source_field="translation_of_id",
                        null=True,
                        db_constraint=True,
                        to_field="id",
                        related_name="translated_by",
                        on_delete=OnDelete.SET_NULL,
                    ),
                ),
                (
                    "section",
                    fields.CharEnumField(
                        null=True,
                        description="AUDIOVISUAL: AUDIOVISUAL\nCOURSEWARE: COURSEWARE\nILLUSTRATED: ILLUSTRATED\nHANDBOOK: HANDBOOK",
                        enum_type=LessonSection,
                        max_length=12,
                    ),
                ),
                (
                    "kind",
                    fields.CharEnumField(
                        null=True,
                        description="RECOVERY_STORY: RECOVERY_STORY\nMETHOD: METHOD\nPUBLIC_SERVICE: PUBLIC_SERVICE",
                        enum_type=StoryKind,
                        max_length=16,
                    ),
                ),
                ("narrator", fields.CharField(null=True, max_length=100)),
                ("estimated_minutes", fields.IntField(null=True)),
                ("pending", fields.JSONField(null=True, encoder=JSON_DUMPS, decoder=loads)),
                ("publish_at", fields.DatetimeField(null=True, db_index=True, auto_now=False, auto_now_add=False)),
                ("unpublish_at", fields.DatetimeField(null=True, db_index=True, auto_now=False, auto_now_add=False)),
                ("learner_count", fields.IntField(default=0)),
                (
                    "created_by",
                    fields.ForeignKeyField(
                        "accounts.User",
                        source_field="created_by_id",
                        null=True,
                        db_constraint=True,
                        to_field="id",
                        related_name="content_created",
                        on_delete=OnDelete.SET_NULL,
                    ),
                ),
            ],
            options={
                "table": "content_item",
                "app": "content",
                "unique_together": (("content_type", "locale", "slug"),),
                "pk_attr": "id",
                "table_description": "A lesson or a story. Its columns are the public version, the pending column holds an unpublished edit.",
            },
            bases=["TimestampedModel"],
        ),
        ops.CreateModel(
            name="ContentMedia",
            fields=[
                ("id", fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                (
                    "content",
                    fields.ForeignKeyField(
                        "content.ContentItem",
                        source_field="content_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="media_links",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                (
                    "media",
                    fields.ForeignKeyField(
                        "content.MediaAsset",
                        source_field="media_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="content_links",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                ("position", fields.IntField()),
            ],
            options={
                "table": "content_item_media",
                "app": "content",
                "pk_attr": "id",
                "table_description": "A media asset attached to a content item, in order.",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="ContentRevision",
            fields=[
                ("id", fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                (
                    "content",
                    fields.ForeignKeyField(
                        "content.ContentItem",
                        source_field="content_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="revisions",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                ("number", fields.IntField()),
                ("action", fields.CharField(max_length=20)),
                ("changed_fields", fields.JSONField(default=list, encoder=JSON_DUMPS, decoder=loads)),
                ("snapshot", fields.JSONField(encoder=JSON_DUMPS, decoder=loads)),
                (
                    "editor",
                    fields.ForeignKeyField(
                        "accounts.User",
                        source_field="editor_id",
                        null=True,
                        db_constraint=True,
                        to_field="id",
                        related_name="content_revisions",
                        on_delete=OnDelete.SET_NULL,
                    ),
                ),
                ("created_at", fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={
                "table": "content_revision",
                "app": "content",
                "pk_attr": "id",
                "table_description": "The version of an item before one save: who saved, when, and which fields changed.",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="LearningProgress",
            fields=[
                ("id", fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                (
                    "user",
                    fields.ForeignKeyField(
                        "accounts.User",
                        source_field="user_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="learning",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                (
                    "content",
                    fields.ForeignKeyField(
                        "content.ContentItem",
                        source_field="content_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="progress",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                ("seconds_spent", fields.IntField(default=0)),
                ("completed", fields.BooleanField(default=False)),
                ("completed_at", fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ("first_viewed_at", fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ("last_viewed_at", fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
            ],
            options={
                "table": "learning_progress",
                "app": "content",
                "unique_together": (("user", "content"),),
                "pk_attr": "id",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="Tag",
            fields=[
                ("id", fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ("slug", fields.CharField(unique=True, max_length=120)),
                ("name", fields.CharField(unique=True, max_length=100)),
            ],
            options={"table": "content_tag", "app": "content", "pk_attr": "id"},
            bases=["Model"],
        ),
        ops.CreateModel(
            name="ContentTag",
            fields=[
                ("id", fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                (
                    "content",
                    fields.ForeignKeyField(
                        "content.ContentItem",
                        source_field="content_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="tag_links",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                (
                    "tag",
                    fields.ForeignKeyField(
                        "content.Tag",
                        source_field="tag_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="content_links",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
            ],
            options={
                "table": "content_item_tag",
                "app": "content",
                "unique_together": (("content", "tag"),),
                "pk_attr": "id",
            },
            bases=["Model"],
        ),
    ]
