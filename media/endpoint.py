"""The /media routes: originals and image variants, with ranges, caching and privacy."""

import enum
import logging
import re
from collections.abc import AsyncIterator, Awaitable, Callable
from email.utils import formatdate, parsedate_to_datetime
from os import stat_result
from pathlib import Path
from typing import Final

import aiofiles
import aiofiles.os
from starlette.requests import Request
from starlette.responses import JSONResponse, Response, StreamingResponse
from starlette.routing import BaseRoute, Route

from .errors import Busy, CallerBusy, ImageTooLarge, MediaError, NotStored, UnsupportedFormat, WorkerFailed
from .ranges import ByteRange, RangeNotSatisfiable, parse_range
from .sniff import BY_EXTENSION, SERVED, Sniffed
from .storage import MediaStorage
from .variants import WEBP_CONVERTIBLE, variant, variant_name

log = logging.getLogger("beacon.media")


class Access(enum.Enum):
    """What the privacy hook decided about one caller and one sha256."""

    NOT_FOUND = "NOT_FOUND"
    PUBLIC = "PUBLIC"
    PRIVATE_ALLOWED = "PRIVATE_ALLOWED"


class AccessRefused(Exception):
    """The privacy hook refuses the caller itself (e.g. 401 for a credential that signs nobody in)."""

    def __init__(self, status: int, code: str, message: str, extensions: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.extensions = extensions or {}

    def response(self) -> Response:
        return error_response(self.status, self.code, self.message, extensions=self.extensions)


# Raises AccessRefused to answer with an error instead of the file.
Authorize = Callable[[Request, str], Awaitable[Access]]
# The plain bytes of a private file stored sealed (by sha256), or None when it is not sealed.
OpenSealed = Callable[[str], Awaitable[bytes | None]]
# Who is asking, for the image pool's per-caller limit (a user, a token, an address).
CallerKey = Callable[[Request], str]

CHUNK_SIZE: Final = 64 * 1024
_ORIGINAL: Final = re.compile(r"([0-9a-f]{64})(\.[a-z0-9]{3,4})")
_SHA256: Final = re.compile(r"[0-9a-f]{64}")
# w<width>[h<height>-<fit>]<ext>: the sizes are snapped, so any number maps onto a bounded set of files.
_VARIANT: Final = re.compile(r"w([1-9][0-9]{0,4})(?:h([1-9][0-9]{0,4})-(contain|cover))?(\.[a-z0-9]{3,4})")
_CACHE_CONTROL: Final = {
    Access.PUBLIC: "public, max-age=31536000, immutable",
    Access.PRIVATE_ALLOWED: "private, no-store",
}
# Sent on every media response, 404s included, so uploaded bytes can never act as a page.
SECURITY_HEADERS: Final = {
    "x-content-type-options": "nosniff",
    "content-security-policy": "default-src 'none'; sandbox",
    "referrer-policy": "no-referrer",
}


def media_routes(
    storage: MediaStorage,
    authorize: Authorize,
    *,
    accel_prefix: str | None = None,
    caller: CallerKey | None = None,
    open_sealed: OpenSealed | None = None,
) -> list[BaseRoute]:
    """Return the routes serving /media/{sha256}{ext} and /media/{sha256}/w{width}{ext}.

    With accel_prefix (e.g. "/_media/"), an allowed request is answered with an empty body and
    X-Accel-Redirect to accel_prefix + the file's path under the storage root: nginx sends the
    bytes (ranges, conditional requests) from an internal location aliased to the same folder.
    caller names who asks, for the image pool's per-caller limit (default: the client address).
    open_sealed gives an allowed private file's plain bytes when it is stored sealed: it is answered from
    memory (attachments are small), never through nginx, and its "variants" are the original (nothing
    decrypted is ever written to disk).
    """
    endpoints = _MediaEndpoints(storage, authorize, accel_prefix, caller or _client_address, open_sealed)
    return [
        Route("/media/{name}", endpoints.original, methods=["GET", "HEAD"]),
        Route("/media/{sha256}/{name}", endpoints.variant, methods=["GET", "HEAD"]),
    ]


class _MediaEndpoints:
    """Request handlers bound to one storage and one privacy hook."""

    def __init__(
        self,
        storage: MediaStorage,
        authorize: Authorize,
        accel_prefix: str | None,
        caller: CallerKey,
        open_sealed: OpenSealed | None,
    ) -> None:
        self.storage = storage
        self.authorize = authorize
        self.accel_prefix = accel_prefix
        self.caller = caller
        self.open_sealed = open_sealed

    async def _sealed(self, access: Access, sha256: str) -> bytes | None:
        if access is not Access.PRIVATE_ALLOWED or self.open_sealed is None:
            return None
        return await self.open_sealed(sha256)

    async def original(self, request: Request) -> Response:
        """Serve an original upload."""
        match = _ORIGINAL.fullmatch(request.path_params["name"])
        if match is None or match[2] not in SERVED:
            return not_found()
        sha256, extension = match[1], match[2]
        try:
            access = await self.authorize(request, sha256)
        except AccessRefused as refused:
            return refused.response()
        if access is Access.NOT_FOUND:
            return not_found()
        if (data := await self._sealed(access, sha256)) is not None:
            return _serve_data(request, data, SERVED[extension], f'"{sha256}"', access)
        path = self.storage.path_for(sha256, extension)
        if self.accel_prefix is not None:
            return await self._accel(self.accel_prefix, path, SERVED[extension], access)
        return await _serve(request, path, SERVED[extension], f'"{sha256}"', access)

    async def variant(self, request: Request) -> Response:
        """Serve an image resized to the allowed shape nearest the one asked for (WebP if accepted)."""
        sha256 = request.path_params["sha256"]
        match = _VARIANT.fullmatch(request.path_params["name"])
        if match is None or not _SHA256.fullmatch(sha256) or match[4] not in BY_EXTENSION:
            return not_found()
        width, extension = int(match[1]), match[4]
        height, fit = (int(match[2]), match[3]) if match[2] else (None, "contain")
        try:
            access = await self.authorize(request, sha256)
        except AccessRefused as refused:
            return refused.response()
        if access is Access.NOT_FOUND:
            return not_found()
        if (data := await self._sealed(access, sha256)) is not None:
            return _serve_data(request, data, BY_EXTENSION[extension], f'"{sha256}"', access)
        webp = accepts_webp(request.headers.get("accept"))
        try:
            made = await variant(
                self.storage, sha256, extension, width, height=height, fit=fit, webp=webp, caller=self.caller(request)
            )
        except MediaError as error:
            return _variant_refused(error)
        sniffed = BY_EXTENSION[made.path.suffix]
        converted = made.path.suffix != extension
        etag = f'"{sha256}-{variant_name(width, height, fit)}{"-webp" if converted else ""}"'
        # The format follows Accept for JPEG and PNG, so caches must keep one copy per Accept.
        vary = {"vary": "Accept"} if extension in WEBP_CONVERTIBLE else {}
        if made.data is not None:
            return _serve_data(request, made.data, sniffed, etag, access, extra=vary)
        if self.accel_prefix is not None:
            return await self._accel(self.accel_prefix, made.path, sniffed, access, extra=vary)
        return await _serve(request, made.path, sniffed, etag, access, extra=vary)

    async def _accel(
        self, prefix: str, path: Path, sniffed: Sniffed, access: Access, *, extra: dict[str, str] | None = None
    ) -> Response:
        """Hand the file to nginx: Beacon decided who may see it, nginx sends the bytes."""
        if not await aiofiles.os.path.isfile(path):
            return not_found()
        disposition = "attachment" if sniffed.kind == "DOCUMENT" else "inline"
        headers = {
            **SECURITY_HEADERS,
            "cache-control": _CACHE_CONTROL[access],
            "content-disposition": disposition,
            "x-accel-redirect": prefix + path.relative_to(self.storage.root).as_posix(),
            **(extra or {}),
        }
        return Response(status_code=200, headers=headers, media_type=sniffed.mime_type)


def _variant_refused(error: MediaError) -> Response:
    """A typed answer for every way a variant can fail: never a 500 or a closed connection."""
    if isinstance(error, ImageTooLarge):
        message = "This image is too large to resize; fetch its original instead."
        return error_response(422, "UNSUPPORTED_FORMAT", message)
    if isinstance(error, NotStored | UnsupportedFormat):
        return not_found()
    if isinstance(error, CallerBusy):
        message = "You have too many images being resized; try again shortly."
        return error_response(429, "RATE_LIMITED", message, retry_after=error.retry_after)
    retry_after = error.retry_after if isinstance(error, Busy) else 2
    if not isinstance(error, Busy | WorkerFailed):
        log.error("variant failed: %s: %s", type(error).__name__, error)
    return error_response(503, "SERVICE_UNAVAILABLE", "Images are busy; try again shortly.", retry_after=retry_after)


def error_response(
    status: int, code: str, message: str, *, retry_after: int | None = None, extensions: dict[str, str] | None = None
) -> Response:
    """A JSON error in GraphQL's shape, so clients read media errors like API errors."""
    headers = {**SECURITY_HEADERS, "cache-control": "no-store"}
    shown: dict[str, object] = {"code": code, **(extensions or {})}
    if retry_after is not None:
        headers["retry-after"] = str(retry_after)
        shown["retryAfterSeconds"] = retry_after
    body = {"errors": [{"message": message, "extensions": shown}]}
    return JSONResponse(body, status_code=status, headers=headers)


def accepts_webp(accept: str | None) -> bool:
    """True when the Accept header names image/webp with a non-zero quality.

    Only an explicit image/webp counts: `*/*` and `image/*` are sent by clients that cannot show WebP.
    """
    for media_range in (accept or "").split(","):
        kind, *params = (part.strip() for part in media_range.split(";"))
        if kind.lower() != "image/webp":
            continue
        for param in params:
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    return float(value) > 0
                except ValueError:
                    return False
        return True
    return False


def _client_address(request: Request) -> str:
    return f"address:{request.client.host if request.client else '-'}"


def not_found() -> Response:
    """The one 404 for missing, malformed and not-yours media, so they cannot be told apart."""
    headers = {**SECURITY_HEADERS, "cache-control": "no-store"}
    return Response("Not Found", status_code=404, headers=headers, media_type="text/plain")


async def _serve(
    request: Request,
    path: Path,
    sniffed: Sniffed,
    etag: str,
    access: Access,
    *,
    extra: dict[str, str] | None = None,
) -> Response:
    """Answer with 304, 416, 206 or 200 for a file we are allowed to show."""
    try:
        stat = await aiofiles.os.stat(path)
    except (FileNotFoundError, NotADirectoryError):
        return not_found()
    headers = {**_headers(sniffed, etag, stat, access), **(extra or {})}
    if _not_modified(request, etag, stat):
        return Response(status_code=304, headers=headers)
    try:
        byte_range = _requested_range(request, headers, stat.st_size)
    except RangeNotSatisfiable:
        headers["content-range"] = f"bytes */{stat.st_size}"
        return Response(status_code=416, headers=headers)
    if byte_range is not None:
        headers["content-range"] = byte_range.content_range
    whole = byte_range or ByteRange(0, stat.st_size, stat.st_size)
    headers["content-length"] = str(whole.length)
    body = _nothing() if request.method == "HEAD" else _chunks(path, whole)
    status = 200 if byte_range is None else 206
    return StreamingResponse(body, status_code=status, headers=headers, media_type=sniffed.mime_type)


def _serve_data(
    request: Request,
    data: bytes,
    sniffed: Sniffed,
    etag: str,
    access: Access,
    *,
    extra: dict[str, str] | None = None,
) -> Response:
    """Answer from memory (a variant the disk would not keep, a sealed file): same validators, ranges and headers."""
    headers = {**_headers(sniffed, etag, None, access), **(extra or {})}
    if _not_modified(request, etag, None):
        return Response(status_code=304, headers=headers)
    try:
        byte_range = _requested_range(request, headers, len(data))
    except RangeNotSatisfiable:
        headers["content-range"] = f"bytes */{len(data)}"
        return Response(status_code=416, headers=headers)
    if byte_range is not None:
        headers["content-range"] = byte_range.content_range
        data = data[byte_range.start : byte_range.start + byte_range.length]
    body = b"" if request.method == "HEAD" else data
    headers["content-length"] = str(len(data))
    return Response(body, status_code=200 if byte_range is None else 206, headers=headers, media_type=sniffed.mime_type)


def _headers(sniffed: Sniffed, etag: str, stat: stat_result | None, access: Access) -> dict[str, str]:
    """Validators, caching and safety headers shared by 200, 206, 304 and 416."""
    # A PDF viewer runs scripts; make the browser download it instead of rendering it here.
    disposition = "attachment" if sniffed.kind == "DOCUMENT" else "inline"
    headers = {
        **SECURITY_HEADERS,
        "etag": etag,
        "cache-control": _CACHE_CONTROL[access],
        "accept-ranges": "bytes",
        "content-disposition": disposition,
    }
    if stat is not None:
        headers["last-modified"] = formatdate(stat.st_mtime, usegmt=True)
    return headers


def _not_modified(request: Request, etag: str, stat: stat_result | None) -> bool:
    """Apply If-None-Match, or If-Modified-Since when no If-None-Match is sent."""
    if_none_match = request.headers.get("if-none-match")
    if if_none_match is not None:
        tags = {tag.strip().removeprefix("W/") for tag in if_none_match.split(",")}
        return "*" in tags or etag in tags
    if_modified_since = request.headers.get("if-modified-since")
    if if_modified_since is None or stat is None:
        return False
    try:
        return int(stat.st_mtime) <= parsedate_to_datetime(if_modified_since).timestamp()
    except (TypeError, ValueError):
        return False


def _requested_range(request: Request, headers: dict[str, str], size: int) -> ByteRange | None:
    """Return the single range to send, honouring If-Range; None means the whole file."""
    if_range = request.headers.get("if-range")
    if if_range is not None and if_range not in (headers["etag"], headers.get("last-modified")):
        return None  # the client's partial copy is stale: it needs the whole file
    return parse_range(request.headers.get("range"), size)


async def _chunks(path: Path, byte_range: ByteRange) -> AsyncIterator[bytes]:
    """Read the range from disk a chunk at a time, so memory stays flat for any size."""
    async with aiofiles.open(path, "rb") as file:
        await file.seek(byte_range.start)
        remaining = byte_range.length
        while remaining > 0:
            chunk = await file.read(min(CHUNK_SIZE, remaining))
            if not chunk:
                return  # the file shrank under us; the short body tells the client
            remaining -= len(chunk)
            yield chunk


async def _nothing() -> AsyncIterator[bytes]:
    """An empty body for HEAD."""
    empty: tuple[bytes, ...] = ()
    for chunk in empty:
        yield chunk
