"""Text helpers for content: slugs (pinyin for Chinese), safe HTML, and search grams."""

from __future__ import annotations

import re
import unicodedata
from typing import overload

import nh3
from markdown_it import MarkdownIt

_MARKDOWN = MarkdownIt("commonmark", {"html": True}).enable("table").enable("strikethrough")
_SLUG_JUNK = re.compile(r"[^a-z0-9]+")
_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
_WORD = re.compile(r"[^\W_]+", re.UNICODE)
_LOCALE = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$")
SAFE_URL_SCHEMES = {"http", "https", "mailto"}


def slugify(title: str) -> str:
    """A readable ASCII slug; Chinese becomes toneless pinyin ('毒品如何' -> 'du-pin-ru-he')."""
    # Imported here: pypinyin loads its phrase dictionary at import (half a second), which every
    # `beacon` command and server process would pay without ever making a slug.
    from pypinyin import Style, lazy_pinyin

    parts = lazy_pinyin(
        unicodedata.normalize("NFKC", title),
        style=Style.NORMAL,
        errors="default",
        v_to_u=True,
    )
    ascii_text = " ".join(parts).lower()
    ascii_text = unicodedata.normalize("NFKD", ascii_text).encode("ascii", "ignore").decode()
    slug = _SLUG_JUNK.sub("-", ascii_text).strip("-")
    return slug[:180].rstrip("-") or "item"


def clean_slug(slug: str) -> str | None:
    """A caller-given slug normalised, or None when nothing usable is left."""
    cleaned = _SLUG_JUNK.sub("-", slug.strip().lower()).strip("-")
    return cleaned[:180] or None


def is_locale(tag: str) -> bool:
    """A plausible BCP 47 language tag (zh-CN, en, zh-Hant-TW)."""
    return bool(_LOCALE.match(tag)) and len(tag) <= 35


@overload
def render_markdown(body: str) -> str: ...
@overload
def render_markdown(body: None) -> None: ...
def render_markdown(body: str | None) -> str | None:
    """Markdown to HTML with nothing executable left: no scripts, handlers or javascript: URLs."""
    if body is None:
        return None
    return nh3.clean(
        _MARKDOWN.render(body),
        url_schemes=SAFE_URL_SCHEMES,
        link_rel="noopener noreferrer",
    )


def search_grams(text: str | None) -> str:
    """Text as space-separated tokens: each CJK run as character bigrams (and single characters), other words as they are.

    Feeds the unicode61 FTS5 table that answers queries too short for trigrams.
    """
    if not text:
        return ""
    tokens: list[str] = []
    for word in _WORD.findall(text.casefold()):
        for piece in _split_cjk(word):
            if _CJK.fullmatch(piece):
                tokens.extend(piece)
                tokens.extend(piece[i : i + 2] for i in range(len(piece) - 1))
            else:
                tokens.append(piece)
    return " ".join(tokens)


def _split_cjk(word: str) -> list[str]:
    """Split a word into CJK runs and the rest ('abc冰毒' -> ['abc', '冰毒'])."""
    pieces: list[str] = []
    last = 0
    for match in _CJK.finditer(word):
        if match.start() > last:
            pieces.append(word[last : match.start()])
        pieces.append(match.group())
        last = match.end()
    if last < len(word):
        pieces.append(word[last:])
    return pieces
