"""Rate limits counted in the database, so every worker process shares them."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from models.accounts import ThrottleEvent


def now() -> datetime:
    return datetime.now(UTC)


async def record(bucket: str) -> ThrottleEvent:
    """Count one event in a bucket."""
    return await ThrottleEvent.create(bucket=bucket, created_at=now())


async def count(bucket: str, *, window: timedelta) -> int:
    """Events in the bucket within the window."""
    return await ThrottleEvent.filter(bucket=bucket, created_at__gte=now() - window).count()


async def forget(event: ThrottleEvent) -> None:
    await event.delete()


async def prune(older_than: timedelta) -> int:
    """Drop events no window can still see."""
    return await ThrottleEvent.filter(created_at__lt=now() - older_than).delete()
