"""Bounded everything else (issue 11.13): throttle events pruned, log lines capped, persisted queries checked."""

from __future__ import annotations

import asyncio
import io
import json
import logging
import time
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import httpx
import pytest

import scheduler
import server
from caching.persisted import sha256_hex
from models.accounts import ThrottleEvent
from resolvers import retention, throttle
from settings import ConfigError, Settings, load_settings
from tests.helpers import GraphQLClient
from tests.realtime import CEILING

LOGIN = 'mutation($u: String!) { login(input: {username: $u, password: "wrong password!"}) { errors { code } } }'


async def test_the_scheduler_prunes_throttle_events_past_the_retention(gql: GraphQLClient, data_dir: Path) -> None:
    # Failed sign-ins keep addresses and (hashed) account keys: they must not be kept forever.
    for name in ("old-one", "old-two", "recent"):
        assert (await gql(LOGIN, {"u": name})).data["login"]["errors"] == [{"code": "INVALID"}]
    recent = await ThrottleEvent.filter(created_at__gte=throttle.now() - timedelta(minutes=5)).count()
    old = await ThrottleEvent.all().order_by("id").limit(recent * 2 // 3)
    for event in old:
        event.created_at -= timedelta(hours=49)
        await event.save(update_fields=["created_at"])
    purge = scheduler.Purge(data_dir / "media", retention.Policy(throttle_events=timedelta(hours=48)), every=0.05)
    async with scheduler.running(interval=0.05, purge=purge):
        deadline = time.monotonic() + CEILING
        while await ThrottleEvent.filter(id__in=[e.id for e in old]).exists():
            assert time.monotonic() < deadline, "the prune did not run"
            await asyncio.sleep(0.05)
    assert await ThrottleEvent.all().count() == recent - len(old)  # the recent ones stay


def test_the_retention_is_a_setting_of_at_least_a_day(tmp_path: Path) -> None:
    base = {"BEACON_DATA_DIR": str(tmp_path), "BEACON_SECRET_KEY": "k" * 40}
    assert load_settings(base).throttle_retention_hours == 48
    assert load_settings({**base, "BEACON_THROTTLE_RETENTION_HOURS": "72"}).throttle_retention_hours == 72
    with pytest.raises(ConfigError, match="at least 24"):
        load_settings({**base, "BEACON_THROTTLE_RETENTION_HOURS": "2"})


@pytest.fixture
def restored_logging() -> Iterator[None]:
    """configure_logging replaces the root logger's handlers: put pytest's back afterwards."""
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    yield
    root.handlers[:] = handlers
    root.setLevel(level)


@pytest.mark.parametrize("log_format", ["text", "json"])
def test_one_long_input_cannot_make_a_megabyte_log_line(
    restored_logging: None, tmp_path: Path, log_format: str
) -> None:
    settings = Settings(database_url="sqlite://:memory:", data_dir=tmp_path, secret_key="k" * 40, log_format=log_format)
    server.configure_logging(settings)
    logged = io.StringIO()
    [handler] = logging.getLogger().handlers
    assert isinstance(handler, logging.StreamHandler)
    handler.setStream(logged)
    long_input = "x" * 1_000_000
    log = logging.getLogger("beacon.test")
    log.warning("refused input %s from %r", long_input, long_input)
    log.warning(long_input)
    try:
        raise ValueError(long_input)
    except ValueError:
        log.exception("failed with %d bytes", len(long_input))
    lines = logged.getvalue().splitlines()
    assert lines and max(len(line) for line in lines) < 25_000, [len(line) for line in lines]
    assert "more characters]" in logged.getvalue() and "1000000 bytes" in logged.getvalue()
    if log_format == "json":
        entries = [json.loads(line) for line in lines if line.startswith("{")]
        assert len(entries) == 3


def apq(query: str) -> dict[str, object]:
    return {"query": query, "extensions": {"persistedQuery": {"version": 1, "sha256Hash": sha256_hex(query)}}}


def by_hash(query: str) -> dict[str, object]:
    return {"extensions": {"persistedQuery": {"version": 1, "sha256Hash": sha256_hex(query)}}}


@pytest.mark.parametrize(
    "document",
    [
        "not a graphql document at all, just text parked for a day",
        "{ noSuchField }",
        "{ " + "__typename " * 900 + "}",
        '{ search(query: "' + "x" * 40_000 + '") { totalCount } }',
    ],
    ids=["text", "invalid", "too repetitive", "too long"],
)
async def test_persisted_queries_are_stored_only_once_they_parse_and_validate(
    app_client: httpx.AsyncClient, document: str
) -> None:
    registered = await app_client.post("/graphql", json=apq(document))
    assert registered.json()["errors"][0]["extensions"]["code"] == "BAD_REQUEST"
    asked = (await app_client.post("/graphql", json=by_hash(document))).json()
    assert asked["errors"][0]["extensions"]["code"] == "PERSISTED_QUERY_NOT_FOUND"  # nothing was stored


async def test_a_valid_persisted_query_is_stored(app_client: httpx.AsyncClient) -> None:
    document = "query Stored { __typename }"
    assert (await app_client.post("/graphql", json=apq(document))).json() == {"data": {"__typename": "Query"}}
    assert (await app_client.post("/graphql", json=by_hash(document))).json() == {"data": {"__typename": "Query"}}
