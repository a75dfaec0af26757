"""The audit log names people who are not staff by id only; migration 0008 rewrites the names written before."""

from __future__ import annotations

import importlib
from datetime import UTC, datetime
from types import SimpleNamespace

import pytest
from tortoise import connections

from models.consultations import ConsultationAudit
from resolvers import accounts
from resolvers.consultations import audit
from tests.consultations import factories as f
from tests.helpers import GraphQLClient

MIGRATION = importlib.import_module("migrations.consultations.0008_pseudonymous_audit")


async def _append_as_before(consultation_id: int, user_id: int, name: str, roles: list[str], action: str) -> int:
    """A record as versions before 0008 wrote it: the actor's shown name, whoever they were."""
    last = await ConsultationAudit.all().order_by("-id").first()
    prev = last.row_hash if last else audit.GENESIS
    at = datetime.now(UTC)
    fields = {
        "consultation_id": consultation_id,
        "actor_user_id": user_id,
        "actor_name": name,
        "actor_roles": roles,
        "action": action,
        "detail": "",
        "reason": "",
        "created_at": at,
    }
    record = await ConsultationAudit.create(**fields, prev_hash=prev, row_hash=audit.chain_hash(prev, **fields))
    return record.id


async def test_clients_are_recorded_by_id_and_staff_by_name(gql: GraphQLClient) -> None:
    chosen = await f.expert("namedexpert")
    me = await f.client("quietclient", display_name="Quiet Client")
    consultation = await f.thread(me, chosen)
    await audit.record(accounts.actor_for(await f._user(chosen.user_id)), consultation.id, audit.MARKED_READ)
    names = (
        await ConsultationAudit.filter(consultation_id=consultation.id)
        .order_by("id")
        .values_list("action", "actor_name")
    )
    assert names == [(audit.OPENED, f"user:{me.user_id}"), (audit.MARKED_READ, chosen.display_name)]


async def test_the_migration_replaces_old_names_and_rechains(gql: GraphQLClient) -> None:
    chosen = await f.expert("oldexpert")
    me = await f.client("oldclient", display_name="Old Client Name")
    consultation = await f.thread(me, chosen)  # written the new way: by id
    old_client = await _append_as_before(consultation.id, me.user_id, "Old Client Name", ["CLIENT"], audit.CLOSED)
    old_expert = await _append_as_before(
        consultation.id, chosen.user_id, chosen.display_name, ["EXPERT"], "EXPERT_READ"
    )
    assert (await audit.verify_chain()).broken_at is None

    await MIGRATION.pseudonymise(None, SimpleNamespace(client=connections.get("default")))

    assert (await ConsultationAudit.get(id=old_client)).actor_name == f"user:{me.user_id}"
    assert (await ConsultationAudit.get(id=old_expert)).actor_name == chosen.display_name
    assert not await ConsultationAudit.filter(actor_name="Old Client Name").exists()
    report = await audit.verify_chain()
    assert report.broken_at is None and report.checked == await ConsultationAudit.all().count()
    # The triggers are back: the log refuses changes again.
    with pytest.raises(Exception, match="append-only"):
        await ConsultationAudit.filter(id=old_client).update(actor_name="x")


async def test_the_migration_leaves_a_broken_chain_alone(gql: GraphQLClient, backend: str) -> None:
    chosen = await f.expert("brokenexpert")
    me = await f.client("brokenclient", display_name="Broken Client")
    consultation = await f.thread(me, chosen)
    await _append_as_before(consultation.id, me.user_id, "Broken Client", ["CLIENT"], audit.CLOSED)
    last = await ConsultationAudit.all().order_by("-id").first()
    assert last is not None
    # A record inserted with a made-up hash: the chain is broken there.
    forged = await ConsultationAudit.create(
        consultation_id=consultation.id,
        actor_user_id=None,
        actor_name="nobody",
        action="FORGED",
        created_at=datetime.now(UTC),
        prev_hash=last.row_hash,
        row_hash="f" * 64,
    )
    with pytest.raises(RuntimeError, match=f"broken at record {forged.id}"):
        await MIGRATION.pseudonymise(None, SimpleNamespace(client=connections.get("default")))
    assert await ConsultationAudit.filter(actor_name="Broken Client").exists()
