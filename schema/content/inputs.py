"""Content inputs and payloads."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import strawberry

from schema.content.types import (
    LearningProgress,
    Lesson,
    LessonSection,
    MediaAsset,
    Story,
    StoryKind,
)
from schema.errors import UserError
from schema.relay import decode_id, decode_ids
from schema.shared import Audience, PublicationStatus


@strawberry.input
class LessonFilter:
    section: LessonSection | None = None
    audience: Audience | None = None
    tag: str | None = strawberry.field(default=None, description="Tag slug.")
    locale: str | None = None
    query: str | None = strawberry.field(default=None, description="Full-text query; works for Chinese text.")
    updated_since: datetime | None = None
    status: PublicationStatus | None = strawberry.field(
        default=None, description="Editors only; everyone else sees PUBLISHED."
    )


@strawberry.input
class StoryFilter:
    kind: StoryKind | None = None
    audience: Audience | None = None
    tag: str | None = strawberry.field(default=None, description="Tag slug.")
    locale: str | None = None
    query: str | None = strawberry.field(default=None, description="Full-text query; works for Chinese text.")
    updated_since: datetime | None = None
    status: PublicationStatus | None = strawberry.field(
        default=None, description="Editors only; everyone else sees PUBLISHED."
    )


@strawberry.input
class LessonInput:
    title: str
    section: LessonSection
    locale: str | None = strawberry.field(default=None, description="BCP 47 tag; zh-CN when omitted.")
    slug: str | None = strawberry.field(
        default=None,
        description="Generated from the title (pinyin for Chinese) when omitted.",
    )
    summary: str | None = None
    body: str | None = strawberry.field(default=None, description="Markdown.")
    audiences: list[Audience] | None = None
    tags: list[str] | None = strawberry.field(default=None, description="Tag names; new tags are created.")
    cover_image_id: strawberry.ID | None = None
    media_ids: list[strawberry.ID] | None = strawberry.field(default=None, description="Attached media, in order.")
    estimated_minutes: int | None = None
    translation_of_id: strawberry.ID | None = strawberry.field(
        default=None, description="Another lesson that this one translates."
    )


@strawberry.input
class LessonPatch:
    title: str | None = strawberry.UNSET
    section: LessonSection | None = strawberry.UNSET
    slug: str | None = strawberry.UNSET
    summary: str | None = strawberry.UNSET
    body: str | None = strawberry.UNSET
    audiences: list[Audience] | None = strawberry.UNSET
    tags: list[str] | None = strawberry.UNSET
    cover_image_id: strawberry.ID | None = strawberry.UNSET
    media_ids: list[strawberry.ID] | None = strawberry.UNSET
    estimated_minutes: int | None = strawberry.UNSET


@strawberry.input
class StoryInput:
    title: str
    kind: StoryKind
    locale: str | None = None
    slug: str | None = None
    summary: str | None = None
    body: str | None = None
    narrator: str | None = None
    audiences: list[Audience] | None = None
    tags: list[str] | None = None
    cover_image_id: strawberry.ID | None = None
    media_ids: list[strawberry.ID] | None = None


@strawberry.input(description="Changes to a story; omitted fields stay as they are.")
class StoryPatch:
    title: str | None = strawberry.UNSET
    kind: StoryKind | None = strawberry.UNSET
    slug: str | None = strawberry.UNSET
    summary: str | None = strawberry.UNSET
    body: str | None = strawberry.UNSET
    narrator: str | None = strawberry.UNSET
    audiences: list[Audience] | None = strawberry.UNSET
    tags: list[str] | None = strawberry.UNSET
    cover_image_id: strawberry.ID | None = strawberry.UNSET
    media_ids: list[strawberry.ID] | None = strawberry.UNSET


@strawberry.input
class MediaInput:
    title: str | None = strawberry.UNSET
    alt_text: str | None = strawberry.UNSET
    transcript: str | None = strawberry.UNSET


@strawberry.input
class RecordLearningInput:
    lesson_id: strawberry.ID
    seconds: int = strawberry.field(description="Seconds spent since the last report (bounded server-side).")
    completed: bool | None = None


@strawberry.type
class LessonPayload:
    lesson: Lesson | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class StoryPayload:
    story: Story | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class MediaPayload:
    asset: MediaAsset | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class RecordLearningPayload:
    progress: LearningProgress | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


def given_values(data: object, *, prefix: str) -> dict[str, Any]:
    """The fields a client actually sent (UNSET and omitted ones left out), IDs decoded."""
    values: dict[str, Any] = {}
    for name, value in vars(data).items():
        if value is strawberry.UNSET:
            continue
        if name == "cover_image_id":
            value = decode_id(value, "MediaAsset", field=f"{prefix}.coverImageId") if value else None
        elif name == "media_ids":
            value = decode_ids(value or [], "MediaAsset", field=f"{prefix}.mediaIds")
        elif name == "translation_of_id":
            value = decode_id(value, "Lesson", field=f"{prefix}.translationOfId") if value else None
        values[name] = value
    return values
