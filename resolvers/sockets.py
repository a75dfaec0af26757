"""Open graphql-ws sockets and the credentials they were opened with: a socket ends with its credential.

A socket authenticates once, in `connection_init`; the hostile review (issue 11, item 1) kept
reading a thread and sending messages over one after `logout`. Each server process keeps a
`LiveSockets` registry of its signed-in sockets and ends one (its `end(reason)` closes it with
4401) when its credential does:

- *Announced endings.* Logout, revocation, a password change, "sign out everywhere" and
  deactivation publish an ID-only notice on `CREDENTIALS_CHANNEL` after their commit
  (`accounts.announce_ended`); every process listens on the event bus (in-process, or Redis
  across processes) and ends the matching sockets at once.
- *Expiry.* A token that simply times out announces nothing: a tick every `TICK` seconds ends
  sockets whose credential's `expires_at` has passed (in memory, no query).
- *Sweep.* Every `recheck_seconds`, and each time the listener (re)subscribes, one batched query
  asks the database about every registered credential, so an announcement lost with a Redis
  outage or made by the command line without Redis still ends the socket, only later.

The handler also re-checks the credential for every operation and every delivered event
(server.py, `Context.recheck`), so a socket whose ending was not heard yet still reads nothing.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, NoReturn

from resolvers import accounts
from resolvers.actor import Actor
from resolvers.events import CREDENTIALS_CHANNEL, Event, EventBus, EventStreamLost

log = logging.getLogger("beacon.sockets")
TICK = 0.25  # seconds between expiry checks (in memory)
RESUBSCRIBE_PAUSE = 1.0  # seconds before listening again after the event stream broke
READY_WAIT = 5.0  # the longest a new socket waits for this process to start listening


@dataclass(eq=False)
class LiveSocket:
    """One signed-in socket: whose credential it holds and how to end it."""

    user_id: int | None
    token_id: int | None
    api_key_id: int | None
    expires_at: datetime | None
    end: Callable[[str], Awaitable[None]]
    ended: bool = False


class LiveSockets:
    """This process's signed-in sockets, ended when their credentials end."""

    def __init__(self, bus: EventBus, recheck_seconds: float = 30.0) -> None:
        self.bus = bus
        self.recheck_seconds = recheck_seconds
        self.sockets: set[LiveSocket] = set()
        self._task: asyncio.Task[None] | None = None
        self._listening = asyncio.Event()
        self._endings: set[asyncio.Task[None]] = set()

    async def register(self, identity: accounts.Identity, end: Callable[[str], Awaitable[None]]) -> LiveSocket:
        """Watch a socket's credential from now on (after this returns, an announced ending is heard)."""
        self.start()
        with contextlib.suppress(TimeoutError):  # the sweep still catches what a slow start misses
            async with asyncio.timeout(READY_WAIT):
                await self._listening.wait()
        actor = identity.actor
        live = LiveSocket(actor.user_id, actor.token_id, actor.api_key_id, identity.expires_at, end)
        self.sockets.add(live)
        return live

    def unregister(self, live: LiveSocket) -> None:
        self.sockets.discard(live)

    def refreshed(self, live: LiveSocket, identity: accounts.Identity) -> None:
        """A re-check found the credential still good: keep its (possibly new) end."""
        live.expires_at = identity.expires_at

    def start(self) -> None:
        """Listen and tick (idempotent; started by the lifespan, or by the first socket without one)."""
        if self._task is None or self._task.done():
            self._listening.clear()
            self._task = asyncio.create_task(self._run(), name="beacon-live-sockets")

    async def close(self) -> None:
        task, self._task = self._task, None
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task

    async def _run(self) -> None:
        ticker = asyncio.create_task(self._tick(), name="beacon-live-sockets-expiry")
        try:
            while True:
                try:
                    async with self.bus.subscribe(CREDENTIALS_CHANNEL) as events:
                        self._listening.set()
                        await self.sweep()  # whatever ended while nobody listened
                        async for event in events:
                            self.dispatch(event)
                except EventStreamLost as error:
                    log.warning("credential announcements interrupted (%s); listening again", error.message)
                except Exception as error:  # noqa: BLE001 (keep watching: the sweep covers the gap)
                    log.warning("credential watch failed: %s: %s", type(error).__name__, error)
                self._listening.clear()
                await asyncio.sleep(RESUBSCRIBE_PAUSE)
        finally:
            ticker.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await ticker

    async def _tick(self) -> None:
        next_sweep = time.monotonic() + self.recheck_seconds
        while True:
            await asyncio.sleep(TICK)
            now = datetime.now(UTC)
            for live in list(self.sockets):
                if live.expires_at is not None and live.expires_at <= now:
                    self._end(live, "expired")
            if time.monotonic() >= next_sweep:
                next_sweep = time.monotonic() + self.recheck_seconds
                try:
                    await self.sweep()
                except Exception as error:  # noqa: BLE001 (the database may be away: try at the next sweep)
                    log.warning("credential sweep failed: %s: %s", type(error).__name__, error)

    async def sweep(self) -> None:
        """Ask the database about every registered credential at once; end those that ended."""
        current = list(self.sockets)
        if not current:
            return
        tokens, keys = await accounts.credential_states(
            sorted({s.token_id for s in current if s.token_id is not None}),
            sorted({s.api_key_id for s in current if s.api_key_id is not None}),
        )
        for live in current:
            state = (
                tokens.get(live.token_id)
                if live.token_id is not None
                else keys.get(live.api_key_id)
                if live.api_key_id is not None
                else None
            )
            if state is None:
                continue
            if state.ended is not None:
                self._end(live, state.ended)
            else:
                live.expires_at = state.expires_at

    def dispatch(self, event: Event) -> None:
        """An announced ending: end the sockets it names."""
        reason = str(event.get("reason") or "revoked")
        tokens = set(event.get("tokens") or ())
        user = event.get("user")
        keep = event.get("keep_token")
        api_key = event.get("api_key")
        for live in list(self.sockets):
            if (
                (live.token_id is not None and live.token_id in tokens)
                or (user is not None and live.user_id == user and live.token_id != keep)
                or (api_key is not None and live.api_key_id == api_key)
            ):
                self._end(live, reason)

    def _end(self, live: LiveSocket, reason: str) -> None:
        if live.ended:
            return
        live.ended = True
        self.sockets.discard(live)
        task = asyncio.create_task(self._close(live, reason), name="beacon-end-socket")
        self._endings.add(task)
        task.add_done_callback(self._endings.discard)

    @staticmethod
    async def _close(live: LiveSocket, reason: str) -> None:
        try:
            await live.end(reason)
        except Exception as error:  # noqa: BLE001 (a socket that is already gone needs no closing)
            log.debug("ending a socket failed: %s: %s", type(error).__name__, error)


class TooManySockets(Exception):
    """A new socket's owner already holds as many open sockets as this process allows."""


Owner = tuple[str, int | str]
LEASE_SECONDS = 60.0  # a shared place lives this long unless its process renews it (every third of it)

# Atomically: forget lapsed places, refuse at the cap, else take one (scores are lease ends).
_TAKE = """
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[1])
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[3]) then return 0 end
redis.call('ZADD', KEYS[1], ARGV[2], ARGV[4])
redis.call('PEXPIRE', KEYS[1], ARGV[5])
return 1
"""


class SharedSocketPlaces:
    """A person's (or API key's) open sockets counted across every process, in Redis.

    One sorted set per owner holds a member per open socket, scored with the end of its lease;
    each process renews the leases of its own sockets every LEASE_SECONDS / 3 and removes a place
    when its socket closes. A process that dies without closing leaves its places to lapse within
    LEASE_SECONDS. Every call waits on Redis at most `timeout`; when Redis does not answer, the
    socket is let in on the per-process count alone (a Redis outage must not lock people out).
    """

    def __init__(self, url: str, prefix: str, timeout: float) -> None:
        self.url = url
        self.prefix = prefix.rstrip(":") + ":sockets:"
        self.timeout = timeout
        self.held: dict[str, Owner] = {}  # member -> owner, for renewal
        self._redis: Any = None
        self._task: asyncio.Task[None] | None = None
        self._removals: set[asyncio.Task[None]] = set()

    def _client(self) -> Any:
        if self._redis is None:
            from redis.asyncio import Redis

            self._redis = Redis.from_url(self.url, socket_connect_timeout=self.timeout, socket_timeout=self.timeout)
        return self._redis

    def key(self, owner: Owner) -> str:
        return f"{self.prefix}{owner[0]}:{owner[1]}"

    async def take(self, owner: Owner, cap: int) -> str | None:
        """A place for one more socket of the owner: its member, or None at the cap."""
        member = uuid.uuid4().hex
        now = time.time()
        async with asyncio.timeout(self.timeout):
            taken = await self._client().eval(
                _TAKE, 1, self.key(owner), now, now + LEASE_SECONDS, cap, member, int(LEASE_SECONDS * 2000)
            )
        if not taken:
            return None
        self.held[member] = owner
        return member

    def give_back(self, member: str) -> None:
        """The socket closed: free its place (in the background; a lapsed lease frees it anyway)."""
        owner = self.held.pop(member, None)
        if owner is None:
            return
        task = asyncio.create_task(self._remove(owner, member), name="beacon-socket-place")
        self._removals.add(task)
        task.add_done_callback(self._removals.discard)

    async def _remove(self, owner: Owner, member: str) -> None:
        try:
            async with asyncio.timeout(self.timeout):
                await self._client().zrem(self.key(owner), member)
        except Exception as error:  # noqa: BLE001 (the lease lapses by itself)
            log.debug("freeing a socket place failed: %s: %s", type(error).__name__, error)

    def start(self) -> None:
        if self._task is None or self._task.done():
            self._task = asyncio.create_task(self._renew_forever(), name="beacon-socket-places")

    async def close(self) -> None:
        task, self._task = self._task, None
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
        if self._redis is not None:
            with contextlib.suppress(Exception):
                await self._redis.aclose()
            self._redis = None

    async def _renew_forever(self) -> None:
        while True:
            await asyncio.sleep(LEASE_SECONDS / 3)
            try:
                await self.renew()
            except Exception as error:  # noqa: BLE001 (Redis away: try again; leases outlast two misses)
                log.warning("renewing socket places failed: %s: %s", type(error).__name__, error)

    async def renew(self) -> None:
        """Push the lease of every socket of this process forward."""
        if not self.held:
            return
        until = time.time() + LEASE_SECONDS
        async with asyncio.timeout(self.timeout):
            pipe = self._client().pipeline(transaction=False)
            for member, owner in list(self.held.items()):
                pipe.zadd(self.key(owner), {member: until}, xx=True)
                pipe.pexpire(self.key(owner), int(LEASE_SECONDS * 2000))
            await pipe.execute()


@dataclass(frozen=True)
class SocketPlace:
    """What one accepted socket holds: its owner's count here, and its shared place if any."""

    owner: Owner
    shared: str | None = None


class SocketQuota:
    """Open graphql-ws sockets per owner (docs/security.md, 11.13).

    The hostile review held 100 sockets with 20 subscriptions each, so one message fanned out to
    2,000 deliveries. An owner is the person signed in (every token of theirs counts together), the
    API key, or for anonymous sockets the client's address. Each process counts its own sockets
    (it bounds its own fan-out without asking anyone); with Redis (`shared`), a person's or a key's
    sockets are also counted across every process, so the cap holds for them in total. Anonymous
    addresses are counted per process only.
    """

    def __init__(self, per_user: int, per_address: int, shared: SharedSocketPlaces | None = None) -> None:
        self.per_user = per_user
        self.per_address = per_address
        self.shared = shared
        self.open: dict[Owner, int] = {}

    @staticmethod
    def owner(actor: Actor, address: str) -> Owner:
        if actor.user_id is not None:
            return ("user", actor.user_id)
        if actor.api_key_id is not None:
            return ("api_key", actor.api_key_id)
        return ("address", address)

    async def acquire(self, owner: Owner) -> SocketPlace:
        """Count one more socket for the owner, or raise TooManySockets (nothing counted)."""
        cap = self.per_address if owner[0] == "address" else self.per_user
        held = self.open.get(owner, 0)
        if held >= cap:
            self._refused(owner, "in this process")
        self.open[owner] = held + 1
        place = SocketPlace(owner)
        if self.shared is not None and owner[0] != "address":
            try:
                member = await self.shared.take(owner, cap)
            except Exception as error:  # noqa: BLE001 (Redis away: the per-process count still holds)
                log.warning(
                    "socket places unavailable (%s: %s): counted in this process only", type(error).__name__, error
                )
                return place
            if member is None:
                self._drop(owner)
                self._refused(owner, "in all processes")
            place = SocketPlace(owner, member)
        return place

    def release(self, place: SocketPlace) -> None:
        self._drop(place.owner)
        if self.shared is not None and place.shared is not None:
            self.shared.give_back(place.shared)

    def _drop(self, owner: Owner) -> None:
        held = self.open.get(owner, 0) - 1
        if held > 0:
            self.open[owner] = held
        else:
            self.open.pop(owner, None)

    @staticmethod
    def _refused(owner: Owner, where: str) -> NoReturn:
        # Ids only, never an address.
        log.info("socket refused: %s %s is at the cap %s", owner[0], owner[1] if owner[0] != "address" else "-", where)
        raise TooManySockets

    def start(self) -> None:
        if self.shared is not None:
            self.shared.start()

    async def close(self) -> None:
        if self.shared is not None:
            await self.shared.close()
