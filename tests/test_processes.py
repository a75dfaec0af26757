"""Several server processes behave as one: shared state lives in the database, not in memory."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest

from server import create_app
from settings import Settings
from tests.accounts.factories import make_user
from tests.helpers import GraphQLClient

LOGIN = 'mutation($p: String!) { login(input: {username: "alice", password: $p}) { token errors { code } } }'


@pytest.fixture
async def second_app(settings: Settings) -> AsyncIterator[GraphQLClient]:
    """A second, independent app instance, as another worker process would be."""
    transport = httpx.ASGITransport(app=create_app(settings, manage_database=False), client=("203.0.113.7", 50001))
    async with httpx.AsyncClient(transport=transport, base_url="http://worker-2.test") as client:
        yield GraphQLClient(client)


@pytest.mark.usefixtures("frozen_throttle_clock")  # the 1 s back-off must not run out
async def test_login_throttling_is_shared_between_workers(gql: GraphQLClient, second_app: GraphQLClient) -> None:
    await make_user("alice")
    for i in range(5):
        worker = gql if i % 2 else second_app
        assert (await worker.ok(LOGIN, {"p": f"wrong guess {i}"}))["login"]["errors"][0]["code"] == "INVALID"
    assert (await gql.ok(LOGIN, {"p": "correct horse battery"}))["login"]["errors"][0]["code"] == "RATE_LIMITED"
    assert (await second_app.ok(LOGIN, {"p": "correct horse battery"}))["login"]["errors"][0]["code"] == "RATE_LIMITED"


async def test_logout_on_one_worker_revokes_on_all(gql: GraphQLClient, second_app: GraphQLClient) -> None:
    await make_user("alice")
    token = (await gql.ok(LOGIN, {"p": "correct horse battery"}))["login"]["token"]
    viewer = "{ viewer { user { username } } }"
    assert (await second_app.ok(viewer, token=token))["viewer"]["user"]["username"] == "alice"
    await gql.ok("mutation { logout { ok } }", token=token)
    refused = await second_app(viewer, token=token)
    assert refused.status == 401 and refused.codes == ["UNAUTHENTICATED"]
