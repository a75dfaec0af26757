"""The GraphQL schema: each domain contributes its Query, Mutation and Subscription parts."""

from __future__ import annotations

from collections.abc import Callable

import strawberry
from graphql import GraphQLError
from graphql.validation import NoSchemaIntrospectionCustomRule
from strawberry.extensions import (
    AddValidationRules,
    MaxTokensLimiter,
    ParserCache,
    SchemaExtension,
    ValidationCache,
)
from strawberry.tools import merge_types
from strawberry.types import ExecutionContext

from schema.accounts import AccountMutation
from schema.errors import ErrorCodes
from schema.limits import CostBudget, document_limits_rule
from schema.node import NodeQuery
from schema.viewer import ViewerQuery
from settings import Settings

Query = merge_types("Query", (NodeQuery, ViewerQuery))
Mutation = merge_types("Mutation", (AccountMutation,))


class BeaconSchema(strawberry.Schema):
    """Strawberry's schema, minus its own error logging: ErrorCodes logs what is unexpected."""

    def process_errors(self, errors: list[GraphQLError], execution_context: ExecutionContext | None = None) -> None:
        return None


def build_schema(settings: Settings) -> strawberry.Schema:
    """The served schema with its request limits for these settings."""
    # Factories, not instances: strawberry builds fresh extensions per request
    # (the parser and validation caches are shared at module level all the same).
    limits = document_limits_rule(
        max_depth=settings.query_max_depth,
        max_aliases=settings.query_max_aliases,
        max_directives=settings.query_max_directives,
    )
    extensions: list[Callable[[], SchemaExtension] | type[SchemaExtension]] = [
        lambda: ErrorCodes(hide_suggestions=settings.production),
        lambda: MaxTokensLimiter(max_token_count=settings.query_max_tokens),
        lambda: AddValidationRules([limits]),
        lambda: CostBudget(budget=settings.query_max_cost),
        lambda: ParserCache(maxsize=512),
        lambda: ValidationCache(maxsize=512),
    ]
    if settings.production:
        extensions.append(lambda: AddValidationRules([NoSchemaIntrospectionCustomRule]))
    return BeaconSchema(query=Query, mutation=Mutation, extensions=extensions)


def export_sdl() -> str:
    """The SDL of the served schema (settings do not change its shape)."""
    return strawberry.Schema(query=Query, mutation=Mutation).as_str() + "\n"
