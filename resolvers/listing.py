"""What a service hands the schema for a list: a page source, never a query.

A `Listing` answers two questions, `fetch(offset, limit)` and `count()`; the schema's
connections (schema/relay.py `paginate`) decide which to ask, and only the service layer
knows how the rows are found. `count` is asked only when a client selects `totalCount`.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from tortoise.queryset import QuerySet

T = TypeVar("T")


@dataclass(frozen=True)
class Listing(Generic[T]):
    """A page source: fetch(offset, limit) rows in order, and count() them all."""

    fetch: Callable[[int, int], Awaitable[Sequence[T]]]
    count: Callable[[], Awaitable[int]]


def of_queryset(queryset: QuerySet[Any]) -> Listing[Any]:
    """A listing over an ordered queryset: one statement for a page, one for the count."""

    async def fetch(offset: int, limit: int) -> Sequence[Any]:
        rows: list[Any] = await queryset.offset(offset).limit(limit)
        return rows

    async def count() -> int:
        return int(await queryset.count())

    return Listing(fetch, count)
