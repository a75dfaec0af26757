"""The signed-in caller and everything that belongs to them alone."""

from __future__ import annotations

from typing import Annotated

import strawberry

from models.accounts import User as UserModel
from schema.accounts import User
from schema.consultations import queries as consultations
from schema.consultations.types import Consultation, ConsultationStatus
from schema.context import Info
from schema.relay import Connection, PageArgs


@strawberry.type(description="The signed-in caller and everything that belongs to them alone.")
class Viewer:
    user_model: strawberry.Private[UserModel]

    @strawberry.field
    def user(self) -> User:
        return User.from_model(self.user_model)

    @strawberry.field(description="The caller's consultations, as client or as expert, most recently active first.")
    async def consultations(
        self,
        info: Info,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
        status: Annotated[ConsultationStatus | None, strawberry.argument(description="Only this status.")] = None,
    ) -> Connection[Consultation]:
        return await consultations.viewer_consultations(info, status, PageArgs(first, after, last, before))

    @strawberry.field(description="Unread messages from the other party, over all of the caller's consultations.")
    async def unread_message_count(self, info: Info) -> int:
        return await consultations.viewer_unread_message_count(info)

    @strawberry.field(description="The privacy-notice version the caller accepted; null if none or withdrawn.")
    async def accepted_privacy_notice_version(self) -> int | None:
        return await consultations.viewer_accepted_privacy_notice_version(self.user_model.id)


@strawberry.type
class ViewerQuery:
    @strawberry.field(description="The signed-in person; null for anonymous callers and API keys.")
    async def viewer(self, info: Info) -> Viewer | None:
        actor = info.context.actor
        if actor.user_id is None:
            return None
        user = await UserModel.get_or_none(id=actor.user_id)
        return Viewer(user_model=user) if user else None
