"""The GraphQL schema: each domain contributes its Query, Mutation and Subscription parts."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import aclosing
from typing import Any

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
from strawberry.types.execution import PreExecutionError

from caching.invalidation import ContentVersionBump
from schema.accounts import AccountMutation
from schema.content import ContentMutation, ContentQuery
from schema.consultations import (
    ConsultationMutation,
    ConsultationQuery,
    ConsultationSubscription,
)
from schema.errors import (
    ErrorCodes,
    coded_error,
    hides_suggestions,
    without_suggestions,
)
from schema.execution import LeanExecutionContext, mark_plain_leaves
from schema.limits import CostBudget, document_limits_rule
from schema.node import NodeQuery
from schema.quizzes import QuizMutation, QuizQuery
from schema.viewer import ViewerQuery
from settings import Settings

Query = merge_types("Query", (NodeQuery, ViewerQuery, ContentQuery, QuizQuery, ConsultationQuery))
Mutation = merge_types("Mutation", (AccountMutation, ContentMutation, QuizMutation, ConsultationMutation))
Subscription = merge_types("Subscription", (ConsultationSubscription,))


class BeaconSchema(strawberry.Schema):
    """Strawberry's schema, minus its own error logging: ErrorCodes logs what is unexpected."""

    def process_errors(self, errors: list[GraphQLError], execution_context: ExecutionContext | None = None) -> None:
        return None

    async def stream(self, *args: Any, **kwargs: Any) -> Any:
        """Streamed results (graphql-ws) get the same error codes as HTTP responses, event by event."""
        source = await super().stream(*args, **kwargs)
        return _coded_stream(source, kwargs.get("context_value"))


async def _coded_stream(source: Any, context: object) -> AsyncIterator[Any]:
    async with aclosing(source):
        async for result in source:
            errors = getattr(result, "errors", None)
            if errors and isinstance(result, PreExecutionError):
                # Keep the error objects: the transport inspects their class to pick a close code.
                for error in errors:
                    error.extensions = {**(error.extensions or {}), "code": coded_error(error, context).extensions["code"]}
                    if hides_suggestions(context):
                        error.message = without_suggestions(error.message)
            elif errors:
                result.errors = [coded_error(e, context) for e in errors]
            yield result


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
        ContentVersionBump,
    ]
    if settings.production:
        extensions.append(lambda: AddValidationRules([NoSchemaIntrospectionCustomRule]))
    schema = BeaconSchema(
        query=Query, mutation=Mutation, subscription=Subscription, extensions=extensions, execution_context_class=LeanExecutionContext
    )
    mark_plain_leaves(schema._schema)
    return schema


def export_sdl() -> str:
    """The SDL of the served schema (settings do not change its shape)."""
    return strawberry.Schema(query=Query, mutation=Mutation, subscription=Subscription).as_str() + "\n"
