"""The editorial workflow: pending revisions, history, the accessibility gate and schedules."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from models.base import Role
from models.content import ContentItem
from resolvers.content import run_due_schedules
from schema.relay import decode_id
from tests.accounts.factories import token_for
from tests.content.factories import (
    SET_LESSON_STATUS,
    create_lesson,
    editor_token,
    png_bytes,
    published_lesson,
    upload_ok,
    wav_bytes,
)
from tests.helpers import GraphQLClient

UPDATE = """
mutation Update($id: ID!, $patch: LessonPatch!) {
  updateLesson(id: $id, patch: $patch) { lesson { title hasPendingChanges } errors { field message code } }
}"""
READ = """
query Read($id: ID!) { lesson(id: $id) { title status hasPendingChanges
  revisions { number action changedFields snapshot editor { username } } } }"""
SCHEDULE = """
mutation Schedule($id: ID!, $at: DateTime, $until: DateTime) {
  scheduleContent(id: $id, publishAt: $at, unpublishAt: $until) { errors { field code message } }
}"""


async def test_editing_a_published_lesson_waits_until_published(
    gql: GraphQLClient,
) -> None:
    editor = await editor_token()
    lesson = await published_lesson(gql, editor, title="旧标题")
    edited = await gql.ok(UPDATE, {"id": lesson["id"], "patch": {"title": "新标题"}}, token=editor)
    assert edited["updateLesson"]["lesson"] == {
        "title": "新标题",
        "hasPendingChanges": True,
    }
    public = await gql.ok(READ, {"id": lesson["id"]})
    assert public["lesson"]["title"] == "旧标题" and public["lesson"]["revisions"] == []
    await gql.ok(SET_LESSON_STATUS, {"id": lesson["id"], "status": "PUBLISHED"}, token=editor)
    assert (await gql.ok(READ, {"id": lesson["id"]}))["lesson"]["title"] == "新标题"
    history = (await gql.ok(READ, {"id": lesson["id"]}, token=editor))["lesson"]["revisions"]
    assert [r["action"] for r in history] == [
        "PUBLISHED",
        "UPDATED",
        "PUBLISHED",
        "CREATED",
    ]
    assert history[1]["changedFields"] == ["title"] and history[1]["snapshot"]["title"] == "旧标题"
    assert history[1]["editor"] == {"username": "editor"}


async def test_only_editors_change_content(gql: GraphQLClient) -> None:
    editor = await editor_token()
    lesson = await create_lesson(gql, editor)
    teacher = await token_for("teacher", Role.TEACHER)
    result = await gql.ok(SET_LESSON_STATUS, {"id": lesson["id"], "status": "PUBLISHED"}, token=teacher)
    assert result["setLessonStatus"]["errors"][0]["code"] == "FORBIDDEN"
    result = await gql.ok(UPDATE, {"id": lesson["id"], "patch": {"title": "x"}}, token=teacher)
    assert result["updateLesson"]["errors"][0]["code"] == "FORBIDDEN"


async def test_archived_goes_back_to_draft_only(gql: GraphQLClient) -> None:
    editor = await editor_token()
    lesson = await published_lesson(gql, editor)
    await gql.ok(SET_LESSON_STATUS, {"id": lesson["id"], "status": "ARCHIVED"}, token=editor)
    refused = await gql.ok(SET_LESSON_STATUS, {"id": lesson["id"], "status": "IN_REVIEW"}, token=editor)
    assert refused["setLessonStatus"]["errors"] == [
        {"field": "status", "code": "INVALID", "message": "An ARCHIVED item cannot become IN_REVIEW."}
    ]
    back = await gql.ok(SET_LESSON_STATUS, {"id": lesson["id"], "status": "DRAFT"}, token=editor)
    assert back["setLessonStatus"]["lesson"]["status"] == "DRAFT"


async def test_publishing_waits_for_alt_text_and_transcripts(
    gql: GraphQLClient,
) -> None:
    editor = await editor_token()
    image = await upload_ok(gql, editor, png_bytes(), "poster.png", title="海报")
    audio = await upload_ok(gql, editor, wav_bytes(), "talk.wav", title="讲座")
    lesson = await create_lesson(gql, editor, coverImageId=image["id"], mediaIds=[audio["id"]])
    refused = await gql.ok(SET_LESSON_STATUS, {"id": lesson["id"], "status": "PUBLISHED"}, token=editor)
    errors = refused["setLessonStatus"]["errors"]
    assert {e["code"] for e in errors} == {"INVALID"} and len(errors) == 2
    assert "海报" in errors[0]["message"] and "讲座" in errors[1]["message"]
    await gql.ok(
        'mutation($id: ID!) { updateMedia(id: $id, input: {altText: "海报"}) { errors { code } } }',
        {"id": image["id"]},
        token=editor,
    )
    await gql.ok(
        'mutation($id: ID!) { updateMedia(id: $id, input: {transcript: "讲稿"}) { errors { code } } }',
        {"id": audio["id"]},
        token=editor,
    )
    done = await gql.ok(SET_LESSON_STATUS, {"id": lesson["id"], "status": "PUBLISHED"}, token=editor)
    assert done["setLessonStatus"]["errors"] == []


async def test_scheduled_publication_and_unpublication_happen_without_the_api(
    gql: GraphQLClient,
) -> None:
    editor = await editor_token()
    lesson = await create_lesson(gql, editor)
    now = datetime.now(UTC)
    at, until = now + timedelta(minutes=5), now + timedelta(hours=1)
    result = await gql.ok(
        SCHEDULE,
        {"id": lesson["id"], "at": at.isoformat(), "until": until.isoformat()},
        token=editor,
    )
    assert result["scheduleContent"]["errors"] == []
    assert await run_due_schedules(now) == 0
    assert (await gql.ok(READ, {"id": lesson["id"]}))["lesson"] is None
    assert await run_due_schedules(at + timedelta(seconds=1)) == 1
    assert await run_due_schedules(at + timedelta(seconds=1)) == 0  # claimed once only
    assert (await gql.ok(READ, {"id": lesson["id"]}))["lesson"]["status"] == "PUBLISHED"
    assert await run_due_schedules(until + timedelta(seconds=1)) == 1
    assert (await gql.ok(READ, {"id": lesson["id"]}))["lesson"] is None
    item = await ContentItem.get(slug=lesson["slug"])
    assert item.publish_at is None and item.unpublish_at is None


async def test_schedules_must_be_in_the_future(gql: GraphQLClient) -> None:
    editor = await editor_token()
    lesson = await create_lesson(gql, editor)
    past = (datetime.now(UTC) - timedelta(minutes=1)).isoformat()
    result = await gql.ok(SCHEDULE, {"id": lesson["id"], "at": past}, token=editor)
    assert result["scheduleContent"]["errors"][0]["field"] == "publishAt"


async def test_the_server_loop_publishes_on_time(gql: GraphQLClient) -> None:
    import asyncio

    import scheduler

    editor = await editor_token()
    lesson = await create_lesson(gql, editor)
    await ContentItem.filter(slug=lesson["slug"]).update(publish_at=datetime.now(UTC) - timedelta(seconds=1))
    async with scheduler.running(interval=0.05), asyncio.timeout(30):
        while (await ContentItem.get(slug=lesson["slug"])).status != "PUBLISHED":  # noqa: ASYNC110 the row is the state
            await asyncio.sleep(0.05)
    assert (await gql.ok(READ, {"id": lesson["id"]}))["lesson"]["status"] == "PUBLISHED"


async def test_a_lesson_links_its_published_quiz(gql: GraphQLClient) -> None:
    from models.quizzes import Quiz

    editor = await editor_token()
    lesson = await published_lesson(gql, editor)
    query = "query($id: ID!) { lesson(id: $id) { quiz { title } } }"
    assert (await gql.ok(query, {"id": lesson["id"]}))["lesson"]["quiz"] is None
    pk = decode_id(lesson["id"], "Lesson", field="id")
    await Quiz.create(title="小测验", lesson_id=pk, status="PUBLISHED", audiences=[], passing_score=60)
    assert (await gql.ok(query, {"id": lesson["id"]}))["lesson"]["quiz"] == {"title": "小测验"}
