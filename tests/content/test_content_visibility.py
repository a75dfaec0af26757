"""Drafts are indistinguishable from missing items for anyone but editors, by every route."""

from __future__ import annotations

from models.accounts import Organization
from models.base import OrganizationKind, Role
from resolvers import accounts
from resolvers.content.sync import encode_token
from tests.accounts.factories import token_for
from tests.content.factories import (
    SET_LESSON_STATUS,
    create_lesson,
    create_story,
    editor_token,
    published_lesson,
)
from tests.helpers import GraphQLClient

ROUTES = """
query Routes($id: ID!, $slug: String!) {
  lessons { totalCount edges { node { id } } }
  stories { totalCount }
  lesson(slug: $slug) { id }
  byId: lesson(id: $id) { id }
  node(id: $id) { id }
  search(query: "冰毒") { totalCount edges { node { id } } }
  syncContent { items { id } deletedIds }
}"""
EDITOR_LIST = """
query { lessons(filter: {status: DRAFT}) { totalCount edges { node { id status } } } }"""
SYNC = """
query Sync($token: String) { syncContent(syncToken: $token, first: 10) { items { id } deletedIds nextSyncToken hasMore } }"""


async def _callers() -> dict[str, str | None]:
    org = await Organization.create(name="第一中学", kind=OrganizationKind.SCHOOL)
    return {
        "anonymous": None,
        "learner": await token_for("learner", Role.LEARNER),
        "teacher": await token_for("teacher", Role.TEACHER, organization_id=org.id),
        "client": await token_for("client", Role.CLIENT),
        "api key": await accounts.create_api_key(name="LMS", organization=org),
    }


async def test_drafts_are_invisible_to_everyone_but_editors_by_every_route(
    gql: GraphQLClient,
) -> None:
    editor = await editor_token()
    draft = await create_lesson(gql, editor, title="冰毒的真相", body="冰毒会让人上瘾。")
    await create_story(gql, editor)
    for name, token in (await _callers()).items():
        data = await gql.ok(ROUTES, {"id": draft["id"], "slug": draft["slug"]}, token=token)
        assert data["lessons"] == {"totalCount": 0, "edges": []}, name
        assert data["stories"]["totalCount"] == 0, name
        assert data["lesson"] is None and data["byId"] is None and data["node"] is None, name
        assert data["search"]["totalCount"] == 0, name
        assert data["syncContent"]["items"] == [], name
    seen = await gql.ok(EDITOR_LIST, token=editor)
    assert seen["lessons"]["edges"] == [{"node": {"id": draft["id"], "status": "DRAFT"}}]
    editor_routes = await gql.ok(ROUTES, {"id": draft["id"], "slug": draft["slug"]}, token=editor)
    assert (
        editor_routes["node"] == {"id": draft["id"]} and editor_routes["search"]["totalCount"] == 2
    )  # the lesson and the story


async def test_status_filter_is_ignored_for_non_editors(gql: GraphQLClient) -> None:
    editor = await editor_token()
    await create_lesson(gql, editor)
    learner = await token_for("learner", Role.LEARNER)
    assert (await gql.ok(EDITOR_LIST, token=learner))["lessons"]["totalCount"] == 0


async def test_archiving_puts_the_id_in_the_next_sync_page(gql: GraphQLClient) -> None:
    editor = await editor_token()
    lesson = await published_lesson(gql, editor)
    first = (await gql.ok(SYNC, {"token": None}))["syncContent"]
    assert [i["id"] for i in first["items"]] == [lesson["id"]] and first["deletedIds"] == []
    await gql.ok(SET_LESSON_STATUS, {"id": lesson["id"], "status": "ARCHIVED"}, token=editor)
    second = (await gql.ok(SYNC, {"token": first["nextSyncToken"]}))["syncContent"]
    assert second["items"] == [] and second["deletedIds"] == [lesson["id"]]
    assert second["hasMore"] is False
    third = (await gql.ok(SYNC, {"token": second["nextSyncToken"]}))["syncContent"]
    assert third["items"] == [] and third["deletedIds"] == []
    gone = await gql.ok("query($id: ID!) { node(id: $id) { id } }", {"id": lesson["id"]})
    assert gone["node"] is None


async def test_sync_pages_never_skip_an_item_changed_while_paging(
    gql: GraphQLClient,
) -> None:
    editor = await editor_token()
    ids = [(await published_lesson(gql, editor, title=f"第{i}课 拒绝毒品"))["id"] for i in range(5)]
    page1 = (await gql.ok("query { syncContent(first: 2) { items { id } nextSyncToken hasMore } }"))["syncContent"]
    assert [i["id"] for i in page1["items"]] == ids[:2] and page1["hasMore"]
    # The first lesson changes while the client pages: it must come again, later.
    await gql.ok(SET_LESSON_STATUS, {"id": ids[0], "status": "DRAFT"}, token=editor)
    await gql.ok(SET_LESSON_STATUS, {"id": ids[0], "status": "PUBLISHED"}, token=editor)
    seen: list[str] = []
    token = page1["nextSyncToken"]
    while True:
        page = (await gql.ok(SYNC, {"token": token}))["syncContent"]
        seen += [i["id"] for i in page["items"]] + page["deletedIds"]
        token = page["nextSyncToken"]
        if not page["hasMore"]:
            break
    assert seen == [*ids[2:], ids[0]]


async def test_a_bad_sync_token_is_refused(gql: GraphQLClient) -> None:
    # Malformed (not base64 of "sync:<digits>", or other digits than ASCII): the request's fault, as
    # a malformed ID or cursor in a query (docs/api-guide.md, "Errors and codes"). syncContent is
    # non-null in the frontend contract, so the error nulls the whole data.
    for token in ("bm9wZQ", "not base64!", "c3luYzrZodmi", "c3luYzox" * 40):
        result = await gql(SYNC, {"token": token})
        assert result.codes == ["BAD_REQUEST"] and result.data is None, (token, result.body)
        assert result.errors[0]["message"] == "Not a sync token this server gave out."
    # Well-formed, of a change that has not happened yet: nothing since then, no error (tokens never expire).
    later = await gql.ok(SYNC, {"token": encode_token(10**9)})
    assert later["syncContent"]["items"] == [] and later["syncContent"]["hasMore"] is False


async def test_a_sync_page_size_out_of_range_is_refused_not_clamped(gql: GraphQLClient) -> None:
    # As first/last of every connection (docs/api-guide.md, "Paging"), but a sync page holds at least one.
    sized = "query($first: Int) { syncContent(first: $first) { items { id } hasMore } }"
    editor = await editor_token()
    ids = [(await published_lesson(gql, editor, title=f"第{i}课 拒绝毒品"))["id"] for i in range(2)]
    for first in (0, -1, 101, 500):
        result = await gql(sized, {"first": first})
        # syncContent is non-null in the frontend contract: the error nulls the whole data.
        assert result.codes == ["BAD_REQUEST"] and result.data is None, (first, result.body)
        assert result.errors[0]["message"] == "'first' must be 1 to 100 (without it, 50).", first
        assert result.errors[0]["path"] == ["syncContent"], first
    # The edges of the range answer, and without first the default page (50) holds both.
    smallest = (await gql.ok(sized, {"first": 1}))["syncContent"]
    assert [i["id"] for i in smallest["items"]] == ids[:1] and smallest["hasMore"] is True
    for first in (100, None):
        page = (await gql.ok(sized, {"first": first}))["syncContent"]
        assert [i["id"] for i in page["items"]] == ids and page["hasMore"] is False, first
