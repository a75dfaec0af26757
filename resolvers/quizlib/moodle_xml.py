"""Moodle XML question format: read into ImportedQuestion, write back out.

Parsing goes through defusedxml with DTDs forbidden: a Moodle export never has
one, and refusing it outright shuts out entity expansion ("billion laughs") and
external entities before any of them is resolved.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterable

from defusedxml import DTDForbidden, EntitiesForbidden, ExternalReferenceForbidden
from defusedxml import ElementTree as SafeET

from resolvers.quizlib.errors import FormatError
from resolvers.quizlib.model import (
    FILL_IN_BLANK,
    MATCHING,
    MULTIPLE_CHOICE,
    ORDERING,
    SINGLE_CHOICE,
    TRUE_FALSE,
    ImportedOption,
    ImportedQuestion,
    Skipped,
    true_false_answer,
    true_false_options,
)
from resolvers.quizlib.text import (
    category_tags,
    difficulty_tag,
    merge_tags,
    split_difficulty,
    text_from_format,
)

Element = ET.Element
_Builder = Callable[[Element, "_Common"], "ImportedQuestion | Skipped"]
# Characters XML 1.0 cannot carry at all; dropped on export so the file stays readable.
_INVALID_XML_CHARS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


class _Common:
    """Fields every question type shares, read once."""

    def __init__(self, element: Element, category: list[str]) -> None:
        self.name = _text(element, "name") or None
        self.stem = _formatted(element, "questiontext")
        self.explanation = _formatted(element, "generalfeedback") or None
        own = [t for t in (_plain(tag) for tag in element.iterfind("tags/tag")) if t]
        tags, self.difficulty = split_difficulty(list(merge_tags(category, own)))
        self.tags = tuple(tags)
        self.label = self.name or self.stem[:40] or "(untitled)"


def parse_moodle_xml(data: bytes) -> tuple[list[ImportedQuestion], list[Skipped]]:
    """Parse a Moodle XML export into importable questions and skipped ones."""
    root = _load(data)
    questions: list[ImportedQuestion] = []
    skipped: list[Skipped] = []
    category: list[str] = []
    for element in root.iterfind("question"):
        kind = element.get("type", "")
        if kind == "category":
            category = category_tags(_text(element, "category"))
            continue
        parsed = _parse_question(element, kind, category)
        if isinstance(parsed, ImportedQuestion):
            questions.append(parsed)
        else:
            skipped.append(parsed)
    return questions, skipped


def _load(data: bytes) -> Element:
    """Parse bytes safely, turning every refusal into a FormatError."""
    try:
        root = SafeET.fromstring(data, forbid_dtd=True)
    except DTDForbidden as exc:
        raise FormatError(
            "refused: XML with a document type declaration (DTD) is not accepted, as it could define entities"
        ) from exc
    except EntitiesForbidden as exc:
        raise FormatError("refused: XML entity declarations are not accepted") from exc
    except ExternalReferenceForbidden as exc:
        raise FormatError("refused: XML external references are not accepted") from exc
    except ET.ParseError as exc:
        raise FormatError(f"not well-formed XML: {exc}") from exc
    if root.tag != "quiz":
        raise FormatError(f"not a Moodle XML question file: root element is <{root.tag}>, not <quiz>")
    return root


def _text(element: Element, path: str) -> str:
    """Stripped text of `<path><text>`, or ""."""
    found = element.find(path)
    return _plain(found) if found is not None else ""


def _plain(element: Element) -> str:
    """Stripped text of an element's `<text>` child, or ""."""
    return (element.findtext("text") or "").strip()


def _formatted(element: Element, path: str) -> str:
    """Text of `<path format=...><text>` converted from its Moodle text format."""
    found = element.find(path)
    if found is None:
        return ""
    return text_from_format(found.findtext("text") or "", found.get("format"))


def _fraction(answer: Element) -> float:
    """The answer's credit in percent; unreadable values count as none."""
    try:
        return float(answer.get("fraction", "0"))
    except ValueError:
        return 0.0


def _option(answer: Element, correct: bool) -> ImportedOption:
    """Build an option with its feedback from an `<answer>`."""
    text = text_from_format(answer.findtext("text") or "", answer.get("format"))
    return ImportedOption(text, correct, _formatted(answer, "feedback") or None)


def _parse_question(element: Element, kind: str, category: list[str]) -> ImportedQuestion | Skipped:
    """Dispatch on the Moodle question type."""
    common = _Common(element, category)
    builder = _BUILDERS.get(kind)
    if builder is None:
        return Skipped(common.name, f"question {common.label!r} has type {kind!r}, which is not supported")
    return builder(element, common)


def _question(
    common: _Common,
    kind: str,
    *,
    options: tuple[ImportedOption, ...] = (),
    match_targets: tuple[str, ...] = (),
    accepted_answers: tuple[str, ...] = (),
    explanation: str | None = None,
) -> ImportedQuestion:
    """Build an ImportedQuestion from the shared fields plus type-specific ones."""
    return ImportedQuestion(
        type=kind,
        stem=common.stem,
        name=common.name,
        options=options,
        match_targets=match_targets,
        accepted_answers=accepted_answers,
        explanation=explanation or common.explanation,
        tags=common.tags,
        difficulty=common.difficulty,
    )


def _multichoice(element: Element, common: _Common) -> ImportedQuestion | Skipped:
    """Single (exactly one full-credit answer) or multiple (positive fractions) choice."""
    single = (element.findtext("single") or "true").strip().lower() in ("true", "1")
    answers = element.findall("answer")
    options = tuple(_option(a, _fraction(a) >= 100 if single else _fraction(a) > 0) for a in answers)
    correct = sum(o.correct for o in options)
    if single and correct != 1:
        return Skipped(
            common.name, f"question {common.label!r} has {correct} fully correct answers in a single-answer choice"
        )
    if not correct:
        return Skipped(common.name, f"question {common.label!r} has no correct answer")
    return _question(common, SINGLE_CHOICE if single else MULTIPLE_CHOICE, options=options)


def _truefalse(element: Element, common: _Common) -> ImportedQuestion | Skipped:
    """True/false: the `true` and `false` answers, the one with credit is right."""
    by_word = {_plain(a).lower(): a for a in element.findall("answer")}
    true_el, false_el = by_word.get("true"), by_word.get("false")
    if true_el is None or false_el is None:
        return Skipped(common.name, f"question {common.label!r} lacks a true or false answer")
    options = true_false_options(
        _fraction(true_el) > 0,
        true_feedback=_formatted(true_el, "feedback") or None,
        false_feedback=_formatted(false_el, "feedback") or None,
    )
    return _question(common, TRUE_FALSE, options=options)


def _shortanswer(element: Element, common: _Common) -> ImportedQuestion | Skipped:
    """Short answer: full-credit answers are accepted; their feedback joins the explanation."""
    answers = [_option(a, _fraction(a) >= 100) for a in element.findall("answer")]
    accepted = tuple(a.text for a in answers if a.correct and a.text)
    if not accepted:
        return Skipped(common.name, f"question {common.label!r} has no fully correct answer")
    notes = "\n".join(f"- {a.text}: {a.feedback}" for a in answers if a.feedback)
    explanation = "\n\n".join(p for p in (common.explanation, notes) if p) or None
    return _question(common, FILL_IN_BLANK, accepted_answers=accepted, explanation=explanation)


def _matching(element: Element, common: _Common) -> ImportedQuestion | Skipped:
    """Matching: each subquestion pairs with its answer; empty subquestions are distractors."""
    pairs = [
        (text_from_format(s.findtext("text") or "", s.get("format")), _text(s, "answer"))
        for s in element.findall("subquestion")
    ]
    matched = [(left, right) for left, right in pairs if left]
    if not matched:
        return Skipped(common.name, f"question {common.label!r} has no matching pairs")
    distractors = tuple(right for left, right in pairs if not left)
    return _question(
        common,
        MATCHING,
        options=tuple(ImportedOption(left) for left, _ in matched),
        match_targets=tuple(right for _, right in matched) + distractors,
    )


def _ordering(element: Element, common: _Common) -> ImportedQuestion | Skipped:
    """Ordering (qtype_ordering plugin): answers sorted by fraction, which holds the position."""
    answers = sorted(element.findall("answer"), key=_fraction)
    if len(answers) < 2:
        return Skipped(common.name, f"question {common.label!r} has fewer than two items to order")
    return _question(common, ORDERING, options=tuple(_option(a, False) for a in answers))


_BUILDERS: dict[str, _Builder] = {
    "multichoice": _multichoice,
    "truefalse": _truefalse,
    "shortanswer": _shortanswer,
    "matching": _matching,
    "ordering": _ordering,
}


# ----------------------------------------------------------------- writing


def write_moodle_xml(questions: Iterable[ImportedQuestion], category: str | None = None) -> bytes:
    """Write questions as a Moodle XML export (UTF-8 bytes)."""
    root = ET.Element("quiz")
    if category:
        root.append(_category_element(category))
    for question in questions:
        root.append(_question_element(question))
    ET.indent(root)
    data: bytes = ET.tostring(root, encoding="utf-8", xml_declaration=True)
    return data + b"\n"


def _category_element(category: str) -> Element:
    """A `<question type="category">`; a bare path is put under the course's top."""
    path = category if category.startswith("$") else f"$course$/top/{category}"
    element = ET.Element("question", type="category")
    element.append(_text_element("category", path))
    return element


def _text_element(tag: str, text: str, fmt: str | None = None, **attrs: str) -> Element:
    """`<tag format=fmt><text>text</text></tag>`."""
    element = ET.Element(tag, ({"format": fmt} if fmt else {}) | attrs)
    ET.SubElement(element, "text").text = _INVALID_XML_CHARS.sub("", text)
    return element


def _question_element(q: ImportedQuestion) -> Element:
    """One `<question>` with the shared fields, type-specific parts and tags."""
    element = ET.Element("question", type=_MOODLE_TYPES[q.type])
    element.append(_text_element("name", q.name or ""))
    element.append(_text_element("questiontext", q.stem, "markdown"))
    element.append(_text_element("generalfeedback", q.explanation or "", "markdown"))
    ET.SubElement(element, "defaultgrade").text = "1"
    _WRITERS[q.type](element, q)
    tags = list(q.tags) + ([difficulty_tag(q.difficulty)] if q.difficulty else [])
    if tags:
        container = ET.SubElement(element, "tags")
        for tag in tags:
            container.append(_text_element("tag", tag))
    return element


def _answer_element(text: str, fraction: float, feedback: str | None) -> Element:
    """An `<answer>` with its fraction and feedback."""
    answer = _text_element("answer", text, "plain_text", fraction=f"{fraction:g}")
    answer.append(_text_element("feedback", feedback or "", "markdown"))
    return answer


def _write_choice(element: Element, q: ImportedQuestion) -> None:
    """Answers of a choice; multiple choice spreads 100% over the correct options."""
    single = q.type == SINGLE_CHOICE
    ET.SubElement(element, "single").text = "true" if single else "false"
    ET.SubElement(element, "shuffleanswers").text = "true"
    ET.SubElement(element, "answernumbering").text = "abc"
    share = 100 / max(1, sum(o.correct for o in q.options))
    wrong = 0.0 if single else -100.0
    for option in q.options:
        fraction = (100.0 if single else round(share, 5)) if option.correct else wrong
        element.append(_answer_element(option.text, fraction, option.feedback))


def _write_truefalse(element: Element, q: ImportedQuestion) -> None:
    """The `true` and `false` answers, credit on the right one."""
    answer = true_false_answer(q)
    feedback = [o.feedback for o in q.options] + [None, None]
    element.append(_answer_element("true", 100 if answer else 0, feedback[0]))
    element.append(_answer_element("false", 0 if answer else 100, feedback[1]))


def _write_shortanswer(element: Element, q: ImportedQuestion) -> None:
    """Accepted answers at full credit; our grading ignores case, so usecase is 0."""
    ET.SubElement(element, "usecase").text = "0"
    for text in q.accepted_answers:
        element.append(_answer_element(text, 100, None))


def _write_matching(element: Element, q: ImportedQuestion) -> None:
    """Subquestions paired with answers, then distractor answers with empty subquestions."""
    ET.SubElement(element, "shuffleanswers").text = "true"
    lefts = [o.text for o in q.options] + [""] * (len(q.match_targets) - len(q.options))
    for left, right in zip(lefts, q.match_targets, strict=False):
        sub = _text_element("subquestion", left, "plain_text")
        sub.append(_text_element("answer", right))
        element.append(sub)


def _write_ordering(element: Element, q: ImportedQuestion) -> None:
    """Items in the right order; qtype_ordering keeps the position in `fraction`."""
    ET.SubElement(element, "layouttype").text = "VERTICAL"
    ET.SubElement(element, "selecttype").text = "ALL"
    ET.SubElement(element, "gradingtype").text = "ABSOLUTE_POSITION"
    for position, option in enumerate(q.options, start=1):
        element.append(_answer_element(option.text, position, option.feedback))


_MOODLE_TYPES = {
    SINGLE_CHOICE: "multichoice",
    MULTIPLE_CHOICE: "multichoice",
    TRUE_FALSE: "truefalse",
    FILL_IN_BLANK: "shortanswer",
    MATCHING: "matching",
    ORDERING: "ordering",
}
_WRITERS: dict[str, Callable[[Element, ImportedQuestion], None]] = {
    SINGLE_CHOICE: _write_choice,
    MULTIPLE_CHOICE: _write_choice,
    TRUE_FALSE: _write_truefalse,
    FILL_IN_BLANK: _write_shortanswer,
    MATCHING: _write_matching,
    ORDERING: _write_ordering,
}
