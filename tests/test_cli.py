"""The `beacon` command line, run as a real process against the test database."""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

import httpx
import pyotp
import pytest

from cli import main
from demo.accounts import STAFF_TOTP_SECRET
from models.accounts import AccountAudit, ApiKey, Organization, User
from resolvers import second_factor
from tests.proc import children, running

ROOT = Path(__file__).resolve().parent.parent


def beacon(
    *args: str, db: str, data_dir: Path, stdin: str | None = None, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    environ = {**os.environ, "BEACON_DATABASE_URL": db, "BEACON_DATA_DIR": str(data_dir), **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "cli", *args],
        input=stdin,
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=environ,
        timeout=300,  # a ceiling for a hung process; a busy machine can make a cold CLI run slow
    )


@pytest.mark.parametrize(
    "command",
    [
        "serve",
        "migrate",
        "create-user",
        "create-organization",
        "create-api-key",
        "api-keys",
        "users",
        "seed-demo",
        "audit",
        "purge",
        "export-schema",
        "check-contract",
    ],
)
def test_help_for_every_command(command: str, capsys: pytest.CaptureFixture[str]) -> None:
    # In this process: argparse answers --help before any command runs (the commands themselves run
    # as real processes in the tests below).
    with pytest.raises(SystemExit) as ended:
        main([command, "--help"])
    assert ended.value.code == 0 and "usage: beacon" in capsys.readouterr().out, command


def test_an_unknown_command_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as ended:
        main(["no-such-command"])
    assert ended.value.code == 2 and "invalid choice" in capsys.readouterr().err


async def test_migrate_is_idempotent(db: str, data_dir: Path) -> None:
    result = beacon("migrate", db=db, data_dir=data_dir)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("Database is up to date (") and "no migration to apply" in result.stdout
    assert "@" not in result.stdout, "the database URL is printed without its user and password"


async def test_migrate_on_a_new_database_says_what_it_applied(tmp_path: Path) -> None:
    fresh = f"sqlite://{tmp_path / 'new.sqlite3'}"
    first = beacon("migrate", db=fresh, data_dir=tmp_path)
    assert first.returncode == 0, first.stderr
    lines = first.stdout.splitlines()
    committed = sorted(f"{path.parent.name}.{path.stem}" for path in (ROOT / "migrations").glob("*/[0-9]*.py"))
    assert lines[0] == f"Applied {len(committed)} migration(s) to {fresh}:"
    assert sorted(line.strip() for line in lines[1:-1]) == committed
    assert lines[-1] == "Database is up to date."
    again = beacon("migrate", db=fresh, data_dir=tmp_path)
    assert again.stdout == f"Database is up to date ({fresh}): no migration to apply.\n"


def test_printed_database_urls_carry_no_credentials() -> None:
    from cli import _database_label

    assert _database_label("postgres://beacon:s3cret@db.internal:5433/beacon") == "postgres://db.internal:5433/beacon"
    assert _database_label("sqlite:///srv/beacon/beacon.sqlite3") == "sqlite:///srv/beacon/beacon.sqlite3"


async def test_create_organization_user_and_api_key(db: str, data_dir: Path) -> None:
    org = beacon("create-organization", "城关中学", "--kind", "SCHOOL", "--region", "城关区", db=db, data_dir=data_dir)
    assert org.returncode == 0, org.stderr
    user = beacon(
        "create-user",
        "alice",
        "--role",
        "ADMIN",
        "--role",
        "TEACHER",
        "--display-name",
        "Alice",
        "--organization",
        "城关中学",
        "--password-stdin",
        db=db,
        data_dir=data_dir,
        stdin="a long passphrase\n",
    )
    assert user.returncode == 0, user.stderr
    assert user.stdout.strip()
    created = await User.get(username_key="alice")
    assert sorted(created.roles) == ["ADMIN", "TEACHER"]
    assert created.organization_id == (await Organization.get(name="城关中学")).id
    assert "a long passphrase" not in created.password_hash
    key = beacon("create-api-key", "moodle", "--organization", "城关中学", db=db, data_dir=data_dir)
    assert key.returncode == 0 and key.stdout.startswith("bk_")
    assert await ApiKey.filter(name="moodle").count() == 1
    assert key.stdout.strip() not in (await ApiKey.get(name="moodle")).key_hash


async def test_api_keys_list_and_revoke_and_users_deactivate(db: str, data_dir: Path) -> None:
    from resolvers import accounts
    from tests.accounts.factories import make_user

    org = await Organization.create(name="城关中学", kind="SCHOOL")
    made = beacon(
        "create-api-key", "moodle", "--organization", "城关中学", "--expires-in-days", "30", db=db, data_dir=data_dir
    )
    assert made.returncode == 0, made.stderr
    secret = made.stdout.strip()
    key = await ApiKey.get(name="moodle")
    assert key.expires_at is not None and key.organization_id == org.id
    listed = beacon("api-keys", "list", db=db, data_dir=data_dir)
    assert listed.returncode == 0, listed.stderr
    row = listed.stdout.splitlines()[1].split("\t")
    assert row[:3] == [str(key.id), "moodle", "城关中学"] and row[-1] == "-"
    assert secret not in listed.stdout and key.key_hash not in listed.stdout
    revoked = beacon("api-keys", "revoke", str(key.id), db=db, data_dir=data_dir)
    assert revoked.returncode == 0, revoked.stderr
    assert (await ApiKey.get(id=key.id)).revoked_at is not None
    assert beacon("api-keys", "list", db=db, data_dir=data_dir).stdout.splitlines()[1].split("\t")[-1] != "-"
    missing = beacon("api-keys", "revoke", "99999", db=db, data_dir=data_dir)
    assert missing.returncode == 1 and "No such API key" in missing.stderr
    assert (
        beacon(
            "create-api-key", "x", "--organization", "城关中学", "--expires-in-days", "0", db=db, data_dir=data_dir
        ).returncode
        == 1
    )

    pupil = await make_user("pupil")
    token = (await accounts._open_session(pupil)).token
    gone = beacon("users", "deactivate", "PUPIL", db=db, data_dir=data_dir)
    assert gone.returncode == 0, gone.stderr
    assert not (await User.get(id=pupil.id)).is_active
    from resolvers.errors import CredentialRejected

    try:
        await accounts.identify(token)
    except CredentialRejected as error:
        assert error.reason == "deactivated"
    else:
        raise AssertionError("a deactivated user's token still signs in")
    back = beacon("users", "reactivate", "pupil", db=db, data_dir=data_dir)
    assert back.returncode == 0 and (await User.get(id=pupil.id)).is_active
    assert beacon("users", "deactivate", "nobody", db=db, data_dir=data_dir).returncode == 1


async def test_cli_errors_are_one_line_and_nonzero(db: str, data_dir: Path) -> None:
    short = beacon(
        "create-user",
        "bob",
        "--role",
        "LEARNER",
        "--display-name",
        "Bob",
        "--password-stdin",
        db=db,
        data_dir=data_dir,
        stdin="short\n",
    )
    assert short.returncode == 1 and short.stderr.startswith("beacon: Passwords need")
    no_stdin = beacon("create-user", "bob", "--role", "LEARNER", "--display-name", "Bob", db=db, data_dir=data_dir)
    assert no_stdin.returncode == 1 and "--password-stdin" in no_stdin.stderr
    no_org = beacon("create-api-key", "x", "--organization", "nowhere", db=db, data_dir=data_dir)
    assert no_org.returncode == 1 and "nowhere" in no_org.stderr
    bad_role = beacon("create-user", "bob", "--role", "KING", "--display-name", "Bob", db=db, data_dir=data_dir)
    assert bad_role.returncode == 2
    assert not await User.exists(username_key="bob")


async def test_production_refuses_to_start_without_a_secret(db: str, data_dir: Path) -> None:
    result = beacon("migrate", db=db, data_dir=data_dir, env={"BEACON_ENV": "production", "BEACON_SECRET_KEY": ""})
    assert result.returncode == 1 and "BEACON_SECRET_KEY" in result.stderr


def test_export_schema_matches_committed_file(tmp_path: Path) -> None:
    target = tmp_path / "schema.graphql"
    assert main(["export-schema", str(target)]) == 0
    assert target.read_text(encoding="utf-8") == (ROOT / "schema.graphql").read_text(encoding="utf-8")


def test_check_contract_reports_breaking_changes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    contract = tmp_path / "contract.graphql"
    contract.write_text("type Query { node(id: ID!): Node, gone: ID }\ninterface Node { id: ID! }\n")
    assert main(["check-contract", "--contract", str(contract)]) == 1
    assert capsys.readouterr().out.strip().splitlines() == ["FIELD_REMOVED: Field Query.gone was removed."]
    contract.write_text("type Query { node(id: ID!): Node }\ninterface Node { id: ID! }\n")
    assert main(["check-contract", "--contract", str(contract)]) == 0


def test_check_contract_without_the_shared_contract_says_what_it_needs(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import contract

    missing = tmp_path / "shared" / "contract" / "schema.graphql"
    monkeypatch.setattr(contract, "CONTRACT_PATH", missing)  # a clone with no ../shared beside it
    assert main(["check-contract"]) == 0
    said = capsys.readouterr()
    assert said.out == ""
    assert "check-contract skipped" in said.err and str(missing) in said.err
    assert "--contract PATH" in said.err and "make check-contract CONTRACT=PATH" in said.err
    # A contract named explicitly must exist: that is a mistake, not a missing checkout.
    assert main(["check-contract", "--contract", str(missing)]) == 1
    assert f"No contract at {missing}." in capsys.readouterr().err


def test_make_check_contract_passes_a_named_contract(tmp_path: Path) -> None:
    dry = subprocess.run(
        ["make", "-n", "check-contract", f"CONTRACT={tmp_path / 'c.graphql'}"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert dry.returncode == 0, dry.stderr
    assert f"beacon check-contract --contract {tmp_path / 'c.graphql'}" in dry.stdout


def test_make_run_serves_on_the_port_asked_for() -> None:
    dry = subprocess.run(["make", "-n", "run", "PORT=8080"], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert dry.returncode == 0, dry.stderr
    [serve] = [line for line in dry.stdout.splitlines() if " serve " in line]
    assert serve.endswith("beacon serve --host 127.0.0.1 --port 8080"), serve
    assert "BEACON_PUBLIC_URL=${BEACON_PUBLIC_URL:-http://127.0.0.1:8080}" in serve  # links follow the port


async def test_serve_refuses_with_pending_migrations(tmp_path: Path) -> None:
    fresh = f"sqlite://{tmp_path / 'fresh.sqlite3'}"
    result = beacon("serve", "--port", "1", db=fresh, data_dir=tmp_path)
    assert result.returncode == 1
    assert "run `beacon migrate` first" in result.stderr


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


async def test_serve_answers_on_the_port(db: str, data_dir: Path) -> None:
    port = _free_port()
    environ = {**os.environ, "BEACON_DATABASE_URL": db, "BEACON_DATA_DIR": str(data_dir)}
    process = subprocess.Popen(
        [sys.executable, "-m", "cli", "serve", "--port", str(port)],
        cwd=ROOT,
        env=environ,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 120  # a cold start under load can take many seconds
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", timeout=30) as client:
            while True:
                try:
                    ready = await client.get("/readyz")
                    break
                except httpx.TransportError:
                    assert time.monotonic() < deadline and process.poll() is None, "server did not start"
                    await asyncio.sleep(0.2)
            assert ready.status_code == 200
            answer = await client.post("/graphql", json={"query": "{ viewer { user { id } } }"})
            assert answer.json() == {"data": {"viewer": None}}
    finally:
        process.terminate()
        process.wait(timeout=10)


async def test_seed_demo_is_idempotent_and_development_only(db: str, data_dir: Path) -> None:
    first = beacon("seed-demo", db=db, data_dir=data_dir)
    assert first.returncode == 0, first.stderr
    assert "demo-admin" in first.stdout
    # The sign-ins are a table whose columns line up, the longest expert username included.
    lines = first.stdout.splitlines()
    start = lines.index("Demo sign-ins (development only):") + 1
    table = [line for line in lines[start:] if line.startswith("  ")]
    assert table[0].split() == ["username", "password", "roles"]
    assert "expert-chenglifeng" in first.stdout and len(table) >= 7
    for column in ("password", "roles"):
        offset = table[0].index(column)
        assert all(line[offset - 2 : offset] == "  " and line[offset] != " " for line in table), (column, table)
    users = await User.all().count()
    organizations = await Organization.all().count()
    assert users >= 6 and organizations >= 4
    again = beacon("seed-demo", db=db, data_dir=data_dir)
    assert again.returncode == 0, again.stderr
    assert await User.all().count() == users and await Organization.all().count() == organizations


async def test_seed_demo_enrols_demo_staff_with_the_printed_secret_when_required(db: str, data_dir: Path) -> None:
    result = beacon("seed-demo", db=db, data_dir=data_dir, env={"BEACON_STAFF_SECOND_FACTOR": "required"})
    assert result.returncode == 0, result.stderr
    assert STAFF_TOTP_SECRET in result.stdout and "otpauth://totp/" in result.stdout
    admin = await User.get(username_key="demo-admin")
    assert second_factor.open_secret(admin) == STAFF_TOTP_SECRET
    assert await second_factor.check(admin, pyotp.TOTP(STAFF_TOTP_SECRET).now())
    learner = await User.get(username_key="demo-learner")
    assert not second_factor.is_enrolled(learner)
    # The operator resets it (the only admin lost their phone), under audit.
    reset = beacon("users", "reset-second-factor", "demo-admin", db=db, data_dir=data_dir)
    assert reset.returncode == 0, reset.stderr
    assert not second_factor.is_enrolled(await User.get(username_key="demo-admin"))
    audit = await AccountAudit.get(subject_user_id=admin.id)
    assert (audit.actor_user_id, audit.action) == (None, "second_factor_reset")


async def test_seed_demo_in_production_creates_no_users(db: str, data_dir: Path) -> None:
    result = beacon(
        "seed-demo", db=db, data_dir=data_dir, env={"BEACON_ENV": "production", "BEACON_SECRET_KEY": "s" * 40}
    )
    assert result.returncode == 0, result.stderr
    assert "only created when BEACON_ENV=development" in result.stdout
    assert await User.all().count() == 0


async def _answers(port: int) -> bool:
    async with httpx.AsyncClient() as client:
        try:
            return (await client.get(f"http://127.0.0.1:{port}/healthz", timeout=2)).status_code == 200
        except httpx.TransportError:
            return False


async def _until(predicate: Callable[[], Awaitable[bool]], timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while not await predicate():
        assert time.monotonic() < deadline, "condition not reached in time"
        await asyncio.sleep(0.2)


async def test_workers_stop_when_the_supervisor_is_killed(db: str, data_dir: Path) -> None:
    port = _free_port()
    environ = {**os.environ, "BEACON_DATABASE_URL": db, "BEACON_DATA_DIR": str(data_dir)}
    command = [sys.executable, "-m", "cli", "serve", "--port", str(port), "--workers", "2"]
    supervisor = subprocess.Popen(command, cwd=ROOT, env=environ, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    workers: list[int] = []
    try:
        await _until(lambda: _answers(port))
        workers = children(supervisor.pid)
        assert len(workers) >= 2, workers
        supervisor.kill()  # only the supervisor: SIGKILL cannot be passed on
        supervisor.wait(timeout=10)
        killed = time.monotonic()

        async def all_stopped() -> bool:
            return not any(running(w) for w in workers)

        await _until(all_stopped)
        stopped_after = time.monotonic() - killed
        # The port is free again: a restart starts and serves.
        again = subprocess.Popen(command[:-2], cwd=ROOT, env=environ, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        try:
            await _until(lambda: _answers(port))
            assert again.poll() is None
            # Figures for docs/conformance.md (`pytest -s`), not asserted: a busy machine moves them.
            print(
                f"supervisor killed: workers gone {stopped_after:.2f} s later; "
                f"a restart served {time.monotonic() - killed:.2f} s after the kill"
            )
        finally:
            again.terminate()
            again.wait(timeout=15)
    finally:
        for pid in workers:  # never leave an orphan serving, whatever happened above
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        if supervisor.poll() is None:
            supervisor.kill()


async def test_audit_reads_the_log_by_either_id_and_refuses_anything_else(db: str, data_dir: Path) -> None:
    from schema.relay import to_global_id

    empty = beacon("audit", "--consultation", "42", db=db, data_dir=data_dir)
    assert (empty.returncode, empty.stdout, empty.stderr) == (0, "", "No audit records.\n")
    by_global_id = beacon("audit", "--consultation", to_global_id("Consultation", 42), db=db, data_dir=data_dir)
    assert by_global_id.returncode == 0 and by_global_id.stderr == "No audit records.\n"
    for wrong in ("nonsense", to_global_id("Lesson", 42)):
        refused = beacon("audit", "--consultation", wrong, db=db, data_dir=data_dir)
        assert refused.returncode == 1 and refused.stderr == f"beacon: {wrong!r} is not a consultation ID.\n"


async def test_export_questions_names_a_missing_bank_and_writes_to_standard_output(db: str, data_dir: Path) -> None:
    from models.quizzes import QuestionBank

    missing = beacon("export-questions", "没有这个题库", "--format", "gift", db=db, data_dir=data_dir)
    assert missing.returncode == 1 and missing.stderr.startswith("beacon: ") and missing.stdout == ""
    await QuestionBank.create(name="空题库")
    empty = beacon("export-questions", "空题库", "--format", "gift", db=db, data_dir=data_dir)
    assert empty.returncode == 0, empty.stderr
