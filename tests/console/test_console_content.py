"""Editors' content list in Chromium: filters, Chinese search and paging agree with the public API."""

from __future__ import annotations

from typing import Any

import httpx

from tests.console.conftest import axe_violations, graphql, login, sign_in
from tests.console.screens import shot

COUNT = "query($f: LessonFilter) { lessons(filter: $f, first: 1) { totalCount } }"


async def lesson_count(api: httpx.AsyncClient, token: str, **flt: str) -> int:
    """How many lessons the console's list shows: every locale (it asks with allLocales)."""
    return int((await graphql(api, COUNT, {"f": {**flt, "allLocales": True}}, token=token))["lessons"]["totalCount"])


async def test_content_list_filters_searches_and_pages(page: Any, api: httpx.AsyncClient) -> None:
    token = await login(api, "demo-editor")
    total = await lesson_count(api, token)
    await sign_in(page, "demo-editor")
    await page.get_by_role("navigation").get_by_role("link", name="内容").click()
    status = page.locator(".table-status")
    await page.get_by_text(f"共 {total} 条").wait_for()
    assert await page.locator("tbody tr").count() == min(total, 20)
    assert await axe_violations(page) == []
    await shot(page, "content-list")

    await page.get_by_label("栏目").select_option("HANDBOOK")
    handbook = await lesson_count(api, token, section="HANDBOOK")
    await page.get_by_text(f"共 {handbook} 条").wait_for()
    shelves = await page.locator("tbody tr td:nth-child(2)").all_inner_texts()
    assert shelves and set(shelves) == {"禁毒宝典"}
    assert "shelf=HANDBOOK" in page.url  # filters live in the address: reload and back keep them

    await page.get_by_label("栏目").select_option("")
    await page.get_by_label("搜索").fill("冰毒")
    found = await lesson_count(api, token, query="冰毒")
    assert 0 < found < total
    await page.get_by_text(f"共 {found} 条").wait_for()
    titles = await page.locator("tbody tr td:first-child").all_inner_texts()
    expected = await graphql(
        api,
        '{ lessons(filter: {query: "冰毒", allLocales: true}, first: 20) { edges { node { title } } } }',
        token=token,
    )
    assert titles == [e["node"]["title"] for e in expected["lessons"]["edges"]]

    await page.get_by_label("搜索").fill("")
    await page.get_by_label("搜索").press("Enter")
    await page.get_by_text(f"共 {total} 条").wait_for()
    if total > 20:
        await page.get_by_role("button", name="下一页").click()
        await page.get_by_text(f"第 21–{min(total, 40)} 条").wait_for()
        await page.get_by_role("button", name="上一页").click()
        await page.get_by_text("第 1–20 条").wait_for()
    assert await status.inner_text()
