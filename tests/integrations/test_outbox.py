"""The outbox on the hot paths: one statement whatever the fan-out, rows only for subscribers, ids only for consultations."""

from __future__ import annotations

from typing import Any

from models.base import Role
from models.integrations import Channel, DeliveryStatus, LearningRecordStore, OutboxMessage, WebhookEndpoint
from resolvers.integrations import events
from schema.relay import to_global_id
from settings import Settings
from tests.accounts.factories import token_for
from tests.consultations import factories as f
from tests.helpers import GraphQLClient, count_statements
from tests.integrations.helpers import admin_token, deliverer, drain, organization, register_endpoint
from tests.integrations.receiver import receiving
from tests.quizzes.factories import START, SUBMIT
from tests.quizzes.test_quizzes_batching import _quiz_of, _wrong_answers


async def _submit(gql: GraphQLClient, token: str, quiz_id: str) -> list[str]:
    attempt = (await gql.ok(START, {"quizId": quiz_id}, token=token))["startQuizAttempt"]["attempt"]
    with count_statements() as counter:
        await gql.ok(SUBMIT, {"input": {"attemptId": attempt["id"], "answers": _wrong_answers(attempt)}}, token=token)
    return counter.statements


def _outbox_statements(statements: list[str]) -> list[str]:
    return [s for s in statements if "outbox_message" in s]


async def test_submitting_costs_one_statement_with_or_without_subscribers(gql: GraphQLClient) -> None:
    school, elsewhere = await organization("一中"), await organization("二中")
    quiz_id = await _quiz_of(5)
    lonely = await token_for("lonely", Role.LEARNER, organization_id=elsewhere.id)
    quiet = await _submit(gql, lonely, quiz_id)
    await WebhookEndpoint.create(
        url="https://93.184.215.14/a",
        events_key="|quiz.attempt_submitted|",
        organization_id=school.id,
        secret_sealed="x",
    )
    await WebhookEndpoint.create(
        url="https://93.184.215.14/b",
        events_key="|quiz.attempt_submitted|",
        organization_id=school.id,
        secret_sealed="x",
    )
    await LearningRecordStore.create(
        organization_id=school.id,
        endpoint="https://93.184.215.14/xAPI",
        username="u",
        password_sealed="x",
        account_home_page="https://lms.example.org",
    )
    pupil = await token_for("pupil", Role.LEARNER, organization_id=school.id)
    busy = await _submit(gql, pupil, quiz_id)
    assert len(_outbox_statements(quiet)) == len(_outbox_statements(busy)) == 1
    assert len(quiet) == len(busy), "the fan-out to two endpoints and an LRS adds no statement"
    rows = await OutboxMessage.all().order_by("id")
    assert [(r.channel, r.event_type) for r in rows] == [
        (Channel.WEBHOOK, "quiz.attempt_submitted"),
        (Channel.WEBHOOK, "quiz.attempt_submitted"),
        (Channel.XAPI, "quiz.attempt_submitted"),
    ]
    assert rows[0].payload["correctCount"] == 0 and rows[0].payload["questionCount"] == 5


async def test_another_organizations_endpoint_never_hears_of_a_learner(gql: GraphQLClient) -> None:
    school, other = await organization("一中"), await organization("二中")
    await WebhookEndpoint.create(
        url="https://93.184.215.14/a",
        events_key="|quiz.attempt_submitted|",
        organization_id=other.id,
        secret_sealed="x",
    )
    await WebhookEndpoint.create(
        url="https://93.184.215.14/p", events_key="|quiz.attempt_submitted|", organization_id=None, secret_sealed="x"
    )
    pupil = await token_for("pupil", Role.LEARNER, organization_id=school.id)
    await _submit(gql, pupil, await _quiz_of(3))
    assert await OutboxMessage.all().count() == 0


async def test_consultation_activity_carries_ids_and_kind_only(gql: GraphQLClient, settings: Settings) -> None:
    admin = await admin_token()
    expert = await f.expert("wangdoc")
    client = await f.client("ming", display_name="小明")
    async with receiving() as receiver:
        registered = await register_endpoint(gql, admin, receiver.url, ["CONSULTATION_ACTIVITY"])
        school = await organization()
        await WebhookEndpoint.create(
            url=receiver.url,
            events_key="|consultation.activity|",
            organization_id=school.id,
            secret_sealed="x",
            allow_private_network=True,
        )
        consultation = await f.thread(client, expert, subject="复吸的担心", body="我昨晚很想再用一次。")
        await drain(deliverer(settings))
    assert len(receiver.requests) == 1, "only the platform-wide endpoint, once"
    body = receiver.requests[0].body.decode()
    for secret in ("复吸的担心", "我昨晚很想再用一次", "小明", "Wangdoc", "ming", "wangdoc"):
        assert secret not in body
    import orjson

    data: dict[str, Any] = orjson.loads(body)["data"]
    assert data == {
        "consultationId": to_global_id("Consultation", consultation.id),
        "kind": "CONSULTATION_OPENED",
        "recipientIds": [to_global_id("User", expert.user_id)],
        "messageId": data["messageId"],
    }
    assert registered["endpoint"]["organization"] is None


def test_global_ids_agree_with_the_schema() -> None:
    assert events.global_id("Lesson", 42) == to_global_id("Lesson", 42)


async def test_settled_messages_are_forgotten_after_the_retention_period(db: str) -> None:
    from datetime import UTC, datetime, timedelta

    from resolvers.integrations import outbox

    old, recent = datetime.now(UTC) - timedelta(days=31), datetime.now(UTC) - timedelta(days=1)
    for n, (status, finished) in enumerate(
        [
            (DeliveryStatus.DELIVERED, old),
            (DeliveryStatus.FAILED, old),
            (DeliveryStatus.DELIVERED, recent),
            (DeliveryStatus.PENDING, None),
        ]
    ):
        await OutboxMessage.create(
            uid=f"m{n}",
            channel=Channel.WEBHOOK,
            target_id=1,
            event_type="content.published",
            payload={},
            status=status,
            next_attempt_at=old,
            created_at=old,
            finished_at=finished,
        )
    assert await outbox.purge_finished(timedelta(days=30)) == 2
    assert sorted(await OutboxMessage.all().values_list("uid", flat=True)) == ["m2", "m3"]


async def test_an_idle_dispatcher_pays_one_read_per_poll_and_takes_no_write_lock(settings: Settings) -> None:
    from datetime import UTC, datetime, timedelta

    later, now = datetime.now(UTC) + timedelta(hours=1), datetime.now(UTC)
    # Nothing due: a retry scheduled for later, a message another process holds the lease of, a settled one.
    for uid, due, locked, status in [
        ("later", later, None, DeliveryStatus.PENDING),
        ("leased", now, later, DeliveryStatus.PENDING),
        ("done", now, None, DeliveryStatus.DELIVERED),
    ]:
        await OutboxMessage.create(
            uid=uid,
            channel=Channel.WEBHOOK,
            target_id=1,
            event_type="content.published",
            payload={},
            status=status,
            next_attempt_at=due,
            locked_until=locked,
            created_at=now,
        )
    worker = deliverer(settings)
    with count_statements() as idle:
        assert await worker.run_once() == 0
    # One SELECT: the claim is an UPDATE, which on SQLite takes the single write lock even when it changes nothing.
    assert len(idle.statements) == 1, idle.statements
    assert idle.statements[0].lstrip().upper().startswith("SELECT"), idle.statements
    assert await OutboxMessage.filter(lease_token__isnull=False).count() == 0
    # Once something is due the same read lets the claim through.
    await OutboxMessage.filter(uid="later").update(next_attempt_at=now)
    assert await worker.run_once() == 1
