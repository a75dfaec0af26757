"""Starting, reading and submitting an attempt cost the same SQL statements for 5 or 50 questions."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from models.base import PublicationStatus, Role
from models.content import ContentItem, ContentType, MediaAsset, MediaKind
from models.quizzes import Quiz, QuizQuestion
from resolvers import quizzes
from resolvers.actor import Actor
from schema.relay import to_global_id
from tests.accounts.factories import token_for
from tests.helpers import GraphQLClient, count_statements
from tests.quizzes.factories import ATTEMPT, START, SUBMIT

EDITOR = Actor(roles=frozenset({Role.EDITOR}))
QUIZZES = "{ quizzes(first: 60) { edges { node { id title questionCount lesson { id title } } } } }"
WRONG = "{ viewer { wrongQuestions(first: 60) { edges { node { timesWrong question { stem options { id } } } } } } }"


def _specs(count: int) -> list[quizzes.QuestionSpec]:
    """A mix of every type, so options, targets and accepted answers are all read."""
    kinds = [
        quizzes.QuestionSpec(
            type="SINGLE_CHOICE", stem="单选", options=[quizzes.OptionSpec("甲", True), quizzes.OptionSpec("乙")]
        ),
        quizzes.QuestionSpec(
            type="MULTIPLE_CHOICE",
            stem="多选",
            options=[quizzes.OptionSpec("甲", True), quizzes.OptionSpec("乙", True), quizzes.OptionSpec("丙")],
        ),
        quizzes.QuestionSpec(
            type="TRUE_FALSE", stem="判断", options=[quizzes.OptionSpec("正确"), quizzes.OptionSpec("错误", True)]
        ),
        quizzes.QuestionSpec(type="FILL_IN_BLANK", stem="填空", accepted_answers=["6月26日"]),
        quizzes.QuestionSpec(
            type="MATCHING",
            stem="配对",
            options=[quizzes.OptionSpec("甲"), quizzes.OptionSpec("乙")],
            match_targets=["一", "二"],
        ),
        quizzes.QuestionSpec(
            type="ORDERING",
            stem="排序",
            options=[quizzes.OptionSpec("一"), quizzes.OptionSpec("二"), quizzes.OptionSpec("三")],
        ),
    ]
    return [kinds[i % len(kinds)] for i in range(count)]


async def _image(n: int) -> MediaAsset:
    return await MediaAsset.create(
        kind=MediaKind.IMAGE, mime_type="image/png", extension=".png", byte_size=1, sha256=f"{n:064x}", alt_text="图"
    )


async def _lesson(n: int) -> ContentItem:
    return await ContentItem.create(
        content_type=ContentType.LESSON,
        slug=f"lesson-{n}",
        title=f"课程{n}",
        section="HANDBOOK",
        status=PublicationStatus.PUBLISHED,
    )


async def _quiz_of(count: int) -> str:
    """A published quiz whose questions carry tags and media, linked to a lesson."""
    bank = await quizzes.create_bank(EDITOR, name=f"题库{count}", description=None)
    images = [await _image(count * 10 + i) for i in range(2)]
    specs = [
        replace(s, tags=["冰毒", f"标签{i % 7}"], media_ids=[images[i % 2].id]) for i, s in enumerate(_specs(count))
    ]
    questions = await quizzes.insert_questions(bank.id, specs)
    lesson = await _lesson(count)
    quiz = await Quiz.create(
        title=f"测验{count}",
        status=PublicationStatus.PUBLISHED,
        shuffle_options=True,
        time_limit_seconds=600,
        lesson_id=lesson.id,
    )
    await QuizQuestion.bulk_create([QuizQuestion(quiz=quiz, question=q, position=i) for i, q in enumerate(questions)])
    return to_global_id("Quiz", quiz.id)


def _wrong_answers(attempt: dict[str, Any]) -> list[dict[str, Any]]:
    return [{"questionId": i["question"]["id"], "text": "不知道"} for i in attempt["items"]]


async def _costs(gql: GraphQLClient, token: str, quiz_id: str) -> tuple[int, int, int, int]:
    with count_statements() as start:
        attempt = (await gql.ok(START, {"quizId": quiz_id}, token=token))["startQuizAttempt"]["attempt"]
    with count_statements() as read:
        await gql.ok(ATTEMPT, {"id": attempt["id"]}, token=token)
    with count_statements() as submit:
        graded = await gql.ok(
            SUBMIT, {"input": {"attemptId": attempt["id"], "answers": _wrong_answers(attempt)}}, token=token
        )
    assert graded["submitQuizAttempt"]["attempt"]["status"] == "SUBMITTED"
    with count_statements() as notebook:
        await gql.ok(WRONG, token=token)
    return start.count, read.count, submit.count, notebook.count


async def test_attempt_costs_do_not_grow_with_questions(gql: GraphQLClient) -> None:
    small, large = await _quiz_of(5), await _quiz_of(50)
    token = await token_for("learner", Role.LEARNER)
    small_costs = await _costs(gql, token, small)
    large_costs = await _costs(gql, token, large)
    assert small_costs == large_costs, f"start/read/submit/notebook statements: {small_costs} vs {large_costs}"


async def test_a_page_of_quizzes_costs_the_same_for_5_or_50(gql: GraphQLClient) -> None:
    for n in range(5):
        await _quiz_of(2 + n)
    with count_statements() as few:
        await gql.ok(QUIZZES)
    for n in range(45):
        lesson = await _lesson(100 + n)
        await Quiz.create(title=f"q{n}", status=PublicationStatus.PUBLISHED, lesson_id=lesson.id)
    with count_statements() as many:
        data = await gql.ok(QUIZZES)
    assert len(data["quizzes"]["edges"]) == 50
    assert all(e["node"]["lesson"] for e in data["quizzes"]["edges"])
    assert few.count == many.count
