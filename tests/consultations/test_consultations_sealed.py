"""Encryption at rest: what a client and an expert write is nowhere in plain form in the database, a dump of
it or the media folder; the data key rotates without re-encryption; a wrong key refuses to start."""

from __future__ import annotations

import base64
import importlib
import os
import subprocess
import sys
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace

import pytest
from tortoise import connections

from media.generate import courseware_pdf
from models.consultations import ConsultationMessage, DataKeyCheck, HelpPlanRevision, Visit
from models.content import MediaAsset
from resolvers import vault
from resolvers.consultations import sealed
from resolvers.content import media as content_media
from settings import Settings
from tests.consultations import factories as f
from tests.content.factories import attachment_ok
from tests.helpers import TEST_DATA_KEY, GraphQLClient

ROOT = Path(__file__).resolve().parents[2]
NEW_KEY = base64.urlsafe_b64encode(b"n" * 32).decode()
OTHER_KEY = base64.urlsafe_b64encode(b"o" * 32).decode()

OPEN = """
mutation($input: OpenConsultationInput!) {
  openConsultation(input: $input) { consultation { id } errors { field code } }
}"""
PLAN = """
mutation($input: HelpPlanInput!) { saveHelpPlan(input: $input) { errors { field code } } }"""
VISIT = "mutation($input: VisitInput!) { requestVisit(input: $input) { visit { id } errors { code field } } }"
SCHEDULE = """
mutation($id: ID!, $at: DateTime!, $where: String!) {
  scheduleVisit(visitId: $id, scheduledAt: $at, location: $where) { errors { code } }
}"""
READ = """
query($id: ID!) { consultation(id: $id) {
  messages(first: 10) { edges { node { body attachments { url } } } }
  lastMessage { body }
  helpPlan { goals measures { description done } }
  helpPlanHistory { goals }
  visits { location note }
} }"""

# ASCII tokens inside the Chinese text: whatever the encoding of a dump, a plain copy would show them.
MESSAGE = "我又想用了，怎么办？ SECRET-MSG-4b1d"
GOALS = "三个月内不复吸 SECRET-GOALS-9c2e"
MEASURE = "每周两次尿检 SECRET-MEASURE-71fa"
PLACE = "清河街道工作站二楼 SECRET-PLACE-5d30"
NOTE = "带上身份证 SECRET-NOTE-e8a4"
SECRETS = (MESSAGE, GOALS, MEASURE, PLACE, NOTE)


@dataclass
class Written:
    consultation_id: str
    client: f.Person
    expert: f.ExpertPerson
    attachment: bytes
    attachment_url: str


async def _write_everything(gql: GraphQLClient) -> Written:
    """Through the API: a message with an attachment, a help plan, a scheduled visit."""
    chosen = await f.expert("sealexpert")
    me = await f.client("sealclient")
    pdf = courseware_pdf("病历 sealed attachment", ["只给我的专家看"])
    asset = await attachment_ok(gql, me.token, pdf, "record.pdf")
    opened = (
        await gql.ok(
            OPEN,
            {"input": {"expertId": chosen.gid, "subject": "求助", "message": MESSAGE, "attachmentIds": [asset["id"]]}},
            token=me.token,
        )
    )["openConsultation"]
    assert opened["errors"] == [], opened
    cid = opened["consultation"]["id"]
    plan = {"consultationId": cid, "goals": GOALS, "measures": [{"description": MEASURE, "done": False}]}
    assert (await gql.ok(PLAN, {"input": plan}, token=chosen.token))["saveHelpPlan"]["errors"] == []
    visit = {"consultationId": cid, "location": "待定", "note": NOTE}
    asked = (await gql.ok(VISIT, {"input": visit}, token=me.token))["requestVisit"]
    assert asked["errors"] == [], asked
    at = "2030-01-05T10:00:00+00:00"
    scheduled = await gql.ok(SCHEDULE, {"id": asked["visit"]["id"], "at": at, "where": PLACE}, token=chosen.token)
    assert scheduled["scheduleVisit"]["errors"] == []
    return Written(cid, me, chosen, pdf, asset["url"])


async def _read_everything(gql: GraphQLClient, written: Written) -> None:
    """Both parties read every sealed field and the file back as written."""
    for token in (written.client.token, written.expert.token):
        seen = (await gql.ok(READ, {"id": written.consultation_id}, token=token))["consultation"]
        message = seen["messages"]["edges"][0]["node"]
        assert message["body"] == MESSAGE and seen["lastMessage"]["body"] == MESSAGE
        assert seen["helpPlan"] == {"goals": GOALS, "measures": [{"description": MEASURE, "done": False}]}
        assert seen["helpPlanHistory"] == [{"goals": GOALS}]
        assert seen["visits"] == [{"location": PLACE, "note": NOTE}]
        assert message["attachments"] == [{"url": written.attachment_url}]
        fetched = await gql.http.get(written.attachment_url, headers={"Authorization": f"Bearer {token}"})
        assert fetched.status_code == 200 and fetched.content == written.attachment
        assert fetched.headers["cache-control"] == "private, no-store"
        ranged = await gql.http.get(
            written.attachment_url, headers={"Authorization": f"Bearer {token}", "Range": "bytes=10-19"}
        )
        assert ranged.status_code == 206 and ranged.content == written.attachment[10:20]


def _windows(data: bytes, size: int = 48, count: int = 12) -> list[bytes]:
    """Slices spread over a file: a plain copy anywhere would contain every one of them."""
    step = (len(data) - size) // count
    return [data[i * step : i * step + size] for i in range(count)]


def _found_in(blob: bytes, attachment: bytes) -> list[str]:
    found = [s for s in SECRETS if s.split()[-1].encode() in blob]
    if any(w in blob for w in _windows(attachment)):
        found.append("the attachment")
    return found


def _database_bytes(backend: str, url: str) -> bytes:
    if backend == "sqlite":
        path = Path(url.removeprefix("sqlite://"))
        # The database file with its write-ahead log (recent pages may be only in the log), read by another
        # process: closing a descriptor of the file in this one would drop this process's SQLite locks.
        files = sorted(str(p) for p in path.parent.glob(path.name + "*"))
        return subprocess.run(["cat", *files], capture_output=True, check=True, timeout=60).stdout
    dump = subprocess.run(
        ["pg_dump", "--no-owner", url.replace("postgres://", "postgresql://", 1)],
        capture_output=True,
        check=True,
        timeout=120,
    )
    return dump.stdout


async def test_nothing_written_is_stored_in_plain_form(gql: GraphQLClient, settings: Settings, backend: str) -> None:
    written = await _write_everything(gql)
    await _read_everything(gql, written)
    in_database = _database_bytes(backend, settings.database_url)
    assert _found_in(in_database, written.attachment) == []
    assert in_database.count(b"bk1.") >= 5  # the sealed values are what is there
    files = [p for p in settings.media_dir.rglob("*") if p.is_file()]
    assert files, "the attachment is stored somewhere"
    for path in files:
        assert _found_in(path.read_bytes(), written.attachment) == [], path
    # The scan finds a plain copy when there is one.
    assert _found_in(b"..." + written.attachment + MESSAGE.encode(), written.attachment) == [MESSAGE, "the attachment"]


async def test_rotation_rewraps_every_data_key_and_everything_still_reads(
    gql: GraphQLClient, settings: Settings
) -> None:
    written = await _write_everything(gql)
    await sealed.check_database()  # the test key is registered, as a started server registers it
    before = await _sealed_values()
    file_key, file_name = await MediaAsset.first().values_list("sealed_key", "sealed_name")
    stored_file = settings.media_dir / "sealed" / file_name[:2] / file_name
    file_bytes = stored_file.read_bytes()
    rotated = _beacon("rotate-data-key", settings, key=f"{NEW_KEY},{TEST_DATA_KEY}")
    assert rotated.returncode == 0, rotated.stderr
    old_kid, new_kid = vault.key_id(base64.urlsafe_b64decode(TEST_DATA_KEY)), vault.key_id(b"n" * 32)
    assert f"Retired key(s): {old_kid}" in rotated.stdout
    assert "consultation_message.body: 1 data key(s) re-wrapped" in rotated.stdout
    after = await _sealed_values()
    assert before.keys() == after.keys() and len(after) == 5
    for name, value in after.items():
        # The same ciphertext, its data key now wrapped under the new KEK only.
        assert value.rsplit(".", 1)[-1] == before[name].rsplit(".", 1)[-1], name
        assert value.split(".")[1] == new_kid and before[name].split(".")[1] == old_kid, name
    # The file is untouched; only its wrapped key changed.
    assert stored_file.read_bytes() == file_bytes
    assert file_key.startswith(old_kid + ".")
    assert (await MediaAsset.first().values_list("sealed_key", flat=True)).startswith(new_kid + ".")
    assert await DataKeyCheck.all().values_list("kid", flat=True) == [new_kid]
    try:
        vault.configure([NEW_KEY])  # the old key is gone from this process
        await sealed.check_database()
        await _read_everything(gql, written)
        again = _beacon("rotate-data-key", settings, key=NEW_KEY)
        assert again.returncode == 0 and "no other key was registered" in again.stdout, again.stderr
        # A process that still has only the old key refuses to start.
        stale = _beacon("serve", settings, key=TEST_DATA_KEY)
        assert stale.returncode == 1 and f"data key {new_kid}" in stale.stderr, stale.stderr
    finally:
        vault.configure([TEST_DATA_KEY])


async def _sealed_values() -> dict[str, str]:
    message = await ConsultationMessage.first().values_list("body", flat=True)
    plan = await HelpPlanRevision.first().values("goals", "measures")
    visit = await Visit.first().values("location", "note")
    return {
        "body": str(message),
        "goals": plan["goals"],
        "measures": plan["measures"]["sealed"],
        "location": visit["location"],
        "note": visit["note"],
    }


def _beacon(command: str, settings: Settings, *, key: str) -> subprocess.CompletedProcess[str]:
    environ = {
        **os.environ,
        "BEACON_DATABASE_URL": settings.database_url,
        "BEACON_DATA_DIR": str(settings.data_dir),
        "BEACON_DATA_KEY": key,
    }
    args = [command, "--port", "1"] if command == "serve" else [command]
    return subprocess.run(
        [sys.executable, "-m", "cli", *args], capture_output=True, text=True, cwd=ROOT, env=environ, timeout=300
    )


async def test_a_wrong_or_missing_key_refuses_to_start(gql: GraphQLClient, settings: Settings) -> None:
    await _write_everything(gql)
    await sealed.check_database()
    wrong = _beacon("serve", settings, key=OTHER_KEY)
    assert wrong.returncode == 1
    kid = vault.key_id(base64.urlsafe_b64decode(TEST_DATA_KEY))
    assert f"sealed under data key {kid}, which BEACON_DATA_KEY does not hold" in wrong.stderr
    malformed = _beacon("serve", settings, key="not-a-key")
    assert malformed.returncode == 1 and "must be 32 random bytes in base64" in malformed.stderr
    environ = {**os.environ, "BEACON_ENV": "production", "BEACON_SECRET_KEY": "x" * 40}
    environ.pop("BEACON_DATA_KEY")
    missing = subprocess.run(
        [sys.executable, "-m", "cli", "serve"], capture_output=True, text=True, cwd=ROOT, env=environ, timeout=300
    )
    assert missing.returncode == 1 and "BEACON_DATA_KEY is not set" in missing.stderr
    # In process: the server's start-up check (server.create_app's lifespan runs it) refuses the same way.
    try:
        vault.configure([OTHER_KEY])
        with pytest.raises(vault.DataKeyError, match="does not hold"):
            await sealed.check_database()
    finally:
        vault.configure([TEST_DATA_KEY])


async def test_the_migration_seals_rows_written_before_sealing(gql: GraphQLClient) -> None:
    written = await _write_everything(gql)
    # As stored before this version: plain text in every sealed column.
    await ConsultationMessage.all().update(body=MESSAGE)
    await HelpPlanRevision.all().update(goals=GOALS, measures=[{"description": MEASURE, "due_at": None, "done": False}])
    await Visit.all().update(location=PLACE, note=NOTE)
    migration = importlib.import_module("migrations.consultations.0004_sealed_data")
    editor = SimpleNamespace(client=connections.get("default"))
    await migration.seal_existing(None, editor)
    await migration.seal_existing(None, editor)  # twice: values sealed already are left alone
    assert all(vault.is_sealed(v) for v in (await _sealed_values()).values())
    await _read_everything(gql, written)


async def test_a_private_file_stored_plain_is_sealed_and_its_plain_copy_removed(
    gql: GraphQLClient, settings: Settings
) -> None:
    me = await f.client("legacyclient")
    storage = content_media.storage_for(settings.media_dir)
    pdf = courseware_pdf("legacy attachment", ["stored before sealing"])

    async def chunks() -> AsyncIterator[bytes]:
        yield pdf

    stored = await storage.save_stream(chunks(), max_bytes=len(pdf))
    asset = await MediaAsset.create(
        kind=stored.kind,
        mime_type=stored.mime_type,
        extension=stored.extension,
        byte_size=stored.byte_size,
        sha256=stored.sha256,
        is_private=True,
        uploaded_by_id=me.user_id,
    )
    url = content_media.url(asset)
    auth = {"Authorization": f"Bearer {me.token}"}
    assert (await gql.http.get(url, headers=auth)).content == pdf
    assert await content_media.seal_private_files(storage) == 1
    assert await content_media.seal_private_files(storage) == 0
    assert not storage.exists(stored.sha256, stored.extension)
    for path in (p for p in settings.media_dir.rglob("*") if p.is_file()):
        assert _found_in(path.read_bytes(), pdf) == [], path
    fetched = await gql.http.get(url, headers=auth)
    assert fetched.status_code == 200 and fetched.content == pdf
    # The variant route of a sealed file answers with the original: nothing decrypted is written to disk.
    variant = await gql.http.get(f"/media/{stored.sha256}/w320{stored.extension}", headers=auth)
    assert variant.status_code == 200 and variant.content == pdf
