"""Search in Chinese and English, ranking, filters, ordering, slugs and translations."""

from __future__ import annotations

from typing import Any

from models.base import Role
from tests.content.factories import create_lesson, editor_token, published_lesson
from tests.helpers import GraphQLClient, token_for

SEARCH = "query S($q: String!) { search(query: $q) { totalCount edges { node { title } } } }"
LESSONS = """
query L($filter: LessonFilter, $order: ContentOrder) {
  lessons(filter: $filter, orderBy: $order) { totalCount edges { node { title } } }
}"""
BY_SLUG = """
query B($slug: String!, $locale: String) { lesson(slug: $slug, locale: $locale) { title locale servedLocale isFallback translations { locale } } }"""
RECORD = """
mutation R($input: RecordLearningInput!) {
  recordLearning(input: $input) { progress { secondsSpent completed lesson { title } } errors { field code } }
}"""
SUMMARY = "{ viewer { learningSummary { totalSeconds lessonsStarted lessonsCompleted } } }"


async def _titles(gql: GraphQLClient, query: str) -> list[str]:
    data = await gql.ok(SEARCH, {"q": query})
    return [e["node"]["title"] for e in data["search"]["edges"]]


async def test_search_finds_chinese_in_running_text_and_ranks_title_hits_first(
    gql: GraphQLClient,
) -> None:
    editor = await editor_token()
    await published_lesson(gql, editor, title="学会拒绝", body="如果有人在聚会上递给你冰毒，马上离开。")
    await published_lesson(gql, editor, title="冰毒是什么", body="一种合成毒品。")
    await published_lesson(gql, editor, title="Say no to drugs", body="Refusal skills for teenagers.")
    assert await _titles(gql, "冰毒") == ["冰毒是什么", "学会拒绝"]
    assert await _titles(gql, "合成毒品") == ["冰毒是什么"]
    assert await _titles(gql, "毒") == ["冰毒是什么", "学会拒绝"]
    assert await _titles(gql, "refusal") == ["Say no to drugs"]
    assert await _titles(gql, "no") == ["Say no to drugs"]
    assert await _titles(gql, "海洛因") == []
    assert await _titles(gql, '"; DROP TABLE content_item; --') == []


async def test_search_follows_later_edits(gql: GraphQLClient) -> None:
    editor = await editor_token()
    lesson = await create_lesson(gql, editor, title="旧的课", body="大麻")
    await gql.ok(
        'mutation($id: ID!) { updateLesson(id: $id, patch: {body: "摇头丸"}) { errors { code } } }',
        {"id": lesson["id"]},
        token=editor,
    )
    await gql.ok(
        "mutation($id: ID!) { setLessonStatus(id: $id, status: PUBLISHED) { errors { code } } }",
        {"id": lesson["id"]},
        token=editor,
    )
    assert await _titles(gql, "大麻") == []
    assert await _titles(gql, "摇头丸") == ["旧的课"]


async def test_filters_and_orders(gql: GraphQLClient) -> None:
    editor = await editor_token()
    await published_lesson(
        gql,
        editor,
        title="B 法律常识",
        section="HANDBOOK",
        audiences=["ADULT"],
        tags=["法律"],
    )
    await published_lesson(
        gql,
        editor,
        title="A 识别陷阱",
        section="ILLUSTRATED",
        audiences=["MIDDLE_SCHOOL"],
        tags=["陷阱"],
        body="奶茶里的毒品",
    )

    def titles(data: dict[str, Any]) -> list[str]:
        return [e["node"]["title"] for e in data["lessons"]["edges"]]

    assert titles(await gql.ok(LESSONS, {"order": "TITLE"})) == [
        "A 识别陷阱",
        "B 法律常识",
    ]
    assert titles(await gql.ok(LESSONS, {"order": "NEWEST"})) == [
        "A 识别陷阱",
        "B 法律常识",
    ]
    assert titles(await gql.ok(LESSONS, {"order": "OLDEST"})) == [
        "B 法律常识",
        "A 识别陷阱",
    ]
    assert titles(await gql.ok(LESSONS, {"filter": {"audience": "ADULT"}})) == ["B 法律常识"]
    assert titles(await gql.ok(LESSONS, {"filter": {"tag": "xian-jing"}})) == ["A 识别陷阱"]
    assert titles(await gql.ok(LESSONS, {"filter": {"query": "奶茶"}})) == ["A 识别陷阱"]
    assert titles(await gql.ok(LESSONS, {"filter": {"query": "毒品", "section": "HANDBOOK"}})) == []
    assert titles(await gql.ok(LESSONS, {"filter": {"updatedSince": "2999-01-01T00:00:00Z"}})) == []
    assert len(titles(await gql.ok(LESSONS, {"filter": {"updatedSince": "2000-01-01T00:00:00Z"}}))) == 2
    recent = {
        "query": "奶茶",
        "audience": "MIDDLE_SCHOOL",
        "tag": "xian-jing",
        "locale": "zh-CN",
    }
    assert titles(await gql.ok(LESSONS, {"filter": {**recent, "updatedSince": "2000-01-01T00:00:00Z"}})) == [
        "A 识别陷阱"
    ]
    assert (
        titles(
            await gql.ok(
                LESSONS,
                {"filter": {**recent, "updatedSince": "2999-01-01T00:00:00+08:00"}},
            )
        )
        == []
    )
    tags = await gql.ok("{ tags { slug name } }")
    assert tags["tags"] == [
        {"slug": "fa-lu", "name": "法律"},
        {"slug": "xian-jing", "name": "陷阱"},
    ]


async def test_popular_orders_by_learners_who_opened_it(gql: GraphQLClient) -> None:
    editor = await editor_token()
    quiet = await published_lesson(gql, editor, title="少人看")
    busy = await published_lesson(gql, editor, title="多人看")
    for name in ("learner1", "learner2"):
        token = await token_for(name, Role.LEARNER)
        await gql.ok(RECORD, {"input": {"lessonId": busy["id"], "seconds": 30}}, token=token)
    await gql.ok(
        RECORD,
        {"input": {"lessonId": quiet["id"], "seconds": 30}},
        token=await token_for("learner3", Role.LEARNER),
    )
    data = await gql.ok(LESSONS, {"order": "POPULAR"})
    assert [e["node"]["title"] for e in data["lessons"]["edges"]] == [
        "多人看",
        "少人看",
    ]


async def test_slugs_are_unique_per_locale(gql: GraphQLClient) -> None:
    editor = await editor_token()
    first = await create_lesson(gql, editor, title="冰毒")
    second = await create_lesson(gql, editor, title="冰毒")
    english = await create_lesson(gql, editor, title="Bing du", locale="en")
    assert (first["slug"], second["slug"], english["slug"]) == (
        "bing-du",
        "bing-du-2",
        "bing-du",
    )
    taken = await gql(
        'mutation { createLesson(input: {title: "x", section: HANDBOOK, slug: "bing-du"}) { errors { field code } } }',
        token=editor,
    )
    assert taken.data["createLesson"]["errors"] == [{"field": "input.slug", "code": "CONFLICT"}]


async def test_missing_translation_falls_back_to_the_original(
    gql: GraphQLClient,
) -> None:
    editor = await editor_token()
    original = await published_lesson(gql, editor, title="如何拒绝", slug="how-to-refuse")
    await published_lesson(
        gql,
        editor,
        title="How to refuse",
        slug="how-to-refuse",
        locale="en",
        translationOfId=original["id"],
    )
    english = (await gql.ok(BY_SLUG, {"slug": "how-to-refuse", "locale": "en"}))["lesson"]
    assert (english["title"], english["servedLocale"], english["isFallback"]) == (
        "How to refuse",
        "en",
        False,
    )
    assert english["translations"] == [{"locale": "zh-CN"}]
    french = (await gql.ok(BY_SLUG, {"slug": "how-to-refuse", "locale": "fr"}))["lesson"]
    assert (french["title"], french["servedLocale"], french["isFallback"]) == (
        "如何拒绝",
        "zh-CN",
        True,
    )


async def test_recorded_learning_is_bounded_and_summarised(gql: GraphQLClient) -> None:
    editor = await editor_token()
    lesson = await published_lesson(gql, editor, title="大脑与成瘾")
    learner = await token_for("learner", Role.LEARNER)
    first = await gql.ok(RECORD, {"input": {"lessonId": lesson["id"], "seconds": 5000}}, token=learner)
    assert first["recordLearning"]["progress"]["secondsSpent"] == 300
    again = await gql.ok(
        RECORD,
        {"input": {"lessonId": lesson["id"], "seconds": 300, "completed": True}},
        token=learner,
    )
    progress = again["recordLearning"]["progress"]
    assert progress["secondsSpent"] <= 302 and progress["completed"] is True  # only the wall time since the last report
    summary = (await gql.ok(SUMMARY, token=learner))["viewer"]["learningSummary"]
    assert summary["lessonsStarted"] == 1 and summary["lessonsCompleted"] == 1 and 300 <= summary["totalSeconds"] <= 302
    anonymous = await gql.ok(RECORD, {"input": {"lessonId": lesson["id"], "seconds": 10}})
    assert anonymous["recordLearning"]["errors"][0]["code"] == "UNAUTHENTICATED"
    draft = await create_lesson(gql, editor, title="草稿")
    hidden = await gql.ok(RECORD, {"input": {"lessonId": draft["id"], "seconds": 10}}, token=learner)
    assert hidden["recordLearning"]["errors"][0]["code"] == "NOT_FOUND"
