"""The signed-in caller and everything that belongs to them alone."""

from __future__ import annotations

from typing import Annotated

import strawberry

from models.accounts import User as UserModel
from resolvers import accounts, quizzes, second_factor
from resolvers.content import learning
from schema.accounts import User
from schema.consultations import queries as consultations
from schema.consultations.types import Consultation, ConsultationStatus, Expert, PrivacyConsentRecord
from schema.content.types import LearningSummary
from schema.context import Info
from schema.quizzes.types import AccuracyPoint, QuizAttempt, WrongQuestion
from schema.relay import After, Before, Connection, First, Last, PageArgs, paginate_listing


@strawberry.type(description="The signed-in caller and everything that belongs to them alone.")
class Viewer:
    user_model: strawberry.Private[UserModel]

    @strawberry.field(description="The caller's own account.")
    def user(self) -> User:
        return User.from_model(self.user_model)

    @strawberry.field(
        description="True after an admin reset the password: ask the person to choose their own (changePassword)."
    )
    def must_change_password(self) -> bool:
        return bool(self.user_model.must_change_password)

    @strawberry.field(description="True once the caller set up a TOTP second factor (sign-in asks for its code).")
    def second_factor_enrolled(self) -> bool:
        return second_factor.is_enrolled(self.user_model)

    @strawberry.field(description="How many of the caller's second-factor recovery codes are still unused.")
    async def recovery_codes_left(self) -> int:
        return await second_factor.recovery_codes_left(self.user_model.id)

    @strawberry.field(description="The caller's quiz and practice attempts, newest first.")
    async def quiz_attempts(
        self,
        info: Info,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> Connection[QuizAttempt]:
        queryset = quizzes.attempts_of(self.user_model.id)
        return await paginate_listing(PageArgs(first, after, last, before), queryset, QuizAttempt.from_model)

    @strawberry.field(
        description="The wrong-answer notebook, most recently missed first; mastered questions only when asked."
    )
    async def wrong_questions(
        self,
        info: Info,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
        include_mastered: Annotated[
            bool | None,
            strawberry.argument(
                description="True to include mastered questions (answered right twice in a row since last missed); default false."
            ),
        ] = None,
    ) -> Connection[WrongQuestion]:
        queryset = quizzes.wrong_questions_of(self.user_model.id, include_mastered=bool(include_mastered))
        return await paginate_listing(PageArgs(first, after, last, before), queryset, WrongQuestion.from_model)

    @strawberry.field(
        description=(
            "Accuracy per day with answers over the last `days` days (default 30, at most 366), oldest first; "
            "days of the person's organization's time zone (Asia/Shanghai without one)."
        )
    )
    async def accuracy_trend(
        self,
        info: Info,
        days: Annotated[
            int | None,
            strawberry.argument(
                description="How many days back to look, counting today (in the person's organization's time zone); 1 to 366, default 30."
            ),
        ] = None,
    ) -> list[AccuracyPoint]:
        points = await quizzes.accuracy_trend(self.user_model.id, days)
        return [AccuracyPoint.from_value(p) for p in points]

    @strawberry.field(description="Time spent on lessons and how many were started and completed.")
    async def learning_summary(self) -> LearningSummary:
        return LearningSummary.from_summary(await learning.summary(self.user_model.id))

    @strawberry.field(description="The caller's consultations, as client or as expert, most recently active first.")
    async def consultations(
        self,
        info: Info,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
        status: Annotated[ConsultationStatus | None, strawberry.argument(description="Only this status.")] = None,
    ) -> Connection[Consultation]:
        return await consultations.viewer_consultations(info, status, PageArgs(first, after, last, before))

    @strawberry.field(description="Unread messages from the other party, over all of the caller's consultations.")
    async def unread_message_count(self, info: Info) -> int:
        return await consultations.viewer_unread_message_count(info)

    @strawberry.field(description="The privacy-notice version the caller accepted; null if none or withdrawn.")
    async def accepted_privacy_notice_version(self) -> int | None:
        return await consultations.viewer_accepted_privacy_notice_version(self.user_model.id)

    @strawberry.field(
        description="Every consent the caller gave, newest first: purpose, scope and the notice text they accepted."
    )
    async def privacy_consents(self, info: Info) -> list[PrivacyConsentRecord]:
        return await consultations.viewer_privacy_consents(info)

    @strawberry.field(
        description="The caller's own entry in the expert directory (to edit with saveExpertProfile); null if none."
    )
    async def expert_profile(self) -> Expert | None:
        return await consultations.viewer_expert_profile(self.user_model.id)


@strawberry.type
class ViewerQuery:
    @strawberry.field(description="The signed-in person; null for anonymous callers and API keys.")
    async def viewer(self, info: Info) -> Viewer | None:
        user = await accounts.viewer(info.context.actor)
        return Viewer(user_model=user) if user else None
