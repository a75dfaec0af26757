"""`python -m bench.profile`: sample the server with py-spy while wrk drives the uncached lessons page.

Writes bench/results/profile-lessons.svg (a flame graph) and prints where the samples fall:
the share of samples whose stack passes through each layer, and the top functions by own time.
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
from bench.scenarios import LESSONS_PAGE, graphql_post
from bench.servers import ROOT, uvicorn_server

# A sample counts for the first layer (in this order) whose marker appears in its stack.
LAYERS = (
    ("SQL driver (aiosqlite / asyncpg)", ("aiosqlite", "asyncpg", "sqlite3")),
    ("Tortoise: building model instances", ("tortoise/models.py", "tortoise/backends/base/executor.py")),
    ("Tortoise / pypika: building queries", ("pypika", "tortoise/queryset.py", "tortoise/expressions.py")),
    ("Beacon resolvers and from_model()", ("/resolvers/", "/schema/content", "/schema/relay.py", "/schema/shared.py")),
    ("graphql-core execution and strawberry field wrapping", ("graphql/execution", "strawberry/types", "strawberry/schema", "strawberry/extensions")),
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


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.profile", description=__doc__)
    parser.add_argument("--seconds", type=int, default=15)
    parser.add_argument("--scale", type=float, default=1.0)
    args = parser.parse_args()
    spy = shutil.which("py-spy") or str(Path(sys.executable).parent / "py-spy")
    out = ROOT / "bench" / "results"
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite://{tmp}/bench.sqlite3"
        dataset.prepare(Path(tmp), url, args.scale)
        env = {"BEACON_DATA_DIR": tmp, "BEACON_DATABASE_URL": url}
        with uvicorn_server("server:asgi_app", env) as (base, pid):
            request = graphql_post(LESSONS_PAGE, {"audience": "MIDDLE_SCHOOL"})
            load = threading.Thread(target=run_wrk, args=(base, [request]), kwargs={"seconds": args.seconds + 2})
            load.start()
            for fmt, name in (("raw", "profile-lessons.txt"), ("flamegraph", "profile-lessons.svg")):
                subprocess.run([spy, "record", "--pid", str(pid), "--duration", str(args.seconds // 2), "--rate", "200",
                                "--format", fmt, "--output", str(out / name), "--nonblocking", "--gil"], check=True, capture_output=True)
            load.join()
    print(summarise(out / "profile-lessons.txt"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
