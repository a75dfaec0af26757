"""exportMyData (issue 14): a client exports their data and gets every message and attachment they exchanged."""

from __future__ import annotations

import io
import json
import zipfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

from models.accounts import DataExport, ExportStatus, ThrottleEvent
from models.base import Role
from models.consultations import ConsultationAudit
from resolvers import accounts, exports, retention
from resolvers.consultations import audit, consent
from resolvers.content.media import storage_for
from schema.relay import to_global_id
from tests.accounts.factories import token_for
from tests.consultations import factories as f
from tests.content.factories import attachment_ok
from tests.helpers import GraphQLClient
from tests.media.media_samples import wav_header

EXPORT = """
mutation($input: ExportMyDataInput) {
  exportMyData(input: $input) { export { id status expiresAt } downloadUrl errors { field code } }
}"""
MINE = "{ myDataExports { status readyAt downloadedAt } }"
OPEN = """
mutation($input: OpenConsultationInput!) { openConsultation(input: $input) { consultation { id } errors { code } } }"""
SEND = "mutation($input: SendMessageInput!) { sendMessage(input: $input) { errors { code } } }"
PLAN = "mutation($input: HelpPlanInput!) { saveHelpPlan(input: $input) { errors { field code } } }"


def sound(tag: bytes) -> bytes:
    return wav_header(1000) + tag * 100


def _path(url: str) -> str:
    return url.removeprefix("http://127.0.0.1:8000")


async def _exchange(gql: GraphQLClient) -> tuple[f.Person, f.ExpertPerson, str, dict[str, bytes]]:
    """A thread where both sides wrote and attached a file; the client's and expert's files by sha256."""
    me = await f.client("exporter", display_name="Exporter")
    chosen = await f.expert("exportexpert")
    await consent.accept(
        accounts.actor_for(await f._user(chosen.user_id)), await consent.current_version() or 0
    )  # the expert attaches a file too
    mine, theirs = sound(b"client-file!"), sound(b"expert-file!")
    a = await attachment_ok(gql, me.token, mine, "mine.wav")
    b = await attachment_ok(gql, chosen.token, theirs, "theirs.wav")
    opened = await gql.ok(
        OPEN,
        {
            "input": {
                "expertId": chosen.gid,
                "subject": "export me",
                "message": "first words",
                "attachmentIds": [a["id"]],
            }
        },
        token=me.token,
    )
    cid = opened["openConsultation"]["consultation"]["id"]
    answer = {"consultationId": cid, "body": "an answer with a file", "attachmentIds": [b["id"]]}
    assert (await gql.ok(SEND, {"input": answer}, token=chosen.token))["sendMessage"]["errors"] == []
    await ThrottleEvent.all().delete()  # the interval between one person's messages is not what is tested
    assert (await gql.ok(SEND, {"input": {"consultationId": cid, "body": "thank you"}}, token=me.token))["sendMessage"][
        "errors"
    ] == []
    plan = {"consultationId": cid, "goals": "sleep well", "measures": [{"description": "walk", "done": False}]}
    assert (await gql.ok(PLAN, {"input": plan}, token=chosen.token))["saveHelpPlan"]["errors"] == []
    return me, chosen, cid, {a["sha256"]: mine, b["sha256"]: theirs}


async def test_a_client_exports_their_data_and_gets_every_message_and_attachment(
    gql: GraphQLClient, data_dir: Path
) -> None:
    me, chosen, _, files = await _exchange(gql)
    asked = (await gql.ok(EXPORT, {}, token=me.token))["exportMyData"]
    assert asked["errors"] == [] and asked["export"]["status"] == "PENDING"
    await exports.settled()  # prepared in the background
    assert (await gql.ok(MINE, token=me.token))["myDataExports"][0]["status"] == "READY"
    # At rest the export is sealed: no message text in the exports folder.
    stored = [p.read_bytes() for p in (data_dir / "exports").iterdir()]
    assert len(stored) == 1 and b"first words" not in stored[0] and b"exporter" not in stored[0]

    response = await gql.http.get(_path(asked["downloadUrl"]))
    assert response.status_code == 200 and response.headers["content-type"] == "application/zip"
    assert response.headers["cache-control"] == "private, no-store"
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    document = json.loads(archive.read("export.json"))
    assert document["format"] == "beacon-export/1"
    assert document["account"]["username"] == "exporter" and document["consents"][0]["noticeText"]
    [thread] = document["consultations"]
    assert thread["role"] == "client" and thread["subject"] == "export me"
    assert [(m["author"]["isMe"], m["body"]) for m in thread["messages"]] == [
        (True, "first words"),
        (False, "an answer with a file"),
        (True, "thank you"),
    ]
    assert thread["helpPlanRevisions"][0]["goals"] == "sleep well"
    listed = [a for m in thread["messages"] for a in m["attachments"]]
    assert {a["sha256"] for a in listed} == set(files)
    for entry in listed:  # every file they exchanged, both ways, as sent
        assert archive.read(entry["file"]) == files[entry["sha256"]]
    # Once: the link is spent and the sealed document is gone.
    assert (await gql.http.get(_path(asked["downloadUrl"]))).status_code == 404
    assert list((data_dir / "exports").iterdir()) == []
    assert (await gql.ok(MINE, token=me.token))["myDataExports"][0]["status"] == "DOWNLOADED"
    # The expert's own export has the same thread, from their side.
    theirs = (await gql.ok(EXPORT, {}, token=chosen.token))["exportMyData"]
    await exports.settled()
    expert_archive = zipfile.ZipFile(io.BytesIO((await gql.http.get(_path(theirs["downloadUrl"]))).content))
    [seen] = json.loads(expert_archive.read("export.json"))["consultations"]
    assert seen["role"] == "expert" and len(seen["messages"]) == 3


async def test_one_export_in_preparation_and_links_that_do_not_work(gql: GraphQLClient, data_dir: Path) -> None:
    me = await f.client("impatient")
    async with exports.gate():  # hold the preparation: the first export stays pending
        first = (await gql.ok(EXPORT, {}, token=me.token))["exportMyData"]
        assert first["errors"] == []
        second = (await gql.ok(EXPORT, {}, token=me.token))["exportMyData"]
        assert second["errors"] == [{"field": None, "code": "CONFLICT"}]
        assert (await gql.http.get(_path(first["downloadUrl"]))).status_code == 404  # not ready yet
    await exports.settled()
    # A newer export supersedes a ready one: the old link stops working.
    newer = (await gql.ok(EXPORT, {}, token=me.token))["exportMyData"]
    await exports.settled()
    assert (await gql.http.get(_path(first["downloadUrl"]))).status_code == 404
    assert (await gql.http.get("/privacy/export?token=made-up")).status_code == 404
    assert (await gql.http.get("/privacy/export")).status_code == 404
    # Past its expiry the link is refused, and the purge removes the export and its sealed file.
    await DataExport.filter(status=ExportStatus.READY).update(expires_at=datetime.now(UTC) - timedelta(minutes=1))
    assert (await gql.http.get(_path(newer["downloadUrl"]))).status_code == 404
    made = await retention.plan(retention.Policy())
    assert len(made.ids[retention.DATA_EXPORTS]) == 2
    await retention.execute(made, storage_for(data_dir / "media"))
    assert not await DataExport.exists() and list((data_dir / "exports").iterdir()) == []
    anonymous = await gql.ok(EXPORT, {})
    assert anonymous["exportMyData"]["errors"][0]["code"] == "UNAUTHENTICATED"


async def test_an_admin_exports_on_someones_behalf_with_a_reason_audited(gql: GraphQLClient) -> None:
    admin = await token_for("root", Role.ADMIN)
    me = await f.client("helped")
    await f.thread(me, await f.expert("helper"))
    uid = to_global_id("User", me.user_id)
    no_reason = (await gql.ok(EXPORT, {"input": {"userId": uid}}, token=admin))["exportMyData"]
    assert no_reason["errors"] == [{"field": "input.reason", "code": "INVALID"}]
    other = await f.client("nosy")
    refused = (await gql.ok(EXPORT, {"input": {"userId": uid, "reason": "x"}}, token=other.token))["exportMyData"]
    assert refused["errors"][0]["code"] == "FORBIDDEN"
    done = (await gql.ok(EXPORT, {"input": {"userId": uid, "reason": "court order 7"}}, token=admin))["exportMyData"]
    assert done["errors"] == []
    record = await ConsultationAudit.filter(action=audit.EXPORT_REQUESTED).get()
    assert record.reason == "court order 7" and record.actor_roles == ["ADMIN"]
    await exports.settled()
    document = json.loads(
        zipfile.ZipFile(io.BytesIO((await gql.http.get(_path(done["downloadUrl"]))).content)).read("export.json")
    )
    assert document["account"]["username"] == "helped"
