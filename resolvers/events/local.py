"""The bus interface, per-subscription queues, and the in-process bus (no BEACON_REDIS_URL)."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator
from typing import Any, Protocol

from resolvers.errors import ServiceUnavailable

log = logging.getLogger("beacon.events")

Event = dict[str, Any]
QUEUE_LIMIT = 1000
# Published in place of events that could not be delivered: its subscribers must resubscribe and fetch.
LOST: Event = {"lost": True}
LOST_MESSAGE = "An event could not be delivered; subscribe again and fetch what you missed."


class EventStreamLost(ServiceUnavailable):
    """The event stream broke (Redis dropped, the server is stopping, the reader fell behind)."""


class EventBus(Protocol):
    async def start(self) -> None: ...
    async def close(self) -> None: ...
    async def publish(self, channel: str, event: Event) -> None: ...
    def subscribe(self, channel: str) -> contextlib.AbstractAsyncContextManager[AsyncIterator[Event]]: ...
    async def subscribers(self, channel: str) -> int: ...


def consultation_channel(consultation_id: int) -> str:
    """Messages added to one consultation."""
    return f"consultation:{consultation_id}"


def user_channel(user_id: int) -> str:
    """Any change to a consultation this user takes part in."""
    return f"user:{user_id}"


# Credentials that ended (logout, revocation, deactivation): every process closes the sockets opened with them.
CREDENTIALS_CHANNEL = "credentials:ended"


class Failure:
    def __init__(self, message: str) -> None:
        self.message = message


class Fanout:
    """Local subscribers per channel, each with its own bounded queue."""

    def __init__(self) -> None:
        self.queues: dict[str, set[asyncio.Queue[Event | Failure]]] = {}

    def add(self, channel: str) -> tuple[asyncio.Queue[Event | Failure], bool]:
        """A new queue on the channel, and whether the channel is new here."""
        queue: asyncio.Queue[Event | Failure] = asyncio.Queue(maxsize=QUEUE_LIMIT)
        is_new = channel not in self.queues
        self.queues.setdefault(channel, set()).add(queue)
        return queue, is_new

    def remove(self, channel: str, queue: asyncio.Queue[Event | Failure]) -> bool:
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
        if event.get("lost"):
            self.fail_channel(channel, LOST_MESSAGE)
            return
        for queue in list(self.queues.get(channel, ())):
            try:
                queue.put_nowait(event)
            except asyncio.QueueFull:
                fail(queue, "This subscription fell behind; subscribe again and fetch what you missed.")

    def fail_channel(self, channel: str, message: str) -> None:
        """End every local subscription of one channel (each removes its queue as it ends)."""
        for queue in list(self.queues.get(channel, ())):
            fail(queue, message)

    def fail_all(self, message: str) -> None:
        for queues in self.queues.values():
            for queue in queues:
                fail(queue, message)
        self.queues.clear()


def fail(queue: asyncio.Queue[Event | Failure], message: str) -> None:
    while not queue.empty():
        queue.get_nowait()
    queue.put_nowait(Failure(message))


async def drain(queue: asyncio.Queue[Event | Failure]) -> AsyncIterator[Event]:
    while True:
        item = await queue.get()
        if isinstance(item, Failure):
            raise EventStreamLost(item.message)
        yield item


class InProcessEventBus:
    """Events within one server process (no BEACON_REDIS_URL)."""

    def __init__(self) -> None:
        self._fanout = Fanout()

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
            yield drain(queue)
        finally:
            self._fanout.remove(channel, queue)

    async def subscribers(self, channel: str) -> int:
        """Subscriptions open on the channel in this process (a published event reaches each)."""
        return len(self._fanout.queues.get(channel, ()))
