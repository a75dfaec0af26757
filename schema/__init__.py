"""The GraphQL schema: each domain contributes its Query, Mutation and Subscription parts."""

from __future__ import annotations

from collections.abc import Callable

import strawberry
from graphql import GraphQLError
from graphql.validation import NoSchemaIntrospectionCustomRule
from strawberry.extensions import (
    AddValidationRules,
    MaxAliasesLimiter,
    MaxTokensLimiter,
    ParserCache,
    QueryDepthLimiter,
    SchemaExtension,
    ValidationCache,
)
from strawberry.tools import merge_types
from strawberry.types import ExecutionContext

from schema.accounts import AccountMutation
from schema.content import ContentMutation, ContentQuery
from schema.errors import ErrorCodes
from schema.node import NodeQuery
from schema.quizzes import QuizMutation, QuizQuery
from schema.viewer import ViewerQuery
from settings import Settings

Query = merge_types("Query", (NodeQuery, ViewerQuery, ContentQuery, QuizQuery))
Mutation = merge_types("Mutation", (AccountMutation, ContentMutation, QuizMutation))


class BeaconSchema(strawberry.Schema):
    """Strawberry's schema, minus its own error logging: ErrorCodes logs what is unexpected."""

    def process_errors(self, errors: list[GraphQLError], execution_context: ExecutionContext | None = None) -> None:
        return None


def build_schema(settings: Settings) -> strawberry.Schema:
    """The served schema with its request limits for these settings."""
    # Factories, not instances: strawberry builds fresh extensions per request
    # (the parser and validation caches are shared at module level all the same).
    extensions: list[Callable[[], SchemaExtension] | type[SchemaExtension]] = [
        ErrorCodes,
        lambda: QueryDepthLimiter(max_depth=settings.query_max_depth),
        lambda: MaxAliasesLimiter(max_alias_count=settings.query_max_aliases),
        lambda: MaxTokensLimiter(max_token_count=settings.query_max_tokens),
        lambda: ParserCache(maxsize=512),
        lambda: ValidationCache(maxsize=512),
    ]
    if settings.production:
        extensions.append(lambda: AddValidationRules([NoSchemaIntrospectionCustomRule]))
    return BeaconSchema(query=Query, mutation=Mutation, extensions=extensions)


def export_sdl() -> str:
    """The SDL of the served schema (settings do not change its shape)."""
    return strawberry.Schema(query=Query, mutation=Mutation).as_str() + "\n"
