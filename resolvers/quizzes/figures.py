"""Figures: a learner's accuracy over time, per-quiz statistics and an organization's report."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, tzinfo
from typing import Any

from tortoise.expressions import RawSQL
from tortoise.queryset import QuerySet

from models.accounts import Organization, User
from models.base import Role
from models.content import LearningDay
from models.quizzes import Attempt, AttemptItem, AttemptKind, AttemptStatus, Quiz
from quizlib.stats import QuestionStatValue, question_stats
from resolvers import days, permissions
from resolvers.actor import Actor
from resolvers.content import learning
from resolvers.errors import Invalid
from resolvers.listing import Listing

GRADED = [AttemptStatus.SUBMITTED, AttemptStatus.EXPIRED]
MAX_TREND_DAYS = 366
DEFAULT_TREND_DAYS = 30
DEFAULT_REPORT_PERIOD = timedelta(days=365)


@dataclass(frozen=True)
class AccuracyPoint:
    """One day (starting at `day`, in the zone that counts): every graded answer, and apart from them the questions met for the first time in a quiz."""

    day: datetime
    answered: int
    correct: int
    first_seen_answered: int
    first_seen_correct: int

    @property
    def accuracy(self) -> float:
        return self.correct / self.answered if self.answered else 0.0

    @property
    def first_seen_accuracy(self) -> float | None:
        return self.first_seen_correct / self.first_seen_answered if self.first_seen_answered else None


def _day(moment: datetime, tz: tzinfo) -> datetime:
    """The start (with its offset) of the day the instant falls on in the zone."""
    return days.start_of_day(days.day_of(moment, tz), tz)


def trend_points(rows: Iterable[Mapping[str, Any]], tz: tzinfo) -> list[AccuracyPoint]:
    """Group graded items (submitted_at, correct, first_seen) into per-day points (days of tz), oldest first; days without answers are left out."""
    tally: dict[datetime, list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    for row in rows:
        counts = tally[_day(row["attempt__submitted_at"], tz)]
        counts[0] += 1
        counts[1] += bool(row["correct"])
        if row["first_seen"]:
            counts[2] += 1
            counts[3] += bool(row["correct"])
    return [AccuracyPoint(day, *counts) for day, counts in sorted(tally.items())]


def _graded_items(since: datetime, until: datetime | None = None) -> QuerySet[AttemptItem]:
    queryset = AttemptItem.filter(attempt__status__in=GRADED, attempt__submitted_at__gte=since)
    if until is not None:
        queryset = queryset.filter(attempt__submitted_at__lt=until)
    return queryset


async def accuracy_trend(user_id: int, count: int | None, *, moment: datetime | None = None) -> list[AccuracyPoint]:
    """The caller's accuracy per day over the last `count` days (today included), days of their organization's zone."""
    count = DEFAULT_TREND_DAYS if count is None else count
    if not 1 <= count <= MAX_TREND_DAYS:
        raise Invalid(f"Ask for 1–{MAX_TREND_DAYS} days.", field="days")
    tz = await days.zone_of_user(user_id)
    today = days.day_of(moment or datetime.now(UTC), tz)
    since = days.start_of_day(today - timedelta(days=count - 1), tz)
    rows = await _graded_items(since).filter(user_id=user_id).values("attempt__submitted_at", "correct", "first_seen")
    return trend_points(rows, tz)


@dataclass(frozen=True)
class QuizStatsValue:
    attempt_count: int
    submitted_count: int
    average_score: float | None
    questions: list[tuple[int, QuestionStatValue]]


async def quiz_stats(actor: Actor, quiz: Quiz) -> QuizStatsValue | None:
    """Attempts, average score and Moodle's facility/discrimination per question; None when not allowed."""
    if not permissions.can_read_quiz_stats(actor):
        return None
    attempts = Attempt.filter(quiz_id=quiz.id)
    items = AttemptItem.filter(attempt__quiz_id=quiz.id, attempt__status__in=GRADED)
    organization_id = permissions.quiz_stats_organization(actor)
    if organization_id is not None:
        attempts = attempts.filter(user__organization_id=organization_id)
        items = items.filter(user__organization_id=organization_id)
    rows = await attempts.values("status", "score")
    graded = [r["score"] for r in rows if r["status"] in GRADED]
    per_attempt: dict[int, dict[str, float]] = defaultdict(dict)
    order: dict[int, int] = {}
    for row in await items.order_by("attempt_id", "position").values("attempt_id", "question_id", "correct"):
        per_attempt[row["attempt_id"]][str(row["question_id"])] = 1.0 if row["correct"] else 0.0
        order.setdefault(row["question_id"], len(order))
    stats = question_stats(list(per_attempt.values()))
    return QuizStatsValue(
        attempt_count=len(rows),
        submitted_count=len(graded),
        average_score=round(sum(graded) / len(graded), 2) if graded else None,
        questions=sorted(((int(k), v) for k, v in stats.items()), key=lambda kv: order[kv[0]]),
    )


@dataclass(frozen=True)
class OrganizationReportValue:
    organization: Organization
    start: datetime
    end: datetime
    active_learners: int
    learning_seconds: int
    lessons_completed: int
    attempts_submitted: int
    average_score: float | None
    accuracy_trend: list[AccuracyPoint]
    learning_trend: tuple[learning.LearningDayTotal, ...] = ()


async def organization_report(
    actor: Actor, organization_id: int, start: datetime | None, end: datetime | None
) -> OrganizationReportValue | None:
    """An organization's figures over a period (default: the last 365 days); None when not allowed or missing."""
    if not permissions.can_read_organization_report(actor, organization_id):
        return None
    organization = await Organization.get_or_none(id=organization_id)
    if organization is None:
        return None
    end = end or datetime.now(UTC)
    start = start or end - DEFAULT_REPORT_PERIOD
    if start >= end:
        raise Invalid("'from' must be before 'to'.", field="from")
    attempts = await Attempt.filter(
        user__organization_id=organization_id, status__in=GRADED, submitted_at__gte=start, submitted_at__lt=end
    ).values("user_id", "score", "kind")
    quiz_scores = [a["score"] for a in attempts if a["kind"] == AttemptKind.QUIZ]
    rows = (
        await _graded_items(start, end)
        .filter(user__organization_id=organization_id)
        .values("attempt__submitted_at", "correct", "first_seen")
    )
    tz = days.zone(organization.time_zone)
    learned = await learning.organization_learning(organization_id, start, end, tz)
    return OrganizationReportValue(
        organization=organization,
        start=start,
        end=end,
        active_learners=len({a["user_id"] for a in attempts} | learned.learner_ids),
        learning_seconds=learned.seconds,
        lessons_completed=learned.lessons_completed,
        attempts_submitted=len(attempts),
        average_score=round(sum(quiz_scores) / len(quiz_scores), 2) if quiz_scores else None,
        accuracy_trend=trend_points(rows, tz),
        learning_trend=learned.days,
    )


@dataclass(frozen=True)
class LearnerFiguresValue:
    """One learner of an organization in its report: a display name and learning figures, nothing else.

    No user id, username, role or anything about consultations: a teacher sees how their pupils
    learn, never whether one of them is also a client (docs/quiz-statistics.md).
    """

    display_name: str
    learning_seconds: int
    lessons_completed: int
    attempts_submitted: int
    average_score: float | None


def organization_learners(
    actor: Actor, organization_id: int, start: datetime, end: datetime, tz: tzinfo
) -> Listing[LearnerFiguresValue]:
    """The organization's learners with their figures over the report's period, by display name.

    Teachers of the organization and admins only (not its API key: names of pupils stay with
    people). A page costs three statements whatever its size: the members, their lesson days,
    their graded attempts. Lesson days are the organization's (tz), as in the report's totals.
    """
    permissions.require_role(
        actor,
        permissions.can_read_learner_figures(actor, organization_id),
        "Only the organization's teachers and admins see its learners.",
    )
    members = (
        User.filter(organization_id=organization_id)
        .annotate(roles_text=RawSQL("CAST(roles AS TEXT)"))
        .filter(roles_text__contains=f'"{Role.LEARNER.value}"')
        .order_by("display_name", "id")
    )

    first_day, last_day = days.days_touched(start, end, tz)

    async def fetch(offset: int, limit: int) -> list[LearnerFiguresValue]:
        people = await members.offset(offset).limit(limit).values_list("id", "display_name")
        ids = [person_id for person_id, _ in people]
        if not ids:
            return []
        learned: dict[int, list[int]] = defaultdict(lambda: [0, 0])
        for user_id, seconds, completed in await LearningDay.filter(
            user_id__in=ids, organization_id=organization_id, day__gte=first_day, day__lte=last_day
        ).values_list("user_id", "seconds", "lessons_completed"):
            learned[user_id][0] += seconds
            learned[user_id][1] += completed
        attempts: dict[int, list[Any]] = defaultdict(list)
        for user_id, score, kind in await Attempt.filter(
            user_id__in=ids, status__in=GRADED, submitted_at__gte=start, submitted_at__lt=end
        ).values_list("user_id", "score", "kind"):
            attempts[user_id].append((score, kind))
        return [
            LearnerFiguresValue(
                display_name=name,
                learning_seconds=learned[person_id][0],
                lessons_completed=learned[person_id][1],
                attempts_submitted=len(attempts[person_id]),
                average_score=_quiz_average([s for s, k in attempts[person_id] if k == AttemptKind.QUIZ]),
            )
            for person_id, name in people
        ]

    async def count() -> int:
        return int(await members.count())

    return Listing(fetch, count)


def _quiz_average(scores: list[float]) -> float | None:
    return round(sum(scores) / len(scores), 2) if scores else None
