"""Scenario 4: a message sent over HTTP and delivered to the expert's graphql-ws subscription.

Each expert opens one graphql-transport-ws connection and subscribes to messageAdded of the
consultations sampled; clients (each at most once, so the per-sender rate limit never trips)
send over HTTP, a few at a time; latency is from the send's start to the subscriber's receipt.
Bounded: `sends` messages, each waited for at most 10 s.
"""

from __future__ import annotations

import asyncio
import json
import statistics
import time
import uuid
from dataclasses import dataclass
from typing import Any

import httpx
from websockets.asyncio.client import ClientConnection, connect

from bench.dataset import Manifest
from bench.scenarios import global_id

SEND = """mutation Send($input: SendMessageInput!) {
  sendMessage(input: $input) { message { id sentAt } errors { field message code } }
}"""
SUBSCRIBE = "subscription Added($id: ID!) { messageAdded(consultationId: $id) { id body sentAt author { displayName isExpert } } }"


@dataclass(frozen=True)
class DeliveryResult:
    requests_per_second: float  # messages delivered per second of the run
    p50_ms: float
    p99_ms: float
    non_2xx: int  # sends that failed
    errors: int  # messages never delivered
    requests: int
    send_p99_ms: float


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


async def open_ws(base: str, token: str) -> ClientConnection:
    ws = await connect(
        base.replace("http://", "ws://") + "/graphql", subprotocols=["graphql-transport-ws"], max_size=2**22
    )
    await ws.send(json.dumps({"type": "connection_init", "payload": {"Authorization": f"Bearer {token}"}}))
    ack = json.loads(await asyncio.wait_for(ws.recv(), 10))
    if ack["type"] != "connection_ack":
        raise RuntimeError(f"graphql-ws refused: {ack}")
    return ws


async def _listen(ws: ClientConnection, arrived: dict[str, float]) -> None:
    async for raw in ws:
        message = json.loads(raw)
        if message["type"] == "ping":
            await ws.send(json.dumps({"type": "pong"}))
        elif message["type"] == "next":
            body = message["payload"]["data"]["messageAdded"]["body"]
            arrived.setdefault(body, time.perf_counter())


async def delivery(
    base: str, manifest: Manifest, *, sends: int, concurrency: int = 4, extra_idle: int = 0
) -> DeliveryResult:
    """Send `sends` messages and time each one's delivery (optionally with idle connections held open)."""
    threads = manifest.consultations[:sends]
    arrived: dict[str, float] = {}
    sockets: dict[int, ClientConnection] = {}
    for _, _, expert in threads:
        if expert not in sockets:
            sockets[expert] = await open_ws(base, manifest.expert_tokens[expert])
    for n, (thread_id, _, expert) in enumerate(threads):
        await sockets[expert].send(
            json.dumps(
                {
                    "id": f"s{n}",
                    "type": "subscribe",
                    "payload": {"query": SUBSCRIBE, "variables": {"id": global_id("Consultation", thread_id)}},
                }
            )
        )
    listeners = [asyncio.create_task(_listen(ws, arrived)) for ws in sockets.values()]
    await asyncio.sleep(0.5)  # let the subscriptions register before the first send
    started: dict[str, float] = {}
    send_ms: list[float] = []
    failed = 0
    queue = [(n, t) for n, t in enumerate(threads)]
    began = time.perf_counter()

    async def sender(http: httpx.AsyncClient) -> None:
        nonlocal failed
        while queue:
            n, (thread_id, client, _) = queue.pop()
            body = f"bench {n} {uuid.uuid4().hex}"
            started[body] = time.perf_counter()
            response = await http.post(
                "/graphql",
                json={
                    "query": SEND,
                    "variables": {"input": {"consultationId": global_id("Consultation", thread_id), "body": body}},
                },
                headers={"Authorization": f"Bearer {manifest.client_tokens[client]}"},
            )
            send_ms.append((time.perf_counter() - started[body]) * 1000)
            payload: Any = response.json()
            if response.status_code != 200 or payload.get("errors") or payload["data"]["sendMessage"]["errors"]:
                failed += 1
                started.pop(body)

    async with httpx.AsyncClient(base_url=base, timeout=30) as http:
        await asyncio.gather(*(sender(http) for _ in range(concurrency)))
    deadline = time.perf_counter() + 10
    while time.perf_counter() < deadline and any(b not in arrived for b in started):  # noqa: ASYNC110 listener tasks fill `arrived`; poll it with a ceiling
        await asyncio.sleep(0.01)
    elapsed = max(arrived.values(), default=began) - began
    for task in listeners:
        task.cancel()
    for ws in sockets.values():
        await ws.close()
    latencies = [(arrived[b] - t) * 1000 for b, t in started.items() if b in arrived]
    return DeliveryResult(
        requests_per_second=len(latencies) / elapsed if elapsed > 0 else 0.0,
        p50_ms=statistics.median(latencies) if latencies else float("nan"),
        p99_ms=percentile(latencies, 0.99),
        non_2xx=failed,
        errors=sum(1 for b in started if b not in arrived),
        requests=len(latencies),
        send_p99_ms=percentile(send_ms, 0.99),
    )
