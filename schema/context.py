"""The per-request context: who is calling, their loaders, and the settings."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, TypeVar
from urllib.parse import unquote

from starlette.requests import HTTPConnection
from strawberry.dataloader import DataLoader
from strawberry.types import Info as StrawberryInfo

from resolvers import accounts
from resolvers.actor import ANONYMOUS, Actor
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
    services: dict[str, Any] = field(default_factory=dict)
    _loaders: dict[Callable[..., Any], DataLoader[Any, Any]] = field(default_factory=dict)

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

    async def sign_in(self, credential: str | None) -> None:
        """Authenticate the request with a bearer token or API key."""
        self.credential = credential
        self.actor = await accounts.authenticate(credential)
        reason = access_reason(self.request.headers.get(ACCESS_REASON_HEADER))
        if reason:
            self.actor = replace(self.actor, access_reason=reason)


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
