"""People, organizations and the credentials they sign in with."""

from __future__ import annotations

from enum import Enum

from tortoise import fields
from tortoise.models import Model

from models.base import OrganizationKind, TimestampedModel


class Organization(TimestampedModel):
    name = fields.CharField(max_length=200, unique=True)
    kind = fields.CharEnumField(OrganizationKind, max_length=20)
    region = fields.CharField(max_length=200, null=True)
    # IANA name (e.g. Asia/Shanghai): whose calendar days learning days and reports count in.
    time_zone = fields.CharField(max_length=64, default="Asia/Shanghai")

    members: fields.ReverseRelation[User]
    api_keys: fields.ReverseRelation[ApiKey]

    class Meta:
        table = "organization"


class User(TimestampedModel):
    username = fields.CharField(max_length=64)
    # Case-folded username: uniqueness and lookups ignore case.
    username_key = fields.CharField(max_length=64, unique=True)
    display_name = fields.CharField(max_length=100)
    password_hash = fields.CharField(max_length=255)
    roles: fields.JSONField[list[str]] = fields.JSONField(default=list)
    is_active = fields.BooleanField(default=True)
    # Set by an admin's password reset: the person should choose their own at the next sign-in.
    # Nullable so the column can be added to existing rows; NULL reads as false.
    must_change_password = fields.BooleanField(default=False, null=True)
    organization: fields.ForeignKeyNullableRelation[Organization] = fields.ForeignKeyField(
        "accounts.Organization", related_name="members", null=True, on_delete=fields.SET_NULL
    )
    organization_id: int | None
    # Erasure (resolvers/privacy.py): asked for at (the account is deactivated meanwhile), and done at.
    deletion_requested_at = fields.DatetimeField(null=True)
    erased_at = fields.DatetimeField(null=True)
    # The TOTP second factor (resolvers/second_factor.py): the secret, sealed (resolvers/vault.py);
    # when it was confirmed (NULL: none, or enrolment not finished); the last accepted time step,
    # so a code is accepted once only.
    totp_secret = fields.CharField(max_length=512, null=True)
    totp_confirmed_at = fields.DatetimeField(null=True)
    totp_last_step = fields.BigIntField(null=True)

    tokens: fields.ReverseRelation[AuthToken]
    recovery_codes: fields.ReverseRelation[RecoveryCode]

    class Meta:
        table = "app_user"


class AuthToken(Model):
    """A bearer token (only its SHA-256 is stored, so a database leak yields no usable token)."""

    id = fields.IntField(primary_key=True)
    token_hash = fields.CharField(max_length=64, unique=True)
    user: fields.ForeignKeyRelation[User] = fields.ForeignKeyField(
        "accounts.User", related_name="tokens", on_delete=fields.CASCADE
    )
    user_id: int
    created_at = fields.DatetimeField(auto_now_add=True)
    expires_at = fields.DatetimeField()
    revoked_at = fields.DatetimeField(null=True)
    # Recorded at most once a minute (resolvers/accounts.LAST_USE_EVERY).
    last_used_at = fields.DatetimeField(null=True)
    # NULL: a full session; "enrolment": a staff member's sign-in that may only set up a second
    # factor. Nullable so the column can be added to existing rows.
    scope = fields.CharField(max_length=20, null=True)
    # Staff sessions end after this many seconds without use (NULL: no idle limit).
    idle_seconds = fields.IntField(null=True)
    # Everyone else's session (docs/accounts.md, "Short access tokens and refresh"): the SHA-256 of
    # its current refresh token, and when the session (the family) ends for good. Refreshing replaces
    # token_hash, refresh_hash and expires_at on this row, so the row is the session throughout.
    # NULL: no refresh (staff, enrolment sign-ins, sessions opened before accounts/0008).
    refresh_hash = fields.CharField(max_length=64, unique=True, null=True)
    refresh_expires_at = fields.DatetimeField(null=True)

    used_refresh_tokens: fields.ReverseRelation[UsedRefreshToken]

    class Meta:
        table = "auth_token"


class UsedRefreshToken(Model):
    """A refresh token already traded for a new one (its SHA-256): presenting it again is reuse.

    Reuse means two parties hold the session's refresh tokens (one of them stole it), so the whole
    session ends (resolvers/accounts.refresh_session). Rows go with their session (CASCADE).
    """

    id = fields.IntField(primary_key=True)
    refresh_hash = fields.CharField(max_length=64, unique=True)
    token: fields.ForeignKeyRelation[AuthToken] = fields.ForeignKeyField(
        "accounts.AuthToken", related_name="used_refresh_tokens", on_delete=fields.CASCADE
    )
    token_id: int
    used_at = fields.DatetimeField()

    class Meta:
        table = "used_refresh_token"


class RecoveryCode(Model):
    """One single-use recovery code for a person's second factor (only its SHA-256 is stored)."""

    id = fields.IntField(primary_key=True)
    user: fields.ForeignKeyRelation[User] = fields.ForeignKeyField(
        "accounts.User", related_name="recovery_codes", on_delete=fields.CASCADE
    )
    user_id: int
    code_hash = fields.CharField(max_length=64)
    created_at = fields.DatetimeField(auto_now_add=True)
    used_at = fields.DatetimeField(null=True)

    class Meta:
        table = "recovery_code"
        unique_together = (("user", "code_hash"),)


class AccountAudit(Model):
    """An admin's action on someone's credentials (e.g. a second-factor reset): who, on whom, what, when."""

    id = fields.IntField(primary_key=True)
    # NULL: the operator's command line.
    actor_user_id = fields.IntField(null=True)
    subject_user_id = fields.IntField(db_index=True)
    action = fields.CharField(max_length=50)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "account_audit"


class ApiKey(Model):
    """An LMS integration's credential, acting for its organization."""

    id = fields.IntField(primary_key=True)
    name = fields.CharField(max_length=100)
    key_hash = fields.CharField(max_length=64, unique=True)
    organization: fields.ForeignKeyRelation[Organization] = fields.ForeignKeyField(
        "accounts.Organization", related_name="api_keys", on_delete=fields.CASCADE
    )
    organization_id: int
    created_at = fields.DatetimeField(auto_now_add=True)
    revoked_at = fields.DatetimeField(null=True)
    expires_at = fields.DatetimeField(null=True)  # None: it does not expire
    last_used_at = fields.DatetimeField(null=True)  # recorded at most once a minute

    class Meta:
        table = "api_key"


class ThrottleEvent(Model):
    """One counted event (a failed login, a sent message) in a named rate-limit bucket.

    Kept in the database so every worker process sees the same counts.
    """

    id = fields.BigIntField(primary_key=True)
    bucket = fields.CharField(max_length=200, db_index=True)
    created_at = fields.DatetimeField(db_index=True)

    class Meta:
        table = "throttle_event"


class ExportStatus(str, Enum):
    PENDING = "PENDING"
    READY = "READY"
    DOWNLOADED = "DOWNLOADED"
    EXPIRED = "EXPIRED"
    FAILED = "FAILED"


class DataExport(Model):
    """One exportMyData request (resolvers/exports.py): its state, its sealed document and its link's hash."""

    id = fields.IntField(primary_key=True)
    user: fields.ForeignKeyRelation[User] = fields.ForeignKeyField(
        "accounts.User", related_name="data_exports", on_delete=fields.CASCADE
    )
    user_id: int
    requested_by_id = fields.IntField()  # the person, or an admin acting for them
    # SHA-256 of the download link's token (the token itself is shown once).
    token_hash = fields.CharField(max_length=64, unique=True)
    status = fields.CharEnumField(ExportStatus, max_length=12, default=ExportStatus.PENDING)
    created_at = fields.DatetimeField()
    ready_at = fields.DatetimeField(null=True)
    downloaded_at = fields.DatetimeField(null=True)
    expires_at = fields.DatetimeField(db_index=True)
    # The sealed JSON document under <data dir>/exports/, and its wrapped data key (resolvers/vault.py).
    file_name = fields.CharField(max_length=64, null=True)
    sealed_key = fields.TextField(null=True)

    class Meta:
        table = "data_export"
        indexes = (("user_id", "status"),)
