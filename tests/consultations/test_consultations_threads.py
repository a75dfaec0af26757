"""Threads through the real HTTP app: status, idempotency, read receipts, limits, plans, visits, audit, batching."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from pathlib import Path

from models.base import Role
from models.consultations import (
    Consultation,
    ConsultationAudit,
    ConsultationMessage,
    ExpertProfile,
    MessageAttachment,
    Visit,
)
from models.content import MediaAsset, MediaKind
from tests.consultations import factories as f
from tests.helpers import GraphQLClient, count_statements

ROOT = Path(__file__).resolve().parents[2]

OPEN = """
mutation($input: OpenConsultationInput!) {
  openConsultation(input: $input) {
    consultation { id status clientDisplayName expert { displayName } messages { edges { node { body author { displayName isExpert isViewer } } } } }
    errors { field code message }
  }
}"""
SEND = """
mutation($input: SendMessageInput!) {
  sendMessage(input: $input) { message { id body author { isExpert isViewer } readAt } errors { field code message } }
}"""
READ = (
    "mutation($id: ID!) { markConsultationRead(consultationId: $id) { consultation { unreadCount } errors { code } } }"
)
CLOSE = "mutation($id: ID!) { closeConsultation(consultationId: $id) { consultation { status } errors { code } } }"
THREAD = """
query($id: ID!) {
  consultation(id: $id) {
    status unreadCount lastMessage { body }
    messages { totalCount edges { node { body readAt author { isViewer } } } }
  }
}"""
UNREAD = "{ viewer { unreadMessageCount } }"
PLAN = """
mutation($input: HelpPlanInput!) {
  saveHelpPlan(input: $input) {
    consultation { helpPlan { goals revision followUpAt measures { id description dueAt done } } helpPlanHistory { revision goals } }
    errors { field code }
  }
}"""
REQUEST_VISIT = (
    "mutation($input: VisitInput!) { requestVisit(input: $input) { visit { id status } errors { code field } } }"
)
SCHEDULE = """
mutation($id: ID!, $at: DateTime!, $where: String!) {
  scheduleVisit(visitId: $id, scheduledAt: $at, location: $where) { visit { status scheduledAt location } errors { code } }
}"""
CANCEL = "mutation($id: ID!) { cancelVisit(visitId: $id) { visit { status } errors { code } } }"
COMPLETE = "mutation($id: ID!) { completeVisit(visitId: $id) { visit { status } errors { code } } }"
ACCESS = "query($id: ID!) { consultation(id: $id) { accessLog { actorDisplayName actorRoles action } } }"
MY_LIST = """
query($first: Int) {
  viewer {
    unreadMessageCount
    consultations(first: $first) {
      totalCount
      edges { node { id subject status clientDisplayName unreadCount expert { displayName area photo { url } }
        lastMessage { body author { displayName } } helpPlan { goals measures { description } } visits { status } } }
    }
  }
}"""
MESSAGES = """
query($id: ID!, $first: Int) {
  consultation(id: $id) { messages(first: $first) { edges { node { id body sentAt readAt author { displayName isExpert isViewer } attachments { id url } } } } }
}"""


async def test_a_whole_conversation(gql: GraphQLClient) -> None:
    chosen = await f.expert("xuexpert")
    me = await f.client("ming", display_name="阿明（化名）")
    opened = (
        await gql.ok(
            OPEN, {"input": {"expertId": chosen.gid, "subject": "晚上睡不着", "message": "许老师您好"}}, token=me.token
        )
    )["openConsultation"]
    assert opened["errors"] == []
    c = opened["consultation"]
    assert (
        c["status"] == "OPEN"
        and c["clientDisplayName"] == "阿明（化名）"
        and c["expert"]["displayName"] == "Dr Xuexpert"
    )
    assert c["messages"]["edges"][0]["node"]["author"] == {
        "displayName": "阿明（化名）",
        "isExpert": False,
        "isViewer": True,
    }
    cid = c["id"]
    assert (await gql.ok(UNREAD, token=chosen.token))["viewer"]["unreadMessageCount"] == 1
    reply = (await gql.ok(SEND, {"input": {"consultationId": cid, "body": "你好，谢谢你说出来"}}, token=chosen.token))[
        "sendMessage"
    ]
    assert reply["errors"] == [] and reply["message"]["author"] == {"isExpert": True, "isViewer": True}
    thread = (await gql.ok(THREAD, {"id": cid}, token=me.token))["consultation"]
    assert (
        thread["status"] == "ANSWERED"
        and thread["unreadCount"] == 1
        and thread["lastMessage"]["body"] == "你好，谢谢你说出来"
    )
    # The expert reads the client's message: only the client's message gets readAt.
    assert (await gql.ok(READ, {"id": cid}, token=chosen.token))["markConsultationRead"]["consultation"][
        "unreadCount"
    ] == 0
    edges = (await gql.ok(THREAD, {"id": cid}, token=me.token))["consultation"]["messages"]["edges"]
    assert edges[0]["node"]["readAt"] is not None and edges[1]["node"]["readAt"] is None
    assert (await gql.ok(UNREAD, token=me.token))["viewer"]["unreadMessageCount"] == 1
    await gql.ok(READ, {"id": cid}, token=me.token)
    assert (await gql.ok(UNREAD, token=me.token))["viewer"]["unreadMessageCount"] == 0
    # The client writes again: back to OPEN. Closing, then a client message reopens it.
    await gql.ok(SEND, {"input": {"consultationId": cid, "body": "好的"}}, token=me.token)
    assert (await gql.ok(THREAD, {"id": cid}, token=me.token))["consultation"]["status"] == "OPEN"
    assert (await gql.ok(CLOSE, {"id": cid}, token=chosen.token))["closeConsultation"]["consultation"][
        "status"
    ] == "CLOSED"
    late = (await gql.ok(SEND, {"input": {"consultationId": cid, "body": "补充一下"}}, token=chosen.token))[
        "sendMessage"
    ]
    assert late["errors"][0]["code"] == "CONFLICT"
    await asyncio.sleep(3.1)  # one message every few seconds
    await gql.ok(SEND, {"input": {"consultationId": cid, "body": "我又想起一件事"}}, token=me.token)
    assert (await gql.ok(THREAD, {"id": cid}, token=me.token))["consultation"]["status"] == "OPEN"
    actions = await ConsultationAudit.all().order_by("id").values_list("action", flat=True)
    assert actions == [
        "OPENED",
        "MESSAGE_SENT",
        "MARKED_READ",
        "MARKED_READ",
        "MESSAGE_SENT",
        "CLOSED",
        "MESSAGE_SENT",
        "REOPENED",
    ]


async def test_resending_a_client_message_id_returns_the_first_message(gql: GraphQLClient) -> None:
    chosen = await f.expert("xuexpert")
    me = await f.client("ming")
    c = await f.thread(me, chosen)
    variables = {"input": {"consultationId": f.gid("Consultation", c.id), "body": "同一条", "clientMessageId": "k-1"}}
    first = (await gql.ok(SEND, variables, token=me.token))["sendMessage"]
    again = (await gql.ok(SEND, variables, token=me.token))["sendMessage"]
    assert again["errors"] == [] and again["message"]["id"] == first["message"]["id"]
    assert await ConsultationMessage.filter(consultation_id=c.id).count() == 2


async def test_messages_are_immutable_there_is_no_way_to_edit() -> None:
    from schema import export_sdl

    sdl = export_sdl()
    assert "editMessage" not in sdl and "deleteMessage" not in sdl and "updateMessage" not in sdl


async def test_rate_limits(gql: GraphQLClient) -> None:
    chosen = await f.expert("xuexpert")
    me = await f.client("ming")
    results = []
    for i in range(6):
        opened = await gql.ok(
            OPEN, {"input": {"expertId": chosen.gid, "subject": f"问题{i}", "message": "你好"}}, token=me.token
        )
        results.append(
            opened["openConsultation"]["errors"][0]["code"] if opened["openConsultation"]["errors"] else "OK"
        )
    assert results == ["OK"] * 5 + ["RATE_LIMITED"]
    cid = f.gid("Consultation", (await Consultation.first()).id)  # type: ignore[union-attr]  # the test created it just above
    first = (await gql.ok(SEND, {"input": {"consultationId": cid, "body": "一"}}, token=me.token))["sendMessage"]
    second = (await gql.ok(SEND, {"input": {"consultationId": cid, "body": "二"}}, token=me.token))["sendMessage"]
    assert first["errors"] == [] and second["errors"][0]["code"] == "RATE_LIMITED"


async def test_help_plan_revisions_are_kept_and_only_the_expert_writes(gql: GraphQLClient) -> None:
    chosen = await f.expert("xuexpert")
    me = await f.client("ming")
    cid = f.gid("Consultation", (await f.thread(me, chosen)).id)
    plan = {
        "consultationId": cid,
        "goals": "每晚睡够6小时",
        "measures": [{"description": "写睡眠日记", "dueAt": "2030-01-08T00:00:00+00:00"}],
        "followUpAt": "2030-01-15T09:00:00+00:00",
    }
    refused = (await gql.ok(PLAN, {"input": plan}, token=me.token))["saveHelpPlan"]
    assert refused["errors"][0]["code"] == "FORBIDDEN"
    first = (await gql.ok(PLAN, {"input": plan}, token=chosen.token))["saveHelpPlan"]
    assert first["errors"] == [] and first["consultation"]["helpPlan"]["revision"] == 1
    assert first["consultation"]["helpPlan"]["measures"][0]["done"] is False
    plan["measures"] = [{"description": "写睡眠日记", "done": True}, {"description": "每天快走30分钟"}]
    plan["goals"] = "每晚睡够6小时；学会两种应对渴求的方法"
    second = (await gql.ok(PLAN, {"input": plan}, token=chosen.token))["saveHelpPlan"]["consultation"]
    assert second["helpPlan"]["revision"] == 2 and second["helpPlan"]["measures"][0]["done"] is True
    assert [h["revision"] for h in second["helpPlanHistory"]] == [1, 2]
    client_view = await gql.ok(
        "query($id: ID!) { consultation(id: $id) { helpPlan { goals } } }", {"id": cid}, token=me.token
    )
    assert client_view["consultation"]["helpPlan"]["goals"].endswith("应对渴求的方法")


async def test_visits_requested_scheduled_cancelled_done(gql: GraphQLClient) -> None:
    chosen = await f.expert("xuexpert")
    me = await f.client("ming")
    cid = f.gid("Consultation", (await f.thread(me, chosen)).id)
    asked = (await gql.ok(REQUEST_VISIT, {"input": {"consultationId": cid, "note": "想当面聊"}}, token=me.token))[
        "requestVisit"
    ]
    assert asked["visit"]["status"] == "REQUESTED"
    vid = asked["visit"]["id"]
    by_client = (
        await gql.ok(SCHEDULE, {"id": vid, "at": "2030-01-05T10:00:00+00:00", "where": "工作站"}, token=me.token)
    )["scheduleVisit"]
    assert by_client["errors"][0]["code"] == "FORBIDDEN"
    scheduled = (
        await gql.ok(
            SCHEDULE, {"id": vid, "at": "2030-01-05T10:00:00+00:00", "where": "清河街道工作站"}, token=chosen.token
        )
    )["scheduleVisit"]
    assert scheduled["visit"]["status"] == "SCHEDULED" and scheduled["visit"]["location"] == "清河街道工作站"
    assert (await gql.ok(COMPLETE, {"id": vid}, token=me.token))["completeVisit"]["errors"][0]["code"] == "FORBIDDEN"
    assert (await gql.ok(COMPLETE, {"id": vid}, token=chosen.token))["completeVisit"]["visit"]["status"] == "DONE"
    assert (await gql.ok(CANCEL, {"id": vid}, token=me.token))["cancelVisit"]["errors"][0]["code"] == "CONFLICT"
    other = (await gql.ok(REQUEST_VISIT, {"input": {"consultationId": cid}}, token=chosen.token))["requestVisit"][
        "visit"
    ]["id"]
    assert (await gql.ok(CANCEL, {"id": other}, token=me.token))["cancelVisit"]["visit"]["status"] == "CANCELLED"
    assert await Visit.all().count() == 2


async def test_an_admin_read_is_audited_and_shown_to_the_client(
    gql: GraphQLClient, database: str, data_dir: Path
) -> None:
    chosen = await f.expert("xuexpert")
    me = await f.client("ming")
    c = await f.thread(me, chosen)
    cid = f.gid("Consultation", c.id)
    admin = await f.person("supervisor", Role.ADMIN, display_name="督导王")
    assert (await gql.ok(ACCESS, {"id": cid}, token=me.token))["consultation"]["accessLog"] == []
    await gql.ok(THREAD, {"id": cid}, token=chosen.token)  # the parties' own reads are not "someone else"
    refused = await gql(THREAD, {"id": cid}, token=admin.token)
    assert refused.data == {"consultation": None}
    assert refused.body["errors"][0]["extensions"]["code"] == "REASON_REQUIRED"
    seen = (
        await gql(THREAD, {"id": cid}, token=admin.token, headers={"Beacon-Access-Reason": "%E6%8A%95%E8%AF%89"})
    ).data
    assert seen["consultation"]["messages"]["totalCount"] == 1
    log = (await gql.ok(ACCESS, {"id": cid}, token=me.token))["consultation"]["accessLog"]
    assert log == [{"actorDisplayName": "督导王", "actorRoles": ["ADMIN"], "action": "ADMIN_READ"}]
    assert (await ConsultationAudit.get(action="ADMIN_READ")).reason == "投诉"
    assert (await gql.ok(ACCESS, {"id": cid}, token=chosen.token))["consultation"]["accessLog"] is None
    record = await ConsultationAudit.get(action="ADMIN_READ")
    assert record.actor_user_id == admin.user_id and record.consultation_id == c.id
    # Operators read the same log from the command line.
    env = {
        **os.environ,
        "BEACON_DATABASE_URL": database,
        "BEACON_DATA_DIR": str(data_dir),
        "BEACON_SECRET_KEY": "x" * 40,
    }
    out = await asyncio.to_thread(
        subprocess.run,
        [sys.executable, "-m", "cli", "audit", "--consultation", cid],  # -m: measured as the cli module
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,  # a ceiling for a hung process; a busy machine can make a cold CLI run slow
    )
    assert out.returncode == 0, out.stderr
    lines = out.stdout.splitlines()
    assert "OPENED" in lines[0] and cid in lines[0]
    assert "ADMIN_READ" in lines[-1] and "督导王" in lines[-1] and "ADMIN" in lines[-1]


async def _image(user_id: int, *, private: bool) -> MediaAsset:
    return await MediaAsset.create(
        kind=MediaKind.IMAGE,
        mime_type="image/png",
        extension=".png",
        byte_size=1,
        sha256="c" * 64,
        is_private=private,
        uploaded_by_id=user_id,
    )


async def _page_cost(gql: GraphQLClient, token: str, query: str, variables: dict) -> int:
    with count_statements() as counter:
        data = await gql.ok(query, variables, token=token)
    assert data
    return counter.count


async def test_statement_count_does_not_grow_with_the_page(gql: GraphQLClient) -> None:
    me = await f.client("ming")
    experts = [await f.expert(f"expert{i}") for i in range(10)]
    photo = await _image(me.user_id, private=False)
    await ExpertProfile.filter(id__in=[e.profile.id for e in experts]).update(photo_id=photo.id)
    for i in range(50):
        c = await Consultation.create(
            client_id=me.user_id,
            expert=experts[i % 10].profile,
            expert_user_id=experts[i % 10].user_id,
            client_display_name="阿明",
            subject=f"问题{i}",
        )
        await f.add_messages(c, 2)
        await f.add_messages(c, 1, from_expert=True)
    small = await _page_cost(gql, me.token, MY_LIST, {"first": 5})
    large = await _page_cost(gql, me.token, MY_LIST, {"first": 50})
    assert small == large, (small, large)
    c = await Consultation.first()
    await f.add_messages(c, 100)
    scan = await _image(me.user_id, private=True)
    await MessageAttachment.bulk_create(
        [
            MessageAttachment(message_id=m, media_id=scan.id, position=0)
            for m in await ConsultationMessage.filter(consultation=c).values_list("id", flat=True)
        ]
    )
    few = await _page_cost(gql, me.token, MESSAGES, {"id": f.gid("Consultation", c.id), "first": 5})
    many = await _page_cost(gql, me.token, MESSAGES, {"id": f.gid("Consultation", c.id), "first": 100})
    assert few == many, (few, many)
    print(f"statements: consultations page {large}, messages page {many}")
