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
from strawberry.types.graphql import OperationType

from models.database import TIMED_OUT, outage
from resolvers.errors import DomainError, Invalid, InvalidMany, RateLimited, ServiceUnavailable
from resolvers.transaction import unit_of_work

log = logging.getLogger("beacon.errors")
UNAVAILABLE_MESSAGE = "A backing service is unavailable; try again shortly."
TIMEOUT_MESSAGE = "The server ran out of time for this request; try again shortly."
# Codes whose cause stays in the server log: the client gets a fixed message and the request id.
HIDDEN_CODES = ("INTERNAL", "SERVICE_UNAVAILABLE", "TIMEOUT")

P = ParamSpec("P")
R = TypeVar("R")


@strawberry.enum(description="What kind of problem a UserError reports; clients branch on it, not on the message.")
class ErrorCode(Enum):
    INVALID = strawberry.enum_value(
        "INVALID", description="The input is malformed or out of range; `field` names the input at fault."
    )
    NOT_FOUND = strawberry.enum_value(
        "NOT_FOUND", description="A referenced object does not exist or is not visible to the caller."
    )
    FORBIDDEN = strawberry.enum_value("FORBIDDEN", description="The caller is signed in but may not do this.")
    UNAUTHENTICATED = strawberry.enum_value(
        "UNAUTHENTICATED", description="Only a signed-in caller may do this; sign in first."
    )
    CONFLICT = strawberry.enum_value(
        "CONFLICT",
        description="The change clashes with the current state (a taken name, a stale version, a finished attempt).",
    )
    RATE_LIMITED = strawberry.enum_value(
        "RATE_LIMITED", description="Too many attempts; `retryAfterSeconds` says when to try again."
    )
    TOO_LARGE = strawberry.enum_value(
        "TOO_LARGE", description="An upload or value exceeds its size limit (see the message for the limit)."
    )
    UNSUPPORTED_FORMAT = strawberry.enum_value(
        "UNSUPPORTED_FORMAT", description="An upload's content is not a format this field accepts."
    )
    SECOND_FACTOR_REQUIRED = strawberry.enum_value(
        "SECOND_FACTOR_REQUIRED",
        description="The password was right; sign in again with it and the code from the authenticator "
        "app (or a recovery code) in `otp`.",
    )
    SECOND_FACTOR_ENROLMENT_REQUIRED = strawberry.enum_value(
        "SECOND_FACTOR_ENROLMENT_REQUIRED",
        description="The password was right; this account must set up a second factor first, with the "
        "payload's `enrolmentToken` (beginSecondFactorEnrolment, confirmSecondFactor).",
    )
    SESSION_ENDED = strawberry.enum_value(
        "SESSION_ENDED",
        description="refreshSession: the session ended (signed out, revoked, expired, password changed, account "
        "deactivated) or the refresh token is unknown; sign in again.",
    )
    REFRESH_TOKEN_REUSED = strawberry.enum_value(
        "REFRESH_TOKEN_REUSED",
        description="refreshSession: this refresh token was already traded for a new one, so someone else may "
        "hold the session; it was ended everywhere. Sign in again.",
    )
    SERVICE_UNAVAILABLE = strawberry.enum_value(
        "SERVICE_UNAVAILABLE",
        description="The server could not do it right now (e.g. the disk refused an upload); try again later.",
    )


@strawberry.type(description="A problem with a mutation's input that the caller can fix.")
class UserError:
    field: str | None = strawberry.field(
        description='Dotted path of the input field at fault, e.g. "input.title"; null when not tied to one field.'
    )
    message: str | None = strawberry.field(
        description="What went wrong, in words for the person at the keyboard (may change; do not parse it)."
    )
    code: ErrorCode = strawberry.field(description="The kind of problem, stable for clients to branch on.")
    retry_after_seconds: int | None = strawberry.field(
        default=None, description="For RATE_LIMITED: the seconds to wait before trying again; null otherwise."
    )


# The `errors` field every mutation payload has.
PAYLOAD_ERRORS = "Why nothing was changed, one entry per problem (code, input field, message); empty on success."


class BadRequest(Exception):
    """The request itself is malformed (bad cursor, page size over the cap)."""

    code = "BAD_REQUEST"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class MalformedId(Invalid):
    """A global ID this server never gave out: not base64 of "Type:number", or of another type.

    In a query it is the request's fault, like a bad cursor: `extensions.code` BAD_REQUEST. In a
    mutation it is a UserError INVALID naming the input field, because UserError codes are the
    domain's (docs/api-guide.md, "IDs"). Either way it differs from a well-formed ID of something
    that does not exist or that the caller may not see: null in a query, NOT_FOUND in a mutation.
    """


def user_errors(error: DomainError) -> list[UserError]:
    """UserErrors for a domain exception (several for InvalidMany)."""
    errors = error.errors if isinstance(error, InvalidMany) else [error]
    return [
        UserError(field=e.field, message=e.message, code=ErrorCode(e.code), retry_after_seconds=retry_after_of(e))
        for e in errors
    ]


def retry_after_of(error: BaseException | None) -> int | None:
    """The seconds a RATE_LIMITED error asks the caller to wait, if it is one."""
    return error.retry_after if isinstance(error, RateLimited) else None


def _is_user_fixable(error: DomainError) -> bool:
    return not isinstance(error, ServiceUnavailable)


class NotApplied(Exception):
    """A mutation's transaction failed before it committed: nothing of it was stored."""


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
                return await _atomically(functools.partial(resolver, *args, **kwargs))
            except DomainError as error:
                if not _is_user_fixable(error):
                    raise
                return payload_type(errors=user_errors(error))

        return run

    return decorate


async def _atomically(work: Callable[[], Awaitable[R]]) -> R:
    """Run the work in a transaction; an outage before the commit provably stored nothing."""
    committing = False
    try:
        async with unit_of_work():
            result = await work()
            committing = True  # leaving the block commits: a failure from here on may have stored it
        return result
    except Exception as error:  # only outages are re-labelled; the rest is re-raised unchanged
        if committing or outage(error) is None:
            raise
        raise NotApplied(str(error)) from error


def _code_for(error: GraphQLError) -> str:
    original = error.original_error
    if original is None:
        return "BAD_REQUEST"  # parse and validation errors
    if isinstance(original, MalformedId):
        return "BAD_REQUEST"
    if isinstance(original, (DomainError, BadRequest)):
        return original.code
    kind = outage(original)
    if kind is not None:
        return "TIMEOUT" if kind == TIMED_OUT else "SERVICE_UNAVAILABLE"
    if isinstance(original, GraphQLError):
        return _code_for(original)
    return "INTERNAL"


def is_connection_lost(error: BaseException) -> bool:
    """Whether an exception (or one it was raised from) means the database went away or ran out of time."""
    return outage(error) is not None


def outcome_of(error: GraphQLError) -> str:
    """For a mutation's outage: NOT_APPLIED when nothing was stored, else UNKNOWN (it may have been)."""
    return "NOT_APPLIED" if isinstance(error.original_error, NotApplied) else "UNKNOWN"


_SUGGESTION = re.compile(r"\s*Did you mean [^?]*\?")
# graphql-core quotes what was sent in its coercion messages, and those may be passwords. The
# value is always the end of a message ("… found: {…}.", "String cannot represent a non string
# value: 7"), or an enum value or a scalar's own error in quotes.
_SENT_VALUES = (
    (re.compile(r"[,;.]?\s*[Ff]ound: .*$", re.DOTALL), "."),
    (re.compile(r"(cannot represent [^:]*): .*$", re.DOTALL), r"\1."),
    (re.compile(r", but encountered error .*$", re.DOTALL), "."),
    (re.compile(r"\bValue .* (does not exist in '[^']*' enum)", re.DOTALL), r"The value \1"),
    (re.compile(r"got invalid value .*?; ", re.DOTALL), "got an invalid value; "),
)


def without_suggestions(message: str) -> str:
    """A validation message minus graphql-core's ' Did you mean …?' hints (they reveal the schema)."""
    return _SUGGESTION.sub("", message)


def without_values(message: str) -> str:
    """A coercion message minus the values the client sent (production: they may be passwords)."""
    for pattern, replacement in _SENT_VALUES:
        message = pattern.sub(replacement, message)
    return message


def for_production(message: str) -> str:
    return without_values(without_suggestions(message))


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
        mutation = self.execution_context.operation_type == OperationType.MUTATION
        return coded_error(
            error, self.execution_context.context, hide_suggestions=self.hide_suggestions, mutation=mutation
        )


def hides_suggestions(context: object) -> bool:
    """Whether this request's settings are production's (no "did you mean" hints)."""
    return bool(getattr(getattr(context, "settings", None), "production", False))


def coded_error(
    error: GraphQLError, context: object, *, hide_suggestions: bool | None = None, mutation: bool = False
) -> GraphQLError:
    """The error with its extensions.code (unexpected errors hidden behind the request id).

    An outage in a mutation also says whether anything was stored (`extensions.outcome`).
    """
    if (error.extensions or {}).get("code"):
        return error  # already coded (a streamed result passes here twice)
    code = _code_for(error)
    extensions: dict[str, Any] = dict(error.extensions or {})
    extensions["code"] = code
    retry_after = retry_after_of(error.original_error)
    if retry_after is not None:
        extensions["retryAfterSeconds"] = retry_after
    hide = hides_suggestions(context) if hide_suggestions is None else hide_suggestions
    message = for_production(error.message) if hide else error.message
    hidden = code in HIDDEN_CODES
    if hidden:
        request_id = _request_id(context)
        extensions["requestId"] = request_id
        if code == "INTERNAL":
            log.error("unexpected error request_id=%s path=%s", request_id, error.path, exc_info=error.original_error)
            message = f"Internal error (request id {request_id})."
        else:
            log.warning("%s request_id=%s: %s", code.lower(), request_id, error.original_error)
            if not isinstance(error.original_error, DomainError):  # a domain message is written for people
                message = TIMEOUT_MESSAGE if code == "TIMEOUT" else UNAVAILABLE_MESSAGE
            if mutation:
                extensions["outcome"] = outcome_of(error)
    return GraphQLError(
        message,
        nodes=error.nodes,
        source=error.source,
        positions=error.positions,
        path=error.path,
        original_error=None if hidden else error.original_error,
        extensions=extensions,
    )


def _request_id(context: object) -> str:
    return str(getattr(context, "request_id", None) or "-")
