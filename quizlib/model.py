"""Neutral, format-independent shape of a question as imported or exported."""

from __future__ import annotations

from dataclasses import dataclass

SINGLE_CHOICE = "SINGLE_CHOICE"
MULTIPLE_CHOICE = "MULTIPLE_CHOICE"
TRUE_FALSE = "TRUE_FALSE"
FILL_IN_BLANK = "FILL_IN_BLANK"
MATCHING = "MATCHING"
ORDERING = "ORDERING"
QUESTION_TYPES = frozenset({SINGLE_CHOICE, MULTIPLE_CHOICE, TRUE_FALSE, FILL_IN_BLANK, MATCHING, ORDERING})

DIFFICULTIES = ("EASY", "MEDIUM", "HARD")

# TRUE_FALSE questions always carry these two options, in this order; the
# formats only say which one is right, so the texts are ours to choose.
TRUE_TEXT = "正确"
FALSE_TEXT = "错误"


@dataclass(frozen=True)
class ImportedOption:
    """One answer option; `correct` is unused for MATCHING and ORDERING."""

    text: str
    correct: bool = False
    feedback: str | None = None


@dataclass(frozen=True)
class ImportedQuestion:
    """A question read from (or written to) GIFT or Moodle XML.

    Conventions:
    - TRUE_FALSE: options are exactly (TRUE_TEXT, FALSE_TEXT), one marked correct.
    - MATCHING: option i matches target i; targets past the last option are
      distractors (Moodle allows them, our contract does not).
    - ORDERING: options are in the correct order.
    - FILL_IN_BLANK: no options; `accepted_answers` hold the fully correct answers,
      and per-answer feedback is folded into `explanation` on import.
    - `explanation` is the general feedback; per-option feedback stays on options.
    """

    type: str
    stem: str
    name: str | None = None
    options: tuple[ImportedOption, ...] = ()
    match_targets: tuple[str, ...] = ()
    accepted_answers: tuple[str, ...] = ()
    explanation: str | None = None
    tags: tuple[str, ...] = ()
    difficulty: str | None = None


@dataclass(frozen=True)
class Skipped:
    """A question that was read but cannot be imported, and why."""

    name: str | None
    reason: str


def true_false_options(
    answer: bool, *, true_feedback: str | None = None, false_feedback: str | None = None
) -> tuple[ImportedOption, ...]:
    """Build the two standard TRUE_FALSE options with `answer` marked correct."""
    return (
        ImportedOption(TRUE_TEXT, answer, true_feedback),
        ImportedOption(FALSE_TEXT, not answer, false_feedback),
    )


def true_false_answer(question: ImportedQuestion) -> bool:
    """Return the right answer of a TRUE_FALSE question (its first option is 'true')."""
    return bool(question.options) and question.options[0].correct
