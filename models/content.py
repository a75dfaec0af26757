"""Lessons, stories, their tags and media, revisions, the change log and learning progress."""

from __future__ import annotations

from enum import Enum
from typing import TYPE_CHECKING, Any

from tortoise import fields
from tortoise.models import Model

from models.base import Audience, PublicationStatus, TimestampedModel

if TYPE_CHECKING:  # annotations only: importing them at run time would tie the apps' modules together
    from models.accounts import User

# Audience and PublicationStatus are shared with quizzes; content code names them from here too.
__all__ = [
    "Audience",
    "CaptionKind",
    "CaptionTrack",
    "ContentChange",
    "ContentItem",
    "ContentMedia",
    "ContentRevision",
    "ContentTag",
    "ContentType",
    "LearningDay",
    "LearningProgress",
    "LessonSection",
    "MediaAsset",
    "MediaKind",
    "PreviewToken",
    "PublicationStatus",
    "StoryKind",
    "Tag",
]


class ContentType(str, Enum):
    LESSON = "LESSON"
    STORY = "STORY"


class LessonSection(str, Enum):
    AUDIOVISUAL = "AUDIOVISUAL"
    COURSEWARE = "COURSEWARE"
    ILLUSTRATED = "ILLUSTRATED"
    HANDBOOK = "HANDBOOK"


class StoryKind(str, Enum):
    RECOVERY_STORY = "RECOVERY_STORY"
    METHOD = "METHOD"
    PUBLIC_SERVICE = "PUBLIC_SERVICE"


class MediaKind(str, Enum):
    IMAGE = "IMAGE"
    VIDEO = "VIDEO"
    AUDIO = "AUDIO"
    DOCUMENT = "DOCUMENT"


class CaptionKind(str, Enum):
    """The <track kind> of a caption track."""

    CAPTIONS = "CAPTIONS"
    SUBTITLES = "SUBTITLES"
    DESCRIPTIONS = "DESCRIPTIONS"


class MediaAsset(Model):
    """One upload: its file is stored once per sha256, rows may share a file."""

    id = fields.IntField(primary_key=True)
    kind = fields.CharEnumField(MediaKind, max_length=10)
    mime_type = fields.CharField(max_length=100)
    extension = fields.CharField(max_length=8)
    byte_size = fields.BigIntField()
    sha256 = fields.CharField(max_length=64, db_index=True)
    title = fields.CharField(max_length=200, null=True)
    alt_text = fields.TextField(null=True)
    transcript = fields.TextField(null=True)
    # Visible text shown with an image where it is used (alt_text is for those who cannot see it).
    caption = fields.TextField(null=True)
    width = fields.IntField(null=True)
    height = fields.IntField(null=True)
    duration_seconds = fields.FloatField(null=True)
    # Private media (consultation attachments) is never listed and never served publicly.
    is_private = fields.BooleanField(default=False)
    # A private file is stored sealed (resolvers/vault.py) under media/sealed/<sealed_name>, not at its
    # sha256 address: its data key, wrapped, is here. Null for public media.
    sealed_key = fields.TextField(null=True)
    sealed_name = fields.CharField(max_length=64, null=True)
    uploaded_by: fields.ForeignKeyNullableRelation[User] = fields.ForeignKeyField(
        "accounts.User",
        related_name="media_uploads",
        null=True,
        on_delete=fields.SET_NULL,
    )
    uploaded_by_id: int | None
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "media_asset"
        # Upload quotas count a person's rows by time; the purge finds old private rows.
        indexes = (("uploaded_by_id", "created_at"), ("is_private", "created_at"))


class CaptionTrack(Model):
    """A WebVTT file of timed text for a video or audio asset, stored at its sha256 with `.vtt`."""

    id = fields.IntField(primary_key=True)
    asset: fields.ForeignKeyRelation[MediaAsset] = fields.ForeignKeyField(
        "content.MediaAsset", related_name="caption_tracks", on_delete=fields.CASCADE
    )
    asset_id: int
    language = fields.CharField(max_length=35)
    label = fields.CharField(max_length=100)
    kind = fields.CharEnumField(CaptionKind, max_length=12)
    sha256 = fields.CharField(max_length=64, db_index=True)
    byte_size = fields.IntField()
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "media_caption_track"
        unique_together = (("asset_id", "language", "kind"),)


class Tag(Model):
    id = fields.IntField(primary_key=True)
    slug = fields.CharField(max_length=120, unique=True)
    name = fields.CharField(max_length=100, unique=True)

    class Meta:
        table = "content_tag"


class ContentItem(TimestampedModel):
    """A lesson or a story. Its columns are the public version, the pending column holds an unpublished edit."""

    content_type = fields.CharEnumField(ContentType, max_length=10)
    slug = fields.CharField(max_length=200)
    locale = fields.CharField(max_length=35, default="zh-CN")
    title = fields.CharField(max_length=300)
    summary = fields.TextField(null=True)
    body = fields.TextField(null=True)
    body_html = fields.TextField(null=True)
    audiences: fields.JSONField[list[str]] = fields.JSONField(default=list)
    # '|ADULT|COLLEGE|': lets both databases filter by audience with a plain LIKE.
    audience_key = fields.CharField(max_length=200, default="|")
    status = fields.CharEnumField(PublicationStatus, max_length=12, default=PublicationStatus.DRAFT, db_index=True)
    published_at = fields.DatetimeField(null=True)
    cover_image: fields.ForeignKeyNullableRelation[MediaAsset] = fields.ForeignKeyField(
        "content.MediaAsset",
        related_name="covers",
        null=True,
        on_delete=fields.SET_NULL,
    )
    cover_image_id: int | None
    translation_of: fields.ForeignKeyNullableRelation[ContentItem] = fields.ForeignKeyField(
        "content.ContentItem",
        related_name="translated_by",
        null=True,
        on_delete=fields.SET_NULL,
    )
    translation_of_id: int | None
    section = fields.CharEnumField(LessonSection, max_length=12, null=True)
    kind = fields.CharEnumField(StoryKind, max_length=16, null=True)
    narrator = fields.CharField(max_length=100, null=True)
    estimated_minutes = fields.IntField(null=True)
    pending: fields.JSONField[dict[str, Any] | None] = fields.JSONField(null=True)
    publish_at = fields.DatetimeField(null=True, db_index=True)
    unpublish_at = fields.DatetimeField(null=True, db_index=True)
    learner_count = fields.IntField(default=0)
    created_by: fields.ForeignKeyNullableRelation[User] = fields.ForeignKeyField(
        "accounts.User",
        related_name="content_created",
        null=True,
        on_delete=fields.SET_NULL,
    )
    created_by_id: int | None

    class Meta:
        table = "content_item"
        unique_together = (("content_type", "locale", "slug"),)
        # Serves the public list's filter and NEWEST/OLDEST sort without sorting every row; and
        # finds a work's translations (one item per work: resolvers/content/works.py).
        indexes = (("content_type", "status", "published_at", "created_at", "id"), ("translation_of_id",))


class ContentTag(Model):
    id = fields.IntField(primary_key=True)
    content: fields.ForeignKeyRelation[ContentItem] = fields.ForeignKeyField(
        "content.ContentItem", related_name="tag_links", on_delete=fields.CASCADE
    )
    content_id: int
    tag: fields.ForeignKeyRelation[Tag] = fields.ForeignKeyField(
        "content.Tag", related_name="content_links", on_delete=fields.CASCADE
    )
    tag_id: int

    class Meta:
        table = "content_item_tag"
        unique_together = (("content", "tag"),)


class ContentMedia(Model):
    """A media asset attached to a content item, in order."""

    id = fields.IntField(primary_key=True)
    content: fields.ForeignKeyRelation[ContentItem] = fields.ForeignKeyField(
        "content.ContentItem", related_name="media_links", on_delete=fields.CASCADE
    )
    content_id: int
    media: fields.ForeignKeyRelation[MediaAsset] = fields.ForeignKeyField(
        "content.MediaAsset", related_name="content_links", on_delete=fields.CASCADE
    )
    media_id: int
    position = fields.IntField()

    class Meta:
        table = "content_item_media"
        # Serves media_by_content_id (content_id IN (...) ORDER BY position) without a scan.
        indexes = (("content_id", "position"),)


class ContentRevision(Model):
    """The version of an item before one save: who saved, when, and which fields changed."""

    id = fields.IntField(primary_key=True)
    content: fields.ForeignKeyRelation[ContentItem] = fields.ForeignKeyField(
        "content.ContentItem", related_name="revisions", on_delete=fields.CASCADE
    )
    content_id: int
    number = fields.IntField()
    action = fields.CharField(max_length=20)
    changed_fields: fields.JSONField[list[str]] = fields.JSONField(default=list)
    snapshot: fields.JSONField[dict[str, Any]] = fields.JSONField()
    editor: fields.ForeignKeyNullableRelation[User] = fields.ForeignKeyField(
        "accounts.User",
        related_name="content_revisions",
        null=True,
        on_delete=fields.SET_NULL,
    )
    editor_id: int | None
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "content_revision"


class ContentChange(Model):
    """The change sequence for delta sync: one row per change of what the public sees."""

    id = fields.BigIntField(primary_key=True)
    content_id = fields.IntField(db_index=True)
    content_type = fields.CharEnumField(ContentType, max_length=10)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "content_change"


class PreviewToken(Model):
    """A read-only preview link of one item (and its translations) or of every draft (resolvers/content/previews.py).

    Only the SHA-256 of its secret is stored (accounts.secret_digest), as for sessions and API keys.
    """

    id = fields.IntField(primary_key=True)
    token_hash = fields.CharField(max_length=64, unique=True)
    label = fields.CharField(max_length=100)
    # NULL: every draft (a preview deployment of the portal); else the item and its translations.
    item: fields.ForeignKeyNullableRelation[ContentItem] = fields.ForeignKeyField(
        "content.ContentItem", related_name="preview_tokens", null=True, on_delete=fields.CASCADE
    )
    item_id: int | None
    created_by: fields.ForeignKeyNullableRelation[User] = fields.ForeignKeyField(
        "accounts.User", related_name="preview_tokens", null=True, on_delete=fields.SET_NULL
    )
    created_by_id: int | None
    created_at = fields.DatetimeField(auto_now_add=True)
    expires_at = fields.DatetimeField(db_index=True)
    revoked_at = fields.DatetimeField(null=True)
    # Recorded at most once a minute (accounts.LAST_USE_EVERY).
    last_used_at = fields.DatetimeField(null=True)

    class Meta:
        table = "preview_token"


class LearningProgress(Model):
    id = fields.IntField(primary_key=True)
    user: fields.ForeignKeyRelation[User] = fields.ForeignKeyField(
        "accounts.User", related_name="learning", on_delete=fields.CASCADE
    )
    user_id: int
    content: fields.ForeignKeyRelation[ContentItem] = fields.ForeignKeyField(
        "content.ContentItem", related_name="progress", on_delete=fields.CASCADE
    )
    content_id: int
    seconds_spent = fields.IntField(default=0)
    completed = fields.BooleanField(default=False)
    completed_at = fields.DatetimeField(null=True)
    first_viewed_at = fields.DatetimeField(auto_now_add=True)
    last_viewed_at = fields.DatetimeField(null=True)

    class Meta:
        table = "learning_progress"
        unique_together = (("user", "content"),)


class LearningDay(Model):
    """Per user and UTC day: seconds learned and lessons completed (school reports sum these)."""

    id = fields.IntField(primary_key=True)
    user: fields.ForeignKeyRelation[User] = fields.ForeignKeyField(
        "accounts.User", related_name="learning_days", on_delete=fields.CASCADE
    )
    user_id: int
    organization_id = fields.IntField(null=True, db_index=True)
    day = fields.DateField(db_index=True)
    seconds = fields.IntField(default=0)
    lessons_completed = fields.IntField(default=0)

    class Meta:
        table = "learning_day"
        unique_together = (("user", "day"),)
