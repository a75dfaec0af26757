"""Preview links in Chromium (issue 12): an editor creates one for a draft in the lesson editor, the link's
token shows that draft through the public API, the editor revokes it there, and the API refuses it."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx

from tests.console.conftest import axe_violations, graphql, login, sign_in
from tests.console.screens import shot

DRAFTS = "{ lessons(filter: {status: DRAFT}, first: 1) { edges { node { id title slug } } } }"
READ = "query($id: ID!) { lesson(id: $id) { id title status } }"


async def test_an_editor_creates_a_preview_link_for_a_draft_and_revokes_it(page: Any, api: httpx.AsyncClient) -> None:
    editor = await login(api, "demo-editor")
    draft = (await graphql(api, DRAFTS, token=editor))["lessons"]["edges"][0]["node"]
    await sign_in(page, "demo-editor")
    await page.goto(f"/console/#/content/lessons/{draft['id']}")
    panel = page.get_by_role("region", name="预览链接")
    await panel.wait_for()
    await panel.get_by_label("说明").fill("给张校长审阅")
    await panel.get_by_label("有效时长（小时）").fill("24")
    await panel.get_by_role("button", name="生成预览链接").click()
    secret_box = panel.locator(".preview-secret input")
    await secret_box.wait_for()
    shown = await secret_box.input_value()
    # A link (BEACON_PORTAL_URL/preview?token=…) when a portal is configured, else the token itself.
    token = parse_qs(urlsplit(shown).query)["token"][0] if shown.startswith("http") else shown
    assert token.startswith("bp_")
    await panel.get_by_role("listitem").filter(has_text="给张校长审阅").filter(has_text="有效").wait_for()
    assert await axe_violations(page) == []
    await shot(page, "lesson-editor-preview-link")

    # The token shows the draft through the public API, to a caller who is not signed in.
    previewed = await api.post(
        "/graphql", json={"query": READ, "variables": {"id": draft["id"]}}, headers={"Beacon-Preview": token}
    )
    assert previewed.status_code == 200, previewed.text
    assert previewed.json()["data"]["lesson"] == {"id": draft["id"], "title": draft["title"], "status": "DRAFT"}
    assert previewed.headers["cache-control"] == "private, no-store"
    anonymous = await api.post("/graphql", json={"query": READ, "variables": {"id": draft["id"]}})
    assert anonymous.json()["data"]["lesson"] is None

    await panel.get_by_role("button", name="撤销：给张校长审阅").click()
    await page.get_by_role("status").filter(has_text="预览链接“给张校长审阅”已撤销").wait_for()
    await panel.get_by_role("listitem").filter(has_text="给张校长审阅").filter(has_text="已失效").wait_for()
    refused = await api.post(
        "/graphql", json={"query": READ, "variables": {"id": draft["id"]}}, headers={"Beacon-Preview": token}
    )
    assert refused.status_code == 401
    assert refused.json()["errors"][0]["extensions"] == {"code": "UNAUTHENTICATED", "reason": "preview_revoked"}
