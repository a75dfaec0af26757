"""Content mutations: writing lessons and stories, the workflow, media uploads and learning reports."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import datetime
from typing import Annotated, Any

import strawberry
from strawberry.file_uploads import Upload

from models import content as models
from resolvers.content import captions as captions_service
from resolvers.content import items, learning
from resolvers.content import media as media_service
from resolvers.content.quotas import UploadLimits
from schema.content.inputs import (
    CaptionTrackInput,
    LessonInput,
    LessonPatch,
    LessonPayload,
    MediaInput,
    MediaPayload,
    RecordLearningInput,
    RecordLearningPayload,
    StoryInput,
    StoryPatch,
    StoryPayload,
    given_values,
)
from schema.content.types import (
    CaptionKind,
    LearningProgress,
    Lesson,
    MediaAsset,
    Story,
    wrap_content,
)
from schema.context import Info
from schema.errors import PAYLOAD_ERRORS, UserError, payload
from schema.relay import decode_any, decode_id
from schema.shared import PublicationStatus, present

CHUNK_BYTES = 64 * 1024


# The union strawberry would name LessonStory by itself, with a description.
LessonStory = Annotated[Lesson | Story, strawberry.union("LessonStory", description="A lesson or a story.")]


@strawberry.type(description="A lesson or story after a scheduling change.")
class SchedulePayload:
    content: LessonStory | None = strawberry.field(
        default=None, description="The lesson or story as saved; null when errors is not empty."
    )
    errors: list[UserError] = strawberry.field(default_factory=list, description=PAYLOAD_ERRORS)


async def _chunks(file: Any) -> AsyncIterator[bytes]:
    while chunk := await file.read(CHUNK_BYTES):
        yield chunk


def _given(input: MediaInput | None, name: str) -> str | None:
    value = getattr(input, name, None)
    return None if value is strawberry.UNSET else value


def _lesson(item: models.ContentItem) -> Lesson:
    return Lesson.from_model(item, preview=True)


def _story(item: models.ContentItem) -> Story:
    return Story.from_model(item, preview=True)


@strawberry.type
class ContentMutation:
    @strawberry.mutation(description="Editors only: a new lesson, as a DRAFT.")
    @payload(LessonPayload)
    async def create_lesson(
        self,
        info: Info,
        input: Annotated[
            LessonInput, strawberry.argument(description="The lesson to create (INVALID, CONFLICT for a taken slug).")
        ],
    ) -> LessonPayload:
        item = await items.create(
            info.context.actor,
            models.ContentType.LESSON,
            given_values(input, prefix="input"),
        )
        return LessonPayload(lesson=_lesson(item))

    @strawberry.mutation(
        description="Editors only. On a PUBLISHED lesson the edit waits as a pending revision until it is published again."
    )
    @payload(LessonPayload)
    async def update_lesson(
        self,
        info: Info,
        id: Annotated[strawberry.ID, strawberry.argument(description="Global ID of the lesson (NOT_FOUND otherwise).")],
        patch: Annotated[LessonPatch, strawberry.argument(description="The fields to change.")],
    ) -> LessonPayload:
        pk = decode_id(id, "Lesson", field="id")
        item = await items.update(
            info.context.actor,
            models.ContentType.LESSON,
            pk,
            given_values(patch, prefix="patch"),
        )
        return LessonPayload(lesson=_lesson(item))

    @strawberry.mutation(
        description="Editors only: DRAFT → IN_REVIEW → PUBLISHED → ARCHIVED (and back to DRAFT); PUBLISHED again publishes a pending edit."
    )
    @payload(LessonPayload)
    async def set_lesson_status(
        self,
        info: Info,
        id: Annotated[strawberry.ID, strawberry.argument(description="Global ID of the lesson (NOT_FOUND otherwise).")],
        status: Annotated[
            PublicationStatus,
            strawberry.argument(
                description="The new status; INVALID for a move the workflow does not allow, or for publishing media without alt text or transcript."
            ),
        ],
    ) -> LessonPayload:
        pk = decode_id(id, "Lesson", field="id")
        item = await items.set_status(info.context.actor, models.ContentType.LESSON, pk, status)
        return LessonPayload(lesson=_lesson(item))

    @strawberry.mutation(description="Editors only: a new story, as a DRAFT.")
    @payload(StoryPayload)
    async def create_story(
        self,
        info: Info,
        input: Annotated[
            StoryInput, strawberry.argument(description="The story to create (INVALID, CONFLICT for a taken slug).")
        ],
    ) -> StoryPayload:
        item = await items.create(
            info.context.actor,
            models.ContentType.STORY,
            given_values(input, prefix="input"),
        )
        return StoryPayload(story=_story(item))

    @strawberry.mutation(
        description="Editors only. On a PUBLISHED story the edit waits as a pending revision until it is published again."
    )
    @payload(StoryPayload)
    async def update_story(
        self,
        info: Info,
        id: Annotated[strawberry.ID, strawberry.argument(description="Global ID of the story (NOT_FOUND otherwise).")],
        patch: Annotated[StoryPatch, strawberry.argument(description="The fields to change.")],
    ) -> StoryPayload:
        pk = decode_id(id, "Story", field="id")
        item = await items.update(
            info.context.actor,
            models.ContentType.STORY,
            pk,
            given_values(patch, prefix="patch"),
        )
        return StoryPayload(story=_story(item))

    @strawberry.mutation(description="Editors only: move a story through the workflow.")
    @payload(StoryPayload)
    async def set_story_status(
        self,
        info: Info,
        id: Annotated[strawberry.ID, strawberry.argument(description="Global ID of the story (NOT_FOUND otherwise).")],
        status: Annotated[
            PublicationStatus,
            strawberry.argument(
                description="The new status; INVALID for a move the workflow does not allow, or for publishing media without alt text or transcript."
            ),
        ],
    ) -> StoryPayload:
        pk = decode_id(id, "Story", field="id")
        item = await items.set_status(info.context.actor, models.ContentType.STORY, pk, status)
        return StoryPayload(story=_story(item))

    @strawberry.mutation(
        description="Editors only: publish and/or archive a lesson or story at a future time (null clears)."
    )
    @payload(SchedulePayload)
    async def schedule_content(
        self,
        info: Info,
        id: Annotated[strawberry.ID, strawberry.argument(description="Global ID of a lesson or story.")],
        publish_at: Annotated[
            datetime | None,
            strawberry.argument(
                description="When to publish it; must be in the future. Null clears a scheduled publication."
            ),
        ] = None,
        unpublish_at: Annotated[
            datetime | None,
            strawberry.argument(description="When to archive it; later than now and than publishAt. Null clears it."),
        ] = None,
    ) -> SchedulePayload:
        parsed = decode_any(id, ("Lesson", "Story"), field="id", described="a Lesson or Story")
        content_type = models.ContentType.LESSON if parsed[0] == "Lesson" else models.ContentType.STORY
        item = await items.schedule(info.context.actor, content_type, parsed[1], publish_at, unpublish_at)
        return SchedulePayload(content=wrap_content(item, info))

    @strawberry.mutation(
        description="Editors only: upload a file (GraphQL multipart request; send an Apollo-Require-Preflight header)."
    )
    @payload(MediaPayload, atomic=False)
    async def upload_media(
        self,
        info: Info,
        file: Annotated[
            Upload,
            strawberry.argument(
                description="The file (multipart upload); its kind is read from its content (UNSUPPORTED_FORMAT, TOO_LARGE, RATE_LIMITED by upload quota)."
            ),
        ],
        input: Annotated[
            MediaInput | None, strawberry.argument(description="Title, alt text and transcript to store with it.")
        ] = None,
    ) -> MediaPayload:
        settings = info.context.settings
        asset = await media_service.upload(
            info.context.actor,
            media_service.storage_for(settings.media_dir),
            _chunks(file),
            limits=UploadLimits.from_settings(settings),
            title=_given(input, "title"),
            alt_text=_given(input, "alt_text"),
            transcript=_given(input, "transcript"),
            caption=_given(input, "caption"),
        )
        return MediaPayload(asset=MediaAsset.from_model(asset))

    @strawberry.mutation(
        description="Editors only: add a WebVTT caption track to a public video or audio asset (GraphQL multipart request; send an Apollo-Require-Preflight header). A track of the same language and kind is replaced."
    )
    @payload(MediaPayload)
    async def add_caption_track(
        self,
        info: Info,
        media_id: Annotated[
            strawberry.ID,
            strawberry.argument(
                description="Global ID of a public video or audio asset (NOT_FOUND, or INVALID for other kinds)."
            ),
        ],
        file: Annotated[
            Upload,
            strawberry.argument(
                description="The .vtt file (multipart upload): UTF-8, starting WEBVTT, cues in order, at most 512 KiB (UNSUPPORTED_FORMAT, TOO_LARGE)."
            ),
        ],
        input: Annotated[CaptionTrackInput, strawberry.argument(description="The track's language, label and kind.")],
    ) -> MediaPayload:
        pk = decode_id(media_id, "MediaAsset", field="mediaId")
        await captions_service.add(
            info.context.actor,
            media_service.storage_for(info.context.settings.media_dir),
            pk,
            _chunks(file),
            language=input.language,
            label=input.label,
            kind=input.kind,
        )
        asset = await media_service.get(info.context.actor, pk)
        return MediaPayload(asset=MediaAsset.from_model(asset) if asset else None)

    @strawberry.mutation(description="Editors only: remove a caption track from a media asset.")
    @payload(MediaPayload)
    async def remove_caption_track(
        self,
        info: Info,
        media_id: Annotated[
            strawberry.ID, strawberry.argument(description="Global ID of a content media asset (NOT_FOUND otherwise).")
        ],
        language: Annotated[
            str, strawberry.argument(description="The track's language tag (NOT_FOUND when it has no such track).")
        ],
        kind: Annotated[CaptionKind, strawberry.argument(description="The track's kind.")] = CaptionKind.CAPTIONS,
    ) -> MediaPayload:
        pk = decode_id(media_id, "MediaAsset", field="mediaId")
        asset = await captions_service.remove(info.context.actor, pk, language=language, kind=kind)
        return MediaPayload(asset=MediaAsset.from_model(asset))

    @strawberry.mutation(
        description="Signed-in learners, clients, experts and staff: upload a private file to attach to a consultation message. It is never listed and only the thread's two parties can fetch it once attached."
    )
    @payload(MediaPayload, atomic=False)
    async def upload_attachment(
        self,
        info: Info,
        file: Annotated[
            Upload,
            strawberry.argument(
                description="The file (multipart upload), within the attachment size and upload quotas (TOO_LARGE, RATE_LIMITED)."
            ),
        ],
        title: Annotated[
            str | None,
            strawberry.argument(description="Optional title shown with the attachment."),
        ] = None,
    ) -> MediaPayload:
        settings = info.context.settings
        asset = await media_service.upload(
            info.context.actor,
            media_service.storage_for(settings.media_dir),
            _chunks(file),
            limits=UploadLimits.from_settings(settings),
            title=title,
            is_private=True,
        )
        return MediaPayload(asset=MediaAsset.from_model(asset))

    @strawberry.mutation(
        description="Editors only: set a media asset's title, alt text and transcript (omitted fields stay)."
    )
    @payload(MediaPayload)
    async def update_media(
        self,
        info: Info,
        id: Annotated[
            strawberry.ID, strawberry.argument(description="Global ID of a content media asset (NOT_FOUND otherwise).")
        ],
        input: Annotated[MediaInput, strawberry.argument(description="The texts to set.")],
    ) -> MediaPayload:
        pk = decode_id(id, "MediaAsset", field="id")
        given = {k for k, v in vars(input).items() if v is not strawberry.UNSET}
        asset = await media_service.update(
            info.context.actor,
            pk,
            title=input.title,
            alt_text=input.alt_text,
            transcript=input.transcript,
            caption=input.caption,
            given=given,
        )
        return MediaPayload(asset=MediaAsset.from_model(asset))

    @strawberry.mutation(
        description="Signed-in people: add time spent on a lesson (bounded server-side) and mark it completed."
    )
    @payload(RecordLearningPayload)
    async def record_learning(
        self,
        info: Info,
        input: Annotated[
            RecordLearningInput,
            strawberry.argument(description="The lesson, the seconds spent and whether it is completed."),
        ],
    ) -> RecordLearningPayload:
        pk = decode_id(input.lesson_id, "Lesson", field="input.lessonId")
        progress = await learning.record(info.context.actor, pk, input.seconds, input.completed)
        lesson = present(await items.get(info.context.actor, models.ContentType.LESSON, pk), "lesson")
        return RecordLearningPayload(progress=LearningProgress.from_model(progress, Lesson.from_model(lesson)))
