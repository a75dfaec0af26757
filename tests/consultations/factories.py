"""Arrange steps for consultation tests: experts, consenting clients, threads with history."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from models.accounts import User
from models.base import Role
from models.consultations import Consultation, ConsultationMessage, ExpertiseArea, ExpertProfile
from resolvers import accounts
from resolvers.consultations import consent, sealed, threads
from resolvers.events import InProcessEventBus
from schema.relay import to_global_id
from tests.accounts.factories import make_user


@dataclass
class Person:
    user_id: int
    token: str
    display_name: str


@dataclass
class ExpertPerson(Person):
    profile: ExpertProfile

    @property
    def gid(self) -> str:
        return to_global_id("Expert", self.profile.id)


async def person(username: str, *roles: Role, display_name: str | None = None) -> Person:
    user = await make_user(username, *roles, display_name=display_name)
    session = await accounts._open_session(user)
    return Person(user.id, session.token, user.display_name)


async def expert(
    username: str, area: ExpertiseArea = ExpertiseArea.PSYCHOLOGICAL, *, accepting: bool = True
) -> ExpertPerson:
    p = await person(username, Role.EXPERT, display_name=f"Dr {username.title()}")
    profile = await ExpertProfile.create(
        user_id=p.user_id,
        display_name=p.display_name,
        area=area,
        specialties=["成瘾心理"],
        accepting_consultations=accepting,
    )
    return ExpertPerson(p.user_id, p.token, p.display_name, profile)


async def client(username: str, *, consenting: bool = True, display_name: str | None = None) -> Person:
    p = await person(username, Role.CLIENT, display_name=display_name)
    if consenting:
        await consent.accept(accounts.actor_for(await _user(p.user_id)), await consent.current_version() or 0)
    return p


async def consenting_token(username: str, *roles: Role) -> str:
    """A person (a learner unless roles are given) who accepted the current privacy notice, as a token.

    Uploading an attachment needs one's own current consent (docs/security.md, 11.7).
    """
    p = await person(username, *(roles or (Role.LEARNER,)))
    await consent.accept(accounts.actor_for(await _user(p.user_id)), await consent.current_version() or 0)
    return p.token


async def _user(user_id: int) -> User:
    return await User.get(id=user_id)


async def thread(
    who: Person, chosen: ExpertPerson, subject: str = "睡不着", body: str = "最近总是失眠。"
) -> Consultation:
    """A consultation opened through the service layer."""
    actor = accounts.actor_for(await _user(who.user_id))
    return await threads.open_consultation(
        actor, InProcessEventBus(), expert_id=chosen.profile.id, subject=subject, body=body
    )


async def add_messages(consultation: Consultation, count: int, *, from_expert: bool = False) -> None:
    """History written directly (no rate limits): alternating authors unless from_expert is fixed."""
    start = datetime.now(UTC)
    await ConsultationMessage.bulk_create(
        [
            ConsultationMessage(
                consultation_id=consultation.id,
                author_id=consultation.expert_user_id if from_expert else consultation.client_id,
                from_expert=from_expert,
                author_name="x",
                body=sealed.seal(f"message {i}", sealed.MESSAGE_BODY),
                sent_at=start + timedelta(seconds=i),
            )
            for i in range(count)
        ]
    )


def gid(type_name: str, pk: int) -> str:
    return to_global_id(type_name, pk)
