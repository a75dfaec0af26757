"""`beacon purge` removes exactly what the retention settings say, shown with a dry run first (issue 14)."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from tortoise import connections
from tortoise.exceptions import OperationalError

from models.accounts import ApiKey, AuthToken, Organization, ThrottleEvent, User
from models.base import OrganizationKind
from models.consultations import (
    Consultation,
    ConsultationAudit,
    ConsultationMessage,
    HelpPlanRevision,
    MessageAttachment,
    Visit,
)
from models.content import MediaAsset
from resolvers import accounts, retention
from resolvers.consultations import care, threads
from resolvers.content.media import storage_for
from resolvers.events import InProcessEventBus
from schema.relay import parse_global_id
from settings import ConfigError, load_settings
from tests.consultations.factories import Person, client, expert, gid, thread
from tests.content.factories import attachment_ok
from tests.helpers import GraphQLClient
from tests.media.media_samples import wav_header
from tests.test_cli import beacon

NOW = datetime.now(UTC)
MODELS = (
    Consultation,
    ConsultationMessage,
    MessageAttachment,
    HelpPlanRevision,
    Visit,
    MediaAsset,
    AuthToken,
    ApiKey,
    ThrottleEvent,
    User,
)
RETAIN = {
    "BEACON_RETAIN_CLOSED_CONSULTATION_DAYS": "365",
    "BEACON_RETAIN_CLOSED_ATTACHMENT_DAYS": "7",
    "BEACON_RETAIN_EXPIRED_TOKEN_DAYS": "30",
    "BEACON_RETAIN_EXPIRED_API_KEY_DAYS": "90",
    "BEACON_RETAIN_THROTTLE_HOURS": "48",
    "BEACON_RETAIN_UNATTACHED_UPLOAD_HOURS": "24",
}


def wav(tag: int) -> bytes:
    return wav_header(1000) + bytes([tag]) * 1000


async def _user(person: Person) -> User:
    return await User.get(id=person.user_id)


async def _upload(gql: GraphQLClient, person: Person, tag: int) -> int:
    asset = await attachment_ok(gql, person.token, wav(tag), f"file-{tag}.wav")
    parsed = parse_global_id(asset["id"])
    assert parsed is not None
    return parsed[1]


async def _thread_with_everything(
    gql: GraphQLClient, who: Person, tag: int, *, closed_days: float | None
) -> tuple[int, int]:
    """A thread with a message carrying an attachment, an expert's reply, a help plan and a visit; closed
    `closed_days` ago (None: left open). Its id and the attachment's media id."""
    chosen = await expert(f"expert{tag}")
    consultation = await thread(who, chosen, subject=f"subject {tag}")
    media_id = await _upload(gql, who, tag)
    bus = InProcessEventBus()
    client_actor = accounts.actor_for(await _user(who))
    expert_actor = accounts.actor_for(await User.get(id=chosen.user_id))
    await threads.send_message(
        client_actor, bus, consultation_id=consultation.id, body="see the file", client_message_id=None,
        attachment_ids=[media_id],
    )  # fmt: skip
    await threads.send_message(
        expert_actor, bus, consultation_id=consultation.id, body="thanks", client_message_id=None
    )
    await care.save_help_plan(
        expert_actor, bus, consultation_id=consultation.id, goals="sleep", measures=[], follow_up_at=None
    )
    await care.request_visit(
        client_actor, bus, consultation_id=consultation.id, scheduled_at=None, location="home", note=None
    )
    if closed_days is not None:
        await threads.close(client_actor, bus, consultation.id)
        await Consultation.filter(id=consultation.id).update(updated_at=NOW - timedelta(days=closed_days))
    return consultation.id, media_id


async def _rows() -> dict[str, set[int]]:
    return {m.__name__: {int(i) for i in await m.all().values_list("id", flat=True)} for m in MODELS}


def _files(media_dir: Path) -> set[str]:
    return {p.name for p in media_dir.rglob("*") if p.is_file()}


def _listing(output: str) -> dict[str, set[int]]:
    """The kinds and ids `beacon purge` printed (`kind: count (ids 1-3,7)`)."""
    found: dict[str, set[int]] = {}
    for kind, count, ids in re.findall(r"^  (\w+): (\d+)(?: \(ids ([\d,-]+)\))?$", output, re.MULTILINE):
        members: set[int] = set()
        for run in filter(None, ids.split(",")):
            first, _, last = run.partition("-")
            members.update(range(int(first), int(last or first) + 1))
        assert len(members) == int(count), output
        found[kind] = members
    assert set(found) == set(retention.KINDS), output
    return found


async def test_purge_removes_exactly_what_the_retention_settings_say_shown_by_a_dry_run_first(
    gql: GraphQLClient, db: str, data_dir: Path
) -> None:
    media_dir = data_dir / "media"
    a, b, c = await client("alice"), await client("bob"), await client("carol")
    old_closed, old_file = await _thread_with_everything(gql, a, 1, closed_days=400)
    recent_closed, recent_file = await _thread_with_everything(gql, b, 2, closed_days=10)
    still_open, open_file = await _thread_with_everything(gql, c, 3, closed_days=None)
    await Consultation.filter(id=still_open).update(updated_at=NOW - timedelta(days=800))  # old but open: kept
    forgotten, fresh = await _upload(gql, a, 4), await _upload(gql, b, 5)
    await MediaAsset.filter(id=forgotten).update(created_at=NOW - timedelta(hours=25))
    for person in (a, a, b):
        await accounts._open_session(await _user(person))
    old_tokens = list(await AuthToken.filter(user_id=a.user_id).order_by("-id").limit(2).values_list("id", flat=True))
    kept_token = await AuthToken.filter(user_id=b.user_id).order_by("-id").first().values_list("id", flat=True)
    # A session ends when its refresh token does too (docs/accounts.md); an old access token alone is no end.
    await AuthToken.filter(id=old_tokens[0]).update(
        expires_at=NOW - timedelta(days=40), refresh_expires_at=NOW - timedelta(days=40)
    )
    renewable = await accounts._open_session(await _user(b))
    await AuthToken.filter(token_hash=accounts.secret_digest(renewable.token)).update(
        expires_at=NOW - timedelta(days=40)
    )
    await AuthToken.filter(id=old_tokens[1]).update(revoked_at=NOW - timedelta(days=31))
    await AuthToken.filter(id=kept_token).update(expires_at=NOW - timedelta(days=5))
    org = await Organization.create(name="School", kind=OrganizationKind.SCHOOL)
    old_key = await ApiKey.create(name="old", key_hash="a" * 64, organization=org, revoked_at=NOW - timedelta(days=91))
    await ApiKey.create(name="recent", key_hash="b" * 64, organization=org, revoked_at=NOW - timedelta(days=10))
    await ApiKey.create(name="live", key_hash="c" * 64, organization=org)
    old_event = await ThrottleEvent.create(bucket="login:x", created_at=NOW - timedelta(hours=49))
    await ThrottleEvent.create(bucket="login:x", created_at=NOW - timedelta(hours=47))

    old_messages = set(await ConsultationMessage.filter(consultation_id=old_closed).values_list("id", flat=True))
    old_plans = set(await HelpPlanRevision.filter(consultation_id=old_closed).values_list("id", flat=True))
    old_visits = set(await Visit.filter(consultation_id=old_closed).values_list("id", flat=True))
    old_links = set(await MessageAttachment.filter(media_id__in=[old_file, recent_file]).values_list("id", flat=True))
    sealed = dict(await MediaAsset.all().values_list("id", "sealed_name"))
    expected = {
        retention.ERASED_ACCOUNTS: set(),  # tests/privacy/test_privacy_erasure.py
        retention.DATA_EXPORTS: set(),  # tests/privacy/test_privacy_export.py
        retention.CLOSED_CONSULTATIONS: {old_closed},
        retention.CLOSED_ATTACHMENTS: {recent_file},
        retention.UNATTACHED_UPLOADS: {forgotten},
        retention.EXPIRED_TOKENS: set(old_tokens),
        retention.EXPIRED_API_KEYS: {old_key.id},
        retention.EXPIRED_PREVIEW_TOKENS: set(),  # tests/content/test_content_previews.py
        retention.THROTTLE_EVENTS: {old_event.id},
    }

    before, files_before = await _rows(), _files(media_dir)
    dry = beacon("purge", "--dry-run", db=db, data_dir=data_dir, env=RETAIN)
    assert dry.returncode == 0, dry.stderr
    assert _listing(dry.stdout) == expected
    assert await _rows() == before and _files(media_dir) == files_before  # a dry run removes nothing

    done = beacon("purge", db=db, data_dir=data_dir, env=RETAIN)
    assert done.returncode == 0, done.stderr
    assert _listing(done.stdout) == expected

    gone = {
        "ConsultationMessage": old_messages,
        "MessageAttachment": old_links,
        "HelpPlanRevision": old_plans,
        "Visit": old_visits,
        "MediaAsset": {old_file, recent_file, forgotten},
        "AuthToken": set(old_tokens),
        "ApiKey": {old_key.id},
        "ThrottleEvent": {old_event.id},
    }
    after = await _rows()
    assert after == {name: ids - gone.get(name, set()) for name, ids in before.items()}
    # Exactly the removed assets' sealed files went; nothing else under the media folder changed.
    assert _files(media_dir) == files_before - {sealed[i] for i in (old_file, recent_file, forgotten)}
    assert open_file in after["MediaAsset"] and fresh in after["MediaAsset"]

    # The purged thread's row stays for the audit log, blank and stamped; nobody lists or opens it.
    purged = await Consultation.get(id=old_closed)
    assert purged.purged_at is not None and purged.subject == "" and purged.client_display_name == ""
    assert (await Consultation.get(id=recent_closed)).purged_at is None
    mine = await gql.ok("{ viewer { consultations { edges { node { id } } } } }", token=a.token)
    assert mine["viewer"]["consultations"]["edges"] == []  # alice's one thread was purged
    read = await gql.ok(
        "query($id: ID!) { node(id: $id) { id } }", {"id": gid("Consultation", old_closed)}, token=a.token
    )
    assert read["node"] is None
    # The purge is in the audit log, under the system's name, and the chain still verifies.
    record = await ConsultationAudit.filter(consultation_id=old_closed).order_by("-id").first()
    assert record is not None and (record.action, record.actor_name, record.actor_user_id) == (
        "PURGED",
        "system:retention",
        None,
    )
    verified = beacon("audit", "--verify", db=db, data_dir=data_dir)
    assert verified.returncode == 0, verified.stderr

    again = beacon("purge", "--dry-run", db=db, data_dir=data_dir, env=RETAIN)
    assert _listing(again.stdout) == {kind: set() for kind in retention.KINDS}


async def test_a_thread_reopened_after_the_plan_is_kept(gql: GraphQLClient, data_dir: Path) -> None:
    person = await client("dora")
    consultation, media_id = await _thread_with_everything(gql, person, 6, closed_days=400)
    made = await retention.plan(retention.Policy())
    assert made.ids[retention.CLOSED_CONSULTATIONS] == [consultation]
    # The client writes again before the purge runs: the thread is open, its contents stay.
    await ThrottleEvent.all().delete()  # (the message interval, not what is tested here)
    await threads.send_message(
        accounts.actor_for(await _user(person)), InProcessEventBus(), consultation_id=consultation,
        body="I am back", client_message_id="back",
    )  # fmt: skip
    done = await retention.execute(made, storage_for(data_dir / "media"))
    assert done[retention.CLOSED_CONSULTATIONS] == [] and done[retention.CLOSED_ATTACHMENTS] == []
    assert await MediaAsset.exists(id=media_id)
    assert (await Consultation.get(id=consultation)).purged_at is None


def test_retention_settings_are_validated(tmp_path: Path) -> None:
    base = {"BEACON_DATA_DIR": str(tmp_path), "BEACON_SECRET_KEY": "k" * 40}
    defaults = load_settings(base)
    assert (defaults.closed_consultation_days, defaults.closed_attachment_days) == (365, 365)
    assert (defaults.expired_token_days, defaults.expired_api_key_days) == (30, 365)
    assert (defaults.unattached_upload_hours, defaults.throttle_retention_hours) == (24, 48)
    # The names used before the retention settings were gathered still work; the new ones win.
    assert load_settings({**base, "BEACON_UNATTACHED_UPLOAD_HOURS": "6"}).unattached_upload_hours == 6
    assert load_settings({**base, "BEACON_RETAIN_THROTTLE_HOURS": "30"}).throttle_retention_hours == 30
    with pytest.raises(ConfigError, match="BEACON_RETAIN_THROTTLE_HOURS must be at least 24"):
        load_settings({**base, "BEACON_RETAIN_THROTTLE_HOURS": "3"})
    with pytest.raises(ConfigError, match="must not exceed"):
        load_settings(
            {**base, "BEACON_RETAIN_CLOSED_CONSULTATION_DAYS": "30", "BEACON_RETAIN_CLOSED_ATTACHMENT_DAYS": "60"}
        )
    with pytest.raises(ConfigError, match="positive"):
        load_settings({**base, "BEACON_RETAIN_EXPIRED_TOKEN_DAYS": "0"})


async def test_the_audit_log_refuses_truncate_on_postgresql(db: str, backend: str) -> None:
    if backend != "postgres":
        pytest.skip(
            "SQLite has no TRUNCATE; its DELETE is refused by the row triggers (test_consultations_audit_chain)"
        )
    person = await client("erin")
    consultation = await thread(person, await expert("frank"))
    conn = connections.get("default")
    with pytest.raises(OperationalError, match="append-only"):
        await conn.execute_script("TRUNCATE consultation_audit")
    with pytest.raises(OperationalError, match="append-only"):
        await conn.execute_script("TRUNCATE consultation, consultation_audit CASCADE")
    assert await ConsultationAudit.filter(consultation_id=consultation.id).exists()
