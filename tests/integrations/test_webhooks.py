"""Webhooks: a published lesson reaches a local receiver once, signed the Standard Webhooks way; retries,
rollbacks, delivery history, redelivery, disabling after failing, and what payloads never carry."""

from __future__ import annotations

from datetime import timedelta

import orjson
import pytest
from standardwebhooks import Webhook
from tortoise.transactions import in_transaction

from models.content import ContentItem, ContentType, PublicationStatus
from models.integrations import Channel, DeliveryStatus, NoticeSettings, OutboxMessage, WebhookEndpoint
from resolvers.content import items
from settings import Settings
from tests.content.factories import CREATE_LESSON, SET_LESSON_STATUS, editor_token
from tests.helpers import GraphQLClient
from tests.integrations.helpers import ENDPOINT_DELIVERIES, admin_token, deliverer, drain, register_endpoint
from tests.integrations.receiver import Receiver, receiving

BODY = "冰毒会损害大脑。这段正文绝不能出现在 webhook 里。"


async def _publish_lesson(gql: GraphQLClient, token: str, title: str = "认识冰毒") -> str:
    created = await gql.ok(
        CREATE_LESSON, {"input": {"title": title, "section": "COURSEWARE", "body": BODY}}, token=token
    )
    lesson_id = created["createLesson"]["lesson"]["id"]
    published = await gql.ok(SET_LESSON_STATUS, {"id": lesson_id, "status": "PUBLISHED"}, token=token)
    assert published["setLessonStatus"]["errors"] == []
    return str(lesson_id)


async def test_a_published_lesson_is_delivered_once_signed(gql: GraphQLClient, settings: Settings) -> None:
    admin, editor = await admin_token(), await editor_token()
    async with receiving() as receiver:
        registered = await register_endpoint(gql, admin, receiver.url, ["CONTENT_PUBLISHED"])
        lesson_id = await _publish_lesson(gql, editor)
        await drain(deliverer(settings))
    assert len(receiver.requests) == 1
    request = receiver.requests[0]
    # The reference check of the Standard Webhooks library: id, timestamp and body under the secret shown once.
    event = Webhook(registered["secret"]).verify(request.body, request.headers)
    assert event["type"] == "content.published"
    assert event["data"] == {
        "id": lesson_id,
        "type": "LESSON",
        "slug": event["data"]["slug"],
        "locale": "zh-CN",
        "version": 2,
    }
    assert BODY.encode() not in request.body and "冰毒会损害" not in request.body.decode()
    with pytest.raises(Exception, match="signature"):
        Webhook("whsec_" + "QUJD" * 8).verify(request.body, request.headers)


async def test_an_edited_draft_and_an_unsubscribed_event_deliver_nothing(
    gql: GraphQLClient, settings: Settings
) -> None:
    admin, editor = await admin_token(), await editor_token()
    async with receiving() as receiver:
        await register_endpoint(gql, admin, receiver.url, ["CONTENT_ARCHIVED"])
        created = await gql.ok(
            CREATE_LESSON, {"input": {"title": "草稿", "section": "COURSEWARE", "body": BODY}}, token=editor
        )
        lesson_id = created["createLesson"]["lesson"]["id"]
        await gql.ok(SET_LESSON_STATUS, {"id": lesson_id, "status": "IN_REVIEW"}, token=editor)
        await gql.ok(SET_LESSON_STATUS, {"id": lesson_id, "status": "PUBLISHED"}, token=editor)
        await drain(deliverer(settings))
        assert receiver.requests == []
        await gql.ok(SET_LESSON_STATUS, {"id": lesson_id, "status": "ARCHIVED"}, token=editor)
        await drain(deliverer(settings))
    assert [orjson.loads(r.body)["type"] for r in receiver.requests] == ["content.archived"]


async def test_a_receiver_that_fails_twice_gets_the_third_try(gql: GraphQLClient, settings: Settings) -> None:
    admin, editor = await admin_token(), await editor_token()
    async with receiving(Receiver(fail_first=2)) as receiver:
        registered = await register_endpoint(gql, admin, receiver.url, ["CONTENT_PUBLISHED"])
        await _publish_lesson(gql, editor)
        await drain(deliverer(settings))
    assert len(receiver.requests) == 3
    assert len(set(receiver.ids())) == 1, "every try carries the same webhook-id"
    history = (await gql.ok(ENDPOINT_DELIVERIES, {"id": registered["endpoint"]["id"]}, token=admin))["node"]
    delivery = history["deliveries"]["edges"][0]["node"]
    assert delivery["status"] == "DELIVERED" and delivery["attemptCount"] == 3
    assert [(a["responseStatus"], a["succeeded"]) for a in delivery["attempts"]] == [
        (500, False),
        (500, False),
        (204, True),
    ]
    assert history["failingSince"] is None and history["enabled"] is True


async def test_a_rolled_back_change_delivers_nothing(gql: GraphQLClient, settings: Settings) -> None:
    admin, editor = await admin_token(), await editor_token()
    created = await gql.ok(
        CREATE_LESSON, {"input": {"title": "回滚", "section": "COURSEWARE", "body": BODY}}, token=editor
    )
    pk = int(ContentItem.__name__ and (await ContentItem.filter(title="回滚").values_list("id", flat=True))[0])
    async with receiving() as receiver:
        await register_endpoint(gql, admin, receiver.url, ["CONTENT_PUBLISHED"])
        with pytest.raises(RuntimeError):
            async with in_transaction():
                await items.set_status(None, ContentType.LESSON, pk, PublicationStatus.PUBLISHED)
                assert await OutboxMessage.filter(channel=Channel.WEBHOOK).count() == 1  # written with the change…
                raise RuntimeError("the change fails after the event was written")
        assert await OutboxMessage.all().count() == 0  # …and gone with it
        assert await drain(deliverer(settings)) == 0
    assert receiver.requests == []
    assert created["createLesson"]["lesson"]["status"] == "DRAFT"


async def test_redelivery_sends_the_same_event_again(gql: GraphQLClient, settings: Settings) -> None:
    admin, editor = await admin_token(), await editor_token()
    async with receiving() as receiver:
        registered = await register_endpoint(gql, admin, receiver.url, ["CONTENT_PUBLISHED"])
        await _publish_lesson(gql, editor)
        await drain(deliverer(settings))
        history = (await gql.ok(ENDPOINT_DELIVERIES, {"id": registered["endpoint"]["id"]}, token=admin))["node"]
        delivery = history["deliveries"]["edges"][0]["node"]
        again = await gql.ok(
            "mutation($id: ID!) { redeliverWebhook(id: $id) { delivery { status } errors { code } } }",
            {"id": delivery["id"]},
            token=admin,
        )
        assert again["redeliverWebhook"] == {"delivery": {"status": "PENDING"}, "errors": []}
        await drain(deliverer(settings))
    assert receiver.ids() == [delivery["webhookId"]] * 2


async def test_an_endpoint_failing_past_the_window_is_disabled_and_its_owner_told(
    gql: GraphQLClient, settings: Settings
) -> None:
    admin, editor = await admin_token(), await editor_token()
    from resolvers.accounts import authenticate

    admin_user = (await authenticate(admin)).user_id
    await NoticeSettings.create(user_id=admin_user, email="admin@example.org")
    async with receiving(Receiver(fail_first=10_000)) as receiver:
        registered = await register_endpoint(gql, admin, receiver.url, ["CONTENT_PUBLISHED", "CONTENT_ARCHIVED"])
        pk = await _pk(registered["endpoint"]["id"])
        await _publish_lesson(gql, editor)
        worker = deliverer(settings)  # the real three-day window
        assert await worker.run_once() == 1
        # The first failure starts the clock and the endpoint stays on…
        started = await WebhookEndpoint.get(id=pk)
        assert started.enabled is True and started.failing_since is not None
        # …three days later (the clock set back rather than waited for), the next failure disables it.
        await WebhookEndpoint.filter(id=pk).update(failing_since=started.failing_since - timedelta(days=3, seconds=1))
        await drain(worker, rounds=200)
    endpoint = await WebhookEndpoint.get(id=pk)
    assert (
        endpoint.enabled is False
        and endpoint.disabled_at is not None
        and "failed since" in (endpoint.disabled_reason or "")
    )
    assert len(receiver.requests) >= 2
    assert await OutboxMessage.filter(channel=Channel.WEBHOOK, status=DeliveryStatus.PENDING).count() == 0
    notice = await OutboxMessage.get(channel=Channel.EMAIL, target_id=admin_user)
    assert notice.payload["kind"] == "ENDPOINT_DISABLED"


async def _pk(global_id: str) -> int:
    from schema.relay import parse_global_id

    parsed = parse_global_id(global_id)
    assert parsed is not None
    return parsed[1]


async def test_a_test_event_reaches_only_its_endpoint(gql: GraphQLClient, settings: Settings) -> None:
    admin = await admin_token()
    async with receiving() as mine, receiving() as other:
        registered = await register_endpoint(gql, admin, mine.url, ["CONTENT_PUBLISHED"])
        await register_endpoint(gql, admin, other.url, ["CONTENT_PUBLISHED"])
        sent = await gql.ok(
            "mutation($id: ID!) { sendTestWebhook(id: $id) { delivery { eventType status } errors { code } } }",
            {"id": registered["endpoint"]["id"]},
            token=admin,
        )
        assert sent["sendTestWebhook"] == {"delivery": {"eventType": "webhook.test", "status": "PENDING"}, "errors": []}
        await drain(deliverer(settings))
    assert other.requests == []
    event = Webhook(registered["secret"]).verify(mine.requests[0].body, mine.requests[0].headers)
    assert event == {
        "type": "webhook.test",
        "timestamp": event["timestamp"],
        "data": {"endpointId": registered["endpoint"]["id"]},
    }
