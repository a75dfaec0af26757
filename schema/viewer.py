"""The signed-in caller and everything that belongs to them alone."""

from __future__ import annotations

import strawberry

from models.accounts import User as UserModel
from resolvers.content import learning
from schema.accounts import User
from schema.content.types import LearningSummary
from schema.context import Info


@strawberry.type(description="The signed-in caller and everything that belongs to them alone.")
class Viewer:
    user_model: strawberry.Private[UserModel]

    @strawberry.field
    def user(self) -> User:
        return User.from_model(self.user_model)

    @strawberry.field(description="Time spent on lessons and how many were started and completed.")
    async def learning_summary(self) -> LearningSummary:
        return LearningSummary.from_summary(await learning.summary(self.user_model.id))


@strawberry.type
class ViewerQuery:
    @strawberry.field(description="The signed-in person; null for anonymous callers and API keys.")
    async def viewer(self, info: Info) -> Viewer | None:
        actor = info.context.actor
        if actor.user_id is None:
            return None
        user = await UserModel.get_or_none(id=actor.user_id)
        return Viewer(user_model=user) if user else None
