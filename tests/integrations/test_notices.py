"""E-mail notices through a real SMTP server: content-free, only for what is still unread, per kind."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from models.integrations import Channel, DeliveryStatus, NoticeSettings, OutboxMessage
from resolvers import accounts
from resolvers.consultations import threads
from resolvers.events import InProcessEventBus
from resolvers.integrations.delivery import Deliverer
from schema.relay import to_global_id
from settings import Settings
from tests.consultations import factories as f
from tests.helpers import GraphQLClient
from tests.integrations.helpers import deliverer
from tests.integrations.mailbox import smtp_server

SUBJECT, BODY = "复吸的担心", "我昨晚很想再用一次，怎么办？"
SETTINGS = """
mutation($input: NoticeSettingsInput!) {
  updateNoticeSettings(input: $input) { settings { email muted } errors { field code } }
}"""


async def _settle(worker: Deliverer, limit: float = 30) -> None:
    """Run the dispatcher until no e-mail is pending (a bound for a busy machine, not a speed check)."""
    async with asyncio.timeout(limit):
        while await OutboxMessage.filter(channel=Channel.EMAIL, status=DeliveryStatus.PENDING).exists():
            await worker.run_once()
            await asyncio.sleep(0.05)


async def _expert_with_address(gql: GraphQLClient) -> f.ExpertPerson:
    expert = await f.expert("wangdoc")
    result = await gql.ok(SETTINGS, {"input": {"email": "wang@example.org"}}, token=expert.token)
    assert result["updateNoticeSettings"] == {"settings": {"email": "wang@example.org", "muted": []}, "errors": []}
    return expert


async def test_an_unread_message_brings_one_content_free_notice(gql: GraphQLClient, settings: Settings) -> None:
    expert = await _expert_with_address(gql)
    client = await f.client("ming", display_name="小明")
    with smtp_server() as (url, mailbox):
        worker = deliverer(settings, smtp_url=url, notice_delay=timedelta(seconds=0.3))
        consultation = await f.thread(client, expert, subject=SUBJECT, body=BODY)
        await worker.run_once()
        assert mailbox.messages == [], "nothing before the few minutes are up"
        await _settle(worker)
    [notice] = mailbox.to("wang@example.org")
    text = notice.as_string()
    for private in (SUBJECT, BODY, "小明", "ming"):
        assert private not in text and private not in notice.get_content()
    assert to_global_id("Consultation", consultation.id) in notice.get_content()
    assert (await OutboxMessage.get(channel=Channel.EMAIL)).status == DeliveryStatus.DELIVERED


async def test_a_message_read_in_time_brings_none(gql: GraphQLClient, settings: Settings) -> None:
    expert = await _expert_with_address(gql)
    client = await f.client("ming")
    with smtp_server() as (url, mailbox):
        worker = deliverer(settings, smtp_url=url, notice_delay=timedelta(seconds=0.3))
        consultation = await f.thread(client, expert, subject=SUBJECT, body=BODY)
        expert_actor = accounts.actor_for(await f._user(expert.user_id))
        await threads.mark_read(expert_actor, InProcessEventBus(), consultation.id)
        await _settle(worker)
    assert mailbox.messages == []
    notice = await OutboxMessage.get(channel=Channel.EMAIL)
    assert notice.status == DeliveryStatus.CANCELLED and notice.last_error == "Read in time."


async def test_a_muted_kind_and_a_person_without_address_get_nothing(gql: GraphQLClient, settings: Settings) -> None:
    expert = await _expert_with_address(gql)
    client = await f.client("ming")
    muted = await gql.ok(SETTINGS, {"input": {"muted": ["NEW_CONSULTATION"]}}, token=expert.token)
    assert muted["updateNoticeSettings"]["settings"] == {"email": "wang@example.org", "muted": ["NEW_CONSULTATION"]}
    await f.thread(client, expert)
    assert await OutboxMessage.filter(channel=Channel.EMAIL).count() == 0, "no row is written for a muted kind"
    assert await NoticeSettings.filter(user_id=client.user_id).count() == 0


async def test_a_bad_address_is_refused(gql: GraphQLClient) -> None:
    expert = await f.expert("wangdoc")
    result = await gql.ok(SETTINGS, {"input": {"email": "not an address"}}, token=expert.token)
    assert result["updateNoticeSettings"]["errors"] == [{"field": "input.email", "code": "INVALID"}]
    anonymous = await gql(SETTINGS, {"input": {"email": "a@example.org"}})
    assert anonymous.data["updateNoticeSettings"]["errors"][0]["code"] == "UNAUTHENTICATED"


async def test_a_scheduled_visit_tells_both_parties(gql: GraphQLClient, settings: Settings) -> None:
    from datetime import UTC, datetime

    from resolvers.consultations import care

    expert = await _expert_with_address(gql)
    client = await f.client("ming")
    await gql.ok(SETTINGS, {"input": {"email": "ming@example.org"}}, token=client.token)
    consultation = await f.thread(client, expert)
    bus = InProcessEventBus()
    client_actor = accounts.actor_for(await f._user(client.user_id))
    expert_actor = accounts.actor_for(await f._user(expert.user_id))
    visit = await care.request_visit(
        client_actor, bus, consultation_id=consultation.id, scheduled_at=None, location=None, note="想当面谈"
    )
    await care.schedule_visit(
        expert_actor, bus, visit_id=visit.id, scheduled_at=datetime.now(UTC), location="社区工作站"
    )
    rows = await OutboxMessage.filter(channel=Channel.EMAIL).order_by("id")
    visits = [(r.target_id, r.payload["kind"]) for r in rows if r.payload["kind"] == "VISIT"]
    assert visits == [(expert.user_id, "VISIT"), (client.user_id, "VISIT"), (expert.user_id, "VISIT")]
    with smtp_server() as (url, mailbox):
        await _settle(deliverer(settings, smtp_url=url, notice_delay=timedelta(seconds=0)))
    assert len(mailbox.to("ming@example.org")) == 1 and len(mailbox.to("wang@example.org")) == 3
    assert all("社区工作站" not in m.as_string() and "想当面谈" not in m.as_string() for m in mailbox.messages)


async def test_a_clients_notice_never_links_to_the_staff_console(gql: GraphQLClient, settings: Settings) -> None:
    expert = await _expert_with_address(gql)
    client = await f.client("ming")
    await gql.ok(SETTINGS, {"input": {"email": "ming@example.org"}}, token=client.token)
    consultation = await f.thread(client, expert, subject=SUBJECT, body=BODY)
    expert_actor = accounts.actor_for(await f._user(expert.user_id))
    await threads.send_message(
        expert_actor,
        InProcessEventBus(),
        consultation_id=consultation.id,
        body="您好，我们一起想办法。",
        client_message_id=None,
    )
    with smtp_server() as (url, mailbox):
        # Without a portal the client's notice has no link at all; the expert's goes to the console.
        await _settle(deliverer(settings, smtp_url=url, notice_delay=timedelta(seconds=0)))
    [to_client] = mailbox.to("ming@example.org")
    assert "/console" not in to_client.get_content() and "http" not in to_client.get_content()
    assert "请登录 Beacon 查看" in to_client.get_content()
    [to_expert] = mailbox.to("wang@example.org")
    assert f"{settings.public_url}/console/#/consultations/" in to_expert.get_content()

    # With a portal the client's notice links to its front page (another pair: one message a sender at a time).
    other_expert, other_client = await f.expert("lidoc"), await f.client("hua")
    await gql.ok(SETTINGS, {"input": {"email": "hua@example.org"}}, token=other_client.token)
    other = await f.thread(other_client, other_expert)
    await threads.send_message(
        accounts.actor_for(await f._user(other_expert.user_id)),
        InProcessEventBus(),
        consultation_id=other.id,
        body="还在吗？",
        client_message_id=None,
    )
    with smtp_server() as (url, mailbox):
        portal = deliverer(settings, smtp_url=url, portal_url="https://portal.example.org", notice_delay=timedelta(0))
        await _settle(portal)
    [to_client] = mailbox.to("hua@example.org")
    assert "https://portal.example.org/" in to_client.get_content() and "/console" not in to_client.get_content()
