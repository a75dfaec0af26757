"""Per-question quiz statistics as Moodle defines them (facility, discrimination).

See docs/quiz-statistics.md for the formulas and a worked example.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class QuestionStatValue:
    """Statistics of one question over a set of attempts."""

    answered: int
    correct: int
    facility: float | None  # 0..1; Moodle shows it as a percentage
    discrimination: float | None  # -1..1; Moodle shows 100 times this


def question_stats(attempt_scores: Sequence[Mapping[str, float]]) -> dict[str, QuestionStatValue]:
    """Facility and discrimination of every question seen in the attempts.

    Each attempt maps question key -> score fraction 0..1 (0/1 for our
    all-or-nothing grading); a question an attempt did not contain is absent.
    """
    keys = dict.fromkeys(key for attempt in attempt_scores for key in attempt)
    return {key: _stat(key, attempt_scores) for key in keys}


def _stat(key: str, attempt_scores: Sequence[Mapping[str, float]]) -> QuestionStatValue:
    """Statistics of one question over the attempts that contained it."""
    scores = [attempt[key] for attempt in attempt_scores if key in attempt]
    # Rest of test: the attempt's total without this question, so the question
    # is not correlated with itself (that would inflate the index).
    rests = [math.fsum(attempt.values()) - attempt[key] for attempt in attempt_scores if key in attempt]
    return QuestionStatValue(
        answered=len(scores),
        correct=sum(1 for s in scores if s >= 1),
        facility=math.fsum(scores) / len(scores) if scores else None,
        discrimination=correlation(scores, rests),
    )


def correlation(xs: Sequence[float], ys: Sequence[float]) -> float | None:
    """Pearson correlation of two equal-length samples; None if undefined."""
    if len(xs) != len(ys):
        raise ValueError("samples must have the same length")
    if len(xs) < 2:
        return None
    mean_x, mean_y = math.fsum(xs) / len(xs), math.fsum(ys) / len(ys)
    sxy = math.fsum((x - mean_x) * (y - mean_y) for x, y in zip(xs, ys, strict=True))
    sxx = math.fsum((x - mean_x) ** 2 for x in xs)
    syy = math.fsum((y - mean_y) ** 2 for y in ys)
    if sxx <= 1e-12 or syy <= 1e-12:
        return None
    # Clamp: rounding can push a perfect correlation a hair past 1.
    return max(-1.0, min(1.0, sxy / math.sqrt(sxx * syy)))
