"""Delta sync for LMSs: a monotonically increasing change sequence, paged by an opaque token."""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass

from tortoise.functions import Max

from models.content import ContentChange, ContentItem, ContentType, PublicationStatus
from resolvers.errors import Invalid

MAX_PAGE = 100
DEFAULT_PAGE = 50


@dataclass
class SyncPage:
    items: list[ContentItem]
    deleted: list[tuple[ContentType, int]]
    next_token: str
    has_more: bool


class MalformedToken(Invalid):
    """A sync token this server never gave out: BAD_REQUEST in the query, like a malformed ID or cursor."""


def encode_token(sequence: int) -> str:
    return base64.urlsafe_b64encode(f"sync:{sequence}".encode()).decode().rstrip("=")


def decode_token(token: str) -> int:
    try:
        prefix, _, value = base64.urlsafe_b64decode((token + "=" * (-len(token) % 4)).encode()).decode().partition(":")
    except (binascii.Error, UnicodeDecodeError, ValueError):
        prefix, value = "", ""
    # ASCII digits only: str.isdigit() takes Unicode digits, and int() refuses thousands of them.
    if prefix != "sync" or not (0 < len(value) <= 18 and value.isascii() and value.isdigit()):
        raise MalformedToken("Not a sync token this server gave out.", field="syncToken")
    return int(value)


async def sync_page(token: str | None, first: int | None) -> SyncPage:
    """Published items whose latest change is after the token, and ids that stopped being public, in sequence order."""
    after = decode_token(token) if token else 0
    size = max(1, min(first or DEFAULT_PAGE, MAX_PAGE))
    rows = (
        await ContentChange.filter(id__gt=after)
        .group_by("content_id", "content_type")
        .annotate(seq=Max("id"))
        .order_by("seq")
        .limit(size + 1)
        .values("content_id", "content_type", "seq")
    )
    has_more = len(rows) > size
    rows = rows[:size]
    found = {i.id: i for i in await ContentItem.filter(id__in=[r["content_id"] for r in rows])} if rows else {}
    items: list[ContentItem] = []
    deleted: list[tuple[ContentType, int]] = []
    for row in rows:
        item = found.get(row["content_id"])
        if item is not None and item.status == PublicationStatus.PUBLISHED:
            items.append(item)
        elif token:  # a first sync has nothing to forget
            deleted.append((ContentType(row["content_type"]), row["content_id"]))
    next_seq = int(rows[-1]["seq"]) if rows else after
    return SyncPage(
        items=items,
        deleted=deleted,
        next_token=encode_token(next_seq),
        has_more=has_more,
    )
