"""Credentials people can manage (issue 11, item 14; issue 15): their sessions, their password,
users' accounts (admins) and organizations' API keys (admins).

Whatever ends a credential commits first, then announces it on the event bus
(`accounts.announce_ended`), so every server process closes the sockets opened with it at once
(resolvers/sockets.py). Each mutation here owns its transaction for that reason (the schema calls
them with `@payload(atomic=False)`).
"""

from __future__ import annotations

import logging
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from tortoise.expressions import Q, RawSQL

from models.accounts import AccountAudit, ApiKey, AuthToken, Organization, User
from models.base import Role
from resolvers import accounts, passwords, permissions, second_factor, throttle
from resolvers.actor import Actor
from resolvers.errors import Conflict, Invalid, NotFound, RateLimited
from resolvers.events import EventBus
from resolvers.listing import Listing, of_queryset
from resolvers.transaction import unit_of_work

log = logging.getLogger("beacon.accounts")

PASSWORD_FAILURE_LIMIT = 5
PASSWORD_FAILURE_WINDOW = timedelta(minutes=15)
SEARCH_MAX_LENGTH = 100
KEY_MAX_LIFETIME = timedelta(days=3653)  # an API key's expiry is at most ten years ahead
# What any API key may do (docs/integrations.md); keys carry no finer scope today.
API_KEY_SCOPE = (
    "Acts for its organization: reads published lessons, stories, quizzes and expert profiles, "
    "content sync, its organization and that organization's report; manages its organization's "
    "webhooks and learning record store. Never a person's account or the consultation desk."
)


# ------------------------------------------------------------ one's own sessions and password


async def my_sessions(actor: Actor) -> Listing[AuthToken]:
    """The caller's sessions that still work (the newest first): not revoked, not expired, not idled out."""
    user_id = permissions.require_user(actor)
    now = datetime.now(UTC)
    queryset = AuthToken.filter(accounts.session_alive(now), user_id=user_id, revoked_at=None)
    if idled := await accounts.idled_out(user_id, now):
        queryset = queryset.exclude(id__in=idled)
    return of_queryset(queryset.order_by("-created_at", "-id"))


async def revoke_session(actor: Actor, bus: EventBus, session_id: int) -> AuthToken:
    """End one of the caller's own sessions (another device, or this one)."""
    user_id = permissions.require_user(actor)
    async with unit_of_work():
        token = await AuthToken.get_or_none(id=session_id, user_id=user_id)
        if token is None:
            raise NotFound("No such session.", field="sessionId")
        if token.revoked_at is None:
            token.revoked_at = datetime.now(UTC)
            await token.save(update_fields=["revoked_at"])
    await accounts.announce_ended(bus, {"tokens": [token.id], "reason": "revoked"})
    return token


async def sign_out_everywhere(actor: Actor, bus: EventBus) -> int:
    """End every session of the caller, this one included; how many ended."""
    user_id = permissions.require_user(actor)
    async with unit_of_work():
        ended = await _revoke_sessions(user_id)
    await accounts.announce_ended(bus, {"user": user_id, "reason": "revoked"})
    return ended


async def change_password(actor: Actor, bus: EventBus, *, current: str, new: str) -> tuple[User, int]:
    """Change the caller's password; every other session ends (this one goes on). The user and how many ended."""
    user_id = permissions.require_user(actor)
    user = await check_password(user_id, current, field="input.currentPassword")
    _check_new_password(new, field="input.newPassword")
    if new == current:
        raise Invalid("Choose a password different from the current one.", field="input.newPassword")
    password_hash = await passwords.hash_password(new)
    async with unit_of_work():
        await User.filter(id=user_id).update(password_hash=password_hash, must_change_password=False)
        ended = await _revoke_sessions(user_id, keep=actor.token_id)
    await accounts.announce_ended(bus, {"user": user_id, "keep_token": actor.token_id, "reason": "revoked"})
    await user.refresh_from_db()
    return user, ended


async def check_password(user_id: int, password: str, *, field: str) -> User:
    """The person's current password, confirming a sensitive change; 5 wrong ones in 15 minutes wait."""
    bucket = f"password:user:{user_id}"
    if await throttle.count(bucket, window=PASSWORD_FAILURE_WINDOW) >= PASSWORD_FAILURE_LIMIT:
        raise RateLimited(
            "Too many wrong passwords. Wait 15 minutes and try again.",
            retry_after=PASSWORD_FAILURE_WINDOW.total_seconds(),
        )
    user = await User.get(id=user_id)
    if not await passwords.verify_password(user.password_hash, password):
        await throttle.record(bucket)  # a failure counts even though the mutation fails
        raise Invalid("The current password is wrong.", field=field)
    return user


async def revoke_all_sessions(user_id: int) -> int:
    """End every working session of a person (inside the caller's transaction; the caller announces it)."""
    return await _revoke_sessions(user_id)


# ------------------------------------------------------------ one's second factor


@dataclass(frozen=True)
class Enrolment:
    """A new second-factor secret, for the person to add to an authenticator app."""

    secret: str
    otpauth_uri: str


@dataclass(frozen=True)
class Confirmed:
    """A confirmed second factor: the recovery codes (shown once), and a full session for an enrolment sign-in."""

    user: User
    token: str | None
    recovery_codes: list[str]
    refresh_token: str | None = None


async def begin_second_factor(actor: Actor) -> Enrolment:
    """A new TOTP secret for the caller (stored sealed, not in force until confirmed); again: a newer one."""
    user = await _user(_enrolling(actor))
    if second_factor.is_enrolled(user):
        raise Conflict("A second factor is set up already; an admin can reset it.")
    secret = second_factor.new_secret()
    await User.filter(id=user.id, totp_confirmed_at=None).update(
        totp_secret=second_factor.seal_secret(secret), totp_last_step=None
    )
    return Enrolment(secret, second_factor.otpauth_uri(secret, user.username))


async def confirm_second_factor(actor: Actor, code: str, policy: accounts.SessionPolicy) -> Confirmed:
    """Check a first code from the new secret; the factor is in force and ten recovery codes are made.

    An enrolment-only sign-in ends here and a full session begins (its token is returned once).
    Wrong codes are throttled like wrong passwords in changePassword.
    """
    user_id = _enrolling(actor)
    bucket = f"second-factor:user:{user_id}"
    if await throttle.count(bucket, window=PASSWORD_FAILURE_WINDOW) >= PASSWORD_FAILURE_LIMIT:
        raise RateLimited(
            "Too many wrong codes. Wait 15 minutes and try again.", retry_after=PASSWORD_FAILURE_WINDOW.total_seconds()
        )
    user = await _user(user_id)
    if second_factor.is_enrolled(user):
        raise Conflict("A second factor is set up already; an admin can reset it.")
    secret = second_factor.open_secret(user)
    if secret is None:
        raise Invalid("Begin with beginSecondFactorEnrolment.", field="code")
    if not await second_factor.accept_totp(user, secret, code):
        await throttle.record(bucket)  # a failure counts even though the mutation fails
        raise Invalid("That code is wrong; check the device's clock and enter the current code.", field="code")
    now = datetime.now(UTC)
    session = None
    async with unit_of_work():
        # Conditional: of two confirmations at once, one makes the recovery codes.
        if not await User.filter(id=user_id, totp_confirmed_at=None).update(totp_confirmed_at=now):
            raise Conflict("A second factor is set up already; an admin can reset it.")
        codes = await second_factor.replace_recovery_codes(user_id)
        if actor.enrolling_user_id is not None:
            await AuthToken.filter(id=actor.token_id).update(revoked_at=now)
            session = await accounts._open_session(user, policy)
    await user.refresh_from_db()
    log.info("user %s set up a second factor", user_id)
    if session is None:
        return Confirmed(user, None, codes)
    return Confirmed(user, session.token, codes, session.refresh_token)


def _enrolling(actor: Actor) -> int:
    """Who sets up a second factor: an enrolment-only sign-in's person, or a signed-in person."""
    if actor.enrolling_user_id is not None:
        return actor.enrolling_user_id
    return permissions.require_user(actor)


# ------------------------------------------------------------ users (admins)


@dataclass(frozen=True)
class UserFilter:
    role: Role | None = None
    organization_id: int | None = None
    active: bool | None = None
    search: str | None = None


def list_users(actor: Actor, where: UserFilter) -> Listing[User]:
    """Every account, for admins (by username); UNAUTHENTICATED/FORBIDDEN for everyone else."""
    permissions.require_role(
        actor, actor.is_user and permissions.can_manage_users(actor), "Only admins can list users."
    )
    queryset = User.all()
    if where.role is not None:
        queryset = queryset.annotate(roles_text=RawSQL("CAST(roles AS TEXT)")).filter(
            roles_text__contains=f'"{Role(where.role).value}"'
        )
    if where.organization_id is not None:
        queryset = queryset.filter(organization_id=where.organization_id)
    if where.active is not None:
        queryset = queryset.filter(is_active=where.active)
    search = (where.search or "").strip()
    if len(search) > SEARCH_MAX_LENGTH:
        raise Invalid(f"Search for at most {SEARCH_MAX_LENGTH} characters.", field="search")
    if search:
        queryset = queryset.filter(Q(username_key__contains=search.casefold()) | Q(display_name__icontains=search))
    return of_queryset(queryset.order_by("username_key", "id"))


async def deactivate_user(actor: Actor | None, bus: EventBus, user_id: int) -> User:
    """An admin (None: the command line) deactivates an account: it cannot sign in, and its sessions and sockets end at once."""
    _admin(actor, "Only admins can deactivate users.")
    if actor is not None and user_id == actor.user_id:
        raise Invalid("You cannot deactivate your own account.", field="userId")
    async with unit_of_work():
        user = await _user(user_id)
        if user.is_active:
            user.is_active = False
            await user.save(update_fields=["is_active", "updated_at"])
        await _revoke_sessions(user.id)
    await accounts.announce_ended(bus, {"user": user.id, "reason": "deactivated"})
    log.info("user %s deactivated by %s", user.id, _who(actor))
    return user


async def reactivate_user(actor: Actor | None, user_id: int) -> User:
    """An admin lets a deactivated account sign in again (its old sessions stay ended)."""
    _admin(actor, "Only admins can reactivate users.")
    async with unit_of_work():
        user = await _user(user_id)
        if user.erased_at is not None:
            raise Conflict("This account was erased; it cannot be reactivated.", field="userId")
        if not user.is_active:
            user.is_active = True
            # Reactivating also cancels a pending deletion: an active account is never erased.
            user.deletion_requested_at = None
            await user.save(update_fields=["is_active", "deletion_requested_at", "updated_at"])
    log.info("user %s reactivated by %s", user.id, _who(actor))
    return user


async def reset_user_password(
    actor: Actor, bus: EventBus, user_id: int, new_password: str | None
) -> tuple[User, str | None]:
    """An admin sets a temporary password (or has one generated, returned once); the person's sessions end.

    The person is asked to choose their own at their next sign-in (`mustChangePassword`).
    """
    _admin(actor, "Only admins can reset passwords.")
    if user_id == actor.user_id:
        raise Invalid("Change your own password with changePassword.", field="input.userId")
    generated = new_password is None
    password = secrets.token_urlsafe(12) if new_password is None else new_password
    _check_new_password(password, field="input.newPassword")
    password_hash = await passwords.hash_password(password)
    async with unit_of_work():
        user = await _user(user_id, field="input.userId")
        user.password_hash = password_hash
        user.must_change_password = True
        await user.save(update_fields=["password_hash", "must_change_password", "updated_at"])
        await _revoke_sessions(user.id)
    await accounts.announce_ended(bus, {"user": user.id, "reason": "revoked"})
    log.info("admin %s reset the password of user %s", actor.user_id, user.id)
    return user, password if generated else None


async def reset_second_factor(actor: Actor | None, bus: EventBus, user_id: int) -> User:
    """An admin (None: the command line) removes a person's second factor (a lost phone), under audit.

    The recovery codes go too, every session ends (sockets included), and the next sign-in enrols
    a new factor. Recorded in `account_audit` in the same transaction, and logged.
    """
    _admin(actor, "Only admins can reset a second factor.")
    if actor is not None and user_id == actor.user_id:
        raise Invalid("Another admin must reset your own second factor.", field="userId")
    async with unit_of_work():
        user = await _user(user_id)
        await second_factor.clear(user.id)
        await _revoke_sessions(user.id)
        await AccountAudit.create(
            actor_user_id=None if actor is None else actor.user_id,
            subject_user_id=user.id,
            action="second_factor_reset",
        )
    await accounts.announce_ended(bus, {"user": user.id, "reason": "revoked"})
    log.info("second factor of user %s reset by %s", user.id, _who(actor))
    await user.refresh_from_db()
    return user


# ------------------------------------------------------------ API keys (admins)


def list_api_keys(actor: Actor | None, *, organization_id: int | None, revoked: bool | None) -> Listing[ApiKey]:
    """Every organization's API keys, for admins (newest first); never their secrets."""
    if actor is not None:  # None: the operator's command line
        permissions.require_role(
            actor, actor.is_user and permissions.can_manage_users(actor), "Only admins can list API keys."
        )
    queryset = ApiKey.all()
    if organization_id is not None:
        queryset = queryset.filter(organization_id=organization_id)
    if revoked is not None:
        queryset = queryset.filter(revoked_at__isnull=not revoked)
    return of_queryset(queryset.order_by("-created_at", "-id"))


async def create_api_key(
    actor: Actor, *, name: str, organization_id: int, expires_at: datetime | None
) -> tuple[ApiKey, str]:
    """An admin creates an organization's key; the secret is returned once and stored hashed."""
    _admin(actor, "Only admins can create API keys.")
    name = name.strip()
    if not 1 <= len(name) <= 100:
        raise Invalid("Give a name of 1–100 characters.", field="input.name")
    expires_at = _key_expiry(expires_at)
    organization = await Organization.get_or_none(id=organization_id)
    if organization is None:
        raise NotFound("No such organization.", field="input.organizationId")
    async with unit_of_work():
        key, secret = await accounts.insert_api_key(name=name, organization=organization, expires_at=expires_at)
    log.info("admin %s created API key %s for organization %s", actor.user_id, key.id, organization.id)
    return key, secret


async def revoke_api_key(actor: Actor | None, bus: EventBus, key_id: int) -> ApiKey:
    """Revoke a key (admins; actor None: the operator's command line); its next request gets 401."""
    if actor is not None:
        _admin(actor, "Only admins can revoke API keys.")
    async with unit_of_work():
        key = await ApiKey.get_or_none(id=key_id)
        if key is None:
            raise NotFound("No such API key.", field="apiKeyId")
        if key.revoked_at is None:
            key.revoked_at = datetime.now(UTC)
            await key.save(update_fields=["revoked_at"])
    await accounts.announce_ended(bus, {"api_key": key.id, "reason": "revoked"})
    log.info("API key %s revoked by %s", key.id, _who(actor))
    return key


# ------------------------------------------------------------ helpers


def _who(actor: Actor | None) -> str:
    return f"admin {actor.user_id}" if actor is not None else "the command line"


async def find_user(username: str) -> User:
    """An account by username (for the command line)."""
    user = await User.get_or_none(username_key=accounts.username_key(username))
    if user is None:
        raise NotFound(f"No user {username!r}.")
    return user


def _admin(actor: Actor | None, message: str) -> None:
    """Admins only (actor None: the operator's command line)."""
    if actor is not None:
        permissions.require_role(actor, actor.is_user and permissions.can_manage_users(actor), message)


async def _user(user_id: int, *, field: str = "userId") -> User:
    user = await User.get_or_none(id=user_id)
    if user is None:
        raise NotFound("No such user.", field=field)
    return user


async def _revoke_sessions(user_id: int, *, keep: int | None = None) -> int:
    """End a user's working sessions (but `keep`), their refresh tokens with them; how many."""
    queryset = AuthToken.filter(accounts.session_alive(datetime.now(UTC)), user_id=user_id, revoked_at=None)
    if keep is not None:
        queryset = queryset.exclude(id=keep)
    return await queryset.update(revoked_at=datetime.now(UTC))


def _key_expiry(expires_at: datetime | None) -> datetime | None:
    """A key's expiry in UTC: in the future and within KEY_MAX_LIFETIME (the DateTime scalar refuses times without an offset; the service still reads one as UTC)."""
    if expires_at is None:
        return None
    now = datetime.now(UTC)
    try:
        moment = expires_at.replace(tzinfo=UTC) if expires_at.tzinfo is None else expires_at.astimezone(UTC)
    except OverflowError:
        moment = None
    if moment is None or not now < moment <= now + KEY_MAX_LIFETIME:
        raise Invalid("Give an expiry in the future and within ten years.", field="input.expiresAt")
    return moment


def _check_new_password(password: str, *, field: str) -> None:
    if not passwords.MIN_LENGTH <= len(password) <= passwords.MAX_LENGTH:
        raise Invalid(
            f"Passwords need {passwords.MIN_LENGTH}–{passwords.MAX_LENGTH} characters.",
            field=field,
        )
