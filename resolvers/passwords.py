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
    global _hasher
    _hasher = hasher


# A real hash to verify against when the user does not exist, so that a
# missing account costs as much time as a wrong password.
_DUMMY_HASH = _hasher.hash("beacon-timing-equaliser")


async def hash_password(password: str) -> str:
    return await asyncio.to_thread(_hasher.hash, password)


async def verify_password(password_hash: str | None, password: str) -> bool:
    """True when the password matches; a missing hash still spends the time."""
    try:
        return await asyncio.to_thread(_hasher.verify, password_hash or _DUMMY_HASH, password) and (
            password_hash is not None
        )
    except (VerificationError, InvalidHashError):
        return False
