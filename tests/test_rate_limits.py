"""Rate limits say when (issue 12): every RATE_LIMITED carries retryAfterSeconds; a refused request, Retry-After."""

from __future__ import annotations

import json

from graphql import GraphQLError

from models.base import Role
from resolvers.errors import RateLimited
from schema.errors import coded_error, user_errors
from tests.accounts.factories import make_user
from tests.consultations import factories as f
from tests.content.factories import UPLOAD_ATTACHMENT, upload_attachment, wav_bytes
from tests.helpers import GraphQLClient

OPEN = (
    "mutation($input: OpenConsultationInput!) { openConsultation(input: $input) "
    "{ consultation { id } errors { code retryAfterSeconds } } }"
)
SEND = "mutation($input: SendMessageInput!) { sendMessage(input: $input) { message { id } errors { code retryAfterSeconds } } }"
LOGIN = (
    'mutation { login(input: {username: "alice", password: "wrong password!"}) { errors { code retryAfterSeconds } } }'
)


async def test_payload_errors_say_when_to_try_again(gql: GraphQLClient) -> None:
    chosen = await f.expert("when-expert")
    me = await f.client("when-client")
    opened = [
        (
            await gql.ok(
                OPEN, {"input": {"expertId": chosen.gid, "subject": f"问题{i}", "message": "你好"}}, token=me.token
            )
        )["openConsultation"]
        for i in range(6)
    ]
    assert [o["errors"] for o in opened[:5]] == [[]] * 5
    # Five a day: the sixth may try again when the first of the five is a day old.
    [refused] = opened[5]["errors"]
    assert refused["code"] == "RATE_LIMITED" and 86_000 < refused["retryAfterSeconds"] <= 86_400
    consultation = opened[0]["consultation"]["id"]
    first = (await gql.ok(SEND, {"input": {"consultationId": consultation, "body": "一"}}, token=me.token))[
        "sendMessage"
    ]
    second = (await gql.ok(SEND, {"input": {"consultationId": consultation, "body": "二"}}, token=me.token))[
        "sendMessage"
    ]
    assert first["errors"] == []
    assert second["errors"][0]["code"] == "RATE_LIMITED" and 1 <= second["errors"][0]["retryAfterSeconds"] <= 3
    # Other errors carry no wait.
    await make_user("alice")
    assert (await gql.ok(LOGIN))["login"]["errors"] == [{"code": "INVALID", "retryAfterSeconds": None}]


def test_graphql_errors_carry_the_wait_in_their_extensions() -> None:
    raised = RateLimited("Slow down.", retry_after=12.2)
    coded = coded_error(GraphQLError("Slow down.", original_error=raised), None)
    assert coded.extensions == {"code": "RATE_LIMITED", "retryAfterSeconds": 13}
    assert [e.retry_after_seconds for e in user_errors(raised)] == [13]
    assert RateLimited("now", retry_after=0).retry_after == 1  # never "retry after 0 seconds"


async def test_a_refused_upload_request_has_retry_after_and_the_same_in_its_body(gql: GraphQLClient) -> None:
    learner = await f.consenting_token("hourly", Role.CLIENT)  # attachments need one's own consent (11.7)
    for _ in range(30):  # BEACON_UPLOADS_PER_HOUR
        _, body = await upload_attachment(gql, learner, wav_bytes(), "a.wav")
        assert body["data"]["uploadAttachment"]["errors"] == [], body
    operations = {"query": UPLOAD_ATTACHMENT, "variables": {"file": None}}
    refused = await gql.http.post(
        "/graphql",
        data={"operations": json.dumps(operations), "map": json.dumps({"0": ["variables.file"]})},
        files={"0": ("a.wav", wav_bytes(), "audio/wav")},
        headers={"Authorization": f"Bearer {learner}", "Apollo-Require-Preflight": "true"},
    )
    assert refused.status_code == 429
    [error] = refused.json()["errors"]
    wait = error["extensions"]["retryAfterSeconds"]
    assert error["extensions"]["code"] == "RATE_LIMITED" and 3500 < wait <= 3600
    assert refused.headers["retry-after"] == str(wait)
