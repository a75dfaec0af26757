"""Content in GraphQL: lessons, stories, tags, media, search, sync and learning progress."""

from schema.content.mutations import ContentMutation
from schema.content.previews import PreviewMutation, PreviewQuery, PreviewReadOnly
from schema.content.queries import ContentQuery

__all__ = ["ContentMutation", "ContentQuery", "PreviewMutation", "PreviewQuery", "PreviewReadOnly"]
