"""The audit log is append-only in the database itself and hash-chained; `beacon audit --verify` names the
first record that does not fit."""

from __future__ import annotations

import asyncio
import importlib
import os
import subprocess
import sys
from pathlib import Path

import pytest
from tortoise import connections

from models.consultations import ConsultationAudit
from resolvers import accounts
from resolvers.consultations import audit
from settings import Settings
from tests.consultations import factories as f
from tests.helpers import GraphQLClient

ROOT = Path(__file__).resolve().parents[2]
CHAIN = importlib.import_module("migrations.consultations.0006_audit_chain")


def _verify(settings: Settings) -> subprocess.CompletedProcess[str]:
    environ = {**os.environ, "BEACON_DATABASE_URL": settings.database_url, "BEACON_DATA_DIR": str(settings.data_dir)}
    return subprocess.run(
        [sys.executable, "-m", "cli", "audit", "--verify"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=environ,
        timeout=300,
    )


async def _records(count: int) -> list[int]:
    chosen = await f.expert("chainexpert")
    me = await f.client("chainclient")
    consultation = await f.thread(me, chosen)
    actor = accounts.actor_for(await f._user(me.user_id))
    for i in range(count - 1):
        await audit.record(actor, consultation.id, audit.MARKED_READ, f"{i} message(s)")
    return [int(pk) for pk in await ConsultationAudit.all().order_by("id").values_list("id", flat=True)]


async def _with_triggers_away(backend: str, sql: str, values: list[object]) -> None:
    """Tamper as someone with the database owner's rights would: take the triggers away, change, put them back."""
    conn = connections.get("default")
    if backend == "sqlite":
        for name in ("consultation_audit_no_update", "consultation_audit_no_delete"):
            await conn.execute_script(f"DROP TRIGGER {name}")
        try:
            await conn.execute_query(sql.replace("$1", "?").replace("$2", "?"), values)
        finally:
            for statement in CHAIN.SQLITE_UP:
                await conn.execute_script(statement)
    else:
        await conn.execute_script("ALTER TABLE consultation_audit DISABLE TRIGGER consultation_audit_no_change")
        try:
            await conn.execute_query(sql, values)
        finally:
            await conn.execute_script("ALTER TABLE consultation_audit ENABLE TRIGGER consultation_audit_no_change")


async def test_the_database_refuses_to_change_or_delete_a_record(gql: GraphQLClient, backend: str) -> None:
    [first, *_] = await _records(2)
    conn = connections.get("default")
    update, delete = (
        "UPDATE consultation_audit SET detail = 'nothing happened' WHERE id = $1",
        "DELETE FROM consultation_audit WHERE id = $1",
    )
    if backend == "sqlite":
        update, delete = update.replace("$1", "?"), delete.replace("$1", "?")
    with pytest.raises(Exception, match="append-only"):
        await conn.execute_query(update, [first])
    with pytest.raises(Exception, match="append-only"):
        await conn.execute_query(delete, [first])
    with pytest.raises(Exception, match="append-only"):
        await ConsultationAudit.filter(id=first).update(actor_name="someone else")
    with pytest.raises(Exception, match="append-only"):
        await ConsultationAudit.filter(id=first).delete()
    assert (await ConsultationAudit.get(id=first)).action == audit.OPENED
    assert await ConsultationAudit.all().count() == 2


async def test_verify_proves_the_chain_and_names_the_first_tampered_record(
    gql: GraphQLClient, settings: Settings, backend: str
) -> None:
    ids = await _records(5)
    ok = _verify(settings)
    assert ok.returncode == 0 and "Audit chain verified: 5 record(s), unbroken." in ok.stdout, ok.stderr
    original = (await ConsultationAudit.get(id=ids[1])).detail
    await _with_triggers_away(backend, "UPDATE consultation_audit SET detail = $1 WHERE id = $2", ["0", ids[1]])
    edited = _verify(settings)
    assert edited.returncode == 1
    assert f"audit chain broken at record {ids[1]}: its contents do not match its hash" in edited.stderr
    await _with_triggers_away(backend, "UPDATE consultation_audit SET detail = $1 WHERE id = $2", [original, ids[1]])
    assert _verify(settings).returncode == 0  # put back exactly as it was, the chain fits again
    await _with_triggers_away(backend, "DELETE FROM consultation_audit WHERE id = $1", [ids[2]])
    removed = _verify(settings)
    assert removed.returncode == 1
    assert f"audit chain broken at record {ids[3]}: it does not follow the record before it" in removed.stderr
    assert "(2 record(s) before it verified)" in removed.stderr


async def test_concurrent_writers_keep_one_chain(gql: GraphQLClient) -> None:
    await _records(1)
    consultation_id = (await ConsultationAudit.first()).consultation_id
    chosen = await f.expert("otherexpert")
    actor = accounts.actor_for(await f._user(chosen.user_id))
    await asyncio.gather(*(audit.record(actor, consultation_id, audit.MARKED_READ, str(i)) for i in range(12)))
    report = await audit.verify_chain(batch=5)  # across several batches
    assert report.broken_at is None and report.checked == 13
    hashes = await ConsultationAudit.all().values_list("prev_hash", flat=True)
    assert len(set(hashes)) == 13  # no two records hang off the same predecessor
