"""Preview links (issue 12): a token shows drafts in its scope, read-only, never cached, until it ends."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest

from models.accounts import AccountAudit
from models.base import Role
from models.content import PreviewToken
from resolvers import retention
from resolvers.content.media import storage_for
from schema.relay import parse_global_id
from settings import ConfigError, Settings, load_settings
from tests.accounts.factories import token_for
from tests.content.factories import (
    SET_LESSON_STATUS,
    create_lesson,
    create_story,
    editor_token,
    published_lesson,
)
from tests.helpers import GraphQLClient
from tests.test_caching import _client, get

CREATE = """
mutation Create($input: CreatePreviewTokenInput!) {
  createPreviewToken(input: $input) {
    token link
    previewToken { id label allDrafts active expiresAt revokedAt createdByName item { id } }
    errors { field code message }
  }
}"""
REVOKE = """
mutation Revoke($id: ID!) {
  revokePreviewToken(id: $id) { previewToken { id active revokedAt } errors { field code } }
}"""
LIST = """
query List($itemId: ID, $active: Boolean) {
  previewTokens(itemId: $itemId, active: $active) { totalCount edges { node { id label active allDrafts } } }
}"""
READ = """
query Read($id: ID!, $slug: String!) {
  lesson(slug: $slug) { id title status hasPendingChanges revisions { number } publishAt publishedVersion }
  byId: lesson(id: $id) { id title }
  node(id: $id) { id }
  lessons { totalCount edges { node { id title status } } }
  search(query: "草稿") { totalCount }
}"""
BY_ID = "query ById($id: ID!) { node: lesson(id: $id) { id title status } }"
ONE = "query One($id: ID!) { node(id: $id) { id ... on Lesson { title status } ... on Story { title status } } }"
UPDATE = """
mutation Update($id: ID!, $patch: LessonPatch!) { updateLesson(id: $id, patch: $patch) { errors { code } } }"""
SET_ARCHIVED = SET_LESSON_STATUS


async def _create(gql: GraphQLClient, token: str | None, **fields: Any) -> dict[str, Any]:
    answer = await gql(CREATE, {"input": {"label": "给校长看", **fields}}, token=token)
    assert answer.status == 200, answer.body
    created: dict[str, Any] = answer.data["createPreviewToken"]
    return created


async def _preview(gql: GraphQLClient, secret: str, query: str, variables: dict[str, Any]) -> Any:
    return await gql(query, variables, headers={"Beacon-Preview": secret})


async def test_a_token_for_one_draft_shows_it_and_its_translations_and_nothing_else(gql: GraphQLClient) -> None:
    editor = await editor_token()
    draft = await create_lesson(gql, editor, title="草稿课", body="草稿的正文")
    translation = await create_lesson(
        gql, editor, title="Draft lesson", slug=draft["slug"], locale="en", translationOfId=draft["id"]
    )
    other = await create_lesson(gql, editor, title="另一个草稿")
    story = await create_story(gql, editor, title="故事草稿")
    created = await _create(gql, editor, itemId=draft["id"])
    assert created["errors"] == [] and created["token"].startswith("bp_")
    assert created["previewToken"]["allDrafts"] is False and created["previewToken"]["item"] == {"id": draft["id"]}
    assert created["link"] is None  # no BEACON_PORTAL_URL in the test settings
    secret = created["token"]

    seen = await _preview(gql, secret, READ, {"id": draft["id"], "slug": draft["slug"]})
    assert seen.status == 200 and not seen.errors, seen.body
    lesson = seen.data["lesson"]
    assert (lesson["id"], lesson["title"], lesson["status"]) == (draft["id"], "草稿课", "DRAFT")
    # The draft, not the editors' tools: no history, schedule or published version.
    assert lesson["revisions"] == [] and lesson["publishAt"] is None and lesson["publishedVersion"] is None
    assert seen.data["byId"]["id"] == draft["id"] and seen.data["node"] == {"id": draft["id"]}
    # A one-item token changes no list: lists and search stay the public's.
    assert seen.data["lessons"]["totalCount"] == 0 and seen.data["search"]["totalCount"] == 0
    # Its translation is in scope (the portal switches language); other drafts are not.
    assert (await _preview(gql, secret, ONE, {"id": translation["id"]})).data["node"]["title"] == "Draft lesson"
    assert (await _preview(gql, secret, ONE, {"id": other["id"]})).data["node"] is None
    assert (await _preview(gql, secret, ONE, {"id": story["id"]})).data["node"] is None
    # Without the header the draft is as missing as ever.
    assert (await gql(ONE, {"id": draft["id"]})).data["node"] is None


async def test_a_token_shows_a_published_items_pending_edit_and_a_translation_token_its_original(
    gql: GraphQLClient,
) -> None:
    editor = await editor_token()
    lesson = await published_lesson(gql, editor, title="已发布的标题")
    edited = await gql.ok(UPDATE, {"id": lesson["id"], "patch": {"title": "待发布的标题"}}, token=editor)
    assert edited["updateLesson"]["errors"] == []
    translation = await create_lesson(
        gql, editor, title="English", slug=lesson["slug"], locale="en", translationOfId=lesson["id"]
    )
    secret = (await _create(gql, editor, itemId=translation["id"]))["token"]
    # A token made for a translation covers the whole family, the original's pending edit included.
    assert (await _preview(gql, secret, ONE, {"id": lesson["id"]})).data["node"]["title"] == "待发布的标题"
    assert (await gql(ONE, {"id": lesson["id"]})).data["node"]["title"] == "已发布的标题"


async def test_an_all_drafts_token_lists_every_draft_but_never_an_archived_item(gql: GraphQLClient) -> None:
    editor = await editor_token()
    await published_lesson(gql, editor, title="已发布")
    draft = await create_lesson(gql, editor, title="草稿一")
    archived = await create_lesson(gql, editor, title="草稿二")
    await gql.ok(SET_ARCHIVED, {"id": archived["id"], "status": "ARCHIVED"}, token=editor)
    created = await _create(gql, editor)
    assert created["previewToken"]["allDrafts"] is True and created["previewToken"]["item"] is None
    seen = await _preview(gql, created["token"], READ, {"id": draft["id"], "slug": draft["slug"]})
    assert not seen.errors, seen.body
    assert {e["node"]["title"] for e in seen.data["lessons"]["edges"]} == {"已发布", "草稿一"}
    assert seen.data["search"]["totalCount"] == 1
    assert (await _preview(gql, created["token"], ONE, {"id": archived["id"]})).data["node"] is None


async def test_a_preview_token_grants_nothing_else_and_writes_nothing(gql: GraphQLClient) -> None:
    editor = await editor_token()
    draft = await create_lesson(gql, editor)
    secret = (await _create(gql, editor))["token"]
    others = await _preview(
        gql, secret, "{ viewer { mustChangePassword } mySessions { totalCount } previewTokens { totalCount } }", {}
    )
    assert others.data == {"viewer": None, "mySessions": None, "previewTokens": None}
    assert set(others.codes) == {"UNAUTHENTICATED"}
    for document, variables in (
        (SET_LESSON_STATUS, {"id": draft["id"], "status": "PUBLISHED"}),
        ('mutation { login(input: {username: "x", password: "y"}) { errors { code } } }', {}),
        (CREATE, {"input": {"label": "自己再造一个"}}),
    ):
        refused = await _preview(gql, secret, document, variables)
        assert refused.data is None, refused.body
        assert refused.errors[0]["extensions"] == {"code": "FORBIDDEN", "reason": "preview_read_only"}
    assert (await gql(ONE, {"id": draft["id"]}, token=editor)).data["node"]["status"] == "DRAFT"
    assert await PreviewToken.all().count() == 1
    # Signed in, the bearer token decides: an editor may still work with a preview header on.
    answer = await gql(
        SET_LESSON_STATUS, {"id": draft["id"], "status": "IN_REVIEW"}, token=editor, headers={"Beacon-Preview": secret}
    )
    assert answer.data["setLessonStatus"]["errors"] == [], answer.body


async def test_ended_and_unknown_tokens_are_refused_with_their_reason_never_answered_as_published(
    gql: GraphQLClient,
) -> None:
    editor = await editor_token()
    lesson = await published_lesson(gql, editor)
    expiring = await _create(gql, editor, itemId=lesson["id"])
    revoked = await _create(gql, editor, itemId=lesson["id"])
    await PreviewToken.filter(id=_pk(expiring)).update(expires_at=datetime.now(UTC) - timedelta(seconds=1))
    done = await gql.ok(REVOKE, {"id": revoked["previewToken"]["id"]}, token=editor)
    assert done["revokePreviewToken"]["previewToken"]["active"] is False
    for secret, reason in (
        (expiring["token"], "preview_expired"),
        (revoked["token"], "preview_revoked"),
        ("bp_never-given-out", "preview_invalid"),
    ):
        answer = await _preview(gql, secret, ONE, {"id": lesson["id"]})
        assert answer.status == 401 and "data" not in answer.body, answer.body
        assert answer.errors[0]["extensions"] == {"code": "UNAUTHENTICATED", "reason": reason}
        assert "www-authenticate" not in answer.headers  # not a bearer credential
    again = await gql(REVOKE, {"id": revoked["previewToken"]["id"]}, token=editor)  # a second revocation: no change
    assert again.data["revokePreviewToken"]["errors"] == []


async def test_only_editors_and_admins_create_list_and_revoke_and_the_secret_is_stored_as_a_digest(
    gql: GraphQLClient, settings: Settings
) -> None:
    editor = await editor_token()
    admin = await token_for("admin", Role.ADMIN)
    learner = await token_for("learner", Role.LEARNER)
    draft = await create_lesson(gql, editor)
    created = await _create(gql, editor, itemId=draft["id"], expiresInHours=2)
    secret = created["token"]
    expires = datetime.fromisoformat(created["previewToken"]["expiresAt"])
    assert timedelta(minutes=119) < expires - datetime.now(UTC) <= timedelta(hours=2)
    assert created["previewToken"]["createdByName"] is not None
    default = await _create(gql, admin)
    default_expires = datetime.fromisoformat(default["previewToken"]["expiresAt"]) - datetime.now(UTC)
    assert timedelta(hours=settings.preview_hours) - default_expires < timedelta(minutes=1)
    row = await PreviewToken.get(id=_pk(created))
    assert row.token_hash != secret and secret not in row.token_hash and len(row.token_hash) == 64

    too_long = await _create(gql, editor, expiresInHours=settings.preview_max_hours + 1)
    assert too_long["errors"] == [
        {"field": "input.expiresInHours", "code": "INVALID", "message": "Give a lifetime of 1 to 720 hours."}
    ]
    assert (await _create(gql, editor, label=" "))["errors"][0]["field"] == "input.label"
    missing = await _create(gql, editor, itemId="TGVzc29uOjk5OTk=")  # Lesson:9999
    assert missing["errors"][0]["code"] == "NOT_FOUND"
    assert (await _create(gql, learner))["errors"][0]["code"] == "FORBIDDEN"
    assert (await _create(gql, None))["errors"][0]["code"] == "UNAUTHENTICATED"
    assert (await gql(REVOKE, {"id": created["previewToken"]["id"]}, token=learner)).data["revokePreviewToken"][
        "errors"
    ][0]["code"] == "FORBIDDEN"

    listed = await gql.ok(LIST, {}, token=editor)
    assert listed["previewTokens"]["totalCount"] == 2 and "token" not in str(listed).lower().replace(
        "previewtokens", ""
    )
    only_item = await gql.ok(LIST, {"itemId": draft["id"]}, token=admin)
    assert [e["node"]["id"] for e in only_item["previewTokens"]["edges"]] == [created["previewToken"]["id"]]
    await gql.ok(REVOKE, {"id": created["previewToken"]["id"]}, token=admin)  # any editor or admin may end any
    ended = await gql.ok(LIST, {"active": False}, token=editor)
    assert [e["node"]["id"] for e in ended["previewTokens"]["edges"]] == [created["previewToken"]["id"]]
    assert (await gql.ok(LIST, {"active": True}, token=editor))["previewTokens"]["totalCount"] == 1
    forbidden = await gql(LIST, {}, token=learner)
    assert forbidden.data == {"previewTokens": None} and forbidden.codes == ["FORBIDDEN"]

    actions = [a.action for a in await AccountAudit.all().order_by("id")]
    assert actions == ["preview_token_created", "preview_token_created", "preview_token_revoked"]


async def test_the_link_points_at_the_portals_preview_page(gql: GraphQLClient, settings: Settings) -> None:
    editor = await editor_token()
    story = await create_story(gql, editor)
    async for http in _client(replace(settings, portal_url="https://portal.example")):
        created = await _create(GraphQLClient(http), editor, itemId=story["id"])
        assert created["link"] == (
            f"https://portal.example/preview?token={created['token']}&type=story&slug={story['slug']}&locale=zh-CN"
        )
        every = await _create(GraphQLClient(http), editor)
        assert every["link"] == f"https://portal.example/preview?token={every['token']}"


@pytest.fixture
async def http(settings: Settings) -> AsyncIterator[httpx.AsyncClient]:
    async for client in _client(replace(settings, response_cache=True)):
        yield client


async def test_preview_answers_are_never_cached_nor_served_from_the_cache(
    gql: GraphQLClient, http: httpx.AsyncClient
) -> None:
    editor = await editor_token()
    lesson = await published_lesson(gql, editor, title="公开的标题")
    await gql.ok(UPDATE, {"id": lesson["id"], "patch": {"title": "草稿的标题"}}, token=editor)
    secret = (await _create(gql, editor, itemId=lesson["id"]))["token"]
    variables = {"id": lesson["id"]}
    for _ in range(2):  # the second anonymous read is the cache's (the shortcut's) answer
        public = await get(http, BY_ID, variables)
        assert public.json()["data"]["node"]["title"] == "公开的标题"
        assert public.headers["cache-control"].startswith("public") and "Beacon-Preview" in public.headers["vary"]
    for _ in range(2):  # the same bytes with a preview header: never the cached public answer, never stored
        previewed = await get(http, BY_ID, variables, headers={"Beacon-Preview": secret})
        assert previewed.json()["data"]["node"]["title"] == "草稿的标题"
        assert previewed.headers["cache-control"] == "private, no-store" and "etag" not in previewed.headers
        posted = await http.post(
            "/graphql", json={"query": BY_ID, "variables": variables}, headers={"Beacon-Preview": secret}
        )
        assert posted.json()["data"]["node"]["title"] == "草稿的标题"
        assert posted.headers["cache-control"] == "private, no-store"
    assert (await get(http, BY_ID, variables)).json()["data"]["node"]["title"] == "公开的标题"
    await PreviewToken.filter(token_hash__not="").update(revoked_at=datetime.now(UTC))
    refused = await get(http, BY_ID, variables, headers={"Beacon-Preview": secret})
    assert refused.status_code == 401 and refused.headers["cache-control"] == "private, no-store"


async def test_the_purge_removes_ended_preview_tokens(gql: GraphQLClient, data_dir: Path) -> None:
    editor = await editor_token()
    old_expired, old_revoked, recent, active = [_pk(await _create(gql, editor)) for _ in range(4)]
    long_ago = datetime.now(UTC) - timedelta(days=31)
    await PreviewToken.filter(id=old_expired).update(expires_at=long_ago)
    await PreviewToken.filter(id=old_revoked).update(revoked_at=long_ago)
    await PreviewToken.filter(id=recent).update(expires_at=datetime.now(UTC) - timedelta(days=1))
    made = await retention.plan(retention.Policy())
    assert made.ids[retention.EXPIRED_PREVIEW_TOKENS] == sorted([old_expired, old_revoked])
    done = await retention.execute(made, storage_for(data_dir / "media"))
    assert done[retention.EXPIRED_PREVIEW_TOKENS] == sorted([old_expired, old_revoked])
    assert sorted(await PreviewToken.all().values_list("id", flat=True)) == sorted([recent, active])


def test_preview_lifetimes_are_settings(tmp_path: Path) -> None:
    base = {"BEACON_DATA_DIR": str(tmp_path), "BEACON_SECRET_KEY": "k" * 40}
    defaults = load_settings(base)
    assert (defaults.preview_hours, defaults.preview_max_hours) == (72, 720)
    chosen = load_settings({**base, "BEACON_PREVIEW_HOURS": "24", "BEACON_PREVIEW_MAX_HOURS": "48"})
    assert (chosen.preview_hours, chosen.preview_max_hours) == (24, 48)
    with pytest.raises(ConfigError, match="must not exceed"):
        load_settings({**base, "BEACON_PREVIEW_HOURS": "100", "BEACON_PREVIEW_MAX_HOURS": "48"})


def _pk(created: dict[str, Any]) -> int:
    parsed = parse_global_id(created["previewToken"]["id"])
    assert parsed is not None
    return parsed[1]
