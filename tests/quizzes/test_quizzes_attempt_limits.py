"""At most one open attempt, at most maxAttempts in all, whatever the timing (issue 16.1).

A fault-injection run gave 29 of 40 learners extra attempts with three simultaneous starts each,
and a start its client had abandoned ran late, after the learner submitted, and opened another.
"""

from __future__ import annotations

import asyncio
from collections import Counter
from typing import Any

import pytest

from models.base import Role
from models.quizzes import Attempt, AttemptKind, AttemptStatus, WrongQuestion
from resolvers.quizzes import attempts as attempt_service
from schema.relay import parse_global_id
from tests.accounts.factories import token_for
from tests.helpers import GraphQLClient
from tests.quizzes.factories import PRACTICE, START, SUBMIT, answer_for, publish_quiz
from tests.quizzes.test_quizzes_attempts import _choice_bank

LEARNERS = 8
STARTS_EACH = 4


def _pk(global_id: str) -> int:
    return int(parse_global_id(global_id)[1])


async def _submit(gql: GraphQLClient, token: str, attempt: dict[str, Any], keys: dict[str, Any]) -> None:
    answers = [answer_for(i["question"], keys[i["question"]["id"]]) for i in attempt["items"]]
    data = await gql.ok(SUBMIT, {"input": {"attemptId": attempt["id"], "answers": answers}}, token=token)
    assert data["submitQuizAttempt"]["errors"] == [], data


async def test_concurrent_starts_never_exceed_the_limit(gql: GraphQLClient) -> None:
    editor = await token_for("editor", Role.EDITOR)
    _, questions = await _choice_bank(gql, editor)
    keys = {q["id"]: q["answerKey"] for q in questions}
    quiz_id = await publish_quiz(gql, editor, questionIds=[q["id"] for q in questions], maxAttempts=2)
    learners = [await token_for(f"learner{n}") for n in range(LEARNERS)]

    async def start(token: str) -> dict[str, Any]:
        result = await gql(START, {"quizId": quiz_id}, token=token)
        assert result.status == 200 and not result.errors, result.body  # never INTERNAL
        return result.data["startQuizAttempt"]

    for _round in range(3):  # two honest rounds, then one past the limit
        answers = await asyncio.gather(*(start(t) for t in learners for _ in range(STARTS_EACH)))
        by_learner: dict[int, list[dict[str, Any]]] = {}
        for index, payload in enumerate(answers):
            by_learner.setdefault(index // STARTS_EACH, []).append(payload)
        for index, payloads in by_learner.items():
            opened = {p["attempt"]["id"] for p in payloads if p["attempt"] is not None}
            assert len(opened) <= 1, payloads  # every racing start answers with the one that won
            if opened:
                attempt = next(p["attempt"] for p in payloads if p["attempt"] is not None)
                if attempt["status"] == "IN_PROGRESS":
                    await _submit(gql, learners[index], attempt, keys)
            else:
                assert {p["errors"][0]["code"] for p in payloads} == {"FORBIDDEN"}
    per_learner = Counter(await Attempt.filter(quiz_id=_pk(quiz_id)).values_list("user_id", flat=True))
    assert sorted(per_learner.values()) == [2] * LEARNERS
    assert not await Attempt.filter(status=AttemptStatus.IN_PROGRESS).exists()


async def test_concurrent_starts_of_an_unlimited_quiz_open_one_attempt(gql: GraphQLClient) -> None:
    editor = await token_for("editor", Role.EDITOR)
    _, questions = await _choice_bank(gql, editor)
    quiz_id = await publish_quiz(gql, editor, questionIds=[q["id"] for q in questions])
    learners = [await token_for(f"learner{n}") for n in range(LEARNERS)]
    results = await asyncio.gather(*(gql.ok(START, {"quizId": quiz_id}, token=t) for t in learners for _ in range(3)))
    assert all(r["startQuizAttempt"]["errors"] == [] for r in results)
    per_learner = Counter(await Attempt.filter(quiz_id=_pk(quiz_id)).values_list("user_id", flat=True))
    assert sorted(per_learner.values()) == [1] * LEARNERS


async def test_a_start_that_runs_late_opens_nothing_past_the_limit(
    gql: GraphQLClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The abandoned start read the learner's attempts before they started and submitted; it writes after."""
    editor = await token_for("editor", Role.EDITOR)
    learner = await token_for("learner")
    _, questions = await _choice_bank(gql, editor)
    keys = {q["id"]: q["answerKey"] for q in questions}
    quiz_id = await publish_quiz(gql, editor, questionIds=[q["id"] for q in questions], maxAttempts=2)
    read_before = await attempt_service.attempts_at(await _user_id(learner, gql), _pk(quiz_id))
    assert read_before == []
    first = (await gql.ok(START, {"quizId": quiz_id}, token=learner))["startQuizAttempt"]["attempt"]
    await _submit(gql, learner, first, keys)

    async def stale(user_id: int, quiz_id: int) -> list[Attempt]:
        return read_before  # what the late start had read before it stalled

    monkeypatch.setattr(attempt_service, "attempts_at", stale)
    late = (await gql.ok(START, {"quizId": quiz_id}, token=learner))["startQuizAttempt"]
    assert late["errors"] == [] and late["attempt"]["id"] == first["id"]  # the attempt it meant: the first
    assert late["attempt"]["status"] == "SUBMITTED"
    assert await Attempt.filter(quiz_id=_pk(quiz_id)).count() == 1
    monkeypatch.undo()
    # The learner's own second attempt is still theirs to take, and a third is refused.
    second = (await gql.ok(START, {"quizId": quiz_id}, token=learner))["startQuizAttempt"]["attempt"]
    assert second["id"] != first["id"]
    await _submit(gql, learner, second, keys)
    third = (await gql.ok(START, {"quizId": quiz_id}, token=learner))["startQuizAttempt"]
    assert third["errors"][0]["code"] == "FORBIDDEN"
    assert await Attempt.filter(quiz_id=_pk(quiz_id)).count() == 2


async def _user_id(token: str, gql: GraphQLClient) -> int:
    data = await gql.ok("{ viewer { user { id } } }", token=token)
    return _pk(data["viewer"]["user"]["id"])


async def test_concurrent_practice_starts_open_one_round(gql: GraphQLClient) -> None:
    editor = await token_for("editor", Role.EDITOR)
    _, fixed = await _choice_bank(gql, editor)
    await publish_quiz(gql, editor, questionIds=[q["id"] for q in fixed])
    learners = [await token_for(f"learner{n}") for n in range(4)]
    variables = {"input": {"mode": "RANDOM", "size": 2}}
    results = await asyncio.gather(*(gql.ok(PRACTICE, variables, token=t) for t in learners for _ in range(3)))
    assert all(r["startPractice"]["errors"] == [] for r in results)
    rounds = Counter(await Attempt.filter(kind=AttemptKind.PRACTICE_RANDOM).values_list("user_id", flat=True))
    assert sorted(rounds.values()) == [1] * 4


async def test_two_attempts_graded_at_once_share_the_notebook(gql: GraphQLClient) -> None:
    """A quiz attempt and a practice round holding the same questions, both submitted wrong at once."""
    editor = await token_for("editor", Role.EDITOR)
    _, questions = await _choice_bank(gql, editor)
    keys = {q["id"]: q["answerKey"] for q in questions}
    quiz_id = await publish_quiz(gql, editor, questionIds=[q["id"] for q in questions])
    learner = await token_for("learner")
    attempt = (await gql.ok(START, {"quizId": quiz_id}, token=learner))["startQuizAttempt"]["attempt"]
    practice = (await gql.ok(PRACTICE, {"input": {"mode": "RANDOM", "size": 50}}, token=learner))["startPractice"]
    rounds = [attempt, practice["attempt"]]

    async def wrong(round_: dict[str, Any]) -> dict[str, Any]:
        answers = [answer_for(i["question"], keys[i["question"]["id"]], right=False) for i in round_["items"]]
        result = await gql(SUBMIT, {"input": {"attemptId": round_["id"], "answers": answers}}, token=learner)
        assert result.status == 200 and not result.errors, result.body  # never INTERNAL
        payload: dict[str, Any] = result.data["submitQuizAttempt"]
        return payload

    graded = await asyncio.gather(*(wrong(r) for r in rounds))
    assert all(g["errors"] == [] for g in graded)
    notebook = await WrongQuestion.all().values_list("question_id", "times_wrong")
    assert sorted(times for _, times in notebook) == [2, 2, 2]  # each question counted wrong in both
