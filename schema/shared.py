"""Enums shared by several domains (content and quizzes), and a guard for rows a foreign key promises."""

from __future__ import annotations

from typing import TypeVar

import strawberry

from models.base import Audience as AudienceModel
from models.base import PublicationStatus as PublicationStatusModel

# strawberry.enum registers the model's enum in place; the alias lets type checkers read it as a type.
Audience = AudienceModel
strawberry.enum(Audience, description="Who a piece of content or a question is written for.")
PublicationStatus = PublicationStatusModel
strawberry.enum(PublicationStatus, description="The editorial workflow of lessons, stories and quizzes.")

T = TypeVar("T")


def present(row: T | None, what: str) -> T:
    """A row a foreign key guarantees; its absence is a broken database (an INTERNAL error), not bad input."""
    if row is None:
        raise LookupError(f"{what} is missing although a foreign key points at it")
    return row
