"""Automatic persisted queries (Apollo's protocol) and trusted documents (an allowlist).

APQ: a request carries `extensions.persistedQuery = {version: 1, sha256Hash}`. With a query,
the hash must be the query's sha256 (hex); the query runs, and the pair is stored only when the
document parses and validates within the request limits (32,768 characters at most), so
anonymous registration cannot park arbitrary text in Redis for a day. Without a
query, a stored document runs, or the answer is Apollo's `PersistedQueryNotFound` (HTTP 200,
code PERSISTED_QUERY_NOT_FOUND) so that clients send it again with the full query.

Trusted documents (`BEACON_TRUSTED_DOCUMENTS`, a JSON object sha256 -> document, the shape of
Apollo's persisted query manifest when it is reduced to a map): only those documents run,
whether asked for by hash or sent in full; APQ registration is off; anything else is refused
with HTTP 400 and code PERSISTED_QUERY_NOT_ALLOWED.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from caching.stores import TieredStore

_SHA256 = re.compile(r"^[0-9a-f]{64}$")
# Stored documents stay for a day after their last registration; clients re-register on a miss.
APQ_TTL_SECONDS = 24 * 3600


@dataclass
class PersistedQueryError(Exception):
    """A request the persisted-query layer answers itself, in GraphQL's error shape."""

    status: int
    code: str
    message: str

    def body(self) -> dict[str, Any]:
        return {"errors": [{"message": self.message, "extensions": {"code": self.code}}]}


def sha256_hex(document: str) -> str:
    return hashlib.sha256(document.encode()).hexdigest()


def load_manifest(path: Path) -> dict[str, str]:
    """Read a trusted-documents manifest: {sha256: document}, or Apollo's {"operations": [{"id", "body"}]}."""
    raw = json.loads(path.read_text(encoding="utf-8"))
    if isinstance(raw, dict) and isinstance(raw.get("operations"), list):
        raw = {op["id"]: op["body"] for op in raw["operations"]}
    if not isinstance(raw, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in raw.items()):
        raise ValueError(f"{path}: a trusted-documents manifest is a JSON object of sha256 -> document")
    for key, document in raw.items():
        if sha256_hex(document) != key.lower():
            raise ValueError(f"{path}: the entry {key[:12]}… is not the sha256 of its document")
    return {k.lower(): v for k, v in raw.items()}


class PersistedQueries:
    """Resolves a request's document from its persisted-query extension (and enforces the allowlist)."""

    def __init__(
        self, store: TieredStore, trusted: dict[str, str] | None, admit: Callable[[str], bool] | None = None
    ) -> None:
        self.store = store
        self.trusted = trusted
        # Whether a document parses and validates within the limits: only such documents are stored.
        self.admit = admit or (lambda _document: True)

    async def resolve(self, query: str | None, extensions: dict[str, Any] | None) -> str | None:
        """The document to run for this request (None leaves strawberry to say that none was given)."""
        persisted = (extensions or {}).get("persistedQuery")
        if persisted is None:
            if self.trusted is not None and query is not None and sha256_hex(query) not in self.trusted:
                raise _not_allowed()
            return query
        if not isinstance(persisted, dict) or persisted.get("version") != 1:
            raise PersistedQueryError(
                400, "BAD_REQUEST", "Unsupported persisted query version: only version 1 is supported."
            )
        digest = persisted.get("sha256Hash")
        if not isinstance(digest, str) or not _SHA256.match(digest.lower()):
            raise PersistedQueryError(400, "BAD_REQUEST", "persistedQuery.sha256Hash must be 64 hexadecimal digits.")
        digest = digest.lower()
        if query is not None:
            if sha256_hex(query) != digest:
                raise PersistedQueryError(400, "BAD_REQUEST", "provided sha does not match query")
            if self.trusted is not None:
                if digest not in self.trusted:
                    raise _not_allowed()
                return query
            if self.admit(query):  # else it runs (and fails) once, and nothing is stored for it
                await self.store.set(digest, query.encode(), APQ_TTL_SECONDS)
            return query
        if self.trusted is not None:
            if digest not in self.trusted:
                raise _not_allowed()
            return self.trusted[digest]
        stored = await self.store.get(digest, APQ_TTL_SECONDS)
        if stored is None:
            # Apollo clients recognise this exact message (and code) and retry with the full query.
            raise PersistedQueryError(200, "PERSISTED_QUERY_NOT_FOUND", "PersistedQueryNotFound")
        return stored.decode()


NOT_ALLOWED_MESSAGE = "Only registered documents may run on this server (trusted documents)."


def _not_allowed() -> PersistedQueryError:
    return PersistedQueryError(400, "PERSISTED_QUERY_NOT_ALLOWED", NOT_ALLOWED_MESSAGE)
