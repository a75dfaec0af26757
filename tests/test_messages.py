"""Messages people read: the indefinite article fits the word a message puts after it (issue 12).

"Not a Organization ID." and "A ARCHIVED item cannot become DRAFT." came from one habit: a fixed
"a" before a word filled in at run time. `a_or_an` picks the article; the scan below keeps the habit
from coming back anywhere in application code.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from resolvers.errors import a_or_an

ROOT = Path(__file__).resolve().parent.parent
APPLICATION = [
    "server.py",
    "settings.py",
    "cli.py",
    "middleware.py",
    "scheduler.py",
    "dispatcher.py",
    "contract.py",
    "outages.py",
    "workers.py",
    "pages.py",
    "assets.py",
]
PACKAGES = ["caching", "media", "quizlib", "models", "resolvers", "schema", "demo"]


@pytest.mark.parametrize(
    ("word", "phrase"),
    [
        ("Organization", "an Organization"),
        ("ARCHIVED", "an ARCHIVED"),
        ("IN_REVIEW", "an IN_REVIEW"),
        ("Expert", "an Expert"),
        ("DRAFT", "a DRAFT"),
        ("PUBLISHED", "a PUBLISHED"),
        ("User", "a User"),
        ("unit", "a unit"),
        ("UNREAD", "an UNREAD"),
        ("upload", "an upload"),
        ("Quiz", "a Quiz"),
    ],
)
def test_the_article_fits_the_word(word: str, phrase: str) -> None:
    assert a_or_an(word) == phrase
    assert a_or_an(word, capital=True) == phrase[0].upper() + phrase[1:]


def _sources() -> list[Path]:
    files = [ROOT / name for name in APPLICATION]
    for package in PACKAGES:
        files += sorted((ROOT / package).rglob("*.py"))
    return files


def test_no_message_puts_a_fixed_article_before_a_word_filled_in_at_run_time() -> None:
    found = []
    for path in _sources():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.JoinedStr):
                continue
            for part, following in zip(node.values, node.values[1:], strict=False):
                if not (isinstance(part, ast.Constant) and isinstance(following, ast.FormattedValue)):
                    continue
                text = str(part.value).lower()
                if text in ("a ", "an ") or text.endswith((" a ", " an ")):
                    found.append(f"{path.relative_to(ROOT)}:{node.lineno}: {part.value!r}{{…}}")
    assert not found, "use resolvers.errors.a_or_an for the word that follows:\n" + "\n".join(found)
