"""Attempts: start (fixing questions and option order), save, grade once, practice, the notebook."""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from models import sql
from models.accounts import User
from models.base import Audience, PublicationStatus
from models.quizzes import (
    Attempt,
    AttemptItem,
    AttemptKind,
    AttemptStatus,
    OptionRole,
    Question,
    QuestionOption,
    QuestionType,
    Quiz,
    QuizQuestion,
    WrongQuestion,
)
from quizlib.grading import GivenAnswer, grade, score
from resolvers import permissions
from resolvers.actor import Actor
from resolvers.errors import (
    Conflict,
    DomainError,
    Forbidden,
    Invalid,
    InvalidMany,
    NotFound,
)
from resolvers.integrations import events as integration_events
from resolvers.listing import Listing, of_queryset
from resolvers.quizzes.banks import answer_key
from resolvers.quizzes.loaders import options_by_question_id, protected_questions, questions_by_id
from resolvers.quizzes.quiz import get_quiz

MASTERY_STREAK = 2
DEFAULT_PRACTICE_SIZE = 10
MAX_PRACTICE_SIZE = 50
GRADED = (AttemptStatus.SUBMITTED, AttemptStatus.EXPIRED)


@dataclass(frozen=True)
class AnswerSpec:
    """One answer as the caller sent it; question_id is already decoded (None when not a Question id)."""

    question_id: int | None
    selected_option_ids: Sequence[str] | None = None
    text: str | None = None
    matches: Mapping[str, str] | None = None
    order: Sequence[str] | None = None
    raw_question_id: str = ""


def now() -> datetime:
    return datetime.now(UTC)


@dataclass
class Fetched:
    """Rows a start or a submit already read, handed to the request's DataLoaders.

    The mutation's answer (the attempt's items, their questions and options) would otherwise
    read them all again: on the 26 June peak that doubled the statements and model instances
    of every start and submit (docs/performance.md).
    """

    questions: dict[int, Question] = field(default_factory=dict)
    options: dict[int, list[QuestionOption]] = field(default_factory=dict)
    items: dict[int, list[AttemptItem]] = field(default_factory=dict)  # by attempt id, in position order

    def add(
        self,
        attempt_id: int,
        items: Sequence[AttemptItem],
        questions: Mapping[int, Question],
        options: Mapping[int, Sequence[QuestionOption]],
    ) -> None:
        self.questions.update(questions)
        self.options.update({k: list(v) for k, v in options.items()})
        self.items[attempt_id] = sorted(items, key=lambda i: i.position)


# ------------------------------------------------------------------ starting


async def start_quiz_attempt(actor: Actor, quiz_id: int, *, fetched: Fetched | None = None) -> Attempt:
    """Resume the caller's attempt in progress, or fix a new one (questions, draw, option order).

    "At most one open attempt, at most maxAttempts in all" is held by the database: the caller's
    attempts at the quiz are read in one statement (one snapshot), the new one takes the next
    `number`, and (user, quiz, number) is unique, as is an open attempt per (user, quiz). Starts
    that raced (a double tap, a retry, a start the client abandoned that runs late) aimed at the
    same number: one inserts it, the others answer with the attempt that won.
    """
    user_id = permissions.require_user(actor)
    quiz = await get_quiz(actor, quiz_id)
    if quiz is None:
        raise NotFound("No such quiz.", field="quizId")
    mine = await attempts_at(user_id, quiz.id)
    open_attempt = next((a for a in mine if a.status == AttemptStatus.IN_PROGRESS), None)
    if open_attempt is not None:
        if not _past_deadline(open_attempt, now()):
            return open_attempt
        await finalize(open_attempt, {})
    number = max((a.number or 0 for a in mine), default=0) + 1
    if quiz.max_attempts is not None and max(number, len(mine) + 1) > quiz.max_attempts:
        raise Forbidden(f"You have used all {quiz.max_attempts} attempts at this quiz.", field="quizId")
    if quiz.draw_bank_id is not None:
        pool = await sql.flat(
            Question.filter(bank_id=quiz.draw_bank_id, retired_at__isnull=True).values_list("id", flat=True)
        )
        question_ids = random.sample(pool, min(quiz.draw_count or 0, len(pool)))
    else:
        question_ids = await sql.flat(
            QuizQuestion.filter(quiz_id=quiz.id).order_by("position").values_list("question_id", flat=True)
        )
    if not question_ids:
        raise Invalid("This quiz has no questions yet.", field="quizId")
    deadline = now() + timedelta(seconds=quiz.time_limit_seconds) if quiz.time_limit_seconds else None
    try:
        async with in_transaction():  # a savepoint: losing the race undoes only this insert
            return await _create_attempt(
                user_id,
                question_ids,
                kind=AttemptKind.QUIZ,
                quiz=quiz,
                shuffle=quiz.shuffle_options,
                deadline=deadline,
                fetched=fetched,
                number=number,
            )
    except IntegrityError:
        # Another start took this number (or opened an attempt) first: answer with the one that won.
        winner = await Attempt.filter(user_id=user_id, quiz_id=quiz.id, number=number).first()
        winner = (
            winner or await Attempt.filter(user_id=user_id, quiz_id=quiz.id, status=AttemptStatus.IN_PROGRESS).first()
        )
        if winner is None:
            raise
        return winner


async def attempts_at(user_id: int, quiz_id: int) -> list[Attempt]:
    """The learner's attempts at a quiz, oldest first, read in one statement (one snapshot)."""
    return await Attempt.filter(user_id=user_id, quiz_id=quiz_id).order_by("id")


async def start_practice(actor: Actor, *, mode: str, size: int | None, audience: str | None) -> Attempt:
    """A practice round from the caller's unmastered wrong answers, or a random draw of published questions.

    One open round per learner and kind (a partial unique index): a racing start gets the winner.
    """
    user_id = permissions.require_user(actor)
    size = DEFAULT_PRACTICE_SIZE if size is None else size
    if not 1 <= size <= MAX_PRACTICE_SIZE:
        raise Invalid(f"Practice 1–{MAX_PRACTICE_SIZE} questions at a time.", field="input.size")
    kind = AttemptKind.PRACTICE_WRONG if mode == "WRONG_ANSWERS" else AttemptKind.PRACTICE_RANDOM
    open_practice = Attempt.filter(user_id=user_id, kind=kind, quiz_id=None, status=AttemptStatus.IN_PROGRESS)
    open_attempt = await open_practice.first()
    if open_attempt is not None:
        return open_attempt
    if kind == AttemptKind.PRACTICE_WRONG:
        pool = await sql.flat(
            WrongQuestion.filter(user_id=user_id, mastered=False, question__retired_at__isnull=True).values_list(
                "question_id", flat=True
            )
        )
        if not pool:
            raise Invalid("Your wrong-answer notebook has nothing left to practice.", field="input.mode")
    else:
        pool = await _published_question_ids(audience)
    # Never a question whose graded quiz the caller still has attempts at: practising it would
    # grade it, and a graded question shows its key (docs/quizzes.md, "Answer keys").
    protected = await protected_questions(user_id, pool)
    pool = [q for q in pool if q not in protected]
    if not pool:
        if kind == AttemptKind.PRACTICE_WRONG:
            raise Invalid(
                "Your wrong answers can be practised once you have used your attempts at their quizzes.",
                field="input.mode",
            )
        raise Invalid("There are no published questions to practice yet.", field="input.mode")
    question_ids = random.sample(pool, min(size, len(pool)))
    try:
        async with in_transaction():
            return await _create_attempt(user_id, question_ids, kind=kind, quiz=None, shuffle=True, deadline=None)
    except IntegrityError:
        if (winner := await open_practice.first()) is None:
            raise
        return winner


async def _published_question_ids(audience: str | None) -> list[int]:
    """Questions of published quizzes (fixed or drawn from a bank), optionally for one audience."""
    published = Quiz.filter(status=PublicationStatus.PUBLISHED)
    fixed = await sql.flat(
        QuizQuestion.filter(quiz__status=PublicationStatus.PUBLISHED).values_list("question_id", flat=True)
    )
    banks = await sql.flat(published.filter(draw_bank_id__not_isnull=True).values_list("draw_bank_id", flat=True))
    rows = await Question.filter(id__in=list(fixed)).values("id", "audiences") if fixed else []
    if banks:
        rows += await Question.filter(bank_id__in=banks, retired_at__isnull=True).values("id", "audiences")
    wanted = Audience(audience).value if audience else None
    return sorted({r["id"] for r in rows if wanted is None or not r["audiences"] or wanted in r["audiences"]})


async def _create_attempt(
    user_id: int,
    question_ids: Sequence[int],
    *,
    kind: AttemptKind,
    quiz: Quiz | None,
    shuffle: bool,
    deadline: datetime | None,
    fetched: Fetched | None = None,
    number: int | None = None,
) -> Attempt:
    """Insert an attempt with its items in a constant number of statements."""
    questions = {q.id: q for q in await questions_by_id(list(question_ids)) if q is not None}
    options = dict(zip(question_ids, await options_by_question_id(list(question_ids)), strict=True))
    seen = set(
        await sql.flat(
            AttemptItem.filter(user_id=user_id, question_id__in=list(question_ids), attempt__kind=AttemptKind.QUIZ)
            .distinct()
            .values_list("question_id", flat=True)
        )
    )
    attempt = await Attempt.create(
        user_id=user_id,
        quiz=quiz,
        kind=kind,
        status=AttemptStatus.IN_PROGRESS,
        started_at=now(),
        deadline=deadline,
        total_count=len(question_ids),
        number=number,
    )
    items = []
    for position, question_id in enumerate(question_ids):
        question = questions[question_id]
        choices = [o.token for o in options[question_id] if o.role == OptionRole.OPTION]
        targets = [o.token for o in options[question_id] if o.role == OptionRole.TARGET]
        # ORDERING items are always shuffled: their stored order would be the answer.
        if shuffle or question.type == QuestionType.ORDERING:
            random.shuffle(choices)
        if shuffle:
            random.shuffle(targets)
        items.append(
            AttemptItem(
                attempt_id=attempt.id,
                user_id=user_id,
                question_id=question_id,
                position=position + 1,
                option_order=choices,
                target_order=targets,
                first_seen=kind == AttemptKind.QUIZ and question_id not in seen,
            )
        )
    await AttemptItem.bulk_create(items)
    if fetched is not None:
        fetched.add(attempt.id, items, questions, options)
    return attempt


# ------------------------------------------------------------------ answers


async def _own_attempt(actor: Actor, attempt_id: int, *, for_update: bool = False) -> Attempt:
    permissions.require_user(actor)
    queryset = Attempt.filter(id=attempt_id, user_id=actor.user_id)
    attempt = await (queryset.select_for_update() if for_update else queryset).first()
    if attempt is None:
        raise NotFound("No such attempt.", field="input.attemptId")
    return attempt


def _past_deadline(attempt: Attempt, moment: datetime) -> bool:
    return attempt.deadline is not None and moment > attempt.deadline


def _parse_answers(
    answers: Sequence[AnswerSpec], items: Sequence[AttemptItem], options: Mapping[int, Sequence[QuestionOption]]
) -> dict[int, dict[str, Any]]:
    """Check every answer against the attempt; raise (naming each bad one) before anything is written."""
    by_question = {item.question_id: item for item in items}
    problems: list[DomainError] = []
    stray = [(i, a) for i, a in enumerate(answers) if a.question_id not in by_question]
    for index, answer in stray:
        problems.append(
            Invalid(
                f"Question {answer.raw_question_id} is not part of this attempt.",
                field=f"input.answers.{index}.questionId",
            )
        )
    parsed: dict[int, dict[str, Any]] = {}
    for index, answer in enumerate(answers):
        question_id = answer.question_id
        if question_id is None or question_id not in by_question:
            continue
        if question_id in parsed:
            problems.append(Invalid("This question is answered twice.", field=f"input.answers.{index}.questionId"))
            continue
        own = options[question_id]
        choice_tokens = {o.token for o in own if o.role == OptionRole.OPTION}
        target_tokens = {o.token for o in own if o.role == OptionRole.TARGET}
        selected = list(dict.fromkeys(answer.selected_option_ids or ()))
        order = list(answer.order or ())
        matches = dict(answer.matches or {})
        if not set(selected) <= choice_tokens or not set(order) <= choice_tokens:
            problems.append(Invalid("An option id does not belong to this question.", field=f"input.answers.{index}"))
            continue
        if not set(matches) <= choice_tokens or not set(matches.values()) <= target_tokens:
            problems.append(
                Invalid(
                    "A match names an option or target of another question.", field=f"input.answers.{index}.matches"
                )
            )
            continue
        if answer.text is not None and len(answer.text) > 1000:
            problems.append(Invalid("Answers are at most 1000 characters.", field=f"input.answers.{index}.text"))
            continue
        parsed[question_id] = {"selected": selected, "text": answer.text, "matches": matches, "order": order}
    if problems:
        raise problems[0] if len(problems) == 1 else InvalidMany(problems)
    return parsed


async def save_answers(actor: Actor, attempt_id: int, answers: Sequence[AnswerSpec]) -> Attempt:
    """Save answers of an attempt in progress (the app saves as it goes); they count if saved before the deadline."""
    attempt = await _own_attempt(actor, attempt_id, for_update=True)
    if attempt.status != AttemptStatus.IN_PROGRESS:
        raise Conflict("This attempt has been submitted; its answers can no longer change.", field="input.attemptId")
    moment = now()
    if _past_deadline(attempt, moment):
        raise Conflict("The time limit has passed; submit the attempt to see its result.", field="input.attemptId")
    items = await AttemptItem.filter(attempt_id=attempt.id)
    question_ids = [i.question_id for i in items]
    options = dict(zip(question_ids, await options_by_question_id(question_ids), strict=True))
    parsed = _parse_answers(answers, items, options)
    changed = [i for i in items if i.question_id in parsed]
    for item in changed:
        item.answer = parsed[item.question_id]
        item.answered_at = moment
    if changed:
        await sql.update_rows(changed, ["answer", "answered_at"])
    return attempt


async def submit(
    actor: Actor, attempt_id: int, answers: Sequence[AnswerSpec], *, fetched: Fetched | None = None
) -> Attempt:
    """Grade once. A repeated or concurrent submit returns the first result and changes nothing."""
    attempt = await _own_attempt(actor, attempt_id)
    if attempt.status != AttemptStatus.IN_PROGRESS:
        return attempt
    items = await AttemptItem.filter(attempt_id=attempt.id)
    question_ids = [i.question_id for i in items]
    options = dict(zip(question_ids, await options_by_question_id(question_ids), strict=True))
    parsed = _parse_answers(answers, items, options)
    return await finalize(attempt, parsed, items=items, options=options, fetched=fetched)


async def finalize(
    attempt: Attempt,
    answers: Mapping[int, dict[str, Any]],
    *,
    items: Sequence[AttemptItem] | None = None,
    options: Mapping[int, Sequence[QuestionOption]] | None = None,
    fetched: Fetched | None = None,
) -> Attempt:
    """Grade an attempt on its answers; past the deadline only answers saved in time count (EXPIRED)."""
    if items is None:
        items = await AttemptItem.filter(attempt_id=attempt.id)
    question_ids = [i.question_id for i in items]
    if options is None:
        options = dict(zip(question_ids, await options_by_question_id(question_ids), strict=True))
    questions = {q.id: q for q in await questions_by_id(question_ids) if q is not None}
    moment = now()
    expired = _past_deadline(attempt, moment)
    for item in items:
        qid = item.question_id
        if not expired and qid in answers:
            item.answer = answers[qid]
            item.answered_at = moment
        elif expired and item.answered_at is not None and attempt.deadline and item.answered_at > attempt.deadline:
            item.answer = None
        item.correct = grade(answer_key(questions[qid], options[qid]), _given(item.answer))
    correct_count = sum(1 for i in items if i.correct)
    result = score(correct_count, len(items))
    passed = None
    quiz: Quiz | None = None
    if attempt.quiz_id is not None:
        quiz = await Quiz.get(id=attempt.quiz_id)
        passed = result >= quiz.passing_score if quiz.passing_score is not None else None
    status = AttemptStatus.EXPIRED if expired else AttemptStatus.SUBMITTED
    async with in_transaction():
        # The claim: only the first submit finds the attempt IN_PROGRESS; any other writes nothing.
        claimed = await Attempt.filter(id=attempt.id, status=AttemptStatus.IN_PROGRESS).update(
            status=status, submitted_at=moment, correct_count=correct_count, score=result, passed=passed
        )
        if not claimed:
            return await Attempt.get(id=attempt.id)
        # Two of the learner's attempts graded at once may share a question: their notebook
        # updates take turns, so neither inserts an entry the other just inserted.
        await sql.lock(User, attempt.user_id)
        if items:
            await sql.update_rows(list(items), ["answer", "answered_at", "correct"])
        await record_in_notebook(attempt.user_id, items, moment)
        if quiz is not None:
            # One statement: a row only for the learner's organization's endpoints and LRS, if any.
            await integration_events.attempt_submitted(
                user_id=attempt.user_id,
                attempt_id=attempt.id,
                quiz_id=quiz.id,
                quiz_title=quiz.title,
                status=status.value,
                score=result,
                passed=passed,
                correct=[(i.question_id, bool(i.correct)) for i in items],
                submitted_at=moment,
            )
    if fetched is not None:
        fetched.add(attempt.id, items, questions, options)
    return await Attempt.get(id=attempt.id)


def _given(answer: Mapping[str, Any] | None) -> GivenAnswer:
    answer = answer or {}
    return GivenAnswer(
        selected_option_ids=frozenset(answer.get("selected") or ()),
        text=answer.get("text"),
        matches=dict(answer.get("matches") or {}),
        order=tuple(answer.get("order") or ()),
    )


async def record_in_notebook(user_id: int, items: Sequence[AttemptItem], moment: datetime) -> None:
    """Wrong answers enter (or re-enter) the notebook; correct answers count towards mastery."""
    question_ids = [i.question_id for i in items]
    entries = {w.question_id: w for w in await WrongQuestion.filter(user_id=user_id, question_id__in=question_ids)}
    new, changed = [], []
    for item in items:
        entry = entries.get(item.question_id)
        if not item.correct:
            if entry is None:
                new.append(
                    WrongQuestion(user_id=user_id, question_id=item.question_id, times_wrong=1, last_wrong_at=moment)
                )
                continue
            entry.times_wrong += 1
            entry.last_wrong_at = moment
            entry.correct_since = 0
            entry.mastered = False
            changed.append(entry)
        elif entry is not None and not entry.mastered:
            entry.correct_since += 1
            entry.mastered = entry.correct_since >= MASTERY_STREAK
            changed.append(entry)
    if new:
        await WrongQuestion.bulk_create(new)
    if changed:
        await sql.update_rows(changed, ["times_wrong", "last_wrong_at", "correct_since", "mastered"])


# ------------------------------------------------------------------ reading


async def get_attempt(actor: Actor, attempt_id: int) -> Attempt | None:
    """The caller's own attempt, else None."""
    if actor.user_id is None:
        return None
    return await Attempt.get_or_none(id=attempt_id, user_id=actor.user_id)


def attempts_of(user_id: int) -> Listing[Attempt]:
    return of_queryset(Attempt.filter(user_id=user_id).order_by("-started_at", "-id"))


def wrong_questions_of(user_id: int, *, include_mastered: bool) -> Listing[WrongQuestion]:
    queryset = WrongQuestion.filter(user_id=user_id).order_by("-last_wrong_at", "-id")
    return of_queryset(queryset if include_mastered else queryset.filter(mastered=False))
