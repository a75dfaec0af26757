"""Break-glass reads: an admin states why, the client sees who opened their consultation and why, the
expert's reads are listed too, and an admin opening too many consultations in an hour raises an alert."""

from __future__ import annotations

import logging

import pytest

from models.base import Role
from models.consultations import ConsultationAudit
from models.integrations import OutboxMessage, WebhookEndpoint
from resolvers.consultations import audit
from tests.consultations import factories as f
from tests.helpers import GraphQLClient

READ = "query($id: ID!, $reason: String) { consultation(id: $id, reason: $reason) { subject } }"
NODE = "query($id: ID!) { node(id: $id) { id } }"
OPENED_BY = "query($id: ID!) { consultation(id: $id) { openedBy { actorDisplayName actorRoles action reason } } }"


async def test_an_admin_must_say_why_and_the_client_sees_who_opened_it_and_why(gql: GraphQLClient) -> None:
    chosen = await f.expert("xuexpert")
    me = await f.client("ming")
    cid = f.gid("Consultation", (await f.thread(me, chosen)).id)
    admin = await f.person("supervisor", Role.ADMIN, display_name="督导王")
    for refused in (
        await gql(READ, {"id": cid}, token=admin.token),
        await gql(READ, {"id": cid, "reason": "  "}, token=admin.token),
        await gql(NODE, {"id": cid}, token=admin.token),
    ):
        assert refused.errors[0]["extensions"]["code"] == "REASON_REQUIRED"
        assert "reason" in refused.errors[0]["message"]
        assert refused.data in ({"consultation": None}, {"node": None})
    assert not await ConsultationAudit.exists(action=audit.ADMIN_READ)
    seen = await gql.ok(READ, {"id": cid, "reason": "投诉核查 #17"}, token=admin.token)
    assert seen["consultation"] == {"subject": "睡不着"}
    # The expert's reads are listed too (repeated reads within minutes once); the client's own are not.
    for _ in range(3):
        assert (await gql.ok(READ, {"id": cid}, token=chosen.token))["consultation"] is not None
    assert (await gql.ok(READ, {"id": cid, "reason": "ignored"}, token=me.token))["consultation"] is not None
    opened = (await gql.ok(OPENED_BY, {"id": cid}, token=me.token))["consultation"]["openedBy"]
    assert opened == [
        {"actorDisplayName": "督导王", "actorRoles": ["ADMIN"], "action": "ADMIN_READ", "reason": "投诉核查 #17"},
        {"actorDisplayName": chosen.display_name, "actorRoles": ["EXPERT"], "action": "EXPERT_READ", "reason": None},
    ]
    # The expert does not see the list; the reason is part of the hash chain.
    assert (await gql.ok(OPENED_BY, {"id": cid}, token=chosen.token))["consultation"]["openedBy"] is None
    assert (await audit.verify_chain()).broken_at is None


async def test_an_admin_opening_too_many_consultations_in_an_hour_raises_an_alert(
    gql: GraphQLClient, caplog: pytest.LogCaptureFixture
) -> None:
    chosen = await f.expert("xuexpert")
    threads = []
    for name in ("a", "b", "c"):
        client = await f.client(f"client{name}")
        threads.append(f.gid("Consultation", (await f.thread(client, chosen)).id))
    admin = await f.person("supervisor", Role.ADMIN)
    hook = await WebhookEndpoint.create(
        url="https://soc.example/hooks", events_key="|audit.alert|", secret_sealed="x", organization_id=None
    )
    audit.configure(admin_reads_per_hour=2)
    try:
        with caplog.at_level(logging.WARNING, logger="beacon.audit"):
            for cid in threads[:2]:
                await gql.ok(READ, {"id": cid, "reason": "抽查"}, token=admin.token)
                await gql.ok(READ, {"id": cid, "reason": "抽查"}, token=admin.token)  # the same one again
            assert not [r for r in caplog.records if audit.BULK_READ_EVENT in r.getMessage()]
            assert not await OutboxMessage.exists(event_type="audit.alert")
            await gql.ok(READ, {"id": threads[2], "reason": "抽查"}, token=admin.token)
    finally:
        audit.configure(admin_reads_per_hour=20)
    [line] = [r for r in caplog.records if audit.BULK_READ_EVENT in r.getMessage()]
    assert line.levelno == logging.WARNING
    assert line.getMessage().startswith(f"audit.admin_bulk_read admin_user_id={admin.user_id} consultations=3 ")
    [event] = await OutboxMessage.filter(event_type="audit.alert")
    assert event.target_id == hook.id
    payload = event.payload
    assert (payload.get("data") or payload)["alert"] == "ADMIN_BULK_READ"
    assert (payload.get("data") or payload)["consultations"] == 3
