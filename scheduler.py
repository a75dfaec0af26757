"""The background loop: scheduled publication on time, and the retention purge (resolvers/retention.py).

Every worker process runs it; resolvers claim each due row atomically, so they never act twice,
and the purge deletes only rows that still meet their kind's condition at the moment of the DELETE.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path

from models.database import TIMED_OUT, outage
from resolvers import exports, retention
from resolvers.content import media as content_media
from resolvers.content import run_due_schedules

log = logging.getLogger("beacon.scheduler")
INTERVAL_SECONDS = 15.0
PURGE_SECONDS = 600.0


@dataclass(frozen=True)
class Purge:
    """The retention purge every `every` seconds, at most `batch` records of each kind a run (`beacon purge` runs it too)."""

    media_dir: Path
    policy: retention.Policy
    every: float = PURGE_SECONDS
    batch: int = 500


async def run_forever(
    interval: float = INTERVAL_SECONDS,
    on_change: Callable[[], Awaitable[None]] | None = None,
    purge: Purge | None = None,
) -> None:
    """Apply due schedules every interval; on_change runs after committed changes (the response cache's version bump).

    Failures are logged once per change of state, not once per tick: during a database outage a
    traceback every 15 s buried everything else in the log.
    """
    failing: str | None = None  # what went wrong last time, None while runs succeed
    next_purge = time.monotonic()
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
        if purge is not None and failing is None and time.monotonic() >= next_purge:
            next_purge = time.monotonic() + purge.every
            await _purge(purge)
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


async def _purge(purge: Purge) -> None:
    """Remove what is past its retention and seal private files still plain; a failure waits for the next purge."""
    try:
        storage = content_media.storage_for(purge.media_dir)
        done = await retention.execute(await retention.plan(purge.policy, limit=purge.batch), storage)
        sealed = await content_media.seal_private_files(storage)
        orphans = await exports.prepare_orphans()
    except Exception as error:  # keep the loop alive: the next purge retries
        if outage(error):
            log.warning("retention purge skipped: database unavailable (%s)", error)
        else:
            log.error("retention purge failed", exc_info=error)
        return
    removed = {kind: len(ids) for kind, ids in done.items() if ids}
    if removed:
        log.info("retention purge: %s", ", ".join(f"{kind} {count}" for kind, count in removed.items()))
    if sealed:
        log.info("private files sealed: %d", sealed)
    if orphans:
        log.info("data exports left pending by a stopped process, prepared: %d", orphans)


@contextlib.asynccontextmanager
async def running(
    interval: float = INTERVAL_SECONDS,
    on_change: Callable[[], Awaitable[None]] | None = None,
    purge: Purge | None = None,
) -> AsyncIterator[asyncio.Task[None]]:
    """Run the loop for the lifetime of the block."""
    task = asyncio.create_task(run_forever(interval, on_change, purge), name="beacon-scheduler")
    try:
        yield task
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
