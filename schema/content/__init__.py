"""Content in GraphQL: lessons, stories, tags, media, search, sync and learning progress."""

from schema.content.mutations import ContentMutation
from schema.content.queries import ContentQuery

__all__ = ["ContentMutation", "ContentQuery"]
