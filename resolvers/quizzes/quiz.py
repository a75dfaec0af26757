"""Quizzes: a fixed list or a random draw from a bank, with the DRAFT/PUBLISHED workflow."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from tortoise.expressions import RawSQL
from tortoise.functions import Count
from tortoise.queryset import QuerySet

from models import sql
from models.base import Audience, PublicationStatus
from models.quizzes import Question, QuestionBank, Quiz, QuizQuestion
from resolvers import permissions
from resolvers.actor import Actor
from resolvers.content import items
from resolvers.errors import DomainError, Invalid, InvalidMany, NotFound
from resolvers.integrations import events as integration_events
from resolvers.quizzes.banks import require_editor

MAX_QUESTIONS = 200


@dataclass(frozen=True)
class QuizSpec:
    title: str
    description: str | None = None
    audiences: Sequence[str] = ()
    question_ids: Sequence[int] | None = None
    draw_bank_id: int | None = None
    draw_count: int | None = None
    time_limit_seconds: int | None = None
    max_attempts: int | None = None
    passing_score: float | None = None
    shuffle_options: bool = False
    lesson_id: int | None = None


def _problems(spec: QuizSpec) -> list[DomainError]:
    problems: list[DomainError] = []
    if not 1 <= len(spec.title.strip()) <= 200:
        problems.append(Invalid("Give a title of 1–200 characters.", field="input.title"))
    fixed = spec.question_ids is not None
    drawn = spec.draw_bank_id is not None or spec.draw_count is not None
    if fixed == drawn:
        problems.append(
            Invalid("Give either questionIds, or drawFromBankId with drawCount.", field="input.questionIds")
        )
    if fixed and not 1 <= len(spec.question_ids or ()) <= MAX_QUESTIONS:
        problems.append(Invalid(f"A quiz has 1–{MAX_QUESTIONS} questions.", field="input.questionIds"))
    if fixed and len(set(spec.question_ids or ())) != len(spec.question_ids or ()):
        problems.append(Invalid("A question appears twice.", field="input.questionIds"))
    if drawn and (spec.draw_bank_id is None or spec.draw_count is None):
        problems.append(Invalid("A random draw needs both drawFromBankId and drawCount.", field="input.drawCount"))
    if spec.draw_count is not None and not 1 <= spec.draw_count <= MAX_QUESTIONS:
        problems.append(Invalid(f"Draw 1–{MAX_QUESTIONS} questions.", field="input.drawCount"))
    if spec.time_limit_seconds is not None and not 10 <= spec.time_limit_seconds <= 24 * 3600:
        problems.append(Invalid("A time limit is 10 seconds to 24 hours.", field="input.timeLimitSeconds"))
    if spec.max_attempts is not None and spec.max_attempts < 1:
        problems.append(
            Invalid("Allow at least one attempt (or leave it empty for unlimited).", field="input.maxAttempts")
        )
    if spec.passing_score is not None and not 0 <= spec.passing_score <= 100:
        problems.append(Invalid("The passing score is 0..100.", field="input.passingScore"))
    return problems


async def create_quiz(actor: Actor, spec: QuizSpec) -> Quiz:
    """An editor builds a quiz (as a DRAFT) from questions or a bank."""
    require_editor(actor)
    problems = _problems(spec)
    if problems:
        raise problems[0] if len(problems) == 1 else InvalidMany(problems)
    if spec.question_ids is not None:
        found = set(await sql.flat(Question.filter(id__in=list(spec.question_ids)).values_list("id", flat=True)))
        missing = [i for i in spec.question_ids if i not in found]
        if missing:
            raise NotFound(f"No such question(s): {len(missing)} of the given ids.", field="input.questionIds")
    if spec.draw_bank_id is not None:
        if not await QuestionBank.exists(id=spec.draw_bank_id):
            raise NotFound("No such question bank.", field="input.drawFromBankId")
        available = await Question.filter(bank_id=spec.draw_bank_id).count()
        if (spec.draw_count or 0) > available:
            raise Invalid(f"The bank has only {available} questions.", field="input.drawCount")
    if spec.lesson_id is not None and not await items.lesson_exists(spec.lesson_id):
        raise NotFound("No such lesson.", field="input.lessonId")
    quiz = await Quiz.create(
        title=spec.title.strip(),
        description=(spec.description or "").strip() or None,
        audiences=sorted({Audience(a).value for a in spec.audiences}),
        draw_bank_id=spec.draw_bank_id,
        draw_count=spec.draw_count,
        time_limit_seconds=spec.time_limit_seconds,
        max_attempts=spec.max_attempts,
        passing_score=spec.passing_score,
        shuffle_options=spec.shuffle_options,
        lesson_id=spec.lesson_id,
        created_by_id=actor.user_id,
    )
    if spec.question_ids:
        await QuizQuestion.bulk_create(
            [QuizQuestion(quiz_id=quiz.id, question_id=q, position=i) for i, q in enumerate(spec.question_ids)]
        )
    return quiz


async def set_status(actor: Actor, quiz_id: int, status: PublicationStatus) -> Quiz:
    require_editor(actor)
    quiz = await Quiz.get_or_none(id=quiz_id)
    if quiz is None:
        raise NotFound("No such quiz.", field="id")
    was_published = quiz.status == PublicationStatus.PUBLISHED
    quiz.status = PublicationStatus(status)
    await quiz.save(update_fields=["status", "updated_at"])
    if quiz.status == PublicationStatus.PUBLISHED and not was_published:
        await integration_events.quiz_published(quiz.id, quiz.updated_at)
    return quiz


async def get_quiz(actor: Actor, quiz_id: int) -> Quiz | None:
    """A quiz the actor may see, else None."""
    quiz = await Quiz.get_or_none(id=quiz_id)
    return quiz if quiz and permissions.can_read_quiz(actor, quiz.status) else None


def visible_quizzes(
    actor: Actor, *, audience: str | None = None, lesson_id: int | None = None, status: str | None = None
) -> QuerySet[Quiz]:
    """Quizzes the actor may list, newest first; non-staff never see drafts whatever the filter."""
    queryset = Quiz.all().order_by("-id")
    if not permissions.is_staff(actor):
        queryset = queryset.filter(status=PublicationStatus.PUBLISHED)
    if status is not None:
        queryset = queryset.filter(status=status)
    if lesson_id is not None:
        queryset = queryset.filter(lesson_id=lesson_id)
    if audience is not None:
        # JSON containment differs per dialect (and Tortoise refuses LIKE on a JSON field):
        # match the quoted value in the column's text form, which is the same on both.
        queryset = queryset.annotate(audiences_text=RawSQL("CAST(audiences AS TEXT)")).filter(
            audiences_text__contains=f'"{Audience(audience).value}"'
        )
    return queryset


async def fixed_question_ids_by_quiz_id(ids: Sequence[int]) -> list[list[int]]:
    """Batch: the fixed question ids of each quiz, in order (empty for drawing quizzes)."""
    grouped: dict[int, list[int]] = defaultdict(list)
    for row in await QuizQuestion.filter(quiz_id__in=list(ids)).order_by("position").values("quiz_id", "question_id"):
        grouped[row["quiz_id"]].append(row["question_id"])
    return [grouped.get(i, []) for i in ids]


async def question_counts_by_quiz_id(ids: Sequence[int]) -> list[int]:
    rows = (
        await QuizQuestion.filter(quiz_id__in=list(ids))
        .annotate(n=Count("id"))
        .group_by("quiz_id")
        .values("quiz_id", "n")
    )
    counts = {r["quiz_id"]: r["n"] for r in rows}
    return [counts.get(i, 0) for i in ids]


async def quizzes_by_id(ids: Sequence[int]) -> list[Quiz | None]:
    found = {q.id: q for q in await Quiz.filter(id__in=list(ids))}
    return [found.get(i) for i in ids]


async def quizzes_by_lesson_id(lesson_ids: Sequence[int]) -> list[list[Quiz]]:
    """Batch for Lesson.quiz: each lesson's quizzes, newest first (callers pick the first visible one)."""
    grouped: dict[int, list[Quiz]] = defaultdict(list)
    for quiz in await Quiz.filter(lesson_id__in=list(lesson_ids)).order_by("-id"):
        if quiz.lesson_id is not None:  # always: the filter asked for these lessons
            grouped[quiz.lesson_id].append(quiz)
    return [grouped.get(i, []) for i in lesson_ids]
