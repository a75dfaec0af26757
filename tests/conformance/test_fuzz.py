"""Schemathesis in GraphQL mode against a live server: no 5xx, no response that breaks the schema."""

from __future__ import annotations

import asyncio
import os
import time
from collections import Counter
from pathlib import Path
from typing import Any

import hypothesis
import pytest
from hypothesis import HealthCheck

from models.base import Role
from tests.helpers import token_for
from tests.live import LiveServer

schemathesis = pytest.importorskip("schemathesis")

# Examples per operation: fixed and derandomized, so every run sends the same documents.
EXAMPLES = 8 if os.environ.get("CI") else 12
BUDGET_SECONDS = 150


def fuzz(url: str, token: str) -> tuple[Counter[str], list[str]]:
    """Run every query and mutation field's examples; return counts per operation and failures."""
    schema = schemathesis.graphql.from_url(url, timeout=30)
    headers = {"Authorization": f"Bearer {token}"}
    counts: Counter[str] = Counter()
    failures: list[str] = []
    started = time.monotonic()
    for result in schema.get_all_operations():
        operation = result.ok()
        label = operation.label

        @hypothesis.settings(
            max_examples=EXAMPLES,
            deadline=None,
            derandomize=True,
            database=None,
            suppress_health_check=list(HealthCheck),
            phases=[hypothesis.Phase.explicit, hypothesis.Phase.generate],
        )
        @hypothesis.given(case=operation.as_strategy())
        def run(case: Any) -> None:
            counts[label] += 1  # noqa: B023
            response = case.call(headers=headers, timeout=30)
            assert response.status_code < 500, (
                f"{response.status_code} for {case.body}: {response.text[:500]}"
            )
            case.validate_response(response)

        try:
            run()
        except Exception as error:  # noqa: BLE001 - collect every operation's failure, then report
            failures.append(f"{label}: {type(error).__name__}: {str(error)[:1500]}")
        assert time.monotonic() - started < BUDGET_SECONDS, (
            f"fuzzing overran its budget after {label}"
        )
    return counts, failures


async def test_schemathesis_finds_no_server_errors(
    once: None, db: str, data_dir: Path
) -> None:
    token = await token_for("fuzz-admin", Role.ADMIN)
    with LiveServer(db, data_dir) as server:
        counts, failures = await asyncio.to_thread(fuzz, server.graphql, token)
        assert "Traceback" not in server.log(), server.log()
    assert failures == []
    assert len(counts) >= 5 and sum(counts.values()) >= 5 * EXAMPLES // 2
    print(
        f"schemathesis: {sum(counts.values())} examples over {len(counts)} operations"
    )
