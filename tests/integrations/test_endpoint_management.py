"""Managing webhook endpoints through the API: listing, changing, disabling, rotating the secret, removing."""

from __future__ import annotations

from typing import Any

import pytest
from standardwebhooks import Webhook

from models.integrations import Channel, DeliveryStatus, OutboxMessage
from resolvers import accounts
from schema.relay import to_global_id
from settings import Settings
from tests.content.factories import editor_token
from tests.helpers import GraphQLClient
from tests.integrations.helpers import admin_token, deliverer, drain, organization, register_endpoint
from tests.integrations.receiver import Receiver, receiving
from tests.integrations.test_webhooks import _publish_lesson

LIST = "{ webhookEndpoints(first: 10) { totalCount edges { node { id url organization { name } } } } }"
UPDATE = """
mutation($id: ID!, $patch: WebhookEndpointPatch!) {
  updateWebhookEndpoint(id: $id, patch: $patch) {
    endpoint { id url description events enabled allowPrivateNetwork failingSince disabledAt disabledReason }
    secret
    errors { field code message }
  }
}"""
ROTATE = "mutation($id: ID!) { rotateWebhookSecret(id: $id) { endpoint { id } secret errors { field code } } }"
DELETE = "mutation($id: ID!) { deleteWebhookEndpoint(id: $id) { deletedId errors { field code } } }"
SEND_TEST = "mutation($id: ID!) { sendTestWebhook(id: $id) { delivery { status } errors { field code message } } }"
REDELIVER = "mutation($id: ID!) { redeliverWebhook(id: $id) { delivery { status } errors { field code message } } }"
DELIVERIES = """
query($id: ID!) { node(id: $id) { ... on WebhookEndpoint {
  deliveries(first: 10) { edges { node { id status lastError } } }
  pending: deliveries(first: 10, status: PENDING) { totalCount }
} } }"""


async def _update(gql: GraphQLClient, token: str, endpoint_id: str, **patch: Any) -> dict[str, Any]:
    result = await gql.ok(UPDATE, {"id": endpoint_id, "patch": patch}, token=token)
    return result["updateWebhookEndpoint"]


async def test_admins_see_every_endpoint_a_key_its_own_others_none(gql: GraphQLClient) -> None:
    admin = await admin_token()
    school, other = await organization("一中"), await organization("二中")
    await register_endpoint(
        gql, admin, "https://93.184.215.14/school", ["CONTENT_PUBLISHED"], organization_id=school.id
    )
    await register_endpoint(gql, admin, "https://93.184.215.14/other", ["CONTENT_PUBLISHED"], organization_id=other.id)
    await register_endpoint(gql, admin, "https://93.184.215.14/platform", ["CONTENT_PUBLISHED"])
    everything = (await gql.ok(LIST, token=admin))["webhookEndpoints"]
    assert everything["totalCount"] == 3
    key = await accounts.create_api_key(name="lms", organization=school)
    own = (await gql.ok(LIST, token=key))["webhookEndpoints"]
    assert [(e["node"]["url"], e["node"]["organization"]["name"]) for e in own["edges"]] == [
        ("https://93.184.215.14/school", "一中")
    ]
    for token, code in ((await editor_token(), "FORBIDDEN"), (None, "UNAUTHENTICATED")):
        refused = await gql(LIST, token=token)
        assert refused.data == {"webhookEndpoints": None} and refused.codes == [code]


async def test_an_endpoint_is_changed_field_by_field_and_checked_again(gql: GraphQLClient) -> None:
    admin = await admin_token()
    registered = await register_endpoint(gql, admin, "https://93.184.215.14/a", ["CONTENT_PUBLISHED"], private=False)
    endpoint_id = registered["endpoint"]["id"]
    changed = await _update(
        gql, admin, endpoint_id, url="https://93.184.215.14/b", events=["QUIZ_PUBLISHED"], description="  LMS  "
    )
    assert changed["errors"] == [] and changed["secret"] is None
    assert changed["endpoint"]["url"] == "https://93.184.215.14/b"
    assert changed["endpoint"]["events"] == ["QUIZ_PUBLISHED"] and changed["endpoint"]["description"] == "LMS"
    # A new URL is checked like a new endpoint: a private address needs an admin's allowance.
    refused = await _update(gql, admin, endpoint_id, url="http://10.0.0.7/hook")
    assert [(e["field"], e["code"]) for e in refused["errors"]] == [("patch.url", "INVALID")]
    allowed = await _update(gql, admin, endpoint_id, url="http://10.0.0.7/hook", allowPrivateNetwork=True)
    assert allowed["errors"] == [] and allowed["endpoint"]["allowPrivateNetwork"] is True
    # An organization's key manages its own endpoints but never allows a private network.
    school = await organization("一中")
    key = await accounts.create_api_key(name="lms", organization=school)
    own = await register_endpoint(gql, key, "https://93.184.215.14/own", ["CONTENT_PUBLISHED"], private=False)
    forbidden = await _update(gql, key, own["endpoint"]["id"], allowPrivateNetwork=True)
    assert [e["code"] for e in forbidden["errors"]] == ["FORBIDDEN"]
    # …and someone else's endpoint does not exist for it.
    hidden = await _update(gql, key, endpoint_id, description="mine now")
    assert [(e["field"], e["code"]) for e in hidden["errors"]] == [("id", "NOT_FOUND")]


async def test_disabling_gives_up_pending_deliveries_and_enabling_starts_afresh(
    gql: GraphQLClient, settings: Settings
) -> None:
    admin, editor = await admin_token(), await editor_token()
    async with receiving(Receiver(fail_first=1)) as receiver:
        registered = await register_endpoint(gql, admin, receiver.url, ["CONTENT_PUBLISHED"])
        endpoint_id = registered["endpoint"]["id"]
        await _publish_lesson(gql, editor)
        assert await deliverer(settings).run_once() == 1  # failed once: pending, its failure clock running
        off = await _update(gql, admin, endpoint_id, enabled=False)
        assert off["endpoint"]["enabled"] is False and off["endpoint"]["disabledReason"] == "Disabled by its owner."
        history = (await gql.ok(DELIVERIES, {"id": endpoint_id}, token=admin))["node"]
        assert history["pending"]["totalCount"] == 0
        [given_up] = [e["node"] for e in history["deliveries"]["edges"]]
        assert (given_up["status"], given_up["lastError"]) == ("FAILED", "The endpoint was disabled.")
        # A disabled endpoint takes neither a test event nor a redelivery.
        test = (await gql.ok(SEND_TEST, {"id": endpoint_id}, token=admin))["sendTestWebhook"]
        assert [(e["field"], e["code"]) for e in test["errors"]] == [("id", "CONFLICT")]
        again = (await gql.ok(REDELIVER, {"id": given_up["id"]}, token=admin))["redeliverWebhook"]
        assert [(e["field"], e["code"]) for e in again["errors"]] == [("id", "CONFLICT")]
        on = await _update(gql, admin, endpoint_id, enabled=True)
        assert on["endpoint"]["enabled"] is True
        assert on["endpoint"]["failingSince"] is None and on["endpoint"]["disabledAt"] is None
        # Enabled again, the given-up delivery can be sent once more, and this time it arrives.
        again = (await gql.ok(REDELIVER, {"id": given_up["id"]}, token=admin))["redeliverWebhook"]
        assert again == {"delivery": {"status": "PENDING"}, "errors": []}
        still = (await gql.ok(REDELIVER, {"id": given_up["id"]}, token=admin))["redeliverWebhook"]
        assert [e["code"] for e in still["errors"]] == ["CONFLICT"], "a delivery still being tried"
        await drain(deliverer(settings))
    assert len(receiver.requests) == 2 and len(set(receiver.ids())) == 1


async def test_a_rotated_secret_signs_from_then_on_and_the_old_one_no_longer_verifies(
    gql: GraphQLClient, settings: Settings
) -> None:
    admin = await admin_token()
    async with receiving() as receiver:
        registered = await register_endpoint(gql, admin, receiver.url, ["CONTENT_PUBLISHED"])
        endpoint_id = registered["endpoint"]["id"]
        rotated = (await gql.ok(ROTATE, {"id": endpoint_id}, token=admin))["rotateWebhookSecret"]
        assert rotated["errors"] == [] and rotated["secret"].startswith("whsec_")
        assert rotated["secret"] != registered["secret"]
        await gql.ok(SEND_TEST, {"id": endpoint_id}, token=admin)
        await drain(deliverer(settings))
    [request] = receiver.requests
    assert Webhook(rotated["secret"]).verify(request.body, request.headers)["type"] == "webhook.test"
    with pytest.raises(Exception, match="signature"):
        Webhook(registered["secret"]).verify(request.body, request.headers)


async def test_a_removed_endpoint_is_gone_with_its_pending_deliveries(gql: GraphQLClient) -> None:
    admin = await admin_token()
    school = await organization("一中")
    key = await accounts.create_api_key(name="lms", organization=school)
    registered = await register_endpoint(gql, admin, "https://93.184.215.14/a", ["CONTENT_PUBLISHED"], private=False)
    endpoint_id = registered["endpoint"]["id"]
    await gql.ok(SEND_TEST, {"id": endpoint_id}, token=admin)
    refused = (await gql.ok(DELETE, {"id": endpoint_id}, token=key))["deleteWebhookEndpoint"]
    assert refused == {"deletedId": None, "errors": [{"field": "id", "code": "NOT_FOUND"}]}
    removed = (await gql.ok(DELETE, {"id": endpoint_id}, token=admin))["deleteWebhookEndpoint"]
    assert removed == {"deletedId": endpoint_id, "errors": []}
    assert (await gql.ok(LIST, token=admin))["webhookEndpoints"]["totalCount"] == 0
    [message] = await OutboxMessage.filter(channel=Channel.WEBHOOK)
    assert (message.status, message.last_error) == (DeliveryStatus.FAILED, "The endpoint was removed.")
    unknown = (await gql.ok(REDELIVER, {"id": to_global_id("WebhookDelivery", 999)}, token=admin))["redeliverWebhook"]
    assert [e["code"] for e in unknown["errors"]] == ["NOT_FOUND"]
