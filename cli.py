"""The `beacon` command line."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import sys
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from models.base import OrganizationKind, Role
from settings import ConfigError, Settings, load_settings

if TYPE_CHECKING:
    from resolvers.events import EventBus


class CommandError(Exception):
    """A failure to report to the operator in one line, with exit code 1."""


def _run(settings: Settings, work: Callable[[], Awaitable[int | None]]) -> int:
    """Run async work with the database open, once the data keys are known to open what it holds."""
    from models.database import close_database, open_database, pending_migrations
    from resolvers import vault
    from resolvers.consultations import sealed

    async def main() -> int | None:
        await open_database(settings.database_url)
        try:
            if not await pending_migrations():  # else the command refuses, or has no sealed data to read
                try:
                    await sealed.check_database()
                except vault.DataKeyError as error:
                    raise CommandError(str(error)) from None
            return await work()
        finally:
            await close_database()

    return asyncio.run(main()) or 0


def cmd_migrate(args: argparse.Namespace, settings: Settings) -> int:
    from models.database import apply_migrations

    settings.data_dir.mkdir(parents=True, exist_ok=True)
    applied = asyncio.run(apply_migrations(settings.database_url))
    where = _database_label(settings.database_url)
    if applied:
        print(f"Applied {len(applied)} migration(s) to {where}:")
        for name in applied:
            print(f"  {name}")

    async def seal_files() -> int:
        from resolvers.content import media as content_media

        # Private files stored before sealing existed (the migration sealed the text columns).
        storage = content_media.storage_for(settings.media_dir)
        total = 0
        while sealed := await content_media.seal_private_files(storage):
            total += sealed
        if total:
            print(f"Sealed {total} private file(s).")
        return 0

    _run(settings, seal_files)
    if applied:
        print("Database is up to date.")
    else:
        print(f"Database is up to date ({where}): no migration to apply.")
    return 0


def _database_label(url: str) -> str:
    """The database URL as it may be printed: without the user name and password."""
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    if parts.scheme == "sqlite":
        return url
    port = f":{parts.port}" if parts.port else ""
    return f"{parts.scheme}://{parts.hostname or ''}{port}{parts.path}"


def cmd_rotate_data_key(args: argparse.Namespace, settings: Settings) -> int:
    """Re-wrap every data key under the first key of BEACON_DATA_KEY; retire the others once unused."""
    from resolvers import vault
    from resolvers.consultations import sealed

    async def work() -> int:
        report = await sealed.rotate()
        current = vault.keyring().current
        for column, count in report.rewrapped.items():
            print(f"{column}: {count} data key(s) re-wrapped under {current}")
        if report.retired:
            print(f"Retired key(s): {', '.join(report.retired)}; they may now be removed from BEACON_DATA_KEY.")
        else:
            print(f"Every data key is wrapped under {current}; no other key was registered.")
        return 0

    return _run(settings, work)


def cmd_serve(args: argparse.Namespace, settings: Settings) -> int:
    import uvicorn

    from models.database import pending_migrations

    async def check() -> int:
        pending = await pending_migrations()
        if pending:
            raise CommandError(
                f"{len(pending)} migration(s) are not applied ({', '.join(pending)}): run `beacon migrate` first."
            )
        return 0

    _run(settings, check)
    if args.workers > 1 and not settings.redis_url and settings.response_cache:
        # Each worker would hold its own content version: a publish in one would not reach the others.
        import os

        os.environ["BEACON_RESPONSE_CACHE"] = "off"
        print(
            "Response cache off: several workers share it only through Redis (set BEACON_REDIS_URL).", file=sys.stderr
        )
    if args.workers > 1:
        import workers

        workers.mark_supervisor()  # its workers stop when it is gone (workers.py)
    uvicorn.run(
        "server:asgi_app",
        factory=True,
        host=args.host,
        port=args.port,
        workers=args.workers,
        log_level="info",
        access_log=False,
    )
    return 0


def cmd_worker(args: argparse.Namespace, settings: Settings) -> int:
    """Deliver the outbox (webhooks, e-mail notices, xAPI statements) until stopped."""
    import signal

    import dispatcher
    from models.database import pending_migrations
    from server import configure_logging

    configure_logging(settings)

    async def work() -> int:
        pending = await pending_migrations()
        if pending:
            raise CommandError(f"{len(pending)} migration(s) are not applied: run `beacon migrate` first.")
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(sig, stop.set)
        async with dispatcher.running(settings):
            print("beacon worker: delivering the outbox", file=sys.stderr, flush=True)
            await stop.wait()
        return 0

    return _run(settings, work)


def _read_password() -> str:
    line = sys.stdin.readline()
    if not line:
        raise CommandError("No password on standard input (give it as one line).")
    return line.rstrip("\r\n")


def cmd_create_user(args: argparse.Namespace, settings: Settings) -> int:
    from resolvers import accounts
    from resolvers.errors import DomainError, InvalidMany
    from resolvers.global_ids import to_global_id

    if not args.password_stdin:
        raise CommandError("Pass --password-stdin and give the password on standard input.")
    password = _read_password()

    async def work() -> int:
        org_id = (await accounts.find_organization(args.organization)).id if args.organization else None
        user = await accounts.create_user_unchecked(
            username=args.username,
            password=password,
            display_name=args.display_name,
            roles=[Role(r) for r in args.role],
            organization_id=org_id,
        )
        print(to_global_id("User", user.id))
        return 0

    try:
        return _run(settings, work)
    except InvalidMany as error:
        raise CommandError("; ".join(e.message for e in error.errors)) from None
    except DomainError as error:
        raise CommandError(error.message) from None


def cmd_create_organization(args: argparse.Namespace, settings: Settings) -> int:
    from resolvers import accounts
    from resolvers.errors import DomainError
    from resolvers.global_ids import to_global_id

    async def work() -> int:
        org = await accounts.create_organization(
            None, name=args.name, kind=OrganizationKind(args.kind), region=args.region
        )
        print(to_global_id("Organization", org.id))
        return 0

    try:
        return _run(settings, work)
    except DomainError as error:
        raise CommandError(error.message) from None


def cmd_create_api_key(args: argparse.Namespace, settings: Settings) -> int:
    from datetime import UTC, datetime, timedelta

    from resolvers import accounts
    from resolvers.errors import DomainError

    if args.expires_in_days is not None and not 1 <= args.expires_in_days <= 3653:
        raise CommandError("--expires-in-days must be 1–3653.")
    expires_at = datetime.now(UTC) + timedelta(days=args.expires_in_days) if args.expires_in_days else None

    async def work() -> int:
        org = await accounts.find_organization(args.organization)
        secret = await accounts.create_api_key(name=args.name, organization=org, expires_at=expires_at)
        print(secret)
        print("Keep this key now: it is stored hashed and cannot be shown again.", file=sys.stderr)
        return 0

    try:
        return _run(settings, work)
    except DomainError as error:
        raise CommandError(error.message) from None


@contextlib.asynccontextmanager
async def _announcer(settings: Settings) -> AsyncIterator[EventBus]:
    """The event bus the servers listen on (Redis), so an ended credential closes their sockets at once.

    Without BEACON_REDIS_URL a command cannot reach the servers: their periodic re-check of every
    open socket (BEACON_SOCKET_RECHECK_SECONDS) closes it instead.
    """
    from resolvers.events import create_event_bus

    bus = create_event_bus(settings.redis_url, settings.events_prefix, settings.events_timeout)
    await bus.start()
    try:
        yield bus
    finally:
        await bus.close()


def _when(moment: datetime | None) -> str:
    return moment.strftime("%Y-%m-%d %H:%M") if moment is not None else "-"


def cmd_api_keys(args: argparse.Namespace, settings: Settings) -> int:
    from resolvers import accounts, credentials
    from resolvers.errors import DomainError
    from resolvers.global_ids import parse_global_id

    async def listing() -> int:
        org = await accounts.find_organization(args.organization) if args.organization else None
        keys = credentials.list_api_keys(None, organization_id=org.id if org else None, revoked=None)
        print("id\tname\torganization\tcreated\texpires\tlast used\trevoked")
        offset = 0
        while page := await keys.fetch(offset, 100):
            ids = sorted({key.organization_id for key in page})
            names = {o.id: o.name for o in await accounts.organizations_by_id(ids) if o is not None}
            for key in page:
                print(
                    "\t".join(
                        [
                            str(key.id),
                            key.name,
                            names.get(key.organization_id, "-"),
                            _when(key.created_at),
                            _when(key.expires_at),
                            _when(key.last_used_at),
                            _when(key.revoked_at),
                        ]
                    )
                )
            offset += len(page)
        return 0

    async def revoke() -> int:
        parsed = parse_global_id(args.id)
        if args.id.isdigit():
            key_id = int(args.id)
        elif parsed is not None and parsed[0] == "ApiKey":
            key_id = parsed[1]
        else:
            raise CommandError(f"Not an API key id: {args.id!r}.")
        async with _announcer(settings) as bus:
            key = await credentials.revoke_api_key(None, bus, key_id)
        print(f"API key {key.id} ({key.name}) is revoked; its next request gets 401.")
        return 0

    try:
        return _run(settings, listing if args.action == "list" else revoke)
    except DomainError as error:
        raise CommandError(error.message) from None


def cmd_users(args: argparse.Namespace, settings: Settings) -> int:
    from resolvers import credentials
    from resolvers.errors import DomainError

    async def work() -> int:
        user = await credentials.find_user(args.username)
        if args.action == "deactivate":
            async with _announcer(settings) as bus:
                await credentials.deactivate_user(None, bus, user.id)
            print(f"{user.username} is deactivated; their sessions have ended.")
        elif args.action == "reset-second-factor":
            async with _announcer(settings) as bus:
                await credentials.reset_second_factor(None, bus, user.id)
            print(f"{user.username}'s second factor is removed; their sessions have ended (recorded in account_audit).")
        else:
            await credentials.reactivate_user(None, user.id)
            print(f"{user.username} may sign in again.")
        return 0

    try:
        return _run(settings, work)
    except DomainError as error:
        raise CommandError(error.message) from None


def cmd_seed_demo(args: argparse.Namespace, settings: Settings) -> int:
    from demo.seed import seed_demo

    async def work() -> int:
        for line in await seed_demo(settings):
            print(line)
        return 0

    return _run(settings, work)


def cmd_export_questions(args: argparse.Namespace, settings: Settings) -> int:
    from resolvers import quizzes
    from resolvers.errors import DomainError

    async def work() -> int:
        try:
            bank = await quizzes.find_bank(args.bank)
        except DomainError as error:
            raise CommandError(error.message) from None
        text = await quizzes.export_bank(bank, "GIFT" if args.format == "gift" else "MOODLE_XML")
        if args.output:
            Path(args.output).write_text(text, encoding="utf-8")  # noqa: ASYNC240 a one-shot command: nothing else runs on this loop
        else:
            sys.stdout.write(text)
        return 0

    return _run(settings, work)


def cmd_audit(args: argparse.Namespace, settings: Settings) -> int:
    from resolvers.consultations import audit
    from resolvers.global_ids import parse_global_id, to_global_id

    consultation_id: int | None = None
    if args.consultation:
        parsed = parse_global_id(args.consultation)
        if args.consultation.isdigit():
            consultation_id = int(args.consultation)
        elif parsed is not None and parsed[0] == "Consultation":
            consultation_id = parsed[1]
        else:
            raise CommandError(f"{args.consultation!r} is not a consultation ID.")

    async def work() -> int:
        if args.verify:
            report = await audit.verify_chain()
            if report.broken_at is not None:
                raise CommandError(
                    f"audit chain broken at record {report.broken_at}: {report.reason} "
                    f"({report.checked} record(s) before it verified)"
                )
            print(f"Audit chain verified: {report.checked} record(s), unbroken.")
            return 0
        entries = await audit.log_for_operators(consultation_id=consultation_id, limit=args.limit)
        for e in entries:
            roles = ",".join(e.actor_roles) or "-"
            who = f"{e.actor_name} (user {e.actor_user_id}, {roles})"
            print(
                f"{e.created_at.isoformat(timespec='seconds')}  {to_global_id('Consultation', e.consultation_id)}  "
                f"{e.action:<16} {who}  {e.detail}".rstrip()
            )
        if not entries:
            print("No audit records.", file=sys.stderr)
        return 0

    return _run(settings, work)


def cmd_purge(args: argparse.Namespace, settings: Settings) -> int:
    from resolvers import exports, retention
    from resolvers.content import media as content_media

    policy = retention.Policy.from_settings(settings)
    exports.configure(directory=settings.data_dir / "exports", link_hours=settings.export_link_hours)

    async def work() -> int:
        made = await retention.plan(policy)
        if args.dry_run:
            print(f"Would purge (retention settings at {made.now.isoformat(timespec='seconds')}):")
            for line in retention.describe(made.ids):
                print(f"  {line}")
            return 0
        # The plan of the dry run, carried out: each kind's condition is checked again as it goes.
        done = await retention.execute(made, content_media.storage_for(settings.media_dir))
        print("Purged:")
        for line in retention.describe(done):
            print(f"  {line}")
        return 0

    return _run(settings, work)


def cmd_export_schema(args: argparse.Namespace, settings: Settings | None) -> int:
    from schema import export_sdl

    sdl = export_sdl()
    if args.path in (None, "-"):
        sys.stdout.write(sdl)
    else:
        Path(args.path).write_text(sdl, encoding="utf-8")
        print(f"Wrote {args.path}", file=sys.stderr)
    return 0


def cmd_check_contract(args: argparse.Namespace, settings: Settings | None) -> int:
    from contract import CONTRACT_PATH, breaking_changes

    path = Path(args.contract) if args.contract else CONTRACT_PATH
    if not path.exists() and args.contract:
        raise CommandError(f"No contract at {path}.")
    if not path.exists():
        # A clone on its own (no shared/ beside it) has nothing to compare with: say what is needed, skip.
        print(
            "check-contract skipped: it compares the served schema with the frontend teams' contract, "
            f"expected at {path} (contract/schema.graphql of the `shared` repository, checked out beside "
            "this clone as ../shared). Check it out there, or name the file: "
            "`beacon check-contract --contract PATH` (`make check-contract CONTRACT=PATH`).",
            file=sys.stderr,
        )
        return 0
    changes = breaking_changes(path.read_text(encoding="utf-8"))
    for change in changes:
        print(change)
    if changes:
        print(f"{len(changes)} breaking change(s) against {path}", file=sys.stderr)
        return 1
    return 0  # silent when the served schema is a non-breaking superset, like a linter


def cmd_install_assets(args: argparse.Namespace, settings: Settings | None) -> int:
    import assets

    target = Path(args.target) if args.target else assets.default_vendor_dir()
    try:
        installed = assets.install(target)
    except assets.AssetError as error:
        raise CommandError(f"{error} (GraphiQL stays unavailable; the API and the console work without it)") from error
    for name in installed:
        print(f"Installed {name} (sha512 verified) into {target}", file=sys.stderr)
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="beacon", description="Beacon: the drug-prevention content platform's API server and tools."
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    serve = sub.add_parser("serve", help="serve the API with uvicorn")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--workers", type=int, default=1)
    serve.set_defaults(func=cmd_serve)

    worker = sub.add_parser("worker", help="deliver webhooks, e-mail notices and xAPI statements from the outbox")
    worker.set_defaults(func=cmd_worker)

    sub.add_parser("migrate", help="apply database migrations").set_defaults(func=cmd_migrate)
    sub.add_parser(
        "rotate-data-key",
        help="re-wrap every data key under the first key of BEACON_DATA_KEY (no re-encryption, no downtime)",
    ).set_defaults(func=cmd_rotate_data_key)

    user = sub.add_parser("create-user", help="create a user; the password is read from standard input")
    user.add_argument("username")
    user.add_argument("--role", action="append", required=True, choices=[r.value for r in Role])
    user.add_argument("--display-name", required=True)
    user.add_argument("--organization", metavar="ID_OR_NAME")
    user.add_argument("--password-stdin", action="store_true", help="read the password as one line from stdin")
    user.set_defaults(func=cmd_create_user)

    org = sub.add_parser("create-organization", help="create an organization")
    org.add_argument("name")
    org.add_argument("--kind", required=True, choices=[k.value for k in OrganizationKind])
    org.add_argument("--region")
    org.set_defaults(func=cmd_create_organization)

    key = sub.add_parser("create-api-key", help="create an LMS integration key (printed once)")
    key.add_argument("name")
    key.add_argument("--organization", required=True, metavar="ID_OR_NAME")
    key.add_argument("--expires-in-days", type=int, metavar="DAYS", help="the key stops working after this")
    key.set_defaults(func=cmd_create_api_key)

    keys = sub.add_parser("api-keys", help="list or revoke API keys (secrets are never shown again)")
    keys_sub = keys.add_subparsers(dest="action", required=True, metavar="ACTION")
    keys_list = keys_sub.add_parser(
        "list", help="every key: id, name, organization, created, expires, last used, revoked"
    )
    keys_list.add_argument("--organization", metavar="ID_OR_NAME", help="only this organization's keys")
    keys_revoke = keys_sub.add_parser("revoke", help="revoke a key (numeric or global id); its next request gets 401")
    keys_revoke.add_argument("id")
    keys.set_defaults(func=cmd_api_keys)

    users = sub.add_parser("users", help="deactivate or reactivate an account, or reset its second factor")
    users_sub = users.add_subparsers(dest="action", required=True, metavar="ACTION")
    users_sub.add_parser("deactivate", help="the account cannot sign in; its sessions end").add_argument("username")
    users_sub.add_parser("reactivate", help="the account may sign in again").add_argument("username")
    users_sub.add_parser(
        "reset-second-factor", help="remove the account's second factor (a lost phone); it enrols anew at sign-in"
    ).add_argument("username")
    users.set_defaults(func=cmd_users)

    sub.add_parser("seed-demo", help="load the demo content (idempotent)").set_defaults(func=cmd_seed_demo)

    questions = sub.add_parser("export-questions", help="write a question bank as GIFT or Moodle XML")
    questions.add_argument("bank", metavar="BANK", help="bank id or exact name")
    questions.add_argument("--format", required=True, choices=["gift", "moodle-xml"])
    questions.add_argument("--output", "-o", help="file to write (default: standard output)")
    questions.set_defaults(func=cmd_export_questions)
    audit = sub.add_parser("audit", help="print the consultation audit log (admin reads and every change)")
    audit.add_argument("--consultation", metavar="ID", help="only this consultation (global or numeric ID)")
    audit.add_argument("--limit", type=int, default=100, help="newest N records (default 100), printed oldest first")
    audit.add_argument(
        "--verify", action="store_true", help="check the hash chain of every record; name the first that does not fit"
    )
    audit.set_defaults(func=cmd_audit)

    purge = sub.add_parser(
        "purge", help="remove what is past its retention (docs/privacy.md); the scheduler does the same"
    )
    purge.add_argument("--dry-run", action="store_true", help="list what would go (counts and ids), remove nothing")
    purge.set_defaults(func=cmd_purge)
    export = sub.add_parser("export-schema", help="write the GraphQL SDL")
    export.add_argument("path", nargs="?", help="file to write (default: standard output)")
    export.set_defaults(func=cmd_export_schema, no_settings=True)

    install = sub.add_parser(
        "install-assets", help="download GraphiQL's pinned npm tarballs, verify their sha512, unpack them"
    )
    install.add_argument("--target", help="vendor folder (default: BEACON_VENDOR_DIR or vendor/ beside the code)")
    install.set_defaults(func=cmd_install_assets, no_settings=True)

    check = sub.add_parser("check-contract", help="list breaking changes against ../shared/contract/schema.graphql")
    check.add_argument("--contract", help="path of the contract SDL")
    check.set_defaults(func=cmd_check_contract, no_settings=True)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        settings = None if getattr(args, "no_settings", False) else load_settings()
        if settings is not None:
            from resolvers import vault

            vault.configure(settings.data_keys)
        return int(args.func(args, settings))
    except (CommandError, ConfigError) as error:
        print(f"beacon: {error}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
