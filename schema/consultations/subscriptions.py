"""Real-time consultation events over graphql-ws: notify by ID, then fetch through the permission path."""

from __future__ import annotations

from collections.abc import AsyncGenerator
from typing import Annotated

import strawberry

from resolvers.consultations import threads
from resolvers.errors import NotFound, Unauthenticated
from resolvers.events import EventBus, consultation_channel, user_channel
from schema.consultations.types import Consultation, Message
from schema.context import Info
from schema.relay import decode_id


def _events(info: Info) -> EventBus:
    events: EventBus = info.context.services["events"]
    return events


@strawberry.type
class ConsultationSubscription:
    @strawberry.subscription(description="New messages in one consultation the caller takes part in.")
    async def message_added(
        self,
        info: Info,
        consultation_id: Annotated[
            strawberry.ID,
            strawberry.argument(
                description="Global ID of a consultation the caller is the client or expert of (NOT_FOUND otherwise)."
            ),
        ],
    ) -> AsyncGenerator[Message, None]:
        pk = decode_id(consultation_id, "Consultation", field="consultationId")
        context = info.context
        if await threads.get_party_consultation(context.actor, pk) is None:
            raise NotFound("No such consultation.", field="consultationId")
        async with _events(info).subscribe(consultation_channel(pk)) as events:
            async for event in events:
                await context.recheck(use=False)
                message = await threads.get_party_message(context.actor, int(event["message"]))
                if message is None or message.consultation_id != pk:
                    raise NotFound("No such consultation.", field="consultationId")
                yield Message.from_model(message)

    @strawberry.subscription(
        description="Any consultation of the caller's that changed (new message, status, plan, visit, read receipts)."
    )
    async def consultation_updated(self, info: Info) -> AsyncGenerator[Consultation, None]:
        context = info.context
        user_id = context.actor.user_id
        if user_id is None:
            raise Unauthenticated("Sign in first (send the token in connection_init).")
        async with _events(info).subscribe(user_channel(user_id)) as events:
            async for event in events:
                await context.recheck(use=False)
                if context.actor.user_id != user_id:
                    raise Unauthenticated("Your sign-in has ended; sign in again.")
                consultation = await threads.get_party_consultation(context.actor, int(event["consultation"]))
                if consultation is not None:
                    yield Consultation.from_model(consultation)
