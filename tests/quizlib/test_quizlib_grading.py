"""Grading rules, scores and question validation."""

from dataclasses import dataclass

import pytest

from quizlib.grading import (
    GivenAnswer,
    GradableQuestion,
    Problem,
    grade,
    normalize_text,
    score,
    validate_question,
)
from quizlib.model import ImportedOption


def test_normalize_folds_full_width_case_and_whitespace() -> None:
    assert normalize_text("ＡＢＣ　１") == "abc 1"
    assert normalize_text("  Methamphetamine \t\n 冰毒 ") == "methamphetamine 冰毒"
    assert normalize_text("６月２６日") == "6月26日"


def test_single_choice_and_true_false_need_exactly_the_correct_option() -> None:
    for kind in ("SINGLE_CHOICE", "TRUE_FALSE"):
        q = GradableQuestion(kind, correct_option_ids=frozenset({"a"}))
        assert grade(q, GivenAnswer(selected_option_ids=frozenset({"a"})))
        assert not grade(q, GivenAnswer(selected_option_ids=frozenset({"b"})))
        assert not grade(q, GivenAnswer(selected_option_ids=frozenset({"a", "b"})))
        assert not grade(q, GivenAnswer())


def test_multiple_choice_is_all_or_nothing() -> None:
    q = GradableQuestion("MULTIPLE_CHOICE", correct_option_ids=frozenset({"a", "c"}))
    assert grade(q, GivenAnswer(selected_option_ids=frozenset({"c", "a"})))
    assert not grade(q, GivenAnswer(selected_option_ids=frozenset({"a"})))
    assert not grade(q, GivenAnswer(selected_option_ids=frozenset({"a", "b", "c"})))


def test_fill_in_blank_compares_normalized_text() -> None:
    q = GradableQuestion("FILL_IN_BLANK", accepted_answers=("6月26日", "Methamphetamine HCl"))
    assert grade(q, GivenAnswer(text="６月２６日"))
    assert grade(q, GivenAnswer(text="  ＭＥＴＨＡＭＰＨＥＴＡＭＩＮＥ　　hcl "))
    assert not grade(q, GivenAnswer(text="6月"))
    assert not grade(q, GivenAnswer(text=None))
    assert not grade(GradableQuestion("FILL_IN_BLANK", accepted_answers=("",)), GivenAnswer(text=" "))


def test_matching_needs_every_pair_right_and_complete() -> None:
    q = GradableQuestion("MATCHING", matches={"o1": "t1", "o2": "t2"})
    assert grade(q, GivenAnswer(matches={"o2": "t2", "o1": "t1"}))
    assert not grade(q, GivenAnswer(matches={"o1": "t1"}))
    assert not grade(q, GivenAnswer(matches={"o1": "t2", "o2": "t1"}))
    assert not grade(q, GivenAnswer(matches={"o1": "t1", "o2": "t2", "o3": "t3"}))


def test_ordering_needs_the_exact_sequence() -> None:
    q = GradableQuestion("ORDERING", order=("a", "b", "c"))
    assert grade(q, GivenAnswer(order=("a", "b", "c")))
    assert not grade(q, GivenAnswer(order=("a", "c", "b")))
    assert not grade(q, GivenAnswer(order=("a", "b")))


def test_unknown_type_and_empty_key_are_never_correct() -> None:
    assert not grade(GradableQuestion("ESSAY"), GivenAnswer(text="x"))
    assert not grade(GradableQuestion("MULTIPLE_CHOICE"), GivenAnswer())


def test_score_is_a_rounded_percentage() -> None:
    assert score(2, 3) == 66.67
    assert score(3, 3) == 100.0
    assert score(0, 0) == 0.0
    with pytest.raises(ValueError):
        score(4, 3)


@dataclass
class _Option:
    """Stand-in for the GraphQL QuestionOptionInput (correct may be null)."""

    text: str
    correct: bool | None = None


def _fields(problems: list[Problem]) -> list[str]:
    assert all(p.code == "INVALID" and p.message for p in problems)
    return [p.field for p in problems]


def test_valid_questions_have_no_problems() -> None:
    assert (
        validate_question(type="SINGLE_CHOICE", stem="冰毒是？", options=[_Option("毒品", True), _Option("糖果")]) == []
    )
    assert (
        validate_question(
            type="TRUE_FALSE", stem="对吗", options=[ImportedOption("正确", True), ImportedOption("错误")]
        )
        == []
    )
    assert (
        validate_question(type="MULTIPLE_CHOICE", stem="多选", options=[_Option("a", True), _Option("b", True)]) == []
    )
    assert validate_question(type="FILL_IN_BLANK", stem="填空", accepted_answers=["6月26日"]) == []
    assert (
        validate_question(type="MATCHING", stem="配对", options=[_Option("a"), _Option("b")], match_targets=["1", "2"])
        == []
    )
    assert validate_question(type="ORDERING", stem="排序", options=[_Option("a"), _Option("b")]) == []


def test_empty_stem_and_unknown_type() -> None:
    assert _fields(validate_question(type="TRUE_FALSE", stem="  ", options=[_Option("对", True), _Option("错")])) == [
        "input.stem"
    ]
    assert _fields(validate_question(type="ESSAY", stem="x")) == ["input.type"]


def test_single_choice_needs_exactly_one_correct() -> None:
    two = validate_question(type="SINGLE_CHOICE", stem="s", options=[_Option("a", True), _Option("b", True)])
    none = validate_question(type="SINGLE_CHOICE", stem="s", options=[_Option("a"), _Option("b", None)])
    assert _fields(two) == _fields(none) == ["input.options"]


def test_true_false_needs_two_options_one_correct() -> None:
    problems = validate_question(
        type="TRUE_FALSE", stem="s", options=[_Option("a", True), _Option("b", True), _Option("c")]
    )
    assert _fields(problems) == ["input.options", "input.options"]


def test_multiple_choice_needs_two_options_and_a_correct_one() -> None:
    assert _fields(validate_question(type="MULTIPLE_CHOICE", stem="s", options=[_Option("a", True)])) == [
        "input.options"
    ]
    assert _fields(validate_question(type="MULTIPLE_CHOICE", stem="s", options=[_Option("a"), _Option("b")])) == [
        "input.options"
    ]


def test_matching_needs_equal_sides_and_two_pairs() -> None:
    unequal = validate_question(
        type="MATCHING", stem="s", options=[_Option("a"), _Option("b")], match_targets=["1", "2", "3"]
    )
    assert _fields(unequal) == ["input.matchTargets"]
    single = validate_question(type="MATCHING", stem="s", options=[_Option("a")], match_targets=["1"])
    assert _fields(single) == ["input.options"]
    blank_target = validate_question(
        type="MATCHING", stem="s", options=[_Option("a"), _Option("b")], match_targets=["1", " "]
    )
    assert _fields(blank_target) == ["input.matchTargets.1"]


def test_fill_in_needs_a_non_empty_accepted_answer() -> None:
    assert _fields(validate_question(type="FILL_IN_BLANK", stem="s", accepted_answers=["", "  "])) == [
        "input.acceptedAnswers"
    ]


def test_ordering_needs_two_items() -> None:
    assert _fields(validate_question(type="ORDERING", stem="s", options=[_Option("a")])) == ["input.options"]


def test_option_texts_must_be_non_empty_and_distinct() -> None:
    problems = validate_question(
        type="MULTIPLE_CHOICE",
        stem="s",
        options=[_Option("冰毒", True), _Option(""), _Option("ＢＩＮＧ"), _Option("bing")],
    )
    assert _fields(problems) == ["input.options.1.text", "input.options.3.text"]
    assert "repeats option 3" in problems[1].message
