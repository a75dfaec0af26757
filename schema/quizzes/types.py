"""GraphQL types of the quizzes domain: questions, banks, quizzes, attempts and figures."""

from __future__ import annotations

from datetime import datetime
from enum import Enum
from typing import TYPE_CHECKING, Annotated, Any

import strawberry

from models import quizzes as models
from models.base import Audience as AudienceModel
from models.base import PublicationStatus as PublicationStatusModel
from models.content import ContentType
from quizlib.stats import QuestionStatValue
from resolvers import days, permissions, quizzes
from resolvers.content import items as content_items
from resolvers.content import loaders as content_loaders
from resolvers.content.learning import LearningDayTotal
from schema.accounts import Organization
from schema.context import Info
from schema.relay import After, Before, Connection, First, Last, Node, PageArgs, paginate_listing, to_global_id
from schema.shared import Audience, PublicationStatus, described_enum, present

if TYPE_CHECKING:
    from schema.content.types import Lesson, MediaAsset, Tag

# schema.content.types imports this module (Lesson.quiz): its types are resolved lazily.
LazyLesson = Annotated["Lesson", strawberry.lazy("schema.content.types")]
LazyMediaAsset = Annotated["MediaAsset", strawberry.lazy("schema.content.types")]
LazyTag = Annotated["Tag", strawberry.lazy("schema.content.types")]

# described_enum registers the model's enum in place; the alias lets type checkers read it as a type.
QuestionType = models.QuestionType
described_enum(
    QuestionType,
    "A question's format: how it is answered and graded.",
    {
        "SINGLE_CHOICE": "Pick the one right option.",
        "MULTIPLE_CHOICE": "Pick every right option (and no wrong one).",
        "TRUE_FALSE": "Pick true or false (two options).",
        "FILL_IN_BLANK": "Type the answer; it is compared with the accepted answers after trimming and case folding.",
        "MATCHING": "Pair each option with its target.",
        "ORDERING": "Put the options in the right order.",
    },
)
Difficulty = models.Difficulty
described_enum(
    Difficulty,
    "How hard a question is, as its author rated it.",
    {
        "EASY": "Easy for its audience.",
        "MEDIUM": "Of medium difficulty for its audience.",
        "HARD": "Hard for its audience.",
    },
)
AttemptStatus = models.AttemptStatus
described_enum(
    AttemptStatus,
    "Where a quiz attempt or practice round stands.",
    {
        "IN_PROGRESS": "Started; answers can still be saved and it can be submitted.",
        "SUBMITTED": "Graded on submission; answers are final.",
        "EXPIRED": "Graded after its time limit passed; only answers saved in time count.",
    },
)


class QuestionFormat(Enum):
    GIFT = "GIFT"
    MOODLE_XML = "MOODLE_XML"


# Plain values (not strawberry.enum_value): the services take QuestionFormat.X.value as a str.
described_enum(
    QuestionFormat,
    "A question-bank file format for import and export.",
    {
        "GIFT": "Moodle's GIFT text format (UTF-8); cannot hold ORDERING questions.",
        "MOODLE_XML": "Moodle XML question format.",
    },
)


@strawberry.enum(description="Where a practice round's questions come from.")
class PracticeMode(Enum):
    WRONG_ANSWERS = strawberry.enum_value(
        "WRONG_ANSWERS", description="Questions the caller answered wrongly and has not yet mastered."
    )
    RANDOM = strawberry.enum_value(
        "RANDOM", description="A random draw from published questions for the caller's audience."
    )


@strawberry.type(description="One option (or, for MATCHING, one target) of a question, as a learner sees it.")
class QuestionOption:
    id: strawberry.ID = strawberry.field(description="Opaque and stable; says nothing about order or correctness.")
    text: str = strawberry.field(description="The option as shown to the learner.")


@strawberry.type(description="One option paired with one target in a MATCHING answer or answer key.")
class MatchPair:
    option_id: strawberry.ID = strawberry.field(description="The option's ID (QuestionOption.id among `options`).")
    target_id: strawberry.ID = strawberry.field(description="The target's ID (QuestionOption.id among `matchTargets`).")


@strawberry.type(description="The correct answer and its explanation. Never shown to a learner before they submit.")
class AnswerKey:
    correct_option_ids: list[strawberry.ID] = strawberry.field(
        description="For choice and TRUE_FALSE questions: the right options' IDs."
    )
    accepted_answers: list[str] = strawberry.field(
        description="For FILL_IN_BLANK: the answers accepted (compared after trimming and case folding)."
    )
    matches: list[MatchPair] = strawberry.field(description="For MATCHING: pairs of option id and target id.")
    order: list[strawberry.ID] = strawberry.field(description="For ORDERING: option ids in the right order.")
    explanation: str | None = strawberry.field(
        description="Why the right answer is right, with the options' feedback; null when none was written."
    )


@strawberry.type(description="An option as its author wrote it (editors only).")
class AuthoredOption:
    text: str = strawberry.field(description="The option as written.")
    correct: bool = strawberry.field(description="Whether the author marked it right.")
    feedback: str | None = strawberry.field(description="Shown with the explanation after submission; null when none.")


@strawberry.type(
    description="A question as its author wrote it, in the shape of QuestionUpdateInput, to edit it (editors only)."
)
class QuestionAuthoring:
    options: list[AuthoredOption] = strawberry.field(
        description="In the author's order (the right order for ORDERING)."
    )
    match_targets: list[str] = strawberry.field(description="For MATCHING: target i matches option i.")
    accepted_answers: list[str] = strawberry.field(description="For FILL_IN_BLANK: the accepted answers.")
    explanation: str | None = strawberry.field(description="The explanation as written; null when none.")
    tags: list[str] = strawberry.field(description="Tag names.")
    media_ids: list[strawberry.ID] = strawberry.field(
        description="Global IDs of the media shown with the question, in order."
    )


async def _key_access(info: Info, question_id: int) -> quizzes.KeyAccess | None:
    """None for editors (they see everything), else what this learner may know (docs/quizzes.md "Answer keys")."""
    actor = info.context.actor
    if permissions.can_edit_quizzes(actor):
        return None
    if actor.user_id is None:
        return quizzes.KeyAccess()
    access: quizzes.KeyAccess = await info.context.loader(quizzes.key_access_by_user_question).load(
        (actor.user_id, question_id)
    )
    return access


async def _may_see_key(info: Info, question_id: int) -> bool:
    access = await _key_access(info, question_id)
    return access is None or access.may_see_key


async def _may_see_result(info: Info, question_id: int) -> bool:
    access = await _key_access(info, question_id)
    return access is None or access.may_see_result


@strawberry.type(
    description="A question of a bank. Editors and admins see any; a learner only those in their own attempts (and answer keys only as `answerKey` says)."
)
class Question(Node):
    type: QuestionType = strawberry.field(description="The question format.")
    stem: str = strawberry.field(description="The question text, in Markdown.")
    difficulty: Difficulty | None = strawberry.field(description="How hard it is; null when not rated.")
    audiences: list[Audience] = strawberry.field(description="Who it is written for.")
    version: int = strawberry.field(description="1, then one more for each edit made after attempts held it.")
    retired_at: datetime | None = strawberry.field(
        description="When it was retired (replaced by a newer version or taken out of use); null while in use."
    )
    pk: strawberry.Private[int]
    model: strawberry.Private[models.Question]
    # In an attempt: the option and target order fixed when it started.
    option_order: strawberry.Private[list[str] | None] = None
    target_order: strawberry.Private[list[str] | None] = None

    @classmethod
    def from_model(
        cls, question: models.Question, *, option_order: list[str] | None = None, target_order: list[str] | None = None
    ) -> Question:
        return cls(
            id=to_global_id("Question", question.id),
            type=question.type,
            stem=question.stem,
            difficulty=question.difficulty,
            audiences=[AudienceModel(a) for a in question.audiences or ()],
            version=question.version,
            retired_at=question.retired_at,
            pk=question.id,
            model=question,
            option_order=option_order,
            target_order=target_order,
        )

    @strawberry.field(description="The question's tags (the same tags as lessons and stories).")
    async def tags(self, info: Info) -> list[LazyTag]:
        from schema.content.types import Tag

        found = await info.context.loader(content_loaders.tags_by_name).load_many(list(self.model.tags or ()))
        return [Tag.from_model(t) for t in found if t is not None]

    @strawberry.field(description="Images, audio or video shown with the stem, in order.")
    async def media(self, info: Info) -> list[LazyMediaAsset]:
        from schema.content.types import MediaAsset

        found = await info.context.loader(content_loaders.media_by_id).load_many(list(self.model.media_ids or ()))
        return [MediaAsset.from_model(m) for m in found if m is not None and not m.is_private]

    async def _options(self, info: Info) -> list[models.QuestionOption]:
        return await info.context.loader(quizzes.options_by_question_id).load(self.pk)

    @staticmethod
    def _ordered(options: list[models.QuestionOption], order: list[str] | None) -> list[QuestionOption]:
        if order is not None:
            by_token = {o.token: o for o in options}
            options = [by_token[t] for t in order if t in by_token]
        return [QuestionOption(id=strawberry.ID(o.token), text=o.text) for o in options]

    @strawberry.field(description="The options, in the order the learner sees them (fixed per attempt when shuffled).")
    async def options(self, info: Info) -> list[QuestionOption]:
        all_options = await self._options(info)
        return self._ordered([o for o in all_options if o.role == models.OptionRole.OPTION], self.option_order)

    @strawberry.field(description="For MATCHING: the items options are matched to.")
    async def match_targets(self, info: Info) -> list[QuestionOption]:
        all_options = await self._options(info)
        return self._ordered([o for o in all_options if o.role == models.OptionRole.TARGET], self.target_order)

    @strawberry.field(description="The version this one replaced; editors only.")
    def previous_version_id(self, info: Info) -> strawberry.ID | None:
        previous = self.model.previous_version_id
        if previous is None or not permissions.can_edit_quizzes(info.context.actor):
            return None
        return strawberry.ID(to_global_id("Question", previous))

    @strawberry.field(description="The question as written, to edit it; null for everyone but editors.")
    async def authoring(self, info: Info) -> QuestionAuthoring | None:
        if not permissions.can_edit_quizzes(info.context.actor):
            return None
        options = await self._options(info)
        by_key = sorted(options, key=lambda o: o.key_position)
        choices = [o for o in by_key if o.role == models.OptionRole.OPTION]
        targets = {o.token: o.text for o in by_key if o.role == models.OptionRole.TARGET}
        return QuestionAuthoring(
            options=[AuthoredOption(text=o.text, correct=o.correct, feedback=o.feedback) for o in choices],
            match_targets=[targets[o.match_token] for o in choices if o.match_token in targets],
            accepted_answers=list(self.model.accepted_answers or ()),
            explanation=self.model.explanation,
            tags=list(self.model.tags or ()),
            media_ids=[strawberry.ID(to_global_id("MediaAsset", m)) for m in self.model.media_ids or ()],
        )

    @strawberry.field(
        description=(
            "Null unless the caller may see it: editors; a learner only for a question they answered in a "
            "submitted attempt, while no attempt in progress holds it and no published quiz with an attempt "
            "limit that holds it still has attempts left for them."
        )
    )
    async def answer_key(self, info: Info) -> AnswerKey | None:
        if not await _may_see_key(info, self.pk):
            return None
        options = await self._options(info)
        key = quizzes.answer_key(self.model, options)
        return AnswerKey(
            correct_option_ids=[strawberry.ID(t) for t in sorted(key.correct_option_ids)],
            accepted_answers=list(key.accepted_answers),
            matches=[MatchPair(option_id=strawberry.ID(o), target_id=strawberry.ID(t)) for o, t in key.matches.items()],
            order=[strawberry.ID(t) for t in key.order],
            explanation=quizzes.explanation_of(self.model, options),
        )


@strawberry.type(
    description="A named collection of questions that quizzes and practice draw from. Editors and admins only."
)
class QuestionBank(Node):
    name: str = strawberry.field(description="Unique name, 1–200 characters.")
    description: str | None = strawberry.field(description="What the bank collects; null when none.")
    pk: strawberry.Private[int]

    @classmethod
    def from_model(cls, bank: models.QuestionBank) -> QuestionBank:
        return cls(id=to_global_id("QuestionBank", bank.id), name=bank.name, description=bank.description, pk=bank.id)

    @strawberry.field(description="Questions in use in the bank (retired versions not counted).")
    async def question_count(self, info: Info) -> int:
        return await info.context.loader(quizzes.question_counts_by_bank_id).load(self.pk)

    @strawberry.field(description="The bank's questions in the order they were added (retired ones only when asked).")
    async def questions(
        self,
        info: Info,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
        include_retired: Annotated[
            bool, strawberry.argument(description="True to include retired versions too (default false).")
        ] = False,
    ) -> Connection[Question]:
        return await paginate_listing(
            PageArgs(first, after, last, before),
            quizzes.questions_of_bank(self.pk, include_retired=include_retired),
            Question.from_model,
        )

    @strawberry.field(
        description="The bank as a GIFT or Moodle XML file (editors only). GIFT cannot hold ORDERING questions."
    )
    async def export(
        self,
        info: Info,
        format: Annotated[QuestionFormat, strawberry.argument(description="The file format to write.")],
    ) -> str:
        return await quizzes.export_bank_for(info.context.actor, self.pk, format.value)


@strawberry.type(description="How one question fared in a quiz's graded attempts.")
class QuestionStat:
    answered: int = strawberry.field(description="Graded answers to it.")
    correct: int = strawberry.field(description="Of those, how many were right.")
    facility: float | None = strawberry.field(
        description="Share of answers that were correct (Moodle's facility index), 0..1."
    )
    discrimination: float | None = strawberry.field(
        description="Point-biserial-style discrimination of the question, -1..1; null until enough attempts."
    )
    question_pk: strawberry.Private[int]

    @strawberry.field(description="The question.")
    async def question(self, info: Info) -> Question:
        question = await info.context.loader(quizzes.questions_by_id).load(self.question_pk)
        return Question.from_model(present(question, "question"))

    @classmethod
    def from_value(cls, question_id: int, value: QuestionStatValue) -> QuestionStat:
        return cls(
            answered=value.answered,
            correct=value.correct,
            facility=value.facility,
            discrimination=value.discrimination,
            question_pk=question_id,
        )


@strawberry.type(description="A quiz's attempt figures; teachers see their own organization's learners only.")
class QuizStats:
    attempt_count: int = strawberry.field(description="Attempts started, graded or not.")
    submitted_count: int = strawberry.field(description="Attempts graded (submitted or expired).")
    average_score: float | None = strawberry.field(description="Mean score 0..100 of graded attempts.")
    question_stats: list[QuestionStat] = strawberry.field(description="Per question, in the quiz's order.")


@strawberry.type(
    description="A quiz learners take. Anyone (also anonymous callers and API keys) sees PUBLISHED quizzes; editors and admins see all."
)
class Quiz(Node):
    title: str = strawberry.field(description="1–200 characters.")
    description: str | None = strawberry.field(description="Shown before starting; null when none.")
    audiences: list[Audience] = strawberry.field(description="Who the quiz is for.")
    status: PublicationStatus = strawberry.field(
        description="Editorial state; only editors and admins ever see one that is not PUBLISHED."
    )
    time_limit_seconds: int | None = strawberry.field(
        description="Time allowed per attempt, in seconds; null for no limit."
    )
    max_attempts: int | None = strawberry.field(description="Null means unlimited.")
    passing_score: float | None = strawberry.field(description="Score 0..100 needed to pass.")
    shuffle_options: bool = strawberry.field(description="Whether each attempt shows options in its own random order.")
    model: strawberry.Private[models.Quiz]

    @classmethod
    def from_model(cls, quiz: models.Quiz) -> Quiz:
        return cls(
            id=to_global_id("Quiz", quiz.id),
            title=quiz.title,
            description=quiz.description,
            audiences=[AudienceModel(a) for a in quiz.audiences or ()],
            status=PublicationStatusModel(quiz.status),
            time_limit_seconds=quiz.time_limit_seconds,
            max_attempts=quiz.max_attempts,
            passing_score=quiz.passing_score,
            shuffle_options=quiz.shuffle_options,
            model=quiz,
        )

    @strawberry.field(description="Questions per attempt: the fixed list's length, or the draw size.")
    async def question_count(self, info: Info) -> int:
        if self.model.draw_count is not None:
            return self.model.draw_count
        return await info.context.loader(quizzes.question_counts_by_quiz_id).load(self.model.id)

    @strawberry.field(description="The fixed questions in order (editors only; empty for a random draw).")
    async def questions(self, info: Info) -> list[Question]:
        if not permissions.can_edit_quizzes(info.context.actor):
            return []
        ids = await info.context.loader(quizzes.fixed_question_ids_by_quiz_id).load(self.model.id)
        found = await info.context.loader(quizzes.questions_by_id).load_many(ids)
        return [Question.from_model(q) for q in found if q is not None]

    @strawberry.field(description="The bank each attempt draws from (editors only; null for a fixed list).")
    async def draw_from_bank(self, info: Info) -> QuestionBank | None:
        if self.model.draw_bank_id is None or not permissions.can_edit_quizzes(info.context.actor):
            return None
        bank = await info.context.loader(quizzes.banks_by_id).load(self.model.draw_bank_id)
        return QuestionBank.from_model(bank) if bank else None

    @strawberry.field(description="How many questions each attempt draws (null for a fixed list).")
    def draw_count(self) -> int | None:
        return self.model.draw_count

    @strawberry.field(description="The lesson this quiz checks; null when there is none or the caller may not see it.")
    async def lesson(self, info: Info) -> LazyLesson | None:
        from schema.content.types import Lesson

        lesson_id = self.model.lesson_id
        if lesson_id is None:
            return None
        item = await info.context.loader(content_loaders.items_by_id).load(lesson_id)
        actor = info.context.actor
        if item is None or item.content_type != ContentType.LESSON or not content_items.visible(actor, item):
            return None
        return Lesson.from_model(
            item,
            preview=permissions.sees_working_version(actor, item),
            editor=permissions.can_see_unpublished_content(actor),
        )

    @strawberry.field(description="Teachers of the caller's organization (their learners only), editors and admins.")
    async def stats(self, info: Info) -> QuizStats | None:
        value = await quizzes.quiz_stats(info.context.actor, self.model)
        if value is None:
            return None
        return QuizStats(
            attempt_count=value.attempt_count,
            submitted_count=value.submitted_count,
            average_score=value.average_score,
            question_stats=[QuestionStat.from_value(qid, v) for qid, v in value.questions],
        )


@strawberry.type(description="One question of an attempt with the caller's saved answer.")
class AttemptItem:
    position: int = strawberry.field(description="Position of the question in this attempt, from 1.")
    model: strawberry.Private[models.AttemptItem]
    graded: strawberry.Private[bool]

    @strawberry.field(description="The question, with options in this attempt's order.")
    async def question(self, info: Info) -> Question:
        question = await info.context.loader(quizzes.questions_by_id).load(self.model.question_id)
        return Question.from_model(
            present(question, "question"), option_order=self.model.option_order, target_order=self.model.target_order
        )

    @property
    def _answer(self) -> dict[str, Any]:
        return self.model.answer or {}

    @strawberry.field(description="The caller's saved answer, if any.")
    def selected_option_ids(self) -> list[strawberry.ID]:
        return [strawberry.ID(t) for t in self._answer.get("selected") or ()]

    @strawberry.field(description="For FILL_IN_BLANK: the caller's saved answer; null if none.")
    def text(self) -> str | None:
        return self._answer.get("text")

    @strawberry.field(description="For MATCHING: the caller's saved pairs.")
    def matches(self) -> list[MatchPair]:
        return [
            MatchPair(option_id=strawberry.ID(o), target_id=strawberry.ID(t))
            for o, t in (self._answer.get("matches") or {}).items()
        ]

    @strawberry.field(description="For ORDERING: the option IDs in the caller's saved order.")
    def order(self) -> list[strawberry.ID]:
        return [strawberry.ID(t) for t in self._answer.get("order") or ()]

    @strawberry.field(
        description=(
            "Null until the attempt is submitted, while another attempt in progress holds the question, and while "
            "a published quiz with an attempt limit holds it and the learner has attempts left there."
        )
    )
    async def correct(self, info: Info) -> bool | None:
        if not self.graded or not await _may_see_result(info, self.model.question_id):
            return None
        return self.model.correct


@strawberry.type(description="One try at a quiz or one practice round. Seen only by the person who took it.")
class QuizAttempt(Node):
    status: AttemptStatus = strawberry.field(description="Whether it is still open, was submitted, or ran out of time.")
    started_at: datetime = strawberry.field(description="When it started (UTC).")
    deadline: datetime | None = strawberry.field(
        description="When the time limit ends (server time); null without one."
    )
    submitted_at: datetime | None = strawberry.field(description="When it was graded (UTC); null while in progress.")
    total_count: int = strawberry.field(description="Questions in the attempt.")
    correct_count: int | None = strawberry.field(description="Null until submitted.")
    score: float | None = strawberry.field(description="0..100; null until submitted.")
    passed: bool | None = strawberry.field(description="Null until submitted, or when the quiz has no passing score.")
    model: strawberry.Private[models.Attempt]

    @classmethod
    def from_model(cls, attempt: models.Attempt) -> QuizAttempt:
        return cls(
            id=to_global_id("QuizAttempt", attempt.id),
            status=attempt.status,
            started_at=attempt.started_at,
            deadline=attempt.deadline,
            submitted_at=attempt.submitted_at,
            total_count=attempt.total_count,
            correct_count=attempt.correct_count,
            score=attempt.score,
            passed=attempt.passed,
            model=attempt,
        )

    @strawberry.field(description="Null for practice attempts.")
    async def quiz(self, info: Info) -> Quiz | None:
        quiz_id = self.model.quiz_id
        if quiz_id is None:
            return None
        quiz = await info.context.loader(quizzes.quizzes_by_id).load(quiz_id)
        return Quiz.from_model(quiz) if quiz else None

    @strawberry.field(description="WRONG_ANSWERS or RANDOM for practice attempts; null for quiz attempts.")
    def practice_mode(self) -> PracticeMode | None:
        kind = self.model.kind
        if kind == models.AttemptKind.QUIZ:
            return None
        return PracticeMode.WRONG_ANSWERS if kind == models.AttemptKind.PRACTICE_WRONG else PracticeMode.RANDOM

    @strawberry.field(description="The attempt's questions in order, with saved answers.")
    async def items(self, info: Info) -> list[AttemptItem]:
        graded = self.model.status != models.AttemptStatus.IN_PROGRESS
        items = await info.context.loader(quizzes.items_by_attempt_id).load(self.model.id)
        return [AttemptItem(position=i.position, model=i, graded=graded) for i in items]


@strawberry.type(description="An entry of the caller's wrong-answer notebook. Seen only by its owner.")
class WrongQuestion:
    times_wrong: int = strawberry.field(description="How many times the caller answered it wrongly.")
    last_wrong_at: datetime = strawberry.field(description="When they last answered it wrongly (UTC).")
    mastered: bool = strawberry.field(
        description="Answered correctly in two separate attempts since the last wrong answer."
    )
    question_pk: strawberry.Private[int]

    @classmethod
    def from_model(cls, entry: models.WrongQuestion) -> WrongQuestion:
        return cls(
            times_wrong=entry.times_wrong,
            last_wrong_at=entry.last_wrong_at,
            mastered=entry.mastered,
            question_pk=entry.question_id,
        )

    @strawberry.field(description="The question.")
    async def question(self, info: Info) -> Question:
        question = await info.context.loader(quizzes.questions_by_id).load(self.question_pk)
        return Question.from_model(present(question, "question"))


@strawberry.type(
    description="One day (of the organization's time zone) of a person's or an organization's graded answers."
)
class AccuracyPoint:
    day: datetime = strawberry.field(
        description=(
            "Start of the day the point covers, with its offset: a day of the organization's time zone "
            "(Organization.timeZone; Asia/Shanghai for people without an organization)."
        )
    )
    answered: int = strawberry.field(description="Answers graded that day.")
    correct: int = strawberry.field(description="Of those, how many were right.")
    accuracy: float = strawberry.field(description="Share of right answers (correct / answered), 0..1.")
    first_seen_answered: int = strawberry.field(
        description="Of `answered`: questions met for the first time in a quiz (not retries, not practice)."
    )
    first_seen_correct: int = strawberry.field(description="Of `firstSeenAnswered`: those answered correctly.")
    first_seen_accuracy: float | None = strawberry.field(
        description="Share of right first-seen answers (firstSeenCorrect / firstSeenAnswered), 0..1; null without any that day."
    )

    @classmethod
    def from_value(cls, point: quizzes.AccuracyPoint) -> AccuracyPoint:
        return cls(
            day=point.day,
            answered=point.answered,
            correct=point.correct,
            accuracy=point.accuracy,
            first_seen_answered=point.first_seen_answered,
            first_seen_correct=point.first_seen_correct,
            first_seen_accuracy=point.first_seen_accuracy,
        )


@strawberry.type(description="One day (in the organization's time zone) of an organization's lesson learning.")
class LearningPoint:
    day: datetime = strawberry.field(
        description="Start of the day the point covers, in the organization's time zone, with its offset."
    )
    learning_seconds: int = strawberry.field(description="Seconds the organization's members spent on lessons.")
    lessons_completed: int = strawberry.field(description="Lessons its members completed that day.")
    active_learners: int = strawberry.field(description="Members who learned or completed a lesson that day.")

    @classmethod
    def from_value(cls, point: LearningDayTotal) -> LearningPoint:
        return cls(
            day=point.starts_at,
            learning_seconds=point.seconds,
            lessons_completed=point.lessons_completed,
            active_learners=point.learners,
        )


@strawberry.type(
    description="One learner of an organization in its report: a display name and learning figures over the report's period, nothing else (no id, role or username)."
)
class OrganizationLearner:
    display_name: str = strawberry.field(description="The name the learner chose to be shown by.")
    learning_seconds: int = strawberry.field(description="Seconds spent on lessons in the period.")
    lessons_completed: int = strawberry.field(description="Lessons completed in the period.")
    attempts_submitted: int = strawberry.field(description="Graded quiz attempts (practice included) in the period.")
    average_score: float | None = strawberry.field(
        description="Mean score 0..100 of the learner's graded quiz attempts in the period (practice excluded); null without any."
    )

    @classmethod
    def from_value(cls, value: quizzes.LearnerFiguresValue) -> OrganizationLearner:
        return cls(
            display_name=value.display_name,
            learning_seconds=value.learning_seconds,
            lessons_completed=value.lessons_completed,
            attempts_submitted=value.attempts_submitted,
            average_score=value.average_score,
        )


@strawberry.type(description="Figures for one organization over a period, for the yearly prevention-work assessment.")
class OrganizationReport:
    organization: Organization = strawberry.field(description="The organization reported on.")
    from_: datetime = strawberry.field(name="from", description="Start of the period (inclusive).")
    to: datetime = strawberry.field(description="End of the period (inclusive).")
    active_learners: int = strawberry.field(
        description="Members of the organization with a graded attempt or recorded lesson time in the period."
    )
    learning_seconds: int = strawberry.field(description="Seconds the members spent on lessons in the period.")
    lessons_completed: int = strawberry.field(description="Lessons the members completed in the period.")
    attempts_submitted: int = strawberry.field(description="Quiz and practice attempts graded in the period.")
    average_score: float | None = strawberry.field(
        description="Mean score 0..100 of graded quiz attempts (practice excluded)."
    )
    accuracy_trend: list[AccuracyPoint] = strawberry.field(
        description="Per day (of the organization's time zone) with answers in the period, oldest first."
    )
    learning_trend: list[LearningPoint] = strawberry.field(
        description=(
            "Per day (of the organization's time zone) with lesson time or completions, oldest first: "
            "every day the period touches, counted whole. Send `from` and `to` at the zone's midnights "
            "(e.g. 2026-01-01T00:00:00+08:00) for exact days."
        ),
        default_factory=list,
    )
    # The organization and period the report covers, for its per-learner list.
    organization_id: strawberry.Private[int] = 0

    @strawberry.field(
        description="The organization's learners by display name, each with their figures over the report's period; the organization's teachers and admins only (FORBIDDEN for its API key)."
    )
    async def learners(
        self,
        info: Info,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> Connection[OrganizationLearner] | None:
        zone = days.zone(self.organization.time_zone)
        listing = quizzes.organization_learners(info.context.actor, self.organization_id, self.from_, self.to, zone)
        return await paginate_listing(PageArgs(first, after, last, before), listing, OrganizationLearner.from_value)
