"""Encryption at rest: envelope encryption with AES-256-GCM (docs/privacy.md, "Encryption at rest").

Every sealed value (a message body, a help plan's goals and measures, a visit's place and note, an
attachment's file) has its own random data key. The data key encrypts the value; a key-encryption key
(KEK) from BEACON_DATA_KEY wraps the data key, and the wrapped key is stored beside the value. A text
value is one string in its column::

    bk1.<kek id>.<wrapped data key>.<nonce and ciphertext>      (base64url, no padding)

Rotating the KEK re-wraps the short wrapped key and never touches the ciphertext. The KEK id is a
digest of the key, so a value names the key it needs and a wrong key is recognised, never used.
Each value is bound (associated data) to its purpose, e.g. "consultation_message.body": a value
copied into another column does not open.
"""

from __future__ import annotations

import base64
import hashlib
import secrets
from collections.abc import Sequence
from dataclasses import dataclass

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from settings import parse_data_key

PREFIX = "bk1"
NONCE_BYTES = 12
_WRAP_AAD = b"beacon-data-key:"


class DataKeyError(Exception):
    """The configured key-encryption keys cannot open what the database holds (a start-up error)."""


class SealedValueError(Exception):
    """A stored value is not a sealed value, or its authentication failed (tampered or wrong key)."""


def key_id(raw: bytes) -> str:
    """A KEK's public name: 16 hex digits of a digest, never the key."""
    return hashlib.sha256(b"beacon-kek-id:" + raw).hexdigest()[:16]


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


@dataclass(frozen=True)
class Keyring:
    """The KEKs this process holds; `current` wraps new data keys."""

    keys: dict[str, bytes]
    current: str

    def kek(self, kid: str) -> AESGCM:
        raw = self.keys.get(kid)
        if raw is None:
            raise DataKeyError(
                f"a value is sealed under data key {kid}, which BEACON_DATA_KEY does not hold "
                f"(it holds {', '.join(self.keys)})"
            )
        return AESGCM(raw)


_keyring: Keyring | None = None


def configure(keys: Sequence[str]) -> Keyring:
    """Hold these KEKs (base64) for this process; the first is the current one."""
    global _keyring
    raws = [parse_data_key(k) for k in keys]
    if not raws:
        raise DataKeyError("no data key configured (BEACON_DATA_KEY)")
    _keyring = Keyring({key_id(r): r for r in raws}, key_id(raws[0]))
    return _keyring


def keyring() -> Keyring:
    if _keyring is None:
        raise DataKeyError("no data key configured (BEACON_DATA_KEY)")
    return _keyring


# ------------------------------------------------------------------ data keys


def wrap(data_key: bytes) -> str:
    """`<kek id>.<nonce and wrapped key>` under the current KEK."""
    ring = keyring()
    nonce = secrets.token_bytes(NONCE_BYTES)
    wrapped = ring.kek(ring.current).encrypt(nonce, data_key, _WRAP_AAD + ring.current.encode())
    return f"{ring.current}.{_b64(nonce + wrapped)}"


def unwrap(wrapped: str) -> bytes:
    kid, _, blob = wrapped.partition(".")
    raw = _unb64(blob)
    try:
        return keyring().kek(kid).decrypt(raw[:NONCE_BYTES], raw[NONCE_BYTES:], _WRAP_AAD + kid.encode())
    except InvalidTag:
        raise SealedValueError(f"a data key wrapped under {kid} does not authenticate") from None


def rewrap(wrapped: str) -> str | None:
    """The same data key wrapped under the current KEK; None when it already is."""
    if wrapped.partition(".")[0] == keyring().current:
        return None
    return wrap(unwrap(wrapped))


# ------------------------------------------------------------------ bytes (files)


def seal_bytes(data: bytes, purpose: str) -> tuple[str, bytes]:
    """(wrapped data key, nonce + ciphertext) of data under a fresh data key."""
    data_key = AESGCM.generate_key(bit_length=256)
    nonce = secrets.token_bytes(NONCE_BYTES)
    return wrap(data_key), nonce + AESGCM(data_key).encrypt(nonce, data, purpose.encode())


def open_bytes(wrapped: str, sealed: bytes, purpose: str) -> bytes:
    try:
        return AESGCM(unwrap(wrapped)).decrypt(sealed[:NONCE_BYTES], sealed[NONCE_BYTES:], purpose.encode())
    except InvalidTag:
        raise SealedValueError(f"sealed {purpose} does not authenticate") from None


# ------------------------------------------------------------------ text (columns)


def seal_text(text: str, purpose: str) -> str:
    wrapped, sealed = seal_bytes(text.encode(), purpose)
    return f"{PREFIX}.{wrapped}.{_b64(sealed)}"


def is_sealed(value: object) -> bool:
    return isinstance(value, str) and value.startswith(PREFIX + ".")


def _parts(value: str) -> tuple[str, str]:
    pieces = value.split(".")
    if len(pieces) != 4 or pieces[0] != PREFIX:
        raise SealedValueError("not a sealed value")
    return f"{pieces[1]}.{pieces[2]}", pieces[3]


def open_text(value: str, purpose: str) -> str:
    wrapped, sealed = _parts(value)
    return open_bytes(wrapped, _unb64(sealed), purpose).decode()


def rewrap_text(value: str) -> str | None:
    """The value with its data key wrapped under the current KEK (ciphertext unchanged); None if it is."""
    wrapped, sealed = _parts(value)
    new = rewrap(wrapped)
    return None if new is None else f"{PREFIX}.{new}.{sealed}"


# ------------------------------------------------------------------ the check value of a KEK


CHECK_PURPOSE = "beacon-kek-check"


def check_value() -> str:
    """A value sealed under the current KEK that proves, when it opens, that the key is the same."""
    return seal_text(CHECK_PURPOSE, CHECK_PURPOSE)


def verify_check(kid: str, value: str) -> None:
    if kid not in keyring().keys:
        raise DataKeyError(
            f"the database holds data sealed under data key {kid}, which BEACON_DATA_KEY does not hold "
            f"(it holds {', '.join(keyring().keys)}): refusing to start rather than fail on every read"
        )
    try:
        ok = open_text(value, CHECK_PURPOSE) == CHECK_PURPOSE
    except SealedValueError:
        ok = False
    if not ok:
        raise DataKeyError(f"data key {kid} does not open the database's check value: refusing to start")
