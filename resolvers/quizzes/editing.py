"""Editing what exists: questions (new version or in place), retiring questions, banks and quizzes.

The rule that keeps old grades true (docs/quizzes.md): a question that any attempt already holds is
never changed in place. Editing it stores a new version (a new row, version + 1, pointing back) and
retires the old row; quizzes that listed the old version list the new one from then on, while the
attempts that hold the old row keep its text, options and key, so their grades and reviews stay
what they were. A question no attempt holds yet is edited in place.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field, fields, replace
from datetime import UTC, datetime
from typing import Any

from models import sql
from models.base import Audience
from models.quizzes import (
    AttemptItem,
    Difficulty,
    Question,
    QuestionBank,
    QuestionOption,
    QuestionType,
    Quiz,
    QuizQuestion,
)
from resolvers.actor import Actor
from resolvers.content import items as content_items
from resolvers.content import media as content_media
from resolvers.errors import DomainError, Invalid, InvalidMany, NotFound
from resolvers.quizzes import banks
from resolvers.quizzes.banks import QuestionSpec, get_bank, require_editor
from resolvers.quizzes.quiz import QuizSpec, check_quiz


async def _check_question(spec: QuestionSpec, prefix: str) -> None:
    problems = banks.problems_of(spec, prefix)
    found = await content_media.public_kinds(spec.media_ids)
    if any(pk not in found for pk in spec.media_ids):
        problems.append(NotFound("Some media do not exist.", field=f"{prefix}.mediaIds"))
    if problems:
        raise problems[0] if len(problems) == 1 else InvalidMany(problems)


def _columns(spec: QuestionSpec) -> dict[str, Any]:
    return {
        "type": QuestionType(spec.type),
        "stem": spec.stem.strip(),
        "explanation": (spec.explanation or "").strip() or None,
        "difficulty": Difficulty(spec.difficulty) if spec.difficulty else None,
        "audiences": sorted({Audience(a).value for a in spec.audiences}),
        "tags": list(dict.fromkeys(content_items.clean_tag_name(t) for t in spec.tags)),
        "media_ids": list(dict.fromkeys(spec.media_ids)),
        "accepted_answers": [a.strip() for a in spec.accepted_answers if a.strip()],
    }


async def _store_options(question: Question, spec: QuestionSpec) -> None:
    rows = banks.option_rows(question.id, spec)
    random.shuffle(rows)  # as on creation: insertion order says nothing about the key
    await QuestionOption.bulk_create(rows)
    for name in question.tags:
        await content_items.tag_named(name)


async def update_question(actor: Actor, question_id: int, spec: QuestionSpec) -> Question:
    """Edit a question: in place while no attempt holds it, else as a new version that replaces it."""
    require_editor(actor)
    question = await Question.get_or_none(id=question_id)
    if question is None:
        raise NotFound("No such question.", field="id")
    if question.retired_at is not None:
        raise Invalid("This question is retired; edit its newest version instead.", field="id")
    await _check_question(spec, "input")
    if not await AttemptItem.exists(question_id=question.id):
        question.update_from_dict(_columns(spec))
        await question.save()
        await QuestionOption.filter(question_id=question.id).delete()
        await _store_options(question, spec)
        return question
    successor = Question(
        bank_id=question.bank_id,
        position=question.position,
        version=question.version + 1,
        previous_version_id=question.id,
        **_columns(spec),
    )
    await successor.save()
    await _store_options(successor, spec)
    question.retired_at = datetime.now(UTC)
    await question.save(update_fields=["retired_at", "updated_at"])
    await QuizQuestion.filter(question_id=question.id).update(question_id=successor.id)
    return successor


async def retire_question(actor: Actor, question_id: int) -> Question:
    """Take a question out of use: it leaves the quizzes that list it and is never drawn again.

    Attempts that hold it keep it (their grades stay true). Refused while that would leave a quiz
    without questions, or a drawing quiz with fewer questions in its bank than it draws.
    """
    require_editor(actor)
    question = await Question.get_or_none(id=question_id)
    if question is None:
        raise NotFound("No such question.", field="id")
    if question.retired_at is not None:
        return question
    for link in await QuizQuestion.filter(question_id=question.id).select_related("quiz"):
        if await QuizQuestion.filter(quiz_id=link.quiz_id).count() <= 1:
            raise Invalid(f"Quiz “{link.quiz.title}” would have no questions left.", field="id")
    active = await Question.filter(bank_id=question.bank_id, retired_at__isnull=True).count()
    for quiz in await Quiz.filter(draw_bank_id=question.bank_id):
        if (quiz.draw_count or 0) > active - 1:
            raise Invalid(f"Quiz “{quiz.title}” draws {quiz.draw_count} questions from this bank.", field="id")
    question.retired_at = datetime.now(UTC)
    await question.save(update_fields=["retired_at", "updated_at"])
    await QuizQuestion.filter(question_id=question.id).delete()
    return question


async def update_bank(actor: Actor, bank_id: int, *, name: str, description: str | None) -> QuestionBank:
    require_editor(actor)
    bank = await get_bank(actor, bank_id, field="id")
    name = name.strip()
    if not 1 <= len(name) <= 200:
        raise Invalid("Give a name of 1–200 characters.", field="input.name")
    bank.update_from_dict({"name": name, "description": (description or "").strip() or None})
    await bank.save()
    return bank


@dataclass(frozen=True)
class QuizPatch:
    """The fields an editor changed (absent ones keep their value); None clears where that means something."""

    given: dict[str, Any] = field(default_factory=dict)


async def update_quiz(actor: Actor, quiz_id: int, patch: QuizPatch) -> Quiz:
    """Change a quiz's settings or questions, in any status. Attempts already started keep theirs."""
    require_editor(actor)
    quiz = await Quiz.get_or_none(id=quiz_id)
    if quiz is None:
        raise NotFound("No such quiz.", field="id")
    fixed = await sql.flat(
        QuizQuestion.filter(quiz_id=quiz.id).order_by("position").values_list("question_id", flat=True)
    )
    current = QuizSpec(
        title=quiz.title,
        description=quiz.description,
        audiences=list(quiz.audiences or ()),
        question_ids=None if quiz.draw_bank_id is not None else fixed,
        draw_bank_id=quiz.draw_bank_id,
        draw_count=quiz.draw_count,
        time_limit_seconds=quiz.time_limit_seconds,
        max_attempts=quiz.max_attempts,
        passing_score=quiz.passing_score,
        shuffle_options=quiz.shuffle_options,
        lesson_id=quiz.lesson_id,
    )
    given = dict(patch.given)
    if given.get("question_ids") is not None:  # switching to a fixed list ends a draw
        given.setdefault("draw_bank_id", None)
        given.setdefault("draw_count", None)
    elif given.get("draw_bank_id") is not None:
        given.setdefault("question_ids", None)
    known = {f.name for f in fields(QuizSpec)}
    spec = replace(current, **{k: v for k, v in given.items() if k in known})
    try:
        await check_quiz(spec)
    except DomainError as error:
        raise _as_patch(error) from None
    quiz.update_from_dict(
        {
            "title": spec.title.strip(),
            "description": (spec.description or "").strip() or None,
            "audiences": sorted({Audience(a).value for a in spec.audiences}),
            "draw_bank_id": spec.draw_bank_id,
            "draw_count": spec.draw_count,
            "time_limit_seconds": spec.time_limit_seconds,
            "max_attempts": spec.max_attempts,
            "passing_score": spec.passing_score,
            "shuffle_options": spec.shuffle_options,
            "lesson_id": spec.lesson_id,
        }
    )
    await quiz.save()
    if spec.question_ids != current.question_ids:
        await QuizQuestion.filter(quiz_id=quiz.id).delete()
        await QuizQuestion.bulk_create(
            [QuizQuestion(quiz_id=quiz.id, question_id=q, position=i) for i, q in enumerate(spec.question_ids or ())]
        )
    return quiz


def _as_patch(error: DomainError) -> DomainError:
    """The create checks name input.*: an update names patch.*."""
    if isinstance(error, InvalidMany):
        return InvalidMany([_as_patch(e) for e in error.errors])
    if error.field and error.field.startswith("input."):
        error.field = "patch." + error.field.removeprefix("input.")
    return error
