"""The runnable examples of docs/integrations.md, run against a test server: Python and Node, sync and verification."""

from __future__ import annotations

import asyncio
import json
import shutil
import sys
from pathlib import Path
from typing import Any

import httpx
import pytest
from tortoise.transactions import in_transaction

from models.content import ContentType, PublicationStatus
from resolvers import accounts
from resolvers.content import items
from server import create_app
from settings import Settings
from tests.helpers import GraphQLClient
from tests.integrations.helpers import admin_token, deliverer, drain, organization, register_endpoint
from tests.live import ROOT, free_port, serve_in_process

EXAMPLES = ROOT / "examples"
RUNTIMES = {
    "python": [sys.executable],
    "node": [shutil.which("node") or "node"],
}


def _command(runtime: str, name: str) -> list[str]:
    if runtime == "node" and shutil.which("node") is None:
        pytest.skip("node is not installed")
    suffix = ".py" if runtime == "python" else ".mjs"
    return [*RUNTIMES[runtime], str(EXAMPLES / f"{name}{suffix}")]


async def _publish(title: str, slug: str) -> int:
    async with in_transaction():
        item = await items.create(None, ContentType.LESSON, {"title": title, "slug": slug, "section": "HANDBOOK"})
        await items.set_status(None, ContentType.LESSON, item.id, PublicationStatus.PUBLISHED)
    return item.id


async def _run(command: list[str], env: dict[str, str]) -> dict[str, Any]:
    process = await asyncio.create_subprocess_exec(
        *command, env=env, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE
    )
    out, err = await asyncio.wait_for(process.communicate(), 60)
    assert process.returncode == 0, err.decode()
    return json.loads(out.decode().strip().splitlines()[-1])  # type: ignore[no-any-return]  # parsed JSON is Any


@pytest.mark.parametrize("runtime", ["python", "node"])
async def test_the_delta_sync_loop_mirrors_published_content(settings: Settings, tmp_path: Path, runtime: str) -> None:
    key = await accounts.create_api_key(name="lms", organization=await organization())
    first = await _publish("认识冰毒", "bing-du")
    await _publish("拒绝的技巧", "ju-jue")
    state = tmp_path / "mirror.json"
    async with serve_in_process(create_app(settings, manage_database=False)) as url:
        env = {"BEACON_URL": url, "BEACON_API_KEY": key, "PATH": "/usr/bin:/bin"}
        command = [*_command(runtime, "sync"), "--once", "--state", str(state)]
        assert await _run(command, env) == {"changed": 2, "removed": 0, "total": 2}
        async with in_transaction():
            await items.set_status(None, ContentType.LESSON, first, PublicationStatus.ARCHIVED)
        assert await _run(command, env) == {"changed": 0, "removed": 1, "total": 1}
        assert await _run(command, env) == {"changed": 0, "removed": 0, "total": 1}
    mirror = json.loads(state.read_text())
    assert [i["slug"] for i in mirror["items"].values()] == ["ju-jue"]


@pytest.mark.parametrize("runtime", ["python", "node"])
async def test_the_webhook_receiver_verifies_and_refuses(gql: GraphQLClient, settings: Settings, runtime: str) -> None:
    port = free_port()
    url = f"http://127.0.0.1:{port}/hook"
    registered = await register_endpoint(gql, await admin_token(), url, ["CONTENT_PUBLISHED"])
    process = await asyncio.create_subprocess_exec(
        *_command(runtime, "verify_webhook"),
        "--port",
        str(port),
        env={"WEBHOOK_SECRET": registered["secret"], "PATH": "/usr/bin:/bin"},
        stdout=asyncio.subprocess.PIPE,
    )
    assert process.stdout is not None
    try:
        assert json.loads(await asyncio.wait_for(process.stdout.readline(), 30)) == {"listening": port}
        lesson = await _publish("认识冰毒", "bing-du")
        await drain(deliverer(settings))
        event = json.loads(await asyncio.wait_for(process.stdout.readline(), 30))
        assert event["type"] == "content.published" and event["data"]["slug"] == "bing-du"
        forged = {"webhook-id": event["id"], "webhook-timestamp": "1", "webhook-signature": "v1,AAAA"}
        async with httpx.AsyncClient() as http:
            answer = await http.post(url, content=b'{"type":"content.published"}', headers=forged)
        assert answer.status_code == 400
        assert "refused" in json.loads(await asyncio.wait_for(process.stdout.readline(), 30))
    finally:
        process.terminate()
        await process.wait()
    assert lesson
