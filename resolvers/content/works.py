"""One item per work: which of an original and its translations a one-locale list shows.

A *work* is an original item and the items whose `translation_of_id` points at it. A list in
a wanted locale (locales.py decides which) shows, of each work, the first of its items the
caller may see in this order: the one in the wanted locale, the original, then any other
translation (the lowest id first). It is a SQL condition on the listed row (alias `ci`), so
filters, order, paging and counts stay in one statement on both databases:

    NOT EXISTS (a visible item of the same work that comes before ci in that order)

written as two anti-joins, one for the original (`o.id = ci.translation_of_id`, the primary
key) and one for the translations (`o.translation_of_id = <ci's work>`, an equality that
PostgreSQL hashes and SQLite indexes on the fly), so neither needs an OR across two columns.
The locale is compared ignoring case, as `lesson(slug:, locale:)` does.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

_RANK = "(CASE WHEN lower({t}.locale) = ? THEN 0 WHEN {t}.translation_of_id IS NULL THEN 1 ELSE 2 END)"
_BEFORE = f"({_RANK.format(t='o')} < {_RANK.format(t='ci')} OR ({_RANK.format(t='o')} = {_RANK.format(t='ci')} AND o.id < ci.id))"


def chosen(wanted: str, statuses: Sequence[str] | None) -> tuple[str, list[Any]]:
    """The condition "ci is the item its work shows in `wanted`", among items whose status is in `statuses` (None: any).

    `statuses` must be the visibility the listed rows get too (the caller's, and an editor's
    status filter), so that an item the caller cannot see never hides one they can.
    """
    visible, visible_params = "", []
    if statuses is not None:
        visible = f" AND o.status IN ({', '.join('?' for _ in statuses)})"
        visible_params = list(statuses)
    key = wanted.lower()
    before_params = [key, key, key, key]
    original = f"NOT EXISTS (SELECT 1 FROM content_item o WHERE o.id = ci.translation_of_id{visible} AND {_BEFORE})"  # noqa: S608 fixed fragments; values are parameters
    siblings = (
        "NOT EXISTS (SELECT 1 FROM content_item o "  # noqa: S608 fixed fragments; values are parameters
        f"WHERE o.translation_of_id = COALESCE(ci.translation_of_id, ci.id) AND o.id <> ci.id{visible} AND {_BEFORE})"
    )
    return f"{original} AND {siblings}", [*visible_params, *before_params, *visible_params, *before_params]
