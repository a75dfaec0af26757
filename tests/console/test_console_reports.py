"""The organization report in Chromium: a teacher opens it with its three SVG charts, whose
numbers agree with the public API; an admin picks another organization."""

from __future__ import annotations

from typing import Any

import httpx

from tests.console.conftest import axe_violations, graphql, login, sign_in
from tests.console.screens import shot

RECORD = """mutation($i: RecordLearningInput!) { recordLearning(input: $i) { errors { field message } } }"""
LESSONS = "{ lessons(first: 2) { edges { node { id } } } }"
REPORT = """query($id: ID!) { organizationReport(organizationId: $id) { lessonsCompleted learningTrend { lessonsCompleted } } }"""
VIEWER = "{ viewer { user { displayName organization { id name } } } }"


async def test_a_teacher_opens_the_report_with_its_charts(page: Any, api: httpx.AsyncClient) -> None:
    learner = await login(api, "demo-learner2")
    name = (await graphql(api, VIEWER, token=learner))["viewer"]["user"]["displayName"]
    lessons = [e["node"]["id"] for e in (await graphql(api, LESSONS, token=learner))["lessons"]["edges"]]
    for lesson in lessons:
        done = await graphql(api, RECORD, {"i": {"lessonId": lesson, "seconds": 300, "completed": True}}, token=learner)
        assert done["recordLearning"]["errors"] == []
    teacher = await login(api, "demo-teacher")
    school = (await graphql(api, VIEWER, token=teacher))["viewer"]["user"]["organization"]
    expected = (await graphql(api, REPORT, {"id": school["id"]}, token=teacher))["organizationReport"]
    assert expected["lessonsCompleted"] >= 2

    await sign_in(page, "demo-teacher")
    await page.get_by_role("navigation").get_by_role("link", name="机构报告").click()
    await page.get_by_role("heading", name=school["name"]).wait_for()
    for title in ("每日学习时长（分钟）", "每日完成课程数", "答题正确率变化"):
        chart = page.locator("figure.chart").filter(has=page.locator("figcaption", has_text=title))
        await chart.locator("svg[role='img']").wait_for()
    learning = page.locator("figure.chart").filter(has=page.locator("figcaption", has_text="每日学习时长（分钟）"))
    assert await learning.locator("rect.chart-bar").count() == 30  # the default range: the last 30 days
    accuracy = page.locator("figure.chart").filter(has=page.locator("figcaption", has_text="答题正确率变化"))
    assert await accuracy.locator("path.chart-line").count() == 2
    # The figures and the chart's own table agree with the API.
    figure = page.locator(".figure").filter(has_text="完成课程")
    assert (await figure.locator("dd").inner_text()).strip() == str(expected["lessonsCompleted"])
    completion = page.locator("figure.chart").filter(has=page.locator("figcaption", has_text="每日完成课程数"))
    await completion.get_by_text("查看数据表").click()
    cells = await completion.locator("tbody tr td:nth-child(2)").all_inner_texts()
    assert sum(int(c) for c in cells) == expected["lessonsCompleted"]
    # The learners' table: the learner who just completed two lessons, by display name only.
    learners = page.locator("table").filter(has=page.locator("caption", has_text="本期间每位学员的学习情况"))
    row = learners.locator("tbody tr").filter(has=page.locator("td", has_text=name))
    await row.wait_for()
    assert int(await row.locator("td").nth(2).inner_text()) >= 2
    assert await axe_violations(page) == []
    await shot(page, "report")

    # A longer range draws one bar per week; a backwards range is refused next to the field.
    await page.get_by_label("开始日期").fill("2026-01-01")
    await page.get_by_label("结束日期").fill("2026-06-30")
    await page.get_by_role("button", name="查看").click()
    await page.locator("figcaption", has_text="每周学习时长（分钟）").wait_for()
    assert "from=2026-01-01" in page.url
    await page.get_by_label("开始日期").fill("2026-07-01")
    await page.get_by_role("button", name="查看").click()
    assert await page.get_by_label("开始日期").get_attribute("aria-invalid") == "true"


async def test_an_admin_chooses_the_organization(page: Any) -> None:
    await sign_in(page, "demo-admin")
    await page.goto("/console/#/report")
    await page.get_by_label("机构", exact=True).select_option(label="明湖市第七中学（演示）")
    await page.get_by_role("button", name="查看").click()
    await page.get_by_role("heading", name="明湖市第七中学（演示）").wait_for()
    await page.locator("figure.chart svg").first.wait_for()
