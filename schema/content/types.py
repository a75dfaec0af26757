"""Content types: lessons, stories, tags, media assets, progress and sync pages."""

from __future__ import annotations

import dataclasses
import time
from datetime import datetime
from enum import Enum
from typing import Annotated, Any

import strawberry
from strawberry.scalars import JSON

from models import content as models
from resolvers import permissions, quizzes
from resolvers.content import captions as captions_service
from resolvers.content import items as items_service
from resolvers.content import learning, loaders
from resolvers.content import media as media_service
from schema.accounts import User
from schema.context import Info
from schema.quizzes.types import Quiz
from schema.relay import Node, to_global_id
from schema.shared import Audience, PublicationStatus, described_enum

# described_enum registers the model's enum in place; the alias lets type checkers read it as a type.
LessonSection = models.LessonSection
described_enum(
    LessonSection,
    "The four shelves of the cloud classroom.",
    {
        "AUDIOVISUAL": "Audiovisual prevention (视听禁毒): videos and audio.",
        "COURSEWARE": "Courseware (禁毒课件): slide decks and lesson plans for teachers.",
        "ILLUSTRATED": "Illustrated prevention (图说禁毒): explainers and comics.",
        "HANDBOOK": "The handbook (禁毒宝典): reference texts.",
    },
)
StoryKind = models.StoryKind
described_enum(
    StoryKind,
    "What kind of story a Story is.",
    {
        "RECOVERY_STORY": "A person's own account of recovery.",
        "METHOD": "An explanation of a rehabilitation method.",
        "PUBLIC_SERVICE": "A public-service announcement by an ambassador.",
    },
)
MediaKind = models.MediaKind
described_enum(
    MediaKind,
    "What kind of file a media asset is (decided from its content, not its name).",
    {
        "IMAGE": "A still image (JPEG, PNG, WebP or GIF); resized variants are available.",
        "VIDEO": "A video (MP4 or WebM).",
        "AUDIO": "An audio recording (MP3, M4A, AAC, Ogg or WAV).",
        "DOCUMENT": "A document such as a PDF or slide deck.",
    },
)

CaptionKind = models.CaptionKind
described_enum(
    CaptionKind,
    "What a caption track holds; the value of a <track> element's kind attribute, lowercased.",
    {
        "CAPTIONS": "What is said and other sounds, in the language spoken, for viewers who cannot hear it.",
        "SUBTITLES": "What is said, translated into another language.",
        "DESCRIPTIONS": "Text descriptions of what is seen, for viewers who cannot see it.",
    },
)


@strawberry.type(
    description="A WebVTT file of timed text for a video or audio asset: the `src` of a <track> element. Public with its asset."
)
class CaptionTrack:
    language: str = strawberry.field(description="BCP 47 tag of the text's language (zh-CN, en): <track srclang>.")
    label: str = strawberry.field(description="Name shown in a player's caption menu: <track label>.")
    kind: CaptionKind = strawberry.field(description="What the track holds: <track kind>, lowercased.")
    url: str = strawberry.field(
        description="URL of the .vtt file, served with Content-Type text/vtt (absolute when the server has a public or media URL configured)."
    )
    byte_size: int = strawberry.field(description="The file's size in bytes.")

    @classmethod
    def from_model(cls, track: models.CaptionTrack) -> CaptionTrack:
        return cls(
            language=track.language,
            label=track.label,
            kind=track.kind,
            url=captions_service.url(track),
            byte_size=track.byte_size,
        )


class ContentOrder(Enum):
    NEWEST = "NEWEST"
    OLDEST = "OLDEST"
    TITLE = "TITLE"
    POPULAR = "POPULAR"


# Plain values (not strawberry.enum_value): the services take ContentOrder.X.value as a str.
described_enum(
    ContentOrder,
    "How a content list is sorted.",
    {
        "NEWEST": "Most recently published first.",
        "OLDEST": "Earliest published first.",
        "TITLE": "By title, A to Z.",
        "POPULAR": "Most learners first (ties: newest first).",
    },
)


class ImageFit(Enum):
    CONTAIN = "CONTAIN"
    COVER = "COVER"


described_enum(
    ImageFit,
    "How an image variant fits a box of a given width and height (never upscaled).",
    {
        "CONTAIN": "The whole picture inside the box, proportions kept; one side may be shorter than the box.",
        "COVER": "The box filled exactly, proportions kept, the overflow cropped from the centre (an image smaller than the box gives the largest centre crop with the box's proportions).",
    },
)


# The media package's names for the fits (they appear in variant URLs).
_FITS = {ImageFit.CONTAIN: "contain", ImageFit.COVER: "cover"}


@strawberry.type(
    description="An uploaded image, video, audio file or document. Content media is public; a consultation attachment is seen only by its thread's two parties."
)
class MediaAsset(Node):
    kind: MediaKind = strawberry.field(description="What kind of file it is.")
    title: str | None = strawberry.field(description="A short title (at most 200 characters); null when none.")
    alt_text: str | None = strawberry.field(
        description="Text alternative for images, read by screen readers; null when none."
    )
    transcript: str | None = strawberry.field(description="Full text of what is said in an audio or video asset.")
    caption: str | None = strawberry.field(
        description="Visible text shown with an image where content uses it (figure caption), in the language of the content it was made for; null when none. Unlike altText it is for everyone."
    )
    mime_type: str = strawberry.field(
        description="The file's media type, e.g. image/jpeg, as detected from its content."
    )
    byte_size: int = strawberry.field(description="The file's size in bytes.")
    sha256: str = strawberry.field(description="Hex SHA-256 of the file's bytes; also part of its URL.")
    width: int | None = strawberry.field(description="Width in pixels for images and video; null otherwise.")
    height: int | None = strawberry.field(description="Height in pixels for images and video; null otherwise.")
    duration_seconds: float | None = strawberry.field(
        description="Playing time in seconds for audio and video; null otherwise."
    )
    url: str = strawberry.field(description="Absolute or root-relative URL; supports HTTP Range requests.")
    created_at: datetime = strawberry.field(description="When it was uploaded (UTC).")
    model: strawberry.Private[models.MediaAsset | loaders.MediaRow]

    @classmethod
    def from_model(cls, asset: models.MediaAsset | loaders.MediaRow) -> MediaAsset:
        return cls(
            id=to_global_id("MediaAsset", asset.id),
            kind=asset.kind,
            title=asset.title,
            alt_text=asset.alt_text,
            transcript=asset.transcript,
            caption=asset.caption,
            mime_type=asset.mime_type,
            byte_size=asset.byte_size,
            sha256=asset.sha256,
            width=asset.width,
            height=asset.height,
            duration_seconds=asset.duration_seconds,
            url=media_service.url(asset),
            created_at=asset.created_at,
            model=asset,
        )

    @strawberry.field(
        description="URL of a resized rendition of an image asset (sizes snap to allowed values); null for other kinds. JPEG and PNG renditions are answered as WebP to clients whose Accept header names image/webp (the response says Vary: Accept). A width or height under 1 with a height given is refused (INVALID)."
    )
    def variant_url(
        self,
        width: Annotated[
            int,
            strawberry.argument(
                description="Wanted width in pixels; snapped to one of 160, 320, 640, 960, 1280 or 1920."
            ),
        ],
        height: Annotated[
            int | None,
            strawberry.argument(
                description="Wanted height in pixels, making a box with the width; snapped to one of 160, 320, 640, 960, 1280 or 1920. Null: the width alone decides, proportions kept."
            ),
        ] = None,
        fit: Annotated[
            ImageFit,
            strawberry.argument(description="How the image fits the box; used only with a height."),
        ] = ImageFit.CONTAIN,
    ) -> str | None:
        return media_service.variant_url(self.model, width, height, _FITS[fit])

    @strawberry.field(
        description="For a private file (a consultation attachment): a link that works without an Authorization header, for <img> and <video>, valid 5 minutes, for you and this sign-in only (signing out ends it); fetches through it are checked and audited like authenticated ones. Null for public files (url needs nothing) and for API keys and anonymous callers."
    )
    def signed_url(self, info: Info) -> str | None:
        return media_service.signed_url(
            info.context.actor, self.model, secret_key=info.context.settings.secret_key, now=time.time()
        )

    @strawberry.field(
        description="Timed-text tracks (WebVTT) of a video or audio asset, for <video><track>: captions in the language spoken, subtitles in others. Empty for other kinds and when none were added."
    )
    async def captions(self, info: Info) -> list[CaptionTrack]:
        if self.model.kind not in captions_service.TIMED_KINDS:
            return []
        found = await info.context.loader(captions_service.tracks_by_asset_id).load(self.model.id)
        return [CaptionTrack.from_model(track) for track in found]

    @strawberry.field(
        description="Lessons and stories that attach this asset or use it as cover, pending edits included (editors only; empty for everyone else)."
    )
    async def used_in(self, info: Info) -> list[Content]:
        if not permissions.can_see_unpublished_content(info.context.actor):
            return []
        found = await info.context.loader(loaders.items_using_media).load(self.model.id)
        return [wrap_content(item, info) for item in found]


@strawberry.type(description="A topic label shared by lessons, stories and questions. Public.")
class Tag(Node):
    slug: str = strawberry.field(description="URL-safe form of the name, unique.")
    name: str = strawberry.field(description="The tag as shown, unique.")

    @classmethod
    def from_model(cls, tag: models.Tag | loaders.TagRow) -> Tag:
        return cls(id=to_global_id("Tag", tag.id), slug=tag.slug, name=tag.name)


@strawberry.type(description="One saved version of an item before an edit or status change (editors only).")
class ContentRevision:
    number: int = strawberry.field(description="1 for the creation, counting up with every save.")
    action: str = strawberry.field(description="CREATED, UPDATED, or the status the save moved the item to.")
    changed_fields: list[str] = strawberry.field(description="Fields this save changed.")
    snapshot: JSON = strawberry.field(description="The version before this save (empty for the creation).")
    created_at: datetime = strawberry.field(description="When the version was saved (UTC).")
    editor: User | None = strawberry.field(
        description="Who saved it; null for the scheduler or the command line, or a deleted account."
    )

    @classmethod
    def from_model(cls, rev: models.ContentRevision) -> ContentRevision:
        return cls(
            number=rev.number,
            action=rev.action,
            changed_fields=list(rev.changed_fields or []),
            snapshot=JSON(rev.snapshot or {}),
            created_at=rev.created_at,
            editor=User.from_model(rev.editor) if rev.editor else None,
        )


@strawberry.interface(
    description="A lesson or a story. Anyone sees PUBLISHED items; editors and admins see every status, with pending edits."
)
class Content(Node):
    slug: str = strawberry.field(description="URL-safe name, unique per locale.")
    locale: str = strawberry.field(description="BCP 47 language tag, e.g. zh-CN.")
    title: str = strawberry.field(description="The title (1–200 characters).")
    summary: str | None = strawberry.field(description="A short teaser for lists; null when none.")
    body: str | None = strawberry.field(description="Markdown source.")
    body_html: str | None = strawberry.field(description="Sanitized HTML rendering of body.")
    audiences: list[Audience] = strawberry.field(description="Who it is written for.")
    status: PublicationStatus = strawberry.field(
        description="Editorial state; only editors and admins (and a preview token, in its scope) see one other than PUBLISHED."
    )
    published_at: datetime | None = strawberry.field(description="When it was first published (UTC); null until then.")
    updated_at: datetime = strawberry.field(description="When it last changed (UTC).")
    pk: strawberry.Private[int]
    model: strawberry.Private[models.ContentItem]
    # preview: the working version (a pending edit, a draft) is shown, to editors or under a preview
    # token; editor: the editors' own fields (history, schedule, the published version) are too.
    preview: strawberry.Private[bool]
    editor: strawberry.Private[bool]

    # Relations a list resolver loaded for its whole page (schema/content/prefetch.py).
    prefetched: strawberry.Private[dict[str, Any]] = dataclasses.field(default_factory=dict)

    @property
    def shows_pending_edit(self) -> bool:
        return self.preview and bool(self.model.pending)

    # tags, cover_image and media are sync resolvers on purpose: a prefetched value is returned
    # as it is, and only an item reached without look-ahead returns its loader's awaitable.
    @strawberry.field(description="The tags it is filed under.")
    def tags(self, info: Info) -> list[Tag]:
        if "tags" in self.prefetched:
            tags: list[Tag] = self.prefetched["tags"]
            return tags
        return self._load_tags(info)  # type: ignore[return-value]  # strawberry awaits the loader's awaitable

    async def _load_tags(self, info: Info) -> list[Tag]:
        pending = self._pending("tags")
        if pending is not None:
            found = await info.context.loader(loaders.tags_by_name).load_many(pending)
            return [Tag.from_model(t) for t in found if t]
        return [Tag.from_model(t) for t in await info.context.loader(loaders.tags_by_content_id).load(self.pk)]

    @strawberry.field(description="The image shown in lists and at the top; null when none.")
    def cover_image(self, info: Info) -> MediaAsset | None:
        if "coverImage" in self.prefetched:
            cover: MediaAsset | None = self.prefetched["coverImage"]
            return cover
        return self._load_cover_image(info)  # type: ignore[return-value]  # strawberry awaits the loader's awaitable

    async def _load_cover_image(self, info: Info) -> MediaAsset | None:
        pending = self._pending("cover_image_id")
        cover = pending if self.preview and self.model.pending else self.model.cover_image_id
        if not cover:
            return None
        asset = await info.context.loader(loaders.media_by_id).load(cover)
        return MediaAsset.from_model(asset) if asset else None

    @strawberry.field(description="Attached videos, audio, images and documents, in order.")
    def media(self, info: Info) -> list[MediaAsset]:
        if "media" in self.prefetched:
            media: list[MediaAsset] = self.prefetched["media"]
            return media
        return self._load_media(info)  # type: ignore[return-value]  # strawberry awaits the loader's awaitable

    async def _load_media(self, info: Info) -> list[MediaAsset]:
        pending = self._pending("media_ids")
        if pending is not None:
            found = await info.context.loader(loaders.media_by_id).load_many(pending)
            return [MediaAsset.from_model(m) for m in found if m]
        return [MediaAsset.from_model(m) for m in await info.context.loader(loaders.media_by_content_id).load(self.pk)]

    @strawberry.field(description="Whether an edit waits to be published (editors only; false for everyone else).")
    def has_pending_changes(self) -> bool:
        return self.editor and self.shows_pending_edit

    @strawberry.field(description="When the item will be published automatically (editors only).")
    def publish_at(self) -> datetime | None:
        return self.model.publish_at if self.editor else None

    @strawberry.field(description="When the item will be archived automatically (editors only).")
    def unpublish_at(self) -> datetime | None:
        return self.model.unpublish_at if self.editor else None

    @strawberry.field(description="Every saved version, newest first (editors only; empty for everyone else).")
    async def revisions(self, info: Info) -> list[ContentRevision]:
        if not self.editor:
            return []
        return [
            ContentRevision.from_model(r)
            for r in await info.context.loader(loaders.revisions_by_content_id).load(self.pk)
        ]

    @strawberry.field(
        description="The published version while an edit waits (title, summary, body, audiences, tags, mediaIds, …), to compare with the pending one; null otherwise and for everyone but editors."
    )
    async def published_version(self, info: Info) -> JSON | None:
        if not (self.editor and self.shows_pending_edit):
            return None
        version = items_service.published_version(self.model)
        tags = await info.context.loader(loaders.tags_by_content_id).load(self.pk)
        media = await info.context.loader(loaders.media_by_content_id).load(self.pk)
        version["audiences"] = [models.Audience(a).value for a in version.get("audiences") or []]
        version["tags"] = [t.name for t in tags]
        version["mediaIds"] = [to_global_id("MediaAsset", m.id) for m in media]
        cover = version.pop("cover_image_id", None)
        version["coverImageId"] = to_global_id("MediaAsset", cover) if cover else None
        if "estimated_minutes" in version:
            version["estimatedMinutes"] = version.pop("estimated_minutes")
        return JSON({k: (v.value if hasattr(v, "value") else v) for k, v in version.items()})

    def _pending(self, key: str) -> Any:
        if not self.preview or not self.model.pending:
            return None
        return self.model.pending.get(key)


def _common(item: models.ContentItem, preview: bool, editor: bool | None) -> dict[str, Any]:
    """Constructor arguments shared by Lesson and Story; editors see a pending edit's text."""
    version = dict(item.pending) if preview and item.pending else {}

    def value(key: str) -> Any:
        return version[key] if key in version else getattr(item, key)

    body = value("body")
    from resolvers.content.text import render_markdown

    return {
        "slug": value("slug"),
        "locale": item.locale,
        "title": value("title"),
        "summary": value("summary"),
        "body": body,
        "body_html": render_markdown(body) if "body" in version else item.body_html,
        "audiences": [models.Audience(a) for a in value("audiences") or []],
        "status": item.status,
        "published_at": item.published_at,
        "updated_at": item.updated_at,
        "pk": item.id,
        "model": item,
        "preview": preview,
        "editor": preview if editor is None else editor,
    }


@strawberry.type(description="A lesson of the cloud classroom, on one of its four shelves.")
class Lesson(Content):
    section: LessonSection = strawberry.field(description="The shelf it is on.")
    estimated_minutes: int | None = strawberry.field(
        description="About how long it takes, in minutes; null when not given."
    )
    served_locale: str = strawberry.field(
        description="The locale of the lesson served (the original's when a translation was missing)."
    )
    is_fallback: bool = strawberry.field(
        description="True when the asked locale had no translation and the original was served."
    )

    @classmethod
    def from_model(
        cls, item: models.ContentItem, *, preview: bool = False, fallback: bool = False, editor: bool | None = None
    ) -> Lesson:
        common = _common(item, preview, editor)
        version = item.pending if preview and item.pending else {}
        return cls(
            id=to_global_id("Lesson", item.id),
            section=models.LessonSection(version.get("section") or item.section),
            estimated_minutes=version.get("estimated_minutes", item.estimated_minutes),
            served_locale=item.locale,
            is_fallback=fallback,
            **common,
        )

    @strawberry.field(description="The same lesson in other languages.")
    async def translations(self, info: Info) -> list[Lesson]:
        group = self.model.translation_of_id or self.pk
        family = await info.context.loader(loaders.translations_by_group_id).load(group)
        return [
            Lesson.from_model(i, preview=self.preview, editor=self.editor)
            for i in family
            if i.id != self.pk
            and (
                self.editor
                or i.status == models.PublicationStatus.PUBLISHED
                or (self.preview and i.status != models.PublicationStatus.ARCHIVED)
            )
        ]

    @strawberry.field(description="The original this lesson translates; null for an original.")
    def translation_of_id(self) -> strawberry.ID | None:
        original = self.model.translation_of_id
        return to_global_id("Lesson", original) if original else None

    @strawberry.field(description="The quiz that checks this lesson, if any (the newest one the caller may see).")
    async def quiz(self, info: Info) -> Quiz | None:
        found = await info.context.loader(quizzes.quizzes_by_lesson_id).load(self.pk)
        readable = [q for q in found if permissions.can_read_quiz(info.context.actor, q.status)]
        return Quiz.from_model(readable[0]) if readable else None

    @strawberry.field(description="The signed-in caller's progress; null for anonymous callers.")
    async def viewer_progress(self, info: Info) -> LearningProgress | None:
        user_id = info.context.actor.user_id
        if user_id is None:
            return None
        progress = await info.context.loader(loaders.progress_by_user_and_content).load((user_id, self.pk))
        return LearningProgress.from_model(progress, self) if progress else None


@strawberry.type(description='A recovery story, method explanation or public-service announcement ("Hear me out").')
class Story(Content):
    kind: StoryKind = strawberry.field(description="What kind of story it is.")
    narrator: str | None = strawberry.field(
        description="Shown name of the person telling the story (may be a pseudonym)."
    )

    @classmethod
    def from_model(cls, item: models.ContentItem, *, preview: bool = False, editor: bool | None = None) -> Story:
        common = _common(item, preview, editor)
        version = item.pending if preview and item.pending else {}
        return cls(
            id=to_global_id("Story", item.id),
            kind=models.StoryKind(version.get("kind") or item.kind),
            narrator=version.get("narrator", item.narrator),
            **common,
        )


@strawberry.type(description="One person's progress on one lesson. Seen only by that person.")
class LearningProgress:
    lesson: Lesson = strawberry.field(description="The lesson.")
    seconds_spent: int = strawberry.field(
        description="Time spent on it in seconds, as reported by the client and capped per report."
    )
    completed: bool = strawberry.field(description="Whether the person finished it.")
    last_viewed_at: datetime | None = strawberry.field(
        description="When progress was last reported (UTC); null if never."
    )

    @classmethod
    def from_model(cls, progress: models.LearningProgress, lesson: Lesson) -> LearningProgress:
        return cls(
            lesson=lesson,
            seconds_spent=progress.seconds_spent,
            completed=progress.completed,
            last_viewed_at=progress.last_viewed_at,
        )


@strawberry.type(description="The caller's lesson learning in total.")
class LearningSummary:
    total_seconds: int = strawberry.field(description="Seconds spent on lessons, all lessons together.")
    lessons_started: int = strawberry.field(description="Lessons with any recorded progress.")
    lessons_completed: int = strawberry.field(description="Lessons marked completed.")

    @classmethod
    def from_summary(cls, summary: learning.Summary) -> LearningSummary:
        return cls(
            total_seconds=summary.total_seconds,
            lessons_started=summary.lessons_started,
            lessons_completed=summary.lessons_completed,
        )


@strawberry.type(
    description="One page of a delta sync: what changed since the token, for caching clients such as an LMS."
)
class ContentSync:
    items: list[Content] = strawberry.field(
        description="Published lessons and stories created or changed since the token."
    )
    deleted_ids: list[strawberry.ID] = strawberry.field(
        description="IDs of content that was unpublished, archived or deleted since the token."
    )
    next_sync_token: str = strawberry.field(description="Pass to the next call; opaque.")
    has_more: bool = strawberry.field(description="True when another call with nextSyncToken returns more right away.")


def wrap_content(item: models.ContentItem, info: Info) -> Lesson | Story:
    """A Lesson or a Story for the caller (editors, and a preview token in its scope, see pending edits)."""
    actor = info.context.actor
    preview = permissions.sees_working_version(actor, item)
    editor = permissions.can_see_unpublished_content(actor)
    if item.content_type == models.ContentType.LESSON:
        return Lesson.from_model(item, preview=preview, editor=editor)
    return Story.from_model(item, preview=preview, editor=editor)
