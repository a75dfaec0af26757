"""The image pool: Pillow work in a few worker processes, bounded in total and per caller.

Why processes: one decode can hold hundreds of MB, and memory a thread frees stays in glibc's
arenas, so the server's RSS stays high (measured before this pool: 4.6 GB while one 8000x8000 PNG's
six variants rendered in threads, docs/security.md). A single-threaded worker gets its big
blocks unmapped when Pillow frees them, and calls malloc_trim after every job for the rest
(measured: 27 MB after rendering a 100 MB image, 24 MB idle); it is replaced after
`jobs_per_worker` jobs. Not after each job: a new worker re-imports the main module
(multiprocessing's rule), which made `beacon seed-demo` 50% slower on a loaded machine. Why limits: at most `workers` images decode
at once; a caller runs `per_caller` jobs at a time; jobs past `queue` waiting in all (or
`caller_queue` for one caller) are refused at once with Busy, so a flood costs only the refusals.
"""

from __future__ import annotations

import asyncio
import ctypes
import ctypes.util
import multiprocessing
import multiprocessing.connection
import os
import threading
import weakref
from collections import Counter
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from typing import Any, TypeVar

from .errors import Busy, CallerBusy, WorkerFailed
from .imaging import Budget

T = TypeVar("T")


@dataclass(frozen=True)
class PoolLimits:
    """How much image work one server process takes on at a time."""

    workers: int = 1
    per_caller: int = 1
    caller_queue: int = 8
    queue: int = 32
    jobs_per_worker: int = 100
    budget: Budget = field(default_factory=Budget)


@dataclass
class _LoopGates:
    """Semaphores belong to one event loop; tests run several loops in turn."""

    workers: asyncio.Semaphore
    callers: dict[str, asyncio.Semaphore] = field(default_factory=dict)


class ImagePool:
    """Runs blocking image jobs in worker processes, admitting only what the limits allow."""

    def __init__(self, limits: PoolLimits | None = None) -> None:
        self.limits = limits or PoolLimits()
        self.completed = 0  # jobs that ran to the end (tests and the bench read it)
        self._executor: ProcessPoolExecutor | None = None
        self._admitted: Counter[str] = Counter()
        self._gates: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, _LoopGates] = weakref.WeakKeyDictionary()

    @property
    def budget(self) -> Budget:
        return self.limits.budget

    async def run(self, caller: str, job: Callable[..., T], *args: Any) -> T:
        """Run job(*args) in a worker once the caller's and the pool's turn comes; Busy if the queue is full."""
        self._admit(caller)
        gates = self._loop_gates()
        mine = gates.callers.setdefault(caller, asyncio.Semaphore(self.limits.per_caller))
        try:
            async with mine:
                await gates.workers.acquire()
                done = asyncio.wrap_future(self._submit(job, *args))
                done.add_done_callback(lambda _: gates.workers.release())
                # A client that goes away does not stop the worker; its slot frees when the job ends.
                result: T = await asyncio.shield(done)
                self.completed += 1
                return result
        except BrokenProcessPool as error:
            self._executor = None
            raise WorkerFailed(str(error)) from None
        finally:
            self._leave(caller, gates)

    def close(self) -> None:
        """Stop the worker processes (the lifespan's end); a later job starts new ones."""
        if self._executor is not None:
            self._executor.shutdown(wait=False, cancel_futures=True)
            self._executor = None

    def _admit(self, caller: str) -> None:
        if self._admitted[caller] >= self.limits.per_caller + self.limits.caller_queue:
            raise CallerBusy(retry_after=2)
        if self._admitted.total() >= self.limits.workers + self.limits.queue:
            raise Busy(retry_after=5)
        self._admitted[caller] += 1

    def _leave(self, caller: str, gates: _LoopGates) -> None:
        self._admitted[caller] -= 1
        if self._admitted[caller] <= 0:
            del self._admitted[caller]
            gates.callers.pop(caller, None)

    def _loop_gates(self) -> _LoopGates:
        loop = asyncio.get_running_loop()
        gates = self._gates.get(loop)
        if gates is None:
            gates = self._gates[loop] = _LoopGates(asyncio.Semaphore(self.limits.workers))
        return gates

    def _submit(self, job: Callable[..., T], *args: Any) -> Future[T]:
        if self._executor is None:
            context = multiprocessing.get_context("forkserver")
            # Workers fork from a small server that has Pillow loaded, not from this big process.
            context.set_forkserver_preload(["media.imaging"])
            self._executor = ProcessPoolExecutor(
                max_workers=self.limits.workers,
                mp_context=context,
                max_tasks_per_child=self.limits.jobs_per_worker,
                initializer=_leave_with_the_server,
            )
        return self._executor.submit(_run_then_trim, job, *args)


def _leave_with_the_server() -> None:
    """In the worker: exit when the server process that started it is gone.

    A server killed outright (SIGKILL, the OOM killer) cannot shut its pool down, and its worker would
    wait on the job queue forever, keeping the fork server alive too: test runs that killed servers
    left such pairs behind. multiprocessing hands each worker a sentinel of its parent for this.
    """
    parent = multiprocessing.parent_process()
    if parent is not None:
        threading.Thread(target=_exit_when_gone, args=(parent.sentinel,), name="parent-watch", daemon=True).start()


def _exit_when_gone(sentinel: int) -> None:
    multiprocessing.connection.wait([sentinel])
    os._exit(0)


def _run_then_trim(job: Callable[..., T], *args: Any) -> T:
    """In the worker: run the job, then give the heap it freed back to the system."""
    try:
        return job(*args)
    finally:
        _trim()


def _trim() -> None:
    if _LIBC is not None:
        _LIBC.malloc_trim(0)


def _glibc() -> Any:
    """glibc, whose malloc_trim returns freed heap pages; None elsewhere (musl, macOS free them anyway)."""
    name = ctypes.util.find_library("c")
    try:
        libc = ctypes.CDLL(name) if name else None
    except OSError:
        return None
    return libc if libc is not None and hasattr(libc, "malloc_trim") else None


_LIBC = _glibc()


_default = ImagePool()


def image_pool() -> ImagePool:
    """The process's image pool (configured once by the app; defaults otherwise)."""
    return _default


def configure(limits: PoolLimits) -> ImagePool:
    """Replace the process's image pool with one of these limits."""
    global _default
    if limits != _default.limits:
        _default.close()
        _default = ImagePool(limits)
    return _default
