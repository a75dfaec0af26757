"""HTML to text conversion and category paths."""

from quizlib.text import category_tags, html_to_text, merge_tags, split_difficulty


def test_html_to_text_drops_markup_scripts_and_unsafe_links() -> None:
    source = (
        "<p>第一段&nbsp;&lt;注意&gt;</p><script>alert(1)</script><style>p{}</style>"
        '<ul><li>甲</li><li><em>乙</em></li></ul><a href="javascript:alert(1)">点我</a>'
        '<img src="x.png" alt="图片说明" onerror="alert(1)">'
    )
    assert html_to_text(source) == "第一段 <注意>\n\n- 甲\n- *乙*\n\n点我图片说明"


def test_html_to_text_keeps_web_links_as_markdown() -> None:
    assert (
        html_to_text('听<a href="https://example.org/a.mp3">录音</a><br>再答')
        == "听[录音](https://example.org/a.mp3)\n再答"
    )


def test_category_tags() -> None:
    assert category_tags("$course$/top/毒品知识/冰毒") == ["毒品知识", "冰毒"]
    assert category_tags("$system$/top/A//B/C") == ["A/B", "C"]
    assert category_tags("") == []


def test_merge_and_difficulty_tags() -> None:
    assert merge_tags(["a", "b"], ("b", "c", "")) == ("a", "b", "c")
    assert split_difficulty(["初中", "Difficulty:hard"]) == (["初中"], "HARD")
    assert split_difficulty(["difficulty:extreme"]) == (["difficulty:extreme"], None)
