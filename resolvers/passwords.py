"""Password hashing with argon2; hashing runs off the event loop."""

from __future__ import annotations

import asyncio

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

MIN_LENGTH = 10
MAX_LENGTH = 256

_hasher = PasswordHasher()


def use_parameters(hasher: PasswordHasher) -> None:
    """Swap the argon2 parameters (the test suite uses a cheap profile; hashes stay argon2id)."""
    global _hasher, _dummy_hash
    _hasher = hasher
    _dummy_hash = None


# A real hash to verify against when the user does not exist, so that a missing account costs as
# much time as a wrong password. Made at the first sign-in, not at import: every `beacon` command
# and server process imports this module, and most never check a password.
_dummy_hash: str | None = None


def _dummy() -> str:
    global _dummy_hash
    if _dummy_hash is None:
        _dummy_hash = _hasher.hash("beacon-timing-equaliser")
    return _dummy_hash


async def hash_password(password: str) -> str:
    return await asyncio.to_thread(_hasher.hash, password)


async def verify_password(password_hash: str | None, password: str) -> bool:
    """True when the password matches; a missing hash still spends the time."""
    return await asyncio.to_thread(_verify, password_hash, password)


def _verify(password_hash: str | None, password: str) -> bool:
    try:
        return _hasher.verify(password_hash or _dummy(), password) and password_hash is not None
    except (VerificationError, InvalidHashError):
        return False
