"""Sign-in throttling stops attackers, not classrooms (issue 11.5; the policy is in docs/security.md).

Waiting is simulated by moving the recorded failures back in time, never by sleeping, and the
throttle's clock stands still meanwhile (`frozen_throttle_clock`), so a slow machine does not let a
1 s wait run out between two attempts.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from datetime import timedelta
from typing import Any

import httpx
import pytest

from models.accounts import ThrottleEvent
from server import create_app
from settings import Settings
from tests.accounts.factories import make_user
from tests.helpers import GraphQLClient

LOGIN = (
    "mutation($u: String!, $p: String!) { login(input: {username: $u, password: $p}) "
    "{ token errors { code field retryAfterSeconds } } }"
)
REGISTER = (
    'mutation($u: String!) { register(input: {username: $u, password: "correct horse battery", displayName: "S"}) '
    "{ token errors { code retryAfterSeconds } } }"
)
RIGHT = "correct horse battery"

pytestmark = pytest.mark.usefixtures("frozen_throttle_clock")


@pytest.fixture
async def from_address(settings: Settings) -> AsyncIterator[Callable[[str], GraphQLClient]]:
    """GraphQL clients of the real app seen from other client addresses."""
    clients: list[httpx.AsyncClient] = []
    app = create_app(settings, manage_database=False)

    def at(address: str) -> GraphQLClient:
        transport = httpx.ASGITransport(app=app, client=(address, 40000))
        http = httpx.AsyncClient(transport=transport, base_url="http://beacon.test")
        clients.append(http)
        return GraphQLClient(http)

    yield at
    for http in clients:
        await http.aclose()


async def sign_in(gql: GraphQLClient, username: str, password: str = RIGHT) -> dict[str, Any]:
    result = await gql(LOGIN, {"u": username, "p": password})
    assert result.status == 200 and not result.errors, result.body
    return dict(result.data["login"])


async def passes(seconds: float) -> None:
    """Move every recorded throttle event `seconds` into the past (time passing, without sleeping)."""
    for event in await ThrottleEvent.all():
        event.created_at = event.created_at - timedelta(seconds=seconds)
        await event.save(update_fields=["created_at"])


async def test_a_classroom_of_60_behind_one_address_signs_in_at_once(gql: GraphQLClient) -> None:
    await asyncio.gather(*(make_user(f"pupil{i}") for i in range(60)))
    # A few typos first, as in any classroom: failures of different accounts, well under the address limit.
    for i in range(10):
        assert (await sign_in(gql, f"pupil{i}", "wrong password!"))["errors"][0]["code"] == "INVALID"
    answers = await asyncio.gather(*(sign_in(gql, f"pupil{i}") for i in range(60)))
    assert all(a["token"] and a["errors"] == [] for a in answers), [a["errors"] for a in answers if a["errors"]]
    # Successes are not counted: the address may still fail 40 times (50 in 15 minutes) before it waits.
    for i in range(40):
        assert (await sign_in(gql, f"pupil{i}", "wrong password!"))["errors"][0]["code"] == "INVALID"
        await passes(1)
    assert (await sign_in(gql, "pupil59"))["errors"][0]["code"] == "RATE_LIMITED"


async def test_failures_against_one_account_back_off_with_growing_delays(gql: GraphQLClient) -> None:
    await make_user("target")
    for _ in range(5):  # five failures are free
        assert (await sign_in(gql, "target", "wrong password!"))["errors"][0]["code"] == "INVALID"
    waits = []
    for _ in range(6):
        refused = await sign_in(gql, "target", "wrong password!")
        assert refused["errors"][0]["code"] == "RATE_LIMITED" and refused["token"] is None
        wait = refused["errors"][0]["retryAfterSeconds"]
        # Refused attempts are not counted: asking again at once is refused with the same wait.
        assert (await sign_in(gql, "target", RIGHT))["errors"][0]["retryAfterSeconds"] == wait
        waits.append(wait)
        await passes(wait)
        assert (await sign_in(gql, "target", "wrong password!"))["errors"][0]["code"] == "INVALID"
    assert waits == [1, 2, 4, 8, 16, 32]
    # It grows to 15 minutes and no further.
    for _ in range(12):
        wait = (await sign_in(gql, "target", "wrong password!"))["errors"][0]["retryAfterSeconds"]
        await passes(wait)
        await sign_in(gql, "target", "wrong password!")
    assert (await sign_in(gql, "target", RIGHT))["errors"][0]["retryAfterSeconds"] == 900
    # After the wait, the right password opens a session and forgives this address's failures.
    await passes(900)
    assert (await sign_in(gql, "target", RIGHT))["token"]
    assert (await sign_in(gql, "target", "wrong password!"))["errors"][0]["code"] == "INVALID"


async def test_a_stranger_slows_the_owner_elsewhere_to_a_try_a_minute_never_locks_them_out(
    gql: GraphQLClient, from_address: Callable[[str], GraphQLClient]
) -> None:
    await make_user("owner")
    stranger, home = from_address("198.51.100.66"), from_address("192.0.2.10")
    for _ in range(19):  # within the account's 20 free failures a day, from the stranger's address
        await sign_in(stranger, "owner", "guess guess guess")
        await passes(1000)
    await sign_in(stranger, "owner", "guess guess guess")
    # The stranger's own address waits long; the owner at home is not held by it …
    assert (await sign_in(stranger, "owner", RIGHT))["errors"][0]["retryAfterSeconds"] == 900
    await passes(1)
    assert (await sign_in(home, "owner", RIGHT))["token"]
    # … but past 20 failures in a day the account waits from every address, growing to a minute at most,
    # and during that wait even the right password is refused (else the wait would confirm a guess).
    for _ in range(10):
        await passes(1000)
        await sign_in(stranger, "owner", "guess guess guess")
    refused = await sign_in(home, "owner", RIGHT)
    assert refused["errors"][0]["code"] == "RATE_LIMITED" and refused["errors"][0]["retryAfterSeconds"] == 60
    await passes(60)
    assert (await sign_in(home, "owner", RIGHT))["token"]


async def test_one_address_failing_against_many_accounts_is_throttled(
    gql: GraphQLClient, from_address: Callable[[str], GraphQLClient]
) -> None:
    await make_user("innocent")
    for i in range(50):
        assert (await sign_in(gql, f"sprayed{i}", "Password123!"))["errors"][0]["code"] == "INVALID"
    refused = await sign_in(gql, "innocent", RIGHT)
    assert refused["errors"][0]["code"] == "RATE_LIMITED"
    assert 0 < refused["errors"][0]["retryAfterSeconds"] <= 15 * 60
    assert (await sign_in(from_address("192.0.2.99"), "innocent", RIGHT))["token"]  # elsewhere: fine
    await passes(15 * 60)
    assert (await sign_in(gql, "innocent", RIGHT))["token"]


async def test_registrations_are_limited_per_address(
    gql: GraphQLClient, from_address: Callable[[str], GraphQLClient]
) -> None:
    for i in range(100):
        registered = (await gql(REGISTER, {"u": f"newcomer{i}"})).data["register"]
        assert registered["token"], registered
    refused = (await gql(REGISTER, {"u": "newcomer100"})).data["register"]
    assert refused["token"] is None and refused["errors"][0]["code"] == "RATE_LIMITED"
    assert 0 < refused["errors"][0]["retryAfterSeconds"] <= 3600
    assert (await from_address("192.0.2.55")(REGISTER, {"u": "elsewhere"})).data["register"]["token"]
    await passes(3600)
    assert (await gql(REGISTER, {"u": "newcomer100"})).data["register"]["token"]
