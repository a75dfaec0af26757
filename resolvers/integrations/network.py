"""Outgoing HTTP for webhooks and learning record stores, without SSRF into the operator's network.

A URL is checked when it is registered (its host resolved, every address public) and again at
every connection: the guarded backend resolves the host itself, refuses when any address is
private, loopback, link-local or otherwise not global, and connects to the address it checked,
so a DNS answer that changes between the check and the connection cannot slip through. TLS still
verifies the certificate against the URL's host name. Redirects are never followed.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
import typing
from dataclasses import dataclass
from urllib.parse import urlsplit

import httpcore
from httpcore import AsyncNetworkBackend, AsyncNetworkStream
from httpcore._backends.auto import AutoBackend

from resolvers.errors import Invalid

MAX_URL = 2000
Address = ipaddress.IPv4Address | ipaddress.IPv6Address


class BlockedAddress(httpcore.ConnectError):
    """The destination resolves to an address outside the public internet."""


def is_public(address: Address) -> bool:
    """Global unicast only: no private, loopback, link-local, shared, reserved or multicast ranges."""
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    return address.is_global and not address.is_multicast


async def resolve(host: str, port: int) -> list[Address]:
    """Every address the host name resolves to (an IP literal resolves to itself)."""
    try:
        return [ipaddress.ip_address(host.strip("[]"))]
    except ValueError:
        pass
    infos = await asyncio.get_running_loop().getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return list(dict.fromkeys(ipaddress.ip_address(info[4][0]) for info in infos))


@dataclass(frozen=True)
class Target:
    """A checked outgoing URL's parts."""

    scheme: str
    host: str
    port: int


def parse_url(url: str, *, field: str) -> Target:
    """An http(s) URL with a host and no credentials in it, else Invalid."""
    if not url or len(url) > MAX_URL:
        raise Invalid(f"Give an http or https URL of at most {MAX_URL} characters.", field=field)
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise Invalid("Give an http or https URL with a host name.", field=field)
    if parts.username or parts.password:
        raise Invalid("Put no user name or password in the URL.", field=field)
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError:
        raise Invalid("The URL's port is not a number between 1 and 65535.", field=field) from None
    return Target(parts.scheme, parts.hostname, port)


async def check_destination(url: str, *, allow_private: bool, field: str) -> None:
    """Refuse a URL whose host does not resolve, or resolves to a non-public address unless allowed."""
    target = parse_url(url, field=field)
    try:
        addresses = await resolve(target.host, target.port)
    except OSError:
        raise Invalid(f"The host {target.host} does not resolve.", field=field) from None
    if not allow_private and not all(is_public(a) for a in addresses):
        raise Invalid(
            f"{target.host} is a private, loopback or link-local address; only an admin can allow it explicitly.",
            field=field,
        )


class GuardedBackend(AsyncNetworkBackend):
    """Connects only to public addresses, and only to the address it checked."""

    def __init__(self) -> None:
        self.inner = AutoBackend()

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: typing.Iterable[typing.Any] | None = None,
    ) -> AsyncNetworkStream:
        try:
            addresses = await resolve(host, port)
        except OSError as error:
            raise httpcore.ConnectError(f"cannot resolve {host}: {error}") from error
        if not addresses or not all(is_public(a) for a in addresses):
            raise BlockedAddress(f"{host} resolves to a non-public address")
        stream = await self.inner.connect_tcp(
            str(addresses[0]), port, timeout=timeout, local_address=local_address, socket_options=socket_options
        )
        peer = stream.get_extra_info("server_addr")
        if peer is not None and not is_public(ipaddress.ip_address(peer[0])):
            await stream.aclose()
            raise BlockedAddress(f"{host} connected to a non-public address")
        return stream

    async def connect_unix_socket(
        self,
        path: str,
        timeout: float | None = None,
        socket_options: typing.Iterable[typing.Any] | None = None,
    ) -> AsyncNetworkStream:
        raise BlockedAddress("unix sockets are not a destination")

    async def sleep(self, seconds: float) -> None:
        await self.inner.sleep(seconds)


@dataclass(frozen=True)
class Reply:
    status: int
    body: bytes


class Http:
    """Two connection pools: one guarded, one for the destinations an admin allowed onto private networks."""

    def __init__(self, timeout: float) -> None:
        self.timeout = timeout
        self.guarded = httpcore.AsyncConnectionPool(network_backend=GuardedBackend(), max_connections=20)
        self.open = httpcore.AsyncConnectionPool(max_connections=20)

    async def post(self, url: str, headers: dict[str, str], body: bytes, *, allow_private: bool) -> Reply:
        """POST and read at most 64 KiB of the answer (a receiver's reply is only kept as a status)."""
        pool = self.open if allow_private else self.guarded
        t = self.timeout
        extensions = {"timeout": {"connect": t, "read": t, "write": t, "pool": t}}
        async with pool.stream("POST", url, headers=list(headers.items()), content=body, extensions=extensions) as r:
            kept = b""
            async for chunk in r.aiter_stream():
                kept += chunk
                if len(kept) > 65536:
                    break
            return Reply(r.status, kept)

    async def close(self) -> None:
        await self.guarded.aclose()
        await self.open.aclose()
