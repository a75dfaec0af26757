from orjson import loads
from tortoise import fields, migrations
from tortoise.fields.base import OnDelete
from tortoise.fields.data import JSON_DUMPS
from tortoise.indexes import Index
from tortoise.migrations import operations as ops

from models.integrations import Channel, DeliveryStatus


class Migration(migrations.Migration):
    dependencies = [("accounts", "0001_initial")]

    initial = True

    operations = [
        ops.CreateModel(
            name="LearningRecordStore",
            fields=[
                ("id", fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ("created_at", fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ("updated_at", fields.DatetimeField(auto_now=True, auto_now_add=False)),
                (
                    "organization",
                    fields.OneToOneField(
                        "accounts.Organization",
                        source_field="organization_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="learning_record_store",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                ("endpoint", fields.CharField(max_length=2000)),
                ("username", fields.CharField(max_length=200)),
                ("password_sealed", fields.TextField(unique=False)),
                ("account_home_page", fields.CharField(max_length=2000)),
                ("allow_private_network", fields.BooleanField(default=False)),
                ("enabled", fields.BooleanField(default=True)),
            ],
            options={
                "table": "learning_record_store",
                "app": "integrations",
                "pk_attr": "id",
                "table_description": "An organization's xAPI learning record store: where its learners' statements go.",
            },
            bases=["TimestampedModel"],
        ),
        ops.CreateModel(
            name="NoticeSettings",
            fields=[
                ("id", fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                (
                    "user",
                    fields.OneToOneField(
                        "accounts.User",
                        source_field="user_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="notice_settings",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                ("email", fields.CharField(null=True, max_length=254)),
                ("muted_key", fields.CharField(default="|", max_length=200)),
                ("updated_at", fields.DatetimeField(auto_now=True, auto_now_add=False)),
            ],
            options={
                "table": "notice_settings",
                "app": "integrations",
                "pk_attr": "id",
                "table_description": "Where and which e-mail notices a person wants (no row or no address: none).",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="OutboxMessage",
            fields=[
                ("id", fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ("uid", fields.CharField(unique=True, max_length=64)),
                (
                    "channel",
                    fields.CharEnumField(
                        description="WEBHOOK: WEBHOOK\nEMAIL: EMAIL\nXAPI: XAPI", enum_type=Channel, max_length=10
                    ),
                ),
                ("target_id", fields.IntField()),
                ("event_type", fields.CharField(max_length=64)),
                ("payload", fields.JSONField(encoder=JSON_DUMPS, decoder=loads)),
                (
                    "status",
                    fields.CharEnumField(
                        default=DeliveryStatus.PENDING,
                        description="PENDING: PENDING\nDELIVERED: DELIVERED\nFAILED: FAILED\nCANCELLED: CANCELLED",
                        enum_type=DeliveryStatus,
                        max_length=10,
                    ),
                ),
                ("attempt_count", fields.IntField(default=0)),
                ("next_attempt_at", fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ("locked_until", fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ("lease_token", fields.CharField(null=True, max_length=32)),
                ("created_at", fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ("finished_at", fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ("last_error", fields.CharField(null=True, max_length=300)),
            ],
            options={
                "table": "outbox_message",
                "app": "integrations",
                "indexes": [Index(fields=["status", "next_attempt_at"]), Index(fields=["channel", "target_id", "id"])],
                "pk_attr": "id",
                "table_description": "One thing to tell one destination, written in the same transaction as the change it reports.",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="DeliveryAttempt",
            fields=[
                ("id", fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                (
                    "message",
                    fields.ForeignKeyField(
                        "integrations.OutboxMessage",
                        source_field="message_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="attempts",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                ("number", fields.IntField()),
                ("started_at", fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ("duration_ms", fields.IntField()),
                ("response_status", fields.IntField(null=True)),
                ("error", fields.CharField(null=True, max_length=300)),
                ("succeeded", fields.BooleanField()),
            ],
            options={
                "table": "outbox_attempt",
                "app": "integrations",
                "pk_attr": "id",
                "table_description": "One try at delivering an outbox message, kept for the delivery history.",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="WebhookEndpoint",
            fields=[
                ("id", fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ("created_at", fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ("updated_at", fields.DatetimeField(auto_now=True, auto_now_add=False)),
                ("url", fields.CharField(max_length=2000)),
                ("description", fields.CharField(default="", max_length=200)),
                ("events_key", fields.CharField(max_length=500)),
                (
                    "organization",
                    fields.ForeignKeyField(
                        "accounts.Organization",
                        source_field="organization_id",
                        null=True,
                        db_constraint=True,
                        to_field="id",
                        related_name="webhook_endpoints",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                ("secret_sealed", fields.TextField(unique=False)),
                ("allow_private_network", fields.BooleanField(default=False)),
                ("enabled", fields.BooleanField(default=True)),
                ("failing_since", fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ("disabled_at", fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ("disabled_reason", fields.CharField(null=True, max_length=300)),
                ("created_by_user_id", fields.IntField(null=True)),
                ("created_by_api_key_id", fields.IntField(null=True)),
            ],
            options={
                "table": "webhook_endpoint",
                "app": "integrations",
                "pk_attr": "id",
                "table_description": "A URL that receives signed events (no organization: a platform-wide endpoint, admins only).",
            },
            bases=["TimestampedModel"],
        ),
    ]
