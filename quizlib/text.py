"""Text helpers shared by the formats: HTML to Markdown-ish text, categories, tags."""

from __future__ import annotations

import re
from html.parser import HTMLParser

from quizlib.model import DIFFICULTIES

_BLOCK_TAGS = frozenset(
    {"p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "table", "tr", "blockquote", "pre"}
)
_DROPPED_TAGS = frozenset({"script", "style", "head", "title"})
_EMPHASIS = {"b": "**", "strong": "**", "i": "*", "em": "*"}
DIFFICULTY_TAG_PREFIX = "difficulty:"


class _TextExtractor(HTMLParser):
    """Collect the readable text of an HTML fragment, never its markup."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._dropped_depth = 0
        self._links: list[str | None] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        """Turn structure into line breaks and emphasis into Markdown markers."""
        if tag in _DROPPED_TAGS:
            self._dropped_depth += 1
        elif tag == "br":
            self.parts.append("\n")
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n\n")
        elif tag == "li":
            self.parts.append("\n- ")
        elif tag in _EMPHASIS:
            self.parts.append(_EMPHASIS[tag])
        elif tag == "a":
            self._open_link(dict(attrs).get("href"))
        elif tag == "img":
            alt = dict(attrs).get("alt")
            self.parts.append(alt or "")

    def handle_endtag(self, tag: str) -> None:
        """Close what handle_starttag opened."""
        if tag in _DROPPED_TAGS:
            self._dropped_depth = max(0, self._dropped_depth - 1)
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n\n")
        elif tag in _EMPHASIS:
            self.parts.append(_EMPHASIS[tag])
        elif tag == "a" and self._links:
            href = self._links.pop()
            self.parts.append(f"]({href})" if href else "")

    def _open_link(self, href: str | None) -> None:
        """Start a Markdown link, but only for web and mail addresses (never javascript:)."""
        safe = href if href and re.match(r"(https?://|mailto:)", href, re.I) else None
        self._links.append(safe)
        if safe:
            self.parts.append("[")

    def handle_data(self, data: str) -> None:
        """Keep text outside script/style, with HTML's whitespace collapsing."""
        if not self._dropped_depth:
            self.parts.append(re.sub(r"\s+", " ", data))


def html_to_text(source: str) -> str:
    """Convert an HTML fragment to plain, Markdown-ish text; tags never survive."""
    extractor = _TextExtractor()
    extractor.feed(source)
    extractor.close()
    text = "".join(extractor.parts).replace("\xa0", " ")
    lines = [line.strip() for line in text.split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def text_from_format(text: str, fmt: str | None) -> str:
    """Normalise a text given in a Moodle text format to our Markdown-ish text."""
    if fmt == "html":
        return html_to_text(text)
    return text.strip()


def category_tags(category: str) -> list[str]:
    """Turn a Moodle category path like "$course$/top/毒品知识/冰毒" into tags."""
    # Moodle escapes a "/" inside a category name as "//".
    placeholder = "\ue000"
    segments = category.replace("//", placeholder).split("/")
    names = [s.replace(placeholder, "/").strip() for s in segments]
    return [n for n in names if n and n != "top" and not re.fullmatch(r"\$\w*\$", n)]


def merge_tags(*groups: list[str] | tuple[str, ...]) -> tuple[str, ...]:
    """Concatenate tag lists, dropping duplicates and keeping first occurrence."""
    return tuple(dict.fromkeys(t for group in groups for t in group if t))


def split_difficulty(tags: list[str]) -> tuple[list[str], str | None]:
    """Pull a "difficulty:EASY" style tag out of tags (how we carry difficulty in files)."""
    rest: list[str] = []
    difficulty: str | None = None
    for tag in tags:
        value = tag[len(DIFFICULTY_TAG_PREFIX) :].strip().upper()
        if tag.lower().startswith(DIFFICULTY_TAG_PREFIX) and value in DIFFICULTIES:
            difficulty = value
        else:
            rest.append(tag)
    return rest, difficulty


def difficulty_tag(difficulty: str) -> str:
    """Tag that carries a difficulty through formats that have no such field."""
    return f"{DIFFICULTY_TAG_PREFIX}{difficulty}"
