"""Batch functions behind the quizzes domain's per-request DataLoaders: one statement per batch."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from tortoise.functions import Count

from models import sql
from models.quizzes import (
    AttemptItem,
    AttemptStatus,
    Question,
    QuestionBank,
    QuestionOption,
    Quiz,
    QuizQuestion,
)


@dataclass(frozen=True)
class KeyAccess:
    """What a learner may know about one question's answer."""

    reviewed: bool = False  # the question is in one of their graded attempts
    locked: bool = False  # and in one of their attempts in progress: nothing may be revealed


async def items_by_attempt_id(ids: Sequence[int]) -> list[list[AttemptItem]]:
    grouped: dict[int, list[AttemptItem]] = defaultdict(list)
    for item in await AttemptItem.filter(attempt_id__in=list(ids)).order_by("position"):
        grouped[item.attempt_id].append(item)
    return [grouped.get(i, []) for i in ids]


async def key_access_by_user_question(keys: Sequence[tuple[int, int]]) -> list[KeyAccess]:
    """Batch keyed by (user id, question id): may the answer key and results be shown?"""
    wanted: dict[int, set[int]] = defaultdict(set)
    for user_id, question_id in keys:
        wanted[user_id].add(question_id)
    found: dict[tuple[int, int], dict[str, bool]] = defaultdict(dict)
    for user_id, question_ids in wanted.items():
        rows = await AttemptItem.filter(user_id=user_id, question_id__in=list(question_ids)).values(
            "question_id", "attempt__status"
        )
        for row in rows:
            flags = found[(user_id, row["question_id"])]
            if row["attempt__status"] == AttemptStatus.IN_PROGRESS:
                flags["locked"] = True
            else:
                flags["reviewed"] = True
    return [KeyAccess(**found.get(k, {})) for k in keys]


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


async def questions_by_id(ids: Sequence[int]) -> list[Question | None]:
    """Batch: questions in the order asked (callers check visibility), as read-only rows."""
    rows = await sql.detached_rows(Question.filter(id__in=list(ids)), sql.columns_of(Question))
    found = {q.id: q for q in rows}
    return [found.get(i) for i in ids]


async def options_by_question_id(ids: Sequence[int]) -> list[list[QuestionOption]]:
    """Batch: every option and target of each question, in display order, as read-only rows."""
    grouped: dict[int, list[QuestionOption]] = defaultdict(list)
    query = QuestionOption.filter(question_id__in=list(ids)).order_by("display_position", "id")
    for option in await sql.detached_rows(query, sql.columns_of(QuestionOption)):
        grouped[option.question_id].append(option)
    return [grouped.get(i, []) for i in ids]


async def question_counts_by_bank_id(ids: Sequence[int]) -> list[int]:
    rows = (
        await Question.filter(bank_id__in=list(ids), retired_at__isnull=True)
        .annotate(n=Count("id"))
        .group_by("bank_id")
        .values("bank_id", "n")
    )
    counts = {r["bank_id"]: r["n"] for r in rows}
    return [counts.get(i, 0) for i in ids]


async def banks_by_id(ids: Sequence[int]) -> list[QuestionBank | None]:
    found = {b.id: b for b in await QuestionBank.filter(id__in=list(ids))}
    return [found.get(i) for i in ids]
