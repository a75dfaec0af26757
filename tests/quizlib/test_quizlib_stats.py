"""Moodle-style facility and discrimination, checked against hand computation."""

import pytest

from quizlib.stats import QuestionStatValue, correlation, question_stats

# Five attempts at a three-question quiz; q3 was not drawn in attempt 4.
#
#            q1  q2  q3   total
#   A1        1   1   1     3
#   A2        1   1   0     2
#   A3        1   0   1     2
#   A4        0   0   -     0
#   A5        0   1   1     2
ATTEMPTS = [
    {"q1": 1.0, "q2": 1.0, "q3": 1.0},
    {"q1": 1.0, "q2": 1.0, "q3": 0.0},
    {"q1": 1.0, "q2": 0.0, "q3": 1.0},
    {"q1": 0.0, "q2": 0.0},
    {"q1": 0.0, "q2": 1.0, "q3": 1.0},
]


def test_hand_computed_statistics() -> None:
    stats = question_stats(ATTEMPTS)
    # q1: x = [1,1,1,0,0], rest = total - x = [2,1,1,0,2]
    #   F = 3/5 = 0.6; mean rest = 6/5 = 1.2
    #   dx = [.4,.4,.4,-.6,-.6], dr = [.8,-.2,-.2,-1.2,.8]
    #   Sxy = .32 - .08 - .08 + .72 - .48 = 0.4
    #   Sxx = 3(.16) + 2(.36) = 1.2;  Srr = .64 + .04 + .04 + 1.44 + .64 = 2.8
    #   r = 0.4 / sqrt(1.2 * 2.8) = 0.4 / sqrt(3.36) = 0.21822
    assert stats["q1"] == QuestionStatValue(5, 3, pytest.approx(0.6), pytest.approx(0.218218, abs=1e-6))
    # q2: x = [1,1,0,0,1], rest = [2,1,2,0,1]
    #   F = 0.6; mean rest 1.2; dx = [.4,.4,-.6,-.6,.4], dr = [.8,-.2,.8,-1.2,-.2]
    #   Sxy = .32 - .08 - .48 + .72 - .08 = 0.4;  Srr = .64+.04+.64+1.44+.04 = 2.8
    #   r = 0.4 / sqrt(3.36) = 0.21822
    assert stats["q2"] == QuestionStatValue(5, 3, pytest.approx(0.6), pytest.approx(0.218218, abs=1e-6))
    # q3 (A1, A2, A3, A5 only): x = [1,0,1,1], rest = [2,2,1,1]
    #   F = 3/4 = 0.75; mean rest 1.5; dx = [.25,-.75,.25,.25], dr = [.5,.5,-.5,-.5]
    #   Sxy = .125 - .375 - .125 - .125 = -0.5;  Sxx = 3(.0625) + .5625 = .75;  Srr = 1
    #   r = -0.5 / sqrt(.75) = -0.57735  (the one who missed q3 did well elsewhere)
    assert stats["q3"] == QuestionStatValue(4, 3, pytest.approx(0.75), pytest.approx(-0.577350, abs=1e-6))


def test_discrimination_needs_two_attempts_and_variance() -> None:
    assert question_stats([{"q": 1.0, "r": 0.0}])["q"].discrimination is None
    everyone_right = question_stats([{"q": 1.0, "r": 0.0}, {"q": 1.0, "r": 1.0}])["q"]
    assert everyone_right == QuestionStatValue(2, 2, 1.0, None)
    single_question = question_stats([{"q": 1.0}, {"q": 0.0}])["q"]
    assert single_question.discrimination is None  # rest of test is always 0


def test_no_attempts() -> None:
    assert question_stats([]) == {}


def test_correlation_is_clamped_and_checks_lengths() -> None:
    assert correlation([0, 1, 2], [0, 2, 4]) == 1.0
    assert correlation([0, 1], [1, 0]) == -1.0
    with pytest.raises(ValueError):
        correlation([1, 2], [1])
