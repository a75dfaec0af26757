"""The expert directory: four groups, expert profiles, and who may edit them."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from models import sql
from models.accounts import User
from models.base import Role
from models.consultations import ExpertiseArea, ExpertProfile
from models.content import MediaKind
from resolvers import permissions
from resolvers.actor import Actor
from resolvers.content import media as content_media
from resolvers.errors import DomainError, Invalid, InvalidMany, NotFound
from resolvers.listing import Listing, of_queryset


@dataclass(frozen=True)
class ExpertGroup:
    area: ExpertiseArea
    name: str
    description: str


# The desk's four areas, as the authority names them (Chinese first; English on request).
_GROUPS: dict[ExpertiseArea, dict[str, tuple[str, str]]] = {
    ExpertiseArea.PSYCHOLOGICAL: {
        "zh": ("心理矫治", "心理咨询师和精神科医生帮助你应对渴求、失眠、焦虑和低落情绪，修复与家人的关系，预防复吸。"),
        "en": (
            "Psychological counselling",
            (
                "Counsellors and psychiatrists help you cope with cravings, poor sleep, anxiety and low mood, "
                "mend family relationships and prevent relapse."
            ),
        ),
    },
    ExpertiseArea.LEGAL: {
        "zh": ("法律咨询", "律师为你解答社区戒毒、社区康复中的权利和义务，以及就业、婚姻家庭、法律援助等问题。"),
        "en": (
            "Legal advice",
            (
                "Lawyers answer questions on your rights and duties in community detox and rehabilitation, "
                "and on work, family matters and legal aid."
            ),
        ),
    },
    ExpertiseArea.EDUCATIONAL: {
        "zh": ("教育矫正", "教师和社会工作者帮助你和家人学习禁毒知识、改变不良习惯、重返学校与社区生活。"),
        "en": (
            "Educational correction",
            (
                "Teachers and social workers help you and your family learn about drugs, change harmful habits "
                "and return to school and community life."
            ),
        ),
    },
    ExpertiseArea.REHABILITATION: {
        "zh": ("康复训练", "医生、康复治疗师和职业指导师帮助你恢复体能和睡眠，参加药物维持治疗，学习技能、找到工作。"),
        "en": (
            "Rehabilitation training",
            (
                "Doctors, rehabilitation therapists and career advisers help you regain fitness and sleep, "
                "join maintenance treatment, learn skills and find work."
            ),
        ),
    },
}


def groups(locale: str | None) -> list[ExpertGroup]:
    """The four groups, in English when the locale starts with 'en', else in Chinese."""
    language = "en" if (locale or "").lower().startswith("en") else "zh"
    return [ExpertGroup(area, *texts[language]) for area, texts in _GROUPS.items()]


def experts(area: ExpertiseArea | None) -> Listing[ExpertProfile]:
    """Everyone in the directory (anyone may read it), oldest profile first."""
    query = ExpertProfile.all()
    if area is not None:
        query = query.filter(area=area)
    return of_queryset(query.order_by("id"))


async def get_expert(pk: int) -> ExpertProfile | None:
    return await ExpertProfile.get_or_none(id=pk)


async def own_profile(user_id: int) -> ExpertProfile | None:
    """The directory entry a person answers consultations as, if they have one."""
    return await ExpertProfile.get_or_none(user_id=user_id)


def _clean(
    value: str | None, limit: int, field: str, problems: list[DomainError], *, required: bool = False
) -> str | None:
    text = (value or "").strip()
    if required and not text:
        problems.append(Invalid("This cannot be empty.", field=field))
    elif len(text) > limit:
        problems.append(Invalid(f"Keep this under {limit} characters.", field=field))
    return text or None


async def save_profile(
    actor: Actor,
    *,
    user_id: int,
    display_name: str,
    title: str | None,
    bio: str | None,
    area: ExpertiseArea,
    specialties: Sequence[str] | None,
    photo_id: int | None,
    accepting_consultations: bool | None,
) -> ExpertProfile:
    """Create or update an expert's profile (admins, or the expert themselves)."""
    permissions.require_role(
        actor,
        permissions.can_edit_expert_profile(actor, user_id),
        "Only admins, or the expert themselves, can edit an expert profile.",
    )
    user = await User.get_or_none(id=user_id)
    if user is None:
        raise NotFound("No such user.", field="input.userId")
    if Role.EXPERT.value not in user.roles:
        raise Invalid("That user does not have the EXPERT role.", field="input.userId")
    problems: list[DomainError] = []
    name = _clean(display_name, 100, "input.displayName", problems, required=True)
    clean_title = _clean(title, 200, "input.title", problems)
    clean_bio = _clean(bio, 5000, "input.bio", problems)
    tags = [t.strip() for t in specialties or [] if t.strip()]
    if len(tags) > 20 or any(len(t) > 50 for t in tags):
        problems.append(Invalid("Give at most 20 specialties of up to 50 characters.", field="input.specialties"))
    if photo_id is not None:
        kind = (await content_media.public_kinds([photo_id])).get(photo_id)
        if kind is None:
            problems.append(NotFound("No such image.", field="input.photoId"))
        elif kind != MediaKind.IMAGE:
            problems.append(Invalid("The photo must be an image.", field="input.photoId"))
    if problems:
        raise InvalidMany(list(problems)) if len(problems) > 1 else problems[0]
    values: dict[str, Any] = {
        "display_name": name,
        "title": clean_title,
        "bio": clean_bio,
        "area": area,
        "specialties": tags,
        "photo_id": photo_id,
    }
    await sql.lock(User, user_id)  # two first saves at once: the second updates what the first created
    profile = await ExpertProfile.get_or_none(user_id=user_id)
    if profile is None:
        return await ExpertProfile.create(
            user_id=user_id,
            accepting_consultations=True if accepting_consultations is None else accepting_consultations,
            **values,
        )
    if accepting_consultations is not None:
        values["accepting_consultations"] = accepting_consultations
    await profile.update_from_dict(values).save()
    return profile
