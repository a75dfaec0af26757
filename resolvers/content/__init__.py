"""The content library service: lessons, stories, media, search, sync and learning progress."""

from resolvers.content.learning import organization_totals
from resolvers.content.media import register_private_media_check
from resolvers.content.schedules import run_due_schedules

__all__ = ["organization_totals", "register_private_media_check", "run_due_schedules"]
