"""Hostile documents: depth, aliases and directives through fragments, fragment bombs, the cost budget."""

from __future__ import annotations

import time
from pathlib import Path

import strawberry
from graphql import parse

from schema import build_schema
from schema.limits import operation_cost
from settings import Settings
from tests.helpers import GraphQLClient


def fragment_bomb(levels: int, leaf: str = "__typename") -> str:
    """Each fragment spreads the previous one twice: 2^levels fields from under 1 KB."""
    fragments = [f"fragment F0 on Query {{ {leaf} }}"]
    fragments += [f"fragment F{i} on Query {{ ...F{i - 1} ...F{i - 1} }}" for i in range(1, levels)]
    return f"{{ ...F{levels - 1} }}\n" + "\n".join(fragments)


async def test_fragment_bomb_is_refused_in_linear_time(gql: GraphQLClient) -> None:
    # Strawberry's own depth and alias limiters re-walk a fragment at every spread: 2^n work.
    document = fragment_bomb(24, "a: __typename")
    assert len(document) < 1200
    started = time.perf_counter()
    result = await gql(document)
    elapsed = time.perf_counter() - started
    assert elapsed < 2, f"validation took {elapsed:.1f}s"
    assert result.codes and set(result.codes) == {"BAD_REQUEST"}
    assert any("aliases found" in e["message"] for e in result.errors)


async def test_fragment_bomb_without_aliases_hits_the_cost_budget(
    gql: GraphQLClient,
) -> None:
    started = time.perf_counter()
    result = await gql(fragment_bomb(30))
    assert time.perf_counter() - started < 2
    assert result.codes == ["BAD_REQUEST"] and "exceeds the budget" in result.errors[0]["message"]
    assert result.data is None


async def test_aliases_are_counted_through_every_fragment_spread(
    gql: GraphQLClient,
) -> None:
    ten = " ".join(f"a{i}: __typename" for i in range(10))
    allowed = f"{{ ...Ten ... on Query {{ ...Ten }} ...Ten }} fragment Ten on Query {{ {ten} }}"
    assert not (await gql(allowed)).errors
    refused = await gql(f"{{ ...Ten ...Ten ...Ten ...Ten }} fragment Ten on Query {{ {ten} }}")
    assert refused.codes == ["BAD_REQUEST"] and refused.errors[0]["message"] == "40 aliases found. Allowed: 30"


async def test_too_many_directives_are_refused(gql: GraphQLClient) -> None:
    assert not (await gql("{ " + "__typename @include(if: true) " * 50 + "}")).errors
    refused = await gql("{ " + "__typename @include(if: true) " * 51 + "}")
    assert refused.codes == ["BAD_REQUEST"] and refused.errors[0]["message"] == "51 directives found. Allowed: 50"
    # Through fragments: 26 directives in a fragment spread twice.
    through = await gql("{ ...D ...D } fragment D on Query { " + "__typename @skip(if: false) " * 26 + "}")
    assert through.codes == ["BAD_REQUEST"] and through.errors[0]["message"] == "52 directives found. Allowed: 50"


async def test_depth_is_measured_through_fragments(gql: GraphQLClient) -> None:
    assert not (
        await gql(
            '{ node(id: "x") { ...A } } fragment A on User { organization { ...B } } fragment B on Organization { id }'
        )
    ).errors
    # Thirteen fragments, each one field deeper than the one spreading it: depth 13, over 12.
    fragments = " ".join(
        f'fragment F{i} on User {{ organization {{ id }} node(id: "x") {{ ...F{i + 1} }} }}' for i in range(12)
    )
    refused = await gql(f'{{ node(id: "x") {{ ...F0 }} }} {fragments} fragment F12 on User {{ id }}')
    assert set(refused.codes) == {"BAD_REQUEST"}
    assert "'anonymous' exceeds maximum operation depth of 12" in [e["message"] for e in refused.errors]


# The cost model on a small schema with lists, independent of the domain schemas.
@strawberry.type
class Tag:
    name: str


@strawberry.type
class ItemConnection:
    @strawberry.field
    def edges(self) -> list[Tag]:
        return []


@strawberry.type
class Item:
    id: int
    tags: list[Tag]

    @strawberry.field
    def children(self, first: int | None = None, last: int | None = None) -> ItemConnection:
        return ItemConnection()


@strawberry.type
class CostQuery:
    @strawberry.field
    def items(self, first: int | None = None, last: int | None = None) -> ItemConnection:
        return ItemConnection()

    @strawberry.field
    def item(self) -> Item | None:
        return None


COST_SCHEMA = strawberry.Schema(query=CostQuery)._schema


def cost(
    document: str,
    variables: dict[str, object] | None = None,
    operation: str | None = None,
) -> int:
    return operation_cost(COST_SCHEMA, parse(document), operation, variables)


def test_lists_multiply_by_their_page_size() -> None:
    assert cost("{ item { id } }") == 2
    assert cost("{ items(first: 5) { edges { name } } }") == 1 + 5 * (1 + 1)
    assert cost("{ items { edges { name } } }") == 1 + 20 * 2  # 20 by default
    assert cost("query($n: Int) { items(last: $n) { edges { name } } }", {"n": 50}) == 1 + 50 * 2
    assert cost("{ item { tags { name } } }") == 1 + (1 + 20 * 1)  # a plain list counts 20
    nested = "{ items(first: 100) { edges { name } } item { children(first: 100) { edges { name } } } }"
    assert cost(nested) == (1 + 100 * 2) + (1 + (1 + 100 * 2))
    assert cost("{ ...F ...F } fragment F on CostQuery { items(first: 10) { edges { name } } }") == 2 * (1 + 10 * 2)
    assert (
        cost(
            "query A { item { id } } query B { items { edges { name } } }",
            operation="A",
        )
        == 2
    )


async def test_query_over_the_cost_budget_is_refused(db: str, data_dir: Path) -> None:
    settings = Settings(database_url=db, data_dir=data_dir, secret_key="k" * 40, query_max_cost=5)
    schema = build_schema(settings)
    refused = await schema.execute(
        "{ a: __typename b: __typename c: __typename d: __typename e: __typename f: __typename }"
    )
    assert refused.errors and "Query cost 6 exceeds the budget of 5" in refused.errors[0].message
    assert not (await schema.execute("{ a: __typename b: __typename }")).errors
