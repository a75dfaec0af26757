"""Users and API keys in Chromium (issue 13): an admin creates an account, deactivates it (the
person's next HTTP request is 401 and their open socket closes with 4401), reactivates it and
resets its password (the temporary one shown once); an admin creates an API key (the secret shown
once) and revokes it (the key's next request is 401 UNAUTHENTICATED)."""

from __future__ import annotations

import re
import secrets
from datetime import date, timedelta
from typing import Any

import httpx

from tests.console.conftest import axe_violations, graphql, login, sign_in
from tests.console.screens import shot
from tests.realtime import graphql_ws

VIEWER = "{ viewer { user { username } } }"
PUBLIC = "{ organizations(first: 1) { totalCount } }"


async def refused(api: httpx.AsyncClient, token: str, document: str) -> dict[str, Any]:
    """The server's answer to a request with a credential it must refuse: HTTP 401, UNAUTHENTICATED."""
    response = await api.post("/graphql", json={"query": document}, headers={"authorization": f"Bearer {token}"})
    assert response.status_code == 401, response.text
    error: dict[str, Any] = response.json()["errors"][0]
    assert error["extensions"]["code"] == "UNAUTHENTICATED", error
    return error


async def test_an_admin_manages_a_user_and_deactivation_ends_their_sessions(page: Any, api: httpx.AsyncClient) -> None:
    username = f"xuesheng-{secrets.token_hex(3)}"
    password = "a-long-first-password"
    await sign_in(page, "demo-admin")
    await page.get_by_role("navigation").get_by_role("link", name="用户", exact=True).click()
    await page.get_by_role("cell", name="demo-teacher", exact=True).wait_for()
    assert await axe_violations(page) == []

    # Create: a too-short password is refused next to its field, what was typed stays.
    form = page.get_by_role("form", name="新建用户")
    await form.get_by_label("用户名").fill(username)
    await form.get_by_label("显示名称").fill("小雪")
    await form.get_by_label("初始密码").fill("short")
    await form.get_by_label("学习者").check()
    await form.get_by_label("所属机构").select_option(label="明湖市第七中学（演示）")
    await form.get_by_role("button", name="新建用户").click()
    await form.locator(".field-error:not([hidden])").first.wait_for()
    assert await form.get_by_label("初始密码").get_attribute("aria-invalid") == "true"
    assert await form.get_by_label("用户名").input_value() == username
    await form.get_by_label("初始密码").fill(password)
    await form.get_by_role("button", name="新建用户").click()
    await page.get_by_text(f"已创建用户“{username}”").wait_for()

    # The search (kept in the address) finds the new account with its roles and organization.
    await page.get_by_label("搜索（用户名或显示名称）").fill(username)
    await page.wait_for_url(f"**search={username}**")
    row = page.get_by_role("row").filter(has_text=username)
    await page.get_by_text("共 1 条").wait_for()
    assert "学习者" in await row.inner_text() and "明湖市第七中学（演示）" in await row.inner_text()
    await shot(page, "users")

    # The person is signed in over HTTP and holds a socket; deactivating (with the keyboard) ends both.
    token = await login(api, username, password)
    assert (await graphql(api, VIEWER, token=token))["viewer"]["user"]["username"] == username
    async with graphql_ws(api.base_url.netloc.decode(), token) as ws:
        await row.get_by_role("button", name=f"停用 {username}").press("Enter")
        dialog = page.get_by_role("dialog")
        await dialog.get_by_role("button", name="停用").press("Enter")
        await page.get_by_text(f"已停用“{username}”").wait_for()
        assert (await ws.closed())[:2] == (4401, "deactivated")
    assert (await refused(api, token, VIEWER))["extensions"]["reason"] == "deactivated"
    await row.get_by_text("已停用").wait_for()
    assert await axe_violations(page) == []

    # Reactivate, then reset the password: the temporary one is shown once and signs in.
    await row.get_by_role("button", name=f"恢复 {username}").click()
    await page.get_by_text(f"已恢复“{username}”").wait_for()
    await row.get_by_role("button", name=f"重置密码 {username}").click()
    await page.get_by_role("dialog").get_by_role("button", name="重置密码").click()
    shown = page.get_by_role("dialog", name=f"“{username}”的临时密码")
    temporary = await shown.get_by_role("textbox").input_value()
    assert len(temporary) >= 10
    assert await axe_violations(page) == []
    await shown.get_by_role("button", name="我已记下").click()
    await shown.wait_for(state="detached")
    fresh = await login(api, username, temporary)
    assert (await graphql(api, VIEWER, token=fresh))["viewer"]["user"]["username"] == username


async def test_the_users_filters_and_the_english_page(page: Any) -> None:
    await sign_in(page, "demo-admin")
    await page.goto("/console/#/admin/users?role=EXPERT&state=active")
    await page.get_by_role("cell", name="expert-pengyaqin", exact=True).wait_for()
    assert await page.get_by_role("cell", name="demo-teacher", exact=True).count() == 0
    filters = page.get_by_role("search", name="筛选用户")
    assert await filters.get_by_label("角色").input_value() == "EXPERT"
    await filters.get_by_label("状态").select_option("inactive")
    await page.get_by_text("没有符合条件的内容").wait_for()
    await page.get_by_role("button", name="English").click()
    await page.get_by_role("heading", name="Users").wait_for()
    await page.get_by_role("form", name="New user").get_by_label("Initial password").wait_for()
    assert await axe_violations(page) == []


async def test_an_admin_creates_an_api_key_and_revoking_it_refuses_its_next_request(
    page: Any, api: httpx.AsyncClient
) -> None:
    name = f"LMS {secrets.token_hex(3)}"
    await sign_in(page, "demo-admin")
    await page.get_by_role("navigation").get_by_role("link", name="API 密钥").click()
    await page.locator(".paged-table[aria-busy='false']").wait_for()
    assert await axe_violations(page) == []
    form = page.get_by_role("form", name="新建密钥")
    await form.get_by_label("名称").fill(name)
    await form.get_by_role("button", name="新建密钥").click()  # no organization: said next to the field
    await form.locator(".field-error:not([hidden])").first.wait_for()
    await form.get_by_label("机构").select_option(label="明湖市第七中学（演示）")
    await form.get_by_label("有效期至（可选）").fill("2099-12-31")  # beyond ten years: said next to the field
    await form.get_by_role("button", name="新建密钥").click()
    await form.locator(".field-error:not([hidden])").first.wait_for()
    assert await form.get_by_label("有效期至（可选）").get_attribute("aria-invalid") == "true"
    last_day = date.today() + timedelta(days=400)
    await form.get_by_label("有效期至（可选）").fill(last_day.isoformat())
    await form.get_by_role("button", name="新建密钥").click()
    shown = page.get_by_role("dialog", name=f"密钥“{name}”")
    secret = await shown.get_by_role("textbox").input_value()
    assert len(secret) > 20
    assert await axe_violations(page) == []
    await shown.get_by_role("button", name="我已记下").click()
    await shown.wait_for(state="detached")

    # The key works, and its use shows in the list.
    assert (await graphql(api, PUBLIC, token=secret))["organizations"]["totalCount"] >= 1
    row = page.get_by_role("row").filter(has_text=name)
    await row.wait_for()
    await row.get_by_text("可用").wait_for()
    assert str((last_day + timedelta(days=1)).year) in await row.inner_text()  # through the day chosen (UTC)
    await page.reload()
    await row.wait_for()
    assert "从未使用" not in await row.inner_text()
    await shot(page, "api-keys")

    await row.get_by_role("button", name=f"吊销 {name}").click()
    await page.get_by_role("dialog").get_by_role("button", name="吊销").click()
    await page.get_by_text(f"已吊销“{name}”").wait_for()
    await row.get_by_text("已吊销", exact=True).wait_for()
    assert await row.get_by_role("button").count() == 0
    assert (await refused(api, secret, PUBLIC))["extensions"]["reason"] == "revoked"


CREATE_USER = """mutation($input: CreateUserInput!) { createUser(input: $input) { user { id } errors { message } } }"""
RESET = """mutation($input: ResetUserPasswordInput!) {
  resetUserPassword(input: $input) { temporaryPassword errors { message } } }"""
MUST_CHANGE = "{ viewer { mustChangePassword } }"


async def test_after_a_reset_the_console_asks_for_ones_own_password_first(page: Any, api: httpx.AsyncClient) -> None:
    admin = await login(api, "demo-admin")
    username = f"laoshi-{secrets.token_hex(3)}"
    created = await graphql(
        api,
        CREATE_USER,
        {
            "input": {
                "username": username,
                "password": "first-password-1",
                "displayName": "吴老师",
                "roles": ["TEACHER"],
            }
        },
        token=admin,
    )
    user_id = created["createUser"]["user"]["id"]
    reset = await graphql(api, RESET, {"input": {"userId": user_id, "newPassword": None}}, token=admin)
    temporary = reset["resetUserPassword"]["temporaryPassword"]

    await sign_in(page, username, temporary)
    await page.get_by_role("heading", name="修改密码").wait_for()
    await page.get_by_text("管理员为您重置了密码").wait_for()
    await page.goto("/console/#/report")  # anywhere else brings them back here first
    await page.get_by_role("heading", name="修改密码").wait_for()
    assert await axe_violations(page) == []
    form = page.get_by_role("form", name="修改密码")
    await form.get_by_label("临时密码（管理员提供的）").fill(temporary)
    await form.get_by_label(re.compile("^新密码")).fill("my-own-password-2")
    await form.get_by_label("再次输入新密码").fill("my-own-password-3")
    await form.get_by_role("button", name="保存新密码").click()
    await form.get_by_text("两次输入的新密码不一致").wait_for()
    await form.get_by_label("再次输入新密码").fill("my-own-password-2")
    await form.get_by_label("再次输入新密码").press("Enter")
    await page.get_by_role("heading", name="您好，吴老师").wait_for()
    mine = await login(api, username, "my-own-password-2")
    assert (await graphql(api, MUST_CHANGE, token=mine))["viewer"]["mustChangePassword"] is False
