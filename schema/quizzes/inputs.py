"""Inputs and payloads of the quizzes domain."""

from __future__ import annotations

import strawberry
from strawberry.file_uploads import Upload

from schema.errors import UserError
from schema.quizzes.types import (
    Difficulty,
    PracticeMode,
    Question,
    QuestionBank,
    QuestionFormat,
    QuestionType,
    Quiz,
    QuizAttempt,
)
from schema.shared import Audience, PublicationStatus


@strawberry.input
class QuizFilter:
    audience: Audience | None = None
    lesson_id: strawberry.ID | None = None
    status: PublicationStatus | None = strawberry.field(
        default=None, description="Non-editors only ever see PUBLISHED."
    )


@strawberry.input
class QuestionOptionInput:
    text: str
    correct: bool | None = None
    feedback: str | None = strawberry.field(default=None, description="Shown with the explanation after submission.")


@strawberry.input
class QuestionInput:
    bank_id: strawberry.ID
    type: QuestionType
    stem: str
    options: list[QuestionOptionInput] | None = strawberry.field(
        default=None, description="For ORDERING: options are given in the correct order."
    )
    match_targets: list[str] | None = strawberry.field(
        default=None, description="For MATCHING: targets in the same order as options (option i matches target i)."
    )
    accepted_answers: list[str] | None = strawberry.field(
        default=None, description="For FILL_IN_BLANK: accepted answers (compared after trimming and case folding)."
    )
    explanation: str | None = None
    difficulty: Difficulty | None = None
    audiences: list[Audience] | None = None
    tags: list[str] | None = None
    media_ids: list[strawberry.ID] | None = None


@strawberry.input(description="A question's whole new content (the bank stays); see updateQuestion.")
class QuestionUpdateInput:
    type: QuestionType
    stem: str
    options: list[QuestionOptionInput] | None = strawberry.field(
        default=None, description="For ORDERING: options are given in the correct order."
    )
    match_targets: list[str] | None = strawberry.field(
        default=None, description="For MATCHING: targets in the same order as options (option i matches target i)."
    )
    accepted_answers: list[str] | None = strawberry.field(
        default=None, description="For FILL_IN_BLANK: accepted answers (compared after trimming and case folding)."
    )
    explanation: str | None = None
    difficulty: Difficulty | None = None
    audiences: list[Audience] | None = None
    tags: list[str] | None = None
    media_ids: list[strawberry.ID] | None = None


@strawberry.input
class QuestionBankInput:
    name: str
    description: str | None = None


@strawberry.input
class ImportQuestionsInput:
    bank_id: strawberry.ID
    format: QuestionFormat
    file: Upload


@strawberry.input
class QuizInput:
    title: str
    description: str | None = None
    audiences: list[Audience] | None = None
    question_ids: list[strawberry.ID] | None = strawberry.field(default=None, description="Fixed questions, in order.")
    draw_from_bank_id: strawberry.ID | None = strawberry.field(
        default=None, description="Or: draw this many questions at random from a bank for each attempt."
    )
    draw_count: int | None = None
    time_limit_seconds: int | None = None
    max_attempts: int | None = None
    passing_score: float | None = None
    shuffle_options: bool | None = None
    lesson_id: strawberry.ID | None = None


@strawberry.input(
    description="Only the fields given change; null clears a setting (questionIds or drawFromBankId switch the kind)."
)
class QuizPatch:
    title: str | None = strawberry.UNSET
    description: str | None = strawberry.UNSET
    audiences: list[Audience] | None = strawberry.UNSET
    question_ids: list[strawberry.ID] | None = strawberry.field(
        default=strawberry.UNSET, description="Fixed questions, in order (ends a random draw)."
    )
    draw_from_bank_id: strawberry.ID | None = strawberry.field(
        default=strawberry.UNSET, description="Draw from this bank (ends a fixed list); give drawCount too."
    )
    draw_count: int | None = strawberry.UNSET
    time_limit_seconds: int | None = strawberry.UNSET
    max_attempts: int | None = strawberry.UNSET
    passing_score: float | None = strawberry.UNSET
    shuffle_options: bool | None = strawberry.UNSET
    lesson_id: strawberry.ID | None = strawberry.UNSET


@strawberry.input
class MatchPairInput:
    option_id: strawberry.ID
    target_id: strawberry.ID


@strawberry.input
class AnswerInput:
    question_id: strawberry.ID
    selected_option_ids: list[strawberry.ID] | None = None
    text: str | None = None
    matches: list[MatchPairInput] | None = None
    order: list[strawberry.ID] | None = None


@strawberry.input
class SubmitAttemptInput:
    attempt_id: strawberry.ID
    answers: list[AnswerInput]


@strawberry.input
class PracticeInput:
    mode: PracticeMode
    size: int | None = strawberry.field(default=None, description="Questions to draw, 1–50 (default 10).")
    audience: Audience | None = strawberry.field(
        default=None, description="For RANDOM: only questions for this audience."
    )


@strawberry.type
class QuestionBankPayload:
    bank: QuestionBank | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class QuestionPayload:
    question: Question | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class ImportQuestionsPayload:
    imported_count: int = 0
    questions: list[Question] = strawberry.field(default_factory=list)
    errors: list[UserError] = strawberry.field(
        default_factory=list,
        description="One entry per question that could not be imported; the rest are still imported.",
    )
    notes: list[str] = strawberry.field(
        default_factory=list, description="What was adapted on import, e.g. unpaired matching targets dropped."
    )


@strawberry.type
class QuizPayload:
    quiz: Quiz | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class QuizAttemptPayload:
    attempt: QuizAttempt | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)
