"""Editing questions, banks and quizzes: in place until an attempt holds a question, then a new version."""

from __future__ import annotations

from typing import Any

from models.base import Role
from tests.accounts.factories import token_for
from tests.helpers import GraphQLClient
from tests.quizzes.factories import (
    ATTEMPT,
    CREATE_QUESTION,
    CREATE_QUIZ,
    START,
    SUBMIT,
    answer_for,
    create_bank,
    publish_quiz,
)

UPDATE = """
mutation ($id: ID!, $input: QuestionUpdateInput!) {
  updateQuestion(id: $id, input: $input) {
    question { id version retiredAt previousVersionId stem options { id text }
      authoring { options { text correct feedback } matchTargets acceptedAnswers explanation tags } }
    errors { field code message } } }"""
RETIRE = """
mutation ($id: ID!) { retireQuestion(id: $id) { question { id retiredAt } errors { field code message } } }"""
UPDATE_BANK = """
mutation ($id: ID!, $input: QuestionBankInput!) {
  updateQuestionBank(id: $id, input: $input) { bank { id name description } errors { field code message } } }"""
UPDATE_QUIZ = """
mutation ($id: ID!, $patch: QuizPatch!) {
  updateQuiz(id: $id, patch: $patch) {
    quiz { id title timeLimitSeconds maxAttempts passingScore audiences questionCount drawCount
      questions { id stem } drawFromBank { id } lesson { id } }
    errors { field code message } } }"""
BANK = """
query ($id: ID!, $all: Boolean!) { node(id: $id) { ... on QuestionBank { name questionCount
  questions(first: 50, includeRetired: $all) { edges { node { id version retiredAt stem } } } } } }"""
QUIZ = "query ($id: ID!) { quiz(id: $id) { questionCount questions { id stem version } } }"
LEARNER_QUESTION = "query ($id: ID!) { quiz(id: $id) { questions { id } } }"

CHOICE = {
    "type": "SINGLE_CHOICE",
    "stem": "冰毒的化学名称是？",
    "options": [
        {"text": "甲基苯丙胺", "correct": True, "feedback": "对"},
        {"text": "海洛因"},
        {"text": "可卡因"},
    ],
    "explanation": "冰毒即甲基苯丙胺。",
    "tags": ["冰毒"],
}


async def _question(gql: GraphQLClient, editor: str, bank_id: str, spec: dict[str, Any]) -> dict[str, Any]:
    data = await gql.ok(CREATE_QUESTION, {"input": {"bankId": bank_id, **spec}}, token=editor)
    assert data["createQuestion"]["errors"] == [], data
    question: dict[str, Any] = data["createQuestion"]["question"]
    return question


async def _update(gql: GraphQLClient, editor: str, question_id: str, spec: dict[str, Any]) -> dict[str, Any]:
    data = await gql.ok(UPDATE, {"id": question_id, "input": spec}, token=editor)
    result: dict[str, Any] = data["updateQuestion"]
    return result


async def test_question_without_attempts_is_edited_in_place(gql: GraphQLClient) -> None:
    editor = await token_for("editor", Role.EDITOR)
    bank_id = await create_bank(gql, editor)
    question = await _question(gql, editor, bank_id, CHOICE)
    changed = {
        **CHOICE,
        "stem": "冰毒的学名是？",
        "options": [{"text": "甲基苯丙胺", "correct": True}, {"text": "吗啡"}],
    }
    result = await _update(gql, editor, question["id"], changed)
    assert result["errors"] == []
    edited = result["question"]
    assert edited["id"] == question["id"] and edited["version"] == 1 and edited["retiredAt"] is None
    assert edited["stem"] == "冰毒的学名是？"
    assert edited["authoring"]["options"] == [
        {"text": "甲基苯丙胺", "correct": True, "feedback": None},
        {"text": "吗啡", "correct": False, "feedback": None},
    ]
    assert edited["authoring"]["explanation"] == "冰毒即甲基苯丙胺。" and edited["authoring"]["tags"] == ["冰毒"]
    bank = (await gql.ok(BANK, {"id": bank_id, "all": True}, token=editor))["node"]
    assert [q["node"]["id"] for q in bank["questions"]["edges"]] == [question["id"]]


async def test_question_with_graded_answers_gets_a_new_version_and_old_grades_stay(gql: GraphQLClient) -> None:
    editor = await token_for("editor", Role.EDITOR)
    learner = await token_for("learner", Role.LEARNER)
    bank_id = await create_bank(gql, editor)
    question = await _question(gql, editor, bank_id, CHOICE)
    other = await _question(gql, editor, bank_id, {**CHOICE, "stem": "海洛因属于？"})
    quiz_id = await publish_quiz(gql, editor, questionIds=[question["id"], other["id"]])
    attempt = (await gql.ok(START, {"quizId": quiz_id}, token=learner))["startQuizAttempt"]["attempt"]
    keys = {q["id"]: await _key(gql, editor, q["id"]) for q in (question, other)}
    answers = [answer_for(i["question"], keys[i["question"]["id"]]) for i in attempt["items"]]
    graded = await gql.ok(SUBMIT, {"input": {"attemptId": attempt["id"], "answers": answers}}, token=learner)
    assert graded["submitQuizAttempt"]["attempt"]["correctCount"] == 2

    # The right answer changes: the learner's earlier answer must still count as right.
    flipped = {**CHOICE, "options": [{"text": "甲基苯丙胺"}, {"text": "海洛因", "correct": True}]}
    result = await _update(gql, editor, question["id"], flipped)
    assert result["errors"] == []
    successor = result["question"]
    assert successor["id"] != question["id"]
    assert successor["version"] == 2 and successor["previousVersionId"] == question["id"]
    review = (await gql.ok(ATTEMPT, {"id": attempt["id"]}, token=learner))["node"]
    assert review["correctCount"] == 2 and all(i["correct"] for i in review["items"])
    held = next(i for i in review["items"] if i["question"]["id"] == question["id"])
    assert [o["text"] for o in held["question"]["options"]] == ["甲基苯丙胺", "海洛因", "可卡因"]

    # The quiz now lists the new version in the old one's place; the bank shows it and hides the old.
    quiz = (await gql.ok(QUIZ, {"id": quiz_id}, token=editor))["quiz"]
    assert [q["id"] for q in quiz["questions"]] == [successor["id"], other["id"]]
    bank = (await gql.ok(BANK, {"id": bank_id, "all": False}, token=editor))["node"]
    assert bank["questionCount"] == 2
    assert [e["node"]["id"] for e in bank["questions"]["edges"]] == [successor["id"], other["id"]]
    everything = (await gql.ok(BANK, {"id": bank_id, "all": True}, token=editor))["node"]
    retired = [e["node"] for e in everything["questions"]["edges"] if e["node"]["retiredAt"]]
    assert [q["id"] for q in retired] == [question["id"]]

    # A retired version is not edited again, and cannot go into a new quiz.
    again = await _update(gql, editor, question["id"], CHOICE)
    assert again["question"] is None and again["errors"][0]["field"] == "id"
    refused = await gql.ok(CREATE_QUIZ, {"input": {"title": "旧题", "questionIds": [question["id"]]}}, token=editor)
    assert refused["createQuiz"]["errors"][0]["field"] == "input.questionIds"
    # Learners never see the quiz's question list.
    assert (await gql.ok(LEARNER_QUESTION, {"id": quiz_id}, token=learner))["quiz"]["questions"] == []


async def _key(gql: GraphQLClient, editor: str, question_id: str) -> dict[str, Any]:
    data = await gql.ok(
        "query ($id: ID!) { node(id: $id) { ... on Question { answerKey { correctOptionIds acceptedAnswers "
        "matches { optionId targetId } order } } } }",
        {"id": question_id},
        token=editor,
    )
    key: dict[str, Any] = data["node"]["answerKey"]
    return key


async def test_bad_edits_are_typed_errors_and_change_nothing(gql: GraphQLClient) -> None:
    editor = await token_for("editor", Role.EDITOR)
    learner = await token_for("learner", Role.LEARNER)
    bank_id = await create_bank(gql, editor)
    question = await _question(gql, editor, bank_id, CHOICE)
    bad = await _update(gql, editor, question["id"], {**CHOICE, "options": [{"text": "只有一个", "correct": True}]})
    assert bad["question"] is None and bad["errors"] and bad["errors"][0]["field"].startswith("input.options")
    denied = await _update(gql, learner, question["id"], CHOICE)
    assert denied["question"] is None and denied["errors"][0]["code"] == "FORBIDDEN"
    missing = await _update(gql, editor, "UXVlc3Rpb246OTk5OTk=", CHOICE)
    assert missing["errors"][0]["code"] == "NOT_FOUND"
    stored = (await gql.ok(BANK, {"id": bank_id, "all": True}, token=editor))["node"]["questions"]["edges"]
    assert [e["node"]["stem"] for e in stored] == ["冰毒的化学名称是？"]


async def test_retiring_takes_a_question_out_of_quizzes_but_never_empties_one(gql: GraphQLClient) -> None:
    editor = await token_for("editor", Role.EDITOR)
    bank_id = await create_bank(gql, editor)
    first = await _question(gql, editor, bank_id, CHOICE)
    second = await _question(gql, editor, bank_id, {**CHOICE, "stem": "海洛因属于？"})
    quiz_id = await publish_quiz(gql, editor, questionIds=[first["id"], second["id"]])
    retired = (await gql.ok(RETIRE, {"id": first["id"]}, token=editor))["retireQuestion"]
    assert retired["errors"] == [] and retired["question"]["retiredAt"]
    quiz = (await gql.ok(QUIZ, {"id": quiz_id}, token=editor))["quiz"]
    assert quiz["questionCount"] == 1 and [q["id"] for q in quiz["questions"]] == [second["id"]]
    last = (await gql.ok(RETIRE, {"id": second["id"]}, token=editor))["retireQuestion"]
    assert last["question"] is None and "禁毒知识测验" in last["errors"][0]["message"]
    # A drawing quiz keeps enough questions in its bank.
    drawing = await publish_quiz(gql, editor, drawFromBankId=bank_id, drawCount=1)
    assert drawing
    refused = (await gql.ok(RETIRE, {"id": second["id"]}, token=editor))["retireQuestion"]
    assert refused["question"] is None and refused["errors"][0]["code"] == "INVALID"


async def test_update_bank_and_quiz_settings(gql: GraphQLClient) -> None:
    editor = await token_for("editor", Role.EDITOR)
    bank_id = await create_bank(gql, editor)
    renamed = await gql.ok(
        UPDATE_BANK, {"id": bank_id, "input": {"name": " 新名 ", "description": "说明"}}, token=editor
    )
    assert renamed["updateQuestionBank"]["bank"] == {"id": bank_id, "name": "新名", "description": "说明"}
    empty = await gql.ok(UPDATE_BANK, {"id": bank_id, "input": {"name": " "}}, token=editor)
    assert empty["updateQuestionBank"]["errors"][0]["field"] == "input.name"

    first = await _question(gql, editor, bank_id, CHOICE)
    second = await _question(gql, editor, bank_id, {**CHOICE, "stem": "海洛因属于？"})
    quiz_id = await publish_quiz(gql, editor, questionIds=[first["id"]])
    patch = {
        "title": "改名",
        "timeLimitSeconds": 600,
        "maxAttempts": 3,
        "passingScore": 80,
        "questionIds": [second["id"], first["id"]],
    }
    updated = (await gql.ok(UPDATE_QUIZ, {"id": quiz_id, "patch": patch}, token=editor))["updateQuiz"]
    assert updated["errors"] == []
    quiz = updated["quiz"]
    assert (quiz["title"], quiz["timeLimitSeconds"], quiz["maxAttempts"], quiz["passingScore"]) == ("改名", 600, 3, 80)
    assert [q["id"] for q in quiz["questions"]] == [second["id"], first["id"]] and quiz["questionCount"] == 2
    cleared = await gql.ok(UPDATE_QUIZ, {"id": quiz_id, "patch": {"timeLimitSeconds": None}}, token=editor)
    assert cleared["updateQuiz"]["quiz"]["timeLimitSeconds"] is None
    assert cleared["updateQuiz"]["quiz"]["title"] == "改名"  # what the patch left out stays
    drawn = await gql.ok(
        UPDATE_QUIZ, {"id": quiz_id, "patch": {"drawFromBankId": bank_id, "drawCount": 2}}, token=editor
    )
    assert drawn["updateQuiz"]["quiz"]["drawFromBank"] == {"id": bank_id}
    assert drawn["updateQuiz"]["quiz"]["questions"] == [] and drawn["updateQuiz"]["quiz"]["questionCount"] == 2
    bad = await gql.ok(UPDATE_QUIZ, {"id": quiz_id, "patch": {"passingScore": 120, "title": None}}, token=editor)
    assert bad["updateQuiz"]["quiz"] is None
    assert {e["field"] for e in bad["updateQuiz"]["errors"]} == {"patch.passingScore", "patch.title"}
