"""What the console's editor needs from the API: a Markdown preview, where media is used, the published version."""

from __future__ import annotations

from models.base import Role
from tests.accounts.factories import token_for
from tests.content.factories import create_lesson, editor_token, png_bytes, publish_lesson, upload_ok
from tests.helpers import GraphQLClient

PREVIEW = "query ($m: String!) { renderMarkdown(markdown: $m) }"
USED = """
query ($id: ID!) { node(id: $id) { ... on MediaAsset { usedIn { __typename id title ... on Lesson { section } } } } }"""
LESSON = "query ($id: ID!) { lesson(id: $id) { title hasPendingChanges publishedVersion } }"
UPDATE = """
mutation ($id: ID!, $patch: LessonPatch!) { updateLesson(id: $id, patch: $patch) { errors { field message } } }"""


async def test_markdown_preview_is_the_servers_sanitised_rendering(gql: GraphQLClient) -> None:
    editor = await editor_token()
    markdown = '# 标题\n\n**拒绝**毒品 <script>alert(1)</script> [链接](javascript:alert(1)) <a href="javascript:alert(1)">x</a>'
    response = await gql(PREVIEW, {"m": markdown}, token=editor)
    html = response.data["renderMarkdown"]
    assert "<h1>标题</h1>" in html and "<strong>拒绝</strong>" in html
    assert "<script" not in html and 'href="javascript' not in html
    lesson = await create_lesson(gql, editor, body=markdown)
    stored = await gql.ok("query ($id: ID!) { lesson(id: $id) { bodyHtml } }", {"id": lesson["id"]}, token=editor)
    assert stored["lesson"]["bodyHtml"] == html  # the preview is what readers will get

    learner = await token_for("learner", Role.LEARNER)
    refused = await gql(PREVIEW, {"m": "x"}, token=learner)
    assert refused.errors and refused.errors[0]["extensions"]["code"] == "FORBIDDEN"
    too_long = await gql(PREVIEW, {"m": "字" * 200_001}, token=editor)
    assert too_long.errors and too_long.errors[0]["extensions"]["code"] == "TOO_LARGE"


async def test_media_used_in_lists_attaching_and_cover_lessons_for_editors_only(gql: GraphQLClient) -> None:
    editor = await editor_token()
    image = await upload_ok(gql, editor, png_bytes(), "cover.png", altText="封面")
    spare = await upload_ok(gql, editor, png_bytes(color="red"), "spare.png", altText="备用")
    attaching = await create_lesson(gql, editor, title="附图课程", mediaIds=[image["id"]])
    covering = await create_lesson(gql, editor, title="封面课程", coverImageId=image["id"])
    used = (await gql.ok(USED, {"id": image["id"]}, token=editor))["node"]["usedIn"]
    assert sorted(u["id"] for u in used) == sorted([attaching["id"], covering["id"]])
    assert {u["__typename"] for u in used} == {"Lesson"} and all(u["section"] == "HANDBOOK" for u in used)
    assert (await gql.ok(USED, {"id": spare["id"]}, token=editor))["node"]["usedIn"] == []

    # A pending edit of a published lesson that adds the spare image counts as a use.
    await publish_lesson(gql, editor, covering["id"])
    edited = await gql.ok(UPDATE, {"id": covering["id"], "patch": {"mediaIds": [spare["id"]]}}, token=editor)
    assert edited["updateLesson"]["errors"] == []
    used = (await gql.ok(USED, {"id": spare["id"]}, token=editor))["node"]["usedIn"]
    assert [u["id"] for u in used] == [covering["id"]]


async def test_published_version_shows_what_a_pending_edit_would_replace(gql: GraphQLClient) -> None:
    editor = await editor_token()
    lesson = await create_lesson(gql, editor, title="旧标题", tags=["冰毒"], estimatedMinutes=5)
    assert (await gql.ok(LESSON, {"id": lesson["id"]}, token=editor))["lesson"]["publishedVersion"] is None
    await publish_lesson(gql, editor, lesson["id"])
    edited = await gql.ok(UPDATE, {"id": lesson["id"], "patch": {"title": "新标题", "tags": ["海洛因"]}}, token=editor)
    assert edited["updateLesson"]["errors"] == []
    seen = (await gql.ok(LESSON, {"id": lesson["id"]}, token=editor))["lesson"]
    assert seen["title"] == "新标题" and seen["hasPendingChanges"] is True
    published = seen["publishedVersion"]
    assert published["title"] == "旧标题" and published["tags"] == ["冰毒"] and published["estimatedMinutes"] == 5
    assert published["section"] == "HANDBOOK" and published["mediaIds"] == [] and published["coverImageId"] is None
    public = await gql.ok(LESSON, {"id": lesson["id"]})
    assert public["lesson"]["title"] == "旧标题" and public["lesson"]["publishedVersion"] is None
