"""Relay paging through real connection fields, the way Relay's client walks them.

Relay asks for `first`/`after` forward (reading `pageInfo.endCursor`/`hasNextPage`) and
`last`/`before` backward (`startCursor`/`hasPreviousPage`), may resume from any edge's cursor,
and expects no duplicates, no gaps and null cursors on an empty page.
"""

from __future__ import annotations

from typing import Any

import pytest

from models.consultations import ExpertiseArea
from tests.consultations import factories as f
from tests.helpers import GraphQLClient

EXPERTS = """query($area: ExpertiseArea, $first: Int, $after: String, $last: Int, $before: String) {
  experts(area: $area, first: $first, after: $after, last: $last, before: $before) {
    totalCount
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    edges { cursor node { id displayName } }
  }
}"""
MESSAGES = """query($id: ID!, $first: Int, $after: String, $last: Int, $before: String) {
  consultation(id: $id) {
    messages(first: $first, after: $after, last: $last, before: $before) {
      totalCount
      pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
      edges { cursor node { id body } }
    }
  }
}"""


async def connection(gql: GraphQLClient, query: str, variables: dict[str, Any], token: str | None = None) -> Any:
    data = await gql.ok(query, variables, token=token)
    return data["experts"] if "experts" in data else data["consultation"]["messages"]


def ids(page: Any) -> list[str]:
    return [edge["node"]["id"] for edge in page["edges"]]


def check_page_info(page: Any) -> None:
    edges = page["edges"]
    info = page["pageInfo"]
    if edges:
        assert info["startCursor"] == edges[0]["cursor"] and info["endCursor"] == edges[-1]["cursor"]
    else:
        assert info["startCursor"] is None and info["endCursor"] is None
    assert len({edge["cursor"] for edge in edges}) == len(edges)


async def walk_forward(gql: GraphQLClient, query: str, base: dict[str, Any], size: int, token: str | None) -> list[str]:
    seen: list[str] = []
    after = None
    totals = set()
    while True:
        page = await connection(gql, query, {**base, "first": size, "after": after}, token)
        check_page_info(page)
        totals.add(page["totalCount"])
        assert len(page["edges"]) <= size
        assert page["pageInfo"]["hasPreviousPage"] == (after is not None)
        seen += ids(page)
        if not page["pageInfo"]["hasNextPage"]:
            break
        assert len(page["edges"]) == size  # a short page is the last one
        after = page["pageInfo"]["endCursor"]
    assert totals == {len(seen)}
    return seen


async def walk_backward(
    gql: GraphQLClient, query: str, base: dict[str, Any], size: int, token: str | None
) -> list[str]:
    seen: list[str] = []
    before = None
    totals = set()
    while True:
        page = await connection(gql, query, {**base, "last": size, "before": before}, token)
        check_page_info(page)
        totals.add(page["totalCount"])
        assert page["pageInfo"]["hasNextPage"] == (before is not None)
        seen = ids(page) + seen
        if not page["pageInfo"]["hasPreviousPage"]:
            break
        assert len(page["edges"]) == size
        before = page["pageInfo"]["startCursor"]
    assert totals == {len(seen)}
    return seen


@pytest.mark.parametrize("size", [1, 4, 13, 20])
async def test_experts_page_forward_and_backward_without_gaps_or_duplicates(gql: GraphQLClient, size: int) -> None:
    for i in range(13):
        await f.expert(f"psy{i:02}")
    for i in range(4):
        await f.expert(f"law{i}", ExpertiseArea.LEGAL)
    base = {"area": "PSYCHOLOGICAL"}
    everything = ids(await connection(gql, EXPERTS, {**base, "first": 100}))
    assert len(everything) == len(set(everything)) == 13
    assert await walk_forward(gql, EXPERTS, base, size, None) == everything
    assert await walk_backward(gql, EXPERTS, base, size, None) == everything
    # The whole directory pages the same way, across areas.
    assert len(await walk_forward(gql, EXPERTS, {}, size, None)) == 17


async def test_any_edge_cursor_resumes_and_directions_agree(gql: GraphQLClient) -> None:
    for i in range(10):
        await f.expert(f"psy{i:02}")
    everything = (await connection(gql, EXPERTS, {"first": 100}))["edges"]
    order = [edge["node"]["id"] for edge in everything]
    for k, edge in enumerate(everything):
        after = await connection(gql, EXPERTS, {"first": 3, "after": edge["cursor"]})
        assert ids(after) == order[k + 1 : k + 4]
        assert after["pageInfo"]["hasPreviousPage"] is True
        assert after["pageInfo"]["hasNextPage"] == (k + 4 < len(order))
        before = await connection(gql, EXPERTS, {"last": 3, "before": edge["cursor"]})
        assert ids(before) == order[max(0, k - 3) : k]
        assert before["pageInfo"]["hasNextPage"] is True
        assert before["pageInfo"]["hasPreviousPage"] == (k - 3 > 0)
    # Forward to page 2, then back from its start: page 1 again.
    first_page = await connection(gql, EXPERTS, {"first": 4})
    second = await connection(gql, EXPERTS, {"first": 4, "after": first_page["pageInfo"]["endCursor"]})
    back = await connection(gql, EXPERTS, {"last": 4, "before": second["pageInfo"]["startCursor"]})
    assert ids(back) == ids(first_page) and back["edges"] == first_page["edges"]
    # Past either end and an empty connection: no edges, null cursors, nothing further that way.
    beyond = await connection(gql, EXPERTS, {"first": 4, "after": everything[-1]["cursor"]})
    assert beyond["edges"] == [] and beyond["pageInfo"]["hasNextPage"] is False
    check_page_info(beyond)
    before_start = await connection(gql, EXPERTS, {"last": 4, "before": everything[0]["cursor"]})
    assert before_start["edges"] == [] and before_start["pageInfo"]["hasPreviousPage"] is False
    empty = await connection(gql, EXPERTS, {"area": "LEGAL", "first": 5})
    assert empty["edges"] == [] and empty["totalCount"] == 0
    assert empty["pageInfo"] == {"hasNextPage": False, "hasPreviousPage": False, "startCursor": None, "endCursor": None}


async def test_messages_page_both_ways_and_catch_up_after_new_messages(gql: GraphQLClient) -> None:
    chosen = await f.expert("xuexpert")
    me = await f.client("ming")
    consultation = await f.thread(me, chosen)
    await f.add_messages(consultation, 22)
    base = {"id": f.gid("Consultation", consultation.id)}
    everything = ids(await connection(gql, MESSAGES, {**base, "first": 100}, me.token))
    assert len(everything) == 23
    assert await walk_forward(gql, MESSAGES, base, 5, me.token) == everything
    assert await walk_backward(gql, MESSAGES, base, 5, me.token) == everything
    # A client that read to the end resumes from its last cursor after new messages: exactly the new ones.
    last = await connection(gql, MESSAGES, {**base, "last": 1}, me.token)
    await f.add_messages(consultation, 3, from_expert=True)
    missed = await connection(gql, MESSAGES, {**base, "first": 20, "after": last["pageInfo"]["endCursor"]}, me.token)
    assert [e["node"]["body"] for e in missed["edges"]] == ["message 0", "message 1", "message 2"]
    assert missed["totalCount"] == 26 and missed["pageInfo"]["hasNextPage"] is False
