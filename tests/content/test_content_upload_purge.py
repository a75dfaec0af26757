"""Private uploads that no message took are purged after a day by the scheduler (issue 11.8)."""

from __future__ import annotations

import asyncio
import os
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import scheduler
from models.content import MediaAsset
from resolvers.consultations.attachments import purge_unattached
from resolvers.content.media import storage_for
from schema.relay import parse_global_id
from tests.consultations.factories import client, expert, gid, thread
from tests.content.factories import attachment_ok
from tests.helpers import GraphQLClient
from tests.media.media_samples import wav_header

SEND_WITH = """
mutation($c: ID!, $a: [ID!]) {
  sendMessage(input: {consultationId: $c, body: "见附件", attachmentIds: $a}) { errors { field code } }
}"""
DAY = timedelta(days=1)


def wav(tag: int) -> bytes:
    return wav_header(1000) + bytes([tag]) * 1000


async def age(asset: dict[str, str], media_dir: Path, hours: float) -> None:
    """Make an upload (its row and its file) look `hours` old."""
    parsed = parse_global_id(asset["id"])
    assert parsed is not None
    row = await MediaAsset.get(id=parsed[1])
    when = datetime.now(UTC) - timedelta(hours=hours)
    await MediaAsset.filter(id=row.id).update(created_at=when)
    path = media_dir / row.sha256[:2] / row.sha256[2:4] / f"{row.sha256}{row.extension}"
    os.utime(path, (when.timestamp(), when.timestamp()))


async def test_the_scheduler_purges_unattached_private_uploads_after_a_day(gql: GraphQLClient, data_dir: Path) -> None:
    media_dir = data_dir / "media"
    person = await client("client")
    chosen = await expert("expert")
    consultation = await thread(person, chosen)
    attached = await attachment_ok(gql, person.token, wav(1), "sent.wav")
    forgotten = await attachment_ok(gql, person.token, wav(2), "forgotten.wav")
    fresh = await attachment_ok(gql, person.token, wav(3), "fresh.wav")
    shared_old = await attachment_ok(gql, person.token, wav(4), "shared.wav")
    sent = await gql.ok(
        SEND_WITH, {"c": gid("Consultation", consultation.id), "a": [attached["id"]]}, token=person.token
    )
    assert sent["sendMessage"]["errors"] == []
    shared_new = await attachment_ok(gql, person.token, wav(4), "shared-again.wav")  # same bytes, one file
    for old in (attached, forgotten, shared_old):
        await age(old, media_dir, hours=25)
    # Same bytes uploaded again a moment ago: the file is wanted again, whatever its row's age.
    os.utime(media_dir / shared_new["sha256"][:2] / shared_new["sha256"][2:4] / f"{shared_new['sha256']}.wav")

    purge = scheduler.UploadPurge(media_dir, older_than=DAY, every=0.05)
    async with scheduler.running(interval=0.05, purge=purge):
        deadline = time.monotonic() + 30
        sha = forgotten["sha256"]
        forgotten_file = media_dir / sha[:2] / sha[2:4] / f"{sha}.wav"
        # Rows go first, then the files no row uses: wait for both (a busy machine can part them).
        while await MediaAsset.filter(sha256=sha).exists() or forgotten_file.exists():
            assert time.monotonic() < deadline, "the purge did not run"
            await asyncio.sleep(0.05)

    remaining = set(await MediaAsset.all().values_list("sha256", flat=True))
    assert remaining == {attached["sha256"], fresh["sha256"], shared_new["sha256"]}
    assert await MediaAsset.all().count() == 3  # shared_old's row went; shared_new's stayed
    files = {p.stem for p in media_dir.rglob("*.wav")}
    assert files == {attached["sha256"], fresh["sha256"], shared_new["sha256"]}
    assert (
        await gql.http.get(forgotten["url"], headers={"Authorization": f"Bearer {person.token}"})
    ).status_code == 404


async def test_a_purge_keeps_what_it_cannot_prove_unused(gql: GraphQLClient, data_dir: Path) -> None:
    media_dir = data_dir / "media"
    person = await client("client")
    stale = await attachment_ok(gql, person.token, wav(5), "stale.wav")
    await age(stale, media_dir, hours=25)
    # Stored again within the hour (an identical upload about to record its row): the file stays.
    path = media_dir / stale["sha256"][:2] / stale["sha256"][2:4] / f"{stale['sha256']}.wav"
    os.utime(path)

    removed = await purge_unattached(storage_for(media_dir), older_than=DAY)

    assert removed == 1 and not await MediaAsset.exists(sha256=stale["sha256"])
    assert path.exists()
    assert await purge_unattached(storage_for(media_dir), older_than=DAY) == 0
