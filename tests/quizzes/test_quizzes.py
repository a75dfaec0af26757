"""The quiz story through the real HTTP app: import, build, publish, attempt, review, notebook, practice."""

from __future__ import annotations

from typing import Any

from models.base import Role
from tests.accounts.factories import token_for
from tests.helpers import GraphQLClient
from tests.quizzes.factories import (
    ATTEMPT,
    PRACTICE,
    SAVE,
    START,
    SUBMIT,
    WRONG,
    answer_for,
    bank_questions,
    create_bank,
    import_file,
    publish_quiz,
)

QUIZ = "query ($id: ID!) { quiz(id: $id) { id title status questionCount passingScore } }"
QUESTION_NODE = "query ($id: ID!) { node(id: $id) { ... on Question { id answerKey { explanation } } } }"


async def _imported_bank(gql: GraphQLClient, editor: str) -> tuple[str, list[dict[str, Any]]]:
    bank_id = await create_bank(gql, editor)
    gift = await import_file(gql, editor, bank_id, "GIFT", "prevention.gift")
    assert gift["importedCount"] == 6
    assert sorted(e["code"] for e in gift["errors"]) == ["UNSUPPORTED_FORMAT", "UNSUPPORTED_FORMAT"]
    assert any("如何拒绝毒品（论述）" in e["message"] for e in gift["errors"])
    assert any("禁毒法施行年份" in e["message"] for e in gift["errors"])
    assert gift["notes"] == ["“拒绝方法配对”: dropped 1 unpaired matching target(s)."]
    xml = await import_file(gql, editor, bank_id, "MOODLE_XML", "prevention.xml")
    assert xml["importedCount"] == 6 and len(xml["errors"]) == 2
    assert {q["type"] for q in gift["questions"] + xml["questions"]} == {
        "SINGLE_CHOICE",
        "MULTIPLE_CHOICE",
        "TRUE_FALSE",
        "FILL_IN_BLANK",
        "MATCHING",
        "ORDERING",
    }
    return bank_id, await bank_questions(gql, editor, bank_id)


def _answers(items: list[dict[str, Any]], keys: dict[str, dict[str, Any]], wrong: set[str]) -> list[dict[str, Any]]:
    return [answer_for(i["question"], keys[i["question"]["id"]], right=i["question"]["id"] not in wrong) for i in items]


async def test_import_build_publish_attempt_review_and_practice_until_mastered(gql: GraphQLClient) -> None:
    editor = await token_for("editor", Role.EDITOR)
    learner = await token_for("learner", Role.LEARNER)
    _, questions = await _imported_bank(gql, editor)
    keys = {q["id"]: q["answerKey"] for q in questions}
    assert all(k is not None for k in keys.values())
    quiz_id = await publish_quiz(
        gql, editor, questionIds=[q["id"] for q in questions], passingScore=60, shuffleOptions=True
    )
    assert (await gql.ok(QUIZ, {"id": quiz_id}, token=learner))["quiz"]["questionCount"] == 12

    started = (await gql.ok(START, {"quizId": quiz_id}, token=learner))["startQuizAttempt"]
    assert started["errors"] == []
    attempt = started["attempt"]
    assert attempt["status"] == "IN_PROGRESS" and attempt["totalCount"] == 12
    # Nothing in the attempt in progress reveals an answer.
    for item in attempt["items"]:
        assert item["correct"] is None
        assert item["question"]["answerKey"] is None
    for question in questions:
        node = (await gql.ok(QUESTION_NODE, {"id": question["id"]}, token=learner))["node"]
        assert node is None or node["answerKey"] is None
    assert (await gql.ok(WRONG, token=learner))["viewer"]["wrongQuestions"]["totalCount"] == 0
    # Starting again resumes the same attempt, with the same option order.
    again = (await gql.ok(START, {"quizId": quiz_id}, token=learner))["startQuizAttempt"]["attempt"]
    assert again["id"] == attempt["id"] and again["items"] == attempt["items"]

    items = attempt["items"]
    missed = {items[0]["question"]["id"], items[4]["question"]["id"], items[9]["question"]["id"]}
    answers = _answers(items, keys, missed)
    saved = await gql.ok(SAVE, {"input": {"attemptId": attempt["id"], "answers": answers[:6]}}, token=learner)
    assert saved["saveAttemptAnswers"]["errors"] == []
    reloaded = (await gql.ok(ATTEMPT, {"id": attempt["id"]}, token=learner))["node"]
    assert all(i["correct"] is None and i["question"]["answerKey"] is None for i in reloaded["items"])

    submitted = (await gql.ok(SUBMIT, {"input": {"attemptId": attempt["id"], "answers": answers[6:]}}, token=learner))[
        "submitQuizAttempt"
    ]
    assert submitted["errors"] == []
    result = submitted["attempt"]
    assert result["status"] == "SUBMITTED"
    assert (result["correctCount"], result["score"], result["passed"]) == (9, 75.0, True)
    for item in result["items"]:
        assert item["correct"] is (item["question"]["id"] not in missed)
        assert item["question"]["answerKey"] == keys[item["question"]["id"]]
    explained = [i for i in result["items"] if i["question"]["answerKey"]["explanation"]]
    assert explained, "imported feedback is shown as explanations after submission"

    notebook = (await gql.ok(WRONG, token=learner))["viewer"]["wrongQuestions"]
    assert {e["node"]["question"]["id"] for e in notebook["edges"]} == missed
    assert all(e["node"]["timesWrong"] == 1 and not e["node"]["mastered"] for e in notebook["edges"])

    for round_number in (1, 2):
        practice = (await gql.ok(PRACTICE, {"input": {"mode": "WRONG_ANSWERS"}}, token=learner))["startPractice"]
        assert practice["errors"] == []
        drawn = practice["attempt"]
        assert drawn["quiz"] is None and {i["question"]["id"] for i in drawn["items"]} == missed
        assert all(i["question"]["answerKey"] is None for i in drawn["items"])
        # While the practice is in progress, the earlier review hides these questions' keys too.
        review = (await gql.ok(ATTEMPT, {"id": attempt["id"]}, token=learner))["node"]
        assert all(i["question"]["answerKey"] is None for i in review["items"] if i["question"]["id"] in missed)
        done = await gql.ok(
            SUBMIT,
            {"input": {"attemptId": drawn["id"], "answers": _answers(drawn["items"], keys, set())}},
            token=learner,
        )
        assert done["submitQuizAttempt"]["attempt"]["score"] == 100.0
        open_entries = (await gql.ok(WRONG, token=learner))["viewer"]["wrongQuestions"]["totalCount"]
        assert open_entries == (3 if round_number == 1 else 0)

    mastered = (await gql.ok(WRONG, {"all": True}, token=learner))["viewer"]["wrongQuestions"]["edges"]
    assert len(mastered) == 3 and all(e["node"]["mastered"] for e in mastered)
    nothing_left = (await gql.ok(PRACTICE, {"input": {"mode": "WRONG_ANSWERS"}}, token=learner))["startPractice"]
    assert nothing_left["attempt"] is None and nothing_left["errors"][0]["code"] == "INVALID"


QUIZZES_FOR = "query ($audience: Audience) { quizzes(first: 20, filter: {audience: $audience}) { totalCount edges { node { title audiences } } } }"


async def test_quizzes_filter_by_audience(gql: GraphQLClient) -> None:
    editor = await token_for("editor", Role.EDITOR)
    bank_id = await create_bank(gql, editor)
    await import_file(gql, editor, bank_id, "GIFT", "prevention.gift")
    question_ids = [q["id"] for q in await bank_questions(gql, editor, bank_id)][:2]
    await publish_quiz(gql, editor, title="初中测验", audiences=["MIDDLE_SCHOOL"], questionIds=question_ids)
    await publish_quiz(
        gql, editor, title="高中与大学测验", audiences=["HIGH_SCHOOL", "COLLEGE"], questionIds=question_ids
    )
    middle = (await gql.ok(QUIZZES_FOR, {"audience": "MIDDLE_SCHOOL"}))["quizzes"]
    assert [e["node"]["title"] for e in middle["edges"]] == ["初中测验"] and middle["totalCount"] == 1
    college = (await gql.ok(QUIZZES_FOR, {"audience": "COLLEGE"}))["quizzes"]
    assert [e["node"]["title"] for e in college["edges"]] == ["高中与大学测验"]
    assert (await gql.ok(QUIZZES_FOR, {"audience": "ADULT"}))["quizzes"]["totalCount"] == 0


async def test_a_quiz_with_every_setting_wrong_is_refused_naming_each_field(gql: GraphQLClient) -> None:
    from tests.quizzes.factories import CREATE_QUIZ

    editor = await token_for("editor", Role.EDITOR)
    bank_id = await create_bank(gql, editor)
    wrong = {
        "title": " ",
        "questionIds": [],
        "drawFromBankId": bank_id,
        "drawCount": 0,
        "timeLimitSeconds": 5,
        "maxAttempts": 0,
        "passingScore": 101,
    }
    refused = (await gql.ok(CREATE_QUIZ, {"input": wrong}, token=editor))["createQuiz"]
    assert refused["quiz"] is None
    assert sorted((e["field"], e["code"]) for e in refused["errors"]) == [
        ("input.drawCount", "INVALID"),
        ("input.maxAttempts", "INVALID"),
        ("input.passingScore", "INVALID"),
        ("input.questionIds", "INVALID"),
        ("input.questionIds", "INVALID"),
        ("input.timeLimitSeconds", "INVALID"),
        ("input.title", "INVALID"),
    ]
    half_a_draw = (await gql.ok(CREATE_QUIZ, {"input": {"title": "抽题", "drawCount": 3}}, token=editor))["createQuiz"]
    assert [(e["field"], e["code"]) for e in half_a_draw["errors"]] == [("input.drawCount", "INVALID")]
    too_many = {"title": "抽题", "drawFromBankId": bank_id, "drawCount": 3}
    empty_bank = (await gql.ok(CREATE_QUIZ, {"input": too_many}, token=editor))["createQuiz"]
    assert empty_bank["errors"] == [
        {"field": "input.drawCount", "code": "INVALID", "message": "The bank has only 0 questions."}
    ]
