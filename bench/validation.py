"""`python -m bench.validation`: what hostile documents cost Beacon, as ratios to a plain request in the same run.

One uvicorn worker (pinned to core 0 where taskset exists) on a fresh SQLite database with the
response cache off; this process drives it with httpx, 16 requests in flight, each scenario for
--seconds. Every request carries a different trailing comment, so neither the parser's nor the
validation's cache can answer it: each one is lexed, walked and validated from scratch.

  plain       POST {__typename}, anonymous: the unit every ratio is taken against
  review      the review's 20 KB document repeating one field 900 times (before the fix: 1.7-2.9 s
              of validation each; refused now by the token cap)
  repeated    the same repetition within the token cap (refused by the merge walk)
  <accepted>  the heaviest documents the limits still accept (tests/hostile_documents.py)

It prints requests/s, p50/p99, each scenario's cost as a multiple of a plain request (plain
req/s over its req/s) and the answers seen; then the p99 of /healthz while the heaviest
accepted document is driven at 16 in flight (the review saw /healthz held for 13 s).
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import httpx
import orjson

from bench.images import Driven, Send, drive
from bench.servers import ROOT, uvicorn_server
from tests.hostile_documents import WITHIN_LIMITS, review_document

_serial = itertools.count()
JSON = {"content-type": "application/json"}


def fresh(document: str) -> bytes:
    """The document as a request body, made unique by a comment so no cache answers it."""
    return orjson.dumps({"query": f"{document}\n# {next(_serial)}"})


def post(document: str) -> Send:
    async def send(client: httpx.AsyncClient) -> httpx.Response:
        return await client.post("/graphql", content=fresh(document), headers=JSON)

    return send


SCENARIOS: list[tuple[str, str]] = [
    ("plain", "{ __typename }"),
    ("review (20 KB, 900 repeats)", review_document()),
    ("repeated (900, in the token cap)", "{ " + "__typename " * 900 + "}"),
    *WITHIN_LIMITS,
]


async def scenarios(base: str, seconds: float) -> tuple[list[Driven], Driven]:
    results = [await drive(base, name, post(document), seconds) for name, document in SCENARIOS]
    heaviest = max(WITHIN_LIMITS[:4], key=lambda item: len(item[1]))[1]
    healthz, _ = await asyncio.gather(
        drive(base, "healthz under load", lambda c: c.get("/healthz"), seconds, concurrency=1),
        drive(base, "load", post(heaviest), seconds),
    )
    return results, healthz


def table(results: list[Driven], healthz: Driven) -> str:
    unit = results[0].requests_per_second
    lines = [
        "| document | req/s | p50 ms | p99 ms | cost × plain | answers |",
        "| --- | ---: | ---: | ---: | ---: | --- |",
    ]
    for r in results:
        answers = ", ".join(f"{k}: {v}" for k, v in sorted(r.answers.items()))
        lines.append(
            f"| {r.name} | {r.requests_per_second:.0f} | {r.p50_ms:.1f} | {r.p99_ms:.1f} | "
            f"{unit / r.requests_per_second:.2f} | {answers} |"
        )
    lines.append(
        f"\n/healthz while the heaviest accepted document runs 16 at a time: "
        f"p50 {healthz.p50_ms:.1f} ms, p99 {healthz.p99_ms:.1f} ms."
    )
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.validation", description=__doc__)
    parser.add_argument("--seconds", type=float, default=5, help="how long each scenario runs")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        data_dir = Path(tmp)
        env = {
            "BEACON_DATA_DIR": str(data_dir),
            "BEACON_DATABASE_URL": f"sqlite://{data_dir}/bench.sqlite3",
            "BEACON_SECRET_KEY": "bench-secret-key-not-for-production",
            "BEACON_RESPONSE_CACHE": "off",
        }
        migrate = [sys.executable, "-m", "cli", "migrate"]
        subprocess.run(migrate, cwd=ROOT, env={**os.environ, **env}, check=True, capture_output=True)
        with uvicorn_server("server:asgi_app", env) as (base, _pid):
            results, healthz = asyncio.run(scenarios(base, args.seconds))
    print(table(results, healthz))
    return 0


if __name__ == "__main__":
    sys.exit(main())
