"""Hostile HTTP and WebSocket input: bodies, content types (CSRF), origins. Each leaves no trace."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
import websockets
from websockets.exceptions import InvalidStatus

from models.accounts import User
from server import create_app
from settings import Settings
from tests.live import serve_in_process

REGISTER = (
    'mutation { register(input: {username: "mallory", password: "correct horse battery", displayName: "M"}) { token } }'
)
PORTAL = "https://portal.example"


async def chunks(body: bytes, size: int = 64 * 1024) -> AsyncIterator[bytes]:
    for start in range(0, len(body), size):
        yield body[start : start + size]


async def test_chunked_body_without_length_is_cut_off_at_the_limit(
    app_client: httpx.AsyncClient, settings: Settings
) -> None:
    body = json.dumps({"query": REGISTER, "variables": {"pad": "x" * settings.max_body_bytes}}).encode()
    response = await app_client.post("/graphql", content=chunks(body), headers={"content-type": "application/json"})
    assert "content-length" not in response.request.headers  # sent chunked
    assert response.status_code == 413
    assert response.json()["errors"][0]["extensions"]["code"] == "TOO_LARGE"
    assert not await User.exists(username_key="mallory")
    small = json.dumps({"query": "{ __typename }"}).encode()
    assert (
        await app_client.post(
            "/graphql",
            content=chunks(small, 7),
            headers={"content-type": "application/json"},
        )
    ).status_code == 200


@pytest.mark.parametrize(
    ("content_type", "body"),
    [
        ("application/x-www-form-urlencoded", "query=" + REGISTER),
        ("text/plain", json.dumps({"query": REGISTER})),
        ("text/plain;charset=UTF-8", json.dumps({"query": REGISTER})),
    ],
)
async def test_cross_site_simple_posts_are_refused(app_client: httpx.AsyncClient, content_type: str, body: str) -> None:
    # A browser sends these cross-site without a CORS preflight; only JSON (which needs one) may run operations.
    response = await app_client.post(
        "/graphql",
        content=body,
        headers={"content-type": content_type, "origin": "https://evil.example"},
    )
    assert 400 <= response.status_code < 500
    assert not await User.exists(username_key="mallory")


async def test_websockets_from_foreign_origins_are_refused(db: str, data_dir: Path) -> None:
    settings = Settings(database_url=db, data_dir=data_dir, secret_key="k" * 40, cors_origins=(PORTAL,))
    async with serve_in_process(create_app(settings, manage_database=False)) as url:
        endpoint = url.replace("http://", "ws://") + "/graphql"
        with pytest.raises(InvalidStatus) as refused:
            async with websockets.connect(
                endpoint,
                subprotocols=["graphql-transport-ws"],
                origin="https://evil.example",
            ):
                pass
        assert refused.value.response.status_code == 403
        for origin in (
            PORTAL,
            None,
            url,
        ):  # the allowed origin, a non-browser client, same origin
            async with websockets.connect(endpoint, subprotocols=["graphql-transport-ws"], origin=origin) as ws:  # type: ignore[arg-type,list-item]  # websockets types origin and subprotocols as its own NewTypes
                await ws.send(json.dumps({"type": "connection_init", "payload": {}}))
                assert json.loads(await ws.recv())["type"] == "connection_ack"
