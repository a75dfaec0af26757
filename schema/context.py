"""The per-request context: who is calling, their loaders, and the settings."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any, TypeVar
from urllib.parse import unquote

from starlette.requests import HTTPConnection
from strawberry.dataloader import DataLoader
from strawberry.types import Info as StrawberryInfo

from caching.http import PREVIEW_HEADER
from resolvers import accounts
from resolvers.actor import ANONYMOUS, Actor
from resolvers.content import previews
from resolvers.errors import CredentialRejected
from settings import Settings

K = TypeVar("K")
V = TypeVar("V")


@dataclass
class Context:
    """Everything a resolver may use about the current request."""

    request: HTTPConnection
    response: Any
    settings: Settings
    request_id: str
    actor: Actor = ANONYMOUS
    credential: str | None = None
    connection_params: dict[str, Any] | None = None
    # When the credential stops working on its own (a token's expiry); None without one.
    expires_at: datetime | None = None
    # Over graphql-ws: ends the socket with 4401 and the reason (set by the socket's handler).
    end_socket: Callable[[str], Awaitable[None]] | None = None
    services: dict[str, Any] = field(default_factory=dict)
    _loaders: dict[Callable[..., Any], DataLoader[Any, Any]] = field(default_factory=dict)

    @property
    def accept_language(self) -> str | None:
        """The request's Accept-Language header (locales.negotiate reads it), None without one."""
        value: str | None = self.request.headers.get("accept-language")
        return value

    @property
    def client_address(self) -> str:
        client = self.request.client
        return client.host if client else "unknown"

    def loader(self, batch: Callable[[Sequence[K]], Awaitable[Sequence[V]]]) -> DataLoader[K, V]:
        """The request's DataLoader for a batch function, created on first use."""
        existing = self._loaders.get(batch)
        if existing is None:
            existing = DataLoader(load_fn=batch)
            self._loaders[batch] = existing
        return existing

    async def sign_in(self, credential: str | None, *, use: bool = True) -> None:
        """Authenticate the request with a bearer token or API key; raises CredentialRejected."""
        self.credential = credential
        identity = await accounts.identify(credential, use=use)
        self.actor, self.expires_at = identity.actor, identity.expires_at
        reason = access_reason(self.request.headers.get(ACCESS_REASON_HEADER))
        if reason:
            self.actor = replace(self.actor, access_reason=reason)

    async def open_preview(self) -> None:
        """Add the grant of a Beacon-Preview header (HTTP only) to the actor; raises CredentialRejected.

        A refused preview token is never quietly dropped: the portal would show the published
        version as if it were the draft (docs/content.md, "Previews").
        """
        value = (self.request.headers.get(PREVIEW_HEADER) or "").strip()
        if value:
            self.actor = replace(self.actor, preview=await previews.grant_for(value))

    async def recheck(self, *, use: bool = True) -> None:
        """Over graphql-ws, before an operation or a delivered event: is the socket's credential still good?

        A connection's context lives as long as its socket, so the actor (roles may have changed) is
        read again and the loaders' cached rows are dropped. A credential that ended ends the socket
        (4401) and raises CredentialRejected. An operation the client sent is use of the session; a
        delivered event (`use=False`) is not, so an open inbox does not keep an idle staff session alive.
        """
        try:
            await self.sign_in(self.credential, use=use)
        except CredentialRejected as error:
            self.actor = ANONYMOUS
            if self.end_socket is not None:
                await self.end_socket(error.reason)
            raise
        self._loaders.clear()


Info = StrawberryInfo[Context, None]


ACCESS_REASON_HEADER = "beacon-access-reason"


def access_reason(value: str | None) -> str | None:
    """A break-glass reason from a header: UTF-8, percent-encoded (headers carry Latin-1 only)."""
    if not value:
        return None
    return unquote(value).strip()[:300] or None


def bearer_credential(authorization: str | None) -> str | None:
    """The credential from an 'Authorization: Bearer …' value."""
    if not authorization:
        return None
    scheme, _, value = authorization.strip().partition(" ")
    if scheme.lower() != "bearer" or not value.strip():
        return None
    return value.strip()
