"""The background loop that publishes and unpublishes scheduled content on time.

Every worker process runs it; resolvers claim each due row atomically, so they never act twice.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Awaitable, Callable

from models.database import TIMED_OUT, outage
from resolvers.content import run_due_schedules

log = logging.getLogger("beacon.scheduler")
INTERVAL_SECONDS = 15.0


async def run_forever(
    interval: float = INTERVAL_SECONDS, on_change: Callable[[], Awaitable[None]] | None = None
) -> None:
    """Apply due schedules every interval; on_change runs after committed changes (the response cache's version bump).

    Failures are logged once per change of state, not once per tick: during a database outage a
    traceback every 15 s buried everything else in the log.
    """
    failing: str | None = None  # what went wrong last time, None while runs succeed
    while True:
        try:
            done = await run_due_schedules()
        except Exception as error:  # noqa: BLE001 (keep the loop alive: the next tick retries)
            failing = _report(error, failing, interval)
        else:
            if failing is not None:
                log.info("scheduled publication runs again (after: %s)", failing)
                failing = None
            if done:
                log.info("scheduled publication changes applied: %d", done)
                if on_change is not None:
                    await on_change()
        await asyncio.sleep(interval)


def _report(error: Exception, failing: str | None, interval: float) -> str:
    """Log a failure if it differs from the last one; the new state."""
    kind = outage(error)
    state = f"database {'timed out' if kind == TIMED_OUT else 'unavailable'}" if kind else type(error).__name__
    if state != failing:
        if kind:  # expected during an outage: one line, no traceback
            log.warning("scheduled publication paused: %s (%s); retrying every %g s", state, error, interval)
        else:  # a bug: its traceback, once
            log.error("scheduled publication run failed; retrying every %g s", interval, exc_info=error)
    return state


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
