"""Accounts service: users, organizations, sign-in, tokens and API keys."""

from __future__ import annotations

import hashlib
import secrets
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from tortoise.exceptions import IntegrityError
from tortoise.expressions import Q
from tortoise.transactions import in_transaction

from models.accounts import ApiKey, AuthToken, Organization, UsedRefreshToken, User
from models.base import OrganizationKind, Role
from resolvers import days, passwords, permissions, second_factor, throttle
from resolvers.actor import ANONYMOUS, Actor
from resolvers.errors import (
    Conflict,
    CredentialRejected,
    Forbidden,
    Invalid,
    InvalidMany,
    NotFound,
    RateLimited,
    RefreshTokenReused,
    SecondFactorRequired,
    SessionEnded,
)
from resolvers.events import CREDENTIALS_CHANNEL, Event, EventBus
from resolvers.listing import Listing, of_queryset
from settings import Settings

USERNAME_MAX_LENGTH = 64
API_KEY_PREFIX = "bk_"
# A credential's last use is written at most this often (one UPDATE a minute per active credential).
LAST_USE_EVERY = timedelta(minutes=1)
USERNAME_CHARS = frozenset("abcdefghijklmnopqrstuvwxyz0123456789_.-")
# A staff member's password-only sign-in that may only enrol a second factor lives this long.
ENROLMENT_TTL = timedelta(minutes=15)
ENROLMENT_SCOPE = "enrolment"
# refreshSession with a refresh token that signs nobody in: this many from one address in the window, then wait.
REFRESH_FAILURE_LIMIT = 50
REFRESH_FAILURE_WINDOW = timedelta(minutes=15)
REFRESH_ENDED_MESSAGES = {
    "expired": "This session has expired; sign in again.",
    "revoked": "This session was ended (signed out, password changed or reset by an admin); sign in again.",
    "invalid": "This refresh token is not valid; sign in again.",
    "deactivated": "This account is deactivated.",
}


@dataclass(frozen=True)
class SessionPolicy:
    """How long sessions last and whether staff need a second factor (from Settings; docs/accounts.md)."""

    token_ttl: timedelta = timedelta(days=30)
    access_ttl: timedelta = timedelta(hours=1)
    staff_second_factor: bool = False
    staff_idle: timedelta = timedelta(minutes=30)
    staff_ttl: timedelta = timedelta(hours=12)

    @classmethod
    def of(cls, settings: Settings) -> SessionPolicy:
        return cls(
            token_ttl=timedelta(seconds=settings.token_ttl_seconds),
            access_ttl=timedelta(seconds=settings.access_token_seconds),
            staff_second_factor=settings.staff_second_factor,
            staff_idle=timedelta(seconds=settings.staff_idle_seconds),
            staff_ttl=timedelta(seconds=settings.staff_session_seconds),
        )


DEFAULT_POLICY = SessionPolicy()


@dataclass(frozen=True)
class Session:
    """A fresh sign-in: the bearer token (shown once) and its user.

    `enrolment_only`: a staff member without a second factor signed in with the password alone; the
    token may only enrol one (the enrolment mutations, logout) and ends after ENROLMENT_TTL.
    `refresh_token` (shown once): renews `token` with refreshSession; None for staff and enrolment.
    """

    token: str
    user: User
    enrolment_only: bool = False
    refresh_token: str | None = None


def secret_digest(secret: str) -> str:
    """How a bearer token, refresh token, API key or download link is stored: its SHA-256, never itself."""
    return hashlib.sha256(secret.encode()).hexdigest()


def username_key(username: str) -> str:
    """The case-insensitive form usernames are compared in."""
    return unicodedata.normalize("NFKC", username).strip().casefold()


def _validate_new_user(username: str, password: str, display_name: str) -> str:
    """Check a new account's fields; return the normalised username."""
    problems: list[Invalid] = []
    username = unicodedata.normalize("NFKC", username).strip()
    key = username.casefold()
    if not 3 <= len(key) <= USERNAME_MAX_LENGTH or not set(key) <= USERNAME_CHARS:
        problems.append(
            Invalid(
                "Usernames are 3–64 characters: letters, digits, '_', '.' or '-'.",
                field="input.username",
            )
        )
    if not passwords.MIN_LENGTH <= len(password) <= passwords.MAX_LENGTH:
        problems.append(
            Invalid(
                f"Passwords need at least {passwords.MIN_LENGTH} characters.",
                field="input.password",
            )
        )
    if not display_name.strip() or len(display_name) > 100:
        problems.append(Invalid("Give a display name of 1–100 characters.", field="input.displayName"))
    if problems:
        raise InvalidMany(list(problems)) if len(problems) > 1 else problems[0]
    return username


async def _insert_user(
    username: str,
    password: str,
    display_name: str,
    roles: Iterable[Role],
    organization_id: int | None,
    *,
    password_hash: str | None = None,
) -> User:
    username = _validate_new_user(username, password, display_name)
    role_list = sorted({Role(r).value for r in roles})
    if not role_list:
        raise Invalid("Give at least one role.", field="input.roles")
    if password_hash is None:
        password_hash = await passwords.hash_password(password)
    try:
        return await User.create(
            username=username,
            username_key=username.casefold(),
            display_name=display_name.strip(),
            password_hash=password_hash,
            roles=role_list,
            organization_id=organization_id,
        )
    except IntegrityError:
        raise Conflict("That username is taken.", field="input.username") from None


async def register(
    *, username: str, password: str, display_name: str, role: Role | None, client_address: str
) -> Session:
    """Self-registration: only LEARNER or CLIENT may be chosen."""
    chosen = role or Role.LEARNER
    if chosen not in permissions.SELF_REGISTRABLE_ROLES:
        raise Forbidden("Only LEARNER or CLIENT can be chosen when registering.", field="input.role")
    await throttle.check_registration(client_address)
    user = await _insert_user(username, password, display_name, [chosen], None)
    return await _open_session(user)


async def create_user(
    actor: Actor,
    *,
    username: str,
    password: str,
    display_name: str,
    roles: Sequence[Role],
    organization_id: int | None,
) -> User:
    """An admin creates an account with any roles."""
    permissions.require_role(actor, permissions.can_manage_users(actor), "Only admins can create users.")
    if organization_id is not None and not await Organization.exists(id=organization_id):
        raise NotFound("No such organization.", field="input.organizationId")
    return await _insert_user(username, password, display_name, roles, organization_id)


async def create_user_unchecked(
    *,
    username: str,
    password: str,
    display_name: str,
    roles: Sequence[Role],
    organization_id: int | None,
    password_hash: str | None = None,
) -> User:
    """Create an account from the operator's command line or the demo seed (no actor to check).

    `password_hash`, a hash of this same password made earlier, saves hashing it again: the demo's
    experts share one published password, and argon2 costs a third of a second a hash.
    """
    return await _insert_user(username, password, display_name, roles, organization_id, password_hash=password_hash)


async def login(
    *, username: str, password: str, otp: str | None, client_address: str, policy: SessionPolicy
) -> Session:
    """Check a password (and a second factor) and open a session.

    Failures are throttled (resolvers/throttle.py, docs/security.md), a wrong second-factor code
    exactly like a wrong password. A right password without a needed code is not counted either
    way (SecondFactorRequired): it neither fails nor forgives earlier failures. A staff member
    without a second factor, when one is required, gets an enrolment-only session.
    """
    key = username_key(username)
    attempt = await throttle.begin_sign_in(key, client_address)
    # No account has a longer name or password: answer as for a wrong password, without a lookup.
    plausible = len(key) <= USERNAME_MAX_LENGTH and len(password) <= passwords.MAX_LENGTH
    user = await User.get_or_none(username_key=key, is_active=True) if plausible else None
    # Verify even without a user (against a dummy hash), so the answer takes as long either way.
    checked = password[: passwords.MAX_LENGTH]
    if not await passwords.verify_password(user.password_hash if user else None, checked) or user is None:
        await attempt.failed()
        raise Invalid("Wrong username or password.", field="input.password")
    if second_factor.is_enrolled(user):
        if not (otp or "").strip():
            await attempt.not_counted()
            raise SecondFactorRequired("Enter the code from your authenticator app.", field="input.otp")
        if not await second_factor.check(user, otp or ""):
            await attempt.failed()
            raise Invalid("That code is wrong or was used already.", field="input.otp")
    elif policy.staff_second_factor and second_factor.is_staff(user):
        await attempt.not_counted()
        return await _open_session(user, policy, enrolment_only=True)
    await attempt.succeeded()
    return await _open_session(user, policy)


async def _open_session(user: User, policy: SessionPolicy = DEFAULT_POLICY, *, enrolment_only: bool = False) -> Session:
    """Store a new session for the user.

    Staff sessions get the idle limit and the shorter lifetime, and no refresh token (their limits
    are the point). Everyone else gets a short access token and a refresh token that lives the
    session's full lifetime (docs/accounts.md, "Short access tokens and refresh").
    """
    token = secrets.token_urlsafe(32)
    now = datetime.now(UTC)
    ttl, idle = policy.token_ttl, None
    refresh: str | None = None
    refresh_expires_at: datetime | None = None
    if enrolment_only:
        ttl = ENROLMENT_TTL
    elif second_factor.is_staff(user):
        ttl, idle = min(ttl, policy.staff_ttl), int(policy.staff_idle.total_seconds())
    else:
        refresh, refresh_expires_at = secrets.token_urlsafe(32), now + ttl
        ttl = min(ttl, policy.access_ttl)
    # Signing in is the session's first use: a request within the next minute writes nothing.
    await AuthToken.create(
        token_hash=secret_digest(token),
        user=user,
        expires_at=now + ttl,
        last_used_at=now,
        scope=ENROLMENT_SCOPE if enrolment_only else None,
        idle_seconds=idle,
        refresh_hash=secret_digest(refresh) if refresh else None,
        refresh_expires_at=refresh_expires_at,
    )
    return Session(token=token, user=user, enrolment_only=enrolment_only, refresh_token=refresh)


async def refresh_session(refresh_token: str, *, policy: SessionPolicy, bus: EventBus, client_address: str) -> Session:
    """Trade a session's refresh token for a new access token and a new refresh token (rotation).

    The same session row gets both new hashes and a new access expiry, so the old access token ends
    at once and everything that ends a session (revokeSession, signOutEverywhere, deactivation,
    erasure) ends its refresh too. The traded refresh token is remembered: presenting it again is
    reuse (two parties hold the session), which revokes the session, closes its sockets and answers
    REFRESH_TOKEN_REUSED. Tokens that sign nobody in are throttled per address.
    """
    bucket = f"refresh:address:{client_address}"
    if await throttle.count(bucket, window=REFRESH_FAILURE_WINDOW) >= REFRESH_FAILURE_LIMIT:
        raise RateLimited(
            "Too many refused refresh tokens. Wait 15 minutes and try again.",
            retry_after=REFRESH_FAILURE_WINDOW.total_seconds(),
        )
    digest = secret_digest(refresh_token)
    now = datetime.now(UTC)
    access, refresh = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
    async with in_transaction():
        token = await AuthToken.get_or_none(refresh_hash=digest).select_related("user")
        ended = _refresh_problem(token, now)
        rotated = 0
        if token is not None and ended is None and token.refresh_expires_at is not None:
            # Conditional on the old refresh hash: of two refreshes with one token, one rotates.
            rotated = await AuthToken.filter(id=token.id, refresh_hash=digest, revoked_at=None).update(
                token_hash=secret_digest(access),
                refresh_hash=secret_digest(refresh),
                expires_at=min(now + policy.access_ttl, token.refresh_expires_at),
                last_used_at=now,
            )
            if rotated:
                await UsedRefreshToken.create(refresh_hash=digest, token_id=token.id, used_at=now)
        reused = None if rotated or ended is not None else await _revoke_reused(digest, token, now)
    if rotated and token is not None:
        return Session(token=access, user=token.user, refresh_token=refresh)
    if reused is not None:
        await announce_ended(bus, {"tokens": [reused], "reason": "revoked"})
        raise RefreshTokenReused(
            "This refresh token was used already, so this session was ended everywhere; sign in again.",
            field="refreshToken",
        )
    reason = ended or "invalid"
    if reason == "invalid":
        await throttle.record(bucket)  # only guesses count: an ended session is no attack
    raise SessionEnded(REFRESH_ENDED_MESSAGES[reason], field="refreshToken")


def _refresh_problem(token: AuthToken | None, now: datetime) -> str | None:
    """Why a refresh token's session cannot be renewed; None when it can, or when no session holds it now."""
    if token is None:
        return None
    if not token.user.is_active:
        return "deactivated"
    if token.revoked_at is not None:
        return "revoked"
    if token.refresh_expires_at is None or token.refresh_expires_at <= now:
        return "expired"
    return None


async def _revoke_reused(digest: str, current: AuthToken | None, now: datetime) -> int | None:
    """A refresh token that is no session's current one: if it was traded before (or is being traded
    by a concurrent refresh), end its session and return the session's id; None if it never existed."""
    session_id = current.id if current is not None else None
    if session_id is None:
        used = await UsedRefreshToken.get_or_none(refresh_hash=digest)
        if used is None:
            return None
        session_id = used.token_id
    await AuthToken.filter(id=session_id, revoked_at=None).update(revoked_at=now)
    return session_id


def session_alive(now: datetime) -> Q:
    """Sessions that may still be used: the access token or the refresh token has not expired."""
    return Q(expires_at__gt=now) | Q(refresh_expires_at__gt=now)


async def idled_out(user_id: int, now: datetime) -> list[int]:
    """The user's unexpired sessions past their idle limit (staff unused that long): they sign nobody in any more.

    Only staff sessions carry a limit, so this reads a handful of rows; the arithmetic is done here, the
    same `_ends_at` the sign-in check uses, rather than in each dialect's date functions.
    """
    rows = await AuthToken.filter(
        user_id=user_id, revoked_at=None, expires_at__gt=now, idle_seconds__isnull=False, last_used_at__isnull=False
    ).values_list("id", "expires_at", "last_used_at", "idle_seconds")
    return [pk for pk, expires_at, used, idle in rows if _ends_at(expires_at, used, idle) <= now]


async def logout(actor: Actor, bus: EventBus) -> bool:
    """Revoke the bearer token the request came with, and end the sockets opened with it."""
    if actor.token_id is None:
        return False
    revoked = await AuthToken.filter(id=actor.token_id, revoked_at=None).update(revoked_at=datetime.now(UTC))
    if revoked:
        await announce_ended(bus, {"tokens": [actor.token_id], "reason": "revoked"})
    return revoked > 0


@dataclass(frozen=True)
class Identity:
    """Who a credential signs in, and until when it works on its own (None: no fixed end)."""

    actor: Actor
    expires_at: datetime | None = None


ANONYMOUS_IDENTITY = Identity(ANONYMOUS)


async def identify(credential: str | None, *, use: bool = True) -> Identity:
    """Turn a bearer token or API key into an Identity.

    No credential is anonymous. A credential that signs nobody in raises CredentialRejected with
    its reason (expired, revoked, invalid, deactivated): it is never quietly treated as anonymous.
    `use=False` checks without counting as use: an event pushed to an open socket is not the
    person at work, so it must not keep a staff session from idling out.
    """
    if not credential:
        return ANONYMOUS_IDENTITY
    if credential.startswith(API_KEY_PREFIX):
        return await _identify_api_key(credential)
    token = await AuthToken.get_or_none(token_hash=secret_digest(credential)).select_related("user")
    if token is None:
        raise CredentialRejected("invalid")
    now = datetime.now(UTC)
    state = _token_state(
        token.revoked_at, token.expires_at, token.user.is_active, token.last_used_at, token.idle_seconds, now
    )
    if state.ended is not None:
        raise CredentialRejected(state.ended)
    last_used = token.last_used_at
    if use and (last_used is None or now - last_used >= LAST_USE_EVERY):
        await AuthToken.filter(id=token.id).update(last_used_at=now)
        last_used = now
    ends = _ends_at(token.expires_at, last_used, token.idle_seconds)
    if token.scope == ENROLMENT_SCOPE:
        # Not a full sign-in: anonymous but for the enrolment mutations (resolvers/credentials.py).
        return Identity(Actor(token_id=token.id, enrolling_user_id=token.user_id), ends)
    return Identity(actor_for(token.user, token_id=token.id), ends)


async def session_actor(user_id: int, token_id: int) -> Actor:
    """The Actor of one sign-in, by its token row (a signed media link names it); raises CredentialRejected
    when that sign-in no longer signs its user in, so ending the session ends its links too."""
    token = await AuthToken.get_or_none(id=token_id, user_id=user_id).select_related("user")
    if token is None:
        raise CredentialRejected("revoked")  # signed out: the row is gone
    state = _token_state(
        token.revoked_at,
        token.expires_at,
        token.user.is_active,
        token.last_used_at,
        token.idle_seconds,
        datetime.now(UTC),
    )
    if state.ended is not None:
        raise CredentialRejected(state.ended)
    if token.scope == ENROLMENT_SCOPE:
        raise CredentialRejected("invalid")  # not a full sign-in: it is never given a link
    return actor_for(token.user, token_id=token.id)


async def authenticate(credential: str | None) -> Actor:
    """The Actor of a bearer token or API key (anonymous without one); raises CredentialRejected."""
    return (await identify(credential)).actor


def _ends_at(expires_at: datetime, last_used_at: datetime | None, idle_seconds: int | None) -> datetime:
    """When a token stops working unless used again: its expiry, or earlier after its idle limit."""
    if idle_seconds is None or last_used_at is None:
        return expires_at
    return min(expires_at, last_used_at + timedelta(seconds=idle_seconds))


def _token_state(
    revoked_at: datetime | None,
    expires_at: datetime,
    user_active: bool,
    last_used_at: datetime | None,
    idle_seconds: int | None,
    now: datetime,
) -> CredentialState:
    """Whether a stored token still signs its user in (and until when), or why not.

    A staff session unused for its idle limit has expired (recorded use is at most a minute old,
    so it may end up to a minute early).
    """
    ends = _ends_at(expires_at, last_used_at, idle_seconds)
    if not user_active:
        return CredentialState("deactivated", ends)
    if revoked_at is not None:
        return CredentialState("revoked", ends)
    if ends <= now:
        return CredentialState("expired", ends)
    return CredentialState(None, ends)


def actor_for(user: User, *, token_id: int | None = None) -> Actor:
    return Actor(
        user_id=user.id,
        roles=frozenset(Role(r) for r in user.roles),
        organization_id=user.organization_id,
        display_name=user.display_name,
        token_id=token_id,
    )


async def _identify_api_key(credential: str) -> Identity:
    key = await ApiKey.get_or_none(key_hash=secret_digest(credential))
    now = datetime.now(UTC)
    if key is None:
        raise CredentialRejected("invalid")
    problem = _key_problem(key.revoked_at, key.expires_at, now)
    if problem is not None:
        raise CredentialRejected(problem)
    if key.last_used_at is None or now - key.last_used_at >= LAST_USE_EVERY:
        await ApiKey.filter(id=key.id).update(last_used_at=now)
    return Identity(Actor(api_key_id=key.id, organization_id=key.organization_id), key.expires_at)


def _key_problem(revoked_at: datetime | None, expires_at: datetime | None, now: datetime) -> str | None:
    if revoked_at is not None:
        return "revoked"
    if expires_at is not None and expires_at <= now:
        return "expired"
    return None


@dataclass(frozen=True)
class CredentialState:
    """What the database says of one open socket's credential now."""

    ended: str | None  # the reason it no longer works, or None
    expires_at: datetime | None


async def credential_states(
    token_ids: Sequence[int], api_key_ids: Sequence[int]
) -> tuple[dict[int, CredentialState], dict[int, CredentialState]]:
    """The state of many sockets' credentials in two queries (a credential with no row has ended)."""
    now = datetime.now(UTC)
    tokens: dict[int, CredentialState] = {i: CredentialState("invalid", None) for i in token_ids}
    if token_ids:
        rows = await AuthToken.filter(id__in=list(token_ids)).values(
            "id", "revoked_at", "expires_at", "user__is_active", "last_used_at", "idle_seconds"
        )
        for row in rows:
            tokens[row["id"]] = _token_state(
                row["revoked_at"],
                row["expires_at"],
                row["user__is_active"],
                row["last_used_at"],
                row["idle_seconds"],
                now,
            )
    keys: dict[int, CredentialState] = {i: CredentialState("invalid", None) for i in api_key_ids}
    if api_key_ids:
        for row in await ApiKey.filter(id__in=list(api_key_ids)).values("id", "revoked_at", "expires_at"):
            problem = _key_problem(row["revoked_at"], row["expires_at"], now)
            keys[row["id"]] = CredentialState(problem, row["expires_at"])
    return tokens, keys


async def announce_ended(bus: EventBus, event: Event) -> None:
    """Tell every server process that credentials ended (after the commit), so their sockets close.

    `event` is one of {"tokens": [ids]}, {"user": id, "keep_token": id | None} (all of a user's
    sessions, maybe but one) or {"api_key": id}, each with a "reason".
    """
    await bus.publish(CREDENTIALS_CHANNEL, event)


async def create_api_key(*, name: str, organization: Organization, expires_at: datetime | None = None) -> str:
    """Create an integration key and return its secret (shown once, stored hashed)."""
    _, secret = await insert_api_key(name=name, organization=organization, expires_at=expires_at)
    return secret


async def insert_api_key(*, name: str, organization: Organization, expires_at: datetime | None) -> tuple[ApiKey, str]:
    """Store a new key (hashed) and return it with its secret."""
    secret = API_KEY_PREFIX + secrets.token_urlsafe(32)
    key = await ApiKey.create(
        name=name, key_hash=secret_digest(secret), organization=organization, expires_at=expires_at
    )
    return key, secret


async def create_organization(
    actor: Actor | None, *, name: str, kind: OrganizationKind, region: str | None, time_zone: str | None = None
) -> Organization:
    """Admins create organizations (actor None: the operator's command line)."""
    if actor is not None:
        permissions.require_role(
            actor, permissions.can_manage_organizations(actor), "Only admins can create organizations."
        )
    zone_name = days.valid_time_zone(time_zone, "input.timeZone")
    name = name.strip()
    if not 1 <= len(name) <= 200:
        raise Invalid("Give a name of 1–200 characters.", field="input.name")
    async with in_transaction():
        if await Organization.exists(name=name):
            raise Conflict("An organization with that name exists.", field="input.name")
        return await Organization.create(
            name=name, kind=kind, region=(region or "").strip() or None, time_zone=zone_name
        )


async def set_organization_time_zone(actor: Actor, organization_id: int, time_zone: str) -> Organization:
    """Admins move an organization to another time zone; days already counted keep their date."""
    permissions.require_role(
        actor, permissions.can_manage_organizations(actor), "Only admins can change organizations."
    )
    zone_name = days.valid_time_zone(time_zone, "input.timeZone")
    organization = await Organization.get_or_none(id=organization_id)
    if organization is None:
        raise NotFound("No such organization.", field="input.organizationId")
    organization.time_zone = zone_name
    await organization.save(update_fields=["time_zone", "updated_at"])
    return organization


async def find_organization(id_or_name: str) -> Organization:
    """Look an organization up by numeric ID or exact name (for the command line)."""
    org = None
    if id_or_name.isdigit():
        org = await Organization.get_or_none(id=int(id_or_name))
    org = org or await Organization.get_or_none(name=id_or_name)
    if org is None:
        raise NotFound(f"No organization {id_or_name!r}.")
    return org


async def viewer(actor: Actor) -> User | None:
    """The signed-in person's own account; None for anonymous callers and integrations."""
    return await User.get_or_none(id=actor.user_id) if actor.user_id is not None else None


async def get_user(actor: Actor, user_id: int) -> User | None:
    """A user the actor may see, else None (decided before the lookup: a guessed id answers as a missing one)."""
    if not permissions.can_read_user(actor, user_id):
        return None
    return await User.get_or_none(id=user_id)


async def get_organization(actor: Actor, organization_id: int) -> Organization | None:
    if not permissions.can_read_organization(actor, organization_id):
        return None
    return await Organization.get_or_none(id=organization_id)


def organizations_for(actor: Actor) -> Listing[Organization]:
    """Admins: every organization by name; anyone else: their own (none without one)."""
    if permissions.is_admin(actor):
        return of_queryset(Organization.all().order_by("name", "id"))
    return of_queryset(Organization.filter(id=actor.organization_id or -1).order_by("id"))


async def display_names_by_user_id(ids: Sequence[int]) -> list[str | None]:
    """People's current shown names (an erased account's is "Former user"), for the audit log's readers."""
    found = dict(await User.filter(id__in=list(ids)).values_list("id", "display_name"))
    return [found.get(i) for i in ids]


async def organizations_by_id(ids: Sequence[int]) -> list[Organization | None]:
    found = {o.id: o for o in await Organization.filter(id__in=list(ids))}
    return [found.get(i) for i in ids]
