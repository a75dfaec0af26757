"""Who may register endpoints and where they may point: no SSRF into the operator's network."""

from __future__ import annotations

import pytest

from models.accounts import Organization
from models.integrations import DeliveryStatus, OutboxMessage, WebhookEndpoint
from resolvers import accounts
from resolvers.integrations import network
from schema.relay import to_global_id
from settings import Settings
from tests.content.factories import editor_token
from tests.helpers import GraphQLClient
from tests.integrations.helpers import CREATE_ENDPOINT, admin_token, deliverer, drain, organization, register_endpoint
from tests.integrations.receiver import receiving
from tests.integrations.test_webhooks import _publish_lesson


async def _create(gql: GraphQLClient, token: str, url: str, **extra: object) -> dict:
    variables = {"input": {"url": url, "events": ["CONTENT_PUBLISHED"], **extra}}
    return (await gql.ok(CREATE_ENDPOINT, variables, token=token))["createWebhookEndpoint"]


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:8080/hook",
        "http://10.0.0.7/hook",
        "http://10.255.1.2:9000/x",
        "http://192.168.1.1/",
        "http://169.254.169.254/latest/meta-data/",
        "http://[::1]/hook",
        "http://localhost/hook",
        "http://0.0.0.0/hook",
    ],
)
async def test_private_addresses_are_refused_unless_an_admin_allows_them(gql: GraphQLClient, url: str) -> None:
    admin = await admin_token()
    refused = await _create(gql, admin, url)
    assert refused["endpoint"] is None and refused["secret"] is None
    assert [(e["field"], e["code"]) for e in refused["errors"]] == [("input.url", "INVALID")]
    assert await WebhookEndpoint.all().count() == 0
    if url.startswith(("http://127.", "http://10.")):
        allowed = await _create(gql, admin, url, allowPrivateNetwork=True)
        assert allowed["errors"] == [] and allowed["endpoint"]["allowPrivateNetwork"] is True
        assert allowed["secret"].startswith("whsec_")


@pytest.mark.parametrize("url", ["ftp://example.org/x", "http://user:pw@example.org/", "not a url", "http://"])
async def test_malformed_urls_are_invalid(gql: GraphQLClient, url: str) -> None:
    result = await _create(gql, await admin_token(), url, allowPrivateNetwork=True)
    assert [e["code"] for e in result["errors"]] == ["INVALID"]


async def test_an_api_key_registers_for_its_own_organization_only(gql: GraphQLClient) -> None:
    school, other = await organization("一中"), await organization("二中")
    key = await accounts.create_api_key(name="lms", organization=school)
    result = await _create(gql, key, "http://10.0.0.7/hook", allowPrivateNetwork=True)
    assert [e["code"] for e in result["errors"]] == ["FORBIDDEN"]
    consultation = await gql.ok(
        CREATE_ENDPOINT,
        {"input": {"url": "https://93.184.215.14/hook", "events": ["CONSULTATION_ACTIVITY"]}},
        token=key,
    )
    assert [e["code"] for e in consultation["createWebhookEndpoint"]["errors"]] == ["INVALID"]
    own = await _create(gql, key, "https://93.184.215.14/hook", organizationId=to_global_id("Organization", other.id))
    assert own["errors"] == [] and own["endpoint"]["organization"]["id"] == to_global_id("Organization", school.id)
    listed = await gql.ok("{ webhookEndpoints { totalCount } }", token=key)
    assert listed["webhookEndpoints"]["totalCount"] == 1
    other_key = await accounts.create_api_key(name="lms2", organization=other)
    assert (await gql.ok("{ webhookEndpoints { totalCount } }", token=other_key))["webhookEndpoints"]["totalCount"] == 0
    assert (await gql.ok("query($id: ID!) { node(id: $id) { id } }", {"id": own["endpoint"]["id"]}, token=other_key))[
        "node"
    ] is None


async def test_people_other_than_admins_cannot_register(gql: GraphQLClient) -> None:
    result = await _create(gql, await editor_token(), "https://93.184.215.14/hook")
    assert [e["code"] for e in result["errors"]] == ["FORBIDDEN"]
    # Not an empty list: a caller who may never list endpoints is told so (docs/api-guide.md, "Not allowed").
    listed = await gql("{ webhookEndpoints { totalCount } }")
    assert listed.data == {"webhookEndpoints": None} and listed.codes == ["UNAUTHENTICATED"]


async def test_delivery_connects_only_to_the_address_it_checked(gql: GraphQLClient, settings: Settings) -> None:
    """An endpoint that passed the check but whose host now resolves to a private address is not called."""
    admin, editor = await admin_token(), await editor_token()
    async with receiving() as receiver:
        registered = await register_endpoint(gql, admin, receiver.url, ["CONTENT_PUBLISHED"])
        # What a DNS answer changed after registration amounts to: the same endpoint, without the admin's allowance.
        await WebhookEndpoint.all().update(
            allow_private_network=False, url=receiver.url.replace("127.0.0.1", "localhost")
        )
        await _publish_lesson(gql, editor)
        await drain(deliverer(settings, retry_base=5.0))
    assert receiver.requests == []
    message = await OutboxMessage.get()
    assert message.status == DeliveryStatus.PENDING and "non-public" in (message.last_error or "")
    assert registered["endpoint"]["allowPrivateNetwork"] is True


@pytest.mark.parametrize(
    ("address", "public"),
    [
        ("8.8.8.8", True),
        ("127.0.0.1", False),
        ("10.1.2.3", False),
        ("100.64.0.1", False),
        ("::ffff:10.0.0.1", False),
        ("2001:4860:4860::8888", True),
        ("fe80::1", False),
        ("224.0.0.1", False),
    ],
)
def test_public_addresses(address: str, public: bool) -> None:
    import ipaddress

    assert network.is_public(ipaddress.ip_address(address)) is public


_ = Organization
