"""Real-time events: publish small ID-only notices, subscribe to channels.

Writers commit to the database first and then publish only IDs ("notify, then fetch"); every
subscriber loads what changed through the normal permission path. `InProcessEventBus` serves one
process; `RedisEventBus` (BEACON_REDIS_URL) carries events across processes over Redis pub/sub.

Nothing is silently missed: a subscription either receives every event of its channel or ends
with `EventStreamLost`, after which the client subscribes again and fetches what it missed
(docs/consultations.md, "When Redis fails").
"""

from __future__ import annotations

from resolvers.events.local import (
    CREDENTIALS_CHANNEL,
    Event,
    EventBus,
    EventStreamLost,
    InProcessEventBus,
    consultation_channel,
    user_channel,
)
from resolvers.events.redis_bus import RedisEventBus

__all__ = [
    "CREDENTIALS_CHANNEL",
    "Event",
    "EventBus",
    "EventStreamLost",
    "InProcessEventBus",
    "RedisEventBus",
    "consultation_channel",
    "create_event_bus",
    "user_channel",
]


def create_event_bus(redis_url: str | None, prefix: str = "beacon", timeout: float = 1.0) -> EventBus:
    """Redis pub/sub when a URL is configured, else in-process; `timeout` bounds every wait on Redis."""
    return RedisEventBus(redis_url, prefix, timeout) if redis_url else InProcessEventBus()
