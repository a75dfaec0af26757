"""The console in a real browser: Debian's Chromium driven by Playwright, against a real server.

One Chromium and one `beacon serve` (on its own SQLite database with the demo content) serve the
whole session; each test gets a fresh browser context (so a fresh sessionStorage) whose every
request is recorded: a test fails if the page asked any host but Beacon's own, threw a script
error, or the browser logged a Content-Security-Policy violation. The browser tests run once, on
the SQLite pass; without any Chromium they skip with one line saying so.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx
import pytest

from tests.live import ROOT, LiveServer

ONCE = "console browser tests run once, on the SQLite pass: they drive a server with a database of its own"
NO_CHROMIUM = "console browser tests skipped: no Chromium found (apt-get install chromium, or set BEACON_CHROMIUM)"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-default-apps",
    "--metrics-recording-only",
]
DEMO_PASSWORDS = {
    "demo-admin": "beacon-demo-admin",
    "demo-editor": "beacon-demo-editor",
    "demo-teacher": "beacon-demo-teacher",
    "demo-learner": "beacon-demo-learner",
    "demo-learner2": "beacon-demo-learner2",
    "demo-client": "beacon-demo-client",
}


def chromium_path() -> str | None:
    """Debian's Chromium (or BEACON_CHROMIUM): Playwright's own browser download is not reachable here."""
    candidates = [os.environ.get("BEACON_CHROMIUM"), "/usr/bin/chromium", shutil.which("chromium")]
    candidates += [shutil.which("chromium-browser"), shutil.which("google-chrome")]
    return next((c for c in candidates if c and Path(c).exists()), None)


@pytest.fixture(scope="session")
def console_server(tmp_path_factory: pytest.TempPathFactory, database: str) -> Iterator[LiveServer]:
    """`beacon serve` on a fresh SQLite database holding the demo content (migrate, seed-demo)."""
    if not database.startswith("sqlite"):
        pytest.skip(ONCE)
    if chromium_path() is None:
        pytest.skip(NO_CHROMIUM)
    data_dir = tmp_path_factory.mktemp("console") / "data"
    url = f"sqlite://{data_dir / 'beacon.sqlite3'}"
    server = LiveServer(url, data_dir)
    for command in (["migrate"], ["seed-demo"]):
        subprocess.run(
            [sys.executable, "-m", "cli", *command],
            cwd=ROOT,
            env=server.environ,
            check=True,
            capture_output=True,
            timeout=300,
        )
    with server:
        yield server


@pytest.fixture(scope="session")
async def browser(console_server: LiveServer) -> AsyncIterator[Any]:
    from playwright.async_api import async_playwright

    async with async_playwright() as playwright:
        chromium = await playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        yield chromium
        await chromium.close()


@dataclass
class Watched:
    """What a page did: every URL it requested, script errors, console errors."""

    origin: str
    urls: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    allowed_console_errors: list[str] = field(default_factory=list)

    def foreign(self) -> list[str]:
        own = urlsplit(self.origin).netloc
        return [
            u for u in self.urls if urlsplit(u).scheme not in ("data", "blob", "about") and urlsplit(u).netloc != own
        ]

    def unexpected_console_errors(self) -> list[str]:
        return [e for e in self.console_errors if not any(a in e for a in self.allowed_console_errors)]


# A ceiling, not a wait: every step waits for its element or event. 15 s ran out when the suite
# shared both cores with a load of 10-17 (test_the_users_filters_and_the_english_page, and the
# second-factor page's own context, which had kept 15 s).
STEP_CEILING_MS = 40_000


@pytest.fixture
async def context(browser: Any, console_server: LiveServer) -> AsyncIterator[Any]:
    context = await browser.new_context(base_url=console_server.url, viewport={"width": 1280, "height": 860})
    context.set_default_timeout(STEP_CEILING_MS)
    yield context
    await context.close()


@pytest.fixture
async def watched(context: Any, console_server: LiveServer) -> AsyncIterator[Watched]:
    """Records the context's requests and errors; the test fails on a foreign request or a script error."""
    record = Watched(console_server.url)
    context.on("request", lambda request: record.urls.append(request.url))

    def on_page(page: Any) -> None:
        page.on("pageerror", lambda error: record.page_errors.append(str(error)))
        page.on("console", lambda message: message.type == "error" and record.console_errors.append(message.text))

    context.on("page", on_page)
    yield record
    assert record.urls, "the browser made no request at all"
    assert record.foreign() == [], f"requests to hosts other than Beacon's own: {record.foreign()}"
    assert record.page_errors == [], f"script errors: {record.page_errors}"
    assert record.unexpected_console_errors() == [], f"browser console errors: {record.unexpected_console_errors()}"


@pytest.fixture
async def page(context: Any, watched: Watched) -> Any:
    return await context.new_page()


@pytest.fixture
async def api(console_server: LiveServer) -> AsyncIterator[httpx.AsyncClient]:
    """An HTTP client for arranging and checking through the same server's public API."""
    async with httpx.AsyncClient(base_url=console_server.url, timeout=30) as client:
        yield client


async def graphql(
    client: httpx.AsyncClient, query: str, variables: dict[str, Any] | None = None, token: str | None = None
) -> dict[str, Any]:
    headers = {"authorization": f"Bearer {token}"} if token else {}
    response = await client.post("/graphql", json={"query": query, "variables": variables or {}}, headers=headers)
    body: dict[str, Any] = response.json()
    assert not body.get("errors"), body
    return body["data"]  # type: ignore[no-any-return]  # parsed JSON is Any


async def login(client: httpx.AsyncClient, username: str, password: str | None = None) -> str:
    data = await graphql(
        client,
        "mutation($i: LoginInput!) { login(input: $i) { token errors { message } } }",
        {"i": {"username": username, "password": password or DEMO_PASSWORDS[username]}},
    )
    assert data["login"]["token"], data
    return str(data["login"]["token"])


async def sign_in(page: Any, username: str, password: str | None = None, path: str = "/console/") -> None:
    """Sign in through the console's own form and wait for the shell."""
    await page.goto(path)
    await page.get_by_label("用户名").fill(username)
    await page.get_by_label("密码").fill(password or DEMO_PASSWORDS[username])
    await page.get_by_role("button", name="登录").click()
    await page.get_by_role("button", name="退出登录").wait_for()
    # The shell shows as soon as the token is kept, but the sign-in still asks the server one more
    # thing and then goes to the next page: wait until that page has rendered, or a test's own
    # navigation races the sign-in's and loses (seen as '#/' instead of the page asked for).
    await page.wait_for_function(
        "() => !location.hash.startsWith('#/sign-in') && !document.querySelector('#main[aria-busy]')"
    )


async def axe_violations(page: Any, impacts: tuple[str, ...] = ("serious", "critical")) -> list[dict[str, Any]]:
    """axe-core's violations of the given impacts on the page as it is now."""
    from axe_playwright_python.async_playwright import Axe

    results = await Axe().run(page)
    return [
        {"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"]][:5]}
        for v in results.response["violations"]
        if v.get("impact") in impacts
    ]
