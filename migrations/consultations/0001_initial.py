from orjson import loads
from tortoise import fields, migrations
from tortoise.fields.base import OnDelete
from tortoise.fields.data import JSON_DUMPS
from tortoise.migrations import operations as ops

from models.consultations import ConsultationStatus, ExpertiseArea, VisitStatus


class Migration(migrations.Migration):
    dependencies = [("accounts", "0001_initial")]

    initial = True

    operations = [
        ops.CreateModel(
            name="ExpertProfile",
            fields=[
                ("id", fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ("created_at", fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ("updated_at", fields.DatetimeField(auto_now=True, auto_now_add=False)),
                (
                    "user",
                    fields.OneToOneField(
                        "accounts.User",
                        source_field="user_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="expert_profile",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                ("display_name", fields.CharField(max_length=100)),
                ("title", fields.CharField(null=True, max_length=200)),
                ("bio", fields.TextField(null=True, unique=False)),
                (
                    "area",
                    fields.CharEnumField(
                        db_index=True,
                        description="PSYCHOLOGICAL: PSYCHOLOGICAL\nLEGAL: LEGAL\nEDUCATIONAL: EDUCATIONAL\nREHABILITATION: REHABILITATION",
                        enum_type=ExpertiseArea,
                        max_length=20,
                    ),
                ),
                ("specialties", fields.JSONField(default=list, encoder=JSON_DUMPS, decoder=loads)),
                ("photo_id", fields.IntField(null=True)),
                ("accepting_consultations", fields.BooleanField(default=True)),
            ],
            options={
                "table": "expert_profile",
                "app": "consultations",
                "pk_attr": "id",
                "table_description": "The directory entry of a user who answers consultations.",
            },
            bases=["TimestampedModel"],
        ),
        ops.CreateModel(
            name="Consultation",
            fields=[
                ("id", fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ("created_at", fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ("updated_at", fields.DatetimeField(auto_now=True, auto_now_add=False)),
                (
                    "client",
                    fields.ForeignKeyField(
                        "accounts.User",
                        source_field="client_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="consultations_as_client",
                        on_delete=OnDelete.RESTRICT,
                    ),
                ),
                (
                    "expert",
                    fields.ForeignKeyField(
                        "consultations.ExpertProfile",
                        source_field="expert_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="consultations",
                        on_delete=OnDelete.RESTRICT,
                    ),
                ),
                (
                    "expert_user",
                    fields.ForeignKeyField(
                        "accounts.User",
                        source_field="expert_user_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="consultations_as_expert",
                        on_delete=OnDelete.RESTRICT,
                    ),
                ),
                ("client_display_name", fields.CharField(max_length=100)),
                ("subject", fields.CharField(max_length=200)),
                (
                    "status",
                    fields.CharEnumField(
                        default=ConsultationStatus.OPEN,
                        description="OPEN: OPEN\nANSWERED: ANSWERED\nCLOSED: CLOSED",
                        enum_type=ConsultationStatus,
                        max_length=10,
                    ),
                ),
                ("last_message_at", fields.DatetimeField(null=True, db_index=True, auto_now=False, auto_now_add=False)),
            ],
            options={
                "table": "consultation",
                "app": "consultations",
                "pk_attr": "id",
                "table_description": "A private thread between one client and the expert they chose.",
            },
            bases=["TimestampedModel"],
        ),
        ops.CreateModel(
            name="ConsultationAudit",
            fields=[
                ("id", fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                (
                    "consultation",
                    fields.ForeignKeyField(
                        "consultations.Consultation",
                        source_field="consultation_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="audit_records",
                        on_delete=OnDelete.RESTRICT,
                    ),
                ),
                ("actor_user_id", fields.IntField(null=True, db_index=True)),
                ("actor_name", fields.CharField(max_length=100)),
                ("actor_roles", fields.JSONField(default=list, encoder=JSON_DUMPS, decoder=loads)),
                ("action", fields.CharField(max_length=40)),
                ("detail", fields.CharField(default="", max_length=200)),
                ("created_at", fields.DatetimeField(db_index=True, auto_now=False, auto_now_add=False)),
            ],
            options={
                "table": "consultation_audit",
                "app": "consultations",
                "pk_attr": "id",
                "table_description": "Append-only record of an admin read or any change to a consultation (who, what, when, which).",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="ConsultationMessage",
            fields=[
                ("id", fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                (
                    "consultation",
                    fields.ForeignKeyField(
                        "consultations.Consultation",
                        source_field="consultation_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="messages",
                        on_delete=OnDelete.RESTRICT,
                    ),
                ),
                (
                    "author",
                    fields.ForeignKeyField(
                        "accounts.User",
                        source_field="author_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="consultation_messages",
                        on_delete=OnDelete.RESTRICT,
                    ),
                ),
                ("from_expert", fields.BooleanField()),
                ("author_name", fields.CharField(max_length=100)),
                ("body", fields.TextField(unique=False)),
                ("sent_at", fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ("read_at", fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ("client_message_id", fields.CharField(null=True, max_length=100)),
            ],
            options={
                "table": "consultation_message",
                "app": "consultations",
                "unique_together": (("consultation", "author", "client_message_id"),),
                "pk_attr": "id",
                "table_description": "One message of a thread. Immutable once written, except for the read_at stamp of its reader.",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="HelpPlanRevision",
            fields=[
                ("id", fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                (
                    "consultation",
                    fields.ForeignKeyField(
                        "consultations.Consultation",
                        source_field="consultation_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="help_plan_revisions",
                        on_delete=OnDelete.RESTRICT,
                    ),
                ),
                ("revision", fields.IntField()),
                (
                    "author",
                    fields.ForeignKeyField(
                        "accounts.User",
                        source_field="author_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="help_plan_revisions",
                        on_delete=OnDelete.RESTRICT,
                    ),
                ),
                ("goals", fields.TextField(unique=False)),
                ("measures", fields.JSONField(default=list, encoder=JSON_DUMPS, decoder=loads)),
                ("follow_up_at", fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ("created_at", fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={
                "table": "help_plan_revision",
                "app": "consultations",
                "unique_together": (("consultation", "revision"),),
                "pk_attr": "id",
                "table_description": "One saved version of the help plan of a consultation. The newest revision is the plan.",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="PrivacyConsent",
            fields=[
                ("id", fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                (
                    "user",
                    fields.ForeignKeyField(
                        "accounts.User",
                        source_field="user_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="privacy_consents",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                ("version", fields.IntField()),
                ("accepted_at", fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ("withdrawn_at", fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
            ],
            options={
                "table": "privacy_consent",
                "app": "consultations",
                "pk_attr": "id",
                "table_description": "Acceptance of one notice version by one person. Withdrawal stamps withdrawn_at and rows are never deleted.",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="PrivacyNotice",
            fields=[
                ("id", fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ("version", fields.IntField(db_index=True)),
                ("locale", fields.CharField(max_length=16)),
                ("text", fields.TextField(unique=False)),
                ("published_at", fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={
                "table": "privacy_notice",
                "app": "consultations",
                "unique_together": (("version", "locale"),),
                "pk_attr": "id",
                "table_description": "The text of one version of the consultation desk privacy notice in one locale.",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="Visit",
            fields=[
                ("id", fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ("created_at", fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ("updated_at", fields.DatetimeField(auto_now=True, auto_now_add=False)),
                (
                    "consultation",
                    fields.ForeignKeyField(
                        "consultations.Consultation",
                        source_field="consultation_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="visits",
                        on_delete=OnDelete.RESTRICT,
                    ),
                ),
                (
                    "requested_by",
                    fields.ForeignKeyField(
                        "accounts.User",
                        source_field="requested_by_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="requested_visits",
                        on_delete=OnDelete.RESTRICT,
                    ),
                ),
                (
                    "status",
                    fields.CharEnumField(
                        default=VisitStatus.REQUESTED,
                        description="REQUESTED: REQUESTED\nSCHEDULED: SCHEDULED\nDONE: DONE\nCANCELLED: CANCELLED",
                        enum_type=VisitStatus,
                        max_length=10,
                    ),
                ),
                ("scheduled_at", fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ("location", fields.CharField(null=True, max_length=300)),
                ("note", fields.TextField(null=True, unique=False)),
            ],
            options={
                "table": "consultation_visit",
                "app": "consultations",
                "pk_attr": "id",
                "table_description": "An offline meeting between the client and the expert.",
            },
            bases=["TimestampedModel"],
        ),
    ]
