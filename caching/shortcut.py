"""The cache-hit shortcut: answer a repeated anonymous public read before the app stack runs.

A response-cache hit through the full stack still pays for four middlewares, Starlette's
routing, strawberry's request parsing, persisted-query resolution and the public-field check:
about three quarters of its time (bench, docs/performance.md). None of that can change the
answer for a request whose exact bytes were already seen: the same query string (GET) or
body (JSON POST), Accept and Accept-Language headers (the latter picks the locale lists answer
in) and no credentials. So the first time the normal path works out a cache key for such a
request it remembers, under those bytes, the version-free part of the key (document hash,
operation name, variables, negotiated locale); this ASGI layer looks the bytes up, adds
the current content version, and answers a hit from the response cache directly, with the
same headers and the same access-log line the normal path gives. Everything else (a miss, an
unknown request, a credential, a body without a declared length) goes down the normal stack
untouched, a buffered body replayed as it arrived. A cross-origin read gets the headers
Starlette's CORSMiddleware would have added to it (preflights never reach this far: they are
OPTIONS requests).
"""

from __future__ import annotations

import time

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from caching.http import PREVIEW_HEADER, SIGNATURE_KEY, GraphQLCaching
from middleware import log_request, request_id_for, with_common_headers

_SKIP = frozenset({b"authorization", b"cookie", PREVIEW_HEADER.encode()})


class CachedReadShortcut:
    def __init__(
        self,
        app: ASGIApp,
        *,
        caching: GraphQLCaching,
        max_body_bytes: int,
        cors_origins: tuple[str, ...] = (),
        cors_expose_headers: tuple[str, ...] = (),
        path: str = "/graphql",
    ) -> None:
        self.app = app
        self.caching = caching
        self.path = path
        self.max_body_bytes = max_body_bytes
        # What Starlette's CORSMiddleware adds to a simple (non-preflight) response, repeated here.
        self.allow_all_origins = "*" in cors_origins
        self.allowed_origins = frozenset(o.encode("latin-1") for o in cors_origins)
        self.expose_headers = ", ".join(cors_expose_headers).encode()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (
            not self.caching.enabled
            or scope["type"] != "http"
            or scope["path"] != self.path
            or scope["method"] not in ("GET", "POST")
        ):
            await self.app(scope, receive, send)
            return
        accept = b""
        accept_language = b""
        origin = None
        if_none_match = None
        length = -1
        json_body = False
        for name, value in scope["headers"]:
            if name in _SKIP:
                await self.app(scope, receive, send)
                return
            if name == b"accept":
                accept = value
            elif name == b"accept-language":
                accept_language = value
            elif name == b"origin":
                origin = value
            elif name == b"if-none-match":
                if_none_match = value.decode("latin-1")
            elif name == b"content-length" and value.isdigit():
                length = int(value)
            elif name == b"content-type":
                json_body = b"application/json" in value.lower()
        started = time.perf_counter()
        if scope["method"] == "GET":
            signature = b"GET\0" + accept + b"\0" + accept_language + b"\0" + scope["query_string"]
        elif json_body and 0 <= length <= self.max_body_bytes:
            body, receive = await _buffered(receive)
            if body is None:
                await self.app(scope, receive, send)
                return
            signature = b"POST\0" + accept + b"\0" + accept_language + b"\0" + scope["query_string"] + b"\0" + body
        else:
            await self.app(scope, receive, send)
            return
        hit = await self.caching.shortcut_hit(signature)
        if hit is None:
            scope.setdefault("state", {})[SIGNATURE_KEY] = signature
            await self.app(scope, receive, send)
            return
        await self._answer(scope, send, hit, if_none_match, accept, origin, started)

    def _cors_headers(self, origin: bytes | None) -> list[tuple[bytes, bytes]]:
        if origin is None:
            return []
        headers = [(b"access-control-expose-headers", self.expose_headers)] if self.expose_headers else []
        if self.allow_all_origins:
            headers.append((b"access-control-allow-origin", b"*"))
        elif origin in self.allowed_origins:
            headers.append((b"access-control-allow-origin", origin))
        return headers

    async def _answer(
        self,
        scope: Scope,
        send: Send,
        stored: bytes,
        if_none_match: str | None,
        accept: bytes,
        origin: bytes | None,
        started: float,
    ) -> None:
        request_id = request_id_for(scope)
        status, fields, body = self.caching.cached_answer(
            scope["method"] == "GET", stored, if_none_match, accept.decode("latin-1") if accept else None
        )
        # As CORSMiddleware does to every simple response, with or without an Origin.
        fields["vary"] = fields["vary"] + ", Origin" if "vary" in fields else "Origin"
        headers = [(name.encode(), value.encode("latin-1")) for name, value in fields.items()]
        if status == 200:
            headers.append((b"content-length", str(len(body)).encode()))
        headers += self._cors_headers(origin)
        await send(
            {"type": "http.response.start", "status": status, "headers": with_common_headers(headers, request_id)}
        )
        await send({"type": "http.response.body", "body": body})
        log_request(scope, status, started, request_id)


async def _buffered(receive: Receive) -> tuple[bytes | None, Receive]:
    """Read a whole request body; return it (None if the client left first) and a receive that replays what was read."""
    chunks = []
    while True:
        message = await receive()
        if message["type"] != "http.request":
            # The client left before the body was complete: let the app see it as it happened.
            return None, _replay([message], receive)
        chunks.append(message.get("body", b""))
        if not message.get("more_body", False):
            break
    body = b"".join(chunks)
    return body, _replay([{"type": "http.request", "body": body, "more_body": False}], receive)


def _replay(messages: list[Message], receive: Receive) -> Receive:
    pending = list(messages)

    async def replayed() -> Message:
        if pending:
            return pending.pop(0)
        return await receive()

    return replayed
