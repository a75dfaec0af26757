"""The demo content loads, is idempotent, and is served like any other content."""

from __future__ import annotations

from demo.seed import content as seed_content
from models.content import ContentItem, ContentType, MediaAsset
from settings import Settings
from tests.helpers import GraphQLClient

SHELVES = (
    "{ lessons(first: 100) { totalCount edges { node { section locale coverImage { url } } } } stories { totalCount } }"
)


async def test_demo_content_loads_once_and_is_served(gql: GraphQLClient, settings: Settings) -> None:
    await seed_content.seed(settings)
    counts = (await ContentItem.all().count(), await MediaAsset.all().count())
    await seed_content.seed(settings)
    assert (await ContentItem.all().count(), await MediaAsset.all().count()) == counts
    assert await ContentItem.filter(content_type=ContentType.LESSON).count() >= 16
    data = await gql.ok(SHELVES)
    nodes = [e["node"] for e in data["lessons"]["edges"]]
    assert {n["section"] for n in nodes} == {
        "AUDIOVISUAL",
        "COURSEWARE",
        "ILLUSTRATED",
        "HANDBOOK",
    }
    assert {n["locale"] for n in nodes} >= {"zh-CN", "en"}
    assert data["stories"]["totalCount"] >= 5
    cover = next(n["coverImage"]["url"] for n in nodes if n["coverImage"])
    assert (await gql.http.get(cover)).status_code == 200
    found = await gql.ok('{ search(query: "冰毒") { totalCount } }')
    assert found["search"]["totalCount"] > 0
