"""Batch functions for per-request DataLoaders: one statement per batch."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import datetime
from typing import Any, NamedTuple

from tortoise.expressions import Q

from models import sql
from models.content import (
    ContentItem,
    ContentMedia,
    ContentRevision,
    LearningProgress,
    MediaKind,
    Tag,
)


class TagRow(NamedTuple):
    """The columns of a tag that a listing shows (no model instances on the hot list path)."""

    id: int
    slug: str
    name: str


class MediaRow(NamedTuple):
    """The columns of a media asset that the API shows (read with plain SQL, not as a model)."""

    id: int
    kind: MediaKind
    title: str | None
    alt_text: str | None
    transcript: str | None
    caption: str | None
    mime_type: str
    extension: str
    byte_size: int
    sha256: str
    width: int | None
    height: int | None
    duration_seconds: float | None
    is_private: bool
    created_at: datetime


_MEDIA_COLUMNS = ", ".join(f"m.{c}" for c in MediaRow._fields)


def _media_row(values: Sequence[Any]) -> MediaRow:
    row = MediaRow(*values)
    return row._replace(
        kind=MediaKind(row.kind), is_private=bool(row.is_private), created_at=sql.to_datetime(row.created_at)
    )


# The three loaders every content list runs are plain SQL (models/sql.py says why).


async def tags_by_content_id(ids: Sequence[int]) -> list[list[TagRow]]:
    if not ids:
        return []
    grouped: dict[int, list[TagRow]] = defaultdict(list)
    rows = await sql.select(
        "SELECT ct.content_id, t.id, t.slug, t.name FROM content_item_tag ct JOIN content_tag t ON t.id = ct.tag_id "  # noqa: S608 only placeholder marks are formatted in
        f"WHERE ct.content_id IN ({sql.marks(len(ids))}) ORDER BY ct.id",
        ids,
    )
    for content_id, tag_id, slug, name in rows:
        grouped[content_id].append(TagRow(tag_id, slug, name))
    return [grouped[i] for i in ids]


async def tags_by_name(names: Sequence[str]) -> list[Tag | None]:
    found = {t.name: t for t in await Tag.filter(name__in=names)}
    return [found.get(n) for n in names]


async def media_by_content_id(ids: Sequence[int]) -> list[list[MediaRow]]:
    if not ids:
        return []
    grouped: dict[int, list[MediaRow]] = defaultdict(list)
    rows = await sql.select(
        f"SELECT l.content_id, {_MEDIA_COLUMNS} FROM content_item_media l JOIN media_asset m ON m.id = l.media_id "  # noqa: S608 fixed columns and placeholder marks only
        f"WHERE l.content_id IN ({sql.marks(len(ids))}) ORDER BY l.position, l.id",
        ids,
    )
    for content_id, *columns in rows:
        grouped[content_id].append(_media_row(columns))
    return [grouped[i] for i in ids]


async def media_by_id(ids: Sequence[int]) -> list[MediaRow | None]:
    if not ids:
        return []
    rows = await sql.select(f"SELECT {_MEDIA_COLUMNS} FROM media_asset m WHERE m.id IN ({sql.marks(len(ids))})", ids)  # noqa: S608 fixed columns and placeholder marks only
    found = {row.id: row for row in map(_media_row, rows)}
    return [found.get(i) for i in ids]


async def translations_by_group_id(groups: Sequence[int]) -> list[list[ContentItem]]:
    """Every item of each translation group (the original's id is the group id)."""
    grouped: dict[int, list[ContentItem]] = defaultdict(list)
    for item in await ContentItem.filter(Q(id__in=groups) | Q(translation_of_id__in=groups)).order_by("id"):
        grouped[item.translation_of_id or item.id].append(item)
    return [grouped[g] for g in groups]


async def progress_by_user_and_content(
    keys: Sequence[tuple[int, int]],
) -> list[LearningProgress | None]:
    users = {u for u, _ in keys}
    contents = {c for _, c in keys}
    found = {
        (p.user_id, p.content_id): p for p in await LearningProgress.filter(user_id__in=users, content_id__in=contents)
    }
    return [found.get(k) for k in keys]


async def revisions_by_content_id(ids: Sequence[int]) -> list[list[ContentRevision]]:
    grouped: dict[int, list[ContentRevision]] = defaultdict(list)
    for rev in await ContentRevision.filter(content_id__in=ids).select_related("editor").order_by("-number"):
        grouped[rev.content_id].append(rev)
    return [grouped[i] for i in ids]


async def items_by_id(ids: Sequence[int]) -> list[ContentItem | None]:
    found = {i.id: i for i in await ContentItem.filter(id__in=ids)}
    return [found.get(i) for i in ids]


async def items_using_media(ids: Sequence[int]) -> list[list[ContentItem]]:
    """Batch for MediaAsset.usedIn: lessons and stories that attach each asset or show it as cover.

    Pending edits count too (an editor about to publish one must not lose the asset from under it).
    """
    wanted = set(ids)
    uses: dict[int, set[int]] = defaultdict(set)
    for row in await ContentMedia.filter(media_id__in=list(wanted)).values("media_id", "content_id"):
        uses[row["media_id"]].add(row["content_id"])
    for row in await ContentItem.filter(cover_image_id__in=list(wanted)).values("id", "cover_image_id"):
        uses[row["cover_image_id"]].add(row["id"])
    for item in await ContentItem.filter(pending__not_isnull=True).values("id", "pending"):
        pending = item["pending"] or {}
        for media_id in [pending.get("cover_image_id"), *(pending.get("media_ids") or ())]:
            if media_id in wanted:
                uses[media_id].add(item["id"])
    content_ids = sorted({c for found in uses.values() for c in found})
    items = {i.id: i for i in await ContentItem.filter(id__in=content_ids)} if content_ids else {}
    return [[items[c] for c in sorted(uses.get(i, ())) if c in items] for i in ids]
