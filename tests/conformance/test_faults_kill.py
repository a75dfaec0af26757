"""`beacon serve` SIGKILLed while a quiz submission or a message send is in flight.

Each trial writes the request on a raw socket, waits a little (0 to 40 ms: before, during and
after the server's transaction), kills the process, starts a new one on the same database and
checks what a client would find: graded once or not at all, stored once or not at all, and
anything the killed process had already answered with success is there.
"""

from __future__ import annotations

import asyncio
import json
import time
from pathlib import Path
from typing import Any

import httpx

from models.base import Role
from models.consultations import ConsultationMessage
from models.quizzes import Attempt, AttemptItem, WrongQuestion
from schema.relay import decode_id
from tests.accounts.factories import token_for
from tests.consultations import factories as f
from tests.helpers import GraphQLClient
from tests.live import LiveServer
from tests.quizzes.factories import (
    CREATE_QUESTION,
    START,
    SUBMIT,
    answer_for,
    bank_questions,
    create_bank,
    publish_quiz,
)

DELAYS = (0.0, 0.004, 0.012, 0.04)
SEND = """mutation($input: SendMessageInput!) {
  sendMessage(input: $input) { message { id body } errors { code message } }
}"""


async def post_then_kill(server: LiveServer, token: str, query: str, variables: dict[str, Any], delay: float) -> Any:
    """Send a GraphQL POST, SIGKILL the server `delay` seconds later; the response body if one came back whole."""
    body = json.dumps({"query": query, "variables": variables}).encode()
    reader, writer = await asyncio.open_connection("127.0.0.1", server.port)
    writer.write(
        (
            f"POST /graphql HTTP/1.1\r\nHost: 127.0.0.1:{server.port}\r\nContent-Type: application/json\r\n"
            f"Authorization: Bearer {token}\r\nContent-Length: {len(body)}\r\nConnection: close\r\n\r\n"
        ).encode()
        + body
    )
    await writer.drain()
    await asyncio.sleep(delay)
    server.stop(kill=True)
    try:
        raw = await asyncio.wait_for(reader.read(), 5)
    except (TimeoutError, ConnectionError):
        raw = b""
    finally:
        writer.close()
    head, _, payload = raw.partition(b"\r\n\r\n")
    if not head.startswith(b"HTTP/1.1 200"):
        return None
    try:
        return json.loads(payload)
    except ValueError:
        return None  # cut off mid-body


async def graphql(server: LiveServer, token: str, query: str, variables: dict[str, Any]) -> Any:
    async with httpx.AsyncClient(timeout=20) as http:
        response = await http.post(
            server.graphql, json={"query": query, "variables": variables}, headers={"Authorization": f"Bearer {token}"}
        )
    body = response.json()
    assert response.status_code == 200 and not body.get("errors"), body
    return body["data"]


async def test_killed_during_quiz_submission(once: None, gql: GraphQLClient, db: str, data_dir: Path) -> None:
    editor = await token_for("editor", Role.EDITOR)
    learner = await token_for("learner")
    bank_id = await create_bank(gql, editor)
    for n in range(3):
        created = await gql.ok(
            CREATE_QUESTION,
            {
                "input": {
                    "bankId": bank_id,
                    "type": "SINGLE_CHOICE",
                    "stem": f"第{n + 1}题：哪一项是毒品？",
                    "options": [{"text": "冰毒", "correct": True}, {"text": "维生素C"}, {"text": "牛奶"}],
                }
            },
            token=editor,
        )
        assert created["createQuestion"]["errors"] == []
    questions = await bank_questions(gql, editor, bank_id)
    keys = {q["id"]: q["answerKey"] for q in questions}
    quiz_id = await publish_quiz(gql, editor, questionIds=[q["id"] for q in questions])

    outcomes: list[str] = []
    restarts: list[float] = []
    server = LiveServer(db, data_dir).start()
    try:
        for trial, delay in enumerate(DELAYS, start=1):
            attempt = (await gql.ok(START, {"quizId": quiz_id}, token=learner))["startQuizAttempt"]["attempt"]
            attempt_pk = decode_id(attempt["id"], "QuizAttempt", field="id")
            wrong = [answer_for(i["question"], keys[i["question"]["id"]], right=False) for i in attempt["items"]]
            submit = {"input": {"attemptId": attempt["id"], "answers": wrong}}
            answered = await post_then_kill(server, learner, SUBMIT, submit, delay)
            restarting = time.monotonic()
            server = LiveServer(db, data_dir).start()  # the restart
            restarts.append(time.monotonic() - restarting)

            stored = await Attempt.get(id=attempt_pk)
            if answered is not None:  # the killed process said it was graded: it must be
                assert answered["data"]["submitQuizAttempt"]["attempt"]["status"] == "SUBMITTED"
                assert stored.status == "SUBMITTED"
            assert stored.status in ("SUBMITTED", "IN_PROGRESS")
            outcomes.append(
                "answered" if answered else "graded, answer lost" if stored.status == "SUBMITTED" else "not graded"
            )
            if stored.status == "IN_PROGRESS":  # nothing of the grading is there, and it can be submitted once
                assert stored.submitted_at is None and stored.score is None
                assert all(i.correct is None for i in await AttemptItem.filter(attempt_id=attempt_pk))
            # Submitting again after the restart grades it once or returns the first grading.
            again = (await graphql(server, learner, SUBMIT, submit))["submitQuizAttempt"]["attempt"]
            twice = (await graphql(server, learner, SUBMIT, submit))["submitQuizAttempt"]["attempt"]
            assert again["status"] == twice["status"] == "SUBMITTED" and again["score"] == twice["score"] == 0
            assert again["submittedAt"] == twice["submittedAt"]
            assert await AttemptItem.filter(attempt_id=attempt_pk).count() == 3
            # Every attempt so far was graded exactly once: each wrong answer counted once per attempt.
            assert [w.times_wrong for w in await WrongQuestion.filter(user__username="learner")] == [trial] * 3
        assert await Attempt.filter(status="SUBMITTED").count() == len(DELAYS)
    finally:
        server.stop()
    # Recovery = a new process on the same database answering (LiveServer.start waits for /healthz): printed, not asserted.
    print(f"quiz submission kills: {outcomes}; a restarted server ready in {max(restarts):.2f} s at worst")


async def test_killed_during_message_send(once: None, db: str, data_dir: Path) -> None:
    outcomes = []
    server = LiveServer(db, data_dir).start()
    try:
        for trial, delay in enumerate(DELAYS):
            # A fresh pair per trial: one message per person every 3 seconds.
            chosen = await f.expert(f"expert{trial}")
            me = await f.client(f"client{trial}")
            consultation = await f.thread(me, chosen)
            cid = f.gid("Consultation", consultation.id)
            send = {"input": {"consultationId": cid, "body": f"回复 {trial}", "clientMessageId": f"reply-{trial}"}}
            answered = await post_then_kill(server, chosen.token, SEND, send, delay)
            server = LiveServer(db, data_dir).start()

            stored = await ConsultationMessage.filter(
                consultation_id=consultation.id, client_message_id=f"reply-{trial}"
            )
            assert len(stored) <= 1
            if answered is not None:
                assert answered["data"]["sendMessage"]["errors"] == []
                assert [f.gid("Message", m.id) for m in stored] == [answered["data"]["sendMessage"]["message"]["id"]]
            outcomes.append("answered" if answered else "stored, answer lost" if stored else "not stored")
            # The client resends the same clientMessageId after the restart: stored once, the same message.
            resent = (await graphql(server, chosen.token, SEND, send))["sendMessage"]
            assert resent["errors"] == [], resent
            after = await ConsultationMessage.filter(
                consultation_id=consultation.id, client_message_id=f"reply-{trial}"
            )
            assert len(after) == 1 and f.gid("Message", after[0].id) == resent["message"]["id"]
            if stored:
                assert after[0].id == stored[0].id
            assert await ConsultationMessage.filter(consultation_id=consultation.id).count() == 2  # opening + reply
    finally:
        server.stop()
    print(f"message send kills: {outcomes}")
