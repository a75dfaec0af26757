"""Where cached things live: a bounded in-process LRU, and Redis when configured.

Redis is optional and never required for correctness of a single process: every Redis
failure is logged and treated as a miss (reads) or skipped (writes); the content version
then falls back to "unknown", which turns the response cache off until Redis answers.
"""

from __future__ import annotations

import logging
import time
from collections import OrderedDict
from typing import Any

log = logging.getLogger("beacon.cache")


class LocalLRU:
    """A bounded mapping with per-entry expiry; the least recently used entry goes first."""

    def __init__(self, max_entries: int) -> None:
        self.max_entries = max_entries
        self._entries: OrderedDict[str, tuple[float, bytes]] = OrderedDict()

    def get(self, key: str) -> bytes | None:
        entry = self._entries.get(key)
        if entry is None:
            return None
        expires, value = entry
        if expires < time.monotonic():
            self._entries.pop(key, None)
            return None
        self._entries.move_to_end(key)
        return value

    def set(self, key: str, value: bytes, ttl: float) -> None:
        self._entries[key] = (time.monotonic() + ttl, value)
        self._entries.move_to_end(key)
        while len(self._entries) > self.max_entries:
            self._entries.popitem(last=False)

    def __len__(self) -> int:
        return len(self._entries)


class RedisClient:
    """A lazily connected Redis client for the caches; failures are logged, never raised."""

    def __init__(self, url: str) -> None:
        self.url = url
        self._redis: Any = None

    def client(self) -> Any:
        if self._redis is None:
            from redis.asyncio import Redis

            self._redis = Redis.from_url(self.url, socket_connect_timeout=2, socket_timeout=2)
        return self._redis

    async def close(self) -> None:
        if self._redis is not None:
            await self._redis.aclose()
            self._redis = None


class TieredStore:
    """Local LRU in front of Redis (when configured): reads try local, then Redis, and fill local."""

    def __init__(self, namespace: str, max_entries: int, redis: RedisClient | None) -> None:
        self.namespace = namespace
        self.local = LocalLRU(max_entries)
        self.redis = redis

    async def get(self, key: str, ttl: float) -> bytes | None:
        value = self.local.get(key)
        if value is not None or self.redis is None:
            return value
        try:
            remote: bytes | None = await self.redis.client().get(f"{self.namespace}:{key}")
        except Exception as error:  # Redis away: a miss  # noqa: BLE001
            log.warning("cache read failed (%s): %s", self.namespace, error)
            return None
        if remote is not None:
            self.local.set(key, remote, ttl)
        return remote

    async def set(self, key: str, value: bytes, ttl: float) -> None:
        self.local.set(key, value, ttl)
        if self.redis is None:
            return
        try:
            await self.redis.client().set(f"{self.namespace}:{key}", value, ex=max(int(ttl), 1))
        except Exception as error:  # noqa: BLE001
            log.warning("cache write failed (%s): %s", self.namespace, error)


class ContentVersion:
    """A counter that changes whenever anything public may have changed; part of every response-cache key.

    Without Redis it is this process's counter (so several workers need Redis: `beacon serve`
    turns the response cache off for --workers > 1 without BEACON_REDIS_URL). With Redis it is
    one shared key, INCRed after each change is committed. A missing key (new or flushed Redis)
    starts from the current time in milliseconds, so values never repeat ones that cached
    entries may still carry.
    """

    def __init__(self, key: str, redis: RedisClient | None) -> None:
        self.key = key
        self.redis = redis
        self.local = int(time.time() * 1000)

    async def current(self) -> str | None:
        """The version to key cached responses with; None when it cannot be known (Redis away)."""
        if self.redis is None:
            return str(self.local)
        try:
            client = self.redis.client()
            value = await client.get(self.key)
            if value is None:
                await client.set(self.key, int(time.time() * 1000), nx=True)
                value = await client.get(self.key)
        except Exception as error:  # noqa: BLE001
            log.warning("content version unavailable, response cache bypassed: %s", error)
            return None
        return value.decode() if isinstance(value, bytes) else str(value)

    async def bump(self) -> None:
        """Call after a change is committed (never before: a reader could cache the old state under the new version)."""
        self.local += 1
        if self.redis is None:
            return
        try:
            client = self.redis.client()
            if not await client.exists(self.key):
                await client.set(self.key, int(time.time() * 1000), nx=True)
            await client.incr(self.key)
        except Exception as error:  # noqa: BLE001
            # Entries expire after the response cache's max age; say loudly that they may be stale until then.
            log.error(
                "content version bump failed, cached public reads may be stale for up to their max age: %s", error
            )
