"""Relay conventions: the Node interface, global IDs, and cursor connections."""

from __future__ import annotations

import base64
import binascii
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Annotated, Generic, TypeVar

import strawberry

from resolvers.errors import a_or_an
from resolvers.global_ids import MAX_CURSOR_OFFSET, ascii_number
from resolvers.global_ids import parse_global_id as parse_global_id  # re-exported: the schema and tests read IDs here
from resolvers.global_ids import to_global_id as plain_global_id
from resolvers.listing import Listing
from schema.errors import BadRequest, MalformedId

T = TypeVar("T")
M = TypeVar("M")

DEFAULT_PAGE_SIZE = 20
MAX_PAGE_SIZE = 100


@strawberry.interface(
    description="An object that can be fetched again by its global ID with `node(id:)` (Relay Global Object Identification)."
)
class Node:
    id: strawberry.ID = strawberry.field(
        description="The object's global ID: opaque, stable, and unique across all types (pass it to `node(id:)`)."
    )


def to_global_id(type_name: str, pk: int | str) -> strawberry.ID:
    """Opaque global ID: base64 of 'Type:pk' (resolvers/global_ids.py)."""
    return strawberry.ID(plain_global_id(type_name, pk))


def decode_id(global_id: str, type_name: str, *, field: str) -> int:
    """The pk of a global ID of the expected type; MalformedId (naming the input field) otherwise.

    Every ID argument and input field goes through here (or `decode_any`), so a malformed ID is
    answered the same way everywhere: BAD_REQUEST in a query, INVALID on the field in a mutation.
    """
    parsed = parse_global_id(global_id)
    if parsed is None or parsed[0] != type_name:
        raise MalformedId(f"Not {a_or_an(type_name)} ID.", field=field)
    return parsed[1]


def decode_any(global_id: str, type_names: Sequence[str], *, field: str, described: str) -> tuple[str, int]:
    """(type name, pk) of a global ID of one of the types; MalformedId ("Not <described> ID.") otherwise."""
    parsed = parse_global_id(global_id)
    if parsed is None or parsed[0] not in type_names:
        raise MalformedId(f"Not {described} ID.", field=field)
    return parsed


def decode_ids(global_ids: Sequence[str], type_name: str, *, field: str) -> list[int]:
    return [decode_id(g, type_name, field=field) for g in global_ids]


@strawberry.type(description="Where a connection's page lies among all its items (Relay cursor connections).")
class PageInfo:
    has_next_page: bool = strawberry.field(
        description="Whether more items follow this page (page on with `after: endCursor`)."
    )
    has_previous_page: bool = strawberry.field(
        description="Whether items precede this page (page back with `before: startCursor`)."
    )
    start_cursor: str | None = strawberry.field(description="The first edge's cursor; null when the page is empty.")
    end_cursor: str | None = strawberry.field(description="The last edge's cursor; null when the page is empty.")


@strawberry.type(description="One item of a connection and its cursor.")
class Edge(Generic[T]):
    cursor: str = strawberry.field(
        description="Opaque position of this item; pass it as `after` or `before` to page from here."
    )
    node: T = strawberry.field(description="The item at this position.")


@strawberry.type(
    description=f"One page of a list (Relay cursor connection): {DEFAULT_PAGE_SIZE} items unless "
    f"`first` or `last` asks for up to {MAX_PAGE_SIZE}."
)
class Connection(Generic[T]):
    page_info: PageInfo = strawberry.field(description="Whether more pages exist, and the cursors to fetch them.")
    edges: list[Edge[T]] = strawberry.field(description="The page's items in the list's order, each with its cursor.")
    _count: strawberry.Private[Callable[[], Awaitable[int]]]

    @strawberry.field(description="How many items match, over all pages.")
    async def total_count(self) -> int:
        return await self._count()


# The four Relay paging arguments, written once for every connection field.
First = Annotated[
    int | None,
    strawberry.argument(
        description=f"How many items to return from the start of the window (0 to {MAX_PAGE_SIZE}; "
        f"{DEFAULT_PAGE_SIZE} when neither `first` nor `last` is given). Not together with `last`."
    ),
]
After = Annotated[
    str | None,
    strawberry.argument(
        description="Return items after this cursor (an `endCursor` or edge cursor of this connection)."
    ),
]
Last = Annotated[
    int | None,
    strawberry.argument(
        description=f"How many items to return from the end of the window (0 to {MAX_PAGE_SIZE}). Not together with `first`."
    ),
]
Before = Annotated[
    str | None,
    strawberry.argument(
        description="Return items before this cursor (a `startCursor` or edge cursor of this connection)."
    ),
]


@dataclass(frozen=True)
class PageArgs:
    """Validated Relay arguments as an offset window."""

    first: int | None = None
    after: str | None = None
    last: int | None = None
    before: str | None = None


def encode_cursor(offset: int) -> str:
    return base64.urlsafe_b64encode(f"offset:{offset}".encode()).decode()


def decode_cursor(cursor: str, argument: str) -> int:
    try:
        prefix, _, value = base64.urlsafe_b64decode(cursor.encode()).decode().partition(":")
    except (binascii.Error, UnicodeDecodeError, ValueError):
        prefix, value = "", ""
    offset = ascii_number(value, len(str(MAX_CURSOR_OFFSET)))
    if prefix == "offset" and offset is not None:
        return offset
    raise BadRequest(f"'{argument}' is not a cursor this connection gave out.")


def _check_size(value: int | None, argument: str) -> None:
    if value is None:
        return
    if value < 0:
        raise BadRequest(f"'{argument}' cannot be negative.")
    if value > MAX_PAGE_SIZE:
        raise BadRequest(f"'{argument}' cannot exceed {MAX_PAGE_SIZE}.")


async def paginate(
    args: PageArgs,
    fetch: Callable[[int, int], Awaitable[Sequence[M]]],
    count: Callable[[], Awaitable[int]],
    wrap: Callable[[M], T],
) -> Connection[T]:
    """One page as a Connection: fetch(offset, limit) returns rows, count() their total."""
    _check_size(args.first, "first")
    _check_size(args.last, "last")
    if args.first is not None and args.last is not None:
        raise BadRequest("Give 'first' or 'last', not both.")
    start = decode_cursor(args.after, "after") + 1 if args.after else 0
    end = decode_cursor(args.before, "before") if args.before else None
    total: int | None = None

    async def counted() -> int:
        nonlocal total
        if total is None:
            total = await count()
        return total

    if args.last is not None:
        end = await counted() if end is None else end
        start = max(start, end - args.last)
        limit = max(0, end - start)
    else:
        size = DEFAULT_PAGE_SIZE if args.first is None else args.first
        limit = size if end is None else max(0, min(size, end - start))
    # One row beyond the page tells whether a next page exists without counting.
    rows = list(await fetch(start, limit + 1))
    has_next = len(rows) > limit
    rows = rows[:limit]
    edges = [Edge(cursor=encode_cursor(start + i), node=wrap(row)) for i, row in enumerate(rows)]
    page_info = PageInfo(
        has_next_page=has_next,
        has_previous_page=start > 0,
        start_cursor=edges[0].cursor if edges else None,
        end_cursor=edges[-1].cursor if edges else None,
    )
    return Connection(page_info=page_info, edges=edges, _count=counted)


async def paginate_listing(args: PageArgs, listing: Listing[M], wrap: Callable[[M], T]) -> Connection[T]:
    """paginate() over a service's Listing: the service finds the rows, the schema pages them."""
    return await paginate(args, listing.fetch, listing.count, wrap)


def paginate_list(args: PageArgs, items: Sequence[M], wrap: Callable[[M], T]) -> Awaitable[Connection[T]]:
    """paginate() over items already in memory."""

    async def fetch(offset: int, limit: int) -> Sequence[M]:
        return items[offset : offset + limit]

    async def count() -> int:
        return len(items)

    return paginate(args, fetch, count, wrap)
