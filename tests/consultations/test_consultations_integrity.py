"""Concurrent writes, message keys and consent on the consultation desk (issue 11.7, 11.9, 11.10).

The review: eight concurrent help-plan saves gave six INTERNAL and lost plans on PostgreSQL;
fifteen concurrent openConsultation from one client opened ten against a limit of five a day;
a clientMessageId was cut to 100 characters and a reused key with another body was answered as
success; after the client withdrew consent the expert still saved plans and requested visits,
and attachments could be uploaded without ever consenting.
"""

from __future__ import annotations

import asyncio
from typing import Any

from models.base import Role
from models.consultations import (
    Consultation,
    ConsultationMessage,
    HelpPlanRevision,
    PrivacyConsent,
    Visit,
    VisitStatus,
)
from models.content import MediaAsset
from resolvers.consultations import sealed, threads
from tests.consultations import factories as f
from tests.content.factories import attachment_ok, png_bytes, upload_attachment
from tests.helpers import GraphQLClient

OPEN = """
mutation($input: OpenConsultationInput!) {
  openConsultation(input: $input) { consultation { id } errors { field code message } }
}"""
SEND = """
mutation($input: SendMessageInput!) {
  sendMessage(input: $input) { message { id body } errors { field code message } }
}"""
PLAN = """
mutation($input: HelpPlanInput!) {
  saveHelpPlan(input: $input) { consultation { helpPlan { revision goals } } errors { field code message } }
}"""
REQUEST_VISIT = (
    "mutation($input: VisitInput!) { requestVisit(input: $input) { visit { id status } errors { code message } } }"
)
SCHEDULE = """
mutation($id: ID!, $at: DateTime!, $where: String!) {
  scheduleVisit(visitId: $id, scheduledAt: $at, location: $where) { visit { status } errors { code message } }
}"""
CANCEL = "mutation($id: ID!) { cancelVisit(visitId: $id) { visit { status } errors { code } } }"
COMPLETE = "mutation($id: ID!) { completeVisit(visitId: $id) { visit { status } errors { code message } } }"
CLOSE = "mutation($id: ID!) { closeConsultation(consultationId: $id) { consultation { status } errors { code } } }"
READ = "mutation($id: ID!) { markConsultationRead(consultationId: $id) { consultation { id } errors { code } } }"
ACCEPT = "mutation($v: Int!) { acceptPrivacyNotice(version: $v) { acceptedVersion errors { code } } }"
WITHDRAW = "mutation { withdrawPrivacyConsent { acceptedVersion errors { code } } }"
PLAN_INPUT = {"goals": "每晚睡够6小时", "measures": [{"description": "写睡眠日记"}]}


async def _no_internal(gql: GraphQLClient, document: str, variables: dict[str, Any], token: str) -> dict[str, Any]:
    result = await gql(document, variables, token=token)
    assert result.status == 200 and not result.errors, result.body  # never INTERNAL
    data: dict[str, Any] = result.data
    return data


# ------------------------------------------------------------------ 11.10 concurrent writes


async def test_concurrent_help_plan_saves_each_land_as_a_revision(gql: GraphQLClient) -> None:
    chosen = await f.expert("xuexpert")
    me = await f.client("ming")
    consultation = await f.thread(me, chosen)
    cid = f.gid("Consultation", consultation.id)
    saves = [{"consultationId": cid, **PLAN_INPUT, "goals": f"目标 {n}"} for n in range(8)]
    results = await asyncio.gather(*(_no_internal(gql, PLAN, {"input": s}, chosen.token) for s in saves))
    assert all(r["saveHelpPlan"]["errors"] == [] for r in results)
    stored = await HelpPlanRevision.filter(consultation_id=consultation.id).order_by("revision")
    assert [r.revision for r in stored] == list(range(1, 9))
    assert sorted(sealed.plan_goals(r) for r in stored) == sorted(s["goals"] for s in saves)  # nothing lost


async def test_concurrent_opens_hold_the_daily_limit(gql: GraphQLClient) -> None:
    chosen = await f.expert("xuexpert")
    me = await f.client("ming")
    variables = {"input": {"expertId": chosen.gid, "subject": "求助", "message": "你好"}}
    results = await asyncio.gather(*(_no_internal(gql, OPEN, variables, me.token) for _ in range(15)))
    codes = sorted(r["openConsultation"]["errors"][0]["code"] for r in results if r["openConsultation"]["errors"])
    assert codes == ["RATE_LIMITED"] * (15 - threads.OPEN_LIMIT)
    assert await Consultation.filter(client_id=me.user_id).count() == threads.OPEN_LIMIT


async def test_concurrent_messages_hold_the_interval(gql: GraphQLClient) -> None:
    chosen = await f.expert("xuexpert")
    me = await f.client("ming")
    consultation = await f.thread(me, chosen)
    cid = f.gid("Consultation", consultation.id)
    sends = [{"input": {"consultationId": cid, "body": f"第{n}条"}} for n in range(6)]
    results = await asyncio.gather(*(_no_internal(gql, SEND, v, chosen.token) for v in sends))
    sent = [r for r in results if not r["sendMessage"]["errors"]]
    assert len(sent) == 1  # one message per 3 seconds, also when they arrive together
    assert {r["sendMessage"]["errors"][0]["code"] for r in results if r not in sent} == {"RATE_LIMITED"}
    assert await ConsultationMessage.filter(consultation_id=consultation.id, from_expert=True).count() == 1


async def test_concurrent_accepts_leave_one_consent(gql: GraphQLClient) -> None:
    me = await f.client("ming", consenting=False)
    results = await asyncio.gather(*(_no_internal(gql, ACCEPT, {"v": 1}, me.token) for _ in range(6)))
    assert {r["acceptPrivacyNotice"]["acceptedVersion"] for r in results} == {1}
    assert await PrivacyConsent.filter(user_id=me.user_id, withdrawn_at=None).count() == 1


async def test_concurrent_visit_changes_take_turns(gql: GraphQLClient) -> None:
    chosen = await f.expert("xuexpert")
    me = await f.client("ming")
    consultation = await f.thread(me, chosen)
    visit = await Visit.create(
        consultation=consultation,
        requested_by_id=me.user_id,
        status=VisitStatus.SCHEDULED,
        location=sealed.seal("工作站", sealed.VISIT_LOCATION),
    )
    vid = f.gid("Visit", visit.id)
    results = await asyncio.gather(
        _no_internal(gql, CANCEL, {"id": vid}, me.token), _no_internal(gql, COMPLETE, {"id": vid}, chosen.token)
    )
    outcomes = sorted(next(iter(r.values()))["visit"] is not None for r in results)
    assert outcomes == [False, True]  # one wins; the other is told the visit moved on (CONFLICT)
    assert (await Visit.get(id=visit.id)).status in (VisitStatus.CANCELLED, VisitStatus.DONE)


# ------------------------------------------------------------------ 11.9 message keys


async def test_an_over_long_key_is_refused_not_cut(gql: GraphQLClient) -> None:
    chosen = await f.expert("xuexpert")
    me = await f.client("ming")
    consultation = await f.thread(me, chosen)
    cid = f.gid("Consultation", consultation.id)
    prefix = "k" * threads.MAX_CLIENT_MESSAGE_ID
    exact = await gql.ok(
        SEND, {"input": {"consultationId": cid, "body": "一", "clientMessageId": prefix}}, token=me.token
    )
    assert exact["sendMessage"]["errors"] == []
    longer = {"consultationId": cid, "body": "二", "clientMessageId": prefix + "x"}
    refused = (await gql.ok(SEND, {"input": longer}, token=me.token))["sendMessage"]
    assert refused["message"] is None
    assert refused["errors"] == [
        {
            "field": "input.clientMessageId",
            "code": "INVALID",
            "message": f"A clientMessageId is at most {threads.MAX_CLIENT_MESSAGE_ID} characters.",
        }
    ]
    assert await ConsultationMessage.filter(consultation_id=consultation.id).count() == 2  # the opening one and "一"


async def test_a_reused_key_with_another_body_is_a_conflict(gql: GraphQLClient) -> None:
    chosen = await f.expert("xuexpert")
    me = await f.client("ming")
    consultation = await f.thread(me, chosen)
    cid = f.gid("Consultation", consultation.id)
    first = (
        await gql.ok(
            SEND, {"input": {"consultationId": cid, "body": "我今天很难受", "clientMessageId": "m-1"}}, token=me.token
        )
    )["sendMessage"]
    again = (
        await gql.ok(
            SEND,
            {"input": {"consultationId": cid, "body": "  我今天很难受 ", "clientMessageId": "m-1"}},
            token=me.token,
        )
    )["sendMessage"]
    assert again == first  # the same message resent: the first one
    other = (
        await gql.ok(
            SEND, {"input": {"consultationId": cid, "body": "另一件事", "clientMessageId": "m-1"}}, token=me.token
        )
    )["sendMessage"]
    assert other["message"] is None
    assert other["errors"][0]["code"] == "CONFLICT" and other["errors"][0]["field"] == "input.clientMessageId"
    asset = await attachment_ok(gql, me.token, png_bytes(color="navy"), "x.png")
    with_file = {
        "consultationId": cid,
        "body": "我今天很难受",
        "clientMessageId": "m-1",
        "attachmentIds": [asset["id"]],
    }
    assert (await gql.ok(SEND, {"input": with_file}, token=me.token))["sendMessage"]["errors"][0]["code"] == "CONFLICT"
    assert await ConsultationMessage.filter(consultation_id=consultation.id).count() == 2


async def test_racing_duplicates_answer_with_the_winner(gql: GraphQLClient) -> None:
    chosen = await f.expert("xuexpert")
    me = await f.client("ming")
    consultation = await f.thread(me, chosen)
    cid = f.gid("Consultation", consultation.id)
    variables = {"input": {"consultationId": cid, "body": "在吗？", "clientMessageId": "tap-1"}}
    results = await asyncio.gather(*(_no_internal(gql, SEND, variables, me.token) for _ in range(5)))
    assert all(r["sendMessage"]["errors"] == [] for r in results), results
    assert len({r["sendMessage"]["message"]["id"] for r in results}) == 1
    assert await ConsultationMessage.filter(consultation_id=consultation.id, client_message_id="tap-1").count() == 1


# ------------------------------------------------------------------ 11.7 consent


async def test_withdrawn_consent_stops_every_new_processing(gql: GraphQLClient) -> None:
    chosen = await f.expert("xuexpert")
    me = await f.client("ming")
    consultation = await f.thread(me, chosen)
    cid = f.gid("Consultation", consultation.id)
    requested = await Visit.create(consultation=consultation, requested_by_id=me.user_id)
    scheduled = await Visit.create(
        consultation=consultation,
        requested_by_id=me.user_id,
        status=VisitStatus.SCHEDULED,
        location=sealed.seal("工作站", sealed.VISIT_LOCATION),
    )
    expert_file = await attachment_ok(gql, chosen.token, png_bytes(color="olive"), "plan.png")
    assert (await gql.ok(WITHDRAW, token=me.token))["withdrawPrivacyConsent"]["errors"] == []
    before = {m: await m.all().count() for m in (ConsultationMessage, HelpPlanRevision, Visit, MediaAsset)}

    def refused(payload: dict[str, Any]) -> None:
        assert payload["errors"][0]["code"] == "FORBIDDEN", payload
        assert "consent" in payload["errors"][0]["message"] or "privacy notice" in payload["errors"][0]["message"]

    expert_writes = [
        (PLAN, {"input": {"consultationId": cid, **PLAN_INPUT}}, "saveHelpPlan"),
        (REQUEST_VISIT, {"input": {"consultationId": cid}}, "requestVisit"),
        (
            SCHEDULE,
            {"id": f.gid("Visit", requested.id), "at": "2030-01-05T10:00:00+00:00", "where": "工作站"},
            "scheduleVisit",
        ),
        (COMPLETE, {"id": f.gid("Visit", scheduled.id)}, "completeVisit"),
        (SEND, {"input": {"consultationId": cid, "body": "还好吗？"}}, "sendMessage"),
        (SEND, {"input": {"consultationId": cid, "body": "附件", "attachmentIds": [expert_file["id"]]}}, "sendMessage"),
    ]
    for document, variables, name in expert_writes:
        refused((await gql.ok(document, variables, token=chosen.token))[name])
    client_writes = [
        (REQUEST_VISIT, {"input": {"consultationId": cid}}, "requestVisit"),
        (SEND, {"input": {"consultationId": cid, "body": "我想再说一句"}}, "sendMessage"),
    ]
    for document, variables, name in client_writes:
        refused((await gql.ok(document, variables, token=me.token))[name])
    # Uploading a file needs the uploader's own consent.
    _, body = await upload_attachment(gql, me.token, png_bytes(color="gray"), "x.png")
    refused(body["data"]["uploadAttachment"])
    assert {m: await m.all().count() for m in before} == before  # nothing new was stored
    # Stopping and acknowledging stay possible.
    assert (await gql.ok(CANCEL, {"id": f.gid("Visit", requested.id)}, token=me.token))["cancelVisit"]["errors"] == []
    assert (await gql.ok(READ, {"id": cid}, token=chosen.token))["markConsultationRead"]["errors"] == []
    assert (await gql.ok(CLOSE, {"id": cid}, token=me.token))["closeConsultation"]["errors"] == []
    # Consenting again opens it all up.
    assert (await gql.ok(ACCEPT, {"v": 1}, token=me.token))["acceptPrivacyNotice"]["errors"] == []
    assert (await gql.ok(PLAN, {"input": {"consultationId": cid, **PLAN_INPUT}}, token=chosen.token))["saveHelpPlan"][
        "errors"
    ] == []
    await attachment_ok(gql, me.token, png_bytes(color="gray"), "x.png")


async def test_attachments_need_consent_from_the_start(gql: GraphQLClient) -> None:
    never = await f.client("never", consenting=False)
    learner = await f.person("learner", Role.LEARNER)
    for who in (never.token, learner.token):
        status, body = await upload_attachment(gql, who, png_bytes(), "x.png")
        payload = body["data"]["uploadAttachment"]
        assert status == 200 and payload["asset"] is None, body
        assert payload["errors"][0]["code"] == "FORBIDDEN" and "privacy notice" in payload["errors"][0]["message"]
    assert await MediaAsset.all().count() == 0
