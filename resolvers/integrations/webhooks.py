"""Webhook endpoints: registration, the secret shown once, signing, delivery history and redelivery."""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import orjson
from standardwebhooks import Webhook

from models.accounts import Organization, User
from models.integrations import Channel, DeliveryAttempt, DeliveryStatus, OutboxMessage, WebhookEndpoint
from resolvers import permissions
from resolvers.actor import Actor
from resolvers.errors import Conflict, Invalid, NotFound
from resolvers.integrations import events, network, outbox, sealing
from resolvers.integrations.events import EventType, NoticeKind
from resolvers.listing import Listing, of_queryset

MAX_PER_ORGANIZATION = 10
MAX_PLATFORM = 50
USER_AGENT = "Beacon-Webhooks/1.0"


@dataclass(frozen=True)
class Registered:
    """A new endpoint and its signing secret (shown this once)."""

    endpoint: WebhookEndpoint
    secret: str


def events_of(endpoint: WebhookEndpoint) -> list[EventType]:
    return [EventType(e) for e in endpoint.events_key.strip("|").split("|") if e]


def _events_key(chosen: Sequence[EventType], organization_id: int | None) -> str:
    if not chosen:
        raise Invalid("Choose at least one event.", field="input.events")
    allowed = events.PUBLIC_EVENTS | (events.ORGANIZATION_EVENTS if organization_id else events.PLATFORM_EVENTS)
    refused = [e.value for e in chosen if e not in allowed]
    if refused:
        where = "an organization's" if organization_id else "a platform-wide"
        raise Invalid(f"{', '.join(refused)} cannot go to {where} endpoint.", field="input.events")
    return "|" + "|".join(sorted({EventType(e).value for e in chosen})) + "|"


async def _owner_organization(actor: Actor, organization_id: int | None) -> int | None:
    """The organization an endpoint belongs to; API keys always register for their own."""
    if actor.is_integration:
        return actor.organization_id
    if organization_id is not None and not await Organization.exists(id=organization_id):
        raise NotFound("No such organization.", field="input.organizationId")
    return organization_id


async def create(
    actor: Actor,
    *,
    url: str,
    chosen: Sequence[EventType],
    description: str | None,
    organization_id: int | None,
    allow_private_network: bool,
    secret_key: str,
) -> Registered:
    """Register an endpoint (admins: any organization or platform-wide; an API key: its own organization)."""
    owner = await _owner_organization(actor, organization_id)
    permissions.require_role(
        actor,
        permissions.can_manage_webhooks(actor, owner),
        "Only admins and the organization's API key can register endpoints.",
    )
    if allow_private_network:
        permissions.require_role(
            actor, permissions.can_allow_private_network(actor), "Only an admin can allow a private network address."
        )
    key = _events_key(chosen, owner)
    await network.check_destination(url, allow_private=allow_private_network, field="input.url")
    count = await WebhookEndpoint.filter(organization_id=owner).count()
    if count >= (MAX_PER_ORGANIZATION if owner else MAX_PLATFORM):
        raise Conflict("This organization has as many endpoints as it may; remove one first.", field="input.url")
    secret = sealing.new_webhook_secret()
    endpoint = await WebhookEndpoint.create(
        url=url,
        description=(description or "").strip()[:200],
        events_key=key,
        organization_id=owner,
        secret_sealed=sealing.seal(secret_key, secret),
        allow_private_network=allow_private_network,
        created_by_user_id=actor.user_id,
        created_by_api_key_id=actor.api_key_id,
    )
    return Registered(endpoint, secret)


async def _managed(actor: Actor, pk: int, field: str = "id") -> WebhookEndpoint:
    permissions.require_credential(actor)
    endpoint = await WebhookEndpoint.get_or_none(id=pk)
    if endpoint is None or not permissions.can_manage_webhooks(actor, endpoint.organization_id):
        raise NotFound("No such webhook endpoint.", field=field)
    return endpoint


async def update(
    actor: Actor,
    pk: int,
    *,
    url: str | None,
    chosen: Sequence[EventType] | None,
    description: str | None,
    enabled: bool | None,
    allow_private_network: bool | None,
) -> WebhookEndpoint:
    """Change an endpoint; enabling it again starts its three-day failure clock afresh."""
    endpoint = await _managed(actor, pk)
    if allow_private_network is not None:
        permissions.require_role(
            actor, permissions.can_allow_private_network(actor), "Only an admin can allow a private network address."
        )
        endpoint.allow_private_network = allow_private_network
    if chosen is not None:
        endpoint.events_key = _events_key(chosen, endpoint.organization_id)
    if url is not None:
        endpoint.url = url
    if url is not None or allow_private_network is not None:
        await network.check_destination(endpoint.url, allow_private=endpoint.allow_private_network, field="patch.url")
    if description is not None:
        endpoint.description = description.strip()[:200]
    if enabled is not None:
        endpoint.enabled = enabled
        if enabled:
            endpoint.disabled_at = endpoint.disabled_reason = endpoint.failing_since = None
        else:
            endpoint.disabled_at, endpoint.disabled_reason = datetime.now(UTC), "Disabled by its owner."
    await endpoint.save()
    if enabled is False:
        await outbox.fail_pending(Channel.WEBHOOK, endpoint.id, "The endpoint was disabled.")
    return endpoint


async def delete(actor: Actor, pk: int) -> int:
    endpoint = await _managed(actor, pk)
    await outbox.fail_pending(Channel.WEBHOOK, endpoint.id, "The endpoint was removed.")
    await endpoint.delete()
    return pk


async def rotate_secret(actor: Actor, pk: int, *, secret_key: str) -> Registered:
    """A new signing secret (shown once); the old one stops working at once."""
    endpoint = await _managed(actor, pk)
    secret = sealing.new_webhook_secret()
    endpoint.secret_sealed = sealing.seal(secret_key, secret)
    await endpoint.save(update_fields=["secret_sealed", "updated_at"])
    return Registered(endpoint, secret)


async def send_test(actor: Actor, pk: int) -> OutboxMessage:
    """Queue a signed `webhook.test` event to this endpoint alone, so its owner can check their receiver."""
    endpoint = await _managed(actor, pk)
    if not endpoint.enabled:
        raise Conflict("The endpoint is disabled; enable it first.", field="id")
    data = {"endpointId": events.global_id("WebhookEndpoint", endpoint.id)}
    fanout = outbox.Fanout(Channel.WEBHOOK, "e.id", "FROM webhook_endpoint e WHERE e.id = ?", [endpoint.id], data)
    await outbox.enqueue("webhook.test", [fanout])
    message = await OutboxMessage.filter(channel=Channel.WEBHOOK, target_id=endpoint.id).order_by("-id").first()
    if message is None:  # the endpoint was removed between the check and the insert, which then wrote nothing
        raise NotFound("No such webhook endpoint.", field="id")
    return message


async def get(actor: Actor, pk: int) -> WebhookEndpoint | None:
    endpoint = await WebhookEndpoint.get_or_none(id=pk)
    if endpoint is None or not permissions.can_manage_webhooks(actor, endpoint.organization_id):
        return None
    return endpoint


def visible(actor: Actor) -> Listing[WebhookEndpoint]:
    """Admins see every endpoint; an organization's API key its own organization's; others are refused."""
    if permissions.is_admin(actor) and actor.is_user:
        return of_queryset(WebhookEndpoint.all().order_by("id"))
    if actor.is_integration and actor.organization_id is not None:
        return of_queryset(WebhookEndpoint.filter(organization_id=actor.organization_id).order_by("id"))
    permissions.require_role(actor, False, "Only admins and organizations' API keys read webhook endpoints.")
    return of_queryset(WebhookEndpoint.filter(id=-1))


def deliveries(endpoint_id: int, status: DeliveryStatus | None) -> Listing[OutboxMessage]:
    """An endpoint's deliveries, newest first."""
    queryset = OutboxMessage.filter(channel=Channel.WEBHOOK, target_id=endpoint_id)
    if status is not None:
        queryset = queryset.filter(status=status)
    return of_queryset(queryset.order_by("-id"))


async def attempts_by_message_id(ids: Sequence[int]) -> list[list[DeliveryAttempt]]:
    found: dict[int, list[DeliveryAttempt]] = {i: [] for i in ids}
    for attempt in await DeliveryAttempt.filter(message_id__in=list(ids)).order_by("number"):
        found[attempt.message_id].append(attempt)
    return [found[i] for i in ids]


async def redeliver(actor: Actor, delivery_id: int) -> OutboxMessage:
    """Send a delivery again, now, with the same webhook-id (receivers that already have it may drop it)."""
    permissions.require_credential(actor)
    message = await OutboxMessage.get_or_none(id=delivery_id, channel=Channel.WEBHOOK)
    endpoint = await WebhookEndpoint.get_or_none(id=message.target_id) if message else None
    if message is None or endpoint is None or not permissions.can_manage_webhooks(actor, endpoint.organization_id):
        raise NotFound("No such delivery.", field="id")
    if not endpoint.enabled:
        raise Conflict("The endpoint is disabled; enable it first.", field="id")
    if message.status == DeliveryStatus.PENDING:
        raise Conflict("This delivery is still being tried.", field="id")
    message.status = DeliveryStatus.PENDING
    message.next_attempt_at = datetime.now(UTC)
    message.created_at = datetime.now(UTC)  # the three-day retry window starts again
    message.finished_at = None
    await message.save(update_fields=["status", "next_attempt_at", "created_at", "finished_at"])
    return message


# ------------------------------------------------------------------ delivery


async def render(event_type: str, data: dict[str, Any]) -> dict[str, Any]:
    """The data as sent: a learner appears as the id their organization knows them by (their username)."""
    if "userId" not in data:
        return data
    rendered = {k: v for k, v in data.items() if k != "userId"}
    username = await User.filter(id=data["userId"]).values_list("username", flat=True)
    rendered["learner"] = {
        "id": events.global_id("User", data["userId"]),
        "username": username[0] if username else None,
    }
    return rendered


def sign(secret: str, msg_id: str, moment: datetime, body: bytes) -> dict[str, str]:
    """Standard Webhooks headers: webhook-id, webhook-timestamp and the v1 HMAC-SHA256 signature."""
    return {
        "webhook-id": msg_id,
        "webhook-timestamp": str(int(moment.timestamp())),
        "webhook-signature": Webhook(secret).sign(msg_id, moment, body.decode()),
    }


async def deliver(
    message: outbox.Claimed, http: network.Http, *, secret_key: str
) -> tuple[outbox.Outcome, WebhookEndpoint | None]:
    """One signed POST; any 2xx is success, anything else (or no answer) a failure to retry."""
    endpoint = await WebhookEndpoint.get_or_none(id=message.target_id)
    if endpoint is None or not endpoint.enabled:
        return outbox.Outcome(False, error="The endpoint is gone or disabled.", retry=False), endpoint
    secret = sealing.unseal(secret_key, endpoint.secret_sealed)
    if secret is None:
        return outbox.Outcome(
            False, error="The signing secret was sealed under another BEACON_SECRET_KEY; rotate it."
        ), endpoint
    moment = datetime.now(UTC)
    envelope = {
        "type": message.event_type,
        "timestamp": message.created_at.isoformat(),
        "data": await render(message.event_type, message.payload),
    }
    body = orjson.dumps(envelope)
    headers = {"content-type": "application/json", "user-agent": USER_AGENT, **sign(secret, message.uid, moment, body)}
    started = time.monotonic()
    try:
        reply = await http.post(endpoint.url, headers, body, allow_private=endpoint.allow_private_network)
    except network.BlockedAddress as error:
        return outbox.Outcome(False, error=str(error), started_at=moment, duration_ms=_ms(started)), endpoint
    except Exception as error:  # noqa: BLE001 (any transport failure is a failed try, recorded and retried)
        return outbox.Outcome(
            False, error=f"{type(error).__name__}: {error}"[:300], started_at=moment, duration_ms=_ms(started)
        ), endpoint
    ok = 200 <= reply.status < 300
    return outbox.Outcome(
        ok, reply.status, None if ok else f"HTTP {reply.status}", started_at=moment, duration_ms=_ms(started)
    ), endpoint


def _ms(started: float) -> int:
    return int((time.monotonic() - started) * 1000)


async def track_health(endpoint: WebhookEndpoint, succeeded: bool, *, max_failing: timedelta) -> bool:
    """Start or clear the failure clock; disable an endpoint failing for longer than max_failing. True when disabled now."""
    moment = datetime.now(UTC)
    if succeeded:
        if endpoint.failing_since is not None:
            await WebhookEndpoint.filter(id=endpoint.id).update(failing_since=None)
        return False
    if endpoint.failing_since is None:
        await WebhookEndpoint.filter(id=endpoint.id, failing_since=None).update(failing_since=moment)
        return False
    if moment - endpoint.failing_since < max_failing:
        return False
    reason = f"Every delivery failed since {endpoint.failing_since.isoformat(timespec='seconds')}."
    disabled = await WebhookEndpoint.filter(id=endpoint.id, enabled=True).update(
        enabled=False, disabled_at=moment, disabled_reason=reason
    )
    if not disabled:
        return False
    await outbox.fail_pending(Channel.WEBHOOK, endpoint.id, "The endpoint was disabled after failing.")
    await _tell_owner(endpoint)
    return True


async def _tell_owner(endpoint: WebhookEndpoint) -> None:
    """E-mail whoever registered it; an endpoint registered by an API key: the platform's admins."""
    data = {"endpointId": events.global_id("WebhookEndpoint", endpoint.id)}
    if endpoint.created_by_user_id is not None:
        owners = [endpoint.created_by_user_id]
    else:
        rows = await User.filter(is_active=True).values_list("id", "roles")
        owners = [user_id for user_id, roles in rows if "ADMIN" in roles]
    await outbox.enqueue(
        "notice.endpoint_disabled", [events.to_mailbox(NoticeKind.ENDPOINT_DISABLED, owner, data) for owner in owners]
    )
