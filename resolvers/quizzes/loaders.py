"""Batch functions behind the quizzes domain's per-request DataLoaders: one statement per batch."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from tortoise.functions import Count

from models import sql
from models.base import PublicationStatus
from models.quizzes import (
    Attempt,
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
    """What a learner may know about one question's answer (docs/quizzes.md, "Answer keys")."""

    graded: bool = False  # the question is in one of their graded attempts
    answered: bool = False  # and they answered it there: a blank item earns no key
    locked: bool = False  # it is in one of their attempts in progress: nothing may be revealed
    protected: bool = False  # a published quiz with an attempt limit holds it and they have attempts left

    @property
    def holds(self) -> bool:
        """The question is in one of their attempts (so they may read the question itself)."""
        return self.graded or self.locked

    @property
    def may_see_result(self) -> bool:
        """Whether their answer was right (a blank one was not, whatever the key)."""
        return self.graded and not self.locked and not self.protected

    @property
    def may_see_key(self) -> bool:
        """The key and the explanation: only for a question they answered."""
        return self.answered and self.may_see_result


async def items_by_attempt_id(ids: Sequence[int]) -> list[list[AttemptItem]]:
    grouped: dict[int, list[AttemptItem]] = defaultdict(list)
    for item in await AttemptItem.filter(attempt_id__in=list(ids)).order_by("position"):
        grouped[item.attempt_id].append(item)
    return [grouped.get(i, []) for i in ids]


def _answered(answer: dict[str, object] | None) -> bool:
    if not answer:
        return False
    return any(answer.get(k) for k in ("selected", "text", "matches", "order"))


async def key_access_by_user_question(keys: Sequence[tuple[int, int]]) -> list[KeyAccess]:
    """Batch keyed by (user id, question id): may the answer key and results be shown?"""
    wanted: dict[int, set[int]] = defaultdict(set)
    for user_id, question_id in keys:
        wanted[user_id].add(question_id)
    found: dict[tuple[int, int], dict[str, bool]] = defaultdict(dict)
    for user_id, question_ids in wanted.items():
        rows = await AttemptItem.filter(user_id=user_id, question_id__in=list(question_ids)).values(
            "question_id", "attempt__status", "answer"
        )
        for row in rows:
            flags = found[(user_id, row["question_id"])]
            if row["attempt__status"] == AttemptStatus.IN_PROGRESS:
                flags["locked"] = True
            else:
                flags["graded"] = True
                if _answered(row["answer"]):
                    flags["answered"] = True
        for question_id in await protected_questions(user_id, question_ids):
            found[(user_id, question_id)]["protected"] = True
    return [KeyAccess(**found.get(k, {})) for k in keys]


async def protected_questions(user_id: int, question_ids: Iterable[int]) -> set[int]:
    """Of these questions, those a published quiz with an attempt limit holds (fixed or in its
    drawing bank) while this learner still has attempts left at it: their keys stay hidden from
    them, and practice does not draw them (docs/quizzes.md, "Answer keys"). Three statements at most.
    """
    wanted = list(question_ids)
    if not wanted:
        return set()
    limited = await Quiz.filter(status=PublicationStatus.PUBLISHED, max_attempts__not_isnull=True).values(
        "id", "max_attempts", "draw_bank_id"
    )
    if not limited:
        return set()
    used = dict(
        await Attempt.filter(user_id=user_id, quiz_id__in=[q["id"] for q in limited])
        .annotate(n=Count("id"))
        .group_by("quiz_id")
        .values_list("quiz_id", "n")
    )
    open_quizzes = [q for q in limited if used.get(q["id"], 0) < q["max_attempts"]]
    if not open_quizzes:
        return set()
    banks = sorted({q["draw_bank_id"] for q in open_quizzes if q["draw_bank_id"] is not None})
    fixed = [q["id"] for q in open_quizzes if q["draw_bank_id"] is None]
    protected: set[int] = set()
    if fixed:
        protected.update(
            await sql.flat(
                QuizQuestion.filter(quiz_id__in=fixed, question_id__in=wanted).values_list("question_id", flat=True)
            )
        )
    if banks:
        protected.update(await sql.flat(Question.filter(id__in=wanted, bank_id__in=banks).values_list("id", flat=True)))
    return protected


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
