"""The console's foundation in Chromium: sign-in (keyboard alone), roles, language, phone width,
a refused credential, a lost connection, live updates over graphql-ws, and GraphiQL served locally."""

from __future__ import annotations

from typing import Any

import httpx

from tests.console.conftest import Watched, axe_violations, graphql, login, sign_in


async def test_sign_in_with_the_keyboard_alone_and_no_serious_axe_violation(page: Any) -> None:
    await page.goto("/console/")
    await page.get_by_role("heading", name="登录 Beacon 工作台").wait_for()
    assert await axe_violations(page) == []
    # Focus starts in the username field; Tab reaches the password; Enter submits.
    await page.keyboard.type("demo-editor")
    await page.keyboard.press("Tab")
    await page.keyboard.type("beacon-demo-editor")
    await page.keyboard.press("Enter")
    await page.get_by_role("heading", name="您好，王编辑").wait_for()
    assert await page.evaluate("document.cookie") == ""
    token = await page.evaluate("sessionStorage.getItem('beacon.console.token')")
    assert token and len(token) > 20


async def test_a_wrong_password_is_said_next_to_the_field_and_the_username_stays(page: Any) -> None:
    await page.goto("/console/")
    await page.get_by_label("用户名").fill("demo-editor")
    await page.get_by_label("密码").fill("not-the-password")
    await page.get_by_role("button", name="登录").click()
    password = page.get_by_label("密码")
    await page.locator(".field-error:not([hidden])").first.wait_for()
    assert await password.get_attribute("aria-invalid") == "true"
    described = await password.get_attribute("aria-describedby")
    error_text = await page.locator(f"#{described.split()[-1]}").inner_text()
    assert error_text.strip()
    assert await page.get_by_label("用户名").input_value() == "demo-editor"
    assert await axe_violations(page) == []


async def test_learners_are_not_let_into_the_console(page: Any) -> None:
    await page.goto("/console/")
    await page.get_by_label("用户名").fill("demo-learner")
    await page.get_by_label("密码").fill("beacon-demo-learner")
    await page.get_by_role("button", name="登录").click()
    await page.get_by_text("此账号没有工作台权限").wait_for()
    assert await page.evaluate("sessionStorage.getItem('beacon.console.token')") is None


async def test_navigation_follows_roles_and_pages_check_them(page: Any) -> None:
    await sign_in(page, "demo-teacher")
    nav = page.get_by_role("navigation", name="主导航")
    assert "内容" not in await nav.inner_text()
    await page.goto("/console/#/content")
    await page.get_by_role("heading", name="无权访问").wait_for()


async def test_english_switch_and_phone_width_menu(page: Any) -> None:
    await sign_in(page, "demo-editor")
    await page.get_by_role("button", name="English").click()
    await page.get_by_role("heading", name="Hello, 王编辑").wait_for()
    assert await page.evaluate("document.documentElement.lang") == "en"
    await page.set_viewport_size({"width": 390, "height": 800})
    menu = page.get_by_role("button", name="Menu")
    assert await menu.get_attribute("aria-expanded") == "false"
    assert not await page.get_by_role("navigation").get_by_role("link", name="Home").is_visible()
    await menu.click()
    assert await menu.get_attribute("aria-expanded") == "true"
    await page.get_by_role("navigation").get_by_role("link", name="Home").wait_for(state="visible")
    assert await axe_violations(page) == []
    # The choice is remembered; switching back restores Chinese.
    await page.reload()
    await page.get_by_role("button", name="中文").click()
    await page.get_by_role("heading", name="您好，王编辑").wait_for()


async def test_a_stored_token_the_server_refuses_brings_back_sign_in_with_why(
    page: Any, api: httpx.AsyncClient, watched: Watched
) -> None:
    # The refused token is answered with HTTP 401 (issue 11.1), which the browser logs.
    watched.allowed_console_errors.append("status of 401 (Unauthorized)")
    await sign_in(page, "demo-editor")
    token = await page.evaluate("sessionStorage.getItem('beacon.console.token')")
    await graphql(api, "mutation { logout { ok } }", token=token)  # the session ends elsewhere
    await page.reload()
    notice = page.get_by_role("alert").filter(has_text="重新登录")
    await notice.wait_for()
    assert await page.get_by_label("用户名").input_value() == "demo-editor"


async def test_a_lost_connection_shows_a_banner_and_recovers_by_itself(
    page: Any, context: Any, watched: Watched
) -> None:
    watched.allowed_console_errors.append("net::ERR_INTERNET_DISCONNECTED")
    await sign_in(page, "demo-editor")
    banner = page.get_by_text("与服务器的连接已中断")
    assert not await banner.is_visible()
    await context.set_offline(True)
    await page.evaluate(
        "import(document.getElementById('app').dataset.base + 'lib/api.js').then(m => { window.__result = m.query('{ tags { name } }').then(d => d.tags.length) })"
    )
    await banner.wait_for(state="visible")
    await context.set_offline(False)
    await banner.wait_for(state="hidden", timeout=30_000)
    assert await page.evaluate("window.__result") > 0


CLIENT_CONSULTATION = """
mutation($input: SendMessageInput!) { sendMessage(input: $input) { message { id } errors { code message } } }
"""


async def test_graphql_ws_client_receives_live_updates(page: Any, api: httpx.AsyncClient) -> None:
    client_token = await login(api, "demo-client")
    data = await graphql(
        api,
        "{ viewer { consultations(first: 1) { edges { node { id expert { displayName } } } } } }",
        token=client_token,
    )
    consultation = data["viewer"]["consultations"]["edges"][0]["node"]
    expert_username = await expert_username_for(api, consultation["expert"]["displayName"])
    await sign_in(page, expert_username, "beacon-demo-expert")
    await page.evaluate(
        """async () => {
          const { live } = await import(document.getElementById('app').dataset.base + 'lib/ws.js');
          window.__events = [];
          live.subscribe({ query: 'subscription { consultationUpdated { id lastMessage { body } } }' },
            { next: (data) => window.__events.push(data.consultationUpdated) });
        }"""
    )
    await page.wait_for_function("() => window.__events !== undefined")
    # The subscription is acknowledged before the client writes.
    await page.wait_for_timeout(300)
    await graphql(
        api,
        CLIENT_CONSULTATION,
        {"input": {"consultationId": consultation["id"], "body": "浏览器实时测试", "clientMessageId": "console-ws-1"}},
        token=client_token,
    )
    await page.wait_for_function(
        "() => window.__events.some(e => e.lastMessage && e.lastMessage.body === '浏览器实时测试')"
    )


async def expert_username_for(api: httpx.AsyncClient, display_name: str) -> str:
    from demo.experts import EXPERTS

    for expert in EXPERTS:
        if expert.display_name == display_name:
            return expert.username
    raise AssertionError(f"no demo expert named {display_name}")


async def test_graphiql_is_served_by_beacon_itself_and_runs_a_query(page: Any) -> None:
    await page.goto("/graphql")
    run = page.get_by_role("button", name="Execute query (Ctrl-Enter)")
    await run.wait_for()
    # A first visit opens on Beacon's example operation (console/graphiql/start.js), not an empty editor.
    editor = page.locator(".graphiql-query-editor")
    await editor.get_by_text("PublishedLessons").wait_for()
    await editor.get_by_text("Sign in with the login mutation", exact=False).wait_for()
    await run.click()
    await page.locator(".result-window").get_by_text('"totalCount"').wait_for()
