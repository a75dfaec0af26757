"""Import questions from GIFT and Moodle XML files, and export a bank to both formats."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field

from models.quizzes import OptionRole, Question, QuestionBank, QuestionOption, QuestionType
from quizlib import FormatError, ImportedOption, ImportedQuestion
from quizlib.gift import parse_gift, write_gift
from quizlib.moodle_xml import parse_moodle_xml, write_moodle_xml
from resolvers.actor import Actor
from resolvers.errors import DomainError, Invalid, TooLarge, UnsupportedFormat
from resolvers.quizzes.banks import (
    OptionSpec,
    QuestionSpec,
    get_bank,
    insert_questions,
    problems_of,
    require_editor,
)
from resolvers.quizzes.loaders import options_by_question_id

MAX_IMPORT_BYTES = 5 * 1024 * 1024


@dataclass
class ImportResult:
    questions: list[Question] = field(default_factory=list)
    errors: list[DomainError] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def _label(question: ImportedQuestion | None, name: str | None, index: int) -> str:
    name = name or (question.name if question else None)
    if name:
        return f"“{name}”"
    stem = (question.stem if question else "").strip().replace("\n", " ")
    return f"question {index + 1}" + (f" “{stem[:40]}”" if stem else "")


def spec_from_imported(question: ImportedQuestion) -> tuple[QuestionSpec, int]:
    """Our question for an imported one, and how many matching distractors were dropped."""
    targets = question.match_targets
    dropped = 0
    if question.type == QuestionType.MATCHING and len(targets) > len(question.options):
        # Moodle allows extra, unpaired targets; our questions pair every target (see docs/quizzes.md).
        dropped = len(targets) - len(question.options)
        targets = targets[: len(question.options)]
    choice = question.type in (QuestionType.SINGLE_CHOICE, QuestionType.MULTIPLE_CHOICE, QuestionType.TRUE_FALSE)
    spec = QuestionSpec(
        type=question.type,
        stem=question.stem,
        options=[OptionSpec(o.text, o.correct if choice else None, o.feedback) for o in question.options],
        match_targets=list(targets),
        accepted_answers=list(question.accepted_answers),
        explanation=question.explanation,
        difficulty=question.difficulty,
        tags=list(question.tags),
    )
    return spec, dropped


async def import_questions(
    actor: Actor, bank_id: int, format: str, read: Callable[[int], Awaitable[bytes]]
) -> ImportResult:
    """Import every supported, valid question; one error per question left out, naming it.

    `read(n)` returns at most n bytes of the file: it is called only after the role and the bank
    are checked, and never for more than the limit (plus one byte, to tell that it is over).
    """
    require_editor(actor)
    await get_bank(actor, bank_id, field="input.bankId")
    data = await read(MAX_IMPORT_BYTES + 1)
    if len(data) > MAX_IMPORT_BYTES:
        raise TooLarge(f"Import files are at most {MAX_IMPORT_BYTES // (1024 * 1024)} MB.", field="input.file")
    try:
        if format == "GIFT":
            parsed, skipped = parse_gift(_decode(data))
        else:
            parsed, skipped = parse_moodle_xml(data)
    except FormatError as error:
        raise UnsupportedFormat(f"The file cannot be read as {format}: {error.message}", field="input.file") from None
    result = ImportResult()
    for index, skip in enumerate(skipped):
        result.errors.append(
            UnsupportedFormat(f"Skipped {_label(None, skip.name, index)}: {skip.reason}", field="input.file")
        )
    specs: list[QuestionSpec] = []
    for index, question in enumerate(parsed):
        spec, dropped = spec_from_imported(question)
        problems = problems_of(spec)
        if problems:
            detail = "; ".join(p.message for p in problems)
            result.errors.append(Invalid(f"Skipped {_label(question, None, index)}: {detail}", field="input.file"))
            continue
        if dropped:
            result.notes.append(f"{_label(question, None, index)}: dropped {dropped} unpaired matching target(s).")
        specs.append(spec)
    result.questions = await insert_questions(bank_id, specs)
    return result


def _decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise UnsupportedFormat("GIFT files must be UTF-8 text.", field="input.file") from None


async def export_bank(bank: QuestionBank, format: str) -> str:
    """The bank's questions as GIFT or Moodle XML text (GIFT cannot hold ORDERING questions)."""
    questions = list(await Question.filter(bank_id=bank.id, retired_at__isnull=True).order_by("position", "id"))
    options = await options_by_question_id([q.id for q in questions])
    exported = [_to_imported(q, opts) for q, opts in zip(questions, options, strict=True)]
    if format == "GIFT":
        return write_gift(exported)
    return write_moodle_xml(exported).decode("utf-8")


async def export_bank_for(actor: Actor, bank_id: int, format: str) -> str:
    require_editor(actor)
    return await export_bank(await get_bank(actor, bank_id), format)


def _to_imported(question: Question, options: Sequence[QuestionOption]) -> ImportedQuestion:
    choices = sorted((o for o in options if o.role == OptionRole.OPTION), key=lambda o: o.key_position)
    targets = sorted((o for o in options if o.role == OptionRole.TARGET), key=lambda o: o.key_position)
    by_token = {t.token: t.text for t in targets}
    return ImportedQuestion(
        type=question.type.value,
        stem=question.stem,
        options=tuple(ImportedOption(o.text, o.correct, o.feedback) for o in choices),
        match_targets=tuple(by_token[o.match_token] for o in choices if o.match_token) if targets else (),
        accepted_answers=tuple(question.accepted_answers or ()),
        explanation=question.explanation,
        tags=tuple(question.tags or ()),
        difficulty=question.difficulty.value if question.difficulty else None,
    )
