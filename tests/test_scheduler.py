"""The scheduled-publication loop through a database outage: one log line per change of state."""

from __future__ import annotations

import asyncio
import logging

import pytest

import scheduler
from models.database import close_database, open_database


async def test_an_outage_is_logged_once_and_the_recovery_once(db: str, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="beacon.scheduler")
    await close_database()
    # Nothing listens on port 9 of loopback: the database is "down" for every tick.
    await open_database("postgres://postgres@127.0.0.1:9/nothing")
    try:
        async with scheduler.running(interval=0.02):
            await asyncio.sleep(0.5)  # many ticks, all failing
            await close_database()
            await open_database(db)  # back
            await asyncio.sleep(0.3)
    finally:
        await close_database()
        await open_database(db)
    lines = [(r.levelname, r.getMessage()) for r in caplog.records if r.name == "beacon.scheduler"]
    assert [level for level, _ in lines] == ["WARNING", "INFO"], lines
    assert lines[0][1].startswith("scheduled publication paused: database unavailable")
    assert lines[1][1] == "scheduled publication runs again (after: database unavailable)"
    assert not any(r.exc_info for r in caplog.records), "no traceback for an outage"
