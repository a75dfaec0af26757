"""The one place domain exceptions become UserErrors and GraphQL error codes."""

from __future__ import annotations

import functools
import logging
import re
from collections.abc import Awaitable, Callable, Iterator
from enum import Enum
from typing import Any, ParamSpec, TypeVar

import strawberry
from graphql import GraphQLError
from strawberry.extensions import SchemaExtension
from tortoise.exceptions import DBConnectionError, OperationalError
from tortoise.transactions import in_transaction

from resolvers.errors import DomainError, InvalidMany, ServiceUnavailable

log = logging.getLogger("beacon.errors")
UNAVAILABLE_MESSAGE = "A backing service is unavailable; try again shortly."

P = ParamSpec("P")
R = TypeVar("R")


@strawberry.enum
class ErrorCode(Enum):
    INVALID = "INVALID"
    NOT_FOUND = "NOT_FOUND"
    FORBIDDEN = "FORBIDDEN"
    UNAUTHENTICATED = "UNAUTHENTICATED"
    CONFLICT = "CONFLICT"
    RATE_LIMITED = "RATE_LIMITED"
    TOO_LARGE = "TOO_LARGE"
    UNSUPPORTED_FORMAT = "UNSUPPORTED_FORMAT"
    SERVICE_UNAVAILABLE = strawberry.enum_value(
        "SERVICE_UNAVAILABLE",
        description="The server could not do it right now (e.g. the disk refused an upload); try again later.",
    )


@strawberry.type(description="A problem with a mutation's input that the caller can fix.")
class UserError:
    field: str | None = strawberry.field(
        description='Dotted path of the input field at fault, e.g. "input.title"; null when not tied to one field.'
    )
    message: str | None
    code: ErrorCode


class BadRequest(Exception):
    """The request itself is malformed (bad cursor, page size over the cap)."""

    code = "BAD_REQUEST"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def user_errors(error: DomainError) -> list[UserError]:
    """UserErrors for a domain exception (several for InvalidMany)."""
    errors = error.errors if isinstance(error, InvalidMany) else [error]
    return [UserError(field=e.field, message=e.message, code=ErrorCode(e.code)) for e in errors]


def _is_user_fixable(error: DomainError) -> bool:
    return not isinstance(error, ServiceUnavailable)


def payload(
    payload_type: Callable[..., R], *, atomic: bool = True
) -> Callable[[Callable[P, Awaitable[R]]], Callable[P, Awaitable[R]]]:
    """Run a mutation (in one transaction when atomic) and turn domain errors into payload errors."""

    def decorate(resolver: Callable[P, Awaitable[R]]) -> Callable[P, Awaitable[R]]:
        @functools.wraps(resolver)
        async def run(*args: P.args, **kwargs: P.kwargs) -> R:
            try:
                if not atomic:
                    return await resolver(*args, **kwargs)
                async with in_transaction():
                    return await resolver(*args, **kwargs)
            except DomainError as error:
                if not _is_user_fixable(error):
                    raise
                return payload_type(errors=user_errors(error))

        return run

    return decorate


def _code_for(error: GraphQLError) -> str:
    original = error.original_error
    if original is None:
        return "BAD_REQUEST"  # parse and validation errors
    if isinstance(original, (DomainError, BadRequest)):
        return original.code
    if is_connection_lost(original):
        return "SERVICE_UNAVAILABLE"
    if isinstance(original, GraphQLError):
        return _code_for(original)
    return "INTERNAL"


def is_connection_lost(error: BaseException) -> bool:
    """Whether an exception (or one it was raised from) means the database or Redis went away."""
    seen = 0
    current: BaseException | None = error
    while current is not None and seen < 6:
        if isinstance(current, (DBConnectionError, ConnectionError, OSError)):
            return True
        sqlstate = str(getattr(current, "sqlstate", "") or "")
        # Class 08: connection exception; 57P01-57P03: admin/crash shutdown, cannot connect now.
        if sqlstate.startswith("08") or sqlstate in ("57P01", "57P02", "57P03"):
            return True
        message = str(current).lower()
        if isinstance(current, OperationalError) and "connect" in message:
            return True
        if type(current).__name__ == "InterfaceError" and "connection" in message:
            return True  # asyncpg: "connection is closed", "connection has been released back to the pool"
        current = current.__cause__ or current.__context__
        seen += 1
    return False


_SUGGESTION = re.compile(r"\s*Did you mean .*\?\s*$", re.DOTALL)


def without_suggestions(message: str) -> str:
    """A validation message minus graphql-core's ' Did you mean …?' hint (it reveals the schema)."""
    return _SUGGESTION.sub("", message)


class ErrorCodes(SchemaExtension):
    """Give every GraphQL error an extensions.code; hide unexpected ones behind the request id.

    In production also drop "did you mean" suggestions, which would reveal field and type names
    that introspection is turned off to hide.
    """

    def __init__(self, *, hide_suggestions: bool = False) -> None:
        self.hide_suggestions = hide_suggestions

    def on_operation(self) -> Iterator[None]:
        yield
        result = self.execution_context.result
        if result is not None and result.errors:
            result.errors = [self._coded(e) for e in result.errors]

    def _coded(self, error: GraphQLError) -> GraphQLError:
        return coded_error(error, self.execution_context.context, hide_suggestions=self.hide_suggestions)


def hides_suggestions(context: object) -> bool:
    """Whether this request's settings are production's (no "did you mean" hints)."""
    return bool(getattr(getattr(context, "settings", None), "production", False))


def coded_error(error: GraphQLError, context: object, *, hide_suggestions: bool | None = None) -> GraphQLError:
    """The error with its extensions.code (unexpected errors hidden behind the request id)."""
    if (error.extensions or {}).get("code"):
        return error  # already coded (a streamed result passes here twice)
    code = _code_for(error)
    extensions: dict[str, Any] = dict(error.extensions or {})
    extensions["code"] = code
    hide = hides_suggestions(context) if hide_suggestions is None else hide_suggestions
    message = without_suggestions(error.message) if hide else error.message
    if code in ("INTERNAL", "SERVICE_UNAVAILABLE"):
        request_id = _request_id(context)
        extensions["requestId"] = request_id
        if code == "INTERNAL":
            log.error(
                "unexpected error request_id=%s path=%s",
                request_id,
                error.path,
                exc_info=error.original_error,
            )
            message = f"Internal error (request id {request_id})."
        else:
            log.warning("service unavailable request_id=%s: %s", request_id, error.original_error)
            message = UNAVAILABLE_MESSAGE
    return GraphQLError(
        message,
        nodes=error.nodes,
        source=error.source,
        positions=error.positions,
        path=error.path,
        original_error=None if code in ("INTERNAL", "SERVICE_UNAVAILABLE") else error.original_error,
        extensions=extensions,
    )


def _request_id(context: object) -> str:
    return str(getattr(context, "request_id", None) or "-")
