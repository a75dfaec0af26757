"""Attempts at their edges: double and concurrent submits, deadlines, stray answers, limits, visibility, validation."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from typing import Any

from models.base import Role
from models.quizzes import Attempt, AttemptItem, WrongQuestion
from schema.relay import decode_id, parse_global_id
from tests.helpers import GraphQLClient, token_for
from tests.quizzes_helpers import (
    CREATE_QUESTION,
    SAVE,
    START,
    SUBMIT,
    WRONG,
    answer_for,
    bank_questions,
    create_bank,
    publish_quiz,
)

QUIZZES = "{ quizzes(first: 10) { totalCount edges { node { id status } } } }"
QUIZ = "query ($id: ID!) { quiz(id: $id) { id } }"
BANKS = "{ questionBanks(first: 10) { totalCount } }"


async def _choice_bank(gql: GraphQLClient, editor: str, count: int = 3) -> tuple[str, list[dict[str, Any]]]:
    bank_id = await create_bank(gql, editor)
    for n in range(count):
        data = await gql.ok(
            CREATE_QUESTION,
            {
                "input": {
                    "bankId": bank_id,
                    "type": "SINGLE_CHOICE",
                    "stem": f"第{n + 1}题：哪一项是毒品？",
                    "options": [{"text": "冰毒", "correct": True}, {"text": "维生素C"}, {"text": "牛奶"}],
                    "explanation": "冰毒（甲基苯丙胺）是毒品。",
                }
            },
            token=editor,
        )
        assert data["createQuestion"]["errors"] == []
    questions = await bank_questions(gql, editor, bank_id)
    return bank_id, questions


async def _start(gql: GraphQLClient, token: str, quiz_id: str) -> dict[str, Any]:
    payload = (await gql.ok(START, {"quizId": quiz_id}, token=token))["startQuizAttempt"]
    assert payload["errors"] == [], payload
    return payload["attempt"]


def _answers(attempt: dict[str, Any], keys: dict[str, Any], right: bool = True) -> list[dict[str, Any]]:
    return [answer_for(i["question"], keys[i["question"]["id"]], right=right) for i in attempt["items"]]


async def test_a_repeated_submit_returns_the_first_result_and_changes_nothing(gql: GraphQLClient) -> None:
    editor = await token_for("editor", Role.EDITOR)
    learner = await token_for("learner")
    _, questions = await _choice_bank(gql, editor)
    keys = {q["id"]: q["answerKey"] for q in questions}
    quiz_id = await publish_quiz(gql, editor, questionIds=[q["id"] for q in questions])
    attempt = await _start(gql, learner, quiz_id)
    first = await gql.ok(
        SUBMIT, {"input": {"attemptId": attempt["id"], "answers": _answers(attempt, keys, right=False)}}, token=learner
    )
    second = await gql.ok(
        SUBMIT, {"input": {"attemptId": attempt["id"], "answers": _answers(attempt, keys)}}, token=learner
    )
    assert first["submitQuizAttempt"]["attempt"]["score"] == 0.0
    assert second["submitQuizAttempt"] == first["submitQuizAttempt"]
    assert await WrongQuestion.filter(times_wrong=1).count() == 3
    saved = await gql.ok(
        SAVE, {"input": {"attemptId": attempt["id"], "answers": _answers(attempt, keys)}}, token=learner
    )
    assert saved["saveAttemptAnswers"]["errors"][0]["code"] == "CONFLICT"


async def test_concurrent_submits_grade_once(gql: GraphQLClient) -> None:
    editor = await token_for("editor", Role.EDITOR)
    learner = await token_for("learner")
    _, questions = await _choice_bank(gql, editor)
    keys = {q["id"]: q["answerKey"] for q in questions}
    quiz_id = await publish_quiz(gql, editor, questionIds=[q["id"] for q in questions])
    attempt = await _start(gql, learner, quiz_id)
    wrong = {"input": {"attemptId": attempt["id"], "answers": _answers(attempt, keys, right=False)}}
    right = {"input": {"attemptId": attempt["id"], "answers": _answers(attempt, keys)}}
    results = await asyncio.gather(*(gql.ok(SUBMIT, v, token=learner) for v in (wrong, right, wrong, right)))
    attempts = [r["submitQuizAttempt"]["attempt"] for r in results]
    assert len({(a["score"], a["submittedAt"]) for a in attempts}) == 1
    stored = await WrongQuestion.all().values_list("times_wrong", flat=True)
    assert stored in ([], [1, 1, 1])


async def test_past_the_deadline_only_answers_saved_in_time_count(gql: GraphQLClient) -> None:
    editor = await token_for("editor", Role.EDITOR)
    learner = await token_for("learner")
    _, questions = await _choice_bank(gql, editor)
    keys = {q["id"]: q["answerKey"] for q in questions}
    quiz_id = await publish_quiz(
        gql, editor, questionIds=[q["id"] for q in questions], timeLimitSeconds=600, passingScore=50
    )
    attempt = await _start(gql, learner, quiz_id)
    assert attempt["deadline"] is not None
    answers = _answers(attempt, keys)
    await gql.ok(SAVE, {"input": {"attemptId": attempt["id"], "answers": answers[:1]}}, token=learner)
    # The clock moves on: the time limit ran out five minutes ago.
    pk = decode_id(attempt["id"], "QuizAttempt", field="id")
    past = datetime.now(UTC) - timedelta(minutes=5)
    await Attempt.filter(id=pk).update(deadline=past)
    await AttemptItem.filter(attempt_id=pk, answered_at__not_isnull=True).update(
        answered_at=past - timedelta(minutes=1)
    )
    late = await gql.ok(SAVE, {"input": {"attemptId": attempt["id"], "answers": answers}}, token=learner)
    assert late["saveAttemptAnswers"]["errors"][0]["code"] == "CONFLICT"
    result = (await gql.ok(SUBMIT, {"input": {"attemptId": attempt["id"], "answers": answers}}, token=learner))[
        "submitQuizAttempt"
    ]
    assert result["errors"] == []
    graded = result["attempt"]
    assert graded["status"] == "EXPIRED"
    assert (graded["correctCount"], graded["score"], graded["passed"]) == (1, 33.33, False)
    assert [i["correct"] for i in graded["items"]] == [True, False, False]


async def test_answers_to_questions_outside_the_attempt_are_refused_and_nothing_is_written(gql: GraphQLClient) -> None:
    editor = await token_for("editor", Role.EDITOR)
    learner = await token_for("learner")
    _, questions = await _choice_bank(gql, editor, count=4)
    keys = {q["id"]: q["answerKey"] for q in questions}
    quiz_id = await publish_quiz(gql, editor, questionIds=[q["id"] for q in questions[:3]])
    attempt = await _start(gql, learner, quiz_id)
    stray = answer_for(questions[3], keys[questions[3]["id"]])
    answers = [*_answers(attempt, keys), stray]
    refused = (await gql.ok(SUBMIT, {"input": {"attemptId": attempt["id"], "answers": answers}}, token=learner))[
        "submitQuizAttempt"
    ]
    assert refused["attempt"] is None
    assert refused["errors"] == [
        {
            "field": "input.answers.3.questionId",
            "code": "INVALID",
            "message": f"Question {questions[3]['id']} is not part of this attempt.",
        }
    ]
    assert await Attempt.filter(status="IN_PROGRESS").count() == 1
    assert await AttemptItem.filter(answer__not_isnull=True).count() == 0
    foreign_option = dict(answers[0], selectedOptionIds=[questions[3]["options"][0]["id"]])
    refused = await gql.ok(SUBMIT, {"input": {"attemptId": attempt["id"], "answers": [foreign_option]}}, token=learner)
    assert refused["submitQuizAttempt"]["errors"][0]["field"] == "input.answers.0"


async def test_max_attempts_and_who_sees_drafts(gql: GraphQLClient) -> None:
    editor = await token_for("editor", Role.EDITOR)
    learner = await token_for("learner")
    _, questions = await _choice_bank(gql, editor)
    keys = {q["id"]: q["answerKey"] for q in questions}
    draft = (
        await gql.ok(
            "mutation ($input: QuizInput!) { createQuiz(input: $input) { quiz { id } } }",
            {"input": {"title": "草稿", "questionIds": [questions[0]["id"]]}},
            token=editor,
        )
    )["createQuiz"]["quiz"]["id"]
    assert (await gql.ok(QUIZ, {"id": draft}, token=learner))["quiz"] is None
    assert (await gql.ok(QUIZ, {"id": draft}))["quiz"] is None
    assert (await gql.ok(QUIZ, {"id": draft}, token=editor))["quiz"] == {"id": draft}
    refused = (await gql.ok(START, {"quizId": draft}, token=learner))["startQuizAttempt"]
    assert refused["errors"][0]["code"] == "NOT_FOUND"
    quiz_id = await publish_quiz(gql, editor, questionIds=[q["id"] for q in questions], maxAttempts=1)
    assert (await gql.ok(QUIZZES))["quizzes"]["totalCount"] == 1
    assert (await gql.ok(QUIZZES, token=editor))["quizzes"]["totalCount"] == 2
    attempt = await _start(gql, learner, quiz_id)
    await gql.ok(SUBMIT, {"input": {"attemptId": attempt["id"], "answers": _answers(attempt, keys)}}, token=learner)
    again = (await gql.ok(START, {"quizId": quiz_id}, token=learner))["startQuizAttempt"]
    assert again["attempt"] is None
    assert again["errors"] == [
        {"field": "quizId", "code": "FORBIDDEN", "message": "You have used all 1 attempts at this quiz."}
    ]
    anonymous = await gql(START, {"quizId": quiz_id})
    assert anonymous.data["startQuizAttempt"]["errors"][0]["code"] == "UNAUTHENTICATED"


async def test_learners_never_read_banks_and_get_typed_validation_errors(gql: GraphQLClient) -> None:
    editor = await token_for("editor", Role.EDITOR)
    learner = await token_for("learner")
    bank_id = await create_bank(gql, editor)
    assert (await gql.ok(BANKS, token=learner))["questionBanks"]["totalCount"] == 0
    assert (await gql.ok("query ($id: ID!) { node(id: $id) { id } }", {"id": bank_id}, token=learner))["node"] is None
    denied = await gql.ok(
        CREATE_QUESTION, {"input": {"bankId": bank_id, "type": "TRUE_FALSE", "stem": "x", "options": []}}, token=learner
    )
    assert denied["createQuestion"]["errors"][0]["code"] == "FORBIDDEN"
    cases = [
        (
            {
                "type": "SINGLE_CHOICE",
                "stem": "两个正确？",
                "options": [{"text": "甲", "correct": True}, {"text": "乙", "correct": True}],
            },
            {("input.options", "INVALID")},
        ),
        (
            {"type": "MATCHING", "stem": "配对", "options": [{"text": "甲"}, {"text": "乙"}], "matchTargets": ["一"]},
            {("input.matchTargets", "INVALID")},
        ),
        (
            {"type": "FILL_IN_BLANK", "stem": "  ", "acceptedAnswers": []},
            {("input.stem", "INVALID"), ("input.acceptedAnswers", "INVALID")},
        ),
    ]
    for fields, expected in cases:
        data = await gql.ok(CREATE_QUESTION, {"input": {"bankId": bank_id, **fields}}, token=editor)
        assert data["createQuestion"]["question"] is None
        assert {(e["field"], e["code"]) for e in data["createQuestion"]["errors"]} == expected


async def test_option_ids_reveal_nothing_and_wrong_again_comes_back(gql: GraphQLClient) -> None:
    editor = await token_for("editor", Role.EDITOR)
    learner = await token_for("learner")
    _, questions = await _choice_bank(gql, editor, count=1)
    keys = {q["id"]: q["answerKey"] for q in questions}
    option_ids = [o["id"] for o in questions[0]["options"]]
    assert all(parse_global_id(i) is None for i in option_ids), "option ids are random tokens, not row ids"
    quiz_id = await publish_quiz(gql, editor, questionIds=[questions[0]["id"]])
    for right in (False, True, False):
        attempt = await _start(gql, learner, quiz_id)
        await gql.ok(
            SUBMIT, {"input": {"attemptId": attempt["id"], "answers": _answers(attempt, keys, right)}}, token=learner
        )
    entry = (await gql.ok(WRONG, token=learner))["viewer"]["wrongQuestions"]["edges"][0]["node"]
    assert entry["timesWrong"] == 2 and entry["mastered"] is False
