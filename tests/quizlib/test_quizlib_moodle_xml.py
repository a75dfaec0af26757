"""Moodle XML reading, writing, and refusal of hostile XML."""

import pytest
from quizlib_paths import OUR_FIXTURES, moodle_fixture

from quizlib.errors import FormatError
from quizlib.gift import parse_gift
from quizlib.model import ImportedOption, ImportedQuestion, true_false_options
from quizlib.moodle_xml import parse_moodle_xml, write_moodle_xml

BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
]>
<quiz><question type="truefalse"><questiontext><text>&lol4;</text></questiontext></question></quiz>
"""

EXTERNAL_ENTITY = b"""<?xml version="1.0"?>
<!DOCTYPE quiz [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<quiz><question type="truefalse"><questiontext><text>&xxe;</text></questiontext></question></quiz>
"""


def _ours() -> tuple[list[ImportedQuestion], list]:
    return parse_moodle_xml((OUR_FIXTURES / "prevention.xml").read_bytes())


def _by_name(questions: list[ImportedQuestion], name: str) -> ImportedQuestion:
    return next(q for q in questions if q.name == name)


def test_single_choice_from_html_cdata() -> None:
    q = _by_name(_ours()[0], "冰毒的化学名")
    assert q.type == "SINGLE_CHOICE"
    assert q.stem == "冰毒的**主要成分**是什么？"
    assert q.options[0] == ImportedOption("甲基苯丙胺", True, "正确！")
    # plain_text answers keep their characters; &lt; &gt; were only XML escapes
    assert q.options[2] == ImportedOption("尼古丁 <烟草>", False, None)
    # &nbsp; and &amp; inside HTML become plain characters
    assert q.explanation == "冰毒是一种人工合成的苯丙胺类兴奋剂，极易成瘾 & 危害极大。"
    assert q.tags == ("毒品知识", "冰毒", "初中")
    assert q.difficulty == "EASY"


def test_multiple_choice_positive_fractions_are_correct() -> None:
    q = _by_name(_ours()[0], "冰毒的危害")
    assert q.type == "MULTIPLE_CHOICE"
    assert [o.correct for o in q.options] == [True, True, False]


def test_true_false_strips_script_and_keeps_feedback() -> None:
    q = _by_name(_ours()[0], "奶茶伪装")
    assert q.type == "TRUE_FALSE"
    assert q.stem == "新型毒品外观花哨，像“奶茶”、“邮票”、“跳跳糖”的东西*一定不是*毒品。"
    assert "alert" not in q.stem and "<" not in q.stem
    assert [o.correct for o in q.options] == [False, True]
    assert q.options[1].feedback == "答对了！"
    # HTML escaped as entities instead of CDATA is converted too
    assert q.explanation == "不接受陌生人给的饮料和零食。"
    assert q.tags == ("毒品知识", "新型毒品")


def test_short_answer() -> None:
    q = _by_name(_ours()[0], "禁毒日")
    assert q.type == "FILL_IN_BLANK"
    assert q.accepted_answers == ("6月26日", "六月二十六日")
    assert q.explanation == "1987年联合国确定每年6月26日为“国际禁毒日”。\n\n- 6月26日: 对！\n- 6月: 只答对了月份。"


def test_matching() -> None:
    q = _by_name(_ours()[0], "拒绝方法配对")
    assert [o.text for o in q.options] == ["朋友递来“提神饮料”", "聚会上有人劝你“试一口”", "陌生人在网上推销“减肥药”"]
    assert q.match_targets == (
        "明确说“不”，并离开现场",
        "找借口转移话题，及时告诉家长或老师",
        "拒绝购买并向公安机关举报",
    )
    assert q.tags == ("拒毒技巧",)


def test_ordering_follows_fraction_not_file_order() -> None:
    q = _by_name(_ours()[0], "遇到毒品诱惑时的步骤")
    assert q.type == "ORDERING"
    assert [o.text for o in q.options] == [
        "识别诱惑（如“免费尝一口”）",
        "坚决说“不”",
        "迅速离开现场",
        "告诉家长、老师或拨打110",
    ]


def test_unsupported_types_are_skipped_with_reasons() -> None:
    questions, skipped = _ours()
    assert len(questions) == 6
    assert [s.name for s in skipped] == ["如何拒绝毒品（论述）", "禁毒法施行年份"]
    assert "'essay'" in skipped[0].reason and "如何拒绝毒品（论述）" in skipped[0].reason
    assert "'numerical'" in skipped[1].reason


def test_billion_laughs_is_refused() -> None:
    with pytest.raises(FormatError, match="refused"):
        parse_moodle_xml(BILLION_LAUGHS)


def test_external_entity_is_refused() -> None:
    with pytest.raises(FormatError, match="refused") as caught:
        parse_moodle_xml(EXTERNAL_ENTITY)
    assert "root:" not in caught.value.message


def test_broken_and_foreign_xml_are_format_errors() -> None:
    with pytest.raises(FormatError, match="not well-formed"):
        parse_moodle_xml(b"<quiz><question>")
    with pytest.raises(FormatError, match="<html>"):
        parse_moodle_xml(b"<html></html>")


def test_round_trip_every_type_chinese_and_escapes() -> None:
    questions = [
        ImportedQuestion(
            type="SINGLE_CHOICE",
            name='<题> & "一"',
            stem="冰毒 <b>不是</b> 糖 & ]]> 结束",
            options=(ImportedOption("是 <对>", True, "反馈 & 说明"), ImportedOption("否", False)),
            explanation="**说明**\n第二行",
            tags=("冰毒", "初中"),
            difficulty="MEDIUM",
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
            type="TRUE_FALSE",
            stem="6月26日是国际禁毒日。",
            options=true_false_options(True, true_feedback="对", false_feedback="就是这天"),
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
        ImportedQuestion(
            type="ORDERING",
            stem="排序",
            options=(ImportedOption("识别"), ImportedOption("拒绝"), ImportedOption("离开")),
        ),
    ]
    back, skipped = parse_moodle_xml(write_moodle_xml(questions))
    assert skipped == []
    assert back == questions


def test_round_trip_of_our_fixtures_including_gift_to_xml() -> None:
    questions, _ = _ours()
    assert parse_moodle_xml(write_moodle_xml(questions))[0] == questions
    from_gift, _ = parse_gift((OUR_FIXTURES / "prevention.gift").read_text(encoding="utf-8"))
    assert parse_moodle_xml(write_moodle_xml(from_gift))[0] == from_gift


def test_written_category_comes_back_as_tags() -> None:
    q = ImportedQuestion(type="TRUE_FALSE", stem="对吗", options=true_false_options(False))
    data = write_moodle_xml([q], category="毒品知识/冰毒")
    assert "$course$/top/毒品知识/冰毒" in data.decode("utf-8")
    assert parse_moodle_xml(data)[0][0].tags == ("毒品知识", "冰毒")


def test_moodle_nested_categories_fixture() -> None:
    questions, skipped = parse_moodle_xml(moodle_fixture("nested_categories_with_questions.xml").read_bytes())
    assert [(q.name, q.tags) for q in questions] == [
        ("Iota Question", ("Iota",)),
        ("Kappa Question", ("Iota", "Kappa")),
        ("Lambda Question", ("Iota", "Kappa", "Lambda")),
        ("Mu Question", ("Iota", "Mu")),
    ]
    assert all(q.type == "TRUE_FALSE" and q.options[0].correct for q in questions)
    assert questions[0].stem == "Testing Iota Question"
    assert [s.name for s in skipped] == ["Kappa Essay Question"]
    assert parse_moodle_xml(write_moodle_xml(questions))[0] == questions
