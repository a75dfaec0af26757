"""Enums shared by several domains (content and quizzes)."""

from __future__ import annotations

import strawberry

from models.base import Audience as AudienceModel
from models.base import PublicationStatus as PublicationStatusModel

Audience = strawberry.enum(AudienceModel, description="Who a piece of content or a question is written for.")
PublicationStatus = strawberry.enum(
    PublicationStatusModel, description="The editorial workflow of lessons, stories and quizzes."
)
