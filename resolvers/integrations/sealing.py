"""Secrets Beacon must use again (webhook signing secrets, LRS passwords), sealed at rest.

They cannot be stored hashed like API keys: Beacon signs and authenticates with them. They are
encrypted with Fernet under a key derived from BEACON_SECRET_KEY, so a copy of the database alone
yields none of them. Rotating BEACON_SECRET_KEY means registering them again.
"""

from __future__ import annotations

import base64
import hashlib
import secrets

from cryptography.fernet import Fernet, InvalidToken

WEBHOOK_SECRET_PREFIX = "whsec_"  # noqa: S105 (a prefix, not a secret)


def _fernet(secret_key: str) -> Fernet:
    digest = hashlib.sha256(b"beacon-integrations-sealing:" + secret_key.encode()).digest()
    return Fernet(base64.urlsafe_b64encode(digest))


def seal(secret_key: str, value: str) -> str:
    return _fernet(secret_key).encrypt(value.encode()).decode()


def unseal(secret_key: str, sealed: str) -> str | None:
    """The value, or None when it was sealed under another BEACON_SECRET_KEY."""
    try:
        return _fernet(secret_key).decrypt(sealed.encode()).decode()
    except InvalidToken:
        return None


def new_webhook_secret() -> str:
    """A Standard Webhooks secret: 'whsec_' and 32 random bytes in base64."""
    return WEBHOOK_SECRET_PREFIX + base64.b64encode(secrets.token_bytes(32)).decode()
