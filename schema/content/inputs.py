"""Content inputs and payloads."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import strawberry

from schema.content.types import (
    CaptionKind,
    LearningProgress,
    Lesson,
    LessonSection,
    MediaAsset,
    Story,
    StoryKind,
)
from schema.errors import PAYLOAD_ERRORS, UserError
from schema.relay import decode_id, decode_ids
from schema.shared import Audience, PublicationStatus


@strawberry.input(description="Narrows the lessons list; every given criterion must match.")
class LessonFilter:
    section: LessonSection | None = strawberry.field(default=None, description="Only lessons on this shelf.")
    audience: Audience | None = strawberry.field(default=None, description="Only lessons written for this audience.")
    tag: str | None = strawberry.field(
        default=None,
        description="A tag's slug (Tag.slug, as in `tags { slug }`), not its name: use tagName for the name people see.",
    )
    tag_name: str | None = strawberry.field(
        default=None, description="A tag's name as people see it (Tag.name, exact); with `tag`, both must match."
    )
    locale: str | None = strawberry.field(
        default=None,
        description=(
            "The BCP 47 locale to answer in, e.g. en: each work's translation there, else its original "
            "(overrides Accept-Language). With allLocales: only lessons written in exactly this locale."
        ),
    )
    query: str | None = strawberry.field(default=None, description="Full-text query; works for Chinese text.")
    updated_since: datetime | None = strawberry.field(
        default=None, description="Only lessons changed at or after this time."
    )
    status: PublicationStatus | None = strawberry.field(
        default=None, description="Editors only; everyone else sees PUBLISHED."
    )
    all_locales: bool = strawberry.field(
        default=False,
        description=(
            "False (default): one item per work (an original and its translations) in the wanted locale: "
            "`locale`, else the request's Accept-Language, else zh-CN. True: every item of every locale, "
            "mixed, as lists answered before (editors' lists)."
        ),
    )


@strawberry.input(description="Narrows the stories list; every given criterion must match.")
class StoryFilter:
    kind: StoryKind | None = strawberry.field(default=None, description="Only stories of this kind.")
    audience: Audience | None = strawberry.field(default=None, description="Only stories written for this audience.")
    tag: str | None = strawberry.field(
        default=None,
        description="A tag's slug (Tag.slug, as in `tags { slug }`), not its name: use tagName for the name people see.",
    )
    tag_name: str | None = strawberry.field(
        default=None, description="A tag's name as people see it (Tag.name, exact); with `tag`, both must match."
    )
    locale: str | None = strawberry.field(
        default=None,
        description=(
            "The BCP 47 locale to answer in, e.g. en: each work's translation there, else its original "
            "(overrides Accept-Language). With allLocales: only stories written in exactly this locale."
        ),
    )
    query: str | None = strawberry.field(default=None, description="Full-text query; works for Chinese text.")
    updated_since: datetime | None = strawberry.field(
        default=None, description="Only stories changed at or after this time."
    )
    status: PublicationStatus | None = strawberry.field(
        default=None, description="Editors only; everyone else sees PUBLISHED."
    )
    all_locales: bool = strawberry.field(
        default=False,
        description=(
            "False (default): one item per work (an original and its translations) in the wanted locale: "
            "`locale`, else the request's Accept-Language, else zh-CN. True: every item of every locale, "
            "mixed, as lists answered before (editors' lists)."
        ),
    )


@strawberry.input(description="A new lesson (editors and admins); it starts as a DRAFT.")
class LessonInput:
    title: str = strawberry.field(description="1–300 characters.")
    section: LessonSection = strawberry.field(description="The shelf it goes on.")
    locale: str | None = strawberry.field(default=None, description="BCP 47 tag; zh-CN when omitted.")
    slug: str | None = strawberry.field(
        default=None,
        description="Generated from the title (pinyin for Chinese) when omitted.",
    )
    summary: str | None = strawberry.field(default=None, description="A short teaser for lists.")
    body: str | None = strawberry.field(
        default=None, description="The lesson text in Markdown (rendered to sanitized HTML as bodyHtml)."
    )
    audiences: list[Audience] | None = strawberry.field(default=None, description="Who it is written for.")
    tags: list[str] | None = strawberry.field(default=None, description="Tag names; new tags are created.")
    cover_image_id: strawberry.ID | None = strawberry.field(
        default=None, description="Global ID of an uploaded image to show as cover."
    )
    media_ids: list[strawberry.ID] | None = strawberry.field(default=None, description="Attached media, in order.")
    estimated_minutes: int | None = strawberry.field(
        default=None, description="About how long it takes, in minutes (1–1000)."
    )
    translation_of_id: strawberry.ID | None = strawberry.field(
        default=None, description="Another lesson that this one translates."
    )


@strawberry.input(
    description="Changes to a lesson; omitted fields stay as they are. On a published lesson the edit waits until it is published again."
)
class LessonPatch:
    title: str | None = strawberry.field(default=strawberry.UNSET, description="1–300 characters.")
    section: LessonSection | None = strawberry.field(default=strawberry.UNSET, description="The shelf it goes on.")
    slug: str | None = strawberry.field(
        default=strawberry.UNSET, description="URL-safe name, unique per locale (CONFLICT when taken)."
    )
    summary: str | None = strawberry.field(default=strawberry.UNSET, description="A short teaser; null clears it.")
    body: str | None = strawberry.field(default=strawberry.UNSET, description="Markdown; null clears it.")
    audiences: list[Audience] | None = strawberry.field(
        default=strawberry.UNSET, description="Who it is written for (replaces the list)."
    )
    tags: list[str] | None = strawberry.field(
        default=strawberry.UNSET, description="Tag names (replaces the list; new tags are created)."
    )
    cover_image_id: strawberry.ID | None = strawberry.field(
        default=strawberry.UNSET, description="Global ID of an uploaded image; null removes the cover."
    )
    media_ids: list[strawberry.ID] | None = strawberry.field(
        default=strawberry.UNSET, description="Attached media in order (replaces the list)."
    )
    estimated_minutes: int | None = strawberry.field(
        default=strawberry.UNSET, description="About how long it takes, in minutes (1–1000); null clears it."
    )


@strawberry.input(description="A new story (editors and admins); it starts as a DRAFT.")
class StoryInput:
    title: str = strawberry.field(description="1–300 characters.")
    kind: StoryKind = strawberry.field(description="What kind of story it is.")
    locale: str | None = strawberry.field(default=None, description="BCP 47 tag; zh-CN when omitted.")
    slug: str | None = strawberry.field(
        default=None, description="URL-safe name, unique per locale; generated from the title when omitted."
    )
    summary: str | None = strawberry.field(default=None, description="A short teaser for lists.")
    body: str | None = strawberry.field(
        default=None, description="Markdown (a transcript for audio and video stories)."
    )
    narrator: str | None = strawberry.field(
        default=None, description="Shown name of the person telling the story (may be a pseudonym)."
    )
    audiences: list[Audience] | None = strawberry.field(default=None, description="Who it is written for.")
    tags: list[str] | None = strawberry.field(default=None, description="Tag names; new tags are created.")
    cover_image_id: strawberry.ID | None = strawberry.field(
        default=None, description="Global ID of an uploaded image to show as cover."
    )
    media_ids: list[strawberry.ID] | None = strawberry.field(default=None, description="Attached media, in order.")


@strawberry.input(description="Changes to a story; omitted fields stay as they are.")
class StoryPatch:
    title: str | None = strawberry.field(default=strawberry.UNSET, description="1–300 characters.")
    kind: StoryKind | None = strawberry.field(default=strawberry.UNSET, description="What kind of story it is.")
    slug: str | None = strawberry.field(
        default=strawberry.UNSET, description="URL-safe name, unique per locale (CONFLICT when taken)."
    )
    summary: str | None = strawberry.field(default=strawberry.UNSET, description="A short teaser; null clears it.")
    body: str | None = strawberry.field(default=strawberry.UNSET, description="Markdown; null clears it.")
    narrator: str | None = strawberry.field(
        default=strawberry.UNSET, description="Shown name of the narrator; null clears it."
    )
    audiences: list[Audience] | None = strawberry.field(
        default=strawberry.UNSET, description="Who it is written for (replaces the list)."
    )
    tags: list[str] | None = strawberry.field(
        default=strawberry.UNSET, description="Tag names (replaces the list; new tags are created)."
    )
    cover_image_id: strawberry.ID | None = strawberry.field(
        default=strawberry.UNSET, description="Global ID of an uploaded image; null removes the cover."
    )
    media_ids: list[strawberry.ID] | None = strawberry.field(
        default=strawberry.UNSET, description="Attached media in order (replaces the list)."
    )


@strawberry.input(description="A media asset's descriptive texts; omitted fields stay, empty or null clears.")
class MediaInput:
    title: str | None = strawberry.field(default=strawberry.UNSET, description="A short title, at most 200 characters.")
    alt_text: str | None = strawberry.field(
        default=strawberry.UNSET,
        description="Text alternative for an image; required before content using the image is published.",
    )
    transcript: str | None = strawberry.field(
        default=strawberry.UNSET,
        description="What is said in audio or video; required before content using it is published.",
    )
    caption: str | None = strawberry.field(
        default=strawberry.UNSET,
        description="Visible caption shown with an image where content uses it, at most 500 characters (INVALID on input.caption).",
    )


@strawberry.input(description="What a caption track is: its language, its name in a player's menu, and its kind.")
class CaptionTrackInput:
    language: str = strawberry.field(
        description="BCP 47 tag of the text's language, e.g. zh-CN or en (INVALID on input.language otherwise). A track of the same language and kind is replaced."
    )
    label: str = strawberry.field(description="Name shown in a player's caption menu, 1 to 100 characters.")
    kind: CaptionKind = strawberry.field(
        default=CaptionKind.CAPTIONS,
        description="Captions (the language spoken) by default; subtitles for a translation.",
    )


@strawberry.input(description="Time spent on a lesson since the last report.")
class RecordLearningInput:
    lesson_id: strawberry.ID = strawberry.field(description="Global ID of a published lesson (NOT_FOUND otherwise).")
    seconds: int = strawberry.field(description="Seconds spent since the last report (bounded server-side).")
    completed: bool | None = strawberry.field(
        default=None, description="True marks the lesson completed (it stays completed); omit to leave it as it is."
    )


@strawberry.type(description="The result of a lesson mutation.")
class LessonPayload:
    lesson: Lesson | None = strawberry.field(
        default=None, description="The lesson as saved; null when errors is not empty."
    )
    errors: list[UserError] = strawberry.field(default_factory=list, description=PAYLOAD_ERRORS)


@strawberry.type(description="The result of a story mutation.")
class StoryPayload:
    story: Story | None = strawberry.field(
        default=None, description="The story as saved; null when errors is not empty."
    )
    errors: list[UserError] = strawberry.field(default_factory=list, description=PAYLOAD_ERRORS)


@strawberry.type(description="The result of a media mutation.")
class MediaPayload:
    asset: MediaAsset | None = strawberry.field(
        default=None, description="The asset as saved; null when errors is not empty."
    )
    errors: list[UserError] = strawberry.field(default_factory=list, description=PAYLOAD_ERRORS)


@strawberry.type(description="The result of recordLearning.")
class RecordLearningPayload:
    progress: LearningProgress | None = strawberry.field(
        default=None,
        description="The caller's progress on the lesson after this report; null when errors is not empty.",
    )
    errors: list[UserError] = strawberry.field(default_factory=list, description=PAYLOAD_ERRORS)


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
