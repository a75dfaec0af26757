"""Hostile documents: depth, aliases and directives through fragments, fragment bombs, the cost budget."""

from __future__ import annotations

from pathlib import Path

import pytest
import strawberry
from graphql import build_schema as build_sdl
from graphql import parse, validate

from schema import build_schema
from schema.limits import OVERLAP_ABORTED, bounded_overlap_rule, merge_limits_errors, operation_cost
from settings import Settings
from tests.helpers import GraphQLClient
from tests.hostile_documents import (
    BUDGET,
    REFUSED,
    WITHIN_LIMITS,
    Work,
    chain_copies,
    fragment_bomb,
    long_literal,
    review_document,
    unknown_fields,
    watch_validation,
)


@pytest.fixture
def work(monkeypatch: pytest.MonkeyPatch) -> Work:
    return watch_validation(monkeypatch)


async def test_the_reviews_document_is_refused_before_graphql_core_validates_it(gql: GraphQLClient, work: Work) -> None:
    # 900 times one field in 20 KB took 1.7-2.9 s to validate: now over the token cap.
    document = review_document()
    assert 19_000 < len(document) < 22_000
    refused = await gql(document)
    assert refused.status == 200 and refused.codes == ["BAD_REQUEST"] and refused.data is None
    assert "more than 1000 tokens" in refused.errors[0]["message"]
    # The same repetition within the token cap: refused by the merge walk, the overlap rule never runs.
    refused = await gql("{ " + "__typename " * 900 + "}")
    assert refused.codes == ["BAD_REQUEST"]
    assert refused.errors[0]["message"].startswith("The response field '__typename' is selected more than 12 times")
    assert work.overlap_rules == 0 and work.overlap_units == 0


@pytest.mark.parametrize(("name", "document"), REFUSED, ids=[name for name, _ in REFUSED])
async def test_hostile_documents_are_refused_without_the_overlap_rule(
    gql: GraphQLClient, work: Work, name: str, document: str
) -> None:
    refused = await gql(document)
    assert refused.codes and set(refused.codes) == {"BAD_REQUEST"} and refused.data is None, refused.body
    assert work.overlap_units == 0 and work.overlap_rules == 0, name


@pytest.mark.parametrize(("name", "document"), WITHIN_LIMITS, ids=[name for name, _ in WITHIN_LIMITS])
async def test_the_heaviest_accepted_documents_validate_within_the_overlap_budget(
    gql: GraphQLClient, work: Work, name: str, document: str
) -> None:
    result = await gql(document)
    assert "Validation stopped" not in str(result.body), name
    # Before the limits, the review's document cost the overlap rule 405,450 pair comparisons.
    assert work.overlap_rules == 1 and work.overlap_units <= BUDGET.max_overlap_work // 3, (name, work)
    assert work.overlap_units <= 4 * BUDGET.max_pairs


def test_the_merge_walk_counts_pairs_as_graphql_core_compares_them(work: Work) -> None:
    schema = build_schema(Settings(database_url="sqlite://:memory:", data_dir=Path("."), secret_key="k" * 40))
    # Twelve chains ten deep: 66 pairs at each of 11 response paths, refused at 250 pairs.
    refused = merge_limits_errors(parse(chain_copies(12, 10)), BUDGET, 12)
    assert refused and "more than 250 pairs of fields" in refused[0].message
    # Four chains: 6 pairs at 11 paths = 66, accepted; graphql-core spends about 3 units a pair.
    assert merge_limits_errors(parse(chain_copies(4, 10)), BUDGET, 12) == []
    assert validate(schema._schema, parse(chain_copies(4, 10)), [bounded_overlap_rule(BUDGET.max_overlap_work)]) == []
    assert 2 * 66 <= work.overlap_units <= 4 * 66


def test_the_overlap_rules_meter_is_the_backstop(work: Work) -> None:
    # Without the merge walk (graphql-core alone), the meter stops the rule and says why.
    small = build_sdl("type Query { a: Int }")
    errors = validate(small, parse("{ " + "a " * 100 + "}"), [bounded_overlap_rule(200)])
    assert [e.message for e in errors] == [OVERLAP_ABORTED]
    assert 200 < work.overlap_units <= 202  # stopped by the first charge past the meter


async def test_a_long_document_is_refused_before_it_is_lexed(gql: GraphQLClient, work: Work) -> None:
    refused = await gql(long_literal(200_000))
    assert refused.codes == ["BAD_REQUEST"]
    assert refused.errors[0]["message"].startswith("The document is 200036 characters long; at most 32768")
    assert work.lexed_characters < 32_768  # the response cache's check did not lex it either
    assert not (await gql(long_literal(32_000))).errors


async def test_error_storms_stop_after_ten_errors(gql: GraphQLClient) -> None:
    # Each error's line and column is found by scanning the document from its start.
    refused = await gql(unknown_fields(150))
    assert len(refused.errors) == 11 and set(refused.codes) == {"BAD_REQUEST"}
    assert "error limit reached" in refused.errors[-1]["message"]


async def test_fragment_bomb_is_refused_by_the_merge_walk(gql: GraphQLClient, work: Work) -> None:
    # Strawberry's own depth and alias limiters re-walk a fragment at every spread: 2^n work.
    document = fragment_bomb(24, "a: __typename")
    assert len(document) < 1200
    result = await gql(document)
    assert result.codes == ["BAD_REQUEST"] and "fragment spreads are merged" in result.errors[0]["message"]
    assert work.overlap_rules == 0


def doubling_fragments(levels: int) -> str:
    """Fragments spreading the previous one under two different response names: 2^levels paths."""
    fragments = " ".join(
        f"fragment F{i} on Lesson {{ translations {{ ...F{i - 1} }} t: translations {{ ...F{i - 1} }} }}"
        for i in range(1, levels + 1)
    )
    return f'{{ lesson(slug: "a") {{ ...F{levels} }} }} fragment F0 on Lesson {{ id }} {fragments}'


async def test_fragments_doubling_under_distinct_names_hit_the_step_cap_or_the_cost_budget(
    gql: GraphQLClient, work: Work
) -> None:
    # Ten levels: 2^10 response paths; the merge walk stops at 4,000 selections.
    refused = await gql(doubling_fragments(10))
    assert (
        refused.codes == ["BAD_REQUEST"] and "more than 4000 fields once its fragments" in refused.errors[0]["message"]
    )
    assert work.overlap_rules == 0
    # Four levels validate; each list multiplies the cost by its page size (20): over 25,000.
    result = await gql(doubling_fragments(4))
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
    def fields(count: int) -> str:
        return " ".join(f"a{i}: __typename @include(if: true) @skip(if: false)" for i in range(count))

    assert not (await gql("{ " + fields(25) + " }")).errors
    refused = await gql("{ " + fields(26) + " }")
    assert refused.codes == ["BAD_REQUEST"] and refused.errors[0]["message"] == "52 directives found. Allowed: 50"
    # Through fragments: 26 directives in a fragment spread twice.
    through = await gql("{ ...D ...D } fragment D on Query { " + fields(13) + " }")
    assert through.codes == ["BAD_REQUEST"] and through.errors[0]["message"] == "52 directives found. Allowed: 50"


async def test_depth_is_measured_through_fragments(gql: GraphQLClient) -> None:
    assert not (
        await gql(
            '{ node(id: "VXNlcjox") { ...A } } fragment A on User { organization { ...B } } fragment B on Organization { id }'
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
