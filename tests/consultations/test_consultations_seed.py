"""`beacon seed-demo` fills the consultation desk: 18 experts, the demo client's two consultations."""

from __future__ import annotations

from pathlib import Path

from demo.seed import seed_demo
from models.consultations import Consultation, ExpertProfile, HelpPlanRevision, Visit
from models.content import MediaAsset
from resolvers import accounts
from settings import Settings
from tests.helpers import GraphQLClient

GROUPS = "{ expertGroups { area experts { displayName photo { kind altText url } } } }"
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
    groups = (await gql.ok(GROUPS))["expertGroups"]
    experts = [e for g in groups for e in g["experts"]]
    assert len(experts) == 18 and all(g["experts"] for g in groups)
    # Every expert has a drawn portrait (an illustration, seeded once), served as the image it says it is.
    assert all(e["photo"] and e["photo"]["kind"] == "IMAGE" and e["photo"]["altText"] for e in experts)
    assert len({e["photo"]["url"] for e in experts}) == 18
    assert await MediaAsset.filter(title__startswith="专家头像").count() == 18  # the second seed drew none
    served = await gql.http.get(experts[0]["photo"]["url"])
    assert served.status_code == 200 and served.headers["content-type"] == "image/png"
    assert served.content.startswith(b"\x89PNG")
