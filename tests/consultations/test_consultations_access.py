"""Who may reach a consultation: every role against every route. Outsiders find nothing at all."""

from __future__ import annotations

from dataclasses import dataclass

from models.accounts import Organization
from models.base import Role
from models.consultations import ConsultationAudit, ConsultationMessage, HelpPlanRevision, MessageAttachment, Visit
from resolvers import accounts
from resolvers.consultations import sealed
from settings import Settings
from tests.consultations import factories as f
from tests.content.factories import attachment_ok, png_bytes, upload, upload_attachment, upload_ok
from tests.helpers import GraphQLClient
from tests.realtime import graphql_ws, server_in_process

CONSULTATION = (
    "query($id: ID!) { consultation(id: $id) { id subject messages { totalCount } helpPlan { goals } visits { id } } }"
)
NODE = "query($id: ID!) { node(id: $id) { id } }"
MINE = "{ viewer { consultations { totalCount } unreadMessageCount } }"
WRITES = {
    "sendMessage": (
        'mutation($c: ID!) { r: sendMessage(input: {consultationId: $c, body: "hi"}) { errors { code } } }',
        "input.consultationId",
    ),
    "markConsultationRead": (
        "mutation($c: ID!) { r: markConsultationRead(consultationId: $c) { errors { code } } }",
        None,
    ),
    "closeConsultation": ("mutation($c: ID!) { r: closeConsultation(consultationId: $c) { errors { code } } }", None),
    "saveHelpPlan": (
        'mutation($c: ID!) { r: saveHelpPlan(input: {consultationId: $c, goals: "x", measures: []}) { errors { code } } }',
        None,
    ),
    "requestVisit": ("mutation($c: ID!) { r: requestVisit(input: {consultationId: $c}) { errors { code } } }", None),
    "scheduleVisit": (
        'mutation($v: ID!) { r: scheduleVisit(visitId: $v, scheduledAt: "2030-01-01T00:00:00Z", location: "x") { errors { code } } }',
        None,
    ),
    "cancelVisit": ("mutation($v: ID!) { r: cancelVisit(visitId: $v) { errors { code } } }", None),
    "completeVisit": ("mutation($v: ID!) { r: completeVisit(visitId: $v) { errors { code } } }", None),
}
ADDED = "subscription($id: ID!) { messageAdded(consultationId: $id) { id } }"


@dataclass
class Scene:
    ids: dict[str, str]
    tokens: dict[str, str | None]


async def _scene() -> Scene:
    chosen = await f.expert("xuexpert")
    me = await f.client("ming")
    c = await f.thread(me, chosen)
    message = await ConsultationMessage.get(consultation_id=c.id)
    visit = await Visit.create(consultation=c, requested_by_id=me.user_id)
    await HelpPlanRevision.create(
        consultation=c,
        revision=1,
        author_id=chosen.user_id,
        goals=sealed.seal("睡好", sealed.PLAN_GOALS),
        measures=sealed.seal_measures([]),
        created_at=c.created_at,
    )
    org = await Organization.create(name="第一中学", kind="SCHOOL")
    tokens: dict[str, str | None] = {
        "anonymous": None,
        "api key": await accounts.create_api_key(name="lms", organization=org),
        "learner": (await f.person("learner", Role.LEARNER)).token,
        "teacher": (await f.person("teacher", Role.TEACHER)).token,
        "editor": (await f.person("editor", Role.EDITOR)).token,
        "second client": (await f.client("second")).token,
        "second expert": (await f.expert("otherexpert")).token,
        "admin": (await f.person("admin", Role.ADMIN)).token,
        "client": me.token,
        "expert": chosen.token,
    }
    ids = {
        "consultation": f.gid("Consultation", c.id),
        "message": f.gid("Message", message.id),
        "visit": f.gid("Visit", visit.id),
    }
    return Scene(ids, tokens)


OUTSIDERS = ("anonymous", "api key", "learner", "teacher", "editor", "second client", "second expert")


async def test_every_role_against_every_read_route(gql: GraphQLClient) -> None:
    scene = await _scene()
    for who, token in scene.tokens.items():
        # An admin states why (break-glass); the header serves every read of the request, node(id:) too.
        headers = {"Beacon-Access-Reason": "complaint 2025-17"} if who == "admin" else None
        reads = (await gql(CONSULTATION, {"id": scene.ids["consultation"]}, token=token, headers=headers)).data[
            "consultation"
        ]
        nodes = {
            kind: (await gql(NODE, {"id": gid}, token=token, headers=headers)).data["node"]
            for kind, gid in scene.ids.items()
        }
        mine = (await gql.ok(MINE, token=token))["viewer"]
        if who in OUTSIDERS or who == "admin":
            assert mine is None or mine["consultations"]["totalCount"] == 0, who
        if who in OUTSIDERS:
            assert reads is None, who
            assert nodes == {"consultation": None, "message": None, "visit": None}, who
        else:
            assert (
                reads["subject"] == "睡不着" and reads["helpPlan"] == {"goals": "睡好"} and len(reads["visits"]) == 1
            ), who
            assert all(node is not None for node in nodes.values()), who
        if who in ("client", "expert"):
            assert mine["consultations"]["totalCount"] == 1, who
    # Only the admin's reads were audited: one consultation(id:) and three node(id:) reads.
    assert await ConsultationAudit.filter(action="ADMIN_READ").count() == 4


async def test_nobody_but_the_parties_changes_anything(gql: GraphQLClient) -> None:
    scene = await _scene()
    before = (
        await ConsultationMessage.all().count(),
        await Visit.filter(status="REQUESTED").count(),
        await HelpPlanRevision.all().count(),
    )
    for who in (*OUTSIDERS, "admin"):
        for name, (document, _) in WRITES.items():
            result = await gql.ok(
                document, {"c": scene.ids["consultation"], "v": scene.ids["visit"]}, token=scene.tokens[who]
            )
            codes = [e["code"] for e in result["r"]["errors"]]
            # No credential: sign in; a key (a credential, not a person): never; a person: nothing there.
            expected = {"anonymous": "UNAUTHENTICATED", "api key": "FORBIDDEN"}.get(who, "NOT_FOUND")
            assert codes == [expected], (who, name, codes)
    after = (
        await ConsultationMessage.all().count(),
        await Visit.filter(status="REQUESTED").count(),
        await HelpPlanRevision.all().count(),
    )
    assert before == after
    assert await ConsultationAudit.exclude(action__in=["OPENED", "ADMIN_READ"]).count() == 0


async def test_only_the_parties_subscribe(settings: Settings) -> None:
    scene = await _scene()
    async with server_in_process(settings) as address:
        for who, token in scene.tokens.items():
            async with graphql_ws(address, token) as ws:
                await ws.subscribe(ADDED, {"id": scene.ids["consultation"]})
                if who in ("client", "expert"):
                    continue  # accepted: nothing arrives until a message is sent (see the real-time tests)
                refused = await ws.receive()
                assert refused["payload"]["errors"][0]["extensions"]["code"] == "NOT_FOUND", who


SEND_WITH = """
mutation($c: ID!, $a: [ID!]) {
  sendMessage(input: {consultationId: $c, body: "见附件", attachmentIds: $a}) {
    message { id attachments { id kind url } } errors { field code }
  }
}"""
MESSAGE_ATTACHMENTS = "query($id: ID!) { node(id: $id) { ... on Message { attachments { id url } } } }"
LISTED = "{ mediaAssets(first: 50) { totalCount } }"


async def test_every_role_against_an_attachment_url(gql: GraphQLClient) -> None:
    scene = await _scene()
    asset = await attachment_ok(gql, scene.tokens["expert"] or "", png_bytes(color="navy"), "scan.png")
    sent = (
        await gql.ok(SEND_WITH, {"c": scene.ids["consultation"], "a": [asset["id"]]}, token=scene.tokens["expert"])
    )["sendMessage"]
    assert sent["errors"] == [] and sent["message"]["attachments"] == [
        {"id": asset["id"], "kind": "IMAGE", "url": asset["url"]}
    ]
    missing = await gql.http.get("/media/" + "b" * 64 + ".png")
    assert missing.status_code == 404
    for who, token in scene.tokens.items():
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        if who == "admin":  # an admin's fetch needs a stated reason, like their reads
            refused = await gql.http.get(asset["url"], headers=headers)
            assert (refused.status_code, refused.content) == (missing.status_code, missing.content)
            headers["Beacon-Access-Reason"] = "complaint%202025-17"
        response = await gql.http.get(asset["url"], headers=headers)
        if who in OUTSIDERS:
            assert (response.status_code, response.content) == (missing.status_code, missing.content), who
            assert response.headers["cache-control"] == missing.headers["cache-control"], who
        else:
            assert response.status_code == 200, who
            assert response.headers["cache-control"] == "private, no-store", who
        reason = {"Beacon-Access-Reason": "complaint 2025-17"} if who == "admin" else None
        via_node = (await gql(MESSAGE_ATTACHMENTS, {"id": sent["message"]["id"]}, token=token, headers=reason)).data[
            "node"
        ]
        assert via_node == (
            None if who in OUTSIDERS else {"attachments": [{"id": asset["id"], "url": asset["url"]}]}
        ), who
    # The admin's fetch of the file left a trace, like their read of the message.
    admin_reads = await ConsultationAudit.filter(action="ADMIN_READ").values_list("detail", "reason")
    assert sorted((d.split()[0], r) for d, r in admin_reads) == [
        ("attachment", "complaint 2025-17"),
        ("message", "complaint 2025-17"),
    ]
    assert (await gql.ok(LISTED, token=scene.tokens["editor"]))["mediaAssets"]["totalCount"] == 0


async def test_only_your_own_uploads_can_be_attached(gql: GraphQLClient) -> None:
    scene = await _scene()
    theirs = await attachment_ok(gql, scene.tokens["second client"] or "", png_bytes(color="olive"), "theirs.png")
    public = await upload_ok(gql, scene.tokens["editor"] or "", png_bytes(color="plum"), "public.png")
    for refused in (theirs["id"], public["id"]):
        result = (
            await gql.ok(SEND_WITH, {"c": scene.ids["consultation"], "a": [refused]}, token=scene.tokens["client"])
        )["sendMessage"]
        assert result == {"message": None, "errors": [{"field": "input.attachmentIds", "code": "NOT_FOUND"}]}
    assert await MessageAttachment.all().count() == 0
    # Nobody else's file became private by the attempt, and the thread's expert still cannot fetch it.
    expert = {"Authorization": f"Bearer {scene.tokens['expert']}"}
    assert (await gql.http.get(public["url"])).status_code == 200
    assert (await gql.http.get(theirs["url"], headers=expert)).status_code == 404


async def test_attachment_uploads_need_a_signed_in_participant(gql: GraphQLClient) -> None:
    scene = await _scene()
    for who in ("anonymous", "api key", "teacher"):
        # Refused from the headers, before the body is read (docs/security.md, 11.8): no data at all.
        status, body = await upload_attachment(gql, scene.tokens[who], png_bytes(), "x.png")
        expected = (401, "UNAUTHENTICATED") if who == "anonymous" else (403, "FORBIDDEN")
        assert (status, body["errors"][0]["extensions"]["code"]) == expected, (who, body)
        assert "data" not in body
    # The learner never accepted the privacy notice: uploading needs one's own consent (11.7).
    _, body = await upload_attachment(gql, scene.tokens["learner"], png_bytes(), "x.png")
    assert [e["code"] for e in body["data"]["uploadAttachment"]["errors"]] == ["FORBIDDEN"], body
    for who in ("client", "expert", "editor"):
        asset = await attachment_ok(gql, scene.tokens[who] or "", png_bytes(color="gray"), "x.png")
        assert (await gql.http.get(asset["url"])).status_code == 404, who
    # Uploading stays editors' business for content media.
    _, body = await upload(gql, scene.tokens["client"] or "", png_bytes(), "x.png")
    assert [e["code"] for e in body["data"]["uploadMedia"]["errors"]] == ["FORBIDDEN"]
