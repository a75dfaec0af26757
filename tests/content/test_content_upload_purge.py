"""Private uploads that no message took are purged after a day by the scheduler (issue 11.8)."""

from __future__ import annotations

import asyncio
import os
import time
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import scheduler
from models.content import MediaAsset
from resolvers import retention
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


async def age(asset: dict[str, str], hours: float) -> None:
    """Make an upload look `hours` old (a private upload's sealed file belongs to its row alone)."""
    parsed = parse_global_id(asset["id"])
    assert parsed is not None
    when = datetime.now(UTC) - timedelta(hours=hours)
    await MediaAsset.filter(id=parsed[1]).update(created_at=when)


def sealed_files(media_dir: Path) -> set[str]:
    return {p.name for p in (media_dir / "sealed").rglob("*") if p.is_file()}


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
    shared_new = await attachment_ok(gql, person.token, wav(4), "shared-again.wav")  # same bytes, its own file
    for old in (attached, forgotten, shared_old):
        await age(old, hours=25)
    assert len(sealed_files(media_dir)) == 5

    purge = scheduler.Purge(media_dir, retention.Policy(unattached_uploads=DAY), every=0.05)
    async with scheduler.running(interval=0.05, purge=purge):
        deadline = time.monotonic() + 30
        sha = forgotten["sha256"]

        async def done() -> bool:
            # Rows go first, then their sealed files: wait for both (a busy machine can part them).
            kept = set(await MediaAsset.all().values_list("sealed_name", flat=True))
            return not await MediaAsset.filter(sha256=sha).exists() and sealed_files(media_dir) == kept

        while not await done():
            assert time.monotonic() < deadline, "the purge did not run"
            await asyncio.sleep(0.05)

    remaining = set(await MediaAsset.all().values_list("sha256", flat=True))
    assert remaining == {attached["sha256"], fresh["sha256"], shared_new["sha256"]}
    assert await MediaAsset.all().count() == 3  # shared_old's row went; shared_new's stayed
    # The purged rows' sealed files went with them; nothing is stored in plain form.
    assert sealed_files(media_dir) == set(await MediaAsset.all().values_list("sealed_name", flat=True))
    assert not list(media_dir.rglob("*.wav"))
    assert (
        await gql.http.get(forgotten["url"], headers={"Authorization": f"Bearer {person.token}"})
    ).status_code == 404


async def test_a_purge_keeps_what_it_cannot_prove_unused(gql: GraphQLClient, data_dir: Path) -> None:
    media_dir = data_dir / "media"
    person = await client("client")
    # A private upload stored in plain form at its sha256 address (before sealing existed), 25 hours old.
    storage = storage_for(media_dir)

    async def chunks() -> AsyncIterator[bytes]:
        yield wav(5)

    stored = await storage.save_stream(chunks(), max_bytes=10_000)
    when = datetime.now(UTC) - timedelta(hours=25)
    stale = await MediaAsset.create(
        kind=stored.kind,
        mime_type=stored.mime_type,
        extension=stored.extension,
        byte_size=stored.byte_size,
        sha256=stored.sha256,
        is_private=True,
        uploaded_by_id=person.user_id,
    )
    await MediaAsset.filter(id=stale.id).update(created_at=when)
    # Stored again within the hour (an identical upload about to record its row): the file stays.
    path = storage.path_for(stored.sha256, stored.extension)
    os.utime(path)

    policy = retention.Policy(unattached_uploads=DAY)
    removed = await retention.execute(await retention.plan(policy), storage)

    assert removed[retention.UNATTACHED_UPLOADS] == [stale.id] and not await MediaAsset.exists(sha256=stored.sha256)
    assert path.exists()
    assert (await retention.plan(policy)).empty
