"""Consent first: the versioned privacy notice, acceptance, withdrawal and a new version."""

from __future__ import annotations

import re
from datetime import UTC, datetime

from models.consultations import PrivacyConsent, PrivacyNotice
from tests.consultations import factories as f
from tests.helpers import GraphQLClient

NOTICE = "query($locale: String) { privacyNotice(locale: $locale) { version locale text publishedAt } }"
ACCEPT = "mutation($v: Int!) { acceptPrivacyNotice(version: $v) { acceptedVersion errors { field code message } } }"
WITHDRAW = "mutation { withdrawPrivacyConsent { acceptedVersion errors { code } } }"
VIEWER = "{ viewer { acceptedPrivacyNoticeVersion } }"
OPEN = """
mutation($input: OpenConsultationInput!) {
  openConsultation(input: $input) { consultation { id } errors { field code message } }
}"""
SEND = """
mutation($input: SendMessageInput!) { sendMessage(input: $input) { message { id } errors { field code message } } }"""


async def test_notice_is_plain_language_in_chinese_and_english(gql: GraphQLClient) -> None:
    zh = (await gql.ok(NOTICE))["privacyNotice"]
    assert zh["version"] == 1 and zh["locale"] == "zh-CN" and "谁能看到" in zh["text"]
    en = (await gql.ok(NOTICE, {"locale": "en-GB"}))["privacyNotice"]
    assert en["locale"] == "en" and "Who can see it" in en["text"]
    for word in ("保存", "专家", "督导", "记录", "撤回"):
        assert word in zh["text"], word
    for word in ("keep", "expert", "supervisor", "logged", "withdraw"):
        assert word in en["text"].lower(), word
    assert not re.search(r"[\u3000-\u9fff]", en["text"]), "the English notice has no CJK text"
    # Short sentences for readers with little schooling.
    for sentence in re.split(r"[。！？\n]", zh["text"]):
        assert len(sentence) <= 60, sentence


async def test_open_needs_acceptance_then_works(gql: GraphQLClient) -> None:
    chosen = await f.expert("xuexpert")
    me = await f.client("ming", consenting=False)
    assert (await gql.ok(VIEWER, token=me.token))["viewer"]["acceptedPrivacyNoticeVersion"] is None
    refused = (
        await gql.ok(OPEN, {"input": {"expertId": chosen.gid, "subject": "求助", "message": "你好"}}, token=me.token)
    )["openConsultation"]
    assert refused["consultation"] is None
    assert refused["errors"][0]["code"] == "FORBIDDEN" and "privacy notice" in refused["errors"][0]["message"]
    wrong = (await gql.ok(ACCEPT, {"v": 7}, token=me.token))["acceptPrivacyNotice"]
    assert wrong["errors"][0]["field"] == "version" and wrong["acceptedVersion"] is None
    assert (await gql.ok(ACCEPT, {"v": 1}, token=me.token))["acceptPrivacyNotice"] == {
        "acceptedVersion": 1,
        "errors": [],
    }
    assert (await gql.ok(VIEWER, token=me.token))["viewer"]["acceptedPrivacyNoticeVersion"] == 1
    opened = (
        await gql.ok(OPEN, {"input": {"expertId": chosen.gid, "subject": "求助", "message": "你好"}}, token=me.token)
    )["openConsultation"]
    assert opened["errors"] == []
    consent = await PrivacyConsent.get(user_id=me.user_id)
    assert consent.version == 1 and consent.accepted_at is not None


async def test_withdrawal_stops_new_messages_but_keeps_the_thread(gql: GraphQLClient) -> None:
    chosen = await f.expert("xuexpert")
    me = await f.client("ming")
    consultation = await f.thread(me, chosen)
    assert (await gql.ok(WITHDRAW, token=me.token))["withdrawPrivacyConsent"] == {"acceptedVersion": None, "errors": []}
    assert (await gql.ok(VIEWER, token=me.token))["viewer"]["acceptedPrivacyNoticeVersion"] is None
    mine = (
        await gql.ok(
            SEND,
            {"input": {"consultationId": f.gid("Consultation", consultation.id), "body": "还在吗"}},
            token=me.token,
        )
    )["sendMessage"]
    assert mine["errors"][0]["code"] == "FORBIDDEN" and "privacy notice" in mine["errors"][0]["message"]
    theirs = (
        await gql.ok(
            SEND,
            {"input": {"consultationId": f.gid("Consultation", consultation.id), "body": "你好"}},
            token=chosen.token,
        )
    )["sendMessage"]
    assert theirs["errors"][0]["code"] == "FORBIDDEN"
    kept = await gql.ok(
        "query($id: ID!) { consultation(id: $id) { subject messages { totalCount } } }",
        {"id": f.gid("Consultation", consultation.id)},
        token=me.token,
    )
    assert kept["consultation"] == {"subject": "睡不着", "messages": {"totalCount": 1}}
    assert await PrivacyConsent.filter(user_id=me.user_id).count() == 1


async def test_a_new_notice_version_asks_again(gql: GraphQLClient) -> None:
    chosen = await f.expert("xuexpert")
    me = await f.client("ming")
    await PrivacyNotice.create(version=2, locale="zh-CN", text="第2版", published_at=datetime.now(UTC))
    try:
        assert (await gql.ok(NOTICE))["privacyNotice"]["version"] == 2
        assert (await gql.ok(NOTICE, {"locale": "en"}))["privacyNotice"]["locale"] == "zh-CN"
        refused = (
            await gql.ok(
                OPEN, {"input": {"expertId": chosen.gid, "subject": "求助", "message": "你好"}}, token=me.token
            )
        )["openConsultation"]
        assert refused["errors"][0]["code"] == "FORBIDDEN"
        assert (await gql.ok(VIEWER, token=me.token))["viewer"]["acceptedPrivacyNoticeVersion"] == 1
        await gql.ok(ACCEPT, {"v": 2}, token=me.token)
        opened = (
            await gql.ok(
                OPEN, {"input": {"expertId": chosen.gid, "subject": "求助", "message": "你好"}}, token=me.token
            )
        )["openConsultation"]
        assert opened["errors"] == []
    finally:
        await PrivacyNotice.filter(version=2).delete()


async def test_anonymous_cannot_accept(gql: GraphQLClient) -> None:
    assert (await gql.ok(ACCEPT, {"v": 1}))["acceptPrivacyNotice"]["errors"][0]["code"] == "UNAUTHENTICATED"
