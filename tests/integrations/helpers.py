"""Arrange helpers for integration tests: admins, organizations, endpoints, a fast deliverer."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from typing import Any

from models.accounts import Organization
from models.base import OrganizationKind, Role
from resolvers.integrations.delivery import Deliverer, Mail, Timing
from schema.relay import to_global_id
from settings import Settings
from tests.accounts.factories import token_for
from tests.helpers import GraphQLClient

CREATE_ENDPOINT = """
mutation($input: WebhookEndpointInput!) {
  createWebhookEndpoint(input: $input) {
    endpoint { id url events enabled allowPrivateNetwork organization { id } }
    secret
    errors { field message code }
  }
}"""
ENDPOINT_DELIVERIES = """
query($id: ID!) {
  node(id: $id) {
    ... on WebhookEndpoint {
      enabled disabledAt disabledReason failingSince
      deliveries(first: 50) {
        totalCount
        edges { node { id webhookId eventType status attemptCount lastError data
                       attempts { number responseStatus succeeded error } } }
      }
    }
  }
}"""
# Retries in milliseconds, so tests never wait for backoff; three "days" of failure are three seconds.
FAST = Timing(
    batch=50, lease=timedelta(seconds=30), retry_base=0.05, retry_cap=0.2, max_age=timedelta(days=3), timeout=5
)


def deliverer(
    settings: Settings,
    timing: Timing = FAST,
    smtp_url: str | None = None,
    portal_url: str | None = None,
    **changes: Any,
) -> Deliverer:
    return Deliverer(
        secret_key=settings.secret_key,
        public_url=settings.public_url,
        mail=Mail(smtp_url, settings.smtp_from, portal_url),
        timing=replace(timing, **changes),
    )


async def drain(deliverer: Deliverer, rounds: int = 50) -> int:
    """Run the dispatcher until nothing is due (retries come due within milliseconds here)."""
    import asyncio

    tried = 0
    for _ in range(rounds):
        done = await deliverer.run_once()
        tried += done
        if not done:
            await asyncio.sleep(0.25)
            if not await deliverer.run_once():
                return tried
    return tried


async def admin_token() -> str:
    return await token_for("admin", Role.ADMIN)


async def organization(name: str = "第一中学") -> Organization:
    return await Organization.create(name=name, kind=OrganizationKind.SCHOOL)


async def register_endpoint(
    gql: GraphQLClient,
    token: str,
    url: str,
    events: list[str],
    *,
    organization_id: int | None = None,
    private: bool = True,
) -> dict[str, Any]:
    variables: dict[str, Any] = {"input": {"url": url, "events": events, "allowPrivateNetwork": private}}
    if organization_id is not None:
        variables["input"]["organizationId"] = to_global_id("Organization", organization_id)
    result = (await gql.ok(CREATE_ENDPOINT, variables, token=token))["createWebhookEndpoint"]
    assert not result["errors"], result
    return result
