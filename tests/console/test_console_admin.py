"""The administrators' pages in Chromium: organizations, the privacy notice's versions, and the
consultation audit log with its filters."""

from __future__ import annotations

import secrets
from typing import Any

import httpx

from tests.console.conftest import axe_violations, graphql, login, sign_in
from tests.console.test_console_experts import new_client, open_consultation

ORGS = "{ organizations(first: 100) { edges { node { name kind region } } } }"


async def test_an_admin_creates_an_organization(page: Any, api: httpx.AsyncClient) -> None:
    name = f"明湖市第九中学 {secrets.token_hex(2)}"
    await sign_in(page, "demo-admin")
    await page.get_by_role("navigation").get_by_role("link", name="机构", exact=True).click()
    await page.get_by_role("cell", name="明湖市第七中学（演示）").wait_for()
    assert await axe_violations(page) == []
    form = page.get_by_role("form", name="新建机构")
    await form.get_by_role("button", name="新建机构").click()  # no name: refused next to the field
    await form.locator(".field-error:not([hidden])").first.wait_for()
    assert await form.get_by_label("名称").get_attribute("aria-invalid") == "true"
    await form.get_by_label("名称").fill(name)
    await form.get_by_label("类型").select_option("SCHOOL")
    await form.get_by_label("地区").fill("明湖市")
    await form.get_by_role("button", name="新建机构").click()
    await page.get_by_text(f"已创建机构“{name}”").wait_for()
    token = await login(api, "demo-admin")
    rows = [e["node"] for e in (await graphql(api, ORGS, token=token))["organizations"]["edges"]]
    assert {"name": name, "kind": "SCHOOL", "region": "明湖市"} in rows


async def test_the_audit_log_filters_by_consultation_actor_and_date(page: Any, api: httpx.AsyncClient) -> None:
    client = await new_client(api)
    consultation = await open_consultation(api, client, "expert-pengyaqin", "审计日志测试", "你好。")
    await sign_in(page, "demo-admin")
    await page.get_by_role("navigation").get_by_role("link", name="咨询审计日志").click()
    await page.locator(".paged-table[aria-busy='false']").wait_for()
    assert await axe_violations(page) == []
    await page.get_by_label("咨询 ID").fill(consultation)
    await page.wait_for_url("**consultation=**")  # the filter is in the address: reload keeps it
    await page.get_by_text("共 1 条").wait_for()
    row = page.get_by_role("row").filter(has_text="发起咨询")
    assert "小林（化名）" in await row.inner_text()
    await page.get_by_label("操作人（姓名包含）").fill("没有这个人")
    await page.get_by_text("没有符合条件的内容").wait_for()
    await page.get_by_label("操作人（姓名包含）").fill("小林")
    await page.get_by_text("共 1 条").wait_for()
    await page.get_by_label("结束日期").fill("2020-01-01")
    await page.get_by_text("没有符合条件的内容").wait_for()


async def test_privacy_notice_versions_and_the_chinese_text_is_required(page: Any) -> None:
    await sign_in(page, "demo-admin")
    await page.get_by_role("navigation").get_by_role("link", name="隐私说明").click()
    await page.get_by_role("cell", name="简体中文").first.wait_for()
    assert await axe_violations(page) == []
    form = page.get_by_role("form", name="发布新版本")
    await form.get_by_label("英文正文（可选）").fill("Only English")
    await form.get_by_role("button", name="发布新版本").click()
    await page.get_by_role("dialog").get_by_role("button", name="确定").click()
    await form.locator(".field-error:not([hidden])").first.wait_for()
    assert await form.get_by_label("中文正文（必填）").get_attribute("aria-invalid") == "true"
    assert await form.get_by_label("英文正文（可选）").input_value() == "Only English"
