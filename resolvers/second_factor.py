"""The TOTP second factor (RFC 6238, `pyotp`) and its recovery codes (docs/accounts.md).

Experts and admins need it when `BEACON_STAFF_SECOND_FACTOR` is `required`; anyone who enrolled
uses it. The secret is sealed at rest (resolvers/vault.py, bound to its column). A code is accepted
for its own 30-second step and the ones either side (clock drift), and only once: the last accepted
step is stored and a conditional UPDATE admits only a later one, so a code seen over someone's
shoulder, or sent twice at once, opens nothing. Recovery codes are 80 random bits, stored as
SHA-256 digests and spent by a conditional UPDATE (single use, also under concurrency).

This module holds the primitives; the enrolment and admin mutations are in resolvers/credentials.py,
sign-in in resolvers/accounts.py.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from datetime import UTC, datetime

import pyotp
from tortoise.expressions import Q

from models.accounts import RecoveryCode, User
from models.base import Role
from resolvers import vault

# Who must use a second factor when the setting requires it.
STAFF_ROLES = frozenset({Role.EXPERT, Role.ADMIN})
SEALED_AS = "app_user.totp_secret"
ISSUER = "Beacon"
RECOVERY_CODES = 10
DRIFT_STEPS = 1  # steps accepted either side of the current one
DIGITS = 6


def is_staff(user: User) -> bool:
    """Experts and admins (the people the second factor is required of)."""
    return any(Role(r) in STAFF_ROLES for r in user.roles)


def is_enrolled(user: User) -> bool:
    return user.totp_confirmed_at is not None and user.totp_secret is not None


def new_secret() -> str:
    """A fresh base32 secret (160 bits, as RFC 4226 recommends)."""
    return pyotp.random_base32(32)


def seal_secret(secret: str) -> str:
    return vault.seal_text(secret, SEALED_AS)


def open_secret(user: User) -> str | None:
    return None if user.totp_secret is None else vault.open_text(user.totp_secret, SEALED_AS)


def otpauth_uri(secret: str, username: str) -> str:
    """What an authenticator app reads (typed in, or from a QR code of it)."""
    return pyotp.TOTP(secret).provisioning_uri(name=username, issuer_name=ISSUER)


def matching_step(secret: str, code: str, at: datetime | None = None) -> int | None:
    """The time step (within the drift) whose code this is, or None."""
    code = code.strip().replace(" ", "")
    if len(code) != DIGITS or not code.isdigit():
        return None
    totp = pyotp.TOTP(secret)
    current = totp.timecode(at or datetime.now(UTC))
    for step in range(current - DRIFT_STEPS, current + DRIFT_STEPS + 1):
        if hmac.compare_digest(totp.generate_otp(step), code):
            return step
    return None


async def accept_totp(user: User, secret: str, code: str) -> bool:
    """Whether the code is good for the secret and not used before; records its step if so."""
    step = matching_step(secret, code)
    if step is None:
        return False
    # Only a step later than the last accepted one: a replayed code (or a race with itself) updates nothing.
    fresh = Q(totp_last_step__isnull=True) | Q(totp_last_step__lt=step)
    return await User.filter(fresh, id=user.id).update(totp_last_step=step) == 1


def _recovery_digest(code: str) -> str:
    normal = code.strip().lower().replace("-", "").replace(" ", "")
    return hashlib.sha256(f"beacon-recovery:{normal}".encode()).hexdigest()


def _new_recovery_code() -> str:
    raw = base64.b32encode(secrets.token_bytes(10)).decode().lower()  # 16 characters, 80 bits
    return "-".join(raw[i : i + 4] for i in range(0, 16, 4))


async def replace_recovery_codes(user_id: int) -> list[str]:
    """Ten new codes (shown once; any older ones stop working)."""
    codes = [_new_recovery_code() for _ in range(RECOVERY_CODES)]
    await RecoveryCode.filter(user_id=user_id).delete()
    await RecoveryCode.bulk_create([RecoveryCode(user_id=user_id, code_hash=_recovery_digest(c)) for c in codes])
    return codes


async def spend_recovery_code(user: User, code: str) -> bool:
    """Use up one recovery code; False if it is wrong or was used before."""
    if not 16 <= len(code.strip()) <= 40:
        return False
    spent = await RecoveryCode.filter(user_id=user.id, code_hash=_recovery_digest(code), used_at=None).update(
        used_at=datetime.now(UTC)
    )
    return spent == 1


async def check(user: User, code: str) -> bool:
    """A TOTP code or a recovery code of an enrolled person, accepted once."""
    secret = open_secret(user)
    if secret is None or len(code) > 64:
        return False
    return await accept_totp(user, secret, code) or await spend_recovery_code(user, code)


async def recovery_codes_left(user_id: int) -> int:
    return await RecoveryCode.filter(user_id=user_id, used_at=None).count()


async def enrol_unchecked(user: User, secret: str | None = None) -> tuple[str, list[str]]:
    """Enrol a person at once with a given (or new) secret: demo data and tests' arrange steps."""
    secret = secret or new_secret()
    user.totp_secret = seal_secret(secret)
    user.totp_confirmed_at = datetime.now(UTC)
    user.totp_last_step = None
    await user.save(update_fields=["totp_secret", "totp_confirmed_at", "totp_last_step", "updated_at"])
    return secret, await replace_recovery_codes(user.id)


async def clear(user_id: int) -> None:
    """Forget a person's second factor and recovery codes (an admin's reset)."""
    await User.filter(id=user_id).update(totp_secret=None, totp_confirmed_at=None, totp_last_step=None)
    await RecoveryCode.filter(user_id=user_id).delete()
