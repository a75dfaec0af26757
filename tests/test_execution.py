"""The lean execution context (schema/execution.py) answers exactly what graphql-core's own would."""

from __future__ import annotations

from datetime import UTC, datetime
from enum import Enum
from pathlib import Path
from typing import Any

import strawberry

from schema import build_schema
from schema.execution import LeanExecutionContext, mark_plain_leaves
from settings import Settings


@strawberry.enum
class Colour(Enum):
    RED = "red"
    BLUE = "blue"


@strawberry.type
class Thing:
    name: str
    nickname: str | None
    colour: Colour
    colours: list[Colour]
    seen_at: datetime
    broken_name: str  # given None below: a non-null field that resolves to null
    wrong_colour: Colour  # given a value outside the enum

    @strawberry.field
    def shout(self, times: int = 1) -> str:
        return self.name.upper() * times

    @property
    def exploding(self) -> str:
        raise RuntimeError("boom")


@strawberry.type
class Query:
    @strawberry.field
    def things(self) -> list[Thing]:
        return [
            Thing(
                name="a",
                nickname=None,
                colour=Colour.RED,
                colours=[Colour.BLUE],
                seen_at=datetime(2026, 6, 26, 8, 0, tzinfo=UTC),
                broken_name=None,
                wrong_colour="purple",
            ),
        ]


DOCUMENT = "{ things { name nickname colour colours seenAt shout(times: 2) alias: name } }"
BROKEN = "{ things { name brokenName } }"
WRONG_ENUM = "{ things { wrongColour } }"


def _run(lean: bool, document: str) -> dict[str, Any]:
    schema = strawberry.Schema(query=Query, execution_context_class=LeanExecutionContext if lean else None)
    if lean:
        assert mark_plain_leaves(schema._schema) > 0
    result = schema.execute_sync(document)
    return {"data": result.data, "errors": [e.formatted for e in result.errors or []]}


def test_plain_leaves_answer_the_same_as_graphql_core() -> None:
    assert _run(True, DOCUMENT) == _run(False, DOCUMENT)
    assert _run(True, DOCUMENT)["data"] == {
        "things": [
            {
                "name": "a",
                "nickname": None,
                "colour": "RED",
                "colours": ["BLUE"],
                "seenAt": "2026-06-26T08:00:00+00:00",
                "shout": "AA",
                "alias": "a",
            }
        ]
    }


def test_a_null_for_a_non_null_leaf_and_a_bad_enum_fail_the_same_way() -> None:
    for document in (BROKEN, WRONG_ENUM):
        lean, plain = _run(True, document), _run(False, document)
        assert lean == plain and lean["errors"] and lean["errors"][0]["path"][0] == "things"


def test_the_served_schema_uses_it_for_most_leaves(tmp_path: Path) -> None:
    schema = build_schema(
        Settings(database_url="sqlite://:memory:", data_dir=tmp_path, secret_key="test-secret-key-not-for-production")
    )
    assert schema.execution_context_class is LeanExecutionContext
    marked = [
        (type_.name, name)
        for type_ in schema._schema.type_map.values()
        for name, field in getattr(type_, "fields", {}).items()
        if getattr(field, "beacon_plain_leaf", None)
    ]
    assert ("Lesson", "title") in marked and ("MediaAsset", "url") in marked
    assert ("MediaAsset", "variantUrl") not in marked  # has arguments and a resolver
