"""Question banks and quizzes in Chromium (issue 13's second must-show scenario)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx

from tests.console.conftest import axe_violations, graphql, login, sign_in
from tests.console.screens import shot
from tests.quizzes.factories import answer_for

GIFT = """// 两道能导入的题和一道论述题（不支持，应被跳过并说明原因）
::冰毒成分::冰毒的主要成分是什么？{
=甲基苯丙胺#正确
~咖啡因
~尼古丁
}

::奶茶伪装::像奶茶的东西一定不是毒品。{F}

::拒毒论述::请谈谈你会如何拒绝毒品的诱惑。{}
"""
START = """mutation ($id: ID!) { startQuizAttempt(quizId: $id) { attempt { id items { question { id type options { id text }
  matchTargets { id text } } } } errors { message } } }"""
SUBMIT = "mutation ($i: SubmitAttemptInput!) { submitQuizAttempt(input: $i) { attempt { score } errors { message } } }"
KEY = """query ($id: ID!) { node(id: $id) { ... on Question { answerKey { correctOptionIds acceptedAnswers
  matches { optionId targetId } order } } } }"""


async def learner_submits(api: httpx.AsyncClient, quiz_id: str, username: str, editor: str, right: bool) -> None:
    token = await login(api, username)
    started = (await graphql(api, START, {"id": quiz_id}, token=token))["startQuizAttempt"]
    assert started["errors"] == [], started
    answers = []
    for i, item in enumerate(started["attempt"]["items"]):
        key = (await graphql(api, KEY, {"id": item["question"]["id"]}, token=editor))["node"]["answerKey"]
        answers.append(answer_for(item["question"], key, right=right or i == 0))
    submitted = await graphql(
        api, SUBMIT, {"i": {"attemptId": started["attempt"]["id"], "answers": answers}}, token=token
    )
    assert submitted["submitQuizAttempt"]["errors"] == []


async def test_editor_imports_edits_builds_publishes_and_reads_statistics(
    page: Any, api: httpx.AsyncClient, tmp_path: Path
) -> None:
    await sign_in(page, "demo-editor")
    await page.get_by_role("navigation").get_by_role("link", name="题库").click()
    await page.get_by_label("名称").fill("新型毒品识别题库")
    await page.get_by_role("button", name="新建题库").click()
    await page.get_by_role("heading", name="新型毒品识别题库").wait_for()

    # Import a GIFT file: two questions come in, the essay is listed as skipped with its reason.
    gift = tmp_path / "new-drugs.gift"
    gift.write_text(GIFT, encoding="utf-8")
    await page.get_by_label("导入格式").select_option("GIFT")
    await page.get_by_label("题目文件").set_input_files(str(gift))
    await page.get_by_role("button", name="导入", exact=True).click()
    await page.get_by_text("已导入 2 道题，跳过 1 道。").wait_for()
    skipped = page.locator(".skipped-list li")
    assert await skipped.count() == 1
    assert "拒毒论述" in await skipped.inner_text() and "不支持的题型" in await skipped.inner_text()
    await page.get_by_text("共 2 条").wait_for()
    await shot(page, "question-bank-import")

    # Edit a question: the learner preview follows the form.
    await page.get_by_role("link", name="冰毒的主要成分是什么？").click()
    await page.get_by_role("heading", name="编辑题目").wait_for()
    preview = page.get_by_role("complementary", name="学习者看到的样子")
    await preview.get_by_role("radio", name="甲基苯丙胺").wait_for()
    await page.get_by_label("题干").fill("冰毒的主要化学成分是什么？")
    await page.get_by_label("选项 3", exact=True).fill("海洛因")
    await preview.get_by_role("radio", name="海洛因").wait_for()
    await preview.get_by_text("冰毒的主要化学成分是什么？").wait_for()  # the server rendered the new stem
    assert await axe_violations(page) == []
    await shot(page, "question-editor")
    await page.get_by_role("button", name="保存", exact=True).click()
    await page.get_by_role("status").filter(has_text="已保存").wait_for()

    # Build a quiz from the bank, set its rules, publish it.
    await page.get_by_role("navigation").get_by_role("link", name="测验").click()
    await page.get_by_role("link", name="新建测验").click()
    await page.get_by_label("测验名称").fill("新型毒品识别小测")
    await page.get_by_label("及格分（0–100）").fill("60")
    await page.get_by_label("时间限制（分钟）").fill("15")
    await page.get_by_label("允许作答次数").fill("2")
    await page.get_by_label("从题库选题").select_option(label="新型毒品识别题库（2）")
    await page.get_by_role("button", name="加入：冰毒的主要化学成分是什么？").click()
    await page.get_by_role("button", name="加入：像奶茶的东西一定不是毒品。").click()
    await page.get_by_text("已选题目（2 道）").wait_for()
    await shot(page, "quiz-editor")
    await page.get_by_role("button", name="保存", exact=True).click()
    await page.get_by_role("heading", name="编辑测验").wait_for()
    await page.get_by_role("button", name="发布", exact=True).click()
    await page.get_by_role("status").filter(has_text="状态已改为：已发布").wait_for()
    quiz_id = page.url.split("/quizzes/")[1].split("?")[0]
    public = await graphql(
        api,
        "query ($id: ID!) { quiz(id: $id) { status questionCount timeLimitSeconds maxAttempts passingScore } }",
        {"id": quiz_id},
    )
    assert public["quiz"] == {
        "status": "PUBLISHED",
        "questionCount": 2,
        "timeLimitSeconds": 900,
        "maxAttempts": 2,
        "passingScore": 60,
    }

    # Learners submit through the API; the statistics page shows per-question figures and the chart.
    editor = await login(api, "demo-editor")
    await learner_submits(api, quiz_id, "demo-learner", editor, right=True)
    await learner_submits(api, quiz_id, "demo-learner2", editor, right=False)
    await page.get_by_role("link", name="统计").click()
    await page.get_by_role("heading", name="“新型毒品识别小测”的统计").wait_for()
    rows = page.get_by_role("table", name="各题统计").locator("tbody tr")
    assert await rows.count() == 2
    cells = await rows.nth(0).locator("td").all_inner_texts()
    assert cells[2:5] == ["2", "2", "100%"]
    cells = await rows.nth(1).locator("td").all_inner_texts()
    assert cells[2:5] == ["2", "1", "50%"]
    chart = page.get_by_role("img", name="各题通过率与区分度")
    assert await chart.locator("rect").count() >= 2
    await shot(page, "quiz-statistics")
    assert await axe_violations(page) == []
