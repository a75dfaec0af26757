"""Past quiz attempts of the demo learners, so that the accuracy trend and
the wrong-answer notebook have something to show.

The main demo learner (``demo-learner``, a middle-school student) practises
for three weeks: daily accuracy rises from about 60% to 95%, the way the
pilot's students went from 63% to 96%. Three questions stay in the
wrong-answer notebook (their latest answer is wrong): ``q-mc-03``,
``q-mt-14`` and ``q-fb-11``.

``quiz_key=None`` marks a practice attempt (PracticeMode.WRONG_ANSWERS); its
questions are ones the learner got wrong before. Attempts of the draw quiz
``quiz-626`` list the questions that were drawn (all from its bank).
"""

from __future__ import annotations

from .accounts import LEARNER_USERNAME, SECOND_LEARNER_USERNAME
from .shapes import DemoAttempt, DemoAttemptHistory

MIDDLE_QUIZ_KEYS = (
    "q-sc-01",
    "q-sc-02",
    "q-sc-05",
    "q-mc-02",
    "q-mc-03",
    "q-mc-04",
    "q-tf-02",
    "q-tf-10",
    "q-fb-01",
    "q-fb-02",
    "q-mt-05",
    "q-od-01",
)


def _attempt(quiz_key: str | None, days_ago: int, asked: tuple[str, ...] | list[str], wrong: set[str]) -> DemoAttempt:
    if not wrong <= set(asked):
        raise ValueError(f"demo attempt {quiz_key} {days_ago} days ago: wrong answers not asked: {wrong - set(asked)}")
    return DemoAttempt(
        quiz_key=quiz_key,
        days_ago=days_ago,
        answers={k: ("wrong" if k in wrong else "correct") for k in asked},
    )


ATTEMPT_HISTORY = DemoAttemptHistory(
    username=LEARNER_USERNAME,
    attempts=(
        # week 1: first tries, about 60%
        _attempt("quiz-middle", 21, MIDDLE_QUIZ_KEYS, {"q-sc-02", "q-mc-03", "q-tf-02", "q-fb-02", "q-mt-05"}),  # 7/12
        _attempt(
            "quiz-626",
            19,
            [
                "q-sc-01",
                "q-sc-07",
                "q-mc-10",
                "q-tf-01",
                "q-tf-13",
                "q-fb-03",
                "q-fb-11",
                "q-mt-03",
                "q-od-10",
                "q-od-16",
            ],
            {"q-sc-07", "q-fb-03", "q-fb-11", "q-mt-03"},
        ),  # 6/10
        _attempt(
            None, 16, ["q-sc-02", "q-mc-03", "q-tf-02", "q-mt-05", "q-sc-07", "q-mt-03"], {"q-mc-03", "q-mt-03"}
        ),  # 4/6
        # week 2: practising the wrong answers
        _attempt("quiz-middle", 14, MIDDLE_QUIZ_KEYS, {"q-mc-03", "q-fb-02", "q-mt-05", "q-od-01"}),  # 8/12
        _attempt(None, 11, ["q-mc-03", "q-fb-02", "q-mt-05", "q-od-01", "q-fb-03", "q-mt-03"], {"q-mc-03"}),  # 5/6
        _attempt("quiz-middle", 9, MIDDLE_QUIZ_KEYS, {"q-mc-03", "q-fb-02"}),  # 10/12
        # week 3: about 95%
        _attempt(
            "quiz-626",
            6,
            [
                "q-sc-02",
                "q-sc-16",
                "q-mc-02",
                "q-mc-14",
                "q-tf-10",
                "q-tf-14",
                "q-fb-01",
                "q-fb-15",
                "q-mt-14",
                "q-od-11",
            ],
            {"q-mt-14"},
        ),  # 9/10
        _attempt(None, 4, ["q-mc-03", "q-fb-02", "q-sc-07", "q-od-01"], set()),  # 4/4
        _attempt("quiz-middle", 1, MIDDLE_QUIZ_KEYS, {"q-mc-03"}),  # 11/12
        _attempt(
            None, 1, ["q-fb-02", "q-mt-05", "q-sc-07", "q-mt-03", "q-od-01", "q-fb-03", "q-tf-02", "q-sc-02"], set()
        ),  # 8/8
    ),
)

# A classmate with a shorter record, so the school's report has two learners.
SECOND_ATTEMPT_HISTORY = DemoAttemptHistory(
    username=SECOND_LEARNER_USERNAME,
    attempts=(
        _attempt("quiz-middle", 10, MIDDLE_QUIZ_KEYS, {"q-sc-02", "q-mc-03", "q-fb-02", "q-od-01"}),  # 8/12
        _attempt("quiz-middle", 3, MIDDLE_QUIZ_KEYS, {"q-fb-02", "q-mt-05"}),  # 10/12
    ),
)

ATTEMPT_HISTORIES: tuple[DemoAttemptHistory, ...] = (ATTEMPT_HISTORY, SECOND_ATTEMPT_HISTORY)
