"""List pages load tags, covers and media for the whole page (schema/content/prefetch.py).

What a page answers must be what the same items answer one by one (through the loaders),
through fragments too, and an editor's list must show a pending edit's relations.
"""

from __future__ import annotations

from typing import Any

import pytest

from schema.content import queries
from schema.content.prefetch import prefetch
from tests.content.factories import (
    editor_token,
    png_bytes,
    published_lesson,
    upload_ok,
)
from tests.helpers import GraphQLClient, count_statements

RELATIONS = "tags { id slug name } coverImage { id url altText width height variantUrl(width: 320) } media { id kind mimeType url byteSize createdAt }"
PAGE = f"query {{ lessons(first: 10) {{ edges {{ node {{ id title {RELATIONS} }} }} }} }}"
ONE = f"query($id: ID!) {{ lesson(id: $id) {{ id title {RELATIONS} }} }}"
THROUGH_FRAGMENTS = """
query { lessons(first: 10) { edges { ...Edge } } }
fragment Edge on LessonEdge { node { id title ... on Lesson { tags { id slug name } } ...Pictures } }
fragment Pictures on Content { coverImage { id url altText width height variantUrl(width: 320) } media { id kind mimeType url byteSize createdAt } }
"""
UPDATE = """
mutation Update($id: ID!, $patch: LessonPatch!) { updateLesson(id: $id, patch: $patch) { errors { code } } }"""


async def _lessons(gql: GraphQLClient, editor: str) -> list[dict[str, Any]]:
    cover = await upload_ok(gql, editor, png_bytes(), "cover.png", altText="海报")
    other = await upload_ok(gql, editor, png_bytes(color="orange"), "other.png", altText="另一张")
    return [
        await published_lesson(
            gql,
            editor,
            title=f"第{i}课",
            tags=["毒品危害", f"主题{i}"],
            coverImageId=cover["id"] if i != 1 else None,
            mediaIds=[other["id"], cover["id"]][: i + 1],
        )
        for i in range(3)
    ]


async def test_a_page_answers_what_each_item_answers_alone(gql: GraphQLClient) -> None:
    editor = await editor_token()
    await _lessons(gql, editor)
    page = [e["node"] for e in (await gql.ok(PAGE))["lessons"]["edges"]]
    assert len(page) == 3 and any(n["coverImage"] is None for n in page) and all(n["tags"] for n in page)
    for node in page:
        assert (await gql.ok(ONE, {"id": node["id"]}))["lesson"] == node


async def test_look_ahead_sees_through_fragments(gql: GraphQLClient, monkeypatch: pytest.MonkeyPatch) -> None:
    editor = await editor_token()
    await _lessons(gql, editor)
    seen: list[set[str]] = []

    async def recording(nodes: Any, selected: set[str]) -> None:
        seen.append(set(selected))
        await prefetch(nodes, selected)

    monkeypatch.setattr(queries, "prefetch", recording)
    with count_statements() as direct:
        plain = await gql.ok(PAGE)
    with count_statements() as fragmented:
        through = await gql.ok(THROUGH_FRAGMENTS)
    assert through == plain and fragmented.count == direct.count
    assert seen[0] >= {"tags", "coverImage", "media"} and seen[1] == seen[0]


async def test_an_editors_page_shows_a_pending_edits_relations(gql: GraphQLClient) -> None:
    editor = await editor_token()
    lesson = (await _lessons(gql, editor))[0]
    edited = await gql.ok(
        UPDATE, {"id": lesson["id"], "patch": {"tags": ["新标签"], "mediaIds": [], "coverImageId": None}}, token=editor
    )
    assert edited["updateLesson"]["errors"] == []
    as_editor = {e["node"]["id"]: e["node"] for e in (await gql.ok(PAGE, token=editor))["lessons"]["edges"]}
    anonymous = {e["node"]["id"]: e["node"] for e in (await gql.ok(PAGE))["lessons"]["edges"]}
    assert [t["name"] for t in as_editor[lesson["id"]]["tags"]] == ["新标签"]
    assert as_editor[lesson["id"]]["media"] == [] and as_editor[lesson["id"]]["coverImage"] is None
    assert [t["name"] for t in anonymous[lesson["id"]]["tags"]] == ["毒品危害", "主题0"]
    assert anonymous[lesson["id"]]["coverImage"] is not None
