"""Content mutations: writing lessons and stories, the workflow, media uploads and learning reports."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import datetime
from typing import Annotated, Any

import strawberry
from strawberry.file_uploads import Upload

from models import content as models
from resolvers.content import items, learning
from resolvers.content import media as media_service
from resolvers.content.quotas import UploadLimits
from resolvers.errors import Invalid
from schema.content.inputs import (
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
    LearningProgress,
    Lesson,
    MediaAsset,
    Story,
    wrap_content,
)
from schema.context import Info
from schema.errors import UserError, payload
from schema.relay import decode_id, parse_global_id
from schema.shared import PublicationStatus, present

CHUNK_BYTES = 64 * 1024


@strawberry.type(description="A lesson or story after a scheduling change.")
class SchedulePayload:
    content: Lesson | Story | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


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
    async def create_lesson(self, info: Info, input: LessonInput) -> LessonPayload:
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
    async def update_lesson(self, info: Info, id: strawberry.ID, patch: LessonPatch) -> LessonPayload:
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
    async def set_lesson_status(self, info: Info, id: strawberry.ID, status: PublicationStatus) -> LessonPayload:
        pk = decode_id(id, "Lesson", field="id")
        item = await items.set_status(info.context.actor, models.ContentType.LESSON, pk, status)
        return LessonPayload(lesson=_lesson(item))

    @strawberry.mutation(description="Editors only: a new story, as a DRAFT.")
    @payload(StoryPayload)
    async def create_story(self, info: Info, input: StoryInput) -> StoryPayload:
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
    async def update_story(self, info: Info, id: strawberry.ID, patch: StoryPatch) -> StoryPayload:
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
    async def set_story_status(self, info: Info, id: strawberry.ID, status: PublicationStatus) -> StoryPayload:
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
        id: strawberry.ID,
        publish_at: datetime | None = None,
        unpublish_at: datetime | None = None,
    ) -> SchedulePayload:
        parsed = parse_global_id(id)
        if parsed is None or parsed[0] not in ("Lesson", "Story"):
            raise Invalid("Not a Lesson or Story ID.", field="id")
        content_type = models.ContentType.LESSON if parsed[0] == "Lesson" else models.ContentType.STORY
        item = await items.schedule(info.context.actor, content_type, parsed[1], publish_at, unpublish_at)
        return SchedulePayload(content=wrap_content(item, info))

    @strawberry.mutation(
        description="Editors only: upload a file (GraphQL multipart request; send an Apollo-Require-Preflight header)."
    )
    @payload(MediaPayload, atomic=False)
    async def upload_media(self, info: Info, file: Upload, input: MediaInput | None = None) -> MediaPayload:
        settings = info.context.settings
        asset = await media_service.upload(
            info.context.actor,
            media_service.storage_for(settings.media_dir),
            _chunks(file),
            limits=UploadLimits.from_settings(settings),
            title=_given(input, "title"),
            alt_text=_given(input, "alt_text"),
            transcript=_given(input, "transcript"),
        )
        return MediaPayload(asset=MediaAsset.from_model(asset))

    @strawberry.mutation(
        description="Signed-in learners, clients, experts and staff: upload a private file to attach to a consultation message. It is never listed and only the thread's two parties can fetch it once attached."
    )
    @payload(MediaPayload, atomic=False)
    async def upload_attachment(
        self,
        info: Info,
        file: Upload,
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
    async def update_media(self, info: Info, id: strawberry.ID, input: MediaInput) -> MediaPayload:
        pk = decode_id(id, "MediaAsset", field="id")
        given = {k for k, v in vars(input).items() if v is not strawberry.UNSET}
        asset = await media_service.update(
            info.context.actor,
            pk,
            title=input.title,
            alt_text=input.alt_text,
            transcript=input.transcript,
            given=given,
        )
        return MediaPayload(asset=MediaAsset.from_model(asset))

    @strawberry.mutation(
        description="Signed-in people: add time spent on a lesson (bounded server-side) and mark it completed."
    )
    @payload(RecordLearningPayload)
    async def record_learning(self, info: Info, input: RecordLearningInput) -> RecordLearningPayload:
        pk = decode_id(input.lesson_id, "Lesson", field="input.lessonId")
        progress = await learning.record(info.context.actor, pk, input.seconds, input.completed)
        lesson = present(await items.get(info.context.actor, models.ContentType.LESSON, pk), "lesson")
        return RecordLearningPayload(progress=LearningProgress.from_model(progress, Lesson.from_model(lesson)))
