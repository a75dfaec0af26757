"""Quiz queries and node(id:) support."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import strawberry

from resolvers import permissions, quizzes
from resolvers.errors import NotFound
from schema.accounts import Organization
from schema.context import Info
from schema.node import register_node
from schema.quizzes.inputs import QuizFilter
from schema.quizzes.types import (
    AccuracyPoint,
    LearningPoint,
    OrganizationReport,
    Question,
    QuestionBank,
    Quiz,
    QuizAttempt,
)
from schema.relay import After, Before, Connection, First, Last, PageArgs, decode_id, paginate_listing


@strawberry.type
class QuizQuery:
    @strawberry.field(description="Published quizzes (editors and admins see every status), newest first.")
    async def quizzes(
        self,
        info: Info,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
        filter: Annotated[
            QuizFilter | None, strawberry.argument(description="Narrow by audience, lesson or (for editors) status.")
        ] = None,
    ) -> Connection[Quiz]:
        lesson_id = (
            decode_id(filter.lesson_id, "Lesson", field="filter.lessonId") if filter and filter.lesson_id else None
        )
        queryset = quizzes.visible_quizzes(
            info.context.actor,
            audience=filter.audience.value if filter and filter.audience else None,
            lesson_id=lesson_id,
            status=filter.status.value if filter and filter.status else None,
        )
        return await paginate_listing(PageArgs(first, after, last, before), queryset, Quiz.from_model)

    @strawberry.field(description="A quiz by ID; null when missing or not visible (drafts are for editors).")
    async def quiz(
        self, info: Info, id: Annotated[strawberry.ID, strawberry.argument(description="Global ID of the quiz.")]
    ) -> Quiz | None:
        return await quiz_node(info, decode_id(id, "Quiz", field="id"))

    @strawberry.field(
        description=(
            "Question banks, newest first; editors and admins only (null with UNAUTHENTICATED when signed out, "
            "else FORBIDDEN)."
        )
    )
    async def question_bank_library(
        self,
        info: Info,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> Connection[QuestionBank] | None:
        return await paginate_listing(
            PageArgs(first, after, last, before), quizzes.banks_for(info.context.actor), QuestionBank.from_model
        )

    @strawberry.field(
        description="Question banks; editors and admins only (empty for everyone else).",
        deprecation_reason=(
            "Use questionBankLibrary: it tells a caller who may not read banks so (FORBIDDEN) instead of an empty list."
        ),
    )
    async def question_banks(
        self,
        info: Info,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> Connection[QuestionBank]:
        return await paginate_listing(
            PageArgs(first, after, last, before),
            quizzes.banks_for(info.context.actor, gated=False),
            QuestionBank.from_model,
        )

    @strawberry.field(
        description="An organization's figures over a period (default: the year up to now); teachers and admins of it, admins, and its API key."
    )
    async def organization_report(
        self,
        info: Info,
        organization_id: Annotated[strawberry.ID, strawberry.argument(description="Global ID of the organization.")],
        from_: Annotated[
            datetime | None,
            strawberry.argument(
                name="from",
                description="Start of the period (inclusive), with an offset; default 365 days before `to`.",
            ),
        ] = None,
        to: Annotated[
            datetime | None,
            strawberry.argument(
                description=(
                    "End of the period (exclusive), with an offset; default now. Must be after `from` "
                    "(INVALID otherwise)."
                )
            ),
        ] = None,
    ) -> OrganizationReport | None:
        org_id = decode_id(organization_id, "Organization", field="organizationId")
        report = await quizzes.organization_report(info.context.actor, org_id, from_, to)
        if report is None:
            return None
        return OrganizationReport(
            organization=Organization.from_model(report.organization),
            from_=report.start,
            to=report.end,
            active_learners=report.active_learners,
            learning_seconds=report.learning_seconds,
            lessons_completed=report.lessons_completed,
            attempts_submitted=report.attempts_submitted,
            average_score=report.average_score,
            accuracy_trend=[AccuracyPoint.from_value(p) for p in report.accuracy_trend],
            learning_trend=[LearningPoint.from_value(p) for p in report.learning_trend],
            organization_id=report.organization.id,
        )


@register_node("Quiz")
async def quiz_node(info: Info, pk: int) -> Quiz | None:
    quiz = await quizzes.get_quiz(info.context.actor, pk)
    return Quiz.from_model(quiz) if quiz else None


@register_node("QuestionBank")
async def bank_node(info: Info, pk: int) -> QuestionBank | None:
    try:
        bank = await quizzes.get_bank(info.context.actor, pk)
    except NotFound:
        return None
    return QuestionBank.from_model(bank)


@register_node("Question")
async def question_node(info: Info, pk: int) -> Question | None:
    """Editors see any question; a learner only those of their own attempts."""
    actor = info.context.actor
    question = await info.context.loader(quizzes.questions_by_id).load(pk)
    if question is None:
        return None
    if permissions.can_edit_quizzes(actor):
        return Question.from_model(question)
    if actor.user_id is None:
        return None
    access = await info.context.loader(quizzes.key_access_by_user_question).load((actor.user_id, pk))
    return Question.from_model(question) if access.holds else None


@register_node("QuizAttempt")
async def attempt_node(info: Info, pk: int) -> QuizAttempt | None:
    attempt = await quizzes.get_attempt(info.context.actor, pk)
    return QuizAttempt.from_model(attempt) if attempt else None
