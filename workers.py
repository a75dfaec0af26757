"""Worker processes of `beacon serve --workers N` end when their supervisor does.

uvicorn's supervisor passes its listening socket to N worker processes. Killed alone (SIGKILL,
the OOM killer), it left the workers serving on that socket, unmanaged, and a restart failed
with "Address already in use". Each worker now watches its parent: once the supervisor is gone
it stops itself the graceful way (SIGTERM: finish requests in flight, close the database).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import signal
from collections.abc import AsyncIterator

log = logging.getLogger("beacon.workers")
SUPERVISOR_ENV = "BEACON_SUPERVISOR_PID"
CHECK_SECONDS = 1.0


def mark_supervisor() -> None:
    """Called by the supervisor before it starts workers: they inherit its pid in the environment."""
    os.environ[SUPERVISOR_ENV] = str(os.getpid())


@contextlib.asynccontextmanager
async def exit_with_supervisor() -> AsyncIterator[None]:
    """In a worker, watch the supervisor for the lifetime of the block; elsewhere do nothing."""
    supervisor = int(os.environ.get(SUPERVISOR_ENV) or 0)
    if not supervisor or supervisor == os.getpid():
        yield
        return
    watch = asyncio.create_task(_watch(supervisor), name="beacon-supervisor-watch")
    try:
        yield
    finally:
        watch.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await watch


async def _watch(supervisor: int) -> None:
    # Nothing tells a process its parent died; orphaned, it is adopted by init (or a subreaper)
    # and its parent pid changes. Checking once a second costs nothing.
    while os.getppid() == supervisor:  # noqa: ASYNC110 (there is no event to wait for)
        await asyncio.sleep(CHECK_SECONDS)
    log.warning("the supervisor (pid %d) is gone: this worker stops too", supervisor)
    os.kill(os.getpid(), signal.SIGTERM)
