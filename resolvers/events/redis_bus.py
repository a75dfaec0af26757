"""Events across server processes through Redis pub/sub, with bounded waits and no silent loss.

A fault-injection run (issue 16) found two ways events went missing without a word: the
publisher never retried, so after a Redis restart each dead pooled connection dropped one event
that resubscribed clients never heard of; and with Redis hung (SIGSTOP) a send blocked ~15 s
after its commit while subscribers, whose connection stayed open, were told nothing. Now:

- A publish retries once on a fresh connection and never waits longer than `timeout`
  (BEACON_EVENTS_TIMEOUT, 1 s).
- An event that still cannot be published is not dropped: the channel's subscribers in this
  process end with `EventStreamLost` at once, and the channel is remembered. Until Redis answers
  again, later publishes do not wait at all (the channel is only remembered); once it answers, a
  `{"lost": true}` notice goes out on every remembered channel, ending those subscriptions in
  every process. Past MAX_UNANNOUNCED channels, one notice on the control channel ends them all.
- The listener pings Redis after HEARTBEAT seconds of silence and breaks (ending every
  subscription it carried) when no answer comes within ANSWER_DEADLINE: a hung Redis is noticed.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import time
from collections.abc import AsyncIterator
from typing import Any

from resolvers.events.local import LOST, LOST_MESSAGE, Event, EventStreamLost, Fanout, drain

log = logging.getLogger("beacon.events")

HEARTBEAT = 2.0  # seconds of silence on the subscriber connection before it pings Redis
ANSWER_DEADLINE = 3.0  # seconds Redis has to answer that ping before the connection counts as hung
MAX_UNANNOUNCED = 50_000  # channels remembered one by one while Redis is away; past it, everyone is told
CONTROL_CHANNEL = "events:lost-all"
CONNECTION_LOST = "The event connection was lost; subscribe again and fetch what you missed."


class _RedisListener:
    """One pub/sub connection shared by this process's subscriptions, and the task reading it."""

    def __init__(self, pubsub: Any) -> None:
        self.pubsub = pubsub
        self.fanout = Fanout()
        self.task: asyncio.Task[None] | None = None
        self.broken = False


class RedisEventBus:
    """Events across server processes through Redis pub/sub."""

    def __init__(self, url: str, prefix: str = "beacon", timeout: float = 1.0) -> None:
        self.url = url
        self.prefix = prefix.rstrip(":") + ":"
        self.timeout = timeout
        self._redis: Any = None
        self._listener: _RedisListener | None = None
        self._lock = asyncio.Lock()
        self._unannounced: set[str] = set()
        self._everything_lost = False
        self._announcer: asyncio.Task[None] | None = None

    def _client(self, *, retries: int) -> Any:
        from redis.asyncio import Redis
        from redis.asyncio.retry import Retry
        from redis.backoff import NoBackoff
        from redis.exceptions import ConnectionError as RedisConnectionError
        from redis.exceptions import TimeoutError as RedisTimeoutError

        retry = Retry(NoBackoff(), retries, supported_errors=(RedisConnectionError, RedisTimeoutError))
        # Half the bound per attempt: one retry on a fresh connection still fits in it.
        attempt = self.timeout / 2
        return Redis.from_url(self.url, retry=retry, socket_connect_timeout=attempt, socket_timeout=attempt)

    async def start(self) -> None:
        self._redis = self._client(retries=1)
        # A configured Redis that is missing is a configuration error: refuse to start.
        async with asyncio.timeout(max(self.timeout, 5.0)):
            await self._redis.ping()

    async def close(self) -> None:
        listener, self._listener = self._listener, None
        if listener is not None:
            await self._stop(listener, "The server is shutting down; reconnect and subscribe again.")
        if self._announcer is not None:
            self._announcer.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._announcer
            self._announcer = None
            with contextlib.suppress(Exception):  # a last try; the log says what was left
                await self._announce_once()
            if self._unannounced or self._everything_lost:
                log.error("shutting down with %d event channel(s) never announced as lost", len(self._unannounced))
        if self._redis is not None:
            with contextlib.suppress(Exception):  # closing a broken client must not stop shutdown
                await self._redis.aclose()
            self._redis = None

    async def publish(self, channel: str, event: Event) -> None:
        """Publish after the commit; waits on Redis at most `timeout`, and never drops an event silently."""
        if self._announcer is None:  # Redis answered last time: try
            try:
                async with asyncio.timeout(self.timeout):
                    await self._redis.publish(self.prefix + channel, json.dumps(event))
                return
            except Exception as error:  # noqa: BLE001 (any Redis failure: keep the committed change, tell subscribers)
                log.warning("could not publish on %s: %s: %s", channel, type(error).__name__, error)
        self._lost(channel)

    def _lost(self, channel: str) -> None:
        """Tell this process's subscribers now, and every other process's once Redis answers again."""
        if self._listener is not None:
            self._listener.fanout.fail_channel(channel, LOST_MESSAGE)
        if len(self._unannounced) < MAX_UNANNOUNCED:
            self._unannounced.add(channel)
        else:
            self._everything_lost = True
        if self._announcer is None:
            self._announcer = asyncio.create_task(self._announce(), name="beacon-events-lost")

    async def _announce(self) -> None:
        """Until Redis answers, keep trying to announce the lost channels; then publish normally again."""
        pause = 0.5
        while self._unannounced or self._everything_lost:
            await asyncio.sleep(pause)
            try:
                await self._announce_once()
            except Exception as error:  # noqa: BLE001 (Redis still away: try again a little later)
                log.debug("lost events not announced yet: %s", error)
                pause = min(pause * 2, 5.0)
        log.info("Redis answers again; lost events announced")
        self._announcer = None

    async def _announce_once(self) -> None:
        channels, everything = set(self._unannounced), self._everything_lost
        async with asyncio.timeout(self.timeout):
            pipe = self._redis.pipeline(transaction=False)
            for channel in channels:
                pipe.publish(self.prefix + channel, json.dumps(LOST))
            if everything:
                pipe.publish(self.prefix + CONTROL_CHANNEL, json.dumps(LOST))
            await pipe.execute()
        self._unannounced -= channels
        if everything:
            self._everything_lost = False

    @contextlib.asynccontextmanager
    async def subscribe(self, channel: str) -> AsyncIterator[AsyncIterator[Event]]:
        async with self._lock:
            listener = await self._listening()
            queue, is_new = listener.fanout.add(channel)
            try:
                if is_new:
                    async with asyncio.timeout(self.timeout):
                        await listener.pubsub.subscribe(self.prefix + channel)
            except Exception as error:  # noqa: BLE001 (any subscribe failure breaks the listener for all)
                listener.fanout.remove(channel, queue)
                await self._break(listener, error)
                raise EventStreamLost("The event service is unavailable; try again shortly.") from None
        try:
            yield drain(queue)
        finally:
            if listener.fanout.remove(channel, queue) and not listener.broken:
                with contextlib.suppress(Exception):  # the listener's own failure ends it anyway
                    async with asyncio.timeout(self.timeout):
                        await listener.pubsub.unsubscribe(self.prefix + channel)

    async def _listening(self) -> _RedisListener:
        """The live listener, or a new one subscribed to the control channel (call under the lock)."""
        listener = self._listener
        if listener is not None and not listener.broken:
            return listener
        listener = self._listener = _RedisListener(self._client(retries=0).pubsub())
        try:
            async with asyncio.timeout(self.timeout):
                await listener.pubsub.subscribe(self.prefix + CONTROL_CHANNEL)
        except Exception as error:  # noqa: BLE001 (Redis away: this subscription is refused, the next one retries)
            await self._break(listener, error)
            raise EventStreamLost("The event service is unavailable; try again shortly.") from None
        listener.task = asyncio.create_task(self._read(listener), name="beacon-redis-events")
        return listener

    async def _read(self, listener: _RedisListener) -> None:
        try:
            await self._listen(listener)
        except asyncio.CancelledError:
            raise
        except Exception as error:  # noqa: BLE001 (the connection broke or hung: end every subscription it carried)
            await self._break(listener, error)

    async def _listen(self, listener: _RedisListener) -> None:
        heard = time.monotonic()
        pinged: float | None = None
        while True:
            message = await listener.pubsub.get_message(ignore_subscribe_messages=True, timeout=1.0)
            now = time.monotonic()
            if message is not None:
                heard, pinged = now, None
                if message.get("type") == "message":
                    self._dispatch(listener, message["channel"].decode(), json.loads(message["data"]))
            elif pinged is not None and now - pinged > ANSWER_DEADLINE:
                raise EventStreamLost(f"Redis did not answer a ping within {ANSWER_DEADLINE:g} s")
            elif pinged is None and now - heard > HEARTBEAT:
                async with asyncio.timeout(self.timeout):
                    await listener.pubsub.ping()
                pinged = now

    def _dispatch(self, listener: _RedisListener, channel: str, event: Event) -> None:
        name = channel.removeprefix(self.prefix)
        if name == CONTROL_CHANNEL:  # too many channels were lost to name them: end every subscription
            for lost in list(listener.fanout.queues):
                listener.fanout.fail_channel(lost, LOST_MESSAGE)
        else:
            listener.fanout.dispatch(name, event)

    async def _break(self, listener: _RedisListener, error: BaseException) -> None:
        log.warning("Redis event connection lost: %s: %s", type(error).__name__, error)
        listener.broken = True
        listener.fanout.fail_all(CONNECTION_LOST)
        with contextlib.suppress(Exception):  # a hung or dead connection may fail to close
            async with asyncio.timeout(self.timeout):
                await listener.pubsub.aclose()

    async def _stop(self, listener: _RedisListener, message: str) -> None:
        listener.broken = True
        listener.fanout.fail_all(message)
        if listener.task is not None:
            listener.task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await listener.task
        with contextlib.suppress(Exception):  # closing a broken connection must not stop shutdown
            async with asyncio.timeout(self.timeout):
                await listener.pubsub.aclose()
