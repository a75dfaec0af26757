"""ASGI middleware: request ids with one log line per request, upload gate, body limits, security headers."""

from __future__ import annotations

import json
import logging
import re
import time
import uuid
from collections.abc import Awaitable, Callable
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

log = logging.getLogger("beacon.access")

_SAFE_REQUEST_ID = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")
SECURITY_HEADERS = [
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
    # JSON and plain-text answers are never documents: nothing in them may load or run.
    # Pages that need more (GraphiQL, media) set their own policy, which is kept.
    (b"content-security-policy", b"default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"),
]


def _header(scope: Scope, name: bytes) -> str | None:
    headers: list[tuple[bytes, bytes]] = scope.get("headers", [])
    for key, value in headers:
        if key == name:
            return value.decode("latin-1")
    return None


def request_id_for(scope: Scope) -> str:
    """The caller's X-Request-ID when it is sane, else a fresh one; kept in the scope's state."""
    given = _header(scope, b"x-request-id")
    request_id = given if given and _SAFE_REQUEST_ID.match(given) else uuid.uuid4().hex
    scope.setdefault("state", {})["request_id"] = request_id
    return request_id


def with_common_headers(headers: list[tuple[bytes, bytes]], request_id: str) -> list[tuple[bytes, bytes]]:
    """A response's headers plus the request id and the security headers it does not set itself."""
    present = {k.lower() for k, _ in headers}
    headers.append((b"x-request-id", request_id.encode()))
    headers.extend(h for h in SECURITY_HEADERS if h[0] not in present)
    return headers


def log_request(scope: Scope, status: int | None, started: float, request_id: str) -> None:
    # Path only: query strings may carry whole GraphQL documents and variables.
    log.info(
        "%s %s %s %.1fms request_id=%s",
        scope.get("method", "WS"),
        scope.get("path"),
        status if status is not None else "-",
        (time.perf_counter() - started) * 1000,
        request_id,
    )


class RequestContext:
    """Give each request an id (the caller's, if sane), echo it, add security headers, log one line."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        request_id = request_id_for(scope)
        started = time.perf_counter()
        status: dict[str, Any] = {"code": None}

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                status["code"] = message["status"]
                message = {**message, "headers": with_common_headers(list(message.get("headers", [])), request_id)}
            await send(message)

        try:
            await self.app(scope, receive, send_with_headers)
        finally:
            log_request(scope, status["code"], started, request_id)


class BodyLimit:
    """Refuse request bodies over a size with 413 before anything parses them.

    An upload's limit is the one UploadGate set for its caller, when it ran; else the global one.
    """

    def __init__(self, app: ASGIApp, *, max_json_bytes: int, max_upload_bytes: int) -> None:
        self.app = app
        self.max_json_bytes = max_json_bytes
        self.max_upload_bytes = max_upload_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        content_type = (_header(scope, b"content-type") or "").lower()
        # Uploads are cut off precisely by the media store; this is the outer bound.
        limit = (
            self.max_upload_bytes + MULTIPART_OVERHEAD if content_type.startswith("multipart/") else self.max_json_bytes
        )
        limit = scope.get("state", {}).get(BODY_LIMIT_KEY, limit)
        declared = _header(scope, b"content-length")
        if declared and declared.isdigit() and int(declared) > limit:
            await _too_large(send)
            return
        received = 0
        response_started = False

        async def counted_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise _BodyTooLarge
            return message

        async def tracking_send(message: Message) -> None:
            nonlocal response_started
            if message["type"] == "http.response.start":
                response_started = True
            await send(message)

        try:
            await self.app(scope, counted_receive, tracking_send)
        except _BodyTooLarge:
            if not response_started:
                await _too_large(send)


class _BodyTooLarge(Exception):
    pass


async def _too_large(send: Send) -> None:
    await send_error(send, Refusal(413, "TOO_LARGE", "Request body too large."))


# Room for the multipart framing and the operations and map parts around the file itself.
MULTIPART_OVERHEAD = 64 * 1024
BODY_LIMIT_KEY = "body_limit"


class Refusal(Exception):
    """An answer to give instead of running the request: HTTP status, error code, message."""

    def __init__(
        self,
        status: int,
        code: str,
        message: str,
        *,
        retry_after: int | None = None,
        extensions: dict[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.retry_after = retry_after
        self.extensions = extensions or {}


async def send_error(send: Send, refusal: Refusal) -> None:
    """Send a GraphQL-shaped JSON error with the refusal's status."""
    extensions: dict[str, object] = {"code": refusal.code, **refusal.extensions}
    if refusal.retry_after is not None:
        extensions["retryAfterSeconds"] = refusal.retry_after
    error = {"message": refusal.message, "extensions": extensions}
    body = json.dumps({"errors": [error]}, ensure_ascii=False).encode()
    headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
    if refusal.retry_after is not None:
        headers.append((b"retry-after", str(refusal.retry_after).encode()))
    await send({"type": "http.response.start", "status": refusal.status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


# Given a multipart request's scope, the most file bytes its caller may send now; raises Refusal.
UploadDecision = Callable[[Scope], Awaitable[int]]


class UploadGate:
    """Authorise a multipart upload from its headers before a byte of its body is read.

    The GraphQL view parses the whole multipart body (spooling files to disk) before any resolver
    runs, so the role and size checks of the resolvers come too late to save the work. Here the
    caller is identified from the Authorization header; `decide` refuses callers who may not upload,
    and a declared Content-Length over their allowance gets 413 at once. A body without a declared
    length is cut off at the allowance by BodyLimit, which reads it from the scope.
    """

    def __init__(self, app: ASGIApp, *, decide: UploadDecision) -> None:
        self.app = app
        self.decide = decide

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if not _is_upload(scope):
            await self.app(scope, receive, send)
            return
        try:
            allowed = await self.decide(scope) + MULTIPART_OVERHEAD
        except Refusal as refusal:
            await send_error(send, refusal)
            return
        declared = _header(scope, b"content-length")
        if declared and declared.isdigit() and int(declared) > allowed:
            await send_error(send, Refusal(413, "TOO_LARGE", "This upload is larger than you may send now."))
            return
        scope.setdefault("state", {})[BODY_LIMIT_KEY] = allowed
        await self.app(scope, receive, send)


def _is_upload(scope: Scope) -> bool:
    return (
        scope["type"] == "http"
        and scope.get("method") == "POST"
        and scope.get("path") == "/graphql"
        and (_header(scope, b"content-type") or "").lower().startswith("multipart/")
    )


class UploadPreflight:
    """Refuse multipart POSTs to /graphql without a preflight header (CSRF prevention, as Apollo Server does).

    A browser form can send multipart/form-data cross-site without a CORS preflight; it cannot add
    custom headers, so requiring Apollo-Require-Preflight or X-Apollo-Operation-Name stops that.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (
            scope["type"] == "http"
            and scope.get("path") == "/graphql"
            and (_header(scope, b"content-type") or "").lower().startswith("multipart/")
            and not (_header(scope, b"apollo-require-preflight") or _header(scope, b"x-apollo-operation-name"))
        ):
            message = "Multipart requests need an Apollo-Require-Preflight or X-Apollo-Operation-Name header."
            await send_error(send, Refusal(400, "BAD_REQUEST", message))
            return
        await self.app(scope, receive, send)
