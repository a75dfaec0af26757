"""The Starlette application: lifespan, routes and middleware."""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import json
import logging
import sys
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import replace
from typing import Any, cast
from urllib.parse import urlsplit

import orjson
from cross_web import HTTPException
from graphql import GraphQLError
from starlette.applications import Starlette
from starlette.datastructures import Headers
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import HTTPConnection, Request
from starlette.responses import HTMLResponse, JSONResponse, Response, StreamingResponse
from starlette.routing import BaseRoute, Route, WebSocketRoute
from starlette.types import Scope
from starlette.websockets import WebSocket, WebSocketDisconnect, WebSocketState
from strawberry.asgi import ASGIWebSocketAdapter, GraphQL
from strawberry.exceptions import ConnectionRejectionError
from strawberry.http.async_base_view import AsyncBaseHTTPView
from strawberry.http.exceptions import WebSocketDisconnected
from strawberry.schema.exceptions import InvalidOperationTypeError
from strawberry.subscriptions import GRAPHQL_TRANSPORT_WS_PROTOCOL
from strawberry.subscriptions.protocols.graphql_transport_ws.handlers import BaseGraphQLTransportWSHandler
from strawberry.subscriptions.protocols.graphql_transport_ws.types import ErrorMessage
from strawberry.types import ExecutionResult
from strawberry.types.graphql import OperationType
from strawberry.types.unset import UNSET

import assets
import dispatcher
import media
import pages
import scheduler
import workers
from caching.http import (
    GRAPHQL_RESPONSE_JSON,
    NO_STORE,
    PREVIEW_HEADER,
    STATE_KEY,
    GraphQLCaching,
    Plan,
    error_response,
    wants_graphql_response_json,
)
from caching.persisted import PersistedQueryError
from caching.shortcut import CachedReadShortcut
from middleware import BodyLimit, Refusal, RequestContext, UploadGate, UploadPreflight
from models.database import close_database, open_database, ping
from outages import finish, is_upload, service_unavailable, within_budget
from resolvers import accounts, exports, retention, vault
from resolvers.consultations import audit, sealed
from resolvers.content import media as content_media
from resolvers.content.quotas import UploadLimits
from resolvers.errors import CredentialRejected, DomainError, RateLimited
from resolvers.events import EventBus, create_event_bus
from resolvers.sockets import LiveSockets, SharedSocketPlaces, SocketQuota, TooManySockets
from schema import build_schema
from schema.context import ACCESS_REASON_HEADER, Context, access_reason, bearer_credential
from schema.errors import UNAVAILABLE_MESSAGE, is_connection_lost
from settings import Settings, development_data_keys, load_settings

log = logging.getLogger("beacon")
log_subscriptions = logging.getLogger("beacon.subscriptions")


class TextFrames(ASGIWebSocketAdapter):
    """graphql-ws messages as text frames: orjson gives bytes, which strawberry would send as binary
    frames that graphql-ws's own client (and a browser, which sees a Blob) cannot parse."""

    async def send_json(self, message: Any) -> None:
        if self.ws.application_state == WebSocketState.DISCONNECTED:
            raise WebSocketDisconnected  # the server closed it (a credential ended)
        encoded = self.view.encode_json(message)
        try:
            await self.ws.send_text(encoded.decode() if isinstance(encoded, bytes) else encoded)
        except WebSocketDisconnect as exc:
            raise WebSocketDisconnected from exc


# graphql-ws's "Unauthorized": the socket's credential ended (the reason is the close reason).
CLOSE_UNAUTHORIZED = 4401
# The owner of a new socket already holds as many as allowed (graphql-ws uses 4429 for "too many").
CLOSE_TOO_MANY = 4429
TOO_MANY_CONNECTIONS = "Too many connections"


class BeaconTransportWS(BaseGraphQLTransportWSHandler[Context, None]):
    """graphql-transport-ws with Beacon's rules: a socket lives no longer than its credential.

    The credential from `connection_init` is checked again for every `subscribe` message (queries
    and mutations included) and, by the subscriptions themselves, for every delivered event
    (`Context.recheck`); `LiveSockets` ends the socket when an ending is announced or the token
    expires. Ending cancels every operation, then closes with 4401 and the reason (expired,
    revoked, invalid, deactivated). A client that closes its socket while an event is on its way
    is normal, not an error.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.context.end_socket = self.end_session
        self.ending: asyncio.Task[None] | None = None

    async def end_session(self, reason: str) -> None:
        """Cancel every operation and close with 4401 (once; from any task, the operations' own too)."""
        if self.ending is None:
            self.ending = asyncio.create_task(self._end(reason), name="beacon-end-session")
        await asyncio.shield(self.ending)

    async def _end(self, reason: str) -> None:
        for operation_id in list(self.operations):
            await self.cleanup_operation(operation_id)
        with contextlib.suppress(Exception):  # already closed by the client
            await self.websocket.close(code=CLOSE_UNAUTHORIZED, reason=reason)
        log_subscriptions.info("socket closed: its credential ended (%s)", reason)

    async def handle_connection_init(self, message: Any) -> None:
        try:
            await super().handle_connection_init(message)
        except TooManySockets:
            with contextlib.suppress(Exception):  # already closed by the client
                await self.websocket.close(code=CLOSE_TOO_MANY, reason=TOO_MANY_CONNECTIONS)

    async def handle_subscribe(self, message: Any) -> None:
        if self.ending is not None:
            return
        if self.over_operation_cap(message):
            too_many = GraphQLError(
                "Too many operations on this socket: complete one before subscribing again.",
                extensions={"code": "TOO_MANY_SUBSCRIPTIONS"},
            )
            await self.send_message(ErrorMessage(id=message["id"], type="error", payload=[too_many.formatted]))
            return
        if self.connection_acknowledged and self.context.credential:
            try:
                await self.context.recheck()
            except CredentialRejected:
                return  # recheck ended the socket
            except Exception as error:
                if not is_connection_lost(error):
                    raise
                log.warning("service unavailable request_id=%s: %s", self.context.request_id, error)
                unavailable = GraphQLError(UNAVAILABLE_MESSAGE, extensions={"code": "SERVICE_UNAVAILABLE"})
                await self.send_message(ErrorMessage(id=message["id"], type="error", payload=[unavailable.formatted]))
                return
            live = self.context.services.get("live_socket")
            if live is not None:
                identity = accounts.Identity(self.context.actor, self.context.expires_at)
                cast("BeaconGraphQL", self.view).sockets.refreshed(live, identity)
        await super().handle_subscribe(message)

    def over_operation_cap(self, message: Any) -> bool:
        """Operations in flight (subscriptions, and queries and mutations sent over the socket) at the cap.

        A repeated id is left to strawberry (it closes with 4409), as is a message before the ack.
        """
        if not self.connection_acknowledged or message.get("id") in self.operations:
            return False
        return len(self.operations) >= self.context.settings.subscriptions_per_socket

    async def shutdown(self) -> None:
        live = self.context.services.pop("live_socket", None)
        if live is not None:
            cast("BeaconGraphQL", self.view).sockets.unregister(live)
        place = self.context.services.pop("socket_place", None)
        if place is not None:
            cast("BeaconGraphQL", self.view).socket_quota.release(place)
        await super().shutdown()

    async def handle_task_exception(self, error: Exception) -> None:
        if isinstance(error, WebSocketDisconnected):
            log_subscriptions.debug("subscription ended: the client closed the connection mid-event")
            return
        await super().handle_task_exception(error)


SUBSCRIPTIONS_OVER_WS = "Subscriptions run over a WebSocket at /graphql (the graphql-transport-ws protocol, e.g. graphql-ws), not over HTTP."


class BeaconGraphQL(GraphQL[Context, None]):
    """Strawberry's ASGI view with Beacon's context and WebSocket sign-in."""

    websocket_adapter_class = TextFrames
    graphql_transport_ws_handler_class = BeaconTransportWS

    def __init__(self, settings: Settings, events: EventBus, console: pages.Console, **kwargs: Any) -> None:
        schema = build_schema(settings)
        super().__init__(schema, **kwargs)
        self.graphql_schema = schema._schema  # graphql-core's schema, for parsing and validating before execution
        self.settings = settings
        self.events = events
        self.sockets = LiveSockets(events, settings.socket_recheck_seconds)
        shared = (
            SharedSocketPlaces(settings.redis_url, settings.events_prefix, settings.events_timeout)
            if settings.redis_url
            else None
        )
        self.socket_quota = SocketQuota(settings.sockets_per_user, settings.sockets_per_address, shared)
        self.caching = GraphQLCaching(settings, admit=schema.admits)
        self.abandoned: set[asyncio.Task[Any]] = set()  # requests past their budget, still unwinding
        self.console = console
        self.graphiql_files = pages.GraphiQLFiles(settings.vendor_dir or assets.default_vendor_dir())

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
            services={"events": self.events, "content_version": self.caching.version},
        )
        if not isinstance(request, WebSocket):
            await context.sign_in(bearer_credential(request.headers.get("authorization")))
            await context.open_preview()
        return context

    async def execute_single(self, request: Any, request_adapter: Any, *args: Any, **kwargs: Any) -> Any:
        try:
            return await super().execute_single(request, request_adapter, *args, **kwargs)
        except HTTPException as error:
            refused = error.__cause__
            if isinstance(refused, InvalidOperationTypeError) and refused.operation_type == OperationType.SUBSCRIPTION:
                # A request error like a validation error (nothing ran), in GraphQL's error shape.
                return ExecutionResult(
                    data=None, errors=[GraphQLError(SUBSCRIPTIONS_OVER_WS, extensions={"code": "BAD_REQUEST"})]
                )
            # A mutation over GET is the wrong method, not a bad request.
            if isinstance(refused, InvalidOperationTypeError) and request_adapter.method == "GET":
                raise HTTPException(405, "Only queries may be sent with GET; send mutations with POST.") from error
            raise

    async def render_graphql_ide(self, request: Request) -> Response:
        # Served from Beacon itself (pages.py), never from a CDN.
        page = pages.graphiql_html(self.console, self.graphiql_files)
        return HTMLResponse(
            page, headers={"content-security-policy": pages.GRAPHIQL_POLICY, "cache-control": "no-cache"}
        )

    def should_render_graphql_ide(self, request: Any) -> bool:
        # A GET carrying only a persisted query's hash is a GraphQL request, not a page view.
        return "extensions" not in request.query_params and super().should_render_graphql_ide(request)

    async def parse_http_body(self, request_adapter: Any) -> Any:
        prepared = request_adapter._request.scope.get("state", {}).get(STATE_KEY)
        if prepared is not None:
            return prepared
        data = await super().parse_http_body(request_adapter)
        if isinstance(data, list):
            return [await self.caching.resolve(d) for d in data]
        return await self.caching.resolve(data)

    async def prepare(self, request: Request) -> Plan:
        """Parse a GET or JSON POST once, resolve persisted queries, and answer public reads from the cache."""
        plan = Plan()
        if request.method == "GET":
            if "query" not in request.query_params and "extensions" not in request.query_params:
                return plan
        elif request.method != "POST" or "application/json" not in request.headers.get("content-type", "").lower():
            return plan
        try:
            data = await AsyncBaseHTTPView.parse_http_body(self, self.request_adapter_class(request))
        except json.JSONDecodeError as error:
            raise HTTPException(400, "Unable to parse request body as JSON") from error
        if isinstance(data, list):
            data = [await self.caching.resolve(d) for d in data]
        else:
            data = await self.caching.resolve(data)
            await self.caching.lookup(request, self.graphql_schema, data, plan)
        request.scope.setdefault("state", {})[STATE_KEY] = data
        return plan

    async def run(self, request: Any, context: Any = UNSET, root_value: Any = UNSET) -> Any:
        if isinstance(request, WebSocket) or is_upload(request):
            # A subscription lives as long as its socket; an upload's body may take long on a poor
            # network. Their database work still has the statement and pool deadlines.
            return await self._run(request, context, root_value)
        return await within_budget(
            self._run(request, context, root_value), self.settings.request_timeout, request, self.abandoned
        )

    async def finish_abandoned(self) -> None:
        """At shutdown: let requests that ran past their budget unwind (roll back, give connections back)."""
        await finish(self.abandoned)

    async def _run(self, request: Any, context: Any, root_value: Any) -> Any:
        plan: Plan | None = None
        try:
            if not isinstance(request, WebSocket):
                plan = await self.prepare(request)
                if plan.response is not None:
                    return plan.response
            response = await super().run(request, context, root_value)
        except PersistedQueryError as error:
            return error_response(error)
        except CredentialRejected as error:
            if isinstance(request, WebSocket):
                raise
            return credential_refused(request, error)
        except Exception as error:
            # Signing in (before execution) needs the database; when it is away, say so in GraphQL's shape.
            if isinstance(request, WebSocket) or not is_connection_lost(error):
                raise
            return service_unavailable(request, error)
        if isinstance(request, WebSocket) or not isinstance(response, Response):
            return response
        if plan is not None and request.method in ("GET", "POST"):
            response = await self.caching.finish(request, plan, response)
        if response.media_type == "application/json" and wants_graphql_response_json(request.headers.get("accept")):
            # GraphQL over HTTP: the newer media type, with 400 for request errors.
            response.headers["content-type"] = GRAPHQL_RESPONSE_JSON
            if request.scope.get("state", {}).get("graphql_request_error") and response.status_code == 200:
                response.status_code = 400
        return response

    async def process_result(self, request: Any, result: Any) -> Any:
        """Errors raised before execution (syntax errors) get a code too."""
        response = await super().process_result(request, result)
        if response.get("errors"):
            request.scope.setdefault("state", {})["graphql_had_errors"] = True
        for error in response.get("errors") or []:
            if isinstance(error, dict):
                error.setdefault("extensions", {}).setdefault("code", "BAD_REQUEST")
        if is_request_error(result):
            # A request error (parse, validation, variable coercion) never executed: no data entry.
            response.pop("data", None)
            request.scope.setdefault("state", {})["graphql_request_error"] = True
        return response

    async def on_ws_connect(self, context: Context) -> None:
        """Authenticate a graphql-ws connection from its connection_init payload."""
        params = context.connection_params or {}
        authorization = params.get("Authorization") or params.get("authorization")
        if authorization is not None and not isinstance(authorization, str):
            raise ConnectionRejectionError()
        try:
            await context.sign_in(bearer_credential(authorization))
        except CredentialRejected as error:
            raise ConnectionRejectionError({"message": error.message, "reason": error.reason}) from error
        except Exception as error:
            if not is_connection_lost(error):
                raise
            log.warning("service unavailable request_id=%s: %s", context.request_id, error)
            raise ConnectionRejectionError({"message": UNAVAILABLE_MESSAGE, "code": "SERVICE_UNAVAILABLE"}) from error
        if authorization and context.actor.is_anonymous:  # "Bearer" with nothing after it
            raise ConnectionRejectionError({"message": "Invalid token.", "reason": "invalid"})
        owner = SocketQuota.owner(context.actor, context.client_address)
        # TooManySockets: the handler closes with 4429.
        context.services["socket_place"] = await self.socket_quota.acquire(owner)
        if context.end_socket is not None and not context.actor.is_anonymous:
            identity = accounts.Identity(context.actor, context.expires_at)
            context.services["live_socket"] = await self.sockets.register(identity, context.end_socket)


def credential_refused(request: Request, error: CredentialRejected) -> Response:
    """HTTP 401 for a credential that signs nobody in: the client should send its person to sign in again."""
    body = {"errors": [{"message": error.message, "extensions": {"code": error.code, "reason": error.reason}}]}
    media_type = GRAPHQL_RESPONSE_JSON if wants_graphql_response_json(request.headers.get("accept")) else None
    # A refused preview link is no bearer credential: no Bearer challenge for it.
    challenge = (
        {}
        if error.reason.startswith("preview_")
        else {"www-authenticate": f'Bearer error="invalid_token", error_description="{error.reason}"'}
    )
    return JSONResponse(body, status_code=401, media_type=media_type, headers={**challenge, "cache-control": NO_STORE})


def is_request_error(result: Any) -> bool:
    """True when the operation never executed: errors, no data, and no error tied to a field path."""
    errors = getattr(result, "errors", None) or []
    return bool(errors) and getattr(result, "data", None) is None and all(e.path is None for e in errors)


def _graphql_app(settings: Settings, events: EventBus, console: pages.Console) -> BeaconGraphQL:
    return BeaconGraphQL(
        settings,
        events,
        console,
        graphql_ide=None if settings.production else "graphiql",
        allow_queries_via_get=True,
        subscription_protocols=(GRAPHQL_TRANSPORT_WS_PROTOCOL,),
        multipart_uploads_enabled=True,
        # Beacon's own cap (BEACON_SUBSCRIPTIONS_PER_SOCKET) answers with a code; see handle_subscribe.
        max_subscriptions_per_connection=None,
        allowed_origins=settings.cors_origins,
        keep_alive=True,
        keep_alive_interval=15,
    )


async def healthz(request: Request) -> Response:
    """Liveness: the process answers; it asks nothing of the database."""
    return JSONResponse({"status": "ok"})


async def readyz(request: Request) -> Response:
    """Readiness: the database answers within 2 s, on the probe's own connection (never the busy pool)."""
    try:
        await ping()
    except Exception as error:  # noqa: BLE001 (any failure to answer in time means not ready)
        log.warning("readiness check failed: %s: %s", type(error).__name__, error)
        return JSONResponse({"status": "unavailable", "reason": "database unreachable"}, status_code=503)
    return JSONResponse({"status": "ready"})


async def authorize_media(request: Request, sha256: str) -> media.Access:
    """Who may fetch a stored file: content media is public; private media asks its domain's check.

    A credential that signs nobody in is refused with 401, as on /graphql (never served as anonymous).
    An admin's fetch of an attachment needs a stated reason (Beacon-Access-Reason), like their reads."""
    credential = bearer_credential(request.headers.get("authorization"))
    query = request.query_params
    try:
        if not credential and "sig" in query:
            # A signed link (MediaAsset.signedUrl) stands in for the header: same check, same audit below.
            actor = await content_media.signed_actor(
                sha256,
                query.get("viewer", ""),
                query["sig"],
                query.get("reason") or None,  # signed as given: no second unquoting
                secret_key=request.app.state.settings.secret_key,
                now=time.time(),
            )
            return media.Access(await content_media.access(actor, sha256))
        actor = await accounts.authenticate(credential)
    except CredentialRejected as error:
        raise media.AccessRefused(401, error.code, error.message, {"reason": error.reason}) from None
    if reason := access_reason(request.headers.get(ACCESS_REASON_HEADER)):
        actor = replace(actor, access_reason=reason)
    return media.Access(await content_media.access(actor, sha256))


def media_origin(settings: Settings) -> str | None:
    """The scheme://host[:port] absolute media URLs point at (None when they are root-relative)."""
    if not settings.media_url_base:
        return None
    parts = urlsplit(settings.media_url_base)
    return f"{parts.scheme}://{parts.netloc}"


def media_caller(request: Request) -> str:
    """Whom the image pool counts a variant request against: the bearer credential, else the address."""
    credential = bearer_credential(request.headers.get("authorization"))
    if credential:
        return "credential:" + hashlib.sha256(credential.encode()).hexdigest()[:24]
    return f"address:{request.client.host if request.client else '-'}"


# Domain refusals of an upload before its body is read, as HTTP statuses.
_GATE_STATUS = {"UNAUTHENTICATED": 401, "FORBIDDEN": 403, "TOO_LARGE": 413, "RATE_LIMITED": 429}


def upload_gate(settings: Settings) -> Callable[[Scope], Awaitable[int]]:
    """The UploadGate's decision: who is uploading, and how many bytes they may still send."""
    limits = UploadLimits.from_settings(settings)

    async def decide(scope: Scope) -> int:
        try:
            actor = await accounts.authenticate(bearer_credential(Headers(scope=scope).get("authorization")))
            return (await content_media.gate_allowance(actor, limits)).max_bytes
        except DomainError as error:
            status = _GATE_STATUS.get(error.code, 503)
            extensions = {"reason": error.reason} if isinstance(error, CredentialRejected) else None
            retry_after = error.retry_after if isinstance(error, RateLimited) else None
            raise Refusal(status, error.code, error.message, retry_after=retry_after, extensions=extensions) from None
        except Exception as error:
            if not is_connection_lost(error):
                raise
            log.warning("upload gate: service unavailable: %s", type(error).__name__)
            raise Refusal(503, "SERVICE_UNAVAILABLE", UNAVAILABLE_MESSAGE, retry_after=5) from None

    return decide


def configure_images(settings: Settings) -> media.ImagePool:
    """Size this process's image pool from the settings."""
    budget = media.Budget(max_decoded_bytes=settings.image_max_decoded_bytes)
    return media.configure(
        media.PoolLimits(
            workers=settings.image_workers,
            per_caller=settings.image_jobs_per_caller,
            queue=settings.image_queue,
            budget=budget,
        )
    )


def routes(settings: Settings, events: EventBus, graphql: BeaconGraphQL | None = None) -> list[BaseRoute]:
    graphql = graphql or _graphql_app(
        settings, events, pages.Console(watch=not settings.production, media_origin=media_origin(settings))
    )
    storage = media.MediaStorage(settings.media_dir)

    async def open_sealed(sha256: str) -> bytes | None:
        return await content_media.open_sealed(storage, sha256)

    return [
        *pages.routes(graphql.console),
        *([] if settings.production else pages.graphiql_routes(graphql.graphiql_files)),
        *media.media_routes(
            storage,
            authorize_media,
            accel_prefix=settings.media_accel_prefix,
            caller=media_caller,
            open_sealed=open_sealed,
        ),
        Route("/graphql", graphql, methods=["GET", "POST", "PUT", "PATCH", "DELETE"]),
        WebSocketRoute("/graphql", graphql),
        Route(exports.DOWNLOAD_PATH, _export_download(storage), methods=["GET"]),
        Route("/healthz", healthz, methods=["GET", "HEAD"]),
        Route("/readyz", readyz, methods=["GET", "HEAD"]),
    ]


def _export_download(storage: media.MediaStorage) -> Callable[[Request], Awaitable[Response]]:
    """GET /privacy/export?token=…: an export's ZIP, once (the token is in the query string, which is never logged)."""

    async def download(request: Request) -> Response:
        claimed = await exports.claim(request.query_params.get("token", ""))
        if claimed is None:
            return JSONResponse(
                {"error": "This link is unknown, already used, expired or not ready yet."},
                status_code=404,
                headers={"Cache-Control": "no-store"},
            )
        return StreamingResponse(
            exports.zip_stream(claimed, storage),
            media_type="application/zip",
            headers={
                "Cache-Control": "private, no-store",
                "Content-Disposition": 'attachment; filename="beacon-export.zip"',
            },
        )

    return download


CORS_EXPOSE_HEADERS = ("x-request-id",)


def outbox_dispatch(settings: Settings) -> contextlib.AbstractAsyncContextManager[object]:
    """This process's outbox dispatcher (BEACON_OUTBOX_DISPATCH=off leaves delivery to `beacon worker`)."""
    return dispatcher.running(settings) if settings.outbox_dispatch else contextlib.nullcontext()


def configure_data_keys(settings: Settings) -> None:
    """The process's key-encryption keys: the settings', else (development, tests) the data folder's."""
    if settings.data_keys:
        vault.configure(settings.data_keys)
    elif settings.production:
        raise vault.DataKeyError("BEACON_DATA_KEY is not set: production refuses to start without it")
    else:
        vault.configure(development_data_keys(settings.data_dir))


def create_app(settings: Settings | None = None, *, manage_database: bool = True) -> Starlette:
    """Build the ASGI app; tests pass manage_database=False and open the database themselves."""
    settings = settings or load_settings()
    configure_data_keys(settings)
    audit.configure(admin_reads_per_hour=settings.admin_reads_alert_per_hour)
    exports.configure(directory=settings.data_dir / "exports", link_hours=settings.export_link_hours)
    content_media.configure_urls(settings.media_url_base)
    # Without a lifespan (tests over httpx's ASGI transport) the in-process bus works unstarted.
    events = create_event_bus(settings.redis_url, settings.events_prefix, settings.events_timeout)
    # Development reloads edited console files; production reads them once.
    graphql = _graphql_app(
        settings, events, pages.Console(watch=not settings.production, media_origin=media_origin(settings))
    )
    images = configure_images(settings)
    purge = scheduler.Purge(settings.media_dir, retention.Policy.from_settings(settings))

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        if manage_database:
            await open_database(
                settings.database_url,
                statement_timeout=settings.db_statement_timeout,
                acquire_timeout=settings.db_acquire_timeout,
            )
            # A wrong or missing data key stops the start here, never garbage or errors on every read.
            await sealed.check_database()
        await events.start()
        graphql.sockets.start()
        graphql.socket_quota.start()
        try:
            if manage_database:
                async with (
                    scheduler.running(on_change=graphql.caching.version.bump, purge=purge),
                    workers.exit_with_supervisor(),
                    outbox_dispatch(settings),
                ):
                    yield
            else:
                yield
        finally:
            await graphql.finish_abandoned()
            await exports.settled()  # an export being prepared finishes before the database closes
            await graphql.sockets.close()
            await graphql.socket_quota.close()
            images.close()
            await events.close()
            await graphql.caching.close()
            if manage_database:
                await close_database()

    middleware = [
        # Outermost: a repeated anonymous public read is answered from the cache before the rest runs.
        Middleware(
            CachedReadShortcut,
            caching=graphql.caching,
            max_body_bytes=settings.max_body_bytes,
            cors_origins=settings.cors_origins,
            cors_expose_headers=CORS_EXPOSE_HEADERS,
        ),
        Middleware(RequestContext),
        Middleware(UploadPreflight),
        Middleware(UploadGate, decide=upload_gate(settings)),
        Middleware(BodyLimit, max_json_bytes=settings.max_body_bytes, max_upload_bytes=settings.max_upload_bytes),
        Middleware(
            CORSMiddleware,
            allow_origins=list(settings.cors_origins),
            allow_methods=["GET", "POST", "OPTIONS"],
            allow_headers=[
                "authorization",
                "content-type",
                "x-request-id",
                "apollo-require-preflight",
                "x-apollo-operation-name",
                ACCESS_REASON_HEADER,
                PREVIEW_HEADER,
            ],
            expose_headers=list(CORS_EXPOSE_HEADERS),
        ),
    ]
    app = Starlette(routes=routes(settings, events, graphql), middleware=middleware, lifespan=lifespan)
    app.state.settings = settings
    app.state.events = events
    app.state.caching = graphql.caching
    return app


# docs/security.md, 11.13: one long input must not make a megabyte log line.
MAX_LOGGED_VALUE = 1000  # characters of one logged value (an argument of the message, the message itself)
MAX_LOGGED_TRACEBACK = 20_000  # characters of an exception's traceback


def capped(text: str, limit: int) -> str:
    """The text, cut to `limit` characters with a note of how much was left out."""
    return text if len(text) <= limit else f"{text[:limit]}… [{len(text) - limit} more characters]"


def _capped_argument(value: object) -> object:
    if value is None or isinstance(value, (bool, int, float)):
        return value  # short, and %d / %.1f must still format them
    return capped(value if isinstance(value, str) else str(value), MAX_LOGGED_VALUE)


class CappedValues(logging.Filter):
    """Cut every logged value (the message and each of its arguments) to MAX_LOGGED_VALUE characters."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.msg, str):
            record.msg = capped(record.msg, MAX_LOGGED_VALUE)
        if isinstance(record.args, tuple):
            record.args = tuple(_capped_argument(a) for a in record.args)
        elif isinstance(record.args, dict):
            record.args = {k: _capped_argument(v) for k, v in record.args.items()}
        return True


class _TextFormatter(logging.Formatter):
    def formatException(self, ei: Any) -> str:  # noqa: N802 - logging's name
        return capped(super().formatException(ei), MAX_LOGGED_TRACEBACK)


class _JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": self.formatTime(record),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        if record.exc_info:
            entry["exception"] = capped(self.formatException(record.exc_info), MAX_LOGGED_TRACEBACK)
        return json.dumps(entry, ensure_ascii=False)


def configure_logging(settings: Settings) -> None:
    """One line per event, text or JSON, every value capped; ORM and driver debug output (which carries SQL values) off."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(
        _JsonFormatter()
        if settings.log_format == "json"
        else _TextFormatter("%(asctime)s %(levelname)s %(name)s %(message)s")
    )
    handler.addFilter(CappedValues())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(logging.INFO)
    # uvicorn logs through handlers of its own (its "Exception in ASGI application" tracebacks among them).
    for name in ("uvicorn", "uvicorn.error"):
        for own in logging.getLogger(name).handlers:
            own.addFilter(CappedValues())
    for noisy in ("tortoise", "tortoise.db_client", "aiosqlite", "asyncpg", "uvicorn.access"):
        logging.getLogger(noisy).setLevel(logging.WARNING)


def asgi_app() -> Starlette:
    """Factory for `uvicorn --factory server:asgi_app` (used by `beacon serve`)."""
    settings = load_settings()
    configure_logging(settings)
    return create_app(settings)
