"""Staff's second factor in the console (issue 14), in Chromium against a server that requires it:
an expert without one sets it up at the first sign-in (the secret, a first code, the recovery codes
shown once) with the keyboard alone; an expert with one cannot finish signing in without the code,
and with it reaches the inbox. The new screens have no serious axe violation."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime
from typing import Any

import httpx
import pyotp
import pytest

from demo.accounts import EXPERT_PASSWORD, STAFF_TOTP_SECRET
from tests.console.conftest import NO_CHROMIUM, ONCE, STEP_CEILING_MS, Watched, axe_violations, chromium_path
from tests.live import ROOT, LiveServer

ENROLLING = "expert-songxiaolan"  # its factor is reset by the operator, so it enrols anew
ENROLLED = "expert-chenglifeng"  # keeps the demo secret seed-demo gave it


def beacon(server: LiveServer, *args: str) -> None:
    subprocess.run(
        [sys.executable, "-m", "cli", *args], cwd=ROOT, env=server.environ, check=True, capture_output=True, timeout=300
    )


@pytest.fixture(scope="module")
def strict_server(tmp_path_factory: pytest.TempPathFactory, database: str) -> Iterator[LiveServer]:
    """The demo on its own database, with the second factor required (demo staff get the demo secret)."""
    if not database.startswith("sqlite"):
        pytest.skip(ONCE)
    if chromium_path() is None:
        pytest.skip(NO_CHROMIUM)
    data_dir = tmp_path_factory.mktemp("second-factor") / "data"
    server = LiveServer(
        f"sqlite://{data_dir / 'beacon.sqlite3'}", data_dir, env={"BEACON_STAFF_SECOND_FACTOR": "required"}
    )
    beacon(server, "migrate")
    beacon(server, "seed-demo")
    beacon(server, "users", "reset-second-factor", ENROLLING)
    with server:
        yield server


@pytest.fixture
async def context(browser: Any, strict_server: LiveServer) -> AsyncIterator[Any]:
    context = await browser.new_context(base_url=strict_server.url, viewport={"width": 1280, "height": 860})
    context.set_default_timeout(STEP_CEILING_MS)
    yield context
    await context.close()


@pytest.fixture
async def watched(context: Any, strict_server: LiveServer) -> AsyncIterator[Watched]:
    record = Watched(strict_server.url)
    context.on("request", lambda request: record.urls.append(request.url))
    context.on("page", lambda page: page.on("pageerror", lambda error: record.page_errors.append(str(error))))
    yield record
    assert record.foreign() == [], record.foreign()
    assert record.page_errors == [], record.page_errors


async def test_an_expert_without_a_second_factor_sets_one_up_with_the_keyboard_alone(page: Any) -> None:
    await page.goto("/console/")
    await page.get_by_role("heading", name="登录 Beacon 工作台").wait_for()
    await page.keyboard.type(ENROLLING)
    await page.keyboard.press("Tab")
    await page.keyboard.type(EXPERT_PASSWORD)
    await page.keyboard.press("Enter")

    await page.get_by_role("heading", name="设置两步验证").wait_for()
    secret = await page.locator(".enrol-secret").get_attribute("data-secret")
    assert secret and secret != STAFF_TOTP_SECRET
    assert (await page.locator(".enrol-uri").text_content() or "").startswith("otpauth://totp/Beacon:")
    code = page.get_by_label("应用显示的 6 位验证码")
    await code.wait_for()
    assert await page.evaluate("document.activeElement.getAttribute('autocomplete')") == "one-time-code"
    assert await axe_violations(page) == []
    # Not signed in yet: no token kept, no shell.
    assert await page.evaluate("sessionStorage.getItem('beacon.console.token')") is None

    await page.keyboard.type("000000")
    await page.keyboard.press("Enter")
    await page.locator(".field-error:not([hidden])").first.wait_for()
    assert await code.get_attribute("aria-invalid") == "true"
    await code.fill("")
    await page.keyboard.type(pyotp.TOTP(secret).now())
    await page.keyboard.press("Enter")

    await page.get_by_role("heading", name="恢复码").wait_for()
    codes = await page.locator(".recovery-codes li").all_inner_texts()
    assert len(set(codes)) == 10
    assert await axe_violations(page) == []
    await page.keyboard.press("Tab")
    assert await page.evaluate("document.activeElement.textContent") == "我已保存，进入工作台"
    await page.keyboard.press("Enter")
    await page.get_by_role("button", name="退出登录").wait_for()
    await page.get_by_role("navigation").get_by_role("link", name="咨询收件箱").click()
    await page.get_by_role("heading", name="咨询收件箱").wait_for()


async def test_an_expert_cannot_finish_signing_in_without_the_code_and_with_it_reaches_the_inbox(page: Any) -> None:
    await page.goto("/console/")
    await page.get_by_label("用户名").fill(ENROLLED)
    await page.get_by_label("密码").fill(EXPERT_PASSWORD)
    await page.get_by_role("button", name="登录").click()
    code = page.get_by_label("验证码")
    await code.wait_for()
    assert await code.get_attribute("aria-invalid") == "true"
    assert await page.evaluate("document.activeElement.getAttribute('autocomplete')") == "one-time-code"
    assert await page.evaluate("sessionStorage.getItem('beacon.console.token')") is None
    assert await page.get_by_role("button", name="退出登录").count() == 0
    assert await axe_violations(page) == []

    await code.fill("123")
    await page.get_by_role("button", name="登录").click()
    await page.get_by_text("That code is wrong or was used already.").wait_for()
    assert await page.evaluate("sessionStorage.getItem('beacon.console.token')") is None

    await code.fill(pyotp.TOTP(STAFF_TOTP_SECRET).at(datetime.now(UTC), counter_offset=1))
    await page.get_by_role("button", name="登录").click()
    await page.get_by_role("button", name="退出登录").wait_for()
    await page.get_by_role("navigation").get_by_role("link", name="咨询收件箱").click()
    await page.get_by_role("heading", name="咨询收件箱").wait_for()


async def test_an_admin_resets_an_experts_second_factor_from_the_users_page(
    page: Any, strict_server: LiveServer
) -> None:
    await page.goto("/console/")
    await page.get_by_label("用户名").fill("demo-admin")
    await page.get_by_label("密码").fill("beacon-demo-admin")
    await page.get_by_role("button", name="登录").click()
    await page.get_by_label("验证码").fill(pyotp.TOTP(STAFF_TOTP_SECRET).at(datetime.now(UTC), counter_offset=1))
    await page.get_by_role("button", name="登录").click()
    await page.get_by_role("button", name="退出登录").wait_for()
    await page.get_by_role("navigation").get_by_role("link", name="用户").click()
    await page.get_by_label("搜索（用户名或显示名称）").fill(ENROLLED)
    await page.get_by_text("共 1 条").wait_for()
    row = page.get_by_role("row").filter(has_text=ENROLLED)
    await row.get_by_role("button", name=f"重置两步验证 {ENROLLED}").click()
    await page.get_by_role("dialog").get_by_role("button", name="重置两步验证").click()
    await page.get_by_text(f"已重置“{ENROLLED}”的两步验证").wait_for()
    assert await axe_violations(page) == []

    async with httpx.AsyncClient(base_url=strict_server.url, timeout=30) as api:
        answer = await api.post(
            "/graphql",
            json={
                "query": "mutation($i: LoginInput!) { login(input: $i) { token errors { code } } }",
                "variables": {"i": {"username": ENROLLED, "password": EXPERT_PASSWORD}},
            },
        )
    assert answer.json()["data"]["login"] == {"token": None, "errors": [{"code": "SECOND_FACTOR_ENROLMENT_REQUIRED"}]}
