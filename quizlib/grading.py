"""Pure grading and validation of questions; all-or-nothing, as the contract scores."""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import NamedTuple, Protocol

from quizlib.model import (
    FILL_IN_BLANK,
    MATCHING,
    MULTIPLE_CHOICE,
    ORDERING,
    QUESTION_TYPES,
    SINGLE_CHOICE,
    TRUE_FALSE,
)

INVALID = "INVALID"


@dataclass(frozen=True)
class GradableQuestion:
    """The answer key of one question, in terms of option and target ids."""

    type: str
    correct_option_ids: frozenset[str] = frozenset()
    accepted_answers: tuple[str, ...] = ()
    matches: Mapping[str, str] = field(default_factory=dict)  # option id -> target id
    order: tuple[str, ...] = ()


@dataclass(frozen=True)
class GivenAnswer:
    """What a learner submitted for one question."""

    selected_option_ids: frozenset[str] = frozenset()
    text: str | None = None
    matches: Mapping[str, str] = field(default_factory=dict)
    order: tuple[str, ...] = ()


def normalize_text(s: str) -> str:
    """Fold width, case and whitespace so "ＡＢＣ　１" and " abc 1" compare equal."""
    folded = unicodedata.normalize("NFKC", s).casefold()
    # casefold can produce characters NFKC would change again (e.g. "ﬀ" cases).
    return " ".join(unicodedata.normalize("NFKC", folded).split())


def grade(question: GradableQuestion, answer: GivenAnswer) -> bool:
    """Whether the answer is fully correct; unknown types are never correct."""
    grader = _GRADERS.get(question.type)
    return grader(question, answer) if grader else False


def _grade_single(question: GradableQuestion, answer: GivenAnswer) -> bool:
    """Exactly one option selected, and it is the one correct option."""
    return len(question.correct_option_ids) == 1 and answer.selected_option_ids == question.correct_option_ids


def _grade_multiple(question: GradableQuestion, answer: GivenAnswer) -> bool:
    """All-or-nothing: the selected set equals the correct set."""
    return bool(question.correct_option_ids) and frozenset(answer.selected_option_ids) == question.correct_option_ids


def _grade_fill_in(question: GradableQuestion, answer: GivenAnswer) -> bool:
    """Normalized text equals any normalized accepted answer."""
    given = normalize_text(answer.text or "")
    accepted = {normalize_text(a) for a in question.accepted_answers} - {""}
    return bool(given) and given in accepted


def _grade_matching(question: GradableQuestion, answer: GivenAnswer) -> bool:
    """Every option matched, each to its right target, and nothing else."""
    return bool(question.matches) and dict(answer.matches) == dict(question.matches)


def _grade_ordering(question: GradableQuestion, answer: GivenAnswer) -> bool:
    """The exact sequence."""
    return bool(question.order) and tuple(answer.order) == question.order


_GRADERS = {
    SINGLE_CHOICE: _grade_single,
    TRUE_FALSE: _grade_single,
    MULTIPLE_CHOICE: _grade_multiple,
    FILL_IN_BLANK: _grade_fill_in,
    MATCHING: _grade_matching,
    ORDERING: _grade_ordering,
}


def score(correct_count: int, total: int) -> float:
    """Percentage 0..100 of correct answers, rounded to 2 decimals; 0 for an empty quiz."""
    if total < 0 or not 0 <= correct_count <= max(total, 0):
        raise ValueError(f"cannot score {correct_count} correct out of {total}")
    return round(100 * correct_count / total, 2) if total else 0.0


# -------------------------------------------------------------- validation


class Problem(NamedTuple):
    """One problem with a question input: (field path, ErrorCode, message)."""

    field: str
    code: str
    message: str


class OptionLike(Protocol):
    """Anything with an option's text and correctness (contract input, ImportedOption)."""

    @property
    def text(self) -> str: ...

    @property
    def correct(self) -> bool | None: ...


def validate_question(
    *,
    type: str,
    stem: str,
    options: Sequence[OptionLike] = (),
    match_targets: Sequence[str] = (),
    accepted_answers: Sequence[str] = (),
) -> list[Problem]:
    """List what is wrong with a question input; empty when it can be saved."""
    if type not in QUESTION_TYPES:
        return [Problem("input.type", INVALID, f"unknown question type {type!r}")]
    problems: list[Problem] = []
    if not stem.strip():
        problems.append(Problem("input.stem", INVALID, "the question text must not be empty"))
    if type != FILL_IN_BLANK:
        problems += _option_text_problems(options)
    problems += _TYPE_CHECKS[type](options, match_targets, accepted_answers)
    return problems


def _option_text_problems(options: Sequence[OptionLike]) -> list[Problem]:
    """Empty option texts and duplicates (after normalization, as learners would see them)."""
    return _text_problems([o.text for o in options], "input.options.{}.text", "option")


def _text_problems(texts: Sequence[str], path: str, noun: str) -> list[Problem]:
    """Empty and duplicate entries of a list of texts; `path` has a {} for the index."""
    problems: list[Problem] = []
    seen: dict[str, int] = {}
    for index, text in enumerate(texts):
        key = normalize_text(text)
        if not key:
            problems.append(Problem(path.format(index), INVALID, f"{noun} {index + 1} is empty"))
        elif key in seen:
            problems.append(Problem(path.format(index), INVALID, f"{noun} {index + 1} repeats {noun} {seen[key] + 1}"))
        else:
            seen[key] = index
    return problems


def _correct_count(options: Sequence[OptionLike]) -> int:
    """How many options are marked correct."""
    return sum(bool(o.correct) for o in options)


def _check_single(options: Sequence[OptionLike], _t: Sequence[str], _a: Sequence[str]) -> list[Problem]:
    """Single choice: two or more options, exactly one correct."""
    problems = _at_least(options, 2)
    if _correct_count(options) != 1:
        problems.append(Problem("input.options", INVALID, "exactly one option must be correct"))
    return problems


def _check_true_false(options: Sequence[OptionLike], _t: Sequence[str], _a: Sequence[str]) -> list[Problem]:
    """True/false: exactly two options, exactly one correct."""
    problems: list[Problem] = []
    if len(options) != 2:
        problems.append(Problem("input.options", INVALID, "a true/false question has exactly two options"))
    if _correct_count(options) != 1:
        problems.append(Problem("input.options", INVALID, "exactly one option must be correct"))
    return problems


def _check_multiple(options: Sequence[OptionLike], _t: Sequence[str], _a: Sequence[str]) -> list[Problem]:
    """Multiple choice: two or more options, at least one correct."""
    problems = _at_least(options, 2)
    if _correct_count(options) < 1:
        problems.append(Problem("input.options", INVALID, "at least one option must be correct"))
    return problems


def _check_matching(options: Sequence[OptionLike], targets: Sequence[str], _a: Sequence[str]) -> list[Problem]:
    """Matching: two or more pairs, one target per option, targets non-empty and distinct."""
    problems = _at_least(options, 2, noun="pairs")
    if len(targets) != len(options):
        problems.append(
            Problem(
                "input.matchTargets",
                INVALID,
                f"{len(options)} options need exactly {len(options)} match targets, got {len(targets)}",
            )
        )
    return problems + _text_problems(targets, "input.matchTargets.{}", "match target")


def _check_fill_in(_o: Sequence[OptionLike], _t: Sequence[str], accepted: Sequence[str]) -> list[Problem]:
    """Fill in the blank: at least one non-empty accepted answer."""
    if any(a.strip() for a in accepted):
        return []
    return [Problem("input.acceptedAnswers", INVALID, "at least one accepted answer is needed")]


def _check_ordering(options: Sequence[OptionLike], _t: Sequence[str], _a: Sequence[str]) -> list[Problem]:
    """Ordering: two or more items."""
    return _at_least(options, 2, noun="items")


def _at_least(options: Sequence[OptionLike], count: int, noun: str = "options") -> list[Problem]:
    """A problem when there are fewer than `count` options."""
    if len(options) >= count:
        return []
    return [Problem("input.options", INVALID, f"at least {count} {noun} are needed, got {len(options)}")]


_TYPE_CHECKS = {
    SINGLE_CHOICE: _check_single,
    TRUE_FALSE: _check_true_false,
    MULTIPLE_CHOICE: _check_multiple,
    MATCHING: _check_matching,
    FILL_IN_BLANK: _check_fill_in,
    ORDERING: _check_ordering,
}
