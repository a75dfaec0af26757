"""Batch functions for per-request DataLoaders: one statement per batch."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import NamedTuple

from tortoise.expressions import Q

from models.content import (
    ContentItem,
    ContentMedia,
    ContentRevision,
    ContentTag,
    LearningProgress,
    MediaAsset,
    Tag,
)


class TagRow(NamedTuple):
    """The columns of a tag that a listing shows (no model instances on the hot list path)."""

    id: int
    slug: str
    name: str


async def tags_by_content_id(ids: Sequence[int]) -> list[list[TagRow]]:
    grouped: dict[int, list[TagRow]] = defaultdict(list)
    rows = (
        await ContentTag.filter(content_id__in=ids)
        .order_by("id")
        .values_list("content_id", "tag__id", "tag__slug", "tag__name")
    )
    for content_id, tag_id, slug, name in rows:
        grouped[content_id].append(TagRow(tag_id, slug, name))
    return [grouped[i] for i in ids]


async def tags_by_name(names: Sequence[str]) -> list[Tag | None]:
    found = {t.name: t for t in await Tag.filter(name__in=names)}
    return [found.get(n) for n in names]


async def media_by_content_id(ids: Sequence[int]) -> list[list[MediaAsset]]:
    grouped: dict[int, list[MediaAsset]] = defaultdict(list)
    for link in (
        await ContentMedia.filter(content_id__in=ids)
        .select_related("media")
        .order_by("position")
    ):
        grouped[link.content_id].append(link.media)  # type: ignore[attr-defined]
    return [grouped[i] for i in ids]


async def media_by_id(ids: Sequence[int]) -> list[MediaAsset | None]:
    found = {m.id: m for m in await MediaAsset.filter(id__in=ids)}
    return [found.get(i) for i in ids]


async def translations_by_group_id(groups: Sequence[int]) -> list[list[ContentItem]]:
    """Every item of each translation group (the original's id is the group id)."""
    grouped: dict[int, list[ContentItem]] = defaultdict(list)
    for item in await ContentItem.filter(
        Q(id__in=groups) | Q(translation_of_id__in=groups)
    ).order_by("id"):
        grouped[item.translation_of_id or item.id].append(item)  # type: ignore[attr-defined]
    return [grouped[g] for g in groups]


async def progress_by_user_and_content(
    keys: Sequence[tuple[int, int]],
) -> list[LearningProgress | None]:
    users = {u for u, _ in keys}
    contents = {c for _, c in keys}
    found = {
        (p.user_id, p.content_id): p  # type: ignore[attr-defined]
        for p in await LearningProgress.filter(
            user_id__in=users, content_id__in=contents
        )
    }
    return [found.get(k) for k in keys]


async def revisions_by_content_id(ids: Sequence[int]) -> list[list[ContentRevision]]:
    grouped: dict[int, list[ContentRevision]] = defaultdict(list)
    for rev in (
        await ContentRevision.filter(content_id__in=ids)
        .select_related("editor")
        .order_by("-number")
    ):
        grouped[rev.content_id].append(rev)  # type: ignore[attr-defined]
    return [grouped[i] for i in ids]


async def items_by_id(ids: Sequence[int]) -> list[ContentItem | None]:
    found = {i.id: i for i in await ContentItem.filter(id__in=ids)}
    return [found.get(i) for i in ids]
