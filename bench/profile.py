"""`python -m bench.profile`: sample the server with py-spy while wrk drives one scenario.

Scenarios: `lessons` (the uncached lessons page, the default), `cached` (the same page from a
warm response cache), `start` (startQuizAttempt) and `submit` (submitQuizAttempt). Writes
bench/results/profile-<scenario>.svg (a flame graph) and prints wrk's requests/s and where the
samples fall: the share of samples whose stack passes through each layer, and the top
functions by own time.
"""

from __future__ import annotations

import argparse
import collections
import shutil
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

from bench import dataset
from bench.load import run_wrk
from bench.scenarios import LESSONS_PAGE, Request, graphql_post, start_scenario
from bench.servers import ROOT, uvicorn_server

# A sample counts for the first layer (in this order) whose marker appears in its stack.
LAYERS = (
    ("SQL driver (aiosqlite / asyncpg)", ("aiosqlite", "asyncpg", "sqlite3")),
    ("Tortoise: building model instances", ("tortoise/models.py", "tortoise/backends/base/executor.py")),
    ("Tortoise / pypika: building queries", ("pypika", "tortoise/queryset.py", "tortoise/expressions.py")),
    # py-spy names project files relative to the working directory (resolvers/…), libraries by full path.
    (
        "Beacon resolvers, from_model() and plain-SQL rows",
        ("resolvers/", "schema/content/", "schema/quizzes/", "schema/relay.py", "schema/shared.py", "models/sql.py"),
    ),
    (
        "graphql-core execution and strawberry field wrapping",
        ("graphql/execution", "strawberry/types", "strawberry/schema", "strawberry/extensions"),
    ),
    ("parse and validate", ("graphql/language", "graphql/validation")),
    ("JSON encoding of the result", ("json/encoder", "orjson")),
    ("HTTP: uvicorn, Starlette, middleware", ("uvicorn", "starlette", "/middleware.py", "h11", "httptools")),
)


def summarise(collapsed: Path, top: int = 15) -> str:
    layers: collections.Counter[str] = collections.Counter()
    own: collections.Counter[str] = collections.Counter()
    total = 0
    for line in collapsed.read_text().splitlines():
        stack, _, count_text = line.rpartition(" ")
        count = int(count_text)
        total += count
        frames = stack.split(";")
        own[frames[-1]] += count
        layer = next((name for name, marks in LAYERS if any(m in stack for m in marks)), "other (event loop, idle)")
        layers[layer] += count
    lines = [f"{total} samples"] + [f"  {n / total:6.1%}  {name}" for name, n in layers.most_common()]
    lines += ["top functions by own time:"] + [f"  {n / total:6.1%}  {frame}" for frame, n in own.most_common(top)]
    return "\n".join(lines)


def requests_for(
    name: str, data_dir: Path, url: str, manifest: dataset.Manifest, seconds: int
) -> tuple[list[Request], dict[str, str]]:
    """The requests wrk rotates through for a scenario, and the server environment it needs."""
    page = graphql_post(LESSONS_PAGE, {"audience": "MIDDLE_SCHOOL"})
    if name == "lessons":
        return [page], {"BEACON_RESPONSE_CACHE": "off"}
    if name == "cached":
        return [page], {}
    if name == "start":
        return start_scenario(manifest, pool=seconds * 400).requests, {}
    if name == "submit":
        from bench.__main__ import submit_pool

        return submit_pool({"BEACON_DATABASE_URL": url}, manifest, seconds * 300).requests, {}
    raise SystemExit(f"unknown scenario {name!r}")


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.profile", description=__doc__)
    parser.add_argument("scenario", nargs="?", default="lessons", choices=("lessons", "cached", "start", "submit"))
    parser.add_argument("--seconds", type=int, default=15)
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--no-spy", action="store_true", help="only drive wrk and print requests/s (quick comparisons)")
    args = parser.parse_args()
    spy = shutil.which("py-spy") or str(Path(sys.executable).parent / "py-spy")
    out = ROOT / "bench" / "results"
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite://{tmp}/bench.sqlite3"
        manifest = dataset.prepare(Path(tmp), url, args.scale)
        requests, extra = requests_for(args.scenario, Path(tmp), url, manifest, args.seconds)
        env = {"BEACON_DATA_DIR": tmp, "BEACON_DATABASE_URL": url, **extra}
        with uvicorn_server("server:asgi_app", env) as (base, pid):
            result: list[object] = []
            load = threading.Thread(target=lambda: result.append(run_wrk(base, requests, seconds=args.seconds)))
            load.start()
            if not args.no_spy:
                name = f"profile-{args.scenario}"
                for fmt, suffix in (("raw", ".txt"), ("flamegraph", ".svg")):
                    subprocess.run(
                        [
                            spy,
                            "record",
                            "--pid",
                            str(pid),
                            "--duration",
                            str(max(1, args.seconds // 2 - 1)),
                            "--rate",
                            "200",
                            "--format",
                            fmt,
                            "--output",
                            str(out / (name + suffix)),
                            "--nonblocking",
                            "--gil",
                        ],
                        check=True,
                        capture_output=True,
                    )
            load.join()
    print(f"{args.scenario}: {result[0]}")
    if not args.no_spy:
        print(summarise(out / f"profile-{args.scenario}.txt"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
