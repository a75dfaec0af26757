"""Helpers for the quiz tests: GraphQL documents, multipart uploads, answers built from answer keys."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from tests.helpers import GraphQLClient, Response

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "quizzes"

CREATE_BANK = """
mutation ($input: QuestionBankInput!) { createQuestionBank(input: $input) { bank { id name } errors { field code message } } }"""
IMPORT = """
mutation ($input: ImportQuestionsInput!) {
  importQuestions(input: $input) { importedCount questions { id type stem } errors { field code message } notes }
}"""
CREATE_QUESTION = """
mutation ($input: QuestionInput!) {
  createQuestion(input: $input) { question { id type stem options { id text } matchTargets { id text } } errors { field code message } }
}"""
CREATE_QUIZ = """
mutation ($input: QuizInput!) { createQuiz(input: $input) { quiz { id title status questionCount } errors { field code message } } }"""
SET_STATUS = """
mutation ($id: ID!, $status: PublicationStatus!) { setQuizStatus(id: $id, status: $status) { quiz { id status } errors { field code } } }"""
BANK_QUESTIONS = """
query ($id: ID!) { node(id: $id) { ... on QuestionBank { questionCount questions(first: 100) { edges { node {
  id type stem options { id text } matchTargets { id text }
  answerKey { correctOptionIds acceptedAnswers matches { optionId targetId } order explanation } } } } } } }"""
ATTEMPT_FIELDS = """
  id status startedAt deadline submittedAt totalCount correctCount score passed quiz { id title }
  items { position selectedOptionIds text matches { optionId targetId } order correct
    question { id type stem difficulty audiences tags { slug name } media { id kind url } options { id text } matchTargets { id text }
      answerKey { correctOptionIds acceptedAnswers matches { optionId targetId } order explanation } } }
"""
START = (
    "mutation ($quizId: ID!) { startQuizAttempt(quizId: $quizId) { attempt {"
    + ATTEMPT_FIELDS
    + "} errors { field code message } } }"
)
PRACTICE = (
    "mutation ($input: PracticeInput!) { startPractice(input: $input) { attempt {"
    + ATTEMPT_FIELDS
    + "} errors { field code message } } }"
)
SAVE = "mutation ($input: SubmitAttemptInput!) { saveAttemptAnswers(input: $input) { attempt { id status } errors { field code message } } }"
SUBMIT = (
    "mutation ($input: SubmitAttemptInput!) { submitQuizAttempt(input: $input) { attempt {"
    + ATTEMPT_FIELDS
    + "} errors { field code message } } }"
)
ATTEMPT = "query ($id: ID!) { node(id: $id) { ... on QuizAttempt {" + ATTEMPT_FIELDS + "} } }"
WRONG = """
query ($all: Boolean) { viewer { wrongQuestions(first: 50, includeMastered: $all) { totalCount edges { node {
  timesWrong lastWrongAt mastered question { id stem answerKey { explanation } } } } } } }"""


async def upload(
    gql: GraphQLClient, token: str, document: str, variables: dict[str, Any], path: str, name: str, content: bytes
) -> Response:
    """A GraphQL multipart request (the upload spec), with the CSRF preflight header."""
    operations = json.dumps({"query": document, "variables": variables})
    response = await gql.http.post(
        "/graphql",
        data={"operations": operations, "map": json.dumps({"0": [path]})},
        files={"0": (name, content, "application/octet-stream")},
        headers={"Authorization": f"Bearer {token}", "Apollo-Require-Preflight": "true"},
    )
    return Response(response.status_code, response.json(), response.headers)


async def create_bank(gql: GraphQLClient, token: str, name: str = "禁毒知识题库") -> str:
    data = await gql.ok(CREATE_BANK, {"input": {"name": name}}, token=token)
    assert data["createQuestionBank"]["errors"] == []
    return data["createQuestionBank"]["bank"]["id"]


async def import_file(gql: GraphQLClient, token: str, bank_id: str, format: str, filename: str) -> dict[str, Any]:
    content = (FIXTURES / filename).read_bytes()
    result = await upload(
        gql,
        token,
        IMPORT,
        {"input": {"bankId": bank_id, "format": format, "file": None}},
        "variables.input.file",
        filename,
        content,
    )
    assert result.status == 200 and not result.errors, result.body
    return result.data["importQuestions"]


async def bank_questions(gql: GraphQLClient, token: str, bank_id: str) -> list[dict[str, Any]]:
    data = await gql.ok(BANK_QUESTIONS, {"id": bank_id}, token=token)
    return [e["node"] for e in data["node"]["questions"]["edges"]]


async def publish_quiz(gql: GraphQLClient, token: str, **fields: Any) -> str:
    data = await gql.ok(CREATE_QUIZ, {"input": {"title": "禁毒知识测验", **fields}}, token=token)
    assert data["createQuiz"]["errors"] == [], data
    quiz_id = data["createQuiz"]["quiz"]["id"]
    published = await gql.ok(SET_STATUS, {"id": quiz_id, "status": "PUBLISHED"}, token=token)
    assert published["setQuizStatus"]["quiz"]["status"] == "PUBLISHED"
    return quiz_id


def answer_for(question: dict[str, Any], key: dict[str, Any], *, right: bool = True) -> dict[str, Any]:
    """An answer to a question, right or wrong, built from its answer key."""
    kind = question["type"]
    answer: dict[str, Any] = {"questionId": question["id"]}
    if kind in ("SINGLE_CHOICE", "TRUE_FALSE", "MULTIPLE_CHOICE"):
        correct = key["correctOptionIds"]
        wrong = [o["id"] for o in question["options"] if o["id"] not in correct][:1]
        answer["selectedOptionIds"] = correct if right else wrong
    elif kind == "FILL_IN_BLANK":
        # Full-width input, as a Chinese keyboard types it, must equal the half-width key.
        text = key["acceptedAnswers"][0]
        answer["text"] = _full_width(text) if right else text + "不对"
    elif kind == "MATCHING":
        pairs = key["matches"]
        if not right:
            targets = [p["targetId"] for p in pairs]
            pairs = [
                {"optionId": p["optionId"], "targetId": t}
                for p, t in zip(pairs, targets[1:] + targets[:1], strict=True)
            ]
        answer["matches"] = pairs
    elif kind == "ORDERING":
        answer["order"] = key["order"] if right else list(reversed(key["order"]))
    return answer


def _full_width(text: str) -> str:
    return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in text)
