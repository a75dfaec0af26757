"""The Starlette application: lifespan, routes and middleware."""

from __future__ import annotations

import contextlib
import json
import logging
import sys
from collections.abc import AsyncIterator
from typing import Any

import orjson

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import HTTPConnection, Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route, WebSocketRoute
from starlette.websockets import WebSocket
from strawberry.asgi import GraphQL
from strawberry.exceptions import ConnectionRejectionError
from strawberry.schema.exceptions import InvalidOperationTypeError
from cross_web import HTTPException
from strawberry.subscriptions import GRAPHQL_TRANSPORT_WS_PROTOCOL

import media
import scheduler
from middleware import BodyLimit, RequestContext, UploadPreflight
from resolvers import accounts
from resolvers.content import media as content_media
from models.database import close_database, open_database, ping
from schema import build_schema
from schema.context import Context, bearer_credential
from settings import Settings, load_settings

log = logging.getLogger("beacon")


class BeaconGraphQL(GraphQL[Context, None]):
    """Strawberry's ASGI view with Beacon's context and WebSocket sign-in."""

    def __init__(self, settings: Settings, **kwargs: Any) -> None:
        super().__init__(build_schema(settings), **kwargs)
        self.settings = settings

    def encode_json(self, data: object) -> bytes:
        return orjson.dumps(data)

    def decode_json(self, data: str | bytes) -> object:
        return orjson.loads(data)

    async def get_context(self, request: HTTPConnection, response: Any) -> Context:
        context = Context(
            request=request,
            response=response,
            settings=self.settings,
            request_id=request.scope.get("state", {}).get("request_id", "-"),
        )
        if not isinstance(request, WebSocket):
            await context.sign_in(bearer_credential(request.headers.get("authorization")))
        return context

    async def execute_single(self, request: Any, request_adapter: Any, *args: Any, **kwargs: Any) -> Any:
        try:
            return await super().execute_single(request, request_adapter, *args, **kwargs)
        except HTTPException as error:
            # A mutation (or subscription) over GET is the wrong method, not a bad request.
            if isinstance(error.__cause__, InvalidOperationTypeError) and request_adapter.method == "GET":
                raise HTTPException(405, "Only queries may be sent with GET; send mutations with POST.") from error
            raise

    async def process_result(self, request: Any, result: Any) -> Any:
        """Errors raised before execution (syntax errors) get a code too."""
        response = await super().process_result(request, result)
        for error in response.get("errors") or []:
            error.setdefault("extensions", {}).setdefault("code", "BAD_REQUEST")
        return response

    async def on_ws_connect(self, context: Context) -> None:
        """Authenticate a graphql-ws connection from its connection_init payload."""
        params = context.connection_params or {}
        authorization = params.get("Authorization") or params.get("authorization")
        if authorization is not None and not isinstance(authorization, str):
            raise ConnectionRejectionError()
        await context.sign_in(bearer_credential(authorization))
        if authorization and context.actor.is_anonymous:
            raise ConnectionRejectionError({"message": "Invalid or expired token."})


def _graphql_app(settings: Settings) -> BeaconGraphQL:
    return BeaconGraphQL(
        settings,
        graphql_ide=None if settings.production else "graphiql",
        allow_queries_via_get=True,
        subscription_protocols=(GRAPHQL_TRANSPORT_WS_PROTOCOL,),
        multipart_uploads_enabled=True,
        max_subscriptions_per_connection=20,
        allowed_origins=settings.cors_origins,
        keep_alive=True,
        keep_alive_interval=15,
    )


async def healthz(request: Request) -> Response:
    return JSONResponse({"status": "ok"})


async def readyz(request: Request) -> Response:
    try:
        await ping()
    except Exception as error:  # any failure to answer means not ready
        log.warning("readiness check failed: %s: %s", type(error).__name__, error)
        return JSONResponse({"status": "unavailable", "reason": "database unreachable"}, status_code=503)
    return JSONResponse({"status": "ready"})


async def authorize_media(request: Request, sha256: str) -> media.Access:
    """Who may fetch a stored file: content media is public; private media asks its domain's check."""
    actor = await accounts.authenticate(bearer_credential(request.headers.get("authorization")))
    return media.Access(await content_media.access(actor, sha256))


def routes(settings: Settings) -> list[BaseRoute]:
    graphql = _graphql_app(settings)
    return [
        *media.media_routes(media.MediaStorage(settings.media_dir), authorize_media),
        Route("/graphql", graphql, methods=["GET", "POST", "PUT", "PATCH", "DELETE"]),
        WebSocketRoute("/graphql", graphql),
        Route("/healthz", healthz, methods=["GET", "HEAD"]),
        Route("/readyz", readyz, methods=["GET", "HEAD"]),
    ]


def create_app(settings: Settings | None = None, *, manage_database: bool = True) -> Starlette:
    """Build the ASGI app; tests pass manage_database=False and open the database themselves."""
    settings = settings or load_settings()

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        if manage_database:
            await open_database(settings.database_url)
        try:
            if manage_database:
                async with scheduler.running():
                    yield
            else:
                yield
        finally:
            if manage_database:
                await close_database()

    middleware = [
        Middleware(RequestContext),
        Middleware(UploadPreflight),
        Middleware(BodyLimit, max_json_bytes=settings.max_body_bytes, max_upload_bytes=settings.max_upload_bytes),
        Middleware(
            CORSMiddleware,
            allow_origins=list(settings.cors_origins),
            allow_methods=["GET", "POST", "OPTIONS"],
            allow_headers=["authorization", "content-type", "x-request-id", "apollo-require-preflight", "x-apollo-operation-name"],
            expose_headers=["x-request-id"],
        ),
    ]
    app = Starlette(routes=routes(settings), middleware=middleware, lifespan=lifespan)
    app.state.settings = settings
    return app


class _JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry = {"time": self.formatTime(record), "level": record.levelname, "logger": record.name, "message": record.getMessage()}
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)


def configure_logging(settings: Settings) -> None:
    """One line per event, text or JSON; ORM and driver debug output (which carries SQL values) off."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(
        _JsonFormatter() if settings.log_format == "json" else logging.Formatter("%(asctime)s %(levelname)s %(name)s %(message)s")
    )
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(logging.INFO)
    for noisy in ("tortoise", "tortoise.db_client", "aiosqlite", "asyncpg", "uvicorn.access"):
        logging.getLogger(noisy).setLevel(logging.WARNING)


def asgi_app() -> Starlette:
    """Factory for `uvicorn --factory server:asgi_app` (used by `beacon serve`)."""
    settings = load_settings()
    configure_logging(settings)
    return create_app(settings)
