"""A page of 50 costs the same SQL statements as a page of 5 (and at most 8), on both databases.

In one locale (the default, here asked for by Accept-Language as well) and in every locale (allLocales).
"""

from __future__ import annotations

from models.base import Role
from models.content import ContentType, MediaAsset, MediaKind, PublicationStatus
from resolvers.accounts import actor_for
from resolvers.content import items, learning
from tests.accounts.factories import make_user, token_for
from tests.helpers import GraphQLClient, count_statements

FIELDS = """
  id title
  tags { slug name }
  coverImage { url altText }
  media { kind url }
"""
LESSONS = f"""
query Page($first: Int) {{
  lessons(first: $first) {{ edges {{ node {{ {FIELDS} estimatedMinutes
    translations {{ id locale }} viewerProgress {{ secondsSpent completed }} }} }} }}
}}"""
STORIES = f"""
query Page($first: Int) {{ stories(first: $first) {{ edges {{ node {{ {FIELDS} narrator }} }} }} }}"""
SEARCH = f"""
query Page($first: Int) {{
  search(query: "毒品", first: $first) {{ edges {{ node {{ {FIELDS}
    ... on Lesson {{ translations {{ id }} viewerProgress {{ secondsSpent }} }} }} }} }}
}}"""
EVERY_LOCALE = [
    LESSONS.replace("lessons(first: $first)", "lessons(first: $first, filter: {allLocales: true})"),
    STORIES.replace("stories(first: $first)", "stories(first: $first, filter: {allLocales: true})"),
    SEARCH.replace('search(query: "毒品", first: $first)', 'search(query: "毒品", first: $first, allLocales: true)'),
]
SYNC = "query Page($first: Int) { syncContent(first: $first) { items { id title } deletedIds hasMore } }"


async def _arrange(count: int = 55) -> str:
    editor = await make_user("editor", Role.EDITOR)
    actor = actor_for(editor)
    image = await MediaAsset.create(
        kind=MediaKind.IMAGE,
        mime_type="image/png",
        extension=".png",
        byte_size=10,
        sha256="a" * 64,
        alt_text="海报",
    )
    pdf = await MediaAsset.create(
        kind=MediaKind.DOCUMENT,
        mime_type="application/pdf",
        extension=".pdf",
        byte_size=10,
        sha256="b" * 64,
    )
    learner = await make_user("learner", Role.LEARNER)
    for i in range(count):
        for content_type, extra in (
            (ContentType.LESSON, {"section": "HANDBOOK", "estimated_minutes": 5}),
            (ContentType.STORY, {"kind": "METHOD", "narrator": "小周"}),
        ):
            item = await items.create(
                actor,
                content_type,
                {
                    "title": f"远离毒品 第{i}篇",
                    "body": "毒品危害健康。",
                    "tags": ["毒品危害", f"主题{i % 3}"],
                    "cover_image_id": image.id,
                    "media_ids": [pdf.id],
                    **extra,
                },
            )
            await items.set_status(actor, content_type, item.id, PublicationStatus.PUBLISHED)
            if content_type == ContentType.LESSON:
                translation = await items.create(
                    actor,
                    content_type,
                    {
                        "title": f"Stay away {i}",
                        "locale": "en",
                        "translation_of_id": item.id,
                        **extra,
                    },
                )
                await items.set_status(actor, content_type, translation.id, PublicationStatus.PUBLISHED)
                if i % 2:
                    await learning.record(actor_for(learner), item.id, 60, True)
    return await token_for("reader", Role.LEARNER)


async def _count(
    gql: GraphQLClient, document: str, first: int, token: str, headers: dict[str, str] | None = None
) -> int:
    with count_statements() as counter:
        data = await gql.ok(document, {"first": first}, token=token, headers=headers)
    root = next(iter(data.values()))
    assert len(root["edges"] if "edges" in root else root["items"]) == first
    return counter.count


async def test_pages_cost_a_fixed_number_of_statements(gql: GraphQLClient, backend: str) -> None:
    token = await _arrange()
    for headers in (None, {"Accept-Language": "en-US,en;q=0.9"}):
        for document in (LESSONS, STORIES, SEARCH, *EVERY_LOCALE):
            small = await _count(gql, document, 5, token, headers)
            large = await _count(gql, document, 50, token, headers)
            assert small == large, (backend, headers, document[:60], small, large)
            assert large <= 8, (backend, headers, document[:60], large)
    # One locale's page lists the English translations, every locale's lists both.
    english = await gql.ok(LESSONS, {"first": 100}, token=token, headers={"Accept-Language": "en"})
    assert {e["node"]["title"][:5] for e in english["lessons"]["edges"]} == {"Stay "}
    assert len(english["lessons"]["edges"]) == 55
    every = await gql.ok(EVERY_LOCALE[0], {"first": 100}, token=token)
    assert len(every["lessons"]["edges"]) == 100
    # A sync page: the changed works, their items, the items shown (one locale); the changes, the items (all).
    for document in (SYNC, SYNC.replace("syncContent(first: $first)", "syncContent(first: $first, allLocales: true)")):
        small = await _count(gql, document, 5, "", {"Accept-Language": "en"})
        large = await _count(gql, document, 50, "", {"Accept-Language": "en"})
        assert small == large <= 3, (backend, document[:60], small, large)
