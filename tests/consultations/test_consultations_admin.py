"""What administrators read and publish for the console: the audit log with its filters, and
new versions of the privacy notice (after which clients accept again before writing)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from models.base import Role
from models.consultations import PrivacyNotice
from tests.accounts.factories import token_for
from tests.consultations import factories as f
from tests.helpers import GraphQLClient

LOG = """
query($c: ID, $a: ID, $name: String, $from: DateTime, $to: DateTime, $first: Int) {
  consultationAuditLog(consultationId: $c, actorId: $a, actorName: $name, from: $from, to: $to, first: $first) {
    totalCount edges { node { at consultationId actorId actorDisplayName actorRoles action detail } }
  }
}"""
PUBLISH = """
mutation($input: PublishPrivacyNoticeInput!) {
  publishPrivacyNotice(input: $input) { notices { version locale text } errors { field code message } }
}"""
NOTICES = "{ privacyNotices(first: 10) { totalCount edges { node { version locale } } } }"
SEND = """
mutation($input: SendMessageInput!) { sendMessage(input: $input) { message { id } errors { field code message } } }"""


async def test_the_audit_log_filters_by_consultation_actor_and_period_for_admins_only(gql: GraphQLClient) -> None:
    xu = await f.expert("xuexpert")
    ming = await f.client("amingclient", display_name="阿明")
    hong = await f.client("hongclient", display_name="小红")
    first = await f.thread(ming, xu, "睡不着")
    second = await f.thread(hong, xu, "找工作")
    admin = await token_for("admin1", Role.ADMIN)
    everything = (await gql.ok(LOG, {}, token=admin))["consultationAuditLog"]
    assert everything["totalCount"] == 2
    assert [e["node"]["action"] for e in everything["edges"]] == ["OPENED", "OPENED"]
    newest = everything["edges"][0]["node"]
    assert newest["consultationId"] == f.gid("Consultation", second.id)  # newest first
    assert newest["actorId"] == f.gid("User", hong.user_id) and newest["actorDisplayName"] == "小红"

    by_thread = (await gql.ok(LOG, {"c": f.gid("Consultation", first.id)}, token=admin))["consultationAuditLog"]
    assert [e["node"]["actorDisplayName"] for e in by_thread["edges"]] == ["阿明"]
    by_actor = (await gql.ok(LOG, {"a": f.gid("User", hong.user_id)}, token=admin))["consultationAuditLog"]
    assert by_actor["totalCount"] == 1
    by_name = (await gql.ok(LOG, {"name": "明"}, token=admin))["consultationAuditLog"]
    assert by_name["totalCount"] == 1
    # The log is append-only (no back-dating a record): periods around and after now.
    since = (datetime.now(UTC) - timedelta(days=1)).isoformat()
    recent = (await gql.ok(LOG, {"from": since}, token=admin))["consultationAuditLog"]
    assert recent["totalCount"] == 2
    later = await gql.ok(LOG, {"from": (datetime.now(UTC) + timedelta(days=1)).isoformat()}, token=admin)
    assert later["consultationAuditLog"]["totalCount"] == 0
    earlier = (await gql.ok(LOG, {"to": since}, token=admin))["consultationAuditLog"]
    assert earlier["totalCount"] == 0
    backwards = await gql(LOG, {"from": since, "to": (datetime.now(UTC) - timedelta(days=2)).isoformat()}, token=admin)
    assert backwards.errors and backwards.errors[0]["extensions"]["code"] == "INVALID"

    for token in (xu.token, ming.token, await token_for("editor1", Role.EDITOR), None):
        refused = await gql(LOG, {}, token=token)
        assert refused.data is None or refused.data.get("consultationAuditLog") is None
        assert refused.errors[0]["extensions"]["code"] in ("FORBIDDEN", "UNAUTHENTICATED")


async def test_an_admin_publishes_a_new_notice_version_and_clients_accept_again(gql: GraphQLClient) -> None:
    xu = await f.expert("xuexpert")
    ming = await f.client("amingclient")
    consultation = await f.thread(ming, xu)
    admin = await token_for("admin1", Role.ADMIN)
    before = (await gql.ok(NOTICES))["privacyNotices"]
    current = max(e["node"]["version"] for e in before["edges"])

    missing = await gql.ok(PUBLISH, {"input": {"texts": [{"locale": "en", "text": "New text"}]}}, token=admin)
    assert missing["publishPrivacyNotice"]["errors"][0]["field"] == "input.texts"
    empty = await gql.ok(PUBLISH, {"input": {"texts": [{"locale": "zh-CN", "text": "  "}]}}, token=admin)
    assert empty["publishPrivacyNotice"]["errors"][0]["field"] == "input.texts.0.text"
    refused = await gql.ok(PUBLISH, {"input": {"texts": [{"locale": "zh-CN", "text": "新"}]}}, token=xu.token)
    assert refused["publishPrivacyNotice"]["errors"][0]["code"] == "FORBIDDEN"
    assert await PrivacyNotice.filter(version=current + 1).count() == 0

    texts = [{"locale": "zh-CN", "text": "新版隐私说明。"}, {"locale": "en", "text": "The new privacy notice."}]
    try:
        await _publish_and_check(gql, admin, texts, current, before["totalCount"], consultation.id, ming.token)
    finally:  # the notice's first version is migration data that outlives a test: leave it current
        await PrivacyNotice.filter(version__gt=current).delete()


async def _publish_and_check(
    gql: GraphQLClient,
    admin: str,
    texts: list[dict[str, str]],
    current: int,
    count: int,
    consultation: int,
    client: str,
) -> None:
    published = (await gql.ok(PUBLISH, {"input": {"texts": texts}}, token=admin))["publishPrivacyNotice"]
    assert published["errors"] == []
    assert {(n["version"], n["locale"]) for n in published["notices"]} == {(current + 1, "zh-CN"), (current + 1, "en")}
    after = (await gql.ok(NOTICES))["privacyNotices"]
    assert after["totalCount"] == count + 2
    assert after["edges"][0]["node"]["version"] == current + 1
    # The client's consent was for the old version: no new message until they accept the new one.
    blocked = await gql.ok(
        SEND, {"input": {"consultationId": f.gid("Consultation", consultation), "body": "还在吗"}}, token=client
    )
    assert blocked["sendMessage"]["errors"][0]["code"] == "FORBIDDEN"


ORGS = "{ organizations(first: 50) { totalCount edges { node { name } } } }"


async def test_admins_list_every_organization_and_members_see_their_own(gql: GraphQLClient) -> None:
    from models.accounts import Organization
    from models.base import OrganizationKind

    school = await Organization.create(name="七中", kind=OrganizationKind.SCHOOL)
    await Organization.create(name="工作站", kind=OrganizationKind.COMMUNITY)
    admin = await token_for("admin1", Role.ADMIN)
    names = [e["node"]["name"] for e in (await gql.ok(ORGS, token=admin))["organizations"]["edges"]]
    assert {"七中", "工作站"} <= set(names) and names == sorted(names)
    teacher = await token_for("teacher1", Role.TEACHER, organization_id=school.id)
    assert (await gql.ok(ORGS, token=teacher))["organizations"]["edges"] == [{"node": {"name": "七中"}}]
    assert (await gql.ok(ORGS))["organizations"]["totalCount"] == 0
