"""The consultation desk: expert profiles, consent, threads, help plans, visits and their audit log."""

from __future__ import annotations

from enum import Enum
from typing import TYPE_CHECKING, Any

from tortoise import fields
from tortoise.models import Model

from models.base import TimestampedModel

if TYPE_CHECKING:  # annotations only: importing them at run time would tie the apps' modules together
    from models.accounts import User
    from models.content import MediaAsset


class ExpertiseArea(str, Enum):
    PSYCHOLOGICAL = "PSYCHOLOGICAL"
    LEGAL = "LEGAL"
    EDUCATIONAL = "EDUCATIONAL"
    REHABILITATION = "REHABILITATION"


class ConsultationStatus(str, Enum):
    OPEN = "OPEN"
    ANSWERED = "ANSWERED"
    CLOSED = "CLOSED"


class VisitStatus(str, Enum):
    REQUESTED = "REQUESTED"
    SCHEDULED = "SCHEDULED"
    DONE = "DONE"
    CANCELLED = "CANCELLED"


class PrivacyNotice(Model):
    """The text of one version of the consultation desk privacy notice in one locale."""

    id = fields.IntField(primary_key=True)
    version = fields.IntField(db_index=True)
    locale = fields.CharField(max_length=16)
    text = fields.TextField()
    published_at = fields.DatetimeField()

    class Meta:
        table = "privacy_notice"
        unique_together = (("version", "locale"),)


class PrivacyConsent(Model):
    """Acceptance of one notice version by one person. Withdrawal stamps withdrawn_at and rows are never deleted."""

    id = fields.IntField(primary_key=True)
    user: fields.ForeignKeyRelation[User] = fields.ForeignKeyField(
        "accounts.User", related_name="privacy_consents", on_delete=fields.CASCADE
    )
    user_id: int
    version = fields.IntField()
    accepted_at = fields.DatetimeField()
    withdrawn_at = fields.DatetimeField(null=True)
    # What was agreed to, kept with the record so it reads the same whatever is published later:
    # the purpose, the data it covers, and the full text of the notice version in the locale shown.
    purpose = fields.CharField(max_length=40, default="")
    scope: fields.JSONField[list[str]] = fields.JSONField(default=list)
    locale = fields.CharField(max_length=16, default="")
    notice_text = fields.TextField(default="")

    class Meta:
        table = "privacy_consent"


class ExpertProfile(TimestampedModel):
    """The directory entry of a user who answers consultations."""

    user: fields.OneToOneRelation[User] = fields.OneToOneField(
        "accounts.User", related_name="expert_profile", on_delete=fields.CASCADE
    )
    user_id: int
    display_name = fields.CharField(max_length=100)
    title = fields.CharField(max_length=200, null=True)
    bio = fields.TextField(null=True)
    area = fields.CharEnumField(ExpertiseArea, max_length=20, db_index=True)
    specialties: fields.JSONField[list[str]] = fields.JSONField(default=list)
    photo_id = fields.IntField(null=True)
    accepting_consultations = fields.BooleanField(default=True)

    class Meta:
        table = "expert_profile"


class Consultation(TimestampedModel):
    """A private thread between one client and the expert they chose."""

    client: fields.ForeignKeyRelation[User] = fields.ForeignKeyField(
        "accounts.User", related_name="consultations_as_client", on_delete=fields.RESTRICT
    )
    client_id: int
    expert: fields.ForeignKeyRelation[ExpertProfile] = fields.ForeignKeyField(
        "consultations.ExpertProfile", related_name="consultations", on_delete=fields.RESTRICT
    )
    expert_id: int
    # The expert's user account, kept beside the profile so permission checks need no join.
    expert_user: fields.ForeignKeyRelation[User] = fields.ForeignKeyField(
        "accounts.User", related_name="consultations_as_expert", on_delete=fields.RESTRICT
    )
    expert_user_id: int
    client_display_name = fields.CharField(max_length=100)
    subject = fields.CharField(max_length=200)
    status = fields.CharEnumField(ConsultationStatus, max_length=10, default=ConsultationStatus.OPEN)
    last_message_at = fields.DatetimeField(null=True, db_index=True)
    # Set when the retention purge removed its contents (resolvers/retention.py): the row stays, with
    # no subject or name, only because the append-only audit log refers to it.
    purged_at = fields.DatetimeField(null=True)

    messages: fields.ReverseRelation[ConsultationMessage]

    class Meta:
        table = "consultation"


class ConsultationMessage(Model):
    """One message of a thread. Immutable once written, except for the read_at stamp of its reader."""

    id = fields.IntField(primary_key=True)
    consultation: fields.ForeignKeyRelation[Consultation] = fields.ForeignKeyField(
        "consultations.Consultation", related_name="messages", on_delete=fields.RESTRICT
    )
    consultation_id: int
    author: fields.ForeignKeyRelation[User] = fields.ForeignKeyField(
        "accounts.User", related_name="consultation_messages", on_delete=fields.RESTRICT
    )
    author_id: int
    from_expert = fields.BooleanField()
    # The name shown for the author when the message was sent (the client's pseudonym or the expert's name).
    author_name = fields.CharField(max_length=100)
    body = fields.TextField()  # sealed (resolvers/vault.py)
    sent_at = fields.DatetimeField()
    read_at = fields.DatetimeField(null=True)
    client_message_id = fields.CharField(max_length=100, null=True)

    class Meta:
        table = "consultation_message"
        unique_together = (("consultation", "author", "client_message_id"),)


class MessageAttachment(Model):
    """A private media asset attached to a message, in order. Only the two parties of the thread may fetch the file."""

    id = fields.IntField(primary_key=True)
    message: fields.ForeignKeyRelation[ConsultationMessage] = fields.ForeignKeyField(
        "consultations.ConsultationMessage", related_name="attachments", on_delete=fields.RESTRICT
    )
    message_id: int
    media: fields.ForeignKeyRelation[MediaAsset] = fields.ForeignKeyField(
        "content.MediaAsset", related_name="message_attachments", on_delete=fields.RESTRICT
    )
    media_id: int
    position = fields.IntField()

    class Meta:
        table = "consultation_attachment"
        unique_together = (("message", "media"),)


class HelpPlanRevision(Model):
    """One saved version of the help plan of a consultation. The newest revision is the plan."""

    id = fields.IntField(primary_key=True)
    consultation: fields.ForeignKeyRelation[Consultation] = fields.ForeignKeyField(
        "consultations.Consultation", related_name="help_plan_revisions", on_delete=fields.RESTRICT
    )
    consultation_id: int
    revision = fields.IntField()
    author: fields.ForeignKeyRelation[User] = fields.ForeignKeyField(
        "accounts.User", related_name="help_plan_revisions", on_delete=fields.RESTRICT
    )
    author_id: int
    goals = fields.TextField()  # sealed (resolvers/vault.py)
    # Sealed JSON text of [{"description": str, "due_at": iso str or null, "done": bool}, ...]
    measures: fields.JSONField[Any] = fields.JSONField(default=list)
    follow_up_at = fields.DatetimeField(null=True)
    created_at = fields.DatetimeField()

    class Meta:
        table = "help_plan_revision"
        unique_together = (("consultation", "revision"),)


class Visit(TimestampedModel):
    """An offline meeting between the client and the expert."""

    consultation: fields.ForeignKeyRelation[Consultation] = fields.ForeignKeyField(
        "consultations.Consultation", related_name="visits", on_delete=fields.RESTRICT
    )
    consultation_id: int
    requested_by: fields.ForeignKeyRelation[User] = fields.ForeignKeyField(
        "accounts.User", related_name="requested_visits", on_delete=fields.RESTRICT
    )
    requested_by_id: int
    status = fields.CharEnumField(VisitStatus, max_length=10, default=VisitStatus.REQUESTED)
    scheduled_at = fields.DatetimeField(null=True)
    # Sealed (resolvers/vault.py): at most 300 characters before sealing.
    location = fields.TextField(null=True)
    note = fields.TextField(null=True)

    class Meta:
        table = "consultation_visit"


class ConsultationAudit(Model):
    """Append-only record of an admin read or any change to a consultation (who, what, when, which)."""

    id = fields.BigIntField(primary_key=True)
    consultation: fields.ForeignKeyRelation[Consultation] = fields.ForeignKeyField(
        "consultations.Consultation", related_name="audit_records", on_delete=fields.RESTRICT
    )
    consultation_id: int
    actor_user_id = fields.IntField(null=True, db_index=True)
    actor_name = fields.CharField(max_length=100)
    actor_roles: fields.JSONField[list[str]] = fields.JSONField(default=list)
    action = fields.CharField(max_length=40)
    detail = fields.CharField(max_length=200, default="")
    # Why an admin opened the consultation (break-glass reads); empty for everything else.
    reason = fields.CharField(max_length=300, default="")
    created_at = fields.DatetimeField(db_index=True)
    # Hash chain (resolvers/consultations/audit.py): the previous record's hash, and this record's hash
    # over it and every field above. Triggers refuse UPDATE and DELETE (migration 0006_audit_chain).
    prev_hash = fields.CharField(max_length=64, default="")
    row_hash = fields.CharField(max_length=64, default="")

    class Meta:
        table = "consultation_audit"


class DataKeyCheck(Model):
    """One key-encryption key that may have wrapped data keys in this database, with a value sealed under it.

    Start-up refuses a BEACON_DATA_KEY that lacks one of these keys or does not open its check value;
    `beacon rotate-data-key` removes a key's row once nothing is wrapped under it any more.
    """

    kid = fields.CharField(max_length=16, primary_key=True)
    check = fields.TextField()
    created_at = fields.DatetimeField()

    class Meta:
        table = "data_key_check"
