"""Rate limits counted in the database, so every worker process shares them; the sign-in policy.

Events are rows in `throttle_event` (a bucket name and a time). The retention purge
(resolvers/retention.py) deletes rows older than `BEACON_RETAIN_THROTTLE_HOURS` (at least the longest window below), so
addresses and account keys are not kept forever. Bucket names never hold what a caller typed:
usernames are hashed, which also keeps a 5,000-character username within the column.

Sign-in (docs/security.md, 11.5) counts failures only:
- per account and address: 5 failures a day are free, then each attempt waits 1 s, 2 s, 4 s …
  after the pair's last failure, at most 15 minutes;
- per account, from every address together: 20 failures a day are free, then 1 s, 2 s … at most
  60 s, so a stranger elsewhere can slow the owner to a try a minute but never lock them out;
- per address: 50 failures in 15 minutes, then it waits until the oldest falls out of the window.
A successful sign-in is not counted and forgives its address's failures on that account. An
attempt during a wait is refused before the password is checked (right or wrong: a wait that
let a correct password through would tell a guesser when they hit), and is not counted either.
Registrations: 100 an hour per address (a school's classes register from one address).
"""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from models.accounts import ThrottleEvent
from resolvers.errors import RateLimited


def now() -> datetime:
    return datetime.now(UTC)


async def record(bucket: str) -> ThrottleEvent:
    """Count one event in a bucket."""
    return await ThrottleEvent.create(bucket=bucket, created_at=now())


async def count(bucket: str, *, window: timedelta) -> int:
    """Events in the bucket within the window (one exactly a window old has left it)."""
    return await ThrottleEvent.filter(bucket=bucket, created_at__gt=now() - window).count()


async def retry_after(bucket: str, *, limit: int, window: timedelta) -> int | None:
    """Seconds until the bucket holds fewer than `limit` events in the window; None when it already does.

    A caller who waits exactly that long is let in: the window excludes an event exactly its length old.
    """
    limiting = (
        await ThrottleEvent.filter(bucket=bucket, created_at__gt=now() - window)
        .order_by("-created_at")
        .offset(limit - 1)
        .first()
    )
    return None if limiting is None else _seconds_until(limiting.created_at + window)


async def forget(user_id: int, account_key: str) -> None:
    """Erasure: drop the events counted for one person (by id, and by their hashed sign-in name)."""
    account = _hashed(account_key)
    by_id = [f"{kind}:{user_id}" for kind in ("password:user", "consultation:open", "consultation:message")]
    await ThrottleEvent.filter(bucket__in=[*by_id, f"login:account:{account}"]).delete()
    await ThrottleEvent.filter(bucket__startswith=f"login:pair:{account}:").delete()


def _seconds_until(moment: datetime) -> int:
    return max(1, math.ceil((moment - now()).total_seconds()))


def _hashed(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:32]


@dataclass(frozen=True)
class SignInPolicy:
    """The sign-in and registration limits (module docstring; docs/security.md, 11.5)."""

    pair_free_failures: int = 5
    pair_max_wait: int = 15 * 60
    account_free_failures: int = 20
    account_max_wait: int = 60
    failure_memory: timedelta = timedelta(days=1)
    address_failures: int = 50
    address_window: timedelta = timedelta(minutes=15)
    registrations_per_address: int = 100
    registration_window: timedelta = timedelta(hours=1)


POLICY = SignInPolicy()


@dataclass(frozen=True)
class SignInBuckets:
    """Where one attempt is counted: the account with this address, the account, the address."""

    pair: str
    account: str
    address: str

    @classmethod
    def of(cls, account_key: str, address: str) -> SignInBuckets:
        account = _hashed(account_key)
        return cls(f"login:pair:{account}:{_hashed(address)}", f"login:account:{account}", f"login:addr:{address[:64]}")


async def _backoff(bucket: str, *, free: int, max_wait: int, ignore: int | None) -> int | None:
    """Seconds to wait after the bucket's last failure, growing 1, 2, 4 … past `free` failures."""
    since = now() - POLICY.failure_memory
    failures = ThrottleEvent.filter(bucket=bucket, created_at__gte=since)
    if ignore is not None:
        failures = failures.exclude(id=ignore)
    counted = await failures.count()
    if counted < free:
        return None
    last = await failures.order_by("-created_at").first()
    if last is None:
        return None
    wait = min(2 ** min(counted - free, 30), max_wait)
    remaining = (last.created_at + timedelta(seconds=wait) - now()).total_seconds()
    return math.ceil(remaining) if remaining > 0 else None


@dataclass
class SignInAttempt:
    """One sign-in attempt, counted as a failure until it succeeds (so concurrent guesses see each other)."""

    buckets: SignInBuckets
    pending: list[ThrottleEvent]

    async def succeeded(self) -> None:
        """A success is not counted, and forgives this address's failures on this account."""
        await ThrottleEvent.filter(bucket=self.buckets.pair).delete()
        await ThrottleEvent.filter(id__in=[e.id for e in self.pending]).delete()

    async def not_counted(self) -> None:
        """Neither a failure nor a success (a right password still needing its second factor)."""
        await ThrottleEvent.filter(id__in=[e.id for e in self.pending]).delete()

    async def failed(self) -> None:
        """The pending events stay as failures; the address's count grows too."""
        await record(self.buckets.address)


async def begin_sign_in(account_key: str, address: str) -> SignInAttempt:
    """Count an attempt, or refuse it (RateLimited with the wait) when its account or address must wait."""
    buckets = SignInBuckets.of(account_key, address)
    waits = [await retry_after(buckets.address, limit=POLICY.address_failures, window=POLICY.address_window)]
    pair = await record(buckets.pair)
    account = await record(buckets.account)
    waits.append(
        await _backoff(buckets.pair, free=POLICY.pair_free_failures, max_wait=POLICY.pair_max_wait, ignore=pair.id)
    )
    waits.append(
        await _backoff(
            buckets.account, free=POLICY.account_free_failures, max_wait=POLICY.account_max_wait, ignore=account.id
        )
    )
    wait = max((w for w in waits if w is not None), default=None)
    if wait is not None:
        # A refused attempt is not a failure: it is not counted.
        await ThrottleEvent.filter(id__in=[pair.id, account.id]).delete()
        raise RateLimited(f"Too many failed sign-ins. Wait {_wait_text(wait)} and try again.", retry_after=wait)
    return SignInAttempt(buckets, [pair, account])


async def check_registration(address: str) -> None:
    """Count a registration from this address, or refuse it (RateLimited) past the hourly limit."""
    bucket = f"register:addr:{address[:64]}"
    wait = await retry_after(bucket, limit=POLICY.registrations_per_address, window=POLICY.registration_window)
    if wait is not None:
        raise RateLimited(
            f"Too many accounts were registered from this address; try again in {_wait_text(wait)}.", retry_after=wait
        )
    await record(bucket)


def _wait_text(seconds: int) -> str:
    if seconds < 60:
        return f"{seconds} second{'s' if seconds != 1 else ''}"
    minutes = math.ceil(seconds / 60)
    return f"{minutes} minute{'s' if minutes != 1 else ''}"
