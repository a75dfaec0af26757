"""Question banks and quizzes in Chromium (issue 13's second must-show scenario)."""

from __future__ import annotations

import asyncio
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
    assert await axe_violations(page) == []

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
    await page.get_by_role("status").filter(has_text="题目已保存（v1）").wait_for()

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
    assert await axe_violations(page) == []
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


BANK_QUESTIONS = """query ($id: ID!) { node(id: $id) { ... on QuestionBank { questions(first: 20) { edges { node {
  type stem authoring { options { text correct } matchTargets acceptedAnswers } } } } } } }"""


async def test_questions_of_every_type_are_written_with_a_preview_and_the_bank_exports(
    page: Any, api: httpx.AsyncClient
) -> None:
    token = await login(api, "demo-editor")
    created = await graphql(
        api,
        "mutation($i: QuestionBankInput!) { createQuestionBank(input: $i) { bank { id } } }",
        {"i": {"name": "六种题型"}},
        token=token,
    )
    bank_id = created["createQuestionBank"]["bank"]["id"]
    await sign_in(page, "demo-editor")

    async def new_question(kind: str, stem: str) -> Any:
        await page.goto(f"/console/#/banks/{bank_id}/questions/new")
        await page.get_by_role("heading", name="新建题目").wait_for()
        await page.get_by_label("题型").select_option(kind)
        await page.get_by_label("题干").fill(stem)
        return page.get_by_role("complementary", name="学习者看到的样子")

    async def save() -> None:
        await page.get_by_role("button", name="保存", exact=True).click()
        await page.get_by_role("heading", name="编辑题目").wait_for()

    preview = await new_question("MULTIPLE_CHOICE", "哪些是毒品？")
    await page.get_by_label("选项 1", exact=True).fill("海洛因")
    await page.get_by_label("选项 2", exact=True).fill("维生素")
    await page.get_by_role("button", name="添加一项").click()
    await page.get_by_label("选项 3", exact=True).fill("冰毒")
    await page.get_by_label("选项 1 正确").check()
    await page.get_by_label("选项 3 正确").check()
    await preview.get_by_role("checkbox", name="冰毒").wait_for()
    await save()

    preview = await new_question("TRUE_FALSE", "吸毒一次不会上瘾。")
    await page.get_by_label("选项 2 正确").check()
    await preview.get_by_role("radio", name="错误").wait_for()
    await save()

    preview = await new_question("FILL_IN_BLANK", "国际禁毒日是每年的几月几日？")
    await page.get_by_label("可接受的答案").fill("6月26日\n六月二十六日")
    await preview.get_by_role("textbox", name="作答").wait_for()
    await save()

    preview = await new_question("MATCHING", "把毒品与类别配对")
    await page.get_by_label("左侧 1", exact=True).fill("海洛因")
    await page.get_by_label("与左侧 1 配对").fill("阿片类")
    await page.get_by_label("左侧 2", exact=True).fill("冰毒")
    await page.get_by_label("与左侧 2 配对").fill("苯丙胺类")
    await preview.get_by_role("combobox", name="冰毒").wait_for()
    await save()

    preview = await new_question("ORDERING", "遇到有人劝你吸毒时的步骤")
    await page.get_by_label("第 1 项", exact=True).fill("拒绝")
    await page.get_by_label("第 2 项", exact=True).fill("离开")
    await page.get_by_role("button", name="添加一项").click()
    await page.get_by_label("第 3 项", exact=True).fill("告诉老师")
    await page.get_by_role("button", name="第 3 项上移").click()
    await preview.get_by_role("listitem").filter(has_text="告诉老师").wait_for()
    await save()

    stored = await graphql(api, BANK_QUESTIONS, {"id": bank_id}, token=token)
    by_type = {e["node"]["type"]: e["node"] for e in stored["node"]["questions"]["edges"]}
    assert [o["correct"] for o in by_type["MULTIPLE_CHOICE"]["authoring"]["options"]] == [True, False, True]
    assert [o["correct"] for o in by_type["TRUE_FALSE"]["authoring"]["options"]] == [False, True]
    assert by_type["FILL_IN_BLANK"]["authoring"]["acceptedAnswers"] == ["6月26日", "六月二十六日"]
    assert by_type["MATCHING"]["authoring"]["matchTargets"] == ["阿片类", "苯丙胺类"]
    assert [o["text"] for o in by_type["ORDERING"]["authoring"]["options"]] == ["拒绝", "告诉老师", "离开"]

    # Export the bank as Moodle XML: a download made in the browser, with every question in it.
    await page.goto(f"/console/#/banks/{bank_id}")
    async with page.expect_download() as downloading:
        await page.get_by_role("button", name="导出", exact=True).click()
    download = await downloading.value
    exported = await asyncio.to_thread(Path(await download.path()).read_text, encoding="utf-8")
    assert download.suggested_filename == "六种题型.xml"
    assert exported.count("<question type=") >= 5 and "告诉老师" in exported
