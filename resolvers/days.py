"""Calendar days in an organization's time zone (docs/api-guide.md, "Time").

Instants are stored and compared in UTC; a *day* (a learning day, a report's day bucket, the
accuracy trend's points) is a calendar day in the organization's IANA time zone, Asia/Shanghai
unless the organization chose another. A learner in Beijing who studies at 07:00 local time
(23:00 UTC the day before) learned *today*, not yesterday.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta, tzinfo
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from models.accounts import Organization
from resolvers.errors import Invalid

DEFAULT_TIME_ZONE = "Asia/Shanghai"


@lru_cache(maxsize=64)
def zone(name: str | None) -> tzinfo:
    """The zone of an IANA name; the default for none (a stored name is validated when set)."""
    try:
        return ZoneInfo(name or DEFAULT_TIME_ZONE)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo(DEFAULT_TIME_ZONE)


def valid_time_zone(name: str | None, field: str) -> str:
    """An IANA zone name zoneinfo knows (e.g. Asia/Shanghai, Europe/Berlin); Invalid otherwise."""
    name = (name or "").strip()
    if not name:
        return DEFAULT_TIME_ZONE
    if not _known(name):
        # Raised outside the except block: zoneinfo's error chains an OSError, which reads as an outage.
        raise Invalid("Give an IANA time zone name, e.g. Asia/Shanghai.", field=field)
    return name


def _known(name: str) -> bool:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return False
    return True


def day_of(moment: datetime, tz: tzinfo) -> date:
    """The calendar day an instant falls on in a zone."""
    return moment.astimezone(tz).date()


def start_of_day(day: date, tz: tzinfo) -> datetime:
    """The instant a calendar day starts in a zone (with its offset)."""
    return datetime.combine(day, time(), tzinfo=tz)


def days_touched(start: datetime, end: datetime, tz: tzinfo) -> tuple[date, date]:
    """The first and last calendar day of the half-open period [start, end) in a zone."""
    return day_of(start, tz), day_of(end - timedelta(microseconds=1), tz)


async def zone_of_user(user_id: int) -> tzinfo:
    """The zone of a person's organization (one query); the default for people without one."""
    name = await Organization.filter(members__id=user_id).first().values_list("time_zone", flat=True)
    return zone(name if isinstance(name, str) else None)
