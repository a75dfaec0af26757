"""The validation bench sends what it claims: fresh documents (no cache hit), the review's refused, the rest accepted."""

from __future__ import annotations

import orjson

from bench.validation import SCENARIOS, fresh
from tests.helpers import GraphQLClient


def test_every_request_is_a_new_document() -> None:
    first, second = (orjson.loads(fresh("{ __typename }"))["query"] for _ in range(2))
    assert first != second and first.startswith("{ __typename }\n# ")


async def test_the_scenarios_are_answered_as_the_table_says(gql: GraphQLClient) -> None:
    answers = {}
    for name, document in SCENARIOS:
        body = (
            await gql.http.post("/graphql", content=fresh(document), headers={"content-type": "application/json"})
        ).json()
        answers[name] = [e["extensions"]["code"] for e in body.get("errors", [])]
    assert answers["plain"] == [] and answers["a field 12 times"] == []
    assert answers["review (20 KB, 900 repeats)"] == ["BAD_REQUEST"]
    assert answers["repeated (900, in the token cap)"] == ["BAD_REQUEST"]
