"""Lists, search and sync answer one item per work in one locale; allLocales gives the old mix."""

from __future__ import annotations

from typing import Any

from models.base import Role
from models.content import ContentType, PublicationStatus
from resolvers.accounts import actor_for
from resolvers.content import items
from tests.accounts.factories import make_user
from tests.content.factories import SET_LESSON_STATUS, create_lesson, editor_token, published_lesson
from tests.helpers import GraphQLClient

LESSONS = """
query L($filter: LessonFilter, $first: Int, $after: String) {
  lessons(filter: $filter, first: $first, after: $after, orderBy: TITLE) {
    totalCount pageInfo { hasNextPage endCursor }
    edges { node { title locale servedLocale isFallback } }
  }
}"""
STORIES = (
    "query S($filter: StoryFilter) { stories(filter: $filter, orderBy: TITLE) { totalCount edges { node { title } } } }"
)
SEARCH = """
query S($q: String!, $locale: String, $all: Boolean! = false) {
  search(query: $q, locale: $locale, allLocales: $all) {
    totalCount edges { node { title locale ... on Lesson { isFallback } } }
  }
}"""
SYNC = """
query Sync($token: String, $locale: String, $all: Boolean! = false) {
  syncContent(syncToken: $token, locale: $locale, allLocales: $all) {
    items { id title locale } deletedIds nextSyncToken hasMore
  }
}"""


async def _works(gql: GraphQLClient, editor: str) -> dict[str, dict[str, Any]]:
    """Four works: translated, untranslated, an English original, and one whose translation is a draft."""
    refuse = await published_lesson(gql, editor, title="如何拒绝 冰毒", slug="refuse")
    refuse_en = await published_lesson(
        gql, editor, title="How to refuse 冰毒", slug="refuse", locale="en", translationOfId=refuse["id"]
    )
    harm = await published_lesson(gql, editor, title="毒品的危害 冰毒")
    peer = await published_lesson(gql, editor, title="Peer pressure 冰毒", locale="en")
    withdrawal = await published_lesson(gql, editor, title="戒断反应 冰毒", slug="withdrawal")
    withdrawal_en = await create_lesson(
        gql, editor, title="Withdrawal 冰毒", slug="withdrawal", locale="en", translationOfId=withdrawal["id"]
    )
    return {
        "refuse": refuse,
        "refuse_en": refuse_en,
        "harm": harm,
        "peer": peer,
        "withdrawal": withdrawal,
        "withdrawal_en": withdrawal_en,
    }


def _nodes(data: dict[str, Any], root: str = "lessons") -> list[tuple[str, bool]]:
    return [(e["node"]["title"], e["node"].get("isFallback", False)) for e in data[root]["edges"]]


async def _lessons(gql: GraphQLClient, filter: dict[str, Any] | None = None, **kwargs: Any) -> Any:
    return await gql.ok(LESSONS, {"filter": filter}, **kwargs)


ENGLISH = [
    ("How to refuse 冰毒", False),
    ("Peer pressure 冰毒", False),
    ("戒断反应 冰毒", True),  # its translation is a draft: the public gets the original
    ("毒品的危害 冰毒", True),  # no translation: the original
]
CHINESE = [
    ("Peer pressure 冰毒", True),  # an English original without a Chinese translation
    ("如何拒绝 冰毒", False),
    ("戒断反应 冰毒", False),
    ("毒品的危害 冰毒", False),
]


async def test_lists_answer_one_item_per_work_in_the_accept_language(gql: GraphQLClient) -> None:
    editor = await editor_token()
    await _works(gql, editor)
    for header in ("en-US,en;q=0.9,zh-CN;q=0.8", "en", "fr-CH, fr;q=0.9, en;q=0.8"):
        data = await _lessons(gql, headers={"Accept-Language": header})
        assert _nodes(data) == ENGLISH and data["lessons"]["totalCount"] == 4, header
    for header in (None, "zh", "zh-Hans", "zh-CN,en;q=0.5", "de"):
        data = await _lessons(gql, headers={"Accept-Language": header} if header else None)
        assert _nodes(data) == CHINESE and data["lessons"]["totalCount"] == 4, header
    first = (await _lessons(gql, headers={"Accept-Language": "en"}))["lessons"]["edges"][0]["node"]
    assert (first["locale"], first["servedLocale"]) == ("en", "en")


async def test_an_explicit_locale_wins_over_the_header_and_falls_back_to_the_original(gql: GraphQLClient) -> None:
    editor = await editor_token()
    await _works(gql, editor)
    assert _nodes(await _lessons(gql, {"locale": "en"}, headers={"Accept-Language": "zh-CN"})) == ENGLISH
    assert _nodes(await _lessons(gql, {"locale": "zh-CN"}, headers={"Accept-Language": "en"})) == CHINESE
    # A locale nobody writes in: every work answers its original, all of them fallbacks.
    french = await _lessons(gql, {"locale": "fr"}, headers={"Accept-Language": "en"})
    assert _nodes(french) == [
        ("Peer pressure 冰毒", True),
        ("如何拒绝 冰毒", True),
        ("戒断反应 冰毒", True),
        ("毒品的危害 冰毒", True),
    ]


async def test_all_locales_gives_every_item_as_before(gql: GraphQLClient) -> None:
    editor = await editor_token()
    await _works(gql, editor)
    mixed = await _lessons(gql, {"allLocales": True}, headers={"Accept-Language": "en"})
    assert [t for t, _ in _nodes(mixed)] == [
        "How to refuse 冰毒",
        "Peer pressure 冰毒",
        "如何拒绝 冰毒",
        "戒断反应 冰毒",
        "毒品的危害 冰毒",
    ]
    assert not any(fallback for _, fallback in _nodes(mixed)) and mixed["lessons"]["totalCount"] == 5
    # With allLocales, locale narrows strictly to what is written in it, as the filter always did.
    only_english = await _lessons(gql, {"allLocales": True, "locale": "en"})
    assert [t for t, _ in _nodes(only_english)] == ["How to refuse 冰毒", "Peer pressure 冰毒"]
    # Editors see the draft translation in their language, and every item with allLocales.
    as_editor = await _lessons(gql, {"locale": "en"}, token=editor)
    assert [t for t, _ in _nodes(as_editor)] == [
        "How to refuse 冰毒",
        "Peer pressure 冰毒",
        "Withdrawal 冰毒",
        "毒品的危害 冰毒",
    ]
    assert (await _lessons(gql, {"allLocales": True}, token=editor))["lessons"]["totalCount"] == 6
    # An editor's status filter is the visibility the choice is made in: published English, else the original.
    published = await _lessons(gql, {"locale": "en", "status": "PUBLISHED"}, token=editor)
    assert _nodes(published) == ENGLISH


async def test_other_filters_apply_to_the_item_each_work_shows(gql: GraphQLClient) -> None:
    editor = await editor_token()
    works = await _works(gql, editor)
    await gql.ok(
        'mutation($id: ID!) { updateLesson(id: $id, patch: {tags: ["英文标签"]}) { errors { code } } }',
        {"id": works["refuse_en"]["id"]},
        token=editor,
    )
    await gql.ok(SET_LESSON_STATUS, {"id": works["refuse_en"]["id"], "status": "PUBLISHED"}, token=editor)
    tagged = {"tagName": "英文标签"}
    assert _nodes(await _lessons(gql, {**tagged, "locale": "en"})) == [("How to refuse 冰毒", False)]
    assert _nodes(await _lessons(gql, {**tagged, "locale": "zh-CN"})) == []  # the work shows its original there
    english_query = {"query": "refuse", "locale": "zh-CN"}
    assert _nodes(await _lessons(gql, english_query)) == []
    assert _nodes(await _lessons(gql, {"query": "refuse", "allLocales": True})) == [("How to refuse 冰毒", False)]


async def test_paging_and_total_count_agree_with_what_is_listed(gql: GraphQLClient) -> None:
    editor = await editor_token()
    for i in range(7):
        original = await published_lesson(gql, editor, title=f"第{i}课")
        if i % 2 == 0:
            await published_lesson(gql, editor, title=f"Lesson {i}", locale="en", translationOfId=original["id"])
    for header, expected in (("en", 7), ("zh-CN", 7)):
        seen: list[str] = []
        after = None
        while True:
            data = await gql.ok(LESSONS, {"first": 2, "after": after}, headers={"Accept-Language": header})
            page = data["lessons"]
            assert page["totalCount"] == expected
            seen += [e["node"]["title"] for e in page["edges"]]
            if not page["pageInfo"]["hasNextPage"]:
                break
            after = page["pageInfo"]["endCursor"]
        assert len(seen) == len(set(seen)) == expected, (header, seen)
        if header == "en":
            assert sorted(t for t in seen if t.startswith("Lesson")) == [f"Lesson {i}" for i in (0, 2, 4, 6)]
    mixed = await gql.ok(LESSONS, {"filter": {"allLocales": True}, "first": 100})
    assert mixed["lessons"]["totalCount"] == len(mixed["lessons"]["edges"]) == 11


async def test_stories_fold_their_translations_too(gql: GraphQLClient) -> None:
    editor = actor_for(await make_user("writer", Role.EDITOR))
    original = await items.create(editor, ContentType.STORY, {"title": "阿城的故事", "kind": "RECOVERY_STORY"})
    translation = await items.create(
        editor,
        ContentType.STORY,
        {"title": "Acheng's story", "kind": "RECOVERY_STORY", "locale": "en", "translation_of_id": original.id},
    )
    for item in (original, translation):
        await items.set_status(editor, ContentType.STORY, item.id, PublicationStatus.PUBLISHED)
    titles = [
        e["node"]["title"] for e in (await gql.ok(STORIES, headers={"Accept-Language": "en"}))["stories"]["edges"]
    ]
    assert titles == ["Acheng's story"]
    assert [e["node"]["title"] for e in (await gql.ok(STORIES))["stories"]["edges"]] == ["阿城的故事"]
    assert (await gql.ok(STORIES, {"filter": {"allLocales": True}}))["stories"]["totalCount"] == 2


async def test_search_answers_in_one_locale_unless_asked_for_all(gql: GraphQLClient) -> None:
    editor = await editor_token()
    await _works(gql, editor)

    def found(data: dict[str, Any]) -> list[tuple[str, bool]]:
        return sorted(_nodes(data, "search"))

    english = await gql.ok(SEARCH, {"q": "冰毒"}, headers={"Accept-Language": "en-GB"})
    assert found(english) == sorted(ENGLISH) and english["search"]["totalCount"] == 4
    chinese = await gql.ok(SEARCH, {"q": "冰毒", "locale": "zh-CN"}, headers={"Accept-Language": "en"})
    assert found(chinese) == sorted(CHINESE) and chinese["search"]["totalCount"] == 4
    mixed = await gql.ok(SEARCH, {"q": "冰毒", "all": True})
    assert mixed["search"]["totalCount"] == 5 and len(mixed["search"]["edges"]) == 5
    strict = await gql.ok(SEARCH, {"q": "冰毒", "all": True, "locale": "en"})
    assert {e["node"]["title"] for e in strict["search"]["edges"]} == {"How to refuse 冰毒", "Peer pressure 冰毒"}


async def test_sync_keeps_one_item_per_work_in_the_clients_locale(gql: GraphQLClient) -> None:
    editor = await editor_token()
    works = await _works(gql, editor)
    english = {"Accept-Language": "en"}
    first = (await gql.ok(SYNC, headers=english))["syncContent"]
    assert [(i["title"], i["locale"]) for i in first["items"]] == [
        ("How to refuse 冰毒", "en"),
        ("毒品的危害 冰毒", "zh-CN"),
        ("Peer pressure 冰毒", "en"),
        ("戒断反应 冰毒", "zh-CN"),
    ]
    assert first["deletedIds"] == [] and not first["hasMore"]
    # The draft translation is published: the client gets it, and forgets the original it held.
    await gql.ok(SET_LESSON_STATUS, {"id": works["withdrawal_en"]["id"], "status": "PUBLISHED"}, token=editor)
    second = (await gql.ok(SYNC, {"token": first["nextSyncToken"]}, headers=english))["syncContent"]
    assert [i["title"] for i in second["items"]] == ["Withdrawal 冰毒"]
    assert second["deletedIds"] == [works["withdrawal"]["id"]]
    # It is archived again: the original comes back, the translation goes.
    await gql.ok(SET_LESSON_STATUS, {"id": works["withdrawal_en"]["id"], "status": "ARCHIVED"}, token=editor)
    third = (await gql.ok(SYNC, {"token": second["nextSyncToken"]}, headers=english))["syncContent"]
    assert [i["title"] for i in third["items"]] == ["戒断反应 冰毒"]
    assert third["deletedIds"] == [works["withdrawal_en"]["id"]]
    # The argument wins over the header; allLocales pages items, every locale, as before.
    chinese = (await gql.ok(SYNC, {"locale": "zh-CN"}, headers=english))["syncContent"]
    assert [i["title"] for i in chinese["items"]] == [
        "如何拒绝 冰毒",
        "毒品的危害 冰毒",
        "Peer pressure 冰毒",
        "戒断反应 冰毒",
    ]
    mixed = (await gql.ok(SYNC, {"all": True}, headers=english))["syncContent"]
    assert [i["title"] for i in mixed["items"]] == [
        "如何拒绝 冰毒",
        "How to refuse 冰毒",
        "毒品的危害 冰毒",
        "Peer pressure 冰毒",
        "戒断反应 冰毒",
    ]


async def test_sync_pages_count_works_and_never_repeat_one(gql: GraphQLClient) -> None:
    editor = await editor_token()
    for i in range(5):
        original = await published_lesson(gql, editor, title=f"第{i}课")
        await published_lesson(gql, editor, title=f"Lesson {i}", locale="en", translationOfId=original["id"])
    seen: list[str] = []
    token = None
    while True:
        page = (await gql.ok(SYNC, {"token": token}, headers={"Accept-Language": "en"}))["syncContent"]
        seen += [i["title"] for i in page["items"]]
        token = page["nextSyncToken"]
        if not page["hasMore"]:
            break
    assert seen == [f"Lesson {i}" for i in range(5)]
    small = await gql.ok(
        "query { syncContent(first: 2) { items { title } hasMore } }", headers={"Accept-Language": "en"}
    )
    assert [i["title"] for i in small["syncContent"]["items"]] == ["Lesson 0", "Lesson 1"]
    assert small["syncContent"]["hasMore"]


async def test_an_all_drafts_preview_lists_a_draft_translation_in_its_locale(gql: GraphQLClient) -> None:
    editor = await editor_token()
    works = await _works(gql, editor)
    await gql.ok(SET_LESSON_STATUS, {"id": works["refuse_en"]["id"], "status": "ARCHIVED"}, token=editor)
    created = await gql.ok(
        'mutation { createPreviewToken(input: {label: "portal preview"}) { token errors { code } } }', token=editor
    )
    preview = {"Beacon-Preview": created["createPreviewToken"]["token"], "Accept-Language": "en"}
    # The preview sees the English draft of "withdrawal" in its place; an archived translation hides nothing.
    assert _nodes(await _lessons(gql, headers=preview)) == [
        ("Peer pressure 冰毒", False),
        ("Withdrawal 冰毒", False),
        ("如何拒绝 冰毒", True),
        ("毒品的危害 冰毒", True),
    ]
    assert _nodes(await _lessons(gql, headers={"Accept-Language": "en"}))[2] == ("戒断反应 冰毒", True)
