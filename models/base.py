"""Shared model bases and enums used across domains."""

from __future__ import annotations

from enum import Enum

from tortoise import fields
from tortoise.models import Model


class Role(str, Enum):
    LEARNER = "LEARNER"
    TEACHER = "TEACHER"
    CLIENT = "CLIENT"
    EXPERT = "EXPERT"
    EDITOR = "EDITOR"
    ADMIN = "ADMIN"


class OrganizationKind(str, Enum):
    SCHOOL = "SCHOOL"
    COMMUNITY = "COMMUNITY"
    REHAB_CENTER = "REHAB_CENTER"
    AGENCY = "AGENCY"


class TimestampedModel(Model):
    """A row that knows when it was created and last changed."""

    id = fields.IntField(primary_key=True)
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        abstract = True


class Audience(str, Enum):
    """Who a piece of content or a question is written for (shared with content)."""

    PRIMARY_SCHOOL = "PRIMARY_SCHOOL"
    MIDDLE_SCHOOL = "MIDDLE_SCHOOL"
    HIGH_SCHOOL = "HIGH_SCHOOL"
    COLLEGE = "COLLEGE"
    ADULT = "ADULT"
    IN_RECOVERY = "IN_RECOVERY"


class PublicationStatus(str, Enum):
    """The editorial workflow shared by lessons, stories and quizzes."""

    DRAFT = "DRAFT"
    IN_REVIEW = "IN_REVIEW"
    PUBLISHED = "PUBLISHED"
    ARCHIVED = "ARCHIVED"
