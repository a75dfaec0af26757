"""Quizzes wired to content: a quiz's lesson, a question's tags and media."""

from __future__ import annotations

from typing import Any

from models.base import Role
from schema.relay import parse_global_id, to_global_id
from tests.accounts.factories import token_for
from tests.consultations.factories import consenting_token
from tests.content.factories import attachment_ok, create_lesson, editor_token, png_bytes, publish_lesson, upload_ok
from tests.helpers import GraphQLClient
from tests.quizzes.factories import CREATE_QUIZ, create_bank, publish_quiz

QUIZ_LESSON = "query ($id: ID!) { node(id: $id) { ... on Quiz { id lesson { id title status } } } }"
LESSON_QUIZ = "query ($id: ID!) { lesson(id: $id) { id quiz { id lesson { id } } } }"
CREATE_QUESTION = """
mutation ($input: QuestionInput!) {
  createQuestion(input: $input) { question { id tags { id slug name } media { id kind url } } errors { field code message } }
}"""
TAGS = "{ tags { slug name } }"
STORY = """
mutation ($input: StoryInput!) { createStory(input: $input) { story { id } errors { field code } } }"""


async def _question(gql: GraphQLClient, token: str, bank_id: str, **fields: object) -> dict[str, Any]:
    data = await gql.ok(
        CREATE_QUESTION,
        {
            "input": {
                "bankId": bank_id,
                "type": "TRUE_FALSE",
                "stem": "冰毒会成瘾。",
                "options": [{"text": "正确", "correct": True}, {"text": "错误"}],
                **fields,
            }
        },
        token=token,
    )
    created: dict[str, Any] = data["createQuestion"]
    return created


async def test_a_learner_sees_a_quizs_lesson_only_once_the_lesson_is_published(gql: GraphQLClient) -> None:
    editor = await editor_token()
    learner = await token_for("learner", Role.LEARNER)
    lesson = await create_lesson(gql, editor)
    bank = await create_bank(gql, editor)
    question = (await _question(gql, editor, bank))["question"]
    quiz = await publish_quiz(gql, editor, questionIds=[question["id"]], lessonId=lesson["id"])

    as_editor = (await gql.ok(QUIZ_LESSON, {"id": quiz}, token=editor))["node"]
    assert as_editor["lesson"] == {"id": lesson["id"], "title": lesson["title"], "status": "DRAFT"}
    assert (await gql.ok(QUIZ_LESSON, {"id": quiz}, token=learner))["node"] == {"id": quiz, "lesson": None}
    assert (await gql.ok(QUIZ_LESSON, {"id": quiz}))["node"]["lesson"] is None

    await publish_lesson(gql, editor, lesson["id"])
    assert (await gql.ok(QUIZ_LESSON, {"id": quiz}, token=learner))["node"]["lesson"]["id"] == lesson["id"]
    both_ways = (await gql.ok(LESSON_QUIZ, {"id": lesson["id"]}, token=learner))["lesson"]
    assert both_ways["quiz"] == {"id": quiz, "lesson": {"id": lesson["id"]}}


async def test_create_quiz_refuses_a_lesson_that_does_not_exist(gql: GraphQLClient) -> None:
    editor = await editor_token()
    bank = await create_bank(gql, editor)
    question = (await _question(gql, editor, bank))["question"]
    story = await gql.ok(
        STORY, {"input": {"title": "阿城", "kind": "RECOVERY_STORY", "body": "他戒了。"}}, token=editor
    )
    lesson = await create_lesson(gql, editor)
    for lesson_id, code in ((story["createStory"]["story"]["id"], "INVALID"), ("not-an-id", "INVALID")):
        data = await gql.ok(
            CREATE_QUIZ,
            {"input": {"title": "测验", "questionIds": [question["id"]], "lessonId": lesson_id}},
            token=editor,
        )
        assert data["createQuiz"]["quiz"] is None
        assert [(e["field"], e["code"]) for e in data["createQuiz"]["errors"]] == [("input.lessonId", code)]
    parsed = parse_global_id(lesson["id"])
    assert parsed is not None
    missing = to_global_id("Lesson", parsed[1] + 1000)
    data = await gql.ok(
        CREATE_QUIZ, {"input": {"title": "测验", "questionIds": [question["id"]], "lessonId": missing}}, token=editor
    )
    assert [(e["field"], e["code"]) for e in data["createQuiz"]["errors"]] == [("input.lessonId", "NOT_FOUND")]


async def test_question_tags_are_content_tags_created_on_first_use(gql: GraphQLClient) -> None:
    editor = await editor_token()
    await create_lesson(gql, editor, tags=["冰毒"])
    bank = await create_bank(gql, editor)
    created = await _question(gql, editor, bank, tags=[" 冰毒 ", "新型  毒品"])
    assert created["errors"] == []
    tags = created["question"]["tags"]
    assert [t["name"] for t in tags] == ["冰毒", "新型 毒品"]
    everything = (await gql.ok(TAGS))["tags"]
    assert sorted(t["name"] for t in everything) == ["冰毒", "新型 毒品"]
    assert {t["slug"] for t in everything} == {t["slug"] for t in tags}


async def test_question_media_must_be_public_media_that_exists(gql: GraphQLClient) -> None:
    editor = await editor_token()
    learner = await consenting_token("learner")
    image = await upload_ok(gql, editor, png_bytes(), "pic.png", altText="冰毒晶体")
    private = await attachment_ok(gql, learner, png_bytes(color="red"), "mine.png")
    bank = await create_bank(gql, editor)
    created = await _question(gql, editor, bank, mediaIds=[image["id"]])
    assert created["question"]["media"] == [{"id": image["id"], "kind": "IMAGE", "url": image["url"]}]
    for refused in (private["id"], to_global_id("MediaAsset", 99999)):
        data = await _question(gql, editor, bank, mediaIds=[refused])
        assert data["question"] is None
        assert [e["field"] for e in data["errors"]] == ["input.mediaIds"]
