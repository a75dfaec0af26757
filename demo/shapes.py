"""Typed shapes of the demo content loaded by ``beacon seed-demo``.

Pure data: no database or web code. Field names are snake_case mirrors of
the contract inputs in ``contract/schema.graphql`` (LessonInput, StoryInput,
QuestionInput, QuizInput, ExpertProfileInput, ...). Where the contract takes
an ID, these shapes hold a *key* (a stable string naming another demo item);
the loader resolves keys to IDs in dependency order:

    organizations -> users -> media -> lessons -> stories -> banks
    -> questions -> quizzes -> expert profiles -> consultations -> history

Sequences are tuples so that every instance is immutable; iterate, index
and ``len()`` them like lists. Only ``DemoMedia.args`` is a dict (keyword
arguments for the generator).

Enum-like fields hold the contract enum value names as plain strings
(``"PRIMARY_SCHOOL"``, ``"SINGLE_CHOICE"`` ...); the constants below list
the allowed values.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal, NamedTuple

# --------------------------------------------------------------- enum values

AUDIENCES = (
    "PRIMARY_SCHOOL",
    "MIDDLE_SCHOOL",
    "HIGH_SCHOOL",
    "COLLEGE",
    "ADULT",
    "IN_RECOVERY",
)
LESSON_SECTIONS = ("AUDIOVISUAL", "COURSEWARE", "ILLUSTRATED", "HANDBOOK")
STORY_KINDS = ("RECOVERY_STORY", "METHOD", "PUBLIC_SERVICE")
PUBLICATION_STATUSES = ("DRAFT", "IN_REVIEW", "PUBLISHED", "ARCHIVED")
QUESTION_TYPES = (
    "SINGLE_CHOICE",
    "MULTIPLE_CHOICE",
    "TRUE_FALSE",
    "FILL_IN_BLANK",
    "MATCHING",
    "ORDERING",
)
DIFFICULTIES = ("EASY", "MEDIUM", "HARD")
MEDIA_KINDS = ("IMAGE", "VIDEO", "AUDIO", "DOCUMENT")
CAPTION_KINDS = ("CAPTIONS", "SUBTITLES", "DESCRIPTIONS")
ROLES = ("LEARNER", "TEACHER", "CLIENT", "EXPERT", "EDITOR", "ADMIN")
ORGANIZATION_KINDS = ("SCHOOL", "COMMUNITY", "REHAB_CENTER", "AGENCY")
EXPERTISE_AREAS = ("PSYCHOLOGICAL", "LEGAL", "EDUCATIONAL", "REHABILITATION")
CONSULTATION_STATUSES = ("OPEN", "ANSWERED", "CLOSED")
VISIT_STATUSES = ("REQUESTED", "SCHEDULED", "DONE", "CANCELLED")
LOCALES = ("zh-CN", "en")

# Generators that draw demo media. ``DemoMedia.generator`` holds the name;
# ``DemoMedia.args`` holds its keyword arguments:
#   poster_png(title: str, subtitle: str, palette: str)        -> IMAGE
#   comic_strip_png(panels: list[str])                          -> IMAGE
#   tone_wav(seconds: int)                                      -> AUDIO
#   courseware_pdf(title: str, pages: list[str])                -> DOCUMENT
#   video_file(file: str)                                       -> VIDEO
# The drawing code has no CJK font: every string inside ``args`` is ASCII
# (English or toneless pinyin). ``palette`` is one of PALETTES.
# ``video_file`` is not drawn: it names a file under demo/videos/, rendered
# beforehand by ``python -m demo.make_videos`` (ffmpeg, espeak-ng) and committed.
GENERATORS = {
    "poster_png": ("IMAGE", ("title", "subtitle", "palette")),
    "comic_strip_png": ("IMAGE", ("panels",)),
    "tone_wav": ("AUDIO", ("seconds",)),
    "courseware_pdf": ("DOCUMENT", ("title", "pages")),
    "video_file": ("VIDEO", ("file",)),
}
PALETTES = ("crimson", "teal", "amber", "indigo", "green", "slate")

Audience = Literal["PRIMARY_SCHOOL", "MIDDLE_SCHOOL", "HIGH_SCHOOL", "COLLEGE", "ADULT", "IN_RECOVERY"]
Status = Literal["PUBLISHED", "DRAFT", "IN_REVIEW"]
Locale = Literal["zh-CN", "en"]


# --------------------------------------------------------------------- media


@dataclass(frozen=True)
class DemoCaptionTrack:
    """A WebVTT file under demo/videos/ added to a video (``addCaptionTrack``)."""

    language: Locale
    label: str
    kind: Literal["CAPTIONS", "SUBTITLES", "DESCRIPTIONS"]
    file: str


@dataclass(frozen=True)
class DemoMedia:
    """A media asset the seeder draws with ``generator(**args)`` and uploads
    (``uploadMedia`` with MediaInput title / alt_text / transcript / caption),
    then its caption tracks (videos)."""

    key: str
    kind: Literal["IMAGE", "VIDEO", "AUDIO", "DOCUMENT"]
    title: str
    alt_text: str | None
    transcript: str | None
    generator: Literal["poster_png", "comic_strip_png", "tone_wav", "courseware_pdf", "video_file"]
    args: dict[str, Any] = field(hash=False)
    caption: str | None = None  # visible caption of an image, in the language of the lessons using it
    captions: tuple[DemoCaptionTrack, ...] = ()


# ------------------------------------------------------------------- content


@dataclass(frozen=True)
class DemoLesson:
    """Mirrors LessonInput; ``translation_of_key`` names the original lesson."""

    key: str
    title: str
    section: Literal["AUDIOVISUAL", "COURSEWARE", "ILLUSTRATED", "HANDBOOK"]
    locale: Locale
    summary: str
    body: str  # Markdown
    audiences: tuple[Audience, ...]
    tags: tuple[str, ...]  # tag names (Chinese); the server derives slugs
    cover_media_key: str | None
    media_keys: tuple[str, ...]
    estimated_minutes: int
    translation_of_key: str | None
    status: Status


@dataclass(frozen=True)
class DemoStory:
    """Mirrors StoryInput."""

    key: str
    title: str
    kind: Literal["RECOVERY_STORY", "METHOD", "PUBLIC_SERVICE"]
    locale: Locale
    summary: str
    body: str  # Markdown
    narrator: str  # pseudonym
    audiences: tuple[Audience, ...]
    tags: tuple[str, ...]
    cover_media_key: str | None
    media_keys: tuple[str, ...]
    status: Status


# ------------------------------------------------------------------- quizzes


@dataclass(frozen=True)
class DemoBank:
    key: str
    name: str
    description: str


@dataclass(frozen=True)
class DemoOption:
    text: str
    correct: bool = False


@dataclass(frozen=True)
class DemoQuestion:
    """Mirrors QuestionInput.

    - SINGLE_CHOICE / TRUE_FALSE: exactly one option is correct.
    - MULTIPLE_CHOICE: one or more options are correct.
    - ORDERING: ``options`` are given in the correct order (``correct`` unused).
    - MATCHING: ``options`` are the left items, ``match_targets[i]`` matches
      ``options[i]`` (``correct`` unused).
    - FILL_IN_BLANK: no options; ``accepted_answers`` lists every accepted
      spelling (the server trims and case-folds).
    """

    key: str
    type: Literal["SINGLE_CHOICE", "MULTIPLE_CHOICE", "TRUE_FALSE", "FILL_IN_BLANK", "MATCHING", "ORDERING"]
    stem: str  # Markdown
    options: tuple[DemoOption, ...]
    match_targets: tuple[str, ...]
    accepted_answers: tuple[str, ...]
    explanation: str
    difficulty: Literal["EASY", "MEDIUM", "HARD"]
    audiences: tuple[Audience, ...]
    tags: tuple[str, ...]
    bank_key: str


@dataclass(frozen=True)
class DemoQuiz:
    """Mirrors QuizInput: either ``question_keys`` (fixed, in order) or
    ``draw_from_bank_key`` + ``draw_count`` (random draw per attempt)."""

    key: str
    title: str
    description: str
    audiences: tuple[Audience, ...]
    question_keys: tuple[str, ...]
    draw_from_bank_key: str | None
    draw_count: int | None
    time_limit_seconds: int | None
    max_attempts: int | None  # None = unlimited
    passing_score: float  # 0..100
    shuffle_options: bool
    lesson_key: str | None
    status: Status


# ------------------------------------------------------------ consultation


@dataclass(frozen=True)
class DemoExpertGroup:
    area: Literal["PSYCHOLOGICAL", "LEGAL", "EDUCATIONAL", "REHABILITATION"]
    name_zh: str
    name_en: str
    description_zh: str
    description_en: str


@dataclass(frozen=True)
class DemoExpert:
    """Mirrors ExpertProfileInput; ``username`` names the EXPERT user account."""

    key: str
    username: str
    display_name: str
    title: str
    bio: str
    area: Literal["PSYCHOLOGICAL", "LEGAL", "EDUCATIONAL", "REHABILITATION"]
    specialties: tuple[str, ...]
    accepting_consultations: bool


@dataclass(frozen=True)
class DemoOrganization:
    """Mirrors OrganizationInput."""

    key: str
    name: str
    kind: Literal["SCHOOL", "COMMUNITY", "REHAB_CENTER", "AGENCY"]
    region: str


@dataclass(frozen=True)
class DemoUser:
    """Mirrors CreateUserInput. Passwords are for local development only."""

    username: str
    display_name: str
    roles: tuple[Literal["LEARNER", "TEACHER", "CLIENT", "EXPERT", "EDITOR", "ADMIN"], ...]
    organization_key: str | None
    password: str


@dataclass(frozen=True)
class DemoMessage:
    from_expert: bool
    body: str


class DemoHelpMeasure(NamedTuple):
    """One step of a help plan: (description, due_in_days, done).
    ``due_in_days`` counts from seeding time; negative = already past."""

    description: str
    due_in_days: int
    done: bool


@dataclass(frozen=True)
class DemoHelpPlan:
    goals: str
    measures: tuple[DemoHelpMeasure, ...]
    follow_up_in_days: int


@dataclass(frozen=True)
class DemoVisit:
    status: Literal["REQUESTED", "SCHEDULED", "DONE", "CANCELLED"]
    in_days: int  # from seeding time
    location: str
    note: str


@dataclass(frozen=True)
class DemoConsultation:
    """A thread between a client and the expert they chose. Messages are in
    order; the first one is the client's opening message (OpenConsultationInput)."""

    key: str
    client_username: str
    expert_key: str
    subject: str
    messages: tuple[DemoMessage, ...]
    status: Literal["OPEN", "ANSWERED", "CLOSED"]
    help_plan: DemoHelpPlan | None
    visit: DemoVisit | None


# ------------------------------------------------------------------- history


@dataclass(frozen=True)
class DemoAttempt:
    """One submitted attempt, ``days_ago`` days before seeding.
    ``quiz_key`` None means a practice attempt (PracticeMode.WRONG_ANSWERS).
    ``answers`` maps question key -> "correct" | "wrong", in the order asked."""

    quiz_key: str | None
    days_ago: int
    answers: dict[str, Literal["correct", "wrong"]] = field(hash=False)


@dataclass(frozen=True)
class DemoAttemptHistory:
    username: str
    attempts: tuple[DemoAttempt, ...]  # oldest first
