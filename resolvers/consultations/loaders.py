"""Batch functions behind the consultation desk's per-request DataLoaders (callers hold a parent they may read)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from tortoise.functions import Count, Max

from models.consultations import (
    ConsultationAudit,
    ConsultationMessage,
    ExpertiseArea,
    ExpertProfile,
    HelpPlanRevision,
    MessageAttachment,
    Visit,
)
from models.content import MediaAsset


async def media_by_message_id(ids: Sequence[int]) -> list[list[MediaAsset]]:
    """Batch: each message's attachments, in order (callers hold a message they may read)."""
    grouped: dict[int, list[MediaAsset]] = defaultdict(list)
    for link in await MessageAttachment.filter(message_id__in=list(ids)).select_related("media").order_by("position"):
        grouped[link.message_id].append(link.media)
    return [grouped[i] for i in ids]


async def access_logs_by_consultation(ids: Sequence[int]) -> list[list[ConsultationAudit]]:
    """Batch: every audit record per consultation (callers filter what the actor may see)."""
    found: dict[int, list[ConsultationAudit]] = {i: [] for i in ids}
    for entry in await ConsultationAudit.filter(consultation_id__in=list(ids)).order_by("id"):
        found[entry.consultation_id].append(entry)
    return [found[i] for i in ids]


async def help_plans_by_consultation(ids: Sequence[int]) -> list[HelpPlanRevision | None]:
    """Batch: the newest plan revision per consultation."""
    rows = (
        await HelpPlanRevision.filter(consultation_id__in=list(ids))
        .group_by("consultation_id")
        .annotate(newest=Max("id"))
        .values("consultation_id", "newest")
    )
    plans = {p.id: p for p in await HelpPlanRevision.filter(id__in=[r["newest"] for r in rows])}
    newest = {r["consultation_id"]: plans.get(r["newest"]) for r in rows}
    return [newest.get(i) for i in ids]


async def help_plan_histories_by_consultation(ids: Sequence[int]) -> list[list[HelpPlanRevision]]:
    """Batch: every revision per consultation, oldest first."""
    found: dict[int, list[HelpPlanRevision]] = {i: [] for i in ids}
    for revision in await HelpPlanRevision.filter(consultation_id__in=list(ids)).order_by("revision"):
        found[revision.consultation_id].append(revision)
    return [found[i] for i in ids]


async def visits_by_consultation(ids: Sequence[int]) -> list[list[Visit]]:
    found: dict[int, list[Visit]] = {i: [] for i in ids}
    for visit in await Visit.filter(consultation_id__in=list(ids)).order_by("id"):
        found[visit.consultation_id].append(visit)
    return [found[i] for i in ids]


async def experts_by_area(areas: Sequence[ExpertiseArea]) -> list[list[ExpertProfile]]:
    """Batch: the experts of each area."""
    found: dict[ExpertiseArea, list[ExpertProfile]] = {a: [] for a in areas}
    for profile in await ExpertProfile.filter(area__in=[a.value for a in areas]).order_by("id"):
        found.setdefault(ExpertiseArea(profile.area), []).append(profile)
    return [found[a] for a in areas]


async def experts_by_id(ids: Sequence[int]) -> list[ExpertProfile | None]:
    found = {p.id: p for p in await ExpertProfile.filter(id__in=list(ids))}
    return [found.get(i) for i in ids]


async def last_messages_by_consultation(ids: Sequence[int]) -> list[ConsultationMessage | None]:
    rows = (
        await ConsultationMessage.filter(consultation_id__in=list(ids))
        .group_by("consultation_id")
        .annotate(last_id=Max("id"))
        .values("consultation_id", "last_id")
    )
    messages = {m.id: m for m in await ConsultationMessage.filter(id__in=[r["last_id"] for r in rows])}
    last = {r["consultation_id"]: messages.get(r["last_id"]) for r in rows}
    return [last.get(i) for i in ids]


async def unread_counts(keys: Sequence[tuple[int, int]]) -> list[int]:
    """Batch: unread messages from the other party per (consultation id, reader's user id)."""
    counts: dict[tuple[int, int], int] = {}
    for reader in {user for _, user in keys}:
        ids = [c for c, user in keys if user == reader]
        rows = (
            await ConsultationMessage.filter(consultation_id__in=ids, read_at=None)
            .exclude(author_id=reader)
            .group_by("consultation_id")
            .annotate(unread=Count("id"))
            .values("consultation_id", "unread")
        )
        counts.update({(r["consultation_id"], reader): r["unread"] for r in rows})
    return [counts.get(key, 0) for key in keys]
