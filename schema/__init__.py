"""The GraphQL schema: each domain contributes its Query, Mutation and Subscription parts."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Iterable
from contextlib import aclosing
from typing import Any

import strawberry
from graphql import GraphQLError, specified_rules
from graphql.validation import ASTValidationRule, NoSchemaIntrospectionCustomRule, OverlappingFieldsCanBeMergedRule
from strawberry.extensions import AddValidationRules, SchemaExtension
from strawberry.tools import merge_types
from strawberry.types import ExecutionContext, ExecutionResult
from strawberry.types.execution import PreExecutionError
from strawberry.types.graphql import OperationType

from caching.invalidation import ContentVersionBump
from caching.persisted import NOT_ALLOWED_MESSAGE, load_manifest, sha256_hex
from schema.accounts import AccountMutation, OrganizationQuery
from schema.consultations import (
    ConsultationMutation,
    ConsultationQuery,
    ConsultationSubscription,
)
from schema.content import ContentMutation, ContentQuery, PreviewMutation, PreviewQuery, PreviewReadOnly
from schema.credentials import CredentialMutation, CredentialQuery
from schema.errors import (
    ErrorCodes,
    coded_error,
    for_production,
    hides_suggestions,
)
from schema.execution import LeanExecutionContext, mark_plain_leaves
from schema.integrations import IntegrationMutation, IntegrationQuery
from schema.limits import (
    CostBudget,
    DocumentBudget,
    DocumentGate,
    bounded_overlap_rule,
    document_errors,
    document_limits_rule,
)
from schema.node import NodeQuery
from schema.privacy import PrivacyMutation, PrivacyQuery
from schema.quizzes import QuizMutation, QuizQuery
from schema.scalars import SCALAR_OVERRIDES
from schema.viewer import ViewerQuery
from settings import Settings


def _root(name: str, description: str, parts: tuple[type, ...]) -> type:
    """merge_types (which warns of a field defined twice) with a description for the root type."""
    merged = merge_types(name, parts)
    merged.__strawberry_definition__.description = description  # type: ignore[attr-defined]  # set by strawberry.type
    return merged


Query = _root(
    "Query",
    "Reads. Anonymous callers see published content and expert profiles; the rest depends on the caller's "
    "roles (bearer token) or organization (API key), as each field says.",
    (
        NodeQuery,
        ViewerQuery,
        OrganizationQuery,
        ContentQuery,
        PreviewQuery,
        QuizQuery,
        ConsultationQuery,
        IntegrationQuery,
        CredentialQuery,
        PrivacyQuery,
    ),
)
Mutation = _root(
    "Mutation",
    "Writes. Each answers a payload whose `errors` lists typed problems (UserError) instead of failing the request.",
    (
        AccountMutation,
        ContentMutation,
        PreviewMutation,
        QuizMutation,
        ConsultationMutation,
        IntegrationMutation,
        CredentialMutation,
        PrivacyMutation,
    ),
)
Subscription = _root(
    "Subscription",
    "Real-time events over graphql-ws (`/graphql`, protocol graphql-transport-ws), for the parties they concern.",
    (ConsultationSubscription,),
)


class BeaconSchema(strawberry.Schema):
    """Strawberry's schema, minus its own error logging: ErrorCodes logs what is unexpected."""

    # sha256 hashes of the trusted documents (BEACON_TRUSTED_DOCUMENTS), None when any document may run.
    trusted_hashes: frozenset[str] | None = None
    # What a document must pass to run here (build_schema sets them); persisted queries are checked with them.
    document_budget = DocumentBudget()
    max_depth = 12
    document_rules: tuple[type[ASTValidationRule], ...] = tuple(specified_rules)

    def admits(self, query: str) -> bool:
        """Whether a document parses and validates within the limits (APQ stores only such documents)."""
        return not document_errors(self._schema, query, self.document_budget, self.max_depth, self.document_rules)

    def process_errors(self, errors: list[GraphQLError], execution_context: ExecutionContext | None = None) -> None:
        return None

    async def execute(  # strawberry's signature
        self,
        query: str | None,
        variable_values: dict[str, Any] | None = None,
        context_value: Any | None = None,
        root_value: Any | None = None,
        operation_name: str | None = None,
        allowed_operation_types: Iterable[OperationType] | None = None,
        operation_extensions: dict[str, Any] | None = None,
    ) -> ExecutionResult:
        """A query or a mutation: over HTTP a subscription is refused, never run as a one-shot query.

        Strawberry lets a subscription through a POST and runs it like a query: its root field
        resolves to an event stream, which a one-shot result cannot hold, so the caller got
        INTERNAL. Subscriptions run over graphql-ws (`stream`), which does not come here; this
        refusal (InvalidOperationTypeError) is answered 400 BAD_REQUEST by the HTTP view.
        """
        allowed = set(allowed_operation_types or (OperationType.QUERY, OperationType.MUTATION))
        allowed.discard(OperationType.SUBSCRIPTION)
        return await super().execute(
            query, variable_values, context_value, root_value, operation_name, allowed, operation_extensions
        )

    async def stream(self, query: str | None, *args: Any, **kwargs: Any) -> Any:
        """Streamed results (graphql-ws) get the same error codes as HTTP responses, event by event.

        With trusted documents, a document sent over graphql-ws must be a registered one too (over
        HTTP caching/persisted.py refuses it before it gets here, and a resolved one passes).
        """
        if self.trusted_hashes is not None and (query is None or sha256_hex(query) not in self.trusted_hashes):
            return _refused_stream(NOT_ALLOWED_MESSAGE)
        source = await super().stream(query, *args, **kwargs)
        return _coded_stream(source, kwargs.get("context_value"))


async def _refused_stream(message: str) -> AsyncIterator[Any]:
    yield PreExecutionError(
        data=None, errors=[GraphQLError(message, extensions={"code": "PERSISTED_QUERY_NOT_ALLOWED"})]
    )


async def _coded_stream(source: Any, context: object) -> AsyncIterator[Any]:
    async with aclosing(source):
        async for result in source:
            errors = getattr(result, "errors", None)
            if errors and isinstance(result, PreExecutionError):
                # Keep the error objects: the transport inspects their class to pick a close code.
                for error in errors:
                    error.extensions = {
                        **(error.extensions or {}),
                        "code": (coded_error(error, context).extensions or {})["code"],
                    }
                    if hides_suggestions(context):
                        error.message = for_production(error.message)
            elif errors:
                result.errors = [coded_error(e, context) for e in errors]
            yield result


def build_schema(settings: Settings) -> BeaconSchema:
    """The served schema with its request limits for these settings."""
    # Factories, not instances: strawberry builds fresh extensions per request
    # (the parser and validation caches are shared at module level all the same).
    limits = document_limits_rule(
        max_depth=settings.query_max_depth,
        max_aliases=settings.query_max_aliases,
        max_directives=settings.query_max_directives,
    )
    budget = DocumentBudget(max_characters=settings.query_max_characters, max_tokens=settings.query_max_tokens)
    extensions: list[Callable[[], SchemaExtension] | type[SchemaExtension]] = [
        lambda: ErrorCodes(hide_suggestions=settings.production),
        lambda: AddValidationRules([limits]),
        lambda: CostBudget(budget=settings.query_max_cost),
        # Parsing and validation within the document budget, both with shared LRU caches.
        lambda: DocumentGate(budget=budget, max_depth=settings.query_max_depth),
        # Before anything can run: a request carrying only a preview token writes nothing.
        PreviewReadOnly,
        ContentVersionBump,
    ]
    if settings.production:
        extensions.append(lambda: AddValidationRules([NoSchemaIntrospectionCustomRule]))
    schema = BeaconSchema(
        query=Query,
        mutation=Mutation,
        subscription=Subscription,
        extensions=extensions,
        execution_context_class=LeanExecutionContext,
        scalar_overrides=SCALAR_OVERRIDES,
    )
    mark_plain_leaves(schema._schema)
    schema.document_budget, schema.max_depth = budget, settings.query_max_depth
    schema.document_rules = (
        *(
            bounded_overlap_rule(budget.max_overlap_work) if r is OverlappingFieldsCanBeMergedRule else r
            for r in specified_rules
        ),
        limits,
        *((NoSchemaIntrospectionCustomRule,) if settings.production else ()),
    )
    if settings.trusted_documents is not None:
        schema.trusted_hashes = frozenset(load_manifest(settings.trusted_documents))
    return schema


def export_sdl() -> str:
    """The SDL of the served schema (settings do not change its shape)."""
    schema = strawberry.Schema(
        query=Query, mutation=Mutation, subscription=Subscription, scalar_overrides=SCALAR_OVERRIDES
    )
    return schema.as_str() + "\n"
