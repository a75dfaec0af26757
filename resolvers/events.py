"""Real-time events: publish small ID-only notices, subscribe to channels.

Writers commit to the database first and then publish only IDs ("notify, then
fetch"); every subscriber loads what changed through the normal permission path.
`InProcessEventBus` serves one process; `RedisEventBus` (BEACON_REDIS_URL) carries
events across processes over Redis pub/sub. When the Redis connection drops, every
subscription reading from it ends with `EventStreamLost` instead of waiting forever.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from collections.abc import AsyncIterator
from typing import Any, Protocol

from resolvers.errors import ServiceUnavailable

log = logging.getLogger("beacon.events")

Event = dict[str, Any]
QUEUE_LIMIT = 1000


class EventStreamLost(ServiceUnavailable):
    """The event stream broke (Redis dropped, the server is stopping, the reader fell behind)."""


class EventBus(Protocol):
    async def start(self) -> None: ...
    async def close(self) -> None: ...
    async def publish(self, channel: str, event: Event) -> None: ...
    def subscribe(self, channel: str) -> contextlib.AbstractAsyncContextManager[AsyncIterator[Event]]: ...


def consultation_channel(consultation_id: int) -> str:
    """Messages added to one consultation."""
    return f"consultation:{consultation_id}"


def user_channel(user_id: int) -> str:
    """Any change to a consultation this user takes part in."""
    return f"user:{user_id}"


class _Failure:
    def __init__(self, message: str) -> None:
        self.message = message


class _Fanout:
    """Local subscribers per channel, each with its own bounded queue."""

    def __init__(self) -> None:
        self.queues: dict[str, set[asyncio.Queue[Event | _Failure]]] = {}

    def add(self, channel: str) -> tuple[asyncio.Queue[Event | _Failure], bool]:
        """A new queue on the channel, and whether the channel is new here."""
        queue: asyncio.Queue[Event | _Failure] = asyncio.Queue(maxsize=QUEUE_LIMIT)
        is_new = channel not in self.queues
        self.queues.setdefault(channel, set()).add(queue)
        return queue, is_new

    def remove(self, channel: str, queue: asyncio.Queue[Event | _Failure]) -> bool:
        """Drop a queue; True when the channel has no subscriber left."""
        queues = self.queues.get(channel)
        if queues is None:
            return False
        queues.discard(queue)
        if queues:
            return False
        del self.queues[channel]
        return True

    def dispatch(self, channel: str, event: Event) -> None:
        for queue in list(self.queues.get(channel, ())):
            try:
                queue.put_nowait(event)
            except asyncio.QueueFull:
                _fail(queue, "This subscription fell behind; subscribe again and fetch what you missed.")

    def fail_all(self, message: str) -> None:
        for queues in self.queues.values():
            for queue in queues:
                _fail(queue, message)
        self.queues.clear()


def _fail(queue: asyncio.Queue[Event | _Failure], message: str) -> None:
    while not queue.empty():
        queue.get_nowait()
    queue.put_nowait(_Failure(message))


async def _drain(queue: asyncio.Queue[Event | _Failure]) -> AsyncIterator[Event]:
    while True:
        item = await queue.get()
        if isinstance(item, _Failure):
            raise EventStreamLost(item.message)
        yield item


class InProcessEventBus:
    """Events within one server process (no BEACON_REDIS_URL)."""

    def __init__(self) -> None:
        self._fanout = _Fanout()

    async def start(self) -> None:
        return None

    async def close(self) -> None:
        self._fanout.fail_all("The server is shutting down; reconnect and subscribe again.")

    async def publish(self, channel: str, event: Event) -> None:
        self._fanout.dispatch(channel, event)

    @contextlib.asynccontextmanager
    async def subscribe(self, channel: str) -> AsyncIterator[AsyncIterator[Event]]:
        queue, _ = self._fanout.add(channel)
        try:
            yield _drain(queue)
        finally:
            self._fanout.remove(channel, queue)


class _RedisListener:
    """One pub/sub connection shared by this process's subscriptions, and the task reading it."""

    def __init__(self, pubsub: Any) -> None:
        self.pubsub = pubsub
        self.fanout = _Fanout()
        self.task: asyncio.Task[None] | None = None
        self.broken = False


class RedisEventBus:
    """Events across server processes through Redis pub/sub."""

    def __init__(self, url: str, prefix: str = "beacon") -> None:
        self.url = url
        self.prefix = prefix.rstrip(":") + ":"
        self._redis: Any = None
        self._listener: _RedisListener | None = None
        self._lock = asyncio.Lock()

    def _client(self) -> Any:
        from redis.asyncio import Redis
        from redis.backoff import NoBackoff
        from redis.retry import Retry

        # No silent reconnects: a dropped connection must surface, so that the
        # subscriptions it carried end with an error instead of missing events.
        return Redis.from_url(self.url, retry=Retry(NoBackoff(), 0), health_check_interval=15, socket_connect_timeout=5)

    async def start(self) -> None:
        self._redis = self._client()
        await self._redis.ping()

    async def close(self) -> None:
        listener, self._listener = self._listener, None
        if listener is not None:
            await self._stop(listener, "The server is shutting down; reconnect and subscribe again.")
        if self._redis is not None:
            await self._redis.aclose()
            self._redis = None

    async def publish(self, channel: str, event: Event) -> None:
        # Called after the change is committed: a lost notice must not undo it.
        # Subscribers on a broken connection learn of it from their own stream.
        try:
            await self._redis.publish(self.prefix + channel, json.dumps(event))
        except Exception as error:  # noqa: BLE001 any Redis failure: log, keep the committed change
            log.warning("could not publish %s: %s", channel, error)

    @contextlib.asynccontextmanager
    async def subscribe(self, channel: str) -> AsyncIterator[AsyncIterator[Event]]:
        async with self._lock:
            listener = self._listener
            if listener is None or listener.broken:
                listener = self._listener = _RedisListener(self._client().pubsub())
            queue, is_new = listener.fanout.add(channel)
            try:
                if is_new:
                    await listener.pubsub.subscribe(self.prefix + channel)
            except Exception as error:  # noqa: BLE001 any subscribe failure breaks the listener for all
                listener.fanout.remove(channel, queue)
                await self._break(listener, error)
                raise EventStreamLost("The event service is unavailable; try again shortly.") from None
            if listener.task is None:
                listener.task = asyncio.create_task(self._read(listener), name="beacon-redis-events")
        try:
            yield _drain(queue)
        finally:
            if listener.fanout.remove(channel, queue) and not listener.broken:
                with contextlib.suppress(Exception):
                    await listener.pubsub.unsubscribe(self.prefix + channel)

    async def _read(self, listener: _RedisListener) -> None:
        try:
            while True:
                message = await listener.pubsub.get_message(ignore_subscribe_messages=True, timeout=1.0)
                if message and message.get("type") == "message":
                    channel = message["channel"].decode().removeprefix(self.prefix)
                    listener.fanout.dispatch(channel, json.loads(message["data"]))
        except asyncio.CancelledError:
            raise
        except Exception as error:  # noqa: BLE001 the connection broke: end every subscription it carried
            await self._break(listener, error)

    async def _break(self, listener: _RedisListener, error: BaseException) -> None:
        log.warning("Redis event connection lost: %s", error)
        listener.broken = True
        listener.fanout.fail_all("The event connection was lost; subscribe again and fetch what you missed.")
        with contextlib.suppress(Exception):
            await listener.pubsub.aclose()

    async def _stop(self, listener: _RedisListener, message: str) -> None:
        listener.broken = True
        listener.fanout.fail_all(message)
        if listener.task is not None:
            listener.task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await listener.task
        with contextlib.suppress(Exception):
            await listener.pubsub.aclose()


def create_event_bus(redis_url: str | None, prefix: str = "beacon") -> EventBus:
    """Redis pub/sub when a URL is configured, else in-process."""
    return RedisEventBus(redis_url, prefix) if redis_url else InProcessEventBus()
