"""GIFT reading and writing."""

import pytest
from quizlib_paths import OUR_FIXTURES, moodle_fixture

from resolvers.quizlib.gift import parse_gift, write_gift
from resolvers.quizlib.model import (
    FALSE_TEXT,
    TRUE_TEXT,
    ImportedOption,
    ImportedQuestion,
    true_false_options,
)


def _ours() -> tuple[list[ImportedQuestion], list]:
    return parse_gift((OUR_FIXTURES / "prevention.gift").read_text(encoding="utf-8"))


def _by_name(questions: list[ImportedQuestion], name: str) -> ImportedQuestion:
    return next(q for q in questions if q.name == name)


def test_single_choice_with_feedback_category_and_comment_tags() -> None:
    questions, _ = _ours()
    q = _by_name(questions, "冰毒的化学名")
    assert q.type == "SINGLE_CHOICE"
    assert q.stem == "冰毒的主要成分是什么？"
    assert [o.text for o in q.options] == ["甲基苯丙胺", "咖啡因", "尼古丁", "乙醇"]
    assert [o.correct for o in q.options] == [True, False, False, False]
    assert q.options[0].feedback == "正确！冰毒即甲基苯丙胺，因外观似冰块而得名。"
    assert q.explanation == "冰毒是一种人工合成的苯丙胺类兴奋剂，极易成瘾。"
    # "$course$/top/毒品知识/冰毒" plus "// [tag:初中] [tag:difficulty:EASY]"
    assert q.tags == ("毒品知识", "冰毒", "初中")
    assert q.difficulty == "EASY"


def test_weighted_answers_make_multiple_choice() -> None:
    q = _by_name(_ours()[0], "冰毒的危害")
    assert q.type == "MULTIPLE_CHOICE"
    assert q.stem == "吸食**冰毒**可能造成下列哪些危害？（多选）"
    assert [o.correct for o in q.options] == [True, True, True, False]
    assert q.options[3].feedback == "错！这是毒贩常用的谎言。"


def test_true_false_feedback_goes_to_the_option_chosen() -> None:
    q = _by_name(_ours()[0], "奶茶伪装")
    assert q.type == "TRUE_FALSE"
    assert [(o.text, o.correct) for o in q.options] == [(TRUE_TEXT, False), (FALSE_TEXT, True)]
    # {F#wrong#right}: picking TRUE is wrong, so TRUE gets the first feedback.
    assert q.options[0].feedback is not None and q.options[0].feedback.startswith("答错了")
    assert q.options[1].feedback is not None and q.options[1].feedback.startswith("答对了")
    assert q.explanation == "不接受陌生人给的饮料和零食。"
    assert q.tags == ("毒品知识", "新型毒品")


def test_short_answer_accepts_only_full_credit_and_keeps_feedback() -> None:
    q = _by_name(_ours()[0], "禁毒日")
    assert q.type == "FILL_IN_BLANK"
    assert q.accepted_answers == ("6月26日", "六月二十六日")
    assert q.options == ()
    assert q.explanation is not None and "- 6月: 只答对了月份。" in q.explanation


def test_missing_word_gets_a_blank_in_the_stem() -> None:
    q = _by_name(_ours()[0], "禁毒法")
    assert q.type == "FILL_IN_BLANK"
    assert q.stem == "《中华人民共和国禁毒法》自 _____ 起施行。"
    assert q.accepted_answers == ("2008年6月1日", "2008年6月1号")


def test_matching_with_escapes_and_a_distractor() -> None:
    q = _by_name(_ours()[0], "拒绝方法配对")
    assert q.type == "MATCHING"
    assert q.stem == "请把拒毒场景与合适的做法配对: 使用转义字符 { } = ~ # 仍能正常显示。"
    assert q.options[0].text == '朋友递来"提神饮料"'
    assert q.match_targets[0] == '明确说"不"，并离开现场'
    assert len(q.match_targets) == len(q.options) + 1  # the "= -> ..." distractor comes last
    assert q.match_targets[-1] == "出于好奇偷偷尝试一次"
    assert q.tags == ("拒毒技巧",)


def test_unsupported_questions_are_skipped_with_a_reason_naming_them() -> None:
    questions, skipped = _ours()
    assert len(questions) == 6
    assert [s.name for s in skipped] == ["如何拒绝毒品（论述）", "禁毒法施行年份"]
    assert "如何拒绝毒品（论述）" in skipped[0].reason and "essay" in skipped[0].reason
    assert "numerical" in skipped[1].reason


def test_description_without_answers_is_skipped() -> None:
    questions, skipped = parse_gift("::说明::本节共 10 题。")
    assert questions == []
    assert skipped[0].name == "说明" and "description" in skipped[0].reason


def test_unclosed_answer_block_is_skipped_not_fatal() -> None:
    questions, skipped = parse_gift("::坏题::冰毒是{=毒品\n\n::好题::海洛因是毒品。{T}")
    assert [q.name for q in questions] == ["好题"]
    assert "never closed" in skipped[0].reason


def test_escapes_backslash_and_newline() -> None:
    (q,), _ = parse_gift(r"路径 C\\temp\n第二行 \{ok\}{T}")
    assert q.stem == "路径 C\\temp\n第二行 {ok}"


def test_html_stem_is_converted_to_text() -> None:
    (q,), _ = parse_gift("[html]<p>冰毒<b>不是</b>&ldquo;糖&rdquo;</p><script>x()</script>{T}")
    assert q.stem == "冰毒**不是**“糖”"


def test_round_trip_every_type_chinese_and_escapes() -> None:
    questions = [
        ImportedQuestion(
            type="SINGLE_CHOICE",
            name="题:一",
            stem="冰毒 = 甲基苯丙胺？{是} ~ #1\n第二行",
            options=(ImportedOption("是 {对}", True, "反馈 # 井号"), ImportedOption("[否]", False)),
            explanation="说明: a\\b",
            tags=("冰毒", "初中"),
            difficulty="HARD",
        ),
        ImportedQuestion(
            type="MULTIPLE_CHOICE",
            stem="多选",
            options=(
                ImportedOption("甲", True),
                ImportedOption("乙", True),
                ImportedOption("丙", True),
                ImportedOption("丁", False, "不对"),
            ),
        ),
        ImportedQuestion(
            type="TRUE_FALSE", stem="6月26日是国际禁毒日。", options=true_false_options(True, false_feedback="就是这天")
        ),
        ImportedQuestion(
            type="TRUE_FALSE",
            stem="吸毒一次不会上瘾。",
            options=true_false_options(False, true_feedback="错", false_feedback="对"),
            explanation="任何一次都可能成瘾",
        ),
        ImportedQuestion(
            type="FILL_IN_BLANK",
            stem="冰毒的化学名是 _____。",
            accepted_answers=("甲基苯丙胺", "methamphetamine"),
            explanation="见课本",
        ),
        ImportedQuestion(
            type="MATCHING",
            stem="配对",
            options=(ImportedOption("海洛因"), ImportedOption("冰毒")),
            match_targets=("阿片类", "苯丙胺类", "干扰项"),
        ),
    ]
    back, skipped = parse_gift(write_gift(questions))
    assert skipped == []
    assert back == questions


def test_round_trip_of_our_fixture() -> None:
    questions, _ = _ours()
    assert parse_gift(write_gift(questions))[0] == questions


def test_written_category_comes_back_as_tags() -> None:
    q = ImportedQuestion(type="TRUE_FALSE", stem="对吗", options=true_false_options(True))
    text = write_gift([q], category="$course$/top/毒品知识")
    assert "$CATEGORY: $course$/top/毒品知识" in text
    assert parse_gift(text)[0][0].tags == ("毒品知识",)


def test_ordering_cannot_be_written_as_gift_and_says_so() -> None:
    q = ImportedQuestion(
        type="ORDERING", stem="排序", name="步骤", options=(ImportedOption("一"), ImportedOption("二"))
    )
    text = write_gift([q])
    assert "Skipped ORDERING question 步骤" in text
    assert parse_gift(text) == ([], [])


# ------------------------------------------------------- Moodle's own samples


def test_moodle_format_php_examples() -> None:
    text = moodle_fixture("giftFormatPhpExamples.gift").read_text(encoding="utf-8")
    questions, skipped = parse_gift(text)
    kinds = [q.type for q in questions]
    assert kinds == [
        "SINGLE_CHOICE",
        "SINGLE_CHOICE",
        "TRUE_FALSE",
        "FILL_IN_BLANK",
        "MATCHING",
        "SINGLE_CHOICE",
        "SINGLE_CHOICE",
        "FILL_IN_BLANK",
    ]
    assert questions[1].stem == "Grant is _____ in Grant's tomb."
    assert questions[3].accepted_answers == ("no one", "nobody")
    assert questions[4].match_targets == ("Ottawa", "Rome", "Tokyo")
    # "~%50%half credit answer": partial credit is not correct in all-or-nothing grading.
    assert [o.correct for o in questions[6].options] == [False, False, True]
    assert questions[7].accepted_answers == ("Nazareth",)
    # The numerical questions (the essay shares the numerical one's block) are skipped.
    assert all("numerical" in s.reason for s in skipped) and len(skipped) == 2


def test_moodle_questions_fixture() -> None:
    questions, skipped = parse_gift(moodle_fixture("questions.gift.txt").read_text(encoding="utf-8"))
    by_name = {q.name: q for q in questions}
    matching = by_name["Moodle activities"]
    assert matching.stem == "Match the **activity** to the description."
    assert matching.match_targets[-1] == "Chat" and len(matching.options) == 4
    assert by_name["Q2"].options[1].feedback == "wrong, it's yellow"
    assert [o.correct for o in by_name["colours"].options] == [True, False, True, False]
    assert by_name["Shortanswer"].accepted_answers == ("Frog",)
    q1 = by_name["Q1"]
    assert q1.stem == "42 is the Absolute Answer to everything."  # the stray `";` is dropped
    assert q1.options[1].correct and q1.options[1].feedback == "You gave the right answer."
    assert q1.explanation == "This is, of course, a Hitchiker's Guide to the Galaxy reference."
    assert by_name["2-08 TSL"].options[0].correct
    assert sorted(s.name or "" for s in skipped) == ["Q5", "Q8"]


def test_moodle_questions_in_category_fixture() -> None:
    text = moodle_fixture("questions_in_category.gift.txt").read_text(encoding="utf-8")
    questions, skipped = parse_gift(text)
    assert skipped == []
    assert {q.tags for q in questions} == {("Default for New Features",)}
    greeting = next(q for q in questions if q.name == "Greeting")
    assert greeting.stem.startswith("[Listen to this greeting:](http://demo.moodle.net/")
    assert greeting.options[1] == ImportedOption("French", True, "Yes, well done!")
    assert next(q for q in questions if q.name == "Moodle user").accepted_answers == ("Moodler",)


@pytest.mark.parametrize("name", ["giftFormatPhpExamples.gift", "questions.gift.txt", "questions_in_category.gift.txt"])
def test_moodle_samples_round_trip(name: str) -> None:
    questions, _ = parse_gift(moodle_fixture(name).read_text(encoding="utf-8"))
    assert parse_gift(write_gift(questions))[0] == questions
