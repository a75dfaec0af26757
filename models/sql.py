"""Plain SQL through Tortoise's own connection, for statements the ORM cannot express or is too slow to build.

Tortoise builds every query with pypika and converts every value through its field objects:
for the batch loaders behind each list page that costs 1–2 ms per call against ~0.15 ms for the
statement itself (bench profile, docs/performance.md). Statements here are written once with
`?` placeholders (numbered `$n` for PostgreSQL) and run on the same connection, so transactions,
the statement log and the tests' statement counts all still see them.
"""

from __future__ import annotations

import collections
import functools
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from typing import Any, overload

from tortoise import connections, fields
from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.fields.base import Field
from tortoise.models import Model
from tortoise.queryset import QuerySet, ValuesListQuery


def client() -> BaseDBAsyncClient:
    connection: BaseDBAsyncClient = connections.get("default")
    return connection


def is_sqlite() -> bool:
    return client().capabilities.dialect == "sqlite"


@functools.lru_cache(maxsize=512)
def numbered(sql: str) -> str:
    """'?' placeholders as PostgreSQL's $1, $2 … (no statement here has a literal '?')."""
    parts = sql.split("?")
    return "".join(part + (f"${i + 1}" if i < len(parts) - 1 else "") for i, part in enumerate(parts))


def marks(count: int) -> str:
    """Placeholders for an IN list of `count` values."""
    return ",".join("?" * count)


def _for(connection: BaseDBAsyncClient, statement: str) -> str:
    """A statement written with '?' placeholders, as this connection's dialect wants it."""
    return statement if connection.capabilities.dialect == "sqlite" else numbered(statement)


async def select(sql: str, params: Sequence[Any] = ()) -> list[Any]:
    """Rows of a SELECT written with '?' placeholders, on whichever database is open (index or key them)."""
    connection = client()
    _, rows = await connection.execute_query(_for(connection, sql), list(params))
    return list(rows)


async def flat(query: ValuesListQuery[Any]) -> list[Any]:
    """The values of a `values_list(name, flat=True)` query (Tortoise types them as tuples)."""
    values: list[Any] = await query
    return values


@overload
def to_datetime(value: None) -> None: ...
@overload
def to_datetime(value: str | datetime) -> datetime: ...
def to_datetime(value: str | datetime | None) -> datetime | None:
    """A timestamp column as an aware datetime: SQLite stores ISO text, PostgreSQL gives datetimes.

    Beacon stores UTC (use_tz, timezone UTC); a naive value is read as UTC, as Tortoise does.
    """
    if value is None:
        return None
    moment = value if isinstance(value, datetime) else datetime.fromisoformat(value)
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


_IDENTITY = (
    fields.IntField,
    fields.BigIntField,
    fields.SmallIntField,
    fields.CharField,
    fields.TextField,
    fields.FloatField,
)


def _converter(field: Field[Any]) -> Callable[[Any], Any] | None:
    if isinstance(field, fields.DatetimeField):
        return to_datetime
    if type(field) in _IDENTITY:
        return None
    return field.to_python_value


@functools.lru_cache(maxsize=64)
def _row_reader(
    model: type[Model], columns: tuple[str, ...]
) -> tuple[type[tuple[Any, ...]], tuple[Callable[[Any], Any] | None, ...]]:
    row_type = collections.namedtuple(f"{model.__name__}Row", columns)  # type: ignore[misc]  # fields known only at run time
    return row_type, tuple(_converter(model._meta.fields_map[c]) for c in columns)


def columns_of(model: type[Model]) -> tuple[str, ...]:
    """Every stored column of a model by attribute name (foreign keys as their `_id`)."""
    return tuple(model._meta.fields_db_projection)


async def detached_rows(queryset: QuerySet[Any], columns: Sequence[str]) -> list[Any]:
    """A queryset's rows as read-only named tuples of `columns`, without building model instances.

    Tortoise still builds the statement (filters and ordering stay written once, in the ORM);
    only running it and turning rows into Python values happens here, which on a list page
    costs a third of building 20 model instances. The values equal the model's attributes
    (tests/test_sql_rows.py compares them column by column on both databases).
    """
    model: type[Model] = queryset.model
    row_type, converters = _row_reader(model, tuple(columns))
    query = queryset.values_list(*columns)
    # What QuerySet.sql() does, keeping the parameters it throws away (rendering twice cost a tenth of a millisecond).
    query._choose_db_if_not_chosen()
    query._make_query()
    statement, params = query.query.get_parameterized_sql()
    _, rows = await client().execute_query(statement, params)
    return _converted(rows, row_type, converters)


@functools.lru_cache(maxsize=64)
def select_list(model: type[Model], columns: tuple[str, ...], alias: str) -> str:
    """The SELECT list of `columns` (attribute names) on a table alias, in order, for `model_rows`."""
    projection = model._meta.fields_db_projection  # complete once Tortoise is initialised: call it at run time
    return ", ".join(f'{alias}."{projection[c]}"' for c in columns)


async def model_rows(model: type[Model], columns: Sequence[str], statement: str, params: Sequence[Any]) -> list[Any]:
    """Rows of a hand-written SELECT whose list is `select_list(model, columns, …)`, as `detached_rows` gives them.

    For list queries the ORM cannot express (a correlated NOT EXISTS: resolvers/content/works.py);
    written with '?' placeholders, numbered for PostgreSQL here.
    """
    row_type, converters = _row_reader(model, tuple(columns))
    return _converted(await select(statement, params), row_type, converters)


def _converted(
    rows: Sequence[Any], row_type: type[tuple[Any, ...]], converters: tuple[Callable[[Any], Any] | None, ...]
) -> list[Any]:
    return [
        row_type(
            *(
                value if convert is None or value is None else convert(value)
                for convert, value in zip(converters, row, strict=True)
            )
        )
        for row in rows
    ]


async def update_rows(instances: Sequence[Model], field_names: Sequence[str]) -> None:
    """Write these fields of these (already loaded) instances back by primary key, in one executemany.

    Tortoise's bulk_update builds one CASE expression per field with pypika, and building it
    cost more than running it (a submit writes 20 attempt items). The values go through each
    field's own to_db_value, exactly as Tortoise would send them.
    """
    if not instances:
        return
    meta = type(instances[0])._meta
    assignments = ", ".join(f'"{meta.fields_db_projection[name]}" = ?' for name in field_names)
    statement = f'UPDATE "{meta.db_table}" SET {assignments} WHERE "{meta.db_pk_column}" = ?'  # noqa: S608 names come from the model's meta, values are placeholders
    fields_ = [meta.fields_map[name] for name in field_names]
    values = [[f.to_db_value(getattr(i, f.model_field_name), i) for f in fields_] + [i.pk] for i in instances]
    connection = client()
    await connection.execute_many(_for(connection, statement), values)


async def lock(model: type[Model], pk: int) -> None:
    """Hold one row until the transaction ends, serialising a check-then-insert on it (docs/security.md 11.10).

    PostgreSQL: `SELECT … FOR UPDATE`; a second transaction locking the same row waits for the
    first to commit, then reads what it wrote. SQLite needs nothing: it has a single writer, and
    Tortoise's client runs one transaction at a time on its connection.
    """
    connection = client()
    if connection.capabilities.dialect == "sqlite":
        return
    meta = model._meta
    statement = f'SELECT 1 FROM "{meta.db_table}" WHERE "{meta.db_pk_column}" = ? FOR UPDATE'  # noqa: S608 names from the model's meta
    await connection.execute_query(numbered(statement), [pk])
