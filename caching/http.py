"""The HTTP side of caching: persisted queries, the public response cache, ETag and Cache-Control.

`GraphQLCaching.prepare` runs before strawberry for GET and JSON POST requests: it parses the
request once, resolves persisted queries, and, for an anonymous request whose operation reads
only public fields (caching.public), looks the response up under

    blake2b(content version, document sha256, operation name, variables, negotiated locale, "anonymous")

The negotiated locale (locales.negotiate of Accept-Language) is in the key because lists, search
and sync answer in it; two headers that negotiate the same locale share an entry. A hit is answered here without touching strawberry or the database. On a miss the request runs
normally and `finish` stores a 200 answer without errors. Every GraphQL answer over HTTP gets
`Cache-Control`: public (with an ETag) only for a cacheable GET, `private, no-store` otherwise.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable
from dataclasses import dataclass

import orjson
from graphql import GraphQLSchema
from starlette.requests import Request
from starlette.responses import Response
from strawberry.extensions.parser_cache import _get_parse_cache
from strawberry.http import GraphQLRequestData

from caching.persisted import (
    PersistedQueries,
    PersistedQueryError,
    load_manifest,
    sha256_hex,
)
from caching.public import is_public_operation
from caching.stores import ContentVersion, LocalLRU, RedisClient, TieredStore
from locales import negotiate
from settings import Settings

log = logging.getLogger("beacon.cache")

PARSER_CACHE_SIZE = 512
NO_STORE = "private, no-store"
# A preview token (docs/content.md, "Previews"): its answers show drafts, so they are never cached.
PREVIEW_HEADER = "beacon-preview"
_ETAG_LENGTH = 34  # '"' + 32 hex digits + '"'
STATE_KEY = "beacon_graphql_request"


@dataclass
class Plan:
    """What prepare decided for one request."""

    cache_key: str | None = None
    public_get: bool = False
    response: Response | None = None


class GraphQLCaching:
    """Persisted queries and the public response cache of one app."""

    def __init__(self, settings: Settings, admit: Callable[[str], bool] | None = None) -> None:
        self.settings = settings
        self.redis = RedisClient(settings.redis_url) if settings.redis_url else None
        prefix = settings.events_prefix.rstrip(":")
        trusted = load_manifest(settings.trusted_documents) if settings.trusted_documents else None
        self.persisted = PersistedQueries(TieredStore(f"{prefix}:apq", 1000, self.redis), trusted, admit)
        self.responses = TieredStore(f"{prefix}:response", settings.response_cache_entries, self.redis)
        self.version = ContentVersion(f"{prefix}:content-version", self.redis)
        self.enabled = settings.response_cache
        self.max_age = settings.response_cache_max_age
        self.public_header = (
            f"public, max-age={settings.response_cache_max_age}, "
            f"stale-while-revalidate={settings.response_cache_stale_while_revalidate}"
        )
        self._decisions = LocalLRU(2048)
        # Raw request bytes (caching/shortcut.py) -> the version-free part of their cache key.
        self._shortcuts = LocalLRU(4096)
        self.shortcut_hits = 0  # answers given by the shortcut, for tests and operators
        self._parse = _get_parse_cache(PARSER_CACHE_SIZE)

    async def close(self) -> None:
        if self.redis is not None:
            await self.redis.close()

    async def resolve(self, data: GraphQLRequestData) -> GraphQLRequestData:
        """The request with its document filled in from a persisted query (or refused)."""
        query = await self.persisted.resolve(data.query, data.extensions)
        if query is data.query:
            return data
        return GraphQLRequestData(
            query=query,
            variables=data.variables,
            operation_name=data.operation_name,
            extensions=data.extensions,
            protocol=data.protocol,
        )

    def is_public(self, schema: GraphQLSchema, query: str, operation_name: str | None) -> bool:
        decision_key = f"{sha256_hex(query)}:{operation_name or ''}"
        known = self._decisions.get(decision_key)
        if known is not None:
            return known == b"1"
        try:
            if len(query) > self.settings.query_max_characters:
                raise ValueError("over the document length limit")  # not lexed: strawberry refuses it
            document = self._parse(query, max_tokens=self.settings.query_max_tokens)
        except Exception:  # a syntax error or too long: strawberry reports it; never cached  # noqa: BLE001
            public = False
        else:
            public = is_public_operation(schema, document, operation_name)
        self._decisions.set(decision_key, b"1" if public else b"0", 24 * 3600)
        return public

    async def lookup(self, request: Request, schema: GraphQLSchema, data: GraphQLRequestData, plan: Plan) -> None:
        """Set plan.cache_key (and plan.response on a hit) for an anonymous public read."""
        if not self.enabled or data.query is None:
            return
        if request.headers.get("authorization") is not None or request.headers.get(PREVIEW_HEADER) is not None:
            return
        if data.protocol != "http" or not self.is_public(schema, data.query, data.operation_name):
            return
        version = await self.version.current()
        if version is None:
            return
        variables = orjson.dumps(data.variables or {}, option=orjson.OPT_SORT_KEYS)
        locale = negotiate(request.headers.get("accept-language"))
        tail = b"\0".join(
            [
                sha256_hex(data.query).encode(),
                (data.operation_name or "").encode(),
                variables,
                locale.encode(),
                b"anonymous",
            ]
        )
        plan.cache_key = _response_key(version, tail)
        signature = request.scope.get("state", {}).get(SIGNATURE_KEY)
        if signature is not None:
            self._shortcuts.set(_signature_key(signature), tail, 24 * 3600)
        plan.public_get = request.method == "GET"
        stored = await self.responses.get(plan.cache_key, self.max_age)
        if stored is not None:
            plan.response = self.answer(request, plan, stored)

    async def shortcut_hit(self, signature: bytes) -> bytes | None:
        """The stored ETag and body for request bytes seen before as a public read, if cached now."""
        tail = self._shortcuts.get(_signature_key(signature))
        if tail is None:
            return None
        version = await self.version.current()
        if version is None:
            return None
        stored = await self.responses.get(_response_key(version, tail), self.max_age)
        if stored is not None:
            self.shortcut_hits += 1
        return stored

    def answer(self, request: Request, plan: Plan, stored: bytes) -> Response:
        status, headers, body = self.cached_answer(
            plan.public_get, stored, request.headers.get("if-none-match"), request.headers.get("accept")
        )
        return Response(body, status_code=status, headers=headers)

    def cached_answer(
        self, public: bool, stored: bytes, if_none_match: str | None, accept: str | None
    ) -> tuple[int, dict[str, str], bytes]:
        """Status, headers and body of a response-cache hit (the full stack's and the shortcut's)."""
        etag, body = stored[:_ETAG_LENGTH].decode(), stored[_ETAG_LENGTH:]
        headers = self.cache_headers(public, etag)
        if public and _matches(if_none_match, etag):
            return 304, headers, b""
        headers["content-type"] = GRAPHQL_RESPONSE_JSON if wants_graphql_response_json(accept) else "application/json"
        return 200, headers, body

    def cache_headers(self, public: bool, etag: str | None) -> dict[str, str]:
        if public and etag is not None:
            return {
                "cache-control": self.public_header,
                "etag": etag,
                "vary": "Accept, Accept-Language, Authorization, Beacon-Preview",
            }
        return {"cache-control": NO_STORE}

    async def finish(self, request: Request, plan: Plan, response: Response) -> Response:
        """Store a cacheable answer and set the caching headers of any GraphQL answer."""
        body: bytes | None = getattr(response, "body", None)
        stored = response.status_code == 200 and not request.scope.get("state", {}).get("graphql_had_errors")
        if plan.cache_key is None or body is None or not stored:
            response.headers["cache-control"] = NO_STORE
            return response
        etag = '"' + hashlib.blake2b(body, digest_size=16).hexdigest() + '"'
        await self.responses.set(plan.cache_key, etag.encode() + body, self.max_age)
        if plan.public_get and _matches(request.headers.get("if-none-match"), etag):
            return Response(status_code=304, headers=self.cache_headers(plan.public_get, etag))
        for name, value in self.cache_headers(plan.public_get, etag).items():
            response.headers[name] = value
        return response


GRAPHQL_RESPONSE_JSON = "application/graphql-response+json; charset=utf-8"
SIGNATURE_KEY = "beacon_shortcut_signature"


def _response_key(version: str, tail: bytes) -> str:
    return hashlib.blake2b(version.encode() + b"\0" + tail, digest_size=20).hexdigest()


def _signature_key(signature: bytes) -> str:
    return hashlib.blake2b(signature, digest_size=20).hexdigest()


def wants_graphql_response_json(accept: str | None) -> bool:
    """Whether the Accept header prefers application/graphql-response+json over application/json."""
    best: tuple[float, int] | None = None
    json_rank: tuple[float, int] | None = None
    for position, part in enumerate((accept or "").split(",")):
        media_type, *params = (p.strip() for p in part.split(";"))
        quality = 1.0
        for param in params:
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        rank = (quality, -position)
        if media_type.lower() == "application/graphql-response+json" and quality > 0:
            best = rank
        elif media_type.lower() == "application/json" and quality > 0:
            json_rank = rank
    return best is not None and (json_rank is None or best >= json_rank)


def _matches(if_none_match: str | None, etag: str) -> bool:
    if not if_none_match:
        return False
    for candidate in if_none_match.split(","):
        candidate = candidate.strip()
        if candidate == "*" or candidate.removeprefix("W/") == etag:
            return True
    return False


def error_response(error: PersistedQueryError) -> Response:
    headers = {"cache-control": "private, no-cache, must-revalidate"}
    return Response(
        orjson.dumps(error.body()), status_code=error.status, media_type="application/json", headers=headers
    )
