"""Question banks, questions, quizzes, attempts and the wrong-answer notebook."""

from __future__ import annotations

from enum import Enum
from typing import TYPE_CHECKING, Any

from tortoise import fields
from tortoise.models import Model

from models.base import PublicationStatus, TimestampedModel

if TYPE_CHECKING:  # annotations only: importing them at run time would tie the apps' modules together
    from models.accounts import User


class QuestionType(str, Enum):
    SINGLE_CHOICE = "SINGLE_CHOICE"
    MULTIPLE_CHOICE = "MULTIPLE_CHOICE"
    TRUE_FALSE = "TRUE_FALSE"
    FILL_IN_BLANK = "FILL_IN_BLANK"
    MATCHING = "MATCHING"
    ORDERING = "ORDERING"


class Difficulty(str, Enum):
    EASY = "EASY"
    MEDIUM = "MEDIUM"
    HARD = "HARD"


class AttemptStatus(str, Enum):
    IN_PROGRESS = "IN_PROGRESS"
    SUBMITTED = "SUBMITTED"
    EXPIRED = "EXPIRED"


class AttemptKind(str, Enum):
    QUIZ = "QUIZ"
    PRACTICE_WRONG = "PRACTICE_WRONG"
    PRACTICE_RANDOM = "PRACTICE_RANDOM"


class OptionRole(str, Enum):
    OPTION = "OPTION"
    TARGET = "TARGET"


class QuestionBank(TimestampedModel):
    name = fields.CharField(max_length=200)
    description = fields.TextField(null=True)
    created_by: fields.ForeignKeyNullableRelation[User] = fields.ForeignKeyField(
        "accounts.User", related_name="question_banks", null=True, on_delete=fields.SET_NULL
    )
    created_by_id: int | None

    questions: fields.ReverseRelation[Question]

    class Meta:
        table = "question_bank"


class Question(TimestampedModel):
    """One question of a bank. Tags and media ids are kept as lists until content and media are wired."""

    bank: fields.ForeignKeyRelation[QuestionBank] = fields.ForeignKeyField(
        "quizzes.QuestionBank", related_name="questions", on_delete=fields.CASCADE
    )
    bank_id: int
    position = fields.IntField(default=0)
    type = fields.CharEnumField(QuestionType, max_length=20)
    stem = fields.TextField()
    explanation = fields.TextField(null=True)
    difficulty = fields.CharEnumField(Difficulty, max_length=10, null=True)
    audiences: fields.JSONField[list[str]] = fields.JSONField(default=list)
    tags: fields.JSONField[list[str]] = fields.JSONField(default=list)
    media_ids: fields.JSONField[list[int]] = fields.JSONField(default=list)
    accepted_answers: fields.JSONField[list[str]] = fields.JSONField(default=list)
    # Versions (docs/quizzes.md): an edit of a question that attempts already hold makes a new row
    # (version + 1, previous_version_id pointing back) and retires this one, so old grades stay true.
    version = fields.IntField(default=1)
    previous_version_id = fields.IntField(null=True)
    retired_at = fields.DatetimeField(null=True)

    options: fields.ReverseRelation[QuestionOption]

    class Meta:
        table = "question"


class QuestionOption(Model):
    """An option or a matching target, known to clients only by its random token.

    Rows are inserted in shuffled order and tokens are random, so neither the
    primary key nor the token says anything about correctness. `display_position`
    is what learners see when options are not shuffled (random for ORDERING and
    matching targets), `key_position` the author's order (the right order for ORDERING).
    """

    id = fields.IntField(primary_key=True)
    question: fields.ForeignKeyRelation[Question] = fields.ForeignKeyField(
        "quizzes.Question", related_name="options", on_delete=fields.CASCADE
    )
    question_id: int
    token = fields.CharField(max_length=32, unique=True)
    role = fields.CharEnumField(OptionRole, max_length=10, default=OptionRole.OPTION)
    text = fields.TextField()
    correct = fields.BooleanField(default=False)
    feedback = fields.TextField(null=True)
    # For a MATCHING option: the token of the target it matches.
    match_token = fields.CharField(max_length=32, null=True)
    key_position = fields.IntField()
    display_position = fields.IntField()

    class Meta:
        table = "question_option"


class Quiz(TimestampedModel):
    title = fields.CharField(max_length=200)
    description = fields.TextField(null=True)
    audiences: fields.JSONField[list[str]] = fields.JSONField(default=list)
    status = fields.CharEnumField(PublicationStatus, max_length=20, default=PublicationStatus.DRAFT)
    draw_bank: fields.ForeignKeyNullableRelation[QuestionBank] = fields.ForeignKeyField(
        "quizzes.QuestionBank", related_name="drawing_quizzes", null=True, on_delete=fields.RESTRICT
    )
    draw_bank_id: int | None
    draw_count = fields.IntField(null=True)
    time_limit_seconds = fields.IntField(null=True)
    max_attempts = fields.IntField(null=True)
    passing_score = fields.FloatField(null=True)
    shuffle_options = fields.BooleanField(default=False)
    # The content app's lesson (no foreign key across apps until lessons are merged).
    lesson_id = fields.IntField(null=True, db_index=True)
    created_by: fields.ForeignKeyNullableRelation[User] = fields.ForeignKeyField(
        "accounts.User", related_name="quizzes", null=True, on_delete=fields.SET_NULL
    )
    created_by_id: int | None

    class Meta:
        table = "quiz"


class QuizQuestion(Model):
    """A fixed question of a quiz, in order."""

    id = fields.IntField(primary_key=True)
    quiz: fields.ForeignKeyRelation[Quiz] = fields.ForeignKeyField(
        "quizzes.Quiz", related_name="fixed_questions", on_delete=fields.CASCADE
    )
    quiz_id: int
    question: fields.ForeignKeyRelation[Question] = fields.ForeignKeyField(
        "quizzes.Question", related_name="quiz_links", on_delete=fields.RESTRICT
    )
    question_id: int
    position = fields.IntField()

    class Meta:
        table = "quiz_question"
        unique_together = (("quiz", "question"),)


class Attempt(Model):
    """One sitting of a quiz or a practice round, graded once on submission."""

    id = fields.IntField(primary_key=True)
    user: fields.ForeignKeyRelation[User] = fields.ForeignKeyField(
        "accounts.User", related_name="quiz_attempts", on_delete=fields.CASCADE
    )
    user_id: int
    quiz: fields.ForeignKeyNullableRelation[Quiz] = fields.ForeignKeyField(
        "quizzes.Quiz", related_name="attempts", null=True, on_delete=fields.CASCADE
    )
    quiz_id: int | None
    kind = fields.CharEnumField(AttemptKind, max_length=20, default=AttemptKind.QUIZ)
    status = fields.CharEnumField(AttemptStatus, max_length=20, default=AttemptStatus.IN_PROGRESS)
    started_at = fields.DatetimeField()
    deadline = fields.DatetimeField(null=True)
    submitted_at = fields.DatetimeField(null=True, db_index=True)
    total_count = fields.IntField()
    correct_count = fields.IntField(null=True)
    score = fields.FloatField(null=True)
    passed = fields.BooleanField(null=True)
    # The learner's n-th attempt at this quiz (null for practice). Unique per learner and quiz, and
    # never above the quiz's maxAttempts: two starts that raced for the same number cannot both land.
    # Migration 0003 also adds partial unique indexes: one open attempt per learner and quiz, and
    # one open practice round per learner and kind (docs/quizzes.md, "Starting").
    number = fields.IntField(null=True)

    items: fields.ReverseRelation[AttemptItem]

    class Meta:
        table = "quiz_attempt"
        indexes = (("user_id", "status"),)
        unique_together = (("user", "quiz", "number"),)


class AttemptItem(Model):
    """A question fixed in an attempt with its option order, the saved answer and, once graded, the result."""

    id = fields.IntField(primary_key=True)
    attempt: fields.ForeignKeyRelation[Attempt] = fields.ForeignKeyField(
        "quizzes.Attempt", related_name="items", on_delete=fields.CASCADE
    )
    attempt_id: int
    user: fields.ForeignKeyRelation[User] = fields.ForeignKeyField(
        "accounts.User", related_name="attempt_items", on_delete=fields.CASCADE
    )
    user_id: int
    question: fields.ForeignKeyRelation[Question] = fields.ForeignKeyField(
        "quizzes.Question", related_name="attempt_items", on_delete=fields.RESTRICT
    )
    question_id: int
    position = fields.IntField()
    option_order: fields.JSONField[list[str]] = fields.JSONField(default=list)
    target_order: fields.JSONField[list[str]] = fields.JSONField(default=list)
    answer: fields.JSONField[dict[str, Any] | None] = fields.JSONField(null=True)
    answered_at = fields.DatetimeField(null=True)
    # True when the caller met this question for the first time in a quiz (not a retry, not practice).
    first_seen = fields.BooleanField(default=False)
    correct = fields.BooleanField(null=True)

    class Meta:
        table = "attempt_item"
        unique_together = (("attempt", "question"),)
        indexes = (("user_id", "question_id"),)


class WrongQuestion(Model):
    """A question in a learner's wrong-answer notebook."""

    id = fields.IntField(primary_key=True)
    user: fields.ForeignKeyRelation[User] = fields.ForeignKeyField(
        "accounts.User", related_name="wrong_questions", on_delete=fields.CASCADE
    )
    user_id: int
    question: fields.ForeignKeyRelation[Question] = fields.ForeignKeyField(
        "quizzes.Question", related_name="wrong_entries", on_delete=fields.CASCADE
    )
    question_id: int
    times_wrong = fields.IntField(default=0)
    last_wrong_at = fields.DatetimeField()
    # Separate attempts answered correctly since the last wrong answer; two make it mastered.
    correct_since = fields.IntField(default=0)
    mastered = fields.BooleanField(default=False)

    class Meta:
        table = "wrong_question"
        unique_together = (("user", "question"),)
