"""The content library service: lessons, stories, media, search, sync and learning progress."""

from resolvers.content.learning import organization_totals
from resolvers.content.loaders import (
    quizzes_by_lesson_id,
    register_quizzes_by_lesson_id,
)
from resolvers.content.media import register_private_media_check
from resolvers.content.schedules import run_due_schedules

__all__ = [
    "organization_totals",
    "quizzes_by_lesson_id",
    "register_private_media_check",
    "register_quizzes_by_lesson_id",
    "run_due_schedules",
]
