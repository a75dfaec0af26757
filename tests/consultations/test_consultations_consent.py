"""Consent first: the versioned privacy notice, acceptance, withdrawal and a new version."""

from __future__ import annotations

import importlib
import re
from datetime import UTC, datetime
from types import SimpleNamespace

from tortoise import connections

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


RECORDS = """{ viewer { privacyConsents { version purpose scope locale noticeText acceptedAt withdrawnAt } } }"""
ACCEPT_IN = """
mutation($v: Int!, $locale: String) { acceptPrivacyNotice(version: $v, locale: $locale) { acceptedVersion errors { code } } }"""


async def test_the_client_reads_what_they_agreed_to_word_for_word(gql: GraphQLClient) -> None:
    me = await f.client("ming", consenting=False)
    other = await f.client("other")
    assert (await gql.ok(RECORDS, token=me.token))["viewer"]["privacyConsents"] == []
    english = (await gql.ok(NOTICE, {"locale": "en"}))["privacyNotice"]["text"]
    assert (await gql.ok(ACCEPT_IN, {"v": 1, "locale": "en"}, token=me.token))["acceptPrivacyNotice"]["errors"] == []
    await PrivacyNotice.create(version=2, locale="zh-CN", text="第2版：新的说明", published_at=datetime.now(UTC))
    try:
        # A later notice changes nothing in the record of what was accepted before.
        [first] = (await gql.ok(RECORDS, token=me.token))["viewer"]["privacyConsents"]
        assert first["version"] == 1 and first["locale"] == "en" and first["noticeText"] == english
        assert first["purpose"] == "CONSULTATION_DESK"
        assert first["scope"] == ["ACCOUNT", "MESSAGES", "ATTACHMENTS", "HELP_PLANS", "VISITS", "ACCESS_LOG"]
        assert first["withdrawnAt"] is None
        await gql.ok(ACCEPT_IN, {"v": 2}, token=me.token)
        newest, older = (await gql.ok(RECORDS, token=me.token))["viewer"]["privacyConsents"]
        assert (newest["version"], newest["locale"], newest["noticeText"]) == (2, "zh-CN", "第2版：新的说明")
        assert older["noticeText"] == english and older["withdrawnAt"] is not None
        await gql.ok(WITHDRAW, token=me.token)
        records = (await gql.ok(RECORDS, token=me.token))["viewer"]["privacyConsents"]
        assert [r["withdrawnAt"] is not None for r in records] == [True, True]
    finally:
        await PrivacyNotice.filter(version=2).delete()
    # Each person reads their own records only; anonymous callers have no viewer.
    theirs = (await gql.ok(RECORDS, token=other.token))["viewer"]["privacyConsents"]
    assert [r["version"] for r in theirs] == [1] and theirs[0]["locale"] == "zh-CN"
    assert (await gql.ok(RECORDS))["viewer"] is None


async def test_consents_given_before_terms_were_kept_get_their_versions_text(gql: GraphQLClient) -> None:
    me = await f.client("ming")
    await PrivacyConsent.filter(user_id=me.user_id).update(purpose="", scope=[], locale="", notice_text="")
    migration = importlib.import_module("migrations.consultations.0005_consent_terms")
    await migration.backfill(None, SimpleNamespace(client=connections.get("default")))
    [record] = (await gql.ok(RECORDS, token=me.token))["viewer"]["privacyConsents"]
    zh = (await gql.ok(NOTICE))["privacyNotice"]["text"]
    assert (record["purpose"], record["locale"], record["noticeText"]) == ("CONSULTATION_DESK", "zh-CN", zh)
    assert record["scope"] == ["ACCOUNT", "MESSAGES", "ATTACHMENTS", "HELP_PLANS", "VISITS", "ACCESS_LOG"]
