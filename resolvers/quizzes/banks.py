"""Question banks and questions: creation with typed validation, opaque option tokens, batch reads."""

from __future__ import annotations

import random
import secrets
from collections.abc import Sequence
from dataclasses import dataclass, field

from models import sql
from models.base import Audience
from models.quizzes import (
    Difficulty,
    OptionRole,
    Question,
    QuestionBank,
    QuestionOption,
    QuestionType,
)
from quizlib.grading import GradableQuestion, validate_question
from resolvers import permissions
from resolvers.actor import Actor
from resolvers.content import items as content_items
from resolvers.content import media as content_media
from resolvers.errors import DomainError, Invalid, InvalidMany, NotFound
from resolvers.listing import Listing, of_queryset

MAX_TAGS = 20


@dataclass(frozen=True)
class OptionSpec:
    """An option as an author gives it (in the author's order)."""

    text: str
    correct: bool | None = None
    feedback: str | None = None


@dataclass(frozen=True)
class QuestionSpec:
    """Everything needed to create one question, whatever it came from (GraphQL input or an import file)."""

    type: str
    stem: str
    options: Sequence[OptionSpec] = ()
    match_targets: Sequence[str] = ()
    accepted_answers: Sequence[str] = ()
    explanation: str | None = None
    difficulty: str | None = None
    audiences: Sequence[str] = ()
    tags: Sequence[str] = ()
    media_ids: Sequence[int] = field(default_factory=tuple)


def new_token() -> str:
    """A random option id: it carries nothing about order or correctness."""
    return "o" + secrets.token_urlsafe(12)


def require_editor(actor: Actor) -> None:
    permissions.require_role(
        actor, permissions.can_edit_quizzes(actor), "Only editors and admins manage question banks and quizzes."
    )


async def create_bank(actor: Actor, *, name: str, description: str | None) -> QuestionBank:
    require_editor(actor)
    name = name.strip()
    if not 1 <= len(name) <= 200:
        raise Invalid("Give a name of 1–200 characters.", field="input.name")
    return await QuestionBank.create(
        name=name, description=(description or "").strip() or None, created_by_id=actor.user_id
    )


async def get_bank(actor: Actor, bank_id: int, *, field: str | None = None) -> QuestionBank:
    """A bank for an editor; NotFound for everyone else (banks are never shown to learners)."""
    bank = await QuestionBank.get_or_none(id=bank_id) if permissions.can_edit_quizzes(actor) else None
    if bank is None:
        raise NotFound("No such question bank.", field=field)
    return bank


async def find_bank(id_or_name: str) -> QuestionBank:
    """A bank by numeric id or exact name (for the command line)."""
    bank = await QuestionBank.get_or_none(id=int(id_or_name)) if id_or_name.isdigit() else None
    bank = bank or await QuestionBank.filter(name=id_or_name).order_by("id").first()
    if bank is None:
        raise NotFound(f"No question bank {id_or_name!r}.")
    return bank


def banks_for(actor: Actor, *, gated: bool = True) -> Listing[QuestionBank]:
    """Every bank, newest first, for editors; UNAUTHENTICATED/FORBIDDEN for anyone else, or with
    gated=False (the deprecated, non-null `questionBanks`) an empty list."""
    queryset = QuestionBank.all().order_by("-id")
    allowed = actor.is_user and permissions.can_edit_quizzes(actor)
    if gated:
        permissions.require_role(actor, allowed, "Only editors and admins read question banks.")
    return of_queryset(queryset if allowed else queryset.filter(id=-1))


def questions_of_bank(bank_id: int, *, include_retired: bool = False) -> Listing[Question]:
    """A bank's questions in order; retired versions only when asked for."""
    queryset = Question.filter(bank_id=bank_id)
    if not include_retired:
        queryset = queryset.filter(retired_at__isnull=True)
    return of_queryset(queryset.order_by("position", "id"))


def problems_of(spec: QuestionSpec, prefix: str = "input") -> list[DomainError]:
    """Typed validation problems of a question spec (quizlib's rules plus enum and size checks)."""
    problems: list[DomainError] = [
        Invalid(p.message, field=p.field.replace("input", prefix, 1))
        for p in validate_question(
            type=spec.type,
            stem=spec.stem,
            options=list(spec.options),
            match_targets=list(spec.match_targets),
            accepted_answers=list(spec.accepted_answers),
        )
    ]
    if spec.type in (QuestionType.MATCHING, QuestionType.ORDERING, QuestionType.FILL_IN_BLANK) and any(
        o.correct for o in spec.options
    ):
        problems.append(Invalid(f"{spec.type} options are not marked correct.", field=f"{prefix}.options"))
    if spec.difficulty is not None and spec.difficulty not in Difficulty.__members__:
        problems.append(Invalid("Unknown difficulty.", field=f"{prefix}.difficulty"))
    if len(spec.tags) > MAX_TAGS or any(not t.strip() or len(t) > 100 for t in spec.tags):
        problems.append(Invalid(f"Give at most {MAX_TAGS} tags of 1–100 characters.", field=f"{prefix}.tags"))
    return problems


async def create_question(actor: Actor, bank_id: int, spec: QuestionSpec) -> Question:
    """Validate and store one question in a bank the editor can see."""
    require_editor(actor)
    await get_bank(actor, bank_id, field="input.bankId")
    problems = problems_of(spec)
    found = await content_media.public_kinds(spec.media_ids)
    if any(pk not in found for pk in spec.media_ids):
        problems.append(NotFound("Some media do not exist.", field="input.mediaIds"))
    if problems:
        raise problems[0] if len(problems) == 1 else InvalidMany(problems)
    return (await insert_questions(bank_id, [spec]))[0]


async def insert_questions(bank_id: int, specs: Sequence[QuestionSpec]) -> list[Question]:
    """Store already-validated questions with their options, in a constant number of statements."""
    if not specs:
        return []
    last = await sql.flat(
        Question.filter(bank_id=bank_id).order_by("-position").limit(1).values_list("position", flat=True)
    )
    start = (last[0] if last else 0) + 1
    rows = [
        Question(
            bank_id=bank_id,
            position=start + i,
            type=QuestionType(s.type),
            stem=s.stem.strip(),
            explanation=(s.explanation or "").strip() or None,
            difficulty=Difficulty(s.difficulty) if s.difficulty else None,
            audiences=sorted({Audience(a).value for a in s.audiences}),
            tags=list(dict.fromkeys(content_items.clean_tag_name(t) for t in s.tags)),
            media_ids=list(dict.fromkeys(s.media_ids)),
            accepted_answers=[a.strip() for a in s.accepted_answers if a.strip()],
        )
        for i, s in enumerate(specs)
    ]
    await Question.bulk_create(rows)
    for name in dict.fromkeys(t for row in rows for t in row.tags):
        await content_items.tag_named(name)  # content's tags, created on first use
    created = await Question.filter(bank_id=bank_id, position__gte=start).order_by("position")
    options: list[QuestionOption] = []
    for question, spec in zip(created, specs, strict=True):
        options += option_rows(question.id, spec)
    random.shuffle(options)  # insertion order (and so primary keys) says nothing either
    await QuestionOption.bulk_create(options)
    return created


def option_rows(question_id: int, spec: QuestionSpec) -> list[QuestionOption]:
    kind = spec.type
    option_tokens = [new_token() for _ in spec.options]
    target_tokens = [new_token() for _ in spec.match_targets] if kind == QuestionType.MATCHING else []
    # Learners see choice options in the author's order (unless the quiz shuffles); the order
    # of ORDERING items and of matching targets is the answer, so it is randomised for display.
    option_display = list(range(len(option_tokens)))
    if kind == QuestionType.ORDERING:
        random.shuffle(option_display)
    target_display = list(range(len(target_tokens)))
    random.shuffle(target_display)
    rows = [
        QuestionOption(
            question_id=question_id,
            token=token,
            role=OptionRole.OPTION,
            text=option.text.strip(),
            correct=bool(option.correct)
            and kind in (QuestionType.SINGLE_CHOICE, QuestionType.MULTIPLE_CHOICE, QuestionType.TRUE_FALSE),
            feedback=(option.feedback or "").strip() or None,
            match_token=target_tokens[i] if kind == QuestionType.MATCHING else None,
            key_position=i,
            display_position=option_display[i],
        )
        for i, (token, option) in enumerate(zip(option_tokens, spec.options, strict=True))
    ]
    rows += [
        QuestionOption(
            question_id=question_id,
            token=token,
            role=OptionRole.TARGET,
            text=text.strip(),
            key_position=i,
            display_position=target_display[i],
        )
        for i, (token, text) in enumerate(zip(target_tokens, spec.match_targets, strict=False))
    ]
    return rows


# ------------------------------------------------------------------ batch reads


# Questions and options are read as plain rows with every column (models/sql.detached_rows):
# each start and submit reads 20 questions and ~80 options, and model instances for them were
# most of those mutations' cost at the 26 June peak. Nothing saves what these return.


def answer_key(question: Question, options: Sequence[QuestionOption]) -> GradableQuestion:
    """The grading key of a question in terms of option tokens."""
    choices = sorted((o for o in options if o.role == OptionRole.OPTION), key=lambda o: o.key_position)
    return GradableQuestion(
        type=question.type.value if isinstance(question.type, QuestionType) else str(question.type),
        correct_option_ids=frozenset(o.token for o in choices if o.correct),
        accepted_answers=tuple(question.accepted_answers or ()),
        matches={o.token: o.match_token for o in choices if o.match_token}
        if question.type == QuestionType.MATCHING
        else {},
        order=tuple(o.token for o in choices) if question.type == QuestionType.ORDERING else (),
    )


def explanation_of(question: Question, options: Sequence[QuestionOption]) -> str | None:
    """The general explanation followed by any per-option feedback, as one Markdown text."""
    choices = sorted((o for o in options if o.role == OptionRole.OPTION), key=lambda o: o.key_position)
    lines = [f"- {o.text}: {o.feedback}" for o in choices if o.feedback]
    parts = [p for p in (question.explanation, "\n".join(lines)) if p]
    return "\n\n".join(parts) or None
