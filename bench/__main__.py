"""`python -m bench`: drive Beacon and a bare Starlette endpoint in one run; print ratios.

Beacon runs as one uvicorn worker pinned to core 0 (where taskset exists), wrk on core 1,
over a county-sized dataset (bench/dataset.py). For each scenario the bare endpoint returns
the very bytes Beacon answered, so the ratio is Beacon's cost over the cost of HTTP alone.
Scenario 1 is also compared with plain graphql-core over the same data in memory (bench/plain.py).
"""

from __future__ import annotations

import argparse
import asyncio
import datetime
import os
import sys
import tempfile
from pathlib import Path
from typing import Any

import httpx

from bench import dataset, realtime
from bench.load import LoadResult, run_wrk
from bench.scenarios import (
    LESSONS_PAGE,
    Request,
    Scenario,
    graphql_post,
    read_scenarios,
    start_scenario,
    submit_scenario,
)
from bench.servers import ROOT, nginx_proxy, peak_rss_mb, uvicorn_server


def count_sql(env: dict[str, str], request: Request, *, warm: bool = False) -> int:
    """SQL statements one request runs, counted in-process against the same database (warm: the second one)."""
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
                if warm:
                    await client.request(
                        request.method, request.path, content=request.body or None, headers=request.headers
                    )
                with count_statements() as counter:
                    await client.request(
                        request.method, request.path, content=request.body or None, headers=request.headers
                    )
                return counter.count
        finally:
            await close_database()

    return asyncio.run(measure())


def check(base: str, scenario: Scenario) -> bytes:
    r = scenario.for_check()
    answer = httpx.request(r.method, base + r.path, content=r.body or None, headers=r.headers, timeout=30)
    assert answer.status_code in (200, 206), f"{scenario.name}: {answer.status_code} {answer.text[:300]}"
    if scenario.json_answer:
        assert "errors" not in answer.json(), answer.text[:500]
        data = answer.json()["data"]
        payload = next(iter(data.values()))
        assert not (isinstance(payload, dict) and payload.get("errors")), answer.text[:500]
    return answer.content


def bare_run(body: bytes, scenario: Scenario, seconds: int, json_answer: bool) -> LoadResult:
    with tempfile.NamedTemporaryFile(suffix=".body", delete=False) as body_file:
        body_file.write(body)
    env = {"BENCH_BODY_FILE": body_file.name, "BENCH_CONTENT_TYPE": "application/json" if json_answer else "video/mp4"}
    try:
        with uvicorn_server("bench.bare:app_factory", env, ready_path="/") as (base, _):
            return run_wrk(base, scenario.for_load(), seconds=seconds)
    finally:
        Path(body_file.name).unlink()


def measure(scenario: Scenario, env: dict[str, str], seconds: int, *, via_nginx: str = "") -> dict[str, Any]:
    """Drive Beacon then the bare endpoint; via_nginx names the nginx variant ("" for direct)."""
    env = {**env, **scenario.env}
    sql = count_sql(env, scenario.for_sql(), warm=scenario.warm)
    if via_nginx == "X-Accel-Redirect":
        env = {**env, "BEACON_MEDIA_ACCEL_PREFIX": "/_media/"}
    with uvicorn_server("server:asgi_app", env) as (base, pid):
        if via_nginx:
            with nginx_proxy([base], Path(env["BEACON_DATA_DIR"]) / "media") as proxied:
                body = check(proxied, scenario)
                beacon = run_wrk(proxied, scenario.for_load(), seconds=seconds)
        else:
            body = check(base, scenario)
            beacon = run_wrk(base, scenario.for_load(), seconds=seconds)
        rss = peak_rss_mb(pid)
    bare = bare_run(body, scenario, seconds, scenario.json_answer)
    return {
        "scenario": scenario.name
        + (f" (via nginx{', ' + via_nginx if via_nginx != 'proxy' else ''})" if via_nginx else ""),
        "beacon": beacon,
        "bare": bare,
        "rss": rss,
        "sql": sql,
    }


def plain_graphql_core(env: dict[str, str], seconds: int) -> LoadResult:
    request = graphql_post(LESSONS_PAGE, {"audience": "MIDDLE_SCHOOL"})
    with uvicorn_server("bench.plain:app_factory", env, ready_path="/graphql?query=%7B__typename%7D") as (base, _):
        answer = httpx.post(base + "/graphql", content=request.body, headers=request.headers)
        assert "errors" not in answer.json(), answer.text[:500]
        return run_wrk(base, [request], seconds=seconds)


def submit_pool(env: dict[str, str], manifest: dataset.Manifest, count: int) -> Scenario:
    from models.database import close_database, open_database

    async def make() -> Scenario:
        await open_database(env["BEACON_DATABASE_URL"])
        try:
            return submit_scenario(await dataset.open_attempts(manifest, count))
        finally:
            await close_database()

    return asyncio.run(make())


def table(rows: list[dict[str, Any]]) -> str:
    lines = [
        "| scenario | req/s | p50 ms | p99 ms | SQL/req | peak RSS MB | bare req/s | ratio | non-2xx/errors |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for row in rows:
        beacon: LoadResult = row["beacon"]
        bare: LoadResult | None = row.get("bare")
        ratio = f"{beacon.requests_per_second / bare.requests_per_second:.1%}" if bare else "—"
        lines.append(
            f"| {row['scenario']} | {beacon.requests_per_second:.0f} | {beacon.p50_ms:.1f} | {beacon.p99_ms:.1f} | "
            f"{row.get('sql', '—')} | {row['rss'] if isinstance(row.get('rss'), str) else format(row.get('rss', 0), '.0f')} | "
            f"{bare.requests_per_second:.0f} | {ratio} | {beacon.non_2xx}/{beacon.errors} |"
            if bare
            else f"| {row['scenario']} | {beacon.requests_per_second:.0f} | {beacon.p50_ms:.1f} | {beacon.p99_ms:.1f} | — | — | — | {row.get('ratio', '—')} | {beacon.non_2xx}/{beacon.errors} |"
        )
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--seconds", type=int, default=10, help="wrk duration per server and scenario")
    parser.add_argument("--scale", type=float, default=1.0, help="dataset size (1.0: the county of issue 7)")
    parser.add_argument(
        "--only",
        default="",
        help="run only scenarios whose name starts with one of these (comma-separated), e.g. 1,3,plain",
    )
    parser.add_argument(
        "--nginx", action="store_true", help="also drive scenario 1 through nginx (deploy/nginx.conf) on loopback"
    )
    parser.add_argument("--record", action="store_true", help="append the table to docs/performance.md")
    args = parser.parse_args()
    wanted = [w.strip() for w in args.only.split(",") if w.strip()]

    def chosen(name: str) -> bool:
        return not wanted or any(name.startswith(w) for w in wanted)

    with tempfile.TemporaryDirectory() as tmp:
        data_dir = Path(tmp)
        database_url = f"sqlite://{data_dir}/bench.sqlite3"
        manifest = dataset.prepare(data_dir, database_url, args.scale)
        env = {"BEACON_DATA_DIR": str(data_dir), "BEACON_DATABASE_URL": database_url, "BEACON_ENV": "development"}
        scenarios = [s for s in read_scenarios(manifest) if chosen(s.name)]
        if chosen("2b"):
            scenarios.append(start_scenario(manifest, pool=args.seconds * 400 + 2))
        if chosen("3"):
            scenarios.append(submit_pool(env, manifest, args.seconds * 300 + 2))
        rows = []
        for scenario in scenarios:
            print(f"bench: {scenario.name} …", file=sys.stderr, flush=True)
            rows.append(measure(scenario, env, args.seconds))
        if args.nginx:
            plain_reads = read_scenarios(manifest)
            print("bench: through nginx …", file=sys.stderr, flush=True)
            rows.append(measure(plain_reads[0], env, args.seconds, via_nginx="proxy"))
            rows.append(measure(plain_reads[3], env, args.seconds, via_nginx="proxy"))
            for media_scenario in [s for s in plain_reads if not s.json_answer]:
                rows.append(measure(media_scenario, env, args.seconds, via_nginx="proxy"))
                rows.append(measure(media_scenario, env, args.seconds, via_nginx="X-Accel-Redirect"))
        if chosen("plain") or chosen("1"):
            print("bench: plain graphql-core …", file=sys.stderr, flush=True)
            plain = plain_graphql_core(env, args.seconds)
            lessons = next(
                (r for r in rows if r["scenario"].startswith("1. lessons page, anonymous POST, uncached")), None
            )
            ratio = (
                f"Beacon {lessons['beacon'].requests_per_second / plain.requests_per_second:.0%} of it"
                if lessons
                else "—"
            )
            rows.append({"scenario": "1. lessons page, plain graphql-core in memory", "beacon": plain, "ratio": ratio})
        if chosen("4"):
            print("bench: 4. message delivery over graphql-ws …", file=sys.stderr, flush=True)
            with uvicorn_server("server:asgi_app", env) as (base, pid):
                ws = asyncio.run(realtime.delivery(base, manifest, sends=max(50, args.seconds * 20)))
                rss = peak_rss_mb(pid)
            rows.append(
                {
                    "scenario": "4. message send → graphql-ws delivery",
                    "beacon": ws,
                    "ratio": f"{ws.requests} messages, send p99 {ws.send_p99_ms:.0f} ms, RSS {rss:.0f} MB",
                }
            )
    result = table(rows)
    print(result)
    if args.record:
        load = os.getloadavg()
        header = (
            f"\n### {datetime.date.today()} — python -m bench --seconds {args.seconds} --scale {args.scale:g}"
            f"{' --only ' + args.only if args.only else ''}; load average at end {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}\n\n"
        )
        with (ROOT / "docs" / "performance.md").open("a", encoding="utf-8") as docs:
            docs.write(header + result + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
