"""The two browser pages Beacon serves itself: the staff console at /console/ and GraphiQL at /graphql.

Both load only files from this server (Content-Security-Policy 'self'). The console has no build
step, so its files carry no hash in their names; instead index.html is served fresh (no-cache)
and points at `/console/v/<version>/`, where <version> is a digest of every console file.
Everything under that prefix is immutable for a year: a new release changes the digest, so a
browser never mixes old and new modules, and a repeat visit costs one small request.
"""

from __future__ import annotations

import gzip
import hashlib
import html
import mimetypes
from dataclasses import dataclass
from pathlib import Path

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import BaseRoute, Route

import assets

CONSOLE_DIR = Path(__file__).resolve().parent / "console"
IMMUTABLE = "public, max-age=31536000, immutable"
REVALIDATE = "no-cache"


# blob: for images and media the console fetched from Beacon itself with the bearer token (private
# consultation attachments cannot be an <img src>: the token is never a cookie).
def console_policy(media_origin: str | None = None) -> str:
    """The console page's CSP; media_origin (where absolute media URLs point, e.g. a CDN) may serve its
    images, audio and video and answer its fetches of private files."""
    extra = f" {media_origin}" if media_origin else ""
    return "; ".join(
        [
            "default-src 'self'",
            f"img-src 'self' blob:{extra}",
            f"media-src 'self' blob:{extra}",
            *([f"connect-src 'self'{extra}"] if extra else []),
            "object-src 'none'",
            "frame-ancestors 'none'",
            "base-uri 'none'",
            "form-action 'none'",
        ]
    )


# GraphiQL's stylesheet embeds its fonts and icons as data: URIs, and its editor (CodeMirror)
# positions elements with inline style attributes; styles cannot run code. Scripts: 'self' only.
GRAPHIQL_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "font-src 'self' data:",
        "img-src 'self' data:",
        "object-src 'none'",
        "frame-ancestors 'none'",
        "base-uri 'none'",
        "form-action 'none'",
    ]
)
TYPES = {".js": "text/javascript; charset=utf-8", ".css": "text/css; charset=utf-8", ".svg": "image/svg+xml"}


@dataclass
class StaticFile:
    body: bytes
    content_type: str
    etag: str
    _gzipped: bytes | None = None

    @property
    def compressible(self) -> bool:
        return len(self.body) > 1024 and self.content_type.startswith(("text/", "image/svg", "application/json"))

    def gzipped(self) -> bytes:
        """The body gzipped, made on first use (GraphiQL's 3.5 MB bundle need not be compressed at start-up)."""
        if self._gzipped is None:
            self._gzipped = gzip.compress(self.body, 6, mtime=0)
        return self._gzipped


def _load_file(path: Path) -> StaticFile:
    body = path.read_bytes()
    content_type = TYPES.get(path.suffix) or mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    return StaticFile(body, content_type, '"' + hashlib.sha256(body).hexdigest()[:32] + '"')


def _signature(root: Path) -> tuple[tuple[str, int, int], ...]:
    return tuple(sorted((str(p.relative_to(root)), p.stat().st_mtime_ns, p.stat().st_size) for p in _files(root)))


def _files(root: Path) -> list[Path]:
    """Every servable file: no dotfiles, no dot-folders."""
    if not root.is_dir():
        return []
    return [p for p in root.rglob("*") if p.is_file() and not any(part.startswith(".") for part in p.parts)]


class FileSet:
    """Files of one folder held in memory with a digest of them all, read on first use.

    With watch=True (development) they are read again when any of them changes.
    """

    def __init__(self, root: Path, *, watch: bool) -> None:
        self.root = root
        self.watch = watch
        self._signature: tuple[tuple[str, int, int], ...] | None = None
        self._files: dict[str, StaticFile] = {}
        self._version = ""

    def _refresh(self) -> None:
        signature = _signature(self.root)
        if signature == self._signature:
            return
        files = {str(p.relative_to(self.root)).replace("\\", "/"): _load_file(p) for p in _files(self.root)}
        digest = hashlib.sha256()
        for name in sorted(files):
            digest.update(name.encode() + b"\0" + files[name].etag.encode())
        self._files, self._signature, self._version = files, signature, digest.hexdigest()[:16]

    def current(self) -> FileSet:
        if self._signature is None or self.watch:
            self._refresh()
        return self

    @property
    def files(self) -> dict[str, StaticFile]:
        return self.current()._files

    @property
    def version(self) -> str:
        return self.current()._version


def file_response(request: Request, file: StaticFile, cache_control: str, policy: str | None = None) -> Response:
    """The file, or 304 when the browser holds it; gzip when accepted."""
    headers = {"etag": file.etag, "cache-control": cache_control, "vary": "accept-encoding"}
    if policy:
        headers["content-security-policy"] = policy
    if file.etag in request.headers.get("if-none-match", ""):
        return Response(status_code=304, headers=headers)
    body = file.body
    if file.compressible and "gzip" in request.headers.get("accept-encoding", "").lower():
        body, headers["content-encoding"] = file.gzipped(), "gzip"
    if request.method == "HEAD":
        headers["content-length"] = str(len(body))
        return Response(status_code=200, headers=headers, media_type=file.content_type)
    return Response(body, headers=headers, media_type=file.content_type)


def not_found() -> Response:
    return Response("Not found.", status_code=404, media_type="text/plain")


class Console:
    """Serves the console: index.html (fresh) and its versioned, immutable modules."""

    def __init__(self, root: Path = CONSOLE_DIR, *, watch: bool = False, media_origin: str | None = None) -> None:
        self.files = FileSet(root, watch=watch)
        self.policy = console_policy(media_origin)

    @property
    def prefix(self) -> str:
        return f"/console/v/{self.files.version}/"

    def index_html(self) -> bytes:
        source = self.files.files["index.html"].body.decode()
        return source.replace("{{base}}", html.escape(self.prefix)).encode()

    async def index(self, request: Request) -> Response:
        body = self.index_html()
        file = StaticFile(body, "text/html; charset=utf-8", '"' + hashlib.sha256(body).hexdigest()[:32] + '"')
        return file_response(request, file, REVALIDATE, self.policy)

    async def asset(self, request: Request) -> Response:
        files = self.files.current()
        name = request.path_params["path"]
        file = files.files.get(name)
        if file is None or name == "index.html":
            return not_found()
        # An old version's URL gets today's file, but never one a cache may keep under the old name.
        fresh = request.path_params["version"] == files.version
        return file_response(request, file, IMMUTABLE if fresh else REVALIDATE, self.policy)

    async def redirect(self, request: Request) -> Response:
        return RedirectResponse("/console/", status_code=308)


class GraphiQLFiles:
    """GraphiQL's third-party files from the vendor folder (`beacon install-assets`)."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.files = FileSet(root, watch=True)

    async def asset(self, request: Request) -> Response:
        file = self.files.files.get(request.path_params["path"])
        if file is None:
            return not_found()
        return file_response(request, file, IMMUTABLE)

    def missing(self) -> list[str]:
        return assets.missing(self.root)


GRAPHIQL_SCRIPTS = [
    "react@18.3.1/umd/react.production.min.js",
    "react-dom@18.3.1/umd/react-dom.production.min.js",
    "graphiql@3.8.3/graphiql.min.js",
    "@graphiql+plugin-explorer@1.0.2/dist/index.umd.js",
]
GRAPHIQL_STYLES = ["graphiql@3.8.3/graphiql.min.css", "@graphiql+plugin-explorer@1.0.2/dist/style.css"]


def graphiql_html(console: Console, vendor: GraphiQLFiles) -> str:
    """GraphiQL's page: vendor files and the console's own start script, all from this server."""
    missing = vendor.missing()
    if missing:
        return (
            '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Beacon GraphiQL</title></head>'
            "<body><h1>GraphiQL is not installed</h1><p>Its files are fetched once, from the npm registry, "
            f"by <code>beacon install-assets</code> (run by <code>make install</code>). Missing: "
            f"{html.escape(', '.join(missing))}.</p><p>The API itself works: POST /graphql.</p></body></html>"
        )
    styles = "".join(f'<link rel="stylesheet" href="/graphiql/vendor/{s}">' for s in GRAPHIQL_STYLES)
    scripts = "".join(f'<script src="/graphiql/vendor/{s}"></script>' for s in GRAPHIQL_SCRIPTS)
    return (
        '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Beacon GraphiQL</title>'
        f'<meta name="viewport" content="width=device-width, initial-scale=1">{styles}'
        f'<link rel="stylesheet" href="{console.prefix}graphiql/graphiql.css">'
        f'<link rel="icon" href="{console.prefix}icon.svg" type="image/svg+xml"></head>'
        f'<body><div id="graphiql">Loading…</div>{scripts}'
        f'<script src="{console.prefix}graphiql/start.js"></script></body></html>'
    )


def routes(console: Console) -> list[BaseRoute]:
    return [
        Route("/console", console.redirect, methods=["GET", "HEAD"]),
        Route("/console/", console.index, methods=["GET", "HEAD"]),
        Route("/console/v/{version}/{path:path}", console.asset, methods=["GET", "HEAD"]),
    ]


def graphiql_routes(vendor: GraphiQLFiles) -> list[BaseRoute]:
    return [Route("/graphiql/vendor/{path:path}", vendor.asset, methods=["GET", "HEAD"])]
