"""`beacon seed-demo` fills the consultation desk: 18 experts, the demo client's two consultations."""

from __future__ import annotations

from pathlib import Path

from demo.seed import seed_demo
from models.consultations import Consultation, ExpertProfile, HelpPlanRevision, Visit
from resolvers import accounts
from settings import Settings
from tests.helpers import GraphQLClient

MINE = """
{ viewer { acceptedPrivacyNoticeVersion consultations { totalCount edges { node { subject status expert { displayName }
  messages { totalCount } helpPlan { measures { description } } visits { status location } } } } } }"""


async def test_demo_consultation_desk(gql: GraphQLClient, settings: Settings, data_dir: Path) -> None:
    await seed_demo(settings)
    await seed_demo(settings)  # idempotent
    assert await ExpertProfile.all().count() == 18
    assert await ExpertProfile.filter(accepting_consultations=False).count() >= 1
    assert await Consultation.all().count() == 2
    assert await HelpPlanRevision.all().count() == 1 and await Visit.filter(status="SCHEDULED").count() == 1
    from models.accounts import User

    client = await User.get(username_key="demo-client")
    token = (await accounts._open_session(client)).token
    mine = (await gql.ok(MINE, token=token))["viewer"]
    assert mine["acceptedPrivacyNoticeVersion"] == 1 and mine["consultations"]["totalCount"] == 2
    with_plan = [e["node"] for e in mine["consultations"]["edges"] if e["node"]["helpPlan"]]
    assert len(with_plan) == 1 and with_plan[0]["visits"][0]["status"] == "SCHEDULED"
    groups = (await gql.ok("{ expertGroups { area experts { displayName } } }"))["expertGroups"]
    assert sum(len(g["experts"]) for g in groups) == 18 and all(g["experts"] for g in groups)
