"""Demo consultation desk: the 18 expert profiles with drawn portraits, and the demo client's two consultations."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

from tortoise.transactions import in_transaction

from demo import CONSULTATIONS, EXPERTS, EXPERTS_BY_KEY
from demo.shapes import DemoConsultation, DemoExpert
from media import generate
from models.accounts import User
from models.consultations import (
    Consultation,
    ConsultationMessage,
    ConsultationStatus,
    ExpertiseArea,
    ExpertProfile,
    HelpPlanRevision,
    PrivacyConsent,
    Visit,
    VisitStatus,
)
from models.content import MediaAsset, MediaKind
from resolvers import accounts
from resolvers.consultations import consent, sealed
from resolvers.content import media as media_service
from settings import Settings


async def seed(settings: Settings) -> list[str]:
    profiles = await _experts()
    portraits = await _portraits(settings, profiles)
    opened = 0
    for demo in CONSULTATIONS:
        opened += await _consultation(demo, profiles)
    return [
        f"Consultation desk: {len(profiles)} expert profiles ({portraits} new portraits), {opened} new demo consultation(s)."
    ]


async def _user(username: str) -> User | None:
    return await User.get_or_none(username_key=accounts.username_key(username))


async def _experts() -> dict[str, ExpertProfile]:
    """Profiles for the demo experts whose accounts exist (development only creates them)."""
    profiles: dict[str, ExpertProfile] = {}
    for demo in EXPERTS:
        user = await _user(demo.username)
        if user is None:
            continue
        profile = await ExpertProfile.get_or_none(user_id=user.id)
        if profile is None:
            profile = await ExpertProfile.create(
                user_id=user.id,
                display_name=demo.display_name,
                title=demo.title,
                bio=demo.bio,
                area=ExpertiseArea(demo.area),
                specialties=list(demo.specialties),
                accepting_consultations=demo.accepting_consultations,
            )
        profiles[demo.key] = profile
    return profiles


async def _portraits(settings: Settings, profiles: dict[str, ExpertProfile]) -> int:
    """A drawn portrait (an illustration, not a likeness of anyone) for every profile without a photo."""
    storage = media_service.storage_for(settings.media_dir)
    drawn = 0
    for index, demo in enumerate(EXPERTS):
        profile = profiles.get(demo.key)
        if profile is None or profile.photo_id is not None:
            continue
        data = generate.portrait_png(index)
        stored = await storage.save_stream(_one_chunk(data), max_bytes=len(data))
        asset = await MediaAsset.create(
            kind=MediaKind(stored.kind),
            mime_type=stored.mime_type,
            extension=stored.extension,
            byte_size=stored.byte_size,
            sha256=stored.sha256,
            title=f"专家头像：{demo.display_name}",
            alt_text=_portrait_alt(demo),
            width=stored.width,
            height=stored.height,
        )
        profile.photo_id = asset.id
        await profile.save(update_fields=["photo_id"])
        drawn += 1
    return drawn


def _portrait_alt(demo: DemoExpert) -> str:
    return f"{demo.display_name}（{demo.title}）的插画头像：半身像，面带微笑，圆形浅色背景。"


async def _one_chunk(data: bytes) -> AsyncIterator[bytes]:
    yield data


async def _consultation(demo: DemoConsultation, profiles: dict[str, ExpertProfile]) -> int:
    client = await _user(demo.client_username)
    profile = profiles.get(demo.expert_key)
    if client is None or profile is None:
        return 0
    if await Consultation.exists(client_id=client.id, subject=demo.subject):
        return 0
    now = datetime.now(UTC)
    start = now - timedelta(days=3)
    async with in_transaction():
        version = await consent.current_version()
        if version is not None and not await PrivacyConsent.exists(
            user_id=client.id, version=version, withdrawn_at=None
        ):
            await PrivacyConsent.create(user_id=client.id, version=version, accepted_at=start - timedelta(hours=1))
        consultation = await Consultation.create(
            client_id=client.id,
            expert=profile,
            expert_user_id=profile.user_id,
            client_display_name=client.display_name,
            subject=demo.subject,
            status=ConsultationStatus(demo.status),
        )
        sent = start
        for index, message in enumerate(demo.messages):
            sent = start + timedelta(hours=5 * index)
            last = index == len(demo.messages) - 1
            await ConsultationMessage.create(
                consultation=consultation,
                author_id=profile.user_id if message.from_expert else client.id,
                from_expert=message.from_expert,
                author_name=EXPERTS_BY_KEY[demo.expert_key].display_name
                if message.from_expert
                else client.display_name,
                body=sealed.seal(message.body, sealed.MESSAGE_BODY),
                sent_at=sent,
                read_at=None if last else sent + timedelta(hours=1),
            )
        consultation.last_message_at = sent
        await consultation.save(update_fields=["last_message_at"])
        if demo.help_plan is not None:
            await HelpPlanRevision.create(
                consultation=consultation,
                revision=1,
                author_id=profile.user_id,
                goals=sealed.seal(demo.help_plan.goals, sealed.PLAN_GOALS),
                measures=sealed.seal_measures(
                    [
                        {
                            "description": m.description,
                            "due_at": (now + timedelta(days=m.due_in_days)).isoformat(),
                            "done": m.done,
                        }
                        for m in demo.help_plan.measures
                    ]
                ),
                follow_up_at=now + timedelta(days=demo.help_plan.follow_up_in_days),
                created_at=sent,
            )
        if demo.visit is not None:
            await Visit.create(
                consultation=consultation,
                requested_by_id=profile.user_id,
                status=VisitStatus(demo.visit.status),
                scheduled_at=(now + timedelta(days=demo.visit.in_days)).replace(
                    hour=2, minute=0, second=0, microsecond=0
                ),
                location=sealed.seal_optional(demo.visit.location, sealed.VISIT_LOCATION),
                note=sealed.seal_optional(demo.visit.note, sealed.VISIT_NOTE),
            )
    return 1
