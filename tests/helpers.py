"""Test helpers: a GraphQL client over the real app, SQL statement counting, sign-in shortcuts."""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import httpx

# The key-encryption key of every test process (tests/conftest.py puts it in BEACON_DATA_KEY); not a real key.
TEST_DATA_KEY = "dGVzdC1kYXRhLWtleS1ub3QtZm9yLXByb2R1Y3Rpb24="


@dataclass
class Response:
    status: int
    body: dict[str, Any]
    headers: httpx.Headers

    @property
    def data(self) -> Any:
        return self.body.get("data")

    @property
    def errors(self) -> list[dict[str, Any]]:
        return self.body.get("errors") or []

    @property
    def codes(self) -> list[str]:
        return [e.get("extensions", {}).get("code") for e in self.errors]


class GraphQLClient:
    """POSTs GraphQL documents to /graphql like a frontend would."""

    def __init__(self, http: httpx.AsyncClient) -> None:
        self.http = http

    async def __call__(
        self,
        query: str,
        variables: dict[str, Any] | None = None,
        *,
        token: str | None = None,
        headers: dict[str, str] | None = None,
    ) -> Response:
        all_headers = dict(headers or {})
        if token:
            all_headers["Authorization"] = f"Bearer {token}"
        response = await self.http.post(
            "/graphql", json={"query": query, "variables": variables or {}}, headers=all_headers
        )
        return Response(response.status_code, response.json(), response.headers)

    async def ok(
        self,
        query: str,
        variables: dict[str, Any] | None = None,
        *,
        token: str | None = None,
        headers: dict[str, str] | None = None,
    ) -> Any:
        """Run a document that must succeed; return its data."""
        result = await self(query, variables, token=token, headers=headers)
        assert result.status == 200 and not result.errors, result.body
        return result.data


@dataclass(eq=False)  # handlers must stay hashable
class StatementCounter(logging.Handler):
    """Counts SQL statements the ORM sends, whatever the backend."""

    statements: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        logging.Handler.__init__(self, logging.DEBUG)

    def emit(self, record: logging.LogRecord) -> None:
        message = record.getMessage()
        if (
            message.split(":", 1)[0]
            .strip()
            .upper()
            .startswith(("SELECT", "INSERT", "UPDATE", "DELETE", "WITH", "TRUNCATE"))
        ):
            self.statements.append(message)

    @property
    def count(self) -> int:
        return len(self.statements)


@contextlib.contextmanager
def count_statements() -> Iterator[StatementCounter]:
    """Count SQL statements executed inside the block (tortoise logs each one at DEBUG)."""
    logger = logging.getLogger("tortoise.db_client")
    counter = StatementCounter()
    previous = logger.level
    logger.addHandler(counter)
    logger.setLevel(logging.DEBUG)
    try:
        yield counter
    finally:
        logger.removeHandler(counter)
        logger.setLevel(previous)
