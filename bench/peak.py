"""`python -m bench.peak`: the 26 June peak against `beacon serve --workers 2` on PostgreSQL and Redis.

2,000 learners (one school district) each fetch a quiz, start it and submit 20 answers,
arriving evenly within one minute. Afterwards the database must show every learner's
attempt graded exactly once. Then 1,000 idle graphql-ws connections are held open on one
worker: memory per connection, and message delivery p99 while they are open.

Creates database `beacon_bench_peak` on 127.0.0.1:5432 (user postgres) and drops it after;
uses Redis on 127.0.0.1:6379 under its own channel prefix. Loopback only; every loop is bounded.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx

from bench import dataset, realtime
from bench.scenarios import QUIZ_FETCH, START_ATTEMPT, SUBMIT_ATTEMPT, global_id
from bench.servers import ROOT, _wait_ready, free_port

PG = "postgres://postgres@127.0.0.1:5432"
DATABASE = "beacon_bench_peak"
POOLS = 100  # client connection pools of 4: at most 400 requests in flight


@contextlib.contextmanager
def bench_database() -> Iterator[str]:
    """A fresh PostgreSQL database for the run, dropped afterwards."""
    psql = ["psql", "-h", "127.0.0.1", "-U", "postgres", "-q", "-c"]
    subprocess.run([*psql, f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)"], check=True)
    subprocess.run([*psql, f"CREATE DATABASE {DATABASE}"], check=True)
    try:
        yield f"{PG}/{DATABASE}"
    finally:
        subprocess.run([*psql, f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)"], check=False)


@contextlib.contextmanager
def beacon_serve(env: dict[str, str], workers: int) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    port = free_port()
    log = (ROOT / "bench" / "results" / "peak-server.log").open("ab")
    process = subprocess.Popen(
        [sys.executable, "-m", "cli", "serve", "--host", "127.0.0.1", "--port", str(port), "--workers", str(workers)],
        cwd=ROOT,
        env={**os.environ, **env},
        stdout=log,
        stderr=log,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_ready(base + "/graphql?query=%7B__typename%7D", process, timeout=60)
        yield base, process
    finally:
        process.terminate()
        process.wait(timeout=20)
        log.close()


def rss_mb(pid: int, field: str = "VmRSS") -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    return float("nan")


def pct(values: list[float], q: float) -> float:
    return realtime.percentile(values, q)


async def learner(
    http: httpx.AsyncClient, token: str, quiz: str, delay: float, timings: dict[str, list[float]], failures: list[str]
) -> None:
    """One learner: fetch, start, submit (answering the first option of each question)."""
    await asyncio.sleep(delay)
    headers = {"Authorization": f"Bearer {token}"}

    async def call(step: str, document: str, variables: dict[str, Any]) -> Any:
        began = time.perf_counter()
        response = await http.post("/graphql", json={"query": document, "variables": variables}, headers=headers)
        timings[step].append((time.perf_counter() - began) * 1000)
        body = response.json()
        payload = next(iter((body.get("data") or {}).values()), None)
        if response.status_code != 200 or body.get("errors") or (isinstance(payload, dict) and payload.get("errors")):
            failures.append(f"{step}: {response.status_code} {response.text[:200]}")
            return None
        return payload

    try:
        if await call("fetch", QUIZ_FETCH, {"id": quiz}) is None:
            return
        started = await call("start", START_ATTEMPT, {"quizId": quiz})
        if started is None:
            return
        attempt = started["attempt"]
        answers = [
            {"questionId": i["question"]["id"], "selectedOptionIds": [i["question"]["options"][0]["id"]]}
            for i in attempt["items"]
        ]
        done = await call("submit", SUBMIT_ATTEMPT, {"input": {"attemptId": attempt["id"], "answers": answers}})
        if done is not None:
            timings["submitted_at"].append(time.perf_counter())
    except httpx.HTTPError as error:
        failures.append(f"transport: {type(error).__name__}: {error}")


async def peak(base: str, manifest: dataset.Manifest, learners: int, window: float) -> dict[str, Any]:
    quiz = global_id("Quiz", manifest.quiz_ids[0])
    timings: dict[str, list[float]] = {"fetch": [], "start": [], "submit": [], "submitted_at": []}
    failures: list[str] = []
    # Many small pools: one httpx pool scans all its connections per request, which at 500
    # connections made the driver, not the server, the bottleneck. Keep-alive shorter than
    # uvicorn's 5 s, so a client never reuses a connection the server is closing.
    limits = httpx.Limits(max_connections=4, max_keepalive_connections=4, keepalive_expiry=2.0)
    clients = [httpx.AsyncClient(base_url=base, timeout=60, limits=limits) for _ in range(POOLS)]
    began = time.perf_counter()
    try:
        await asyncio.gather(
            *(
                learner(clients[i % POOLS], manifest.learner_tokens[i], quiz, window * i / learners, timings, failures)
                for i in range(learners)
            )
        )
    finally:
        for http in clients:
            await http.aclose()
    elapsed = time.perf_counter() - began
    done = timings["submitted_at"]
    return {
        "learners": learners,
        "elapsed_s": elapsed,
        "failures": failures,
        "submissions_per_s": len(done) / (max(done) - began) if done else 0.0,
        **{f"{step}_p50_ms": pct(timings[step], 0.5) for step in ("fetch", "start", "submit")},
        **{f"{step}_p99_ms": pct(timings[step], 0.99) for step in ("fetch", "start", "submit")},
    }


async def graded_once(database_url: str, manifest: dataset.Manifest, learners: int) -> dict[str, int]:
    """What the database says: attempts per learner at the peak quiz, graded, items graded."""
    from models.database import close_database, open_database
    from models.quizzes import Attempt, AttemptItem, AttemptStatus

    await open_database(database_url)
    try:
        ids = manifest.learner_ids[:learners]
        quiz_id = manifest.quiz_ids[0]
        attempts = await Attempt.filter(quiz_id=quiz_id, user_id__in=ids).values_list(
            "user_id", "status", "correct_count"
        )
        per_learner: dict[int, int] = {}
        for uid, _, _ in attempts:
            per_learner[uid] = per_learner.get(uid, 0) + 1
        return {
            "attempts": len(attempts),
            "learners_with_exactly_one": sum(1 for n in per_learner.values() if n == 1),
            "graded": sum(
                1 for _, status, right in attempts if status == AttemptStatus.SUBMITTED and right is not None
            ),
            "items_ungraded": await AttemptItem.filter(attempt__quiz_id=quiz_id, user_id__in=ids, correct=None).count(),
        }
    finally:
        await close_database()


async def idle_connections(base: str, manifest: dataset.Manifest, pid: int, count: int) -> dict[str, Any]:
    """Hold `count` authenticated graphql-ws connections open (each subscribed), then time deliveries."""
    before = rss_mb(pid)
    sockets = []
    tokens = manifest.learner_tokens
    for n in range(count):
        ws = await realtime.open_ws(base, tokens[n % len(tokens)])
        await ws.send(
            json.dumps(
                {"id": "1", "type": "subscribe", "payload": {"query": "subscription { consultationUpdated { id } }"}}
            )
        )
        sockets.append(ws)
    await asyncio.sleep(2)
    after = rss_mb(pid)
    delivery = await realtime.delivery(base, manifest, sends=min(100, len(manifest.consultations)))
    for ws in sockets:
        await ws.close()
    return {
        "connections": count,
        "rss_before_mb": before,
        "rss_after_mb": after,
        "kb_per_connection": (after - before) * 1024 / count,
        "delivery": delivery,
    }


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.peak", description=__doc__)
    parser.add_argument("--learners", type=int, default=2000)
    parser.add_argument("--window", type=float, default=60.0, help="seconds over which learners arrive")
    parser.add_argument("--idle", type=int, default=1000, help="idle graphql-ws connections to hold open")
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/0")
    args = parser.parse_args()
    # A terminated run still stops its servers and drops its database (the finally blocks run).
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    scale = max(0.05, args.learners / 5000)
    with bench_database() as database_url, tempfile.TemporaryDirectory() as tmp:
        print(f"peak: loading the dataset at scale {scale:g} into PostgreSQL …", file=sys.stderr, flush=True)
        manifest = dataset.prepare(Path(tmp), database_url, scale, cache=False)
        env = {
            "BEACON_DATA_DIR": tmp,
            "BEACON_DATABASE_URL": database_url,
            "BEACON_REDIS_URL": args.redis_url,
            "BEACON_EVENTS_PREFIX": f"bench-peak-{os.getpid()}",
            "BEACON_ENV": "development",
        }
        learners = min(args.learners, len(manifest.learner_tokens))
        with beacon_serve(env, workers=2) as (base, _):
            print(
                f"peak: {learners} learners over {args.window:g} s against beacon serve --workers 2 …",
                file=sys.stderr,
                flush=True,
            )
            result = asyncio.run(peak(base, manifest, learners, args.window))
        check = asyncio.run(graded_once(database_url, manifest, learners))
        with beacon_serve(env, workers=1) as (base, process):
            print(f"peak: {args.idle} idle graphql-ws connections on one worker …", file=sys.stderr, flush=True)
            idle = asyncio.run(idle_connections(base, manifest, process.pid, args.idle))
    ok = (
        not result["failures"]
        and check["attempts"] == learners == check["learners_with_exactly_one"] == check["graded"]
        and check["items_ungraded"] == 0
    )
    d = idle["delivery"]
    print(f"26 June peak: {learners} learners in {args.window:g} s, beacon serve --workers 2, PostgreSQL + Redis")
    print(f"  errors: {len(result['failures'])}" + (f" (first: {result['failures'][0]})" if result["failures"] else ""))
    print(
        f"  fetch p50/p99 {result['fetch_p50_ms']:.0f}/{result['fetch_p99_ms']:.0f} ms; start p50/p99 {result['start_p50_ms']:.0f}/{result['start_p99_ms']:.0f} ms; "
        f"submit p50/p99 {result['submit_p50_ms']:.0f}/{result['submit_p99_ms']:.0f} ms"
    )
    print(f"  submissions/s: {result['submissions_per_s']:.1f} (run took {result['elapsed_s']:.0f} s)")
    print(
        f"  database: {check['attempts']} attempts, {check['learners_with_exactly_one']} learners with exactly one, {check['graded']} graded, {check['items_ungraded']} items ungraded -> {'OK' if ok else 'FAILED'}"
    )
    print(
        f"  idle graphql-ws: {idle['connections']} connections, worker RSS {idle['rss_before_mb']:.0f} -> {idle['rss_after_mb']:.0f} MB "
        f"({idle['kb_per_connection']:.0f} KB per connection); delivery with them open p50/p99 {d.p50_ms:.0f}/{d.p99_ms:.0f} ms, "
        f"{d.requests} delivered, {d.errors} lost, {d.non_2xx} failed sends"
    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
