"""Beacon's PostgreSQL engine for Tortoise: asyncpg with a pool deadline and honest connection errors.

Terminating backends under load (docs/conformance.md, "Faults injected") showed three flaws in
Tortoise's asyncpg client, all fixed here in its two connection contexts:

- A connection whose backend died while idle in the pool can be handed out before asyncpg
  notices; its first statement fails with `InternalClientError` ("another operation is in
  progress") before anything is sent. Tortoise then never released it (`__aenter__` failed after
  the acquire): each such failure leaked a pool slot until every request waited forever. A
  transaction now releases it and begins once more on a fresh connection.
- Releasing a dead connection fails too, and that failure replaced the one that mattered
  (`AdminShutdownError`, a lost connection) with an unrecognisable protocol error. asyncpg
  terminates such a connection itself, so the release error is dropped and the first kept.
- Such a dead connection also failed one plain statement (sign-in, a read) per pooled
  connection after every restart; that statement now runs once more on a fresh connection.
- Waiting for a pooled connection had no bound. `acquire_timeout` (BEACON_DB_ACQUIRE_TIMEOUT)
  bounds it; running out raises `PoolTimeout`, which the API answers as `TIMEOUT`.

Selected by `models.tortoise_config` as the engine `models.postgres`.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar, cast

import asyncpg
from tortoise.backends.asyncpg.client import AsyncpgDBClient, TransactionWrapper
from tortoise.backends.base.client import PoolConnectionWrapper, TransactionContext, TransactionContextPooled
from tortoise.connection import get_connections
from tortoise.exceptions import TransactionManagementError

log = logging.getLogger("beacon.database")
T = TypeVar("T")

# Failures of a connection before or between statements; beginning again on another one is safe.
_DEAD_CONNECTION = (asyncpg.InternalClientError, asyncpg.InterfaceError, asyncpg.PostgresConnectionError, OSError)


class PoolTimeout(TimeoutError):
    """No pooled database connection became free within the acquire timeout."""


async def _acquire(client: BeaconPostgresClient) -> Any:
    try:
        pool = cast(asyncpg.Pool, client._pool)  # created by ensure_connection() before any acquire
        return await pool.acquire(timeout=client.acquire_timeout)
    except TimeoutError:
        raise PoolTimeout(f"no database connection free within {client.acquire_timeout:g} s") from None


async def _release(client: BeaconPostgresClient, connection: Any) -> None:
    """Give a connection back; a dead one fails to reset, which asyncpg answers by terminating it."""
    if connection is None or client._pool is None:
        return
    try:
        await client._pool.release(connection)
    except Exception as error:  # noqa: BLE001 (the connection is gone; what the caller saw first is the real story)
        log.debug("released a dead database connection: %s: %s", type(error).__name__, error)


class _PooledConnection(PoolConnectionWrapper[Any]):
    """One statement's connection: acquired with a deadline, released without masking errors."""

    client: BeaconPostgresClient

    async def __aenter__(self) -> Any:
        await self.ensure_connection()
        self.connection = await _acquire(self.client)
        return self.connection

    async def __aexit__(self, exc_type: Any, exc_val: Any, exc_tb: Any) -> None:
        await _release(self.client, self.connection)


class _Transaction(TransactionContextPooled):
    """A transaction on a pooled connection that never leaks the connection and keeps the first error."""

    client: TransactionWrapper

    async def __aenter__(self) -> TransactionWrapper:
        await self.ensure_connection()
        parent = cast(BeaconPostgresClient, self.client._parent)  # typed as Tortoise's base client
        for attempt in (1, 2):
            self.client._connection = await _acquire(parent)
            try:
                await self.client.begin()
                break
            except _DEAD_CONNECTION:  # BEGIN changes nothing: beginning again elsewhere is always safe
                await _release(parent, self.client._connection)
                if attempt == 2:
                    raise
                log.info("database connection was dead at BEGIN; beginning again on a fresh one")
        self.token = get_connections().set(self.connection_name, self.client)
        return self.client

    async def __aexit__(self, exc_type: Any, exc_val: Any, exc_tb: Any) -> None:
        try:
            if not self.client._finalized:
                if exc_type is None:
                    await self.client.commit()
                elif exc_type is not TransactionManagementError:
                    await self._rollback()
        finally:
            await _release(cast(BeaconPostgresClient, self.client._parent), self.client._connection)
            get_connections().reset(self.token)

    async def _rollback(self) -> None:
        try:
            await self.client.rollback()
        except _DEAD_CONNECTION as error:
            # PostgreSQL rolls back what a lost connection left open; the caller's error says why.
            log.debug("rollback on a dead connection: %s", error)


def _unsent(error: BaseException) -> bool:
    """asyncpg refused to start a statement on a connection that broke while idle: nothing was sent."""
    return isinstance(error, asyncpg.InternalClientError) and "another operation" in str(error)


async def _once_more_if_unsent(run: Callable[[], Awaitable[T]]) -> T:
    try:
        return await run()
    except asyncpg.InternalClientError as error:
        if not _unsent(error):
            raise
        log.info("database connection was dead before a statement; running it on a fresh one")
        return await run()


class BeaconPostgresClient(AsyncpgDBClient):
    """Tortoise's asyncpg client with the connection contexts above.

    A statement outside a transaction that found its pooled connection dead before anything was
    sent runs once more on a fresh connection (after a restart, each pooled connection would
    otherwise fail one request).
    """

    def __init__(self, *args: Any, acquire_timeout: float | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.acquire_timeout = acquire_timeout
        self._probe: asyncpg.Connection | None = None
        self._probe_lock = asyncio.Lock()

    async def ping(self) -> None:
        """SELECT 1 on a connection of the probe's own; the caller bounds the wait.

        Through the pool, readiness waited for a free connection: under plain load /readyz flapped
        to 503 although the database was fine. Its own connection (opened on first use, dropped
        after any failure) answers "does the database answer?" and nothing else.
        """
        async with self._probe_lock:
            try:
                if self._probe is None or self._probe.is_closed():
                    self._probe = await asyncpg.connect(
                        host=self.host, port=self.port, user=self.user, password=self.password, database=self.database
                    )
                await self._probe.fetchval("SELECT 1")
            except BaseException:  # a timeout's cancellation too: never reuse a connection left mid-query
                self._drop_probe()
                raise

    def _drop_probe(self) -> None:
        probe, self._probe = self._probe, None
        if probe is not None:
            probe.terminate()

    async def _close(self) -> None:
        self._drop_probe()
        await super()._close()

    async def execute_insert(self, query: str, values: list[Any]) -> Any:
        return await _once_more_if_unsent(lambda: super(BeaconPostgresClient, self).execute_insert(query, values))

    async def execute_many(self, query: str, values: list[Any]) -> None:
        await _once_more_if_unsent(lambda: super(BeaconPostgresClient, self).execute_many(query, values))

    async def execute_query(self, query: str, values: list[Any] | None = None) -> tuple[int, list[Any]]:
        return await _once_more_if_unsent(lambda: super(BeaconPostgresClient, self).execute_query(query, values))

    async def execute_query_dict(self, query: str, values: list[Any] | None = None) -> list[dict[str, Any]]:
        return await _once_more_if_unsent(lambda: super(BeaconPostgresClient, self).execute_query_dict(query, values))

    async def execute_script(self, query: str) -> None:
        await _once_more_if_unsent(lambda: super(BeaconPostgresClient, self).execute_script(query))

    def acquire_connection(self) -> _PooledConnection:
        return _PooledConnection(self, self._pool_init_lock)

    def _in_transaction(self) -> TransactionContext:
        return _Transaction(TransactionWrapper(self), self._pool_init_lock)


client_class = BeaconPostgresClient
