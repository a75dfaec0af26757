"""Quizzes: a fixed list or a random draw from a bank, with the DRAFT/PUBLISHED workflow."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from tortoise.expressions import RawSQL

from models.base import Audience, PublicationStatus
from models.quizzes import Question, QuestionBank, Quiz, QuizQuestion
from resolvers import permissions
from resolvers.actor import Actor
from resolvers.content import items
from resolvers.errors import DomainError, Invalid, InvalidMany, NotFound
from resolvers.integrations import events as integration_events
from resolvers.listing import Listing, of_queryset
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


async def check_quiz(spec: QuizSpec) -> None:
    """Every problem of a quiz's settings and questions, as typed errors naming input fields."""
    problems = _problems(spec)
    if problems:
        raise problems[0] if len(problems) == 1 else InvalidMany(problems)
    if spec.question_ids is not None:
        rows = await Question.filter(id__in=list(spec.question_ids)).values("id", "retired_at")
        found = {r["id"]: r["retired_at"] for r in rows}
        missing = [i for i in spec.question_ids if i not in found]
        if missing:
            raise NotFound(f"No such question(s): {len(missing)} of the given ids.", field="input.questionIds")
        if any(found[i] is not None for i in spec.question_ids):
            raise Invalid("Retired questions cannot be added to a quiz.", field="input.questionIds")
    if spec.draw_bank_id is not None:
        if not await QuestionBank.exists(id=spec.draw_bank_id):
            raise NotFound("No such question bank.", field="input.drawFromBankId")
        available = await Question.filter(bank_id=spec.draw_bank_id, retired_at__isnull=True).count()
        if (spec.draw_count or 0) > available:
            raise Invalid(f"The bank has only {available} questions.", field="input.drawCount")
    if spec.lesson_id is not None and not await items.lesson_exists(spec.lesson_id):
        raise NotFound("No such lesson.", field="input.lessonId")


async def create_quiz(actor: Actor, spec: QuizSpec) -> Quiz:
    """An editor builds a quiz (as a DRAFT) from questions or a bank."""
    require_editor(actor)
    await check_quiz(spec)
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
) -> Listing[Quiz]:
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
    return of_queryset(queryset)
