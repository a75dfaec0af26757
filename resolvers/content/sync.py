"""Delta sync for LMSs: a monotonically increasing change sequence, paged by an opaque token.

In one locale (the default: `in_locale` is what locales.wanted negotiated) a page is a page of
*works* (works.py): each work that changed since the token, in the order of its latest change,
answers the item it shows in that locale, and (after the first page) the ids of its other
items as deleted, so a client that keeps what it was sent holds one item per work. With
`in_locale` None (allLocales) a page is a page of items, every locale mixed, as before.
"""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass

from tortoise.functions import Max

from models import sql
from models.content import ContentChange, ContentItem, ContentType, PublicationStatus
from resolvers.content import works
from resolvers.errors import Invalid

MAX_PAGE = 100
DEFAULT_PAGE = 50


@dataclass
class SyncPage:
    items: list[ContentItem]
    deleted: list[tuple[ContentType, int]]
    next_token: str
    has_more: bool


class BadSyncArgument(Invalid):
    """An argument no sync page can answer: BAD_REQUEST in the query, like a bad cursor or page size elsewhere."""


class MalformedToken(BadSyncArgument):
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


async def sync_page(token: str | None, first: int | None, in_locale: str | None = None) -> SyncPage:
    """Published items whose latest change is after the token, and ids that stopped being public, in sequence order.

    With `in_locale`, one item per work in that locale (module docstring); without, every item.
    """
    if first is not None and not 1 <= first <= MAX_PAGE:
        # Refused, never clamped: as a connection's first/last (schema/relay.py), but a sync page needs one row.
        raise BadSyncArgument(f"'first' must be 1 to {MAX_PAGE} (without it, {DEFAULT_PAGE}).", field="first")
    after = decode_token(token) if token else 0
    size = DEFAULT_PAGE if first is None else first
    if in_locale is not None:
        return await _works_page(token, after, size, in_locale)
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


# A work's id is its original's; a change of an item that no longer exists counts as its own work.
_WORKS_PAGE = (
    "SELECT COALESCE(ci.translation_of_id, ch.content_id) AS work, ch.content_type AS content_type, "
    "MAX(ch.id) AS seq FROM content_change ch LEFT JOIN content_item ci ON ci.id = ch.content_id "
    "WHERE ch.id > ? GROUP BY COALESCE(ci.translation_of_id, ch.content_id), ch.content_type ORDER BY seq LIMIT ?"
)


async def _works_page(token: str | None, after: int, size: int, in_locale: str) -> SyncPage:
    rows = await sql.select(_WORKS_PAGE, [after, size + 1])
    has_more = len(rows) > size
    rows = rows[:size]
    order = {int(r["work"]): position for position, r in enumerate(rows)}
    chosen_sql, chosen_params = works.chosen(in_locale, [PublicationStatus.PUBLISHED.value])
    members = (
        await sql.select(
            f"SELECT ci.id AS id, ci.content_type AS content_type, COALESCE(ci.translation_of_id, ci.id) AS work, "  # noqa: S608 fixed fragments; values are parameters
            f"CASE WHEN ci.status = ? AND {chosen_sql} THEN 1 ELSE 0 END AS chosen FROM content_item ci "
            f"WHERE ci.id IN ({sql.marks(len(order))}) OR ci.translation_of_id IN ({sql.marks(len(order))})",
            [PublicationStatus.PUBLISHED.value, *chosen_params, *order, *order],
        )
        if rows
        else []
    )
    shown = {int(m["work"]): int(m["id"]) for m in members if m["chosen"]}
    found = {i.id: i for i in await ContentItem.filter(id__in=list(shown.values()))} if shown else {}
    deleted: list[tuple[ContentType, int]] = []
    if token:  # a first sync has nothing to forget
        gone = [
            (order.get(int(m["work"]), size), int(m["id"]), ContentType(m["content_type"]))
            for m in members
            if not m["chosen"]
        ]
        known = {int(m["id"]) for m in members}
        gone += [(order[w], w, ContentType(r["content_type"])) for r in rows if (w := int(r["work"])) not in known]
        deleted = [(content_type, pk) for _, pk, content_type in sorted(gone)]
    items = sorted(
        (found[pk] for pk in shown.values() if pk in found), key=lambda i: order[i.translation_of_id or i.id]
    )
    next_seq = int(rows[-1]["seq"]) if rows else after
    return SyncPage(items=items, deleted=deleted, next_token=encode_token(next_seq), has_more=has_more)
