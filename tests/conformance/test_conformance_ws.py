"""graphql-ws's own client (the npm package, pinned) against a live `beacon serve`."""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import AsyncIterator
from typing import Any

import httpx

from tests import consultation_factories as f
from tests.conformance.conftest import SUITES
from tests.live import LiveServer

ADDED = (
    "subscription($id: ID!) { messageAdded(consultationId: $id) { id body author { displayName isExpert isViewer } } }"
)
UPDATED = "subscription { consultationUpdated { id status unreadCount lastMessage { body } } }"
SEND = """mutation($input: SendMessageInput!) {
  sendMessage(input: $input) { message { id } errors { code message } }
}"""


class NodeSubscriber:
    """The graphql-ws client in a node process; one JSON line per happening."""

    def __init__(self, process: asyncio.subprocess.Process) -> None:
        self.process = process

    async def line(self, timeout: float = 10) -> dict[str, Any]:
        assert self.process.stdout is not None
        raw = await asyncio.wait_for(self.process.stdout.readline(), timeout)
        if not raw:
            stderr = await self.process.stderr.read() if self.process.stderr else b""
            raise AssertionError(f"the graphql-ws client exited: {stderr.decode(errors='replace')}")
        message: dict[str, Any] = json.loads(raw)
        return message


@contextlib.asynccontextmanager
async def graphql_ws_client(node: str, spec: dict[str, Any]) -> AsyncIterator[NodeSubscriber]:
    process = await asyncio.create_subprocess_exec(
        node,
        str(SUITES / "subscribe.mjs"),
        json.dumps(spec),
        cwd=SUITES,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    try:
        yield NodeSubscriber(process)
    finally:
        if process.returncode is None:
            process.kill()
        await process.wait()


def ws_url(server: LiveServer) -> str:
    return server.graphql.replace("http://", "ws://", 1)


async def test_graphql_ws_client_receives_an_event_from_a_mutation(
    once: None, node: str, live_server: LiveServer
) -> None:
    chosen = await f.expert("xuexpert")
    me = await f.client("ming")
    cid = f.gid("Consultation", (await f.thread(me, chosen)).id)
    spec = {
        "url": ws_url(live_server),
        "token": me.token,
        "expect": 2,
        "operations": [{"query": ADDED, "variables": {"id": cid}}, {"query": UPDATED}],
    }
    async with graphql_ws_client(node, spec) as client:
        first = await client.line()
        assert first["type"] == "connected", (first, live_server.log())
        await asyncio.sleep(0.5)  # the protocol does not acknowledge a subscribe
        async with httpx.AsyncClient() as http:
            sent = (
                await http.post(
                    live_server.graphql,
                    json={
                        "query": SEND,
                        "variables": {"input": {"consultationId": cid, "body": "你好，我在", "clientMessageId": "k1"}},
                    },
                    headers={"Authorization": f"Bearer {chosen.token}"},
                )
            ).json()
        assert sent["data"]["sendMessage"]["errors"] == [], sent
        events = {}
        for _ in range(2):
            event = await client.line()
            assert event["type"] == "next", event
            events[event["op"]] = event["payload"]
        assert events[0] == {
            "data": {
                "messageAdded": {
                    "id": sent["data"]["sendMessage"]["message"]["id"],
                    "body": "你好，我在",
                    "author": {"displayName": chosen.display_name, "isExpert": True, "isViewer": False},
                }
            }
        }
        assert events[1] == {
            "data": {
                "consultationUpdated": {
                    "id": cid,
                    "status": "ANSWERED",
                    "unreadCount": 1,
                    "lastMessage": {"body": "你好，我在"},
                }
            }
        }
        assert await asyncio.wait_for(client.process.wait(), 10) == 0


async def test_graphql_ws_client_without_or_with_a_bad_token(once: None, node: str, live_server: LiveServer) -> None:
    chosen = await f.expert("xuexpert")
    me = await f.client("ming")
    cid = f.gid("Consultation", (await f.thread(me, chosen)).id)
    # No credential: the connection is accepted, the private subscriptions are not.
    anonymous = {
        "url": ws_url(live_server),
        "token": None,
        "operations": [{"query": UPDATED}, {"query": ADDED, "variables": {"id": cid}}],
    }
    async with graphql_ws_client(node, anonymous) as client:
        assert (await client.line())["type"] == "connected"
        refused = {}
        while len(refused) < 2:
            line = await client.line()
            if line["type"] in ("next", "error"):
                errors = line["payload"]["errors"] if line["type"] == "next" else line["errors"]
                refused[line["op"]] = errors[0]["extensions"]["code"]
        assert refused == {0: "UNAUTHENTICATED", 1: "NOT_FOUND"}
    # A credential that signs nobody in: connection_init is refused (4403), nothing is subscribed.
    forged = {**anonymous, "token": "not-a-token", "operations": [{"query": UPDATED}]}
    async with graphql_ws_client(node, forged) as client:
        lines = [await client.line() for _ in range(2)]
        assert not any(line["type"] in ("connected", "next") for line in lines), lines
        assert any(line["type"] == "closed" and line["code"] == 4403 for line in lines), lines
