"""Short access tokens in the console (docs/api-guide.md, "Session expiry"): an editor whose access
token expires mid-session carries on without signing in; the console renews it once with the
refresh token kept in sessionStorage and re-sends the refused request."""

from __future__ import annotations

import hashlib
import sqlite3
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx

from tests.console.conftest import Watched, graphql, sign_in
from tests.live import LiveServer

TOKEN = "sessionStorage.getItem('beacon.console.token')"
REFRESH = "sessionStorage.getItem('beacon.console.refresh')"


def _database(server: LiveServer) -> str:
    return server.environ["BEACON_DATABASE_URL"].removeprefix("sqlite://")


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def expire(server: LiveServer, token: str) -> None:
    """Move the access token's expiry into the past in the server's database (no waiting)."""
    past = (datetime.now(UTC) - timedelta(minutes=1)).isoformat(" ")  # as Tortoise writes SQLite datetimes
    with sqlite3.connect(_database(server)) as db:
        moved = db.execute("UPDATE auth_token SET expires_at = ? WHERE token_hash = ?", (past, _digest(token))).rowcount
    assert moved == 1


def session_row(server: LiveServer, token: str) -> tuple[str | None, str | None]:
    with sqlite3.connect(_database(server)) as db:
        row = db.execute(
            "SELECT token_hash, revoked_at FROM auth_token WHERE token_hash = ?", (_digest(token),)
        ).fetchone()
    return (row[0], row[1]) if row else (None, None)


async def test_an_expired_access_token_is_renewed_and_the_next_action_succeeds_without_sign_in(
    page: Any, api: httpx.AsyncClient, console_server: LiveServer, watched: Watched
) -> None:
    # The expired token is answered with HTTP 401 once (issue 11.1), which the browser logs.
    watched.allowed_console_errors.append("status of 401 (Unauthorized)")
    await sign_in(page, "demo-editor")
    token, refresh = await page.evaluate(TOKEN), await page.evaluate(REFRESH)
    assert token and refresh and token != refresh
    expire(console_server, token)

    await page.get_by_role("navigation").get_by_role("link", name="媒体库").click()
    await page.get_by_role("heading", name="媒体库").wait_for()
    await page.wait_for_function(f"(old) => {TOKEN} !== old", arg=token)
    renewed, renewed_refresh = await page.evaluate(TOKEN), await page.evaluate(REFRESH)
    assert renewed and renewed_refresh and renewed_refresh != refresh
    # No sign-in was asked for, and the new token is the same session's, working.
    assert await page.get_by_role("dialog").count() == 0
    assert session_row(console_server, renewed) == (_digest(renewed), None)
    viewer = await graphql(api, "{ viewer { user { username } } }", token=renewed)
    assert viewer["viewer"]["user"]["username"] == "demo-editor"
    # The spent refresh token is not kept anywhere: presenting it again would end the session.
    assert refresh not in await page.evaluate("JSON.stringify(sessionStorage)")
