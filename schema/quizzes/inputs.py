"""Inputs and payloads of the quizzes domain."""

from __future__ import annotations

import strawberry
from strawberry.file_uploads import Upload

from schema.errors import PAYLOAD_ERRORS, UserError
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


@strawberry.input(description="Narrows the quizzes list; every given criterion must match.")
class QuizFilter:
    audience: Audience | None = strawberry.field(default=None, description="Only quizzes written for this audience.")
    lesson_id: strawberry.ID | None = strawberry.field(
        default=None, description="Only quizzes attached to this lesson (global ID)."
    )
    status: PublicationStatus | None = strawberry.field(
        default=None, description="Non-editors only ever see PUBLISHED."
    )


@strawberry.input(description="One answer option of a choice, matching or ordering question.")
class QuestionOptionInput:
    text: str = strawberry.field(description="The option as shown to the learner.")
    correct: bool | None = strawberry.field(
        default=None,
        description="For SINGLE_CHOICE, MULTIPLE_CHOICE and TRUE_FALSE: whether this option is right (default false).",
    )
    feedback: str | None = strawberry.field(default=None, description="Shown with the explanation after submission.")


@strawberry.input(description="A new question in a bank (editors and admins).")
class QuestionInput:
    bank_id: strawberry.ID = strawberry.field(
        description="Global ID of the question bank it goes into (NOT_FOUND otherwise)."
    )
    type: QuestionType = strawberry.field(
        description="The question format; decides which of options, matchTargets and acceptedAnswers apply."
    )
    stem: str = strawberry.field(description="The question text.")
    options: list[QuestionOptionInput] | None = strawberry.field(
        default=None, description="For ORDERING: options are given in the correct order."
    )
    match_targets: list[str] | None = strawberry.field(
        default=None, description="For MATCHING: targets in the same order as options (option i matches target i)."
    )
    accepted_answers: list[str] | None = strawberry.field(
        default=None, description="For FILL_IN_BLANK: accepted answers (compared after trimming and case folding)."
    )
    explanation: str | None = strawberry.field(
        default=None, description="Why the right answer is right; shown after submission."
    )
    difficulty: Difficulty | None = strawberry.field(default=None, description="How hard it is; null when not rated.")
    audiences: list[Audience] | None = strawberry.field(
        default=None, description="Who it is written for (practice by audience draws on it)."
    )
    tags: list[str] | None = strawberry.field(default=None, description="Up to 20 tag names of 1–100 characters.")
    media_ids: list[strawberry.ID] | None = strawberry.field(
        default=None, description="Global IDs of media assets shown with the question."
    )


@strawberry.input(description="A question's whole new content (the bank stays); see updateQuestion.")
class QuestionUpdateInput:
    type: QuestionType = strawberry.field(
        description="The question format; decides which of options, matchTargets and acceptedAnswers apply."
    )
    stem: str = strawberry.field(description="The question text.")
    options: list[QuestionOptionInput] | None = strawberry.field(
        default=None, description="For ORDERING: options are given in the correct order."
    )
    match_targets: list[str] | None = strawberry.field(
        default=None, description="For MATCHING: targets in the same order as options (option i matches target i)."
    )
    accepted_answers: list[str] | None = strawberry.field(
        default=None, description="For FILL_IN_BLANK: accepted answers (compared after trimming and case folding)."
    )
    explanation: str | None = strawberry.field(
        default=None, description="Why the right answer is right; shown after submission."
    )
    difficulty: Difficulty | None = strawberry.field(default=None, description="How hard it is; null when not rated.")
    audiences: list[Audience] | None = strawberry.field(default=None, description="Who it is written for.")
    tags: list[str] | None = strawberry.field(default=None, description="Up to 20 tag names of 1–100 characters.")
    media_ids: list[strawberry.ID] | None = strawberry.field(
        default=None, description="Global IDs of media assets shown with the question."
    )


@strawberry.input(description="A new question bank or a bank's new name and description.")
class QuestionBankInput:
    name: str = strawberry.field(description="1–200 characters.")
    description: str | None = strawberry.field(
        default=None, description="What the bank collects; seen by editors and admins."
    )


@strawberry.input(description="A question file to import into a bank.")
class ImportQuestionsInput:
    bank_id: strawberry.ID = strawberry.field(description="Global ID of the bank the questions go into.")
    format: QuestionFormat = strawberry.field(description="The file's format.")
    file: Upload = strawberry.field(
        description="The file (multipart upload), at most 5 MB; TOO_LARGE or UNSUPPORTED_FORMAT otherwise."
    )


@strawberry.input(description="A new quiz: a fixed list of questions, or a random draw from a bank per attempt.")
class QuizInput:
    title: str = strawberry.field(description="1–200 characters.")
    description: str | None = strawberry.field(
        default=None, description="Shown to everyone who can see the quiz, before they start."
    )
    audiences: list[Audience] | None = strawberry.field(default=None, description="Who the quiz is for.")
    question_ids: list[strawberry.ID] | None = strawberry.field(default=None, description="Fixed questions, in order.")
    draw_from_bank_id: strawberry.ID | None = strawberry.field(
        default=None, description="Or: draw this many questions at random from a bank for each attempt."
    )
    draw_count: int | None = strawberry.field(
        default=None, description="With drawFromBankId: questions drawn per attempt (1–200, at most the bank's size)."
    )
    time_limit_seconds: int | None = strawberry.field(
        default=None, description="Time allowed per attempt, in seconds (10 to 86,400); null for no limit."
    )
    max_attempts: int | None = strawberry.field(
        default=None, description="Attempts allowed per person (at least 1); null for unlimited."
    )
    passing_score: float | None = strawberry.field(
        default=None, description="The score needed to pass, in percent (0–100); null for no pass mark."
    )
    shuffle_options: bool | None = strawberry.field(
        default=None, description="Whether each attempt shows the options in its own random order (default false)."
    )
    lesson_id: strawberry.ID | None = strawberry.field(
        default=None, description="Global ID of the lesson this quiz belongs to; null for a standalone quiz."
    )


@strawberry.input(
    description="Only the fields given change; null clears a setting (questionIds or drawFromBankId switch the kind)."
)
class QuizPatch:
    title: str | None = strawberry.field(default=strawberry.UNSET, description="1–200 characters.")
    description: str | None = strawberry.field(
        default=strawberry.UNSET, description="Shown before starting; null clears it."
    )
    audiences: list[Audience] | None = strawberry.field(default=strawberry.UNSET, description="Who the quiz is for.")
    question_ids: list[strawberry.ID] | None = strawberry.field(
        default=strawberry.UNSET, description="Fixed questions, in order (ends a random draw)."
    )
    draw_from_bank_id: strawberry.ID | None = strawberry.field(
        default=strawberry.UNSET, description="Draw from this bank (ends a fixed list); give drawCount too."
    )
    draw_count: int | None = strawberry.field(
        default=strawberry.UNSET, description="Questions drawn per attempt (1–200) with a random draw."
    )
    time_limit_seconds: int | None = strawberry.field(
        default=strawberry.UNSET,
        description="Time allowed per attempt, in seconds (10 to 86,400); null removes the limit.",
    )
    max_attempts: int | None = strawberry.field(
        default=strawberry.UNSET, description="Attempts allowed per person (at least 1); null for unlimited."
    )
    passing_score: float | None = strawberry.field(
        default=strawberry.UNSET,
        description="The score needed to pass, in percent (0–100); null removes the pass mark.",
    )
    shuffle_options: bool | None = strawberry.field(
        default=strawberry.UNSET, description="Whether each attempt shows the options in its own random order."
    )
    lesson_id: strawberry.ID | None = strawberry.field(
        default=strawberry.UNSET, description="Global ID of the lesson this quiz belongs to; null detaches it."
    )


@strawberry.input(description="One pairing in an answer to a MATCHING question.")
class MatchPairInput:
    option_id: strawberry.ID = strawberry.field(description="Global ID of an option (left-hand side) of the question.")
    target_id: strawberry.ID = strawberry.field(
        description="Global ID of the target (right-hand side) the learner paired it with."
    )


@strawberry.input(description="The answer to one question of the attempt; give the field its type uses.")
class AnswerInput:
    question_id: strawberry.ID = strawberry.field(
        description="Global ID of a question of this attempt (each at most once)."
    )
    selected_option_ids: list[strawberry.ID] | None = strawberry.field(
        default=None, description="For SINGLE_CHOICE, MULTIPLE_CHOICE and TRUE_FALSE: the chosen options' global IDs."
    )
    text: str | None = strawberry.field(
        default=None, description="For FILL_IN_BLANK: the typed answer, at most 1,000 characters."
    )
    matches: list[MatchPairInput] | None = strawberry.field(
        default=None, description="For MATCHING: the learner's pairs."
    )
    order: list[strawberry.ID] | None = strawberry.field(
        default=None, description="For ORDERING: the options' global IDs in the learner's order."
    )


@strawberry.input(description="Answers to an attempt the caller started.")
class SubmitAttemptInput:
    attempt_id: strawberry.ID = strawberry.field(
        description="Global ID of the caller's own attempt (NOT_FOUND for anyone else's)."
    )
    answers: list[AnswerInput] = strawberry.field(
        description="Answers to record before grading; a question with no answer saved is graded wrong."
    )


@strawberry.input(description="A practice round: the caller's wrong answers, or random published questions.")
class PracticeInput:
    mode: PracticeMode = strawberry.field(description="Where the questions come from.")
    size: int | None = strawberry.field(default=None, description="Questions to draw, 1–50 (default 10).")
    audience: Audience | None = strawberry.field(
        default=None, description="For RANDOM: only questions for this audience."
    )


@strawberry.type(description="The result of a question-bank mutation.")
class QuestionBankPayload:
    bank: QuestionBank | None = strawberry.field(
        default=None, description="The bank as saved; null when errors is not empty."
    )
    errors: list[UserError] = strawberry.field(default_factory=list, description=PAYLOAD_ERRORS)


@strawberry.type(description="The result of a question mutation.")
class QuestionPayload:
    question: Question | None = strawberry.field(
        default=None, description="The question as saved; null when errors is not empty."
    )
    errors: list[UserError] = strawberry.field(default_factory=list, description=PAYLOAD_ERRORS)


@strawberry.type(description="The result of importQuestions.")
class ImportQuestionsPayload:
    imported_count: int = strawberry.field(default=0, description="How many questions were added to the bank.")
    questions: list[Question] = strawberry.field(
        default_factory=list, description="The questions added, in file order."
    )
    errors: list[UserError] = strawberry.field(
        default_factory=list,
        description="One entry per question that could not be imported; the rest are still imported.",
    )
    notes: list[str] = strawberry.field(
        default_factory=list, description="What was adapted on import, e.g. unpaired matching targets dropped."
    )


@strawberry.type(description="The result of a quiz mutation.")
class QuizPayload:
    quiz: Quiz | None = strawberry.field(default=None, description="The quiz as saved; null when errors is not empty.")
    errors: list[UserError] = strawberry.field(default_factory=list, description=PAYLOAD_ERRORS)


@strawberry.type(description="The result of starting, answering or submitting an attempt.")
class QuizAttemptPayload:
    attempt: QuizAttempt | None = strawberry.field(
        default=None, description="The attempt as saved; null when errors is not empty."
    )
    errors: list[UserError] = strawberry.field(default_factory=list, description=PAYLOAD_ERRORS)
