"""Integrations: the transactional outbox, webhook endpoints, e-mail notice settings and learning record stores."""

from __future__ import annotations

from enum import Enum
from typing import Any

from tortoise import fields
from tortoise.models import Model

from models.accounts import Organization, User
from models.base import TimestampedModel


class Channel(str, Enum):
    """How an outbox message leaves Beacon."""

    WEBHOOK = "WEBHOOK"
    EMAIL = "EMAIL"
    XAPI = "XAPI"


class DeliveryStatus(str, Enum):
    PENDING = "PENDING"
    DELIVERED = "DELIVERED"
    # Gave up: too old to retry, or its endpoint was disabled or removed.
    FAILED = "FAILED"
    # Nothing to send any more (the message was read in time, the person turned the notice off).
    CANCELLED = "CANCELLED"


class OutboxMessage(Model):
    """One thing to tell one destination, written in the same transaction as the change it reports.

    target_id names the destination per channel: a webhook endpoint, a person (e-mail) or an
    organization (its learning record store). A dispatcher claims a due row by setting
    lease_token and locked_until, delivers without holding a database lock, and finishes it
    only if its lease is still the one it took.
    """

    id = fields.BigIntField(primary_key=True)
    uid = fields.CharField(max_length=64, unique=True)
    channel = fields.CharEnumField(Channel, max_length=10)
    target_id = fields.IntField()
    event_type = fields.CharField(max_length=64)
    payload: fields.JSONField[dict[str, Any]] = fields.JSONField()
    status = fields.CharEnumField(DeliveryStatus, max_length=10, default=DeliveryStatus.PENDING)
    attempt_count = fields.IntField(default=0)
    next_attempt_at = fields.DatetimeField()
    locked_until = fields.DatetimeField(null=True)
    lease_token = fields.CharField(max_length=32, null=True)
    created_at = fields.DatetimeField()
    finished_at = fields.DatetimeField(null=True)
    last_error = fields.CharField(max_length=300, null=True)

    attempts: fields.ReverseRelation[DeliveryAttempt]

    class Meta:
        table = "outbox_message"
        # The dispatcher's claim: due PENDING rows in order; the API's history: one target's rows, newest first.
        indexes = (("status", "next_attempt_at"), ("channel", "target_id", "id"))


class DeliveryAttempt(Model):
    """One try at delivering an outbox message, kept for the delivery history."""

    id = fields.BigIntField(primary_key=True)
    message: fields.ForeignKeyRelation[OutboxMessage] = fields.ForeignKeyField(
        "integrations.OutboxMessage", related_name="attempts", on_delete=fields.CASCADE
    )
    message_id: int
    number = fields.IntField()
    started_at = fields.DatetimeField()
    duration_ms = fields.IntField()
    response_status = fields.IntField(null=True)
    error = fields.CharField(max_length=300, null=True)
    succeeded = fields.BooleanField()

    class Meta:
        table = "outbox_attempt"


class WebhookEndpoint(TimestampedModel):
    """A URL that receives signed events (no organization: a platform-wide endpoint, admins only)."""

    url = fields.CharField(max_length=2000)
    description = fields.CharField(max_length=200, default="")
    # '|content.published|quiz.published|': lets the outbox's INSERT … SELECT filter with a plain LIKE.
    events_key = fields.CharField(max_length=500)
    organization: fields.ForeignKeyNullableRelation[Organization] = fields.ForeignKeyField(
        "accounts.Organization", related_name="webhook_endpoints", null=True, on_delete=fields.CASCADE
    )
    organization_id: int | None
    # The signing secret, encrypted with a key derived from BEACON_SECRET_KEY (it must be usable to sign).
    secret_sealed = fields.TextField()
    allow_private_network = fields.BooleanField(default=False)
    enabled = fields.BooleanField(default=True)
    failing_since = fields.DatetimeField(null=True)
    disabled_at = fields.DatetimeField(null=True)
    disabled_reason = fields.CharField(max_length=300, null=True)
    created_by_user_id = fields.IntField(null=True)
    created_by_api_key_id = fields.IntField(null=True)

    class Meta:
        table = "webhook_endpoint"


class NoticeSettings(Model):
    """Where and which e-mail notices a person wants (no row or no address: none)."""

    id = fields.IntField(primary_key=True)
    user: fields.OneToOneRelation[User] = fields.OneToOneField(
        "accounts.User", related_name="notice_settings", on_delete=fields.CASCADE
    )
    user_id: int
    email = fields.CharField(max_length=254, null=True)
    # '|NEW_MESSAGE|VISIT|': kinds the person turned off (filtered with NOT LIKE by the outbox insert).
    muted_key = fields.CharField(max_length=200, default="|")
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "notice_settings"


class LearningRecordStore(TimestampedModel):
    """An organization's xAPI learning record store: where its learners' statements go."""

    organization: fields.OneToOneRelation[Organization] = fields.OneToOneField(
        "accounts.Organization", related_name="learning_record_store", on_delete=fields.CASCADE
    )
    organization_id: int
    endpoint = fields.CharField(max_length=2000)
    username = fields.CharField(max_length=200)
    password_sealed = fields.TextField()
    # The xAPI actor's account.homePage: the organization's own system, where its learner ids live.
    account_home_page = fields.CharField(max_length=2000)
    allow_private_network = fields.BooleanField(default=False)
    enabled = fields.BooleanField(default=True)

    class Meta:
        table = "learning_record_store"
