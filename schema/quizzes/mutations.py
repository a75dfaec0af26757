"""Quiz mutations: banks, questions, import, quizzes and their workflow, attempts and practice."""

from __future__ import annotations

from typing import Annotated, Any

import strawberry

from resolvers import quizzes
from resolvers.errors import DomainError
from resolvers.transaction import unit_of_work
from schema.context import Info
from schema.errors import payload, user_errors
from schema.quizzes.inputs import (
    ImportQuestionsInput,
    ImportQuestionsPayload,
    PracticeInput,
    QuestionBankInput,
    QuestionBankPayload,
    QuestionInput,
    QuestionPayload,
    QuestionUpdateInput,
    QuizAttemptPayload,
    QuizInput,
    QuizPatch,
    QuizPayload,
    SubmitAttemptInput,
)
from schema.quizzes.types import Question, QuestionBank, Quiz, QuizAttempt
from schema.relay import decode_id, decode_ids, parse_global_id
from schema.shared import PublicationStatus


def _question_spec(input: QuestionInput | QuestionUpdateInput) -> quizzes.QuestionSpec:
    return quizzes.QuestionSpec(
        type=input.type.value,
        stem=input.stem,
        options=[quizzes.OptionSpec(o.text, o.correct, o.feedback) for o in input.options or ()],
        match_targets=list(input.match_targets or ()),
        accepted_answers=list(input.accepted_answers or ()),
        explanation=input.explanation,
        difficulty=input.difficulty.value if input.difficulty else None,
        audiences=[a.value for a in input.audiences or ()],
        tags=list(input.tags or ()),
        media_ids=decode_ids(input.media_ids or [], "MediaAsset", field="input.mediaIds"),
    )


def _quiz_spec(input: QuizInput) -> quizzes.QuizSpec:
    return quizzes.QuizSpec(
        title=input.title,
        description=input.description,
        audiences=[a.value for a in input.audiences or ()],
        question_ids=decode_ids(input.question_ids, "Question", field="input.questionIds")
        if input.question_ids is not None
        else None,
        draw_bank_id=decode_id(input.draw_from_bank_id, "QuestionBank", field="input.drawFromBankId")
        if input.draw_from_bank_id
        else None,
        draw_count=input.draw_count,
        time_limit_seconds=input.time_limit_seconds,
        max_attempts=input.max_attempts,
        passing_score=input.passing_score,
        shuffle_options=bool(input.shuffle_options),
        lesson_id=decode_id(input.lesson_id, "Lesson", field="input.lessonId") if input.lesson_id else None,
    )


def _quiz_patch(patch: QuizPatch) -> quizzes.QuizPatch:
    given: dict[str, Any] = {}
    for name in ("title", "description", "draw_count", "time_limit_seconds", "max_attempts", "passing_score"):
        value = getattr(patch, name)
        if value is not strawberry.UNSET:
            given[name] = value
    if patch.title is None:
        given["title"] = ""  # a quiz keeps a title: null is refused like an empty one
    if patch.audiences is not strawberry.UNSET:
        given["audiences"] = [a.value for a in patch.audiences or ()]
    if patch.shuffle_options is not strawberry.UNSET:
        given["shuffle_options"] = bool(patch.shuffle_options)
    if patch.question_ids is not strawberry.UNSET:
        given["question_ids"] = (
            decode_ids(patch.question_ids, "Question", field="patch.questionIds")
            if patch.question_ids is not None
            else None
        )
    if patch.draw_from_bank_id is not strawberry.UNSET:
        given["draw_bank_id"] = (
            decode_id(patch.draw_from_bank_id, "QuestionBank", field="patch.drawFromBankId")
            if patch.draw_from_bank_id
            else None
        )
    if patch.lesson_id is not strawberry.UNSET:
        given["lesson_id"] = decode_id(patch.lesson_id, "Lesson", field="patch.lessonId") if patch.lesson_id else None
    return quizzes.QuizPatch(given)


def _answers(input: SubmitAttemptInput) -> list[quizzes.AnswerSpec]:
    answers = []
    for answer in input.answers:
        parsed = parse_global_id(answer.question_id)
        answers.append(
            quizzes.AnswerSpec(
                question_id=parsed[1] if parsed and parsed[0] == "Question" else None,
                selected_option_ids=[str(i) for i in answer.selected_option_ids]
                if answer.selected_option_ids is not None
                else None,
                text=answer.text,
                matches={str(m.option_id): str(m.target_id) for m in answer.matches}
                if answer.matches is not None
                else None,
                order=[str(i) for i in answer.order] if answer.order is not None else None,
                raw_question_id=str(answer.question_id),
            )
        )
    return answers


@strawberry.type
class QuizMutation:
    @strawberry.mutation(description="Editors and admins.")
    @payload(QuestionBankPayload)
    async def create_question_bank(
        self,
        info: Info,
        input: Annotated[
            QuestionBankInput, strawberry.argument(description="The bank to create (INVALID for a bad name).")
        ],
    ) -> QuestionBankPayload:
        bank = await quizzes.create_bank(info.context.actor, name=input.name, description=input.description)
        return QuestionBankPayload(bank=QuestionBank.from_model(bank))

    @strawberry.mutation(description="Editors and admins; every problem with the input comes back as a typed error.")
    @payload(QuestionPayload)
    async def create_question(
        self,
        info: Info,
        input: Annotated[
            QuestionInput,
            strawberry.argument(
                description="The question and its bank (INVALID with each problem, NOT_FOUND for the bank)."
            ),
        ],
    ) -> QuestionPayload:
        bank_id = decode_id(input.bank_id, "QuestionBank", field="input.bankId")
        question = await quizzes.create_question(info.context.actor, bank_id, _question_spec(input))
        return QuestionPayload(question=Question.from_model(question))

    @strawberry.mutation(description="Editors and admins: rename a bank or change its description.")
    @payload(QuestionBankPayload)
    async def update_question_bank(
        self,
        info: Info,
        id: Annotated[strawberry.ID, strawberry.argument(description="Global ID of the bank (NOT_FOUND otherwise).")],
        input: Annotated[QuestionBankInput, strawberry.argument(description="The bank's new name and description.")],
    ) -> QuestionBankPayload:
        bank_id = decode_id(id, "QuestionBank", field="id")
        bank = await quizzes.update_bank(info.context.actor, bank_id, name=input.name, description=input.description)
        return QuestionBankPayload(bank=QuestionBank.from_model(bank))

    @strawberry.mutation(
        description="Editors and admins: replace a question's content. While no attempt holds it, it changes in place; once one does, a new version is stored (returned, with a new id), the old one is retired and the quizzes that listed it list the new one, so old grades stay true."
    )
    @payload(QuestionPayload)
    async def update_question(
        self,
        info: Info,
        id: Annotated[
            strawberry.ID,
            strawberry.argument(description="Global ID of the question; a retired version is refused (INVALID)."),
        ],
        input: Annotated[QuestionUpdateInput, strawberry.argument(description="The question's whole new content.")],
    ) -> QuestionPayload:
        question_id = decode_id(id, "Question", field="id")
        question = await quizzes.update_question(info.context.actor, question_id, _question_spec(input))
        return QuestionPayload(question=Question.from_model(question))

    @strawberry.mutation(
        description="Editors and admins: take a question out of use. It leaves the quizzes that list it and is never drawn again; attempts that hold it keep it."
    )
    @payload(QuestionPayload)
    async def retire_question(
        self,
        info: Info,
        id: Annotated[
            strawberry.ID,
            strawberry.argument(
                description="Global ID of the question; INVALID when a quiz would be left without enough questions."
            ),
        ],
    ) -> QuestionPayload:
        question = await quizzes.retire_question(info.context.actor, decode_id(id, "Question", field="id"))
        return QuestionPayload(question=Question.from_model(question))

    @strawberry.mutation(
        description="Editors and admins: import a GIFT or Moodle XML file; questions that cannot be imported are reported one by one, the rest are imported."
    )
    async def import_questions(
        self,
        info: Info,
        input: Annotated[ImportQuestionsInput, strawberry.argument(description="The bank, the file and its format.")],
    ) -> ImportQuestionsPayload:
        try:
            bank_id = decode_id(input.bank_id, "QuestionBank", field="input.bankId")
            async with unit_of_work():  # the same one transaction @payload opens elsewhere
                result = await quizzes.import_questions(
                    info.context.actor,
                    bank_id,
                    input.format.value,
                    input.file.read,  # type: ignore[attr-defined]  # strawberry types Upload as bytes; Starlette gives an UploadFile
                )
        except DomainError as error:
            return ImportQuestionsPayload(errors=user_errors(error))
        errors = [e for error in result.errors for e in user_errors(error)]
        return ImportQuestionsPayload(
            imported_count=len(result.questions),
            questions=[Question.from_model(q) for q in result.questions],
            errors=errors,
            notes=result.notes,
        )

    @strawberry.mutation(description="Editors and admins; the quiz starts as a DRAFT.")
    @payload(QuizPayload)
    async def create_quiz(
        self, info: Info, input: Annotated[QuizInput, strawberry.argument(description="The quiz to create.")]
    ) -> QuizPayload:
        quiz = await quizzes.create_quiz(info.context.actor, _quiz_spec(input))
        return QuizPayload(quiz=Quiz.from_model(quiz))

    @strawberry.mutation(
        description="Editors and admins: change a quiz's settings or questions in any status; attempts already started keep theirs."
    )
    @payload(QuizPayload)
    async def update_quiz(
        self,
        info: Info,
        id: Annotated[strawberry.ID, strawberry.argument(description="Global ID of the quiz (NOT_FOUND otherwise).")],
        patch: Annotated[
            QuizPatch, strawberry.argument(description="The settings to change; omitted fields stay as they are.")
        ],
    ) -> QuizPayload:
        quiz = await quizzes.update_quiz(info.context.actor, decode_id(id, "Quiz", field="id"), _quiz_patch(patch))
        return QuizPayload(quiz=Quiz.from_model(quiz))

    @strawberry.mutation(description="Editors and admins: move a quiz through DRAFT, IN_REVIEW, PUBLISHED, ARCHIVED.")
    @payload(QuizPayload)
    async def set_quiz_status(
        self,
        info: Info,
        id: Annotated[strawberry.ID, strawberry.argument(description="Global ID of the quiz (NOT_FOUND otherwise).")],
        status: Annotated[
            PublicationStatus,
            strawberry.argument(description="The new status; PUBLISHED makes it visible to everyone."),
        ],
    ) -> QuizPayload:
        quiz = await quizzes.set_status(info.context.actor, decode_id(id, "Quiz", field="id"), status)
        return QuizPayload(quiz=Quiz.from_model(quiz))

    @strawberry.mutation(
        description="Signed-in callers: start an attempt (questions and option order fixed), or get back the one in progress."
    )
    @payload(QuizAttemptPayload)
    async def start_quiz_attempt(
        self,
        info: Info,
        quiz_id: Annotated[
            strawberry.ID,
            strawberry.argument(
                description="Global ID of a quiz the caller can see (NOT_FOUND otherwise; FORBIDDEN when its attempts are used up)."
            ),
        ],
    ) -> QuizAttemptPayload:
        fetched = quizzes.Fetched()
        attempt = await quizzes.start_quiz_attempt(
            info.context.actor, decode_id(quiz_id, "Quiz", field="quizId"), fetched=fetched
        )
        _prime(info, fetched)
        return QuizAttemptPayload(attempt=QuizAttempt.from_model(attempt))

    @strawberry.mutation(
        description="Signed-in callers: practice wrong answers or a random draw; resumes a practice in progress."
    )
    @payload(QuizAttemptPayload)
    async def start_practice(
        self,
        info: Info,
        input: Annotated[
            PracticeInput,
            strawberry.argument(
                description="Where to draw from and how many (INVALID when there is nothing to practise)."
            ),
        ],
    ) -> QuizAttemptPayload:
        attempt = await quizzes.start_practice(
            info.context.actor,
            mode=input.mode.name,  # names equal values; strawberry types enum_value members as definitions
            size=input.size,
            audience=input.audience.value if input.audience else None,
        )
        return QuizAttemptPayload(attempt=QuizAttempt.from_model(attempt))

    @strawberry.mutation(
        description="Save answers of an attempt in progress without submitting (they count if saved before the deadline)."
    )
    @payload(QuizAttemptPayload)
    async def save_attempt_answers(
        self,
        info: Info,
        input: Annotated[
            SubmitAttemptInput,
            strawberry.argument(
                description="The caller's attempt and the answers to save (CONFLICT once submitted or past the deadline)."
            ),
        ],
    ) -> QuizAttemptPayload:
        attempt_id = decode_id(input.attempt_id, "QuizAttempt", field="input.attemptId")
        attempt = await quizzes.save_answers(info.context.actor, attempt_id, _answers(input))
        return QuizAttemptPayload(attempt=QuizAttempt.from_model(attempt))

    @strawberry.mutation(
        description="Grade an attempt on the server, once: repeating it returns the first result. Past the deadline only answers saved in time count (EXPIRED)."
    )
    @payload(QuizAttemptPayload)
    async def submit_quiz_attempt(
        self,
        info: Info,
        input: Annotated[
            SubmitAttemptInput,
            strawberry.argument(
                description="The caller's attempt and its last answers (NOT_FOUND for anyone else's attempt)."
            ),
        ],
    ) -> QuizAttemptPayload:
        attempt_id = decode_id(input.attempt_id, "QuizAttempt", field="input.attemptId")
        fetched = quizzes.Fetched()
        attempt = await quizzes.submit(info.context.actor, attempt_id, _answers(input), fetched=fetched)
        _prime(info, fetched)
        return QuizAttemptPayload(attempt=QuizAttempt.from_model(attempt))


def _prime(info: Info, fetched: quizzes.Fetched) -> None:
    """Give the request's loaders what the service already read, so the answer does not read it again."""
    info.context.loader(quizzes.questions_by_id).prime_many(fetched.questions)
    info.context.loader(quizzes.options_by_question_id).prime_many(fetched.options)
    info.context.loader(quizzes.items_by_attempt_id).prime_many(fetched.items)
