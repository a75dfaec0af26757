"""DateTime: one rule for time in the API (docs/api-guide.md, "Time").

Every DateTime is an RFC 3339 date-time. An input must carry its offset (`Z` or `+08:00`): a value
without one names no instant (a person in Beijing and a server in UTC would read it eight hours
apart), so it is refused, and so is a date alone (`2026-01-01`), which is a day, not an instant.
Every output carries its offset too: values stored without one (older help-plan measures) are UTC
by Beacon's convention and are written with `+00:00`.

Strawberry's DateTime accepts any ISO 8601 value, from year 1 to 9999 in any offset: converting
`9999-12-31T23:59:59-05:00` or `0001-01-01T00:00:00+08:00` to UTC overflows Python's datetime, and
arithmetic on values at the calendar's edges (a day added, a day range walked) overflows or runs
for millions of steps. A value that Beacon could only fail on is refused too (docs/security.md,
11.12). Every refusal is a GraphQLError raised while the request's values are coerced, so the
whole request is answered with `extensions.code` BAD_REQUEST and a message naming the variable
(and the path inside it) or pointing at the literal's line and column; nothing runs.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, datetime
from typing import cast

from graphql import GraphQLError, StringValueNode, ValueNode
from strawberry.schema.types.base_scalars import DateTimeDefinition
from strawberry.types.scalar import ScalarDefinition

EARLIEST = datetime(1900, 1, 1, tzinfo=UTC)
LATEST = datetime(2999, 12, 31, 23, 59, 59, 999999, tzinfo=UTC)
RFC_3339 = "https://datatracker.ietf.org/doc/html/rfc3339"
# Strawberry's own DateTime parsing (dateutil's isoparse), so the formats accepted stay the same.
_isoparse = cast(Callable[[object], object], DateTimeDefinition.parse_value)
# A calendar date and nothing else, in ISO 8601's extended or basic form.
_DATE_ONLY = re.compile(r"^\s*\d{4}-?\d{2}-?\d{2}\s*$")
NOT_A_DATETIME = "DateTime values are RFC 3339 strings with an offset, e.g. 2026-06-26T09:00:00+08:00."
DATE_ONLY = (
    "A date alone is not a DateTime: give the time and the offset that start the day you mean, "
    "e.g. 2026-01-01T00:00:00+08:00."
)
NO_OFFSET = (
    "DateTime values must carry an offset (Z for UTC or e.g. +08:00): "
    "without one the same text names different instants in different places."
)
OUT_OF_RANGE = "DateTime values must fall between 1900-01-01 and 2999-12-31 (UTC)."


def parse_datetime(value: object) -> datetime:
    """An RFC 3339 date-time with an offset within EARLIEST..LATEST; a GraphQLError (BAD_REQUEST) otherwise."""
    if not isinstance(value, str):
        raise GraphQLError(NOT_A_DATETIME)
    if _DATE_ONLY.match(value):
        raise GraphQLError(DATE_ONLY)
    try:
        parsed = _isoparse(value)
    except (GraphQLError, OverflowError):
        raise GraphQLError(NOT_A_DATETIME) from None
    if not isinstance(parsed, datetime):
        raise GraphQLError(NOT_A_DATETIME)
    if parsed.tzinfo is None or parsed.utcoffset() is None:
        raise GraphQLError(NO_OFFSET)
    try:
        instant = parsed.astimezone(UTC)
    except OverflowError:
        raise GraphQLError(OUT_OF_RANGE) from None
    if not EARLIEST <= instant <= LATEST:
        raise GraphQLError(OUT_OF_RANGE)
    return parsed


def parse_datetime_literal(node: ValueNode, _variables: dict[str, object] | None = None) -> datetime:
    """A literal in the document: the same rule, with the error pointing at where the value is written."""
    if not isinstance(node, StringValueNode):
        raise GraphQLError(NOT_A_DATETIME, node)
    try:
        return parse_datetime(node.value)
    except GraphQLError as error:
        raise GraphQLError(error.message, node) from None


def serialize_datetime(value: datetime) -> str:
    """RFC 3339 with its offset; a value stored without one is UTC (Beacon stores instants in UTC)."""
    if value.tzinfo is None or value.utcoffset() is None:
        value = value.replace(tzinfo=UTC)
    return value.isoformat()


DateTime = ScalarDefinition(
    name="DateTime",
    description=(
        "An instant: an RFC 3339 date-time with its offset, e.g. 2026-06-26T09:00:00+08:00 or "
        "2026-06-26T01:00:00Z, between 1900-01-01 and 2999-12-31 UTC. Inputs without an offset, "
        "or a date alone, are refused (BAD_REQUEST); outputs always carry an offset."
    ),
    specified_by_url=RFC_3339,
    serialize=serialize_datetime,
    parse_value=parse_datetime,
    parse_literal=parse_datetime_literal,
    origin=datetime,
)

SCALAR_OVERRIDES: dict[object, ScalarDefinition] = {datetime: DateTime}
