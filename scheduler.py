"""The background loop that publishes and unpublishes scheduled content on time.

Every worker process runs it; resolvers claim each due row atomically, so they never act twice.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Awaitable, Callable

from resolvers.content import run_due_schedules

log = logging.getLogger("beacon.scheduler")
INTERVAL_SECONDS = 15.0


async def run_forever(
    interval: float = INTERVAL_SECONDS, on_change: Callable[[], Awaitable[None]] | None = None
) -> None:
    """Apply due schedules every interval; on_change runs after committed changes (the response cache's version bump)."""
    while True:
        try:
            done = await run_due_schedules()
            if done:
                log.info("scheduled publication changes applied: %d", done)
                if on_change is not None:
                    await on_change()
        except Exception:  # keep the loop alive: the next tick retries
            log.exception("scheduled publication run failed")
        await asyncio.sleep(interval)


@contextlib.asynccontextmanager
async def running(
    interval: float = INTERVAL_SECONDS,
    on_change: Callable[[], Awaitable[None]] | None = None,
) -> AsyncIterator[asyncio.Task[None]]:
    """Run the loop for the lifetime of the block."""
    task = asyncio.create_task(run_forever(interval, on_change), name="beacon-scheduler")
    try:
        yield task
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
