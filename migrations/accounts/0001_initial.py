from orjson import loads
from tortoise import fields, migrations
from tortoise.fields.base import OnDelete
from tortoise.fields.data import JSON_DUMPS
from tortoise.migrations import operations as ops

from models.base import OrganizationKind


class Migration(migrations.Migration):
    initial = True

    operations = [
        ops.CreateModel(
            name="Organization",
            fields=[
                ("id", fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ("created_at", fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ("updated_at", fields.DatetimeField(auto_now=True, auto_now_add=False)),
                ("name", fields.CharField(unique=True, max_length=200)),
                (
                    "kind",
                    fields.CharEnumField(
                        description="SCHOOL: SCHOOL\nCOMMUNITY: COMMUNITY\nREHAB_CENTER: REHAB_CENTER\nAGENCY: AGENCY",
                        enum_type=OrganizationKind,
                        max_length=20,
                    ),
                ),
                ("region", fields.CharField(null=True, max_length=200)),
            ],
            options={"table": "organization", "app": "accounts", "pk_attr": "id"},
            bases=["TimestampedModel"],
        ),
        ops.CreateModel(
            name="ApiKey",
            fields=[
                ("id", fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ("name", fields.CharField(max_length=100)),
                ("key_hash", fields.CharField(unique=True, max_length=64)),
                (
                    "organization",
                    fields.ForeignKeyField(
                        "accounts.Organization",
                        source_field="organization_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="api_keys",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                ("created_at", fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ("revoked_at", fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
            ],
            options={
                "table": "api_key",
                "app": "accounts",
                "pk_attr": "id",
                "table_description": "An LMS integration's credential, acting for its organization.",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="ThrottleEvent",
            fields=[
                ("id", fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ("bucket", fields.CharField(db_index=True, max_length=200)),
                ("created_at", fields.DatetimeField(db_index=True, auto_now=False, auto_now_add=False)),
            ],
            options={
                "table": "throttle_event",
                "app": "accounts",
                "pk_attr": "id",
                "table_description": "One counted event (a failed login, a sent message) in a named rate-limit bucket.",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="User",
            fields=[
                ("id", fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ("created_at", fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ("updated_at", fields.DatetimeField(auto_now=True, auto_now_add=False)),
                ("username", fields.CharField(max_length=64)),
                ("username_key", fields.CharField(unique=True, max_length=64)),
                ("display_name", fields.CharField(max_length=100)),
                ("password_hash", fields.CharField(max_length=255)),
                ("roles", fields.JSONField(default=list, encoder=JSON_DUMPS, decoder=loads)),
                ("is_active", fields.BooleanField(default=True)),
                (
                    "organization",
                    fields.ForeignKeyField(
                        "accounts.Organization",
                        source_field="organization_id",
                        null=True,
                        db_constraint=True,
                        to_field="id",
                        related_name="members",
                        on_delete=OnDelete.SET_NULL,
                    ),
                ),
            ],
            options={"table": "app_user", "app": "accounts", "pk_attr": "id"},
            bases=["TimestampedModel"],
        ),
        ops.CreateModel(
            name="AuthToken",
            fields=[
                ("id", fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ("token_hash", fields.CharField(unique=True, max_length=64)),
                (
                    "user",
                    fields.ForeignKeyField(
                        "accounts.User",
                        source_field="user_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="tokens",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                ("created_at", fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ("expires_at", fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ("revoked_at", fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
            ],
            options={
                "table": "auth_token",
                "app": "accounts",
                "pk_attr": "id",
                "table_description": "A bearer token (only its SHA-256 is stored, so a database leak yields no usable token).",
            },
            bases=["Model"],
        ),
    ]
