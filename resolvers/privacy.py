"""Erasure (issue 14): a person asks for their account's deletion; after a grace period it is erased.

The request deactivates the account at once (its sessions and sockets end, as a deactivation by an
admin does). During the grace period an admin can cancel it (the person cannot sign in to). Once
the grace period is over the retention purge (resolvers/retention.py) erases the account in place:
the row stays, with nothing that names the person, because consultations, their messages and the
append-only audit log refer to it. What each field becomes is in docs/privacy.md ("Erasure").

Staff accounts (experts, editors, admins) are not erased this way: their messages, plans and reads
are part of other people's records; an admin deactivates them instead.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime

from tortoise import connections
from tortoise.queryset import QuerySet
from tortoise.transactions import in_transaction

import media
from models import sql
from models.accounts import AuthToken, RecoveryCode, User
from models.base import Role
from models.consultations import Consultation, ConsultationMessage, MessageAttachment, Visit
from models.content import MediaAsset
from resolvers import accounts, credentials, permissions, throttle
from resolvers.actor import Actor
from resolvers.consultations import attachments, audit, sealed
from resolvers.errors import Conflict, Forbidden, Invalid, NotFound
from resolvers.events import EventBus
from resolvers.transaction import unit_of_work

log = logging.getLogger("beacon.privacy")

# What a thread's other party sees in place of an erased client.
FORMER_CLIENT = "Former client"
FORMER_USER = "Former user"
STAFF_ROLES = frozenset({Role.EXPERT, Role.EDITOR, Role.ADMIN})
REASON_MAX_LENGTH = 300
# Who the audit log names for an erasure: the system, not a person.
ERASER = Actor(display_name="system:erasure")
# Not an argon2 hash: no password matches it (verify_password answers False for it).
NO_PASSWORD = "!erased"  # noqa: S105 (a marker, not a secret)


async def request_deletion(
    actor: Actor, bus: EventBus, *, user_id: int | None, password: str | None, reason: str | None
) -> User:
    """The person (their password confirms it) or an admin on their behalf (with a reason) asks for erasure.

    The account is deactivated at once; its sessions end and its sockets close.
    """
    caller = permissions.require_user(actor)
    on_behalf = user_id is not None and user_id != caller
    if on_behalf:
        permissions.require_role(
            actor, permissions.can_manage_users(actor), "Only admins can ask for another person's deletion."
        )
        why = check_reason(reason)
    else:
        await credentials.check_password(caller, password or "", field="input.password")
        why = ""
    target = user_id if on_behalf and user_id is not None else caller
    async with unit_of_work():
        user = await User.get_or_none(id=target)
        if user is None or user.erased_at is not None:
            raise NotFound("No such user.", field="input.userId")
        if STAFF_ROLES & {Role(r) for r in user.roles}:
            raise Forbidden(
                "Staff accounts are not erased: their work is part of other people's records. "
                "An admin deactivates them instead."
            )
        if user.deletion_requested_at is None:
            user.deletion_requested_at = datetime.now(UTC)
        user.is_active = False
        await user.save(update_fields=["deletion_requested_at", "is_active", "updated_at"])
        await credentials.revoke_all_sessions(user.id)
        if on_behalf:
            await audit_on_behalf(actor, user.id, audit.DELETION_REQUESTED, why)
    await accounts.announce_ended(bus, {"user": user.id, "reason": "deactivated"})
    log.info("deletion of user %s requested by %s", user.id, f"admin {caller}" if on_behalf else "themselves")
    return user


async def cancel_deletion(actor: Actor, *, user_id: int, reason: str | None) -> User:
    """An admin cancels a pending erasure during the grace period; the account may sign in again."""
    permissions.require_role(actor, permissions.can_manage_users(actor), "Only admins can cancel a deletion.")
    why = check_reason(reason)
    async with unit_of_work():
        user = await User.get_or_none(id=user_id)
        if user is None or user.erased_at is not None:
            raise NotFound("No such user.", field="input.userId")
        if user.deletion_requested_at is None:
            raise Conflict("This account has no pending deletion.", field="input.userId")
        user.deletion_requested_at = None
        user.is_active = True
        await user.save(update_fields=["deletion_requested_at", "is_active", "updated_at"])
        await audit_on_behalf(actor, user.id, audit.DELETION_CANCELLED, why)
    log.info("deletion of user %s cancelled by admin %s", user.id, actor.user_id)
    return user


def check_reason(reason: str | None) -> str:
    """An admin acting for someone states why (recorded in the audit log)."""
    why = (reason or "").strip()
    if not why:
        raise Invalid("Say why you act on this person's behalf: it is recorded.", field="input.reason")
    if len(why) > REASON_MAX_LENGTH:
        raise Invalid(f"Give a reason of at most {REASON_MAX_LENGTH} characters.", field="input.reason")
    return why


async def audit_on_behalf(actor: Actor, user_id: int, action: str, reason: str) -> None:
    """An admin acting for a person is recorded in the audit log of each of their consultations (and logged)."""
    for consultation_id in await _consultations_of(user_id):
        await audit.record(actor, consultation_id, action, f"user {user_id}", reason)


def due_for_erasure(requested_before: datetime) -> QuerySet[User]:
    """Accounts whose deletion was asked for before the cutoff, still pending (the retention purge's candidates)."""
    return User.filter(erased_at=None, is_active=False, deletion_requested_at__lt=requested_before)


async def erase(user_id: int, requested_before: datetime, now: datetime, storage: media.MediaStorage) -> bool:
    """Erase an account whose deletion was asked for before the cutoff and not cancelled; whether it was.

    The row is claimed with one UPDATE that repeats the condition, so a cancellation that committed
    first wins, and two processes never erase the same account twice.
    """
    user = await User.get_or_none(id=user_id)
    if user is None:
        return False
    async with in_transaction() as connection:
        claimed = (
            await due_for_erasure(requested_before)
            .filter(id=user_id)
            .update(
                erased_at=now,
                username=f"erased-{user_id}",
                username_key=f"erased-{user_id}",
                display_name=FORMER_USER,
                password_hash=NO_PASSWORD,
                organization_id=None,
                must_change_password=False,
                totp_secret=None,
                totp_confirmed_at=None,
                totp_last_step=None,
            )
        )
        if not claimed:
            return False
        media_ids = await _erase_client_side(user_id)
        await AuthToken.filter(user_id=user_id).delete()
        await RecoveryCode.filter(user_id=user_id).delete()
        await throttle.forget(user_id, user.username_key)
        for consultation_id in await _consultations_of(user_id):
            await audit.record(ERASER, consultation_id, audit.ERASED, f"user {user_id}")
        sqlite = connection.capabilities.dialect == "sqlite"
    await attachments.drop_unattached(storage, media_ids)
    if sqlite:
        await _checkpoint()
    log.info("user %s erased", user_id)
    return True


async def _consultations_of(user_id: int) -> list[int]:
    ids = await sql.flat(Consultation.filter(client_id=user_id).order_by("id").values_list("id", flat=True))
    return [int(i) for i in ids]


async def _erase_client_side(user_id: int) -> list[int]:
    """Blank what the person wrote or is named by in their threads; the ids of their private files to delete.

    The threads keep their shape for the expert: every message stays in place with its time, the
    client's with an empty body under "Former client"; the expert's messages and help plans (their
    own work) stay; visits lose their place and note (often an address).
    """
    consultation_ids = await _consultations_of(user_id)
    await Consultation.filter(id__in=consultation_ids).update(client_display_name=FORMER_CLIENT, subject="")
    message_ids = [
        int(i) for i in await sql.flat(ConsultationMessage.filter(author_id=user_id).values_list("id", flat=True))
    ]
    linked = await sql.flat(MessageAttachment.filter(message_id__in=message_ids).values_list("media_id", flat=True))
    uploaded = await sql.flat(MediaAsset.filter(uploaded_by_id=user_id, is_private=True).values_list("id", flat=True))
    await MessageAttachment.filter(message_id__in=message_ids).delete()
    await ConsultationMessage.filter(id__in=message_ids).update(
        body=sealed.seal("", sealed.MESSAGE_BODY), author_name=FORMER_CLIENT, client_message_id=None
    )
    await Visit.filter(consultation_id__in=consultation_ids).update(location=None, note=None)
    return sorted({int(i) for i in [*linked, *uploaded]})


async def _checkpoint() -> None:
    """SQLite: fold the write-ahead log into the database and empty it, so no old page version stays there.

    With `secure_delete` on (models/__init__.py) the old row contents in the database file are
    overwritten; without the checkpoint their earlier page images could linger in the log. Another
    process reading at this moment makes it partial; the next checkpoints finish it.
    """
    connection = connections.get("default")
    await connection.execute_query("PRAGMA wal_checkpoint(TRUNCATE)")
