"""Moodle GIFT format: read into ImportedQuestion, write back out.

Follows Moodle's own reader (question/format/gift/format.php) where it matters:
- questions are separated by blank lines; lines starting with `//` are comments,
  and `[tag:x]` inside such comments tags the question (Moodle 3.6+);
- `$CATEGORY: a/b/c` switches the category of the following questions;
- text after the closing `}` makes a "missing word" question: the answer block
  is replaced by `_____` in the stem and the type is decided by the answers as
  usual (`~` present: choice, only `=`: short answer -> FILL_IN_BLANK);
- in a single-answer choice the `=` answer is the correct one; partial-credit
  `~%50%` answers become wrong options, because we grade all-or-nothing;
- a choice without `=` is multiple-answer: options with a positive weight are correct;
- short answers: only full-credit answers are accepted; all per-answer feedback
  is folded into the explanation.
Numerical `{#...}`, essay `{}` and descriptions (no `{}`) are skipped.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

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

BLANK = "_____"
_FORMATS = ("html", "markdown", "plain", "moodle")
# Escaped characters are swapped for private-use code points while parsing, so the
# structure can be found with plain string searches, then swapped back per field.
_PROTECT = {
    "\\": "\ue000",
    "~": "\ue001",
    "=": "\ue002",
    "#": "\ue003",
    "{": "\ue004",
    "}": "\ue005",
    ":": "\ue006",
    "n": "\ue007",
}
_RESTORE = str.maketrans({v: ("\n" if k == "n" else k) for k, v in _PROTECT.items()})
_TF_WORDS = {"T": True, "TRUE": True, "F": False, "FALSE": False}
_WEIGHT = re.compile(r"^\s*%(-?\d+(?:\.\d*)?)%")
_FORMAT_PREFIX = re.compile(r"^\s*\[(" + "|".join(_FORMATS) + r")\]")
_TAG = re.compile(r"\[tag:([^\]]+)\]")

Parsed = ImportedQuestion | Skipped


@dataclass(frozen=True)
class _Answer:
    """One `=` or `~` entry of an answer block, still protected."""

    marker: str
    weight: float | None
    text: str
    feedback: str


@dataclass(frozen=True)
class _Context:
    """What a question inherits from around it: its name, format and tags."""

    name: str | None
    fmt: str | None
    tags: tuple[str, ...]


def parse_gift(text: str) -> tuple[list[ImportedQuestion], list[Skipped]]:
    """Parse a GIFT document into importable questions and skipped ones."""
    questions: list[ImportedQuestion] = []
    skipped: list[Skipped] = []
    category: list[str] = []
    for lines, comments in _blocks(text.lstrip("\ufeff")):
        category = _category(lines) or category
        body = [line for line in lines if not line.startswith("$CATEGORY:")]
        if not body:
            continue
        tags = merge_tags(category, [t.strip() for t in _TAG.findall("\n".join(comments))])
        for parsed in _parse_block(_protect("\n".join(body)), tags):
            if isinstance(parsed, ImportedQuestion):
                questions.append(parsed)
            else:
                skipped.append(parsed)
    return questions, skipped


def _blocks(text: str) -> Iterable[tuple[list[str], list[str]]]:
    """Yield (lines, comment lines) of each blank-line separated block."""
    lines: list[str] = []
    comments: list[str] = []
    for raw in [*text.splitlines(), ""]:
        line = raw.strip()
        if line.startswith("//"):
            comments.append(line)
        elif line:
            lines.append(line)
        elif lines or comments:
            yield lines, comments
            lines, comments = [], []


def _category(lines: list[str]) -> list[str]:
    """Return the tags of the last `$CATEGORY:` line in a block, or []."""
    found = [line[len("$CATEGORY:") :].strip() for line in lines if line.startswith("$CATEGORY:")]
    return category_tags(found[-1]) if found else []


def _protect(text: str) -> str:
    """Replace GIFT escapes by private-use placeholders."""
    return re.sub(r"\\([\\~=#{}:n])", lambda m: _PROTECT[m.group(1)], text)


def _restore(text: str) -> str:
    """Turn placeholders back into the characters they stand for."""
    return text.translate(_RESTORE)


def _parse_block(text: str, tags: tuple[str, ...]) -> list[Parsed]:
    """Parse one block; a block may hold several questions if a blank line is missing."""
    start = text.find("{")
    if start < 0:
        return [_skip(text, "has no answer block (a description, not a question)")]
    end = text.find("}", start)
    if end < 0:
        return [_skip(text, "has an answer block that is never closed")]
    line_end = text.find("\n", end)
    line_end = len(text) if line_end < 0 else line_end
    tail, rest = text[end + 1 : line_end], text[line_end + 1 :]
    if tail.strip().startswith("//"):
        tail = ""
    more: list[Parsed] = []
    if "{" in rest:
        more = _parse_block(rest, tags)
    elif rest.strip():
        tail = f"{tail}\n{rest}"
    return [_parse_question(text[:start], text[start + 1 : end], tail, tags), *more]


def _skip(text: str, reason: str) -> Skipped:
    """Build a Skipped entry naming the question by title or first words."""
    name, head = _split_title(text)
    label = name or _restore(head).strip()[:40] or "(untitled)"
    return Skipped(name=name, reason=f"question {label!r} {reason}")


def _split_title(head: str) -> tuple[str | None, str]:
    """Split a leading `::title::` from the question text."""
    match = re.match(r"\s*::(.*?)::", head, re.S)
    if not match:
        return None, head
    return _restore(match.group(1)).strip() or None, head[match.end() :]


def _split_format(text: str, default: str | None) -> tuple[str | None, str]:
    """Split a leading `[html]`-style format marker off a text."""
    match = _FORMAT_PREFIX.match(text)
    return (match.group(1), text[match.end() :]) if match else (default, text)


def _field(text: str, default_fmt: str | None) -> str:
    """Restore escapes and normalise one text field given in a GIFT text format."""
    fmt, body = _split_format(text, default_fmt)
    return text_from_format(_restore(body), "html" if fmt == "html" else None)


def _parse_question(head: str, answers: str, tail: str, tags: tuple[str, ...]) -> Parsed:
    """Parse one question from the text around and inside its answer block."""
    name, head = _split_title(head)
    fmt, head = _split_format(head, None)
    stem_source = f"{head}{BLANK}{tail}" if tail.strip() else head
    stem = _field(stem_source, fmt)
    plain_tags, difficulty = split_difficulty(list(tags))
    context = _Context(name, fmt, tuple(plain_tags))
    body, general = _split_general_feedback(answers)
    explanation = _field(general, fmt) or None if general is not None else None
    result = _build(body.strip(), stem, explanation, context)
    if not isinstance(result, ImportedQuestion):
        return result
    if result.type in (TRUE_FALSE, MATCHING) and tail.strip():
        stem = _field(_join_tail(head, tail), fmt)
    return _with(result, stem=stem, name=name, tags=context.tags, difficulty=difficulty)


def _join_tail(head: str, tail: str) -> str:
    """Stem of a true/false or matching question with text after its answers.

    Moodle would insert a blank, which means nothing for these types: words are
    kept after the head, and a tail of bare punctuation (e.g. a stray `";`) is dropped.
    """
    if re.search(r"\w", _restore(tail)):
        return f"{head.rstrip()} {tail.strip()}"
    return head


def _with(
    q: ImportedQuestion, *, stem: str, name: str | None, tags: tuple[str, ...], difficulty: str | None
) -> ImportedQuestion:
    """Attach the context fields to a built question."""
    return ImportedQuestion(
        type=q.type,
        stem=stem,
        name=name,
        options=q.options,
        match_targets=q.match_targets,
        accepted_answers=q.accepted_answers,
        explanation=q.explanation,
        tags=tags,
        difficulty=difficulty,
    )


def _split_general_feedback(answers: str) -> tuple[str, str | None]:
    """Split `####general feedback` off the end of an answer block."""
    index = answers.find("####")
    if index < 0:
        return answers, None
    return answers[:index], answers[index + 4 :].strip()


def _build(body: str, stem: str, explanation: str | None, ctx: _Context) -> Parsed:
    """Decide the question type from the answer block and build it."""
    label = ctx.name or stem[:40] or "(untitled)"
    if not body:
        return Skipped(ctx.name, f"question {label!r} is an essay, which is not supported")
    if body.startswith("#"):
        return Skipped(ctx.name, f"question {label!r} is numerical, which is not supported")
    first_word = body.split("#", 1)[0].strip().upper()
    if first_word in _TF_WORDS:
        return _true_false(body, stem, explanation, ctx)
    entries = _answers(body)
    if entries is None:
        return Skipped(ctx.name, f"question {label!r} has text before its first answer marker")
    if any("->" in a.text for a in entries):
        return _matching(entries, stem, explanation, ctx, label)
    if any(a.marker == "~" for a in entries):
        return _choice(entries, stem, explanation, ctx, label)
    return _short_answer(entries, stem, explanation, ctx, label)


def _answers(body: str) -> list[_Answer] | None:
    """Split an answer block into its `=`/`~` entries; None if it is malformed."""
    chunks = re.split(r"(?=[=~])", body)
    if chunks[0].strip():
        return None
    return [_answer(chunk) for chunk in chunks if chunk]


def _answer(chunk: str) -> _Answer:
    """Parse one `=%50%text#feedback` entry."""
    marker, rest = chunk[0], chunk[1:]
    weight_match = _WEIGHT.match(rest)
    weight = float(weight_match.group(1)) if weight_match else None
    rest = rest[weight_match.end() :] if weight_match else rest
    text, _, feedback = rest.partition("#")
    return _Answer(marker, weight, text.strip(), feedback.strip())


def _fraction(answer: _Answer) -> float:
    """Moodle's credit for an answer: `=` means 100 unless weighted, `~` means 0."""
    if answer.weight is not None:
        return answer.weight
    return 100.0 if answer.marker == "=" else 0.0


def _feedback(text: str, fmt: str | None) -> str | None:
    """Convert an answer's feedback, None when empty."""
    return _field(text, fmt) or None


def _true_false(body: str, stem: str, explanation: str | None, ctx: _Context) -> ImportedQuestion:
    """Build a TRUE_FALSE question; `{T#wrong#right}` carries two feedbacks."""
    word, _, feedback = body.partition("#")
    wrong, _, right = feedback.partition("#")
    answer = _TF_WORDS[word.strip().upper()]
    right_fb, wrong_fb = _feedback(right, ctx.fmt), _feedback(wrong, ctx.fmt)
    true_fb, false_fb = (right_fb, wrong_fb) if answer else (wrong_fb, right_fb)
    options = true_false_options(answer, true_feedback=true_fb, false_feedback=false_fb)
    return ImportedQuestion(type=TRUE_FALSE, stem=stem, options=options, explanation=explanation)


def _choice(entries: list[_Answer], stem: str, explanation: str | None, ctx: _Context, label: str) -> Parsed:
    """Build a single choice (an `=` answer present) or multiple choice question."""
    single = any(a.marker == "=" for a in entries)
    options = tuple(
        ImportedOption(
            _field(a.text, ctx.fmt), _fraction(a) >= 100 if single else _fraction(a) > 0, _feedback(a.feedback, ctx.fmt)
        )
        for a in entries
    )
    correct = sum(o.correct for o in options)
    if single and correct != 1:
        return Skipped(ctx.name, f"question {label!r} has {correct} fully correct answers in a single-answer choice")
    if not correct:
        return Skipped(ctx.name, f"question {label!r} has no correct answer")
    kind = SINGLE_CHOICE if single else MULTIPLE_CHOICE
    return ImportedQuestion(type=kind, stem=stem, options=options, explanation=explanation)


def _short_answer(entries: list[_Answer], stem: str, explanation: str | None, ctx: _Context, label: str) -> Parsed:
    """Build a FILL_IN_BLANK question from full-credit short answers."""
    accepted = tuple(_field(a.text, ctx.fmt) for a in entries if _fraction(a) >= 100)
    if not accepted:
        return Skipped(ctx.name, f"question {label!r} has no fully correct answer")
    notes = [f"- {_field(a.text, ctx.fmt)}: {_field(a.feedback, ctx.fmt)}" for a in entries if a.feedback.strip()]
    parts = [p for p in (explanation, "\n".join(notes)) if p]
    return ImportedQuestion(
        type=FILL_IN_BLANK, stem=stem, accepted_answers=accepted, explanation="\n\n".join(parts) or None
    )


def _matching(entries: list[_Answer], stem: str, explanation: str | None, ctx: _Context, label: str) -> Parsed:
    """Build a MATCHING question; a pair with an empty left side is a distractor target."""
    pairs = [a.text.partition("->") for a in entries]
    if any(a.marker != "=" for a in entries) or any(not sep for _, sep, _ in pairs):
        return Skipped(ctx.name, f"question {label!r} mixes matching pairs with other answers")
    lefts = [(_field(left, ctx.fmt), _field(right, ctx.fmt)) for left, _, right in pairs]
    matched = [(left, right) for left, right in lefts if left]
    distractors = [right for left, right in lefts if not left]
    return ImportedQuestion(
        type=MATCHING,
        stem=stem,
        options=tuple(ImportedOption(left) for left, _ in matched),
        match_targets=tuple(right for _, right in matched) + tuple(distractors),
        explanation=explanation,
    )


# ----------------------------------------------------------------- writing


def write_gift(questions: Iterable[ImportedQuestion], category: str | None = None) -> str:
    """Write questions as GIFT; ORDERING has no GIFT form and is left as a comment."""
    parts = ["// Exported by Beacon"]
    if category:
        parts.append(f"$CATEGORY: {category}")
    parts.extend(_write_question(question) for question in questions)
    return "\n\n".join(parts) + "\n"


def escape(text: str) -> str:
    """Escape GIFT's reserved characters and newlines in one text."""
    escaped = re.sub(r"([\\~=#{}:])", r"\\\1", text.replace("\r", ""))
    return escaped.replace("\n", "\\n")


def _write_question(q: ImportedQuestion) -> str:
    """Write one question with its tag comment, title, stem and answer block."""
    if q.type == ORDERING:
        return f"// Skipped ORDERING question {escape(q.name or q.stem[:40])}: GIFT cannot express it"
    lines: list[str] = []
    tags = list(q.tags) + ([difficulty_tag(q.difficulty)] if q.difficulty else [])
    if tags:
        lines.append("// " + " ".join(f"[tag:{t}]" for t in tags))
    title = f"::{escape(q.name)}::" if q.name else ""
    lines.append(f"{title}[markdown]{escape(q.stem)}{{")
    lines.extend(_write_answers(q))
    if q.explanation:
        lines.append(f"####{escape(q.explanation)}")
    lines.append("}")
    return "\n".join(lines)


def _write_answers(q: ImportedQuestion) -> list[str]:
    """Write the answer lines of a question's block."""
    if q.type == TRUE_FALSE:
        return [_write_true_false(q)]
    if q.type == FILL_IN_BLANK:
        return [f"={_option_text(a)}" for a in q.accepted_answers]
    if q.type == MATCHING:
        return _write_matching(q)
    weight = _multi_weight(q)
    return [f"{_marker(q, o, weight)}{_option_text(o.text)}{_write_feedback(o.feedback)}" for o in q.options]


def _write_true_false(q: ImportedQuestion) -> str:
    """Write `TRUE#wrong feedback#right feedback`."""
    answer = true_false_answer(q)
    right, wrong = (q.options[0], q.options[1]) if answer else (q.options[1], q.options[0])
    text = "TRUE" if answer else "FALSE"
    if wrong.feedback or right.feedback:
        text += f"#{escape(wrong.feedback or '')}"
    if right.feedback:
        text += f"#{escape(right.feedback)}"
    return text


def _write_matching(q: ImportedQuestion) -> list[str]:
    """Write `=option -> target` pairs, then distractor targets as `= -> target`."""
    pairs = [f"={_option_text(o.text)} -> {escape(t)}" for o, t in zip(q.options, q.match_targets, strict=False)]
    extra = [f"= -> {escape(t)}" for t in q.match_targets[len(q.options) :]]
    return pairs + extra


def _multi_weight(q: ImportedQuestion) -> str:
    """Weight each correct option of a multiple choice gets, so that they sum to 100%."""
    correct = sum(o.correct for o in q.options) or 1
    return f"{100 / correct:.5f}".rstrip("0").rstrip(".")


def _marker(q: ImportedQuestion, option: ImportedOption, weight: str) -> str:
    """The `=`, `~` or `~%w%` that starts an option line."""
    if q.type == MULTIPLE_CHOICE:
        return f"~%{weight}%" if option.correct else "~%-100%"
    return "=" if option.correct else "~"


def _option_text(text: str) -> str:
    """Escape an option; a leading `[` gets `[plain]` so it is not read as a format."""
    prefix = "[plain]" if text.lstrip().startswith("[") else ""
    return prefix + escape(text)


def _write_feedback(feedback: str | None) -> str:
    """Write `#feedback`, or nothing."""
    return f"#{escape(feedback)}" if feedback else ""
