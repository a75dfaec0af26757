"""Scalars whose input Beacon bounds: DateTime within the years the service deals in.

Strawberry's DateTime accepts any ISO 8601 value, from year 1 to 9999 in any offset: converting
`9999-12-31T23:59:59-05:00` or `0001-01-01T00:00:00+08:00` to UTC overflows Python's datetime, and
arithmetic on values at the calendar's edges (a day added, a day range walked) overflows or runs
for millions of steps. A value that Beacon could only fail on is a typed BAD_REQUEST instead
(docs/security.md, 11.12).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import cast

from graphql import GraphQLError
from strawberry.schema.types.base_scalars import DateTimeDefinition
from strawberry.types.scalar import ScalarDefinition

EARLIEST = datetime(1900, 1, 1, tzinfo=UTC)
LATEST = datetime(2999, 12, 31, 23, 59, 59, 999999, tzinfo=UTC)
# Strawberry's own DateTime parsing (dateutil's isoparse), so the formats accepted stay the same.
_isoparse = cast(Callable[[object], object], DateTimeDefinition.parse_value)
OUT_OF_RANGE = "DateTime values must fall between 1900-01-01 and 2999-12-31 (UTC)."


def parse_datetime(value: object) -> datetime:
    """An ISO 8601 date and time within EARLIEST..LATEST; a GraphQLError (BAD_REQUEST) otherwise."""
    if not isinstance(value, str):
        raise GraphQLError("DateTime values are ISO 8601 strings, e.g. 2026-06-26T09:00:00+08:00.")
    try:
        parsed = _isoparse(value)
    except (GraphQLError, OverflowError):
        raise GraphQLError("DateTime values are ISO 8601 strings, e.g. 2026-06-26T09:00:00+08:00.") from None
    if not isinstance(parsed, datetime):
        raise GraphQLError("DateTime values are ISO 8601 strings, e.g. 2026-06-26T09:00:00+08:00.")
    try:
        instant = parsed.astimezone(UTC) if parsed.tzinfo is not None else parsed.replace(tzinfo=UTC)
    except OverflowError:
        raise GraphQLError(OUT_OF_RANGE) from None
    if not EARLIEST <= instant <= LATEST:
        raise GraphQLError(OUT_OF_RANGE)
    return parsed


DateTime = ScalarDefinition(
    name="DateTime",
    description=("Date with time (ISO 8601, e.g. 2026-06-26T09:00:00+08:00), between 1900-01-01 and 2999-12-31 UTC."),
    specified_by_url=None,
    serialize=datetime.isoformat,
    parse_value=parse_datetime,
    parse_literal=None,
    origin=datetime,
)

SCALAR_OVERRIDES: dict[object, ScalarDefinition] = {datetime: DateTime}
