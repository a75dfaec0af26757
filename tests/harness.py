"""`make test`: run the whole suite on SQLite and on a fresh PostgreSQL database.

Creates a throwaway database on the local PostgreSQL server (BEACON_TEST_POSTGRES_ADMIN_URL,
default postgres://postgres@127.0.0.1:5432/postgres), points BEACON_TEST_POSTGRES_URL at it,
runs the SQLite and PostgreSQL passes side by side (the browser tests as a third process, on
SQLite), and drops the database again. Without a reachable server the PostgreSQL pass
is skipped, and says so.

Both passes run under coverage (their helper server processes too); the harness combines
the two and fails when the lines covered fall below the floor in pyproject.toml
([tool.coverage.report] fail_under). The combined data stays in .coverage for `coverage html`.
BEACON_TEST_COVERAGE=0 runs the same passes without coverage (a quicker check while working on a
branch; CI and `make test` always measure).
"""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

ADMIN_URL = os.environ.get("BEACON_TEST_POSTGRES_ADMIN_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
ROOT = Path(__file__).resolve().parent.parent
COVERAGE = [sys.executable, "-m", "coverage"]
MEASURED = os.environ.get("CI") == "true" or os.environ.get("BEACON_TEST_COVERAGE", "1") != "0"


def _pytest(args: list[str]) -> list[str]:
    """The command of one pass: pytest under coverage, or bare when BEACON_TEST_COVERAGE=0."""
    return [*COVERAGE, "run", "-m", "pytest", *args] if MEASURED else [sys.executable, "-m", "pytest", *args]


async def _admin(sql: str) -> None:
    import asyncpg

    conn = await asyncio.wait_for(asyncpg.connect(ADMIN_URL), 5)
    try:
        await conn.execute(sql)
    finally:
        await conn.close()


def _create_database() -> str | None:
    name = f"beacon_test_{uuid.uuid4().hex[:10]}"
    try:
        asyncio.run(_admin(f'CREATE DATABASE "{name}"'))
    except Exception as error:  # noqa: BLE001 no server, no rights: the PostgreSQL pass is skipped, loudly
        print(
            f"harness: PostgreSQL not reachable at {ADMIN_URL} ({type(error).__name__}: {error}); "
            "the PostgreSQL pass will be skipped",
            flush=True,
        )
        return None
    return name


BROWSER_TESTS = "tests/console"
NO_TESTS = 5  # pytest.ExitCode.NO_TESTS_COLLECTED


def _passes(args: list[str]) -> list[tuple[str, list[str]]]:
    """The pytest processes of a run: one per database, and the browser tests on their own.

    The browser tests (SQLite only) are a third of the SQLite pass's time: run as a process of their
    own, the three keep both cores busy to the end instead of leaving the PostgreSQL pass's core idle.
    A run of chosen tests keeps the two passes.
    """
    if not whole_suite(args):
        return [("sqlite", ["--backend", "sqlite", *args]), ("postgres", ["--backend", "postgres", *args])]
    return [
        ("sqlite", ["--backend", "sqlite", f"--ignore={BROWSER_TESTS}", *args]),
        ("postgres", ["--backend", "postgres", f"--ignore={BROWSER_TESTS}", *args]),
        ("browser", ["--backend", "sqlite", BROWSER_TESTS, *args]),
    ]


def _reap(processes: list[subprocess.Popen[bytes]], started: float) -> dict[int, tuple[int, float, float]]:
    """Each pass's exit code, its wall time from the start of the run, and the CPU it and its children used,
    taken as each ends (in whatever order), by pid."""
    ended: dict[int, tuple[int, float, float]] = {}
    while len(ended) < len(processes):
        pid, status, usage = os.wait4(-1, 0)
        code = os.waitstatus_to_exitcode(status)
        ended[pid] = (code, time.monotonic() - started, usage.ru_utime + usage.ru_stime)
    for process in processes:
        process.returncode = ended[process.pid][0]
    return ended


def _run_passes(args: list[str], env: dict[str, str]) -> int:
    """Run the passes as pytest processes side by side (two cores), then show their output in turn."""
    with tempfile.TemporaryDirectory() as logs:
        runs = []
        started = time.monotonic()
        for name, pass_args in _passes(args):
            log = open(Path(logs) / f"{name}.log", "w+", encoding="utf-8")  # noqa: SIM115 (closed below)
            # Separate base temp dirs: pytest's cleanup of old numbered dirs must not touch another pass.
            basetemp = Path(logs) / f"tmp-{name}"
            command = _pytest([f"--basetemp={basetemp}", *pass_args])
            runs.append((name, log, subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT)))
        ended = _reap([process for _, _, process in runs], started)
        codes = []
        for name, log, process in runs:
            code, seconds, cpu = ended[process.pid]
            codes.append(code)
            log.seek(0)
            print(f"\n===== {name} pass: {seconds:.0f} s, {cpu:.0f} s of CPU =====", flush=True)
            sys.stdout.write(log.read())
            log.close()
    # A pass that selected nothing (pytest's 5: say, a file of database-free tests in the PostgreSQL
    # pass) is no failure while another pass ran tests.
    if all(c == NO_TESTS for c in codes):
        return NO_TESTS
    return next((c for c in codes if c not in (0, NO_TESTS)), 0)


_SELECTING = {"-k", "-m", "--deselect", "--lf", "--last-failed", "--sw", "--stepwise"}


def whole_suite(args: list[str]) -> bool:
    """Whether pytest runs every test (no paths, node ids or selecting options among the arguments)."""
    return not any(a.split("=", 1)[0] in _SELECTING or (ROOT / a.split("::", 1)[0]).exists() for a in args)


def _coverage_floor(env: dict[str, str], *, enforce: bool, label: str) -> int:
    """Combine the passes' coverage data and report it; nonzero when held to the floor and under it.

    The floor is measured over the whole suite on both databases: a run of some tests, or a
    SQLite-only run (no PostgreSQL here), shows its figure without being held to it.
    """
    subprocess.call([*COVERAGE, "combine", "--quiet"], env=env, cwd=ROOT)
    print(f"\n===== coverage of application code, {label} =====", flush=True)
    floor = [] if enforce else ["--fail-under=0"]
    return subprocess.call([*COVERAGE, "report", *floor], env=env, cwd=ROOT)


def _run_one_pass(args: list[str], env: dict[str, str]) -> int:
    return subprocess.call(_pytest(args), env=env)


def main() -> int:
    # Every process of the run (both passes, the servers they start) writes its own data file here.
    env = {**os.environ, "COVERAGE_FILE": str(ROOT / ".coverage")}
    subprocess.call([*COVERAGE, "erase"], env=env, cwd=ROOT)
    created = None
    if not env.get("BEACON_TEST_POSTGRES_URL"):
        created = _create_database()
        if created:
            base = ADMIN_URL.rsplit("/", 1)[0].replace("postgresql://", "postgres://", 1)
            env["BEACON_TEST_POSTGRES_URL"] = f"{base}/{created}"
            print(f"harness: PostgreSQL pass on fresh database {created}", flush=True)
    try:
        args = sys.argv[1:]
        both = bool(env.get("BEACON_TEST_POSTGRES_URL"))
        run = _run_passes if both else _run_one_pass
        code = run(args, env)
        whole = whole_suite(args)
        label = ("both passes" if both else "SQLite pass only") + ("" if whole else ", some tests")
        if not MEASURED:
            print("\nharness: BEACON_TEST_COVERAGE=0, coverage not measured (CI measures it)", flush=True)
            return code
        return code or _coverage_floor(env, enforce=both and whole, label=label)
    finally:
        if created:
            asyncio.run(_admin(f'DROP DATABASE IF EXISTS "{created}" WITH (FORCE)'))


if __name__ == "__main__":
    sys.exit(main())
