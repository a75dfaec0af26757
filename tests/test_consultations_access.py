"""Who may reach a consultation: every role against every route. Outsiders find nothing at all."""

from __future__ import annotations

from dataclasses import dataclass

from models.accounts import Organization
from models.base import Role
from models.consultations import ConsultationAudit, ConsultationMessage, HelpPlanRevision, Visit
from resolvers import accounts
from settings import Settings
from tests import consultation_factories as f
from tests.helpers import GraphQLClient
from tests.realtime import graphql_ws, server_in_process

CONSULTATION = "query($id: ID!) { consultation(id: $id) { id subject messages { totalCount } helpPlan { goals } visits { id } } }"
NODE = "query($id: ID!) { node(id: $id) { id } }"
MINE = "{ viewer { consultations { totalCount } unreadMessageCount } }"
WRITES = {
    "sendMessage": ('mutation($c: ID!) { r: sendMessage(input: {consultationId: $c, body: "hi"}) { errors { code } } }', "input.consultationId"),
    "markConsultationRead": ("mutation($c: ID!) { r: markConsultationRead(consultationId: $c) { errors { code } } }", None),
    "closeConsultation": ("mutation($c: ID!) { r: closeConsultation(consultationId: $c) { errors { code } } }", None),
    "saveHelpPlan": ('mutation($c: ID!) { r: saveHelpPlan(input: {consultationId: $c, goals: "x", measures: []}) { errors { code } } }', None),
    "requestVisit": ("mutation($c: ID!) { r: requestVisit(input: {consultationId: $c}) { errors { code } } }", None),
    "scheduleVisit": ('mutation($v: ID!) { r: scheduleVisit(visitId: $v, scheduledAt: "2030-01-01T00:00:00Z", location: "x") { errors { code } } }', None),
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
    await HelpPlanRevision.create(consultation=c, revision=1, author_id=chosen.user_id, goals="睡好", measures=[], created_at=c.created_at)
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
    ids = {"consultation": f.gid("Consultation", c.id), "message": f.gid("Message", message.id), "visit": f.gid("Visit", visit.id)}
    return Scene(ids, tokens)


OUTSIDERS = ("anonymous", "api key", "learner", "teacher", "editor", "second client", "second expert")


async def test_every_role_against_every_read_route(gql: GraphQLClient) -> None:
    scene = await _scene()
    for who, token in scene.tokens.items():
        reads = (await gql(CONSULTATION, {"id": scene.ids["consultation"]}, token=token)).data["consultation"]
        nodes = {kind: (await gql.ok(NODE, {"id": gid}, token=token))["node"] for kind, gid in scene.ids.items()}
        mine = (await gql.ok(MINE, token=token))["viewer"]
        if who in OUTSIDERS or who == "admin":
            assert mine is None or mine["consultations"]["totalCount"] == 0, who
        if who in OUTSIDERS:
            assert reads is None, who
            assert nodes == {"consultation": None, "message": None, "visit": None}, who
        else:
            assert reads["subject"] == "睡不着" and reads["helpPlan"] == {"goals": "睡好"} and len(reads["visits"]) == 1, who
            assert all(node is not None for node in nodes.values()), who
        if who in ("client", "expert"):
            assert mine["consultations"]["totalCount"] == 1, who
    # Only the admin's reads were audited: one consultation(id:) and three node(id:) reads.
    assert await ConsultationAudit.filter(action="ADMIN_READ").count() == 4


async def test_nobody_but_the_parties_changes_anything(gql: GraphQLClient) -> None:
    scene = await _scene()
    before = await ConsultationMessage.all().count(), await Visit.filter(status="REQUESTED").count(), await HelpPlanRevision.all().count()
    for who in (*OUTSIDERS, "admin"):
        for name, (document, _) in WRITES.items():
            result = await gql.ok(document, {"c": scene.ids["consultation"], "v": scene.ids["visit"]}, token=scene.tokens[who])
            codes = [e["code"] for e in result["r"]["errors"]]
            expected = "UNAUTHENTICATED" if who in ("anonymous", "api key") else "NOT_FOUND"
            assert codes == [expected], (who, name, codes)
    after = await ConsultationMessage.all().count(), await Visit.filter(status="REQUESTED").count(), await HelpPlanRevision.all().count()
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
