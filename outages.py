"""What a client gets when the database fails or the request runs out of time: typed 503 answers.

Every such answer is GraphQL-shaped JSON with `extensions.code` (`SERVICE_UNAVAILABLE` or
`TIMEOUT`), the request id, `Retry-After`, and for anything that may write, `extensions.outcome`:
`NOT_APPLIED` (nothing was stored: send it again as it is) or `UNKNOWN` (it may have been stored:
send it again with its idempotency key, or read first). docs/architecture.md, "Deadlines".
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Coroutine
from typing import Any

from graphql import GraphQLError, OperationType, get_operation_ast, parse
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from caching.http import STATE_KEY
from models.database import TIMED_OUT, outage
from schema.errors import TIMEOUT_MESSAGE, UNAVAILABLE_MESSAGE

log = logging.getLogger("beacon")


def service_unavailable(request: Request, error: BaseException) -> Response:
    """503 with a GraphQL-shaped body when the database failed before execution could start."""
    request_id = request.scope.get("state", {}).get("request_id", "-")
    code = "TIMEOUT" if outage(error) == TIMED_OUT else "SERVICE_UNAVAILABLE"
    log.warning("%s request_id=%s: %s: %s", code.lower(), request_id, type(error).__name__, error)
    return outage_response(request_id, code)


def outage_response(request_id: str, code: str, outcome: str | None = "NOT_APPLIED") -> Response:
    """503 with Retry-After and a GraphQL-shaped body; `outcome` says whether anything may have been stored."""
    message = TIMEOUT_MESSAGE if code == "TIMEOUT" else UNAVAILABLE_MESSAGE
    extensions = {"code": code, "requestId": request_id}
    if outcome is not None:
        extensions["outcome"] = outcome
    return JSONResponse(
        {"errors": [{"message": message, "extensions": extensions}]}, status_code=503, headers={"retry-after": "5"}
    )


def is_upload(request: Request) -> bool:
    return request.headers.get("content-type", "").lower().startswith("multipart/")


async def within_budget(work: Coroutine[Any, Any, Any], budget: float, request: Request, abandoned: set[Any]) -> Any:
    """The work's answer, or a 503 TIMEOUT once the request's budget is spent.

    The work runs as its own task so that the answer never waits for it to unwind: a cancelled
    statement on a stalled network can take long to give its connection back.
    """
    task = asyncio.create_task(work)
    try:
        done, _ = await asyncio.wait({task}, timeout=budget)
    except asyncio.CancelledError:  # the client went away: stop the work too
        task.cancel()
        raise
    if done:
        return task.result()
    task.cancel()
    abandoned.add(task)
    task.add_done_callback(_forget(abandoned))
    request_id = request.scope.get("state", {}).get("request_id", "-")
    log.warning("timeout request_id=%s: the request ran past its %g s budget", request_id, budget)
    return outage_response(request_id, "TIMEOUT", outcome_over_budget(request))


def _forget(abandoned: set[Any]) -> Callable[[asyncio.Task[Any]], None]:
    def forget(task: asyncio.Task[Any]) -> None:
        abandoned.discard(task)
        if not task.cancelled() and task.exception() is not None:
            log.debug("abandoned request ended with %r", task.exception())

    return forget


async def finish(abandoned: set[asyncio.Task[Any]], grace: float = 5.0) -> None:
    """Wait a little for abandoned requests to unwind; past the grace they are left to the shutdown."""
    if abandoned:
        await asyncio.wait(set(abandoned), timeout=grace)


def outcome_over_budget(request: Request) -> str | None:
    """NOT_APPLIED before the operation was read, UNKNOWN for a mutation, None for a query."""
    if request.method == "GET":
        return None  # GET runs queries only
    data = request.scope.get("state", {}).get(STATE_KEY)
    if data is None:
        return "NOT_APPLIED"  # the body was not even read
    query, operation_name = getattr(data, "query", None), getattr(data, "operation_name", None)
    try:
        operation = get_operation_ast(parse(query or ""), operation_name)
    except GraphQLError:
        return "NOT_APPLIED"  # not a document: nothing ran
    return "UNKNOWN" if operation is None or operation.operation == OperationType.MUTATION else None
