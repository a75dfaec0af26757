"""`python -m bench`: drive Beacon and a bare Starlette endpoint in one run; print ratios.

Beacon runs as one uvicorn worker pinned to core 0 (where taskset exists), wrk on core 1.
For each scenario the bare endpoint returns the very bytes Beacon answered, so the ratio
is Beacon's cost over the cost of HTTP alone.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime
import os
import platform
import subprocess
import sys
import tempfile
from pathlib import Path

import httpx

from bench.load import LoadResult, run_wrk
from bench.scenarios import SCENARIOS, Scenario
from bench.servers import ROOT, peak_rss_mb, uvicorn_server

PASSWORDS = {"demo-teacher": "beacon-demo-teacher", "demo-learner": "beacon-demo-learner", "demo-editor": "beacon-demo-editor"}


def prepare(env: dict[str, str]) -> None:
    for command in (["migrate"], ["seed-demo"]):
        subprocess.run([sys.executable, "-m", "cli", *command], cwd=ROOT, env={**os.environ, **env}, check=True, stdout=subprocess.DEVNULL)


def sign_in(base: str, username: str) -> str:
    login = 'mutation($u: String!, $p: String!) { login(input: {username: $u, password: $p}) { token } }'
    response = httpx.post(base + "/graphql", json={"query": login, "variables": {"u": username, "p": PASSWORDS[username]}})
    return str(response.json()["data"]["login"]["token"])


def count_sql(env: dict[str, str], scenario: Scenario, headers: dict[str, str]) -> int:
    """SQL statements one request of the scenario runs, counted in-process against the same database."""
    from models.database import close_database, open_database
    from server import create_app
    from settings import load_settings
    from tests.helpers import count_statements

    async def measure() -> int:
        settings = load_settings({**os.environ, **env})
        await open_database(settings.database_url)
        try:
            transport = httpx.ASGITransport(app=create_app(settings, manage_database=False))
            async with httpx.AsyncClient(transport=transport, base_url="http://bench") as client:
                with count_statements() as counter:
                    if scenario.method == "GET":
                        await client.get(scenario.path(), headers=headers)
                    else:
                        await client.post("/graphql", content=scenario.body(), headers={"content-type": "application/json", **headers})
                return counter.count
        finally:
            await close_database()

    return asyncio.run(measure())


def measure(scenario: Scenario, env: dict[str, str], seconds: int) -> dict[str, object]:
    with uvicorn_server("server:asgi_app", env) as (base, pid):
        headers = {"Authorization": f"Bearer {sign_in(base, scenario.signed_in_as)}"} if scenario.signed_in_as else {}
        answer = httpx.request(scenario.method, base + scenario.path(), content=scenario.body() or None, headers={"content-type": "application/json", **headers})
        assert answer.status_code == 200 and "errors" not in answer.json(), answer.text
        beacon = run_wrk(base + scenario.path(), method=scenario.method, body=scenario.body(), headers=headers, seconds=seconds)
        rss = peak_rss_mb(pid)
    with tempfile.NamedTemporaryFile(suffix=".json", delete=False) as body_file:
        body_file.write(answer.content)
    with uvicorn_server("bench.bare:app_factory", {"BENCH_BODY_FILE": body_file.name}) as (base, _):
        bare = run_wrk(base + scenario.path(), method=scenario.method, body=scenario.body(), headers=headers, seconds=seconds)
    Path(body_file.name).unlink()
    return {"scenario": scenario.name, "beacon": beacon, "bare": bare, "rss": rss, "sql": count_sql(env, scenario, headers)}


def table(rows: list[dict[str, object]]) -> str:
    lines = [
        "| scenario | req/s | p50 ms | p99 ms | SQL/req | peak RSS MB | bare req/s | ratio |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for row in rows:
        beacon: LoadResult = row["beacon"]  # type: ignore[assignment]
        bare: LoadResult = row["bare"]  # type: ignore[assignment]
        lines.append(
            f"| {row['scenario']} | {beacon.requests_per_second:.0f} | {beacon.p50_ms:.1f} | {beacon.p99_ms:.1f} | "
            f"{row['sql']} | {row['rss']:.0f} | {bare.requests_per_second:.0f} | {beacon.requests_per_second / bare.requests_per_second:.1%} |"
        )
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--seconds", type=int, default=10, help="wrk duration per server and scenario")
    parser.add_argument("--record", action="store_true", help="append the table to docs/performance.md")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as data_dir:
        env = {
            "BEACON_DATA_DIR": data_dir,
            "BEACON_DATABASE_URL": os.environ.get("BENCH_DATABASE_URL", f"sqlite://{data_dir}/bench.sqlite3"),
        }
        prepare(env)
        rows = [measure(s, env, args.seconds) for s in SCENARIOS]
    result = table(rows)
    print(result)
    if args.record:
        header = f"\n## {datetime.date.today()} — {platform.node()}, Python {platform.python_version()}, {os.cpu_count()} cores, one worker, wrk -t1 -c16\n\n"
        with (ROOT / "docs" / "performance.md").open("a", encoding="utf-8") as docs:
            docs.write(header + result + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
