"""Upload allowances: how much one person may still upload, and how fast (docs/security.md, 11.8).

Checked twice: from the headers before a multipart body is read (the gate in server.py refuses
a declared Content-Length over the allowance), and again as the row is written, under a lock on
the uploader, so concurrent uploads cannot overrun the quota together.
"""

from __future__ import annotations

import asyncio
import os
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from tortoise.functions import Sum

from models.accounts import User
from models.content import MediaAsset
from resolvers import permissions
from resolvers.actor import Actor
from resolvers.errors import RateLimited, StorageUnavailable, TooLarge
from settings import Settings

MB = 1024 * 1024


@dataclass(frozen=True)
class Tier:
    """Totals one person may upload: per day, in all, files per hour."""

    daily_bytes: int
    total_bytes: int
    per_hour: int


@dataclass(frozen=True)
class UploadLimits:
    """Every upload limit, from Settings."""

    media_bytes: int
    attachment_bytes: int
    people: Tier
    staff: Tier
    reserve_bytes: int
    media_dir: Path

    @classmethod
    def from_settings(cls, settings: Settings) -> UploadLimits:
        return cls(
            media_bytes=settings.max_upload_bytes,
            attachment_bytes=settings.max_attachment_bytes,
            people=Tier(settings.upload_daily_bytes, settings.upload_total_bytes, settings.uploads_per_hour),
            staff=Tier(
                settings.staff_upload_daily_bytes, settings.staff_upload_total_bytes, settings.staff_uploads_per_hour
            ),
            reserve_bytes=settings.media_reserve_bytes,
            media_dir=settings.media_dir,
        )


@dataclass(frozen=True)
class Allowance:
    """The largest file this person may send now, and what to tell them when a file is larger."""

    max_bytes: int
    reason: str


@dataclass(frozen=True)
class Usage:
    total_bytes: int
    day_bytes: int
    hour_count: int
    # When each upload of the last hour was made, oldest first.
    hour_uploads: tuple[datetime, ...] = ()


async def allowance(actor: Actor, limits: UploadLimits, *, attachment: bool, disk: bool = True) -> Allowance:
    """What this person may upload now; RateLimited or TooLarge when it is nothing (disk: mind the free space)."""
    tier = _tier(actor, limits)
    usage = await usage_of(permissions.require_user(actor))
    _check_rate(usage, tier)
    file_bytes = limits.attachment_bytes if attachment else limits.media_bytes
    candidates = [
        Allowance(file_bytes, f"Files may be at most {_mb(file_bytes)}."),
        Allowance(tier.daily_bytes - usage.day_bytes, f"Your uploads may total {_mb(tier.daily_bytes)} a day."),
        Allowance(tier.total_bytes - usage.total_bytes, f"Your uploads may total {_mb(tier.total_bytes)} in all."),
    ]
    chosen = min(candidates, key=lambda a: a.max_bytes)
    if chosen.max_bytes <= 0:
        raise TooLarge(chosen.reason + " You have reached that limit.", field="file")
    if not disk:
        return chosen
    free = await asyncio.to_thread(_free_bytes, limits.media_dir) - limits.reserve_bytes
    if free < chosen.max_bytes:
        if free <= 0:
            raise StorageUnavailable(
                "The media store has no room for this file right now; try again later.", field="file"
            )
        chosen = Allowance(free, "The media store has no room for a file this large right now; try again later.")
    return chosen


async def usage_of(user_id: int) -> Usage:
    """Bytes uploaded in all and in the last day, files in the last hour."""
    now = datetime.now(UTC)
    total = await MediaAsset.filter(uploaded_by_id=user_id).annotate(bytes=Sum("byte_size")).first().values("bytes")
    recent = await MediaAsset.filter(uploaded_by_id=user_id, created_at__gte=now - timedelta(days=1)).values_list(
        "byte_size", "created_at"
    )
    hour_ago = now - timedelta(hours=1)
    hour_uploads = tuple(sorted(at for _, at in recent if at >= hour_ago))
    return Usage(
        total_bytes=int((total or {}).get("bytes") or 0),
        day_bytes=sum(size for size, _ in recent),
        hour_count=len(hour_uploads),
        hour_uploads=hour_uploads,
    )


async def hold(actor: Actor, limits: UploadLimits, byte_size: int) -> None:
    """Inside the row's transaction: lock the uploader and check the file still fits (concurrent uploads)."""
    user_id = permissions.require_user(actor)
    await User.select_for_update().filter(id=user_id).first()
    tier = _tier(actor, limits)
    usage = await usage_of(user_id)
    _check_rate(usage, tier)
    if usage.day_bytes + byte_size > tier.daily_bytes:
        raise TooLarge(f"Your uploads may total {_mb(tier.daily_bytes)} a day.", field="file")
    if usage.total_bytes + byte_size > tier.total_bytes:
        raise TooLarge(f"Your uploads may total {_mb(tier.total_bytes)} in all.", field="file")


def _tier(actor: Actor, limits: UploadLimits) -> Tier:
    return limits.staff if permissions.is_staff(actor) else limits.people


def _check_rate(usage: Usage, tier: Tier) -> None:
    if usage.hour_count >= tier.per_hour:
        # The hour's count drops below the limit when its oldest counted upload is an hour old.
        frees_at = usage.hour_uploads[usage.hour_count - tier.per_hour] + timedelta(hours=1)
        raise RateLimited(
            f"You have uploaded {tier.per_hour} files in the last hour; try again later.",
            field="file",
            retry_after=(frees_at - datetime.now(UTC)).total_seconds(),
        )


def _free_bytes(folder: Path) -> int:
    """Free bytes on the filesystem that holds (or will hold) the folder."""
    while not folder.exists() and folder.parent != folder:
        folder = folder.parent
    stat = os.statvfs(folder)
    return stat.f_bavail * stat.f_frsize


def _mb(count: int) -> str:
    return f"{count / MB:.0f} MB" if count >= MB else f"{count} bytes"
