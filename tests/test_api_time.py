"""Time in the API (issue 12.1): DateTime inputs carry an offset, outputs always do, and a day is
a calendar day of the organization's time zone (Asia/Shanghai by default)."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from models.base import OrganizationKind, Role
from models.consultations import HelpPlanRevision, Visit
from models.content import LearningDay
from resolvers import accounts
from resolvers.consultations import care
from resolvers.events import InProcessEventBus
from schema.relay import to_global_id
from tests.accounts.factories import make_user, token_for
from tests.consultations import factories as f
from tests.content.factories import editor_token, published_lesson
from tests.helpers import GraphQLClient

SCHEDULE_CONTENT = 'mutation($t: DateTime) { scheduleContent(id: "x", publishAt: $t) { errors { code field } } }'
REPORT = """query($id: ID!, $from: DateTime, $to: DateTime) { organizationReport(organizationId: $id, from: $from, to: $to) {
  from to learningSeconds learningTrend { day learningSeconds } } }"""
PLAN = """mutation($input: HelpPlanInput!) { saveHelpPlan(input: $input) {
  consultation { helpPlan { measures { dueAt } followUpAt } } errors { field code } } }"""
RECORD = "mutation($i: RecordLearningInput!) { recordLearning(input: $i) { errors { code field } } }"
SET_ZONE = """mutation($id: ID!, $zone: String!) { setOrganizationTimeZone(input: {organizationId: $id, timeZone: $zone}) {
  organization { timeZone } errors { code field } } }"""
# Dates without an offset, and dates alone: the values that used to crash (INTERNAL) or be read as UTC.
NAIVE = ("2026-01-01T09:00:00", "2026-01-01 09:00", "2026-01-01")


@pytest.mark.parametrize("moment", NAIVE)
async def test_a_value_without_an_offset_is_a_bad_request_naming_the_variable(gql: GraphQLClient, moment: str) -> None:
    token = await editor_token("time-editor")
    school = await accounts.create_organization(None, name="时区中学", kind=OrganizationKind.SCHOOL, region=None)
    teacher = await token_for("time-teacher", Role.TEACHER, organization_id=school.id)
    scheduled = await gql(SCHEDULE_CONTENT, {"t": moment}, token=token)
    assert scheduled.codes == ["BAD_REQUEST"] and scheduled.data is None, scheduled.body
    assert scheduled.errors[0]["message"].startswith("Variable '$t' has invalid value")
    report = await gql(REPORT, {"id": to_global_id("Organization", school.id), "from": moment}, token=teacher)
    assert report.codes == ["BAD_REQUEST"] and "'$from'" in report.errors[0]["message"], report.body
    literal = await gql(f'{{ lessons(filter: {{updatedSince: "{moment}"}}) {{ totalCount }} }}')
    assert literal.codes == ["BAD_REQUEST"] and literal.errors[0]["locations"], literal.body


async def test_a_naive_visit_time_is_refused_not_read_as_utc(gql: GraphQLClient) -> None:
    chosen = await f.expert("tzexpert")
    me = await f.client("tzclient")
    consultation = await f.thread(me, chosen)
    visit = await Visit.create(consultation=consultation, requested_by_id=me.user_id)
    document = """mutation($id: ID!, $at: DateTime!) { scheduleVisit(visitId: $id, scheduledAt: $at, location: "Room 1") {
      visit { scheduledAt } errors { code } } }"""
    naive = await gql(document, {"id": f.gid("Visit", visit.id), "at": "2026-12-01T09:00:00"}, token=chosen.token)
    assert naive.codes == ["BAD_REQUEST"] and naive.data is None, naive.body
    assert (await Visit.get(id=visit.id)).scheduled_at is None  # nothing written
    beijing = await gql(
        document, {"id": f.gid("Visit", visit.id), "at": "2026-12-01T09:00:00+08:00"}, token=chosen.token
    )
    assert beijing.data["scheduleVisit"]["errors"] == [], beijing.body
    # The same instant comes back, with an offset.
    answered = datetime.fromisoformat(beijing.data["scheduleVisit"]["visit"]["scheduledAt"])
    assert answered == datetime(2026, 12, 1, 1, 0, tzinfo=UTC)


async def test_help_plan_times_come_back_with_their_offset(gql: GraphQLClient) -> None:
    chosen = await f.expert("planexpert")
    me = await f.client("planclient")
    consultation = await f.thread(me, chosen)
    cid = f.gid("Consultation", consultation.id)
    naive = await gql(
        PLAN,
        {
            "input": {
                "consultationId": cid,
                "goals": "g",
                "measures": [{"description": "d", "dueAt": "2026-12-01T09:00"}],
            }
        },
        token=chosen.token,
    )
    assert naive.codes == ["BAD_REQUEST"] and "measures" in naive.errors[0]["message"], naive.body
    assert not await HelpPlanRevision.exists(consultation_id=consultation.id)
    saved = await gql.ok(
        PLAN,
        {
            "input": {
                "consultationId": cid,
                "goals": "g",
                "measures": [{"description": "d", "dueAt": "2026-12-01T09:00:00+08:00"}],
                "followUpAt": "2026-12-08T09:00:00+08:00",
            }
        },
        token=chosen.token,
    )
    plan = saved["saveHelpPlan"]["consultation"]["helpPlan"]
    assert datetime.fromisoformat(plan["measures"][0]["dueAt"]) == datetime(2026, 12, 1, 1, 0, tzinfo=UTC)
    assert datetime.fromisoformat(plan["followUpAt"]).utcoffset() is not None


async def test_a_measure_stored_without_an_offset_is_answered_as_utc(gql: GraphQLClient) -> None:
    # Plans saved before the rule keep the naive text they were given; Beacon stores UTC, so it says so.
    chosen = await f.expert("oldexpert")
    me = await f.client("oldclient")
    consultation = await f.thread(me, chosen)
    expert_actor = accounts.actor_for(await f._user(chosen.user_id))
    measure = care.MeasureInput("d", datetime(2026, 12, 1, 9, 0), False)
    await care.save_help_plan(
        expert_actor,
        InProcessEventBus(),
        consultation_id=consultation.id,
        goals="g",
        measures=[measure],
        follow_up_at=None,
    )
    query = "query($id: ID!) { consultation(id: $id) { helpPlan { measures { dueAt } } } }"
    data = await gql.ok(query, {"id": f.gid("Consultation", consultation.id)}, token=chosen.token)
    assert data["consultation"]["helpPlan"]["measures"] == [{"dueAt": "2026-12-01T09:00:00+00:00"}]


async def test_the_schema_states_the_rule(gql: GraphQLClient) -> None:
    data = await gql.ok('{ __type(name: "DateTime") { description specifiedByURL } }')
    assert data["__type"]["specifiedByURL"] == "https://datatracker.ietf.org/doc/html/rfc3339"
    assert "offset" in data["__type"]["description"]


async def test_a_learning_day_is_a_day_of_the_organizations_zone(gql: GraphQLClient) -> None:
    # Kiritimati (UTC+14) and Pago Pago (UTC-11) are 25 hours apart: their dates always differ,
    # so a day taken from UTC would be wrong for at least one of them at any hour.
    east = await accounts.create_organization(
        None, name="东", kind=OrganizationKind.SCHOOL, region=None, time_zone="Pacific/Kiritimati"
    )
    west = await accounts.create_organization(
        None, name="西", kind=OrganizationKind.SCHOOL, region=None, time_zone="Pacific/Pago_Pago"
    )
    lesson = await published_lesson(gql, await editor_token("day-editor"))
    learners = {}
    for org in (east, west):
        user = await make_user(f"learner{org.id}", organization_id=org.id)
        learners[org.id] = user
        token = (await accounts._open_session(user)).token
        before = datetime.now(UTC).astimezone(ZoneInfo(org.time_zone)).date()
        done = await gql.ok(RECORD, {"i": {"lessonId": lesson["id"], "seconds": 60, "completed": True}}, token=token)
        assert done["recordLearning"]["errors"] == []
        after = datetime.now(UTC).astimezone(ZoneInfo(org.time_zone)).date()
        day = (await LearningDay.get(user_id=user.id)).day
        assert day in {before, after}
    east_day = (await LearningDay.get(user_id=learners[east.id].id)).day
    west_day = (await LearningDay.get(user_id=learners[west.id].id)).day
    assert east_day != west_day
    # The report counts that day and writes it as the zone's midnight, with the zone's offset.
    teacher = await token_for("east-teacher", Role.TEACHER, organization_id=east.id)
    report = (await gql.ok(REPORT, {"id": to_global_id("Organization", east.id)}, token=teacher))["organizationReport"]
    assert report["learningTrend"] == [{"day": f"{east_day}T00:00:00+14:00", "learningSeconds": 60}]
    # A period from the zone's midnight to the next one is exactly that day; the day before is not in it.
    day_start = f"{east_day}T00:00:00+14:00"
    previous = await gql.ok(
        REPORT,
        {"id": to_global_id("Organization", east.id), "from": "2026-01-01T00:00:00+14:00", "to": day_start},
        token=teacher,
    )
    assert previous["organizationReport"]["learningSeconds"] == 0


async def test_an_organizations_time_zone_is_validated_and_changed_by_admins(gql: GraphQLClient) -> None:
    school = await accounts.create_organization(None, name="默认", kind=OrganizationKind.SCHOOL, region=None)
    assert school.time_zone == "Asia/Shanghai"
    admin = await token_for("tz-admin", Role.ADMIN)
    teacher = await token_for("tz-teacher", Role.TEACHER, organization_id=school.id)
    sid = to_global_id("Organization", school.id)
    bad = await gql.ok(SET_ZONE, {"id": sid, "zone": "Beijing"}, token=admin)
    assert bad["setOrganizationTimeZone"]["errors"] == [{"code": "INVALID", "field": "input.timeZone"}]
    refused = await gql.ok(SET_ZONE, {"id": sid, "zone": "Europe/Berlin"}, token=teacher)
    assert refused["setOrganizationTimeZone"]["errors"][0]["code"] == "FORBIDDEN"
    moved = await gql.ok(SET_ZONE, {"id": sid, "zone": "Europe/Berlin"}, token=admin)
    assert moved["setOrganizationTimeZone"] == {"organization": {"timeZone": "Europe/Berlin"}, "errors": []}
    created = await gql.ok(
        """mutation { createOrganization(input: {name: "X", kind: SCHOOL, timeZone: "Mars/Olympus"}) {
        errors { code field } } }""",
        token=admin,
    )
    assert created["createOrganization"]["errors"] == [{"code": "INVALID", "field": "input.timeZone"}]
