"""Global IDs as clients see them: base64 of 'Type:pk', opaque to them.

Plain functions without the GraphQL layer, so that the `beacon` command line can print and read
IDs without importing the whole schema (a second of start-up for each command); schema/relay.py
gives them to the schema typed as `ID`.
"""

from __future__ import annotations

import base64
import binascii
import functools


@functools.lru_cache(maxsize=65536)
def to_global_id(type_name: str, pk: int | str) -> str:
    """Opaque global ID: base64 of 'Type:pk' (memoised: a list page encodes the same tags and media many times)."""
    return base64.urlsafe_b64encode(f"{type_name}:{pk}".encode()).decode().rstrip("=")


# The largest offset a cursor may carry: no connection pages this far, and a larger one would
# overflow a 64-bit SQL OFFSET (PostgreSQL) or SQLite's integers.
MAX_CURSOR_OFFSET = 10**9 - 1


def ascii_number(text: str, max_digits: int) -> int | None:
    """The value of up to `max_digits` ASCII digits, else None.

    `str.isdigit` accepts Arabic-Indic, superscript and other Unicode digits (some of which `int`
    then refuses, others it reads), and `int` refuses more than 4,300 digits: neither belongs in
    an ID, a cursor or a token this server gave out.
    """
    if not 0 < len(text) <= max_digits or not (text.isascii() and text.isdigit()):
        return None
    return int(text)


def parse_global_id(global_id: str) -> tuple[str, int] | None:
    """(type name, pk) for a well-formed ID, else None."""
    try:
        padded = global_id + "=" * (-len(global_id) % 4)
        type_name, _, pk = base64.urlsafe_b64decode(padded.encode()).decode().partition(":")
    except (binascii.Error, UnicodeDecodeError, ValueError):
        return None
    number = ascii_number(pk, 18)
    if not type_name or number is None:
        return None
    return type_name, number
