"""Registrations racing for one username: one account, the others a typed CONFLICT (issue 11.10)."""

from __future__ import annotations

import asyncio

from models.accounts import User
from tests.helpers import GraphQLClient

REGISTER = """
mutation($input: RegisterInput!) {
  register(input: $input) { token user { username } errors { field code } }
}"""


async def test_concurrent_registrations_of_one_username_make_one_account(gql: GraphQLClient) -> None:
    variants = ["Mingming", "mingming", "MINGMING", "MingMing", "mingMing", "minGming"]
    answers = await asyncio.gather(
        *(
            gql(REGISTER, {"input": {"username": name, "password": "correct horse battery", "displayName": "明明"}})
            for name in variants
        )
    )
    assert all(a.status == 200 and not a.errors for a in answers), [a.body for a in answers]  # never INTERNAL
    payloads = [a.data["register"] for a in answers]
    assert sum(1 for p in payloads if p["token"]) == 1
    refused = [p["errors"] for p in payloads if not p["token"]]
    assert all(e[0]["field"] == "input.username" and e[0]["code"] == "CONFLICT" for e in refused), refused
    assert await User.filter(username_key="mingming").count() == 1
