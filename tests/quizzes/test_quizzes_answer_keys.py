"""Answer keys cannot be harvested (issue 11.11).

The review: blank RANDOM practice attempts revealed 75 answer keys; a fresh learner then scored
100 on a limited-attempt quiz that counts toward a course grade. The rule (docs/quizzes.md,
"Answer keys"): a learner sees a key only for a question they answered in a graded attempt, never
while an attempt in progress holds it, and never while a published quiz with an attempt limit
holds it and they still have attempts left there; practice never draws such a question.
"""

from __future__ import annotations

from typing import Any

from models.base import Role
from tests.accounts.factories import token_for
from tests.helpers import GraphQLClient
from tests.quizzes.factories import PRACTICE, START, SUBMIT, WRONG, answer_for, bank_questions, publish_quiz
from tests.quizzes.test_quizzes_attempts import _choice_bank


def _keys(attempt: dict[str, Any]) -> dict[str, Any]:
    """The answer keys an attempt's review shows, by question id."""
    return {i["question"]["id"]: i["question"]["answerKey"] for i in attempt["items"] if i["question"]["answerKey"]}


async def _practice(gql: GraphQLClient, token: str, mode: str = "RANDOM") -> dict[str, Any]:
    payload = (await gql.ok(PRACTICE, {"input": {"mode": mode, "size": 50}}, token=token))["startPractice"]
    return payload


async def _submit(gql: GraphQLClient, token: str, attempt_id: str, answers: list[dict[str, Any]]) -> dict[str, Any]:
    data = await gql.ok(SUBMIT, {"input": {"attemptId": attempt_id, "answers": answers}}, token=token)
    assert data["submitQuizAttempt"]["errors"] == [], data
    return data["submitQuizAttempt"]["attempt"]


async def test_the_practice_harvest_gets_nothing(gql: GraphQLClient) -> None:
    editor = await token_for("editor", Role.EDITOR)
    graded_bank, graded_questions = await _choice_bank(gql, editor, count=6)
    keys = {q["id"]: q["answerKey"] for q in graded_questions}
    graded = await publish_quiz(gql, editor, drawFromBankId=graded_bank, drawCount=4, maxAttempts=1)
    _, open_questions = await _choice_bank(gql, editor, count=3)
    open_keys = {q["id"]: q["answerKey"] for q in open_questions}
    await publish_quiz(gql, editor, questionIds=[q["id"] for q in open_questions])  # practice, no limit

    # The harvest: blank RANDOM practice rounds, then the same rounds answered, reading every review.
    harvester = await token_for("harvester")
    harvested: dict[str, Any] = {}
    for blank in (True, True, True, False, False):
        round_ = await _practice(gql, harvester)
        assert round_["errors"] == [], round_
        drawn = {i["question"]["id"] for i in round_["attempt"]["items"]}
        assert drawn <= set(open_keys)  # nothing of the graded quiz's bank is drawn
        answers = (
            []
            if blank
            else [
                answer_for(i["question"], open_keys[i["question"]["id"]], right=False)
                for i in round_["attempt"]["items"]
            ]
        )
        reviewed = await _submit(gql, harvester, round_["attempt"]["id"], answers)
        if blank:
            assert _keys(reviewed) == {}  # a blank answer earns no key
            assert {i["correct"] for i in reviewed["items"]} == {False}  # but an honest result
        harvested.update(_keys(reviewed))
    assert set(harvested) == set(open_keys)  # answered practice questions do show their keys
    assert not set(harvested) & set(keys)  # and the graded quiz's keys were never within reach
    # The wrong-answer notebook shows explanations only of keys the learner may see.
    notebook = (await gql.ok(WRONG, token=harvester))["viewer"]["wrongQuestions"]["edges"]
    assert all(e["node"]["question"]["id"] in open_keys for e in notebook)

    # A fresh learner with the harvest in hand: it answers none of the graded quiz's questions.
    fresh = await token_for("fresh")
    attempt = (await gql.ok(START, {"quizId": graded}, token=fresh))["startQuizAttempt"]["attempt"]
    assert not {i["question"]["id"] for i in attempt["items"]} & set(harvested)
    assert all(i["question"]["answerKey"] is None for i in attempt["items"])


async def test_keys_of_a_limited_quiz_wait_until_the_attempts_are_used(gql: GraphQLClient) -> None:
    editor = await token_for("editor", Role.EDITOR)
    _, questions = await _choice_bank(gql, editor, count=3)
    keys = {q["id"]: q["answerKey"] for q in questions}
    quiz_id = await publish_quiz(gql, editor, questionIds=[q["id"] for q in questions], maxAttempts=2)
    learner = await token_for("learner")

    first = (await gql.ok(START, {"quizId": quiz_id}, token=learner))["startQuizAttempt"]["attempt"]
    wrong = [answer_for(i["question"], keys[i["question"]["id"]], right=False) for i in first["items"]]
    reviewed = await _submit(gql, learner, first["id"], wrong)
    assert reviewed["score"] == 0  # the grade is theirs to see
    assert _keys(reviewed) == {} and {i["correct"] for i in reviewed["items"]} == {None}  # not the key
    # Nor through practice: the notebook's questions belong to a quiz they still have an attempt at.
    refused = await _practice(gql, learner, "WRONG_ANSWERS")
    assert refused["errors"][0]["code"] == "INVALID"
    assert (await _practice(gql, learner))["errors"][0]["code"] == "INVALID"  # nothing else to draw

    second = (await gql.ok(START, {"quizId": quiz_id}, token=learner))["startQuizAttempt"]["attempt"]
    wrong = [answer_for(i["question"], keys[i["question"]["id"]], right=False) for i in second["items"]]
    last = await _submit(gql, learner, second["id"], wrong)
    # Both attempts used honestly: now the review teaches.
    assert _keys(last) == keys and {i["correct"] for i in last["items"]} == {False}
    again = await gql.ok(
        "query($id: ID!) { node(id: $id) { ... on QuizAttempt { items { question { answerKey { correctOptionIds } } } } } }",
        {"id": first["id"]},
        token=learner,
    )
    assert all(i["question"]["answerKey"] is not None for i in again["node"]["items"])
    assert (await _practice(gql, learner, "WRONG_ANSWERS"))["errors"] == []


async def test_editors_still_see_every_key(gql: GraphQLClient) -> None:
    editor = await token_for("editor", Role.EDITOR)
    bank_id, _ = await _choice_bank(gql, editor, count=2)
    await publish_quiz(gql, editor, drawFromBankId=bank_id, drawCount=2, maxAttempts=1)
    assert all(q["answerKey"] is not None for q in await bank_questions(gql, editor, bank_id))
