"""Enums shared by several domains (content and quizzes), and a guard for rows a foreign key promises."""

from __future__ import annotations

from collections.abc import Mapping
from enum import Enum
from typing import TypeVar

import strawberry

from models.base import Audience as AudienceModel
from models.base import PublicationStatus as PublicationStatusModel

T = TypeVar("T")


def described_enum(enum: type[Enum], description: str, values: Mapping[str, str]) -> None:
    """Register an enum with strawberry (in place), describing it and each of its values.

    The members stay plain strings: models/ enums are stored in the database, and the services
    take `.value` as a str (strawberry.enum_value would wrap it for type checkers). The value
    descriptions go onto strawberry's definition of the enum instead.
    """
    strawberry.enum(enum, description=description)
    definition = enum.__strawberry_definition__  # type: ignore[attr-defined]  # set by strawberry.enum just above
    if {value.name for value in definition.values} != set(values):
        raise ValueError(f"describe exactly the members of {enum.__name__}: {[v.name for v in definition.values]}")
    for value in definition.values:
        value.description = values[value.name]


# described_enum registers the model's enum in place; the alias lets type checkers read it as a type.
Audience = AudienceModel
described_enum(
    Audience,
    "Who a piece of content or a question is written for.",
    {
        "PRIMARY_SCHOOL": "Primary-school pupils.",
        "MIDDLE_SCHOOL": "Middle-school students.",
        "HIGH_SCHOOL": "High-school students.",
        "COLLEGE": "College and vocational-college students.",
        "ADULT": "Adults in general (the public, parents, staff).",
        "IN_RECOVERY": "People in community rehabilitation and their families.",
    },
)
PublicationStatus = PublicationStatusModel
described_enum(
    PublicationStatus,
    "Where a lesson, story or quiz is in the editorial workflow; only PUBLISHED ones are seen outside staff.",
    {
        "DRAFT": "Being written; seen by editors and admins only.",
        "IN_REVIEW": "Submitted for review before publication; seen by editors and admins only.",
        "PUBLISHED": "Public: anyone, signed in or not, and API keys can read it.",
        "ARCHIVED": "Withdrawn from the public; staff still see it and may return it to DRAFT.",
    },
)


def present(row: T | None, what: str) -> T:
    """A row a foreign key guarantees; its absence is a broken database (an INTERNAL error), not bad input."""
    if row is None:
        raise LookupError(f"{what} is missing although a foreign key points at it")
    return row
