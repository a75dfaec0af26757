"""The image pool: jobs run in worker processes, a global and a per-caller bound, a dead worker is replaced."""

import asyncio
import os
import signal
import sys
import time
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from media_samples import hold_pixels, worker_rss

from media.errors import Busy, CallerBusy, WorkerFailed
from media.pool import ImagePool, PoolLimits
from tests.proc import parent_of, running

MB = 1024 * 1024


@pytest.fixture
async def pool() -> AsyncIterator[ImagePool]:
    # One worker, one job per caller at a time, one more waiting per caller, two waiting in all.
    pool = ImagePool(PoolLimits(workers=1, per_caller=1, caller_queue=1, queue=2))
    yield pool
    pool.close()


async def test_jobs_run_in_another_process(pool: ImagePool) -> None:
    assert await pool.run("a", os.getpid) != os.getpid()


async def test_a_workers_memory_goes_back_after_each_job(pool: ImagePool) -> None:
    idle = await pool.run("a", worker_rss)
    for _ in range(3):
        assert await pool.run("a", hold_pixels, 200) >= 200 * MB  # 200 MB of pixels, freed at the end

    after = await pool.run("a", worker_rss)

    assert after - idle < 60 * MB, f"worker kept {(after - idle) / MB:.0f} MB"


async def test_workers_are_replaced_after_their_share_of_jobs() -> None:
    pool = ImagePool(PoolLimits(jobs_per_worker=2))
    try:
        pids = [await pool.run("a", os.getpid) for _ in range(4)]
    finally:
        pool.close()
    assert len(set(pids)) == 2


async def test_one_caller_cannot_queue_more_than_its_share(pool: ImagePool) -> None:
    running = asyncio.ensure_future(pool.run("greedy", time.sleep, 1.0))
    waiting = asyncio.ensure_future(pool.run("greedy", time.sleep, 0))
    await asyncio.sleep(0.05)

    with pytest.raises(CallerBusy):
        await pool.run("greedy", time.sleep, 0)
    other = await asyncio.wait_for(pool.run("someone-else", os.getpid), 30)  # others still get their turn

    assert other > 0
    await asyncio.gather(running, waiting)


async def test_past_the_queue_everyone_is_refused_at_once(pool: ImagePool) -> None:
    jobs = [asyncio.ensure_future(pool.run(f"caller-{i}", time.sleep, 0.5)) for i in range(3)]
    await asyncio.sleep(0.05)

    with pytest.raises(Busy) as refused:
        await pool.run("late", time.sleep, 0)

    assert not isinstance(refused.value, CallerBusy) and refused.value.retry_after > 0
    await asyncio.gather(*jobs)
    assert await pool.run("late", os.getpid) > 0  # room again once the queue drains


async def test_a_worker_that_dies_fails_its_job_and_the_pool_recovers(pool: ImagePool) -> None:
    with pytest.raises(WorkerFailed):
        await pool.run("a", os._exit, 3)

    assert await pool.run("a", os.getpid) > 0


async def test_a_cancelled_caller_does_not_free_the_worker_before_the_job_ends(pool: ImagePool) -> None:
    slow = asyncio.ensure_future(pool.run("a", time.sleep, 0.5))
    await asyncio.sleep(0.05)
    slow.cancel()
    with pytest.raises(asyncio.CancelledError):
        await slow

    # The worker is still busy with the job nobody waits for: its slot stays taken until it ends.
    workers = pool._loop_gates().workers
    assert workers.locked()
    assert await pool.run("b", os.getpid) > 0
    assert not workers.locked()


ROOT = Path(__file__).resolve().parents[2]
# A server that starts its pool, prints the worker's pid, then dies as the OOM killer would end it.
KILLED_SERVER = """
import asyncio, os, signal
from media.pool import ImagePool

async def main():
    print(await ImagePool().run("a", os.getpid), flush=True)
    os.kill(os.getpid(), signal.SIGKILL)

asyncio.run(main())
"""


async def _until_gone(pid: int) -> bool:
    deadline = time.monotonic() + 60  # a ceiling for a busy machine; it normally takes milliseconds
    while running(pid) and time.monotonic() < deadline:  # noqa: ASYNC110 (another process's end sets no event here)
        await asyncio.sleep(0.05)
    return not running(pid)


async def test_workers_leave_when_their_server_is_killed_outright() -> None:
    server = await asyncio.create_subprocess_exec(
        sys.executable, "-c", KILLED_SERVER, cwd=ROOT, stdout=asyncio.subprocess.PIPE
    )
    assert server.stdout is not None
    worker = int(await server.stdout.readline())  # not read to the end: a leftover worker would hold it open
    fork_server = parent_of(worker)
    try:
        # Not server.wait(): asyncio also waits for the pipe, which a leftover worker would hold open.
        assert await _until_gone(server.pid), "the server was not killed"
        assert await _until_gone(worker), "the worker outlived its server"
        assert await _until_gone(fork_server), "the fork server outlived its server"
    finally:
        for pid in (worker, fork_server):
            if running(pid):
                os.kill(pid, signal.SIGKILL)
        assert await asyncio.wait_for(server.wait(), 60) == -signal.SIGKILL
