"""Relay pagination: first/after, last/before, caps and bad cursors."""

from __future__ import annotations

import pytest

from schema.errors import BadRequest
from schema.relay import PageArgs, encode_cursor, paginate_list, parse_global_id, to_global_id

ITEMS = list(range(10))


async def page(
    *, first: int | None = None, after: str | None = None, last: int | None = None, before: str | None = None
) -> tuple[list[int], bool, bool]:
    connection = await paginate_list(PageArgs(first, after, last, before), ITEMS, lambda x: x)
    return (
        [e.node for e in connection.edges],
        connection.page_info.has_previous_page,
        connection.page_info.has_next_page,
    )


async def test_forward_pages_have_no_gaps_or_duplicates() -> None:
    seen: list[int] = []
    after = None
    while True:
        connection = await paginate_list(PageArgs(first=3, after=after), ITEMS, lambda x: x)
        seen += [e.node for e in connection.edges]
        if not connection.page_info.has_next_page:
            break
        after = connection.page_info.end_cursor
    assert seen == ITEMS


async def test_backward_pages_have_no_gaps_or_duplicates() -> None:
    seen: list[int] = []
    before = None
    while True:
        connection = await paginate_list(PageArgs(last=4, before=before), ITEMS, lambda x: x)
        seen = [e.node for e in connection.edges] + seen
        if not connection.page_info.has_previous_page:
            break
        before = connection.page_info.start_cursor
    assert seen == ITEMS


async def test_page_info_at_the_edges() -> None:
    assert await page(first=3) == ([0, 1, 2], False, True)
    assert await page(first=3, after=encode_cursor(6)) == ([7, 8, 9], True, False)
    assert await page(last=2) == ([8, 9], True, False)
    assert await page(last=3, before=encode_cursor(2)) == ([0, 1], False, True)
    assert await page(first=2, after=encode_cursor(2), before=encode_cursor(5)) == ([3, 4], True, True)
    assert await page(first=0) == ([], False, True)
    assert await page(first=5, after=encode_cursor(20)) == ([], True, False)


async def test_total_count_is_lazy_and_correct() -> None:
    connection = await paginate_list(PageArgs(first=2), ITEMS, lambda x: x)
    assert await connection.total_count() == 10


@pytest.mark.parametrize(
    "args",
    [
        PageArgs(first=101),
        PageArgs(last=101),
        PageArgs(first=-1),
        PageArgs(first=1, last=1),
        PageArgs(after="garbage"),
        PageArgs(before="Zm9vOmJhcg=="),
    ],
)
async def test_bad_arguments_are_bad_requests(args: PageArgs) -> None:
    with pytest.raises(BadRequest):
        await paginate_list(args, ITEMS, lambda x: x)


def test_global_ids_round_trip_and_reject_garbage() -> None:
    assert parse_global_id(to_global_id("Lesson", 42)) == ("Lesson", 42)
    for garbage in ("", "x", "!!!", to_global_id("Lesson", "abc"), "TGVzc29uOg"):
        assert parse_global_id(garbage) is None
