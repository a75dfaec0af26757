"""Learning progress: bounded time reports, completion, and per-day totals for school reports."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, date, datetime, tzinfo

from tortoise.exceptions import IntegrityError
from tortoise.expressions import F
from tortoise.functions import Count, Sum

from models.accounts import User
from models.content import (
    ContentItem,
    ContentType,
    LearningDay,
    LearningProgress,
    PublicationStatus,
)
from resolvers import days, permissions
from resolvers.actor import Actor
from resolvers.errors import Invalid, NotFound
from resolvers.integrations import events as integration_events

MAX_SECONDS_PER_REPORT = 300


@dataclass(frozen=True)
class Summary:
    total_seconds: int
    lessons_started: int
    lessons_completed: int


async def record(actor: Actor, lesson_id: int, seconds: int, completed: bool | None) -> LearningProgress:
    """Add time (no more than elapsed since the last report, at most 300 s) and maybe mark completion."""
    user_id = permissions.require_user(actor)
    if seconds < 0:
        raise Invalid("Seconds cannot be negative.", field="input.seconds")
    lesson = await ContentItem.filter(
        id=lesson_id,
        content_type=ContentType.LESSON,
        status=PublicationStatus.PUBLISHED,
    ).values_list("title", "locale")
    if not lesson:
        raise NotFound("No such lesson.", field="input.lessonId")
    now = datetime.now(UTC)
    progress, created = await _progress(user_id, lesson_id)
    allowed = min(seconds, MAX_SECONDS_PER_REPORT)
    if progress.last_viewed_at is not None:
        allowed = min(allowed, max(0, int((now - progress.last_viewed_at).total_seconds())))
    newly_completed = bool(completed) and not progress.completed
    progress.seconds_spent += allowed
    progress.last_viewed_at = now
    if newly_completed:
        progress.completed, progress.completed_at = True, now
    await progress.save()
    if created:
        await ContentItem.filter(id=lesson_id).update(learner_count=F("learner_count") + 1)
    await _add_to_day(actor, now, allowed, 1 if newly_completed else 0)
    if created or newly_completed:
        # Only a first view and a completion become xAPI statements (not every time report); one statement, if any LRS.
        await integration_events.lesson_progress(
            user_id=progress.user_id,
            lesson_id=lesson_id,
            title=lesson[0][0],
            locale=lesson[0][1],
            verb="completed" if newly_completed else "experienced",
            seconds=progress.seconds_spent,
            at=now,
        )
    return progress


async def _progress(user_id: int, lesson_id: int) -> tuple[LearningProgress, bool]:
    existing = await LearningProgress.get_or_none(user_id=user_id, content_id=lesson_id)
    if existing is not None:
        return existing, False
    try:
        return await LearningProgress.create(user_id=user_id, content_id=lesson_id), True
    except IntegrityError:
        return await LearningProgress.get(user_id=user_id, content_id=lesson_id), False


async def _add_to_day(actor: Actor, now: datetime, seconds: int, completed: int) -> None:
    """Count the time on the learner's day in their organization's time zone (Asia/Shanghai without one)."""
    if not seconds and not completed:
        return
    user = await User.get(id=actor.user_id)
    day = days.day_of(now, await days.zone_of_user(user.id))
    updated = await LearningDay.filter(user_id=user.id, day=day).update(
        seconds=F("seconds") + seconds,
        lessons_completed=F("lessons_completed") + completed,
    )
    if not updated:
        await LearningDay.create(
            user_id=user.id,
            organization_id=user.organization_id,
            day=day,
            seconds=seconds,
            lessons_completed=completed,
        )


async def summary(user_id: int) -> Summary:
    row = (
        await LearningProgress.filter(user_id=user_id)
        .annotate(total=Sum("seconds_spent"), started=Count("id"))
        .first()
        .values("total", "started")
    )
    completed = await LearningProgress.filter(user_id=user_id, completed=True).count()
    return Summary(
        total_seconds=int(row["total"] or 0) if row else 0,
        lessons_started=int(row["started"] or 0) if row else 0,
        lessons_completed=completed,
    )


@dataclass(frozen=True)
class LearningDayTotal:
    """One day of an organization (in its time zone): seconds learned, lessons completed, members who learned."""

    day: date
    starts_at: datetime  # the day's first instant, with the zone's offset
    seconds: int
    lessons_completed: int
    learners: int


@dataclass(frozen=True)
class OrganizationLearning:
    seconds: int
    lessons_completed: int
    learner_ids: frozenset[int]
    days: tuple[LearningDayTotal, ...] = ()


async def organization_learning(
    organization_id: int, start: datetime, end: datetime, tz: tzinfo
) -> OrganizationLearning:
    """What an organization's members learned on the days (in its zone tz) the period [start, end) touches."""
    first, last = days.days_touched(start, end, tz)
    rows = await LearningDay.filter(organization_id=organization_id, day__gte=first, day__lte=last).values_list(
        "user_id", "seconds", "lessons_completed", "day"
    )
    tally: dict[date, list[int]] = defaultdict(lambda: [0, 0, 0])
    for _user, seconds, completed, day in rows:
        counts = tally[day]
        counts[0] += seconds
        counts[1] += completed
        counts[2] += bool(seconds or completed)
    return OrganizationLearning(
        seconds=sum(r[1] for r in rows),
        lessons_completed=sum(r[2] for r in rows),
        learner_ids=frozenset(r[0] for r in rows if r[1] or r[2]),
        days=tuple(LearningDayTotal(day, days.start_of_day(day, tz), *counts) for day, counts in sorted(tally.items())),
    )


async def organization_totals(organization_id: int, start: datetime, end: datetime, tz: tzinfo) -> tuple[int, int]:
    """(learning seconds, lessons completed) of an organization's members over [start, end) (by its days)."""
    learned = await organization_learning(organization_id, start, end, tz)
    return learned.seconds, learned.lessons_completed
