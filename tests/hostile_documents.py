"""Hostile GraphQL documents for the validation-cost limits (issue 11.2): tests, fuzz and bench share them.

Each family is the worst of its kind that fits in a request: the review's document (one field
repeated 900 times in 20 KB), fields repeated through nested parents, fragment spreads,
unused fragments, long chains of repeated fields, many operations, error storms and long
literals. `WITHIN_LIMITS` are the heaviest documents the limits still accept.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from typing import Any

import graphql.validation.rules.overlapping_fields_can_be_merged as overlapping
import pytest
from graphql import (
    GraphQLInterfaceType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLSchema,
    GraphQLUnionType,
)
from graphql.language.lexer import Lexer
from graphql.pyutils import Undefined

from schema.limits import DocumentBudget

BUDGET = DocumentBudget()


def review_document(repeats: int = 900) -> str:
    """The review's document: one field repeated 900 times, about 20 KB, anonymous."""
    return "query {\n" + " lessons { totalCount }\n" * repeats + "}"


def repeated_under_parents(parents: int, children: int) -> str:
    """`viewer` selected `parents` times, each selecting `user` `children` times: viewer.user merges them all."""
    return "{ " + ("viewer { " + "user { id } " * children + "} ") * parents + "}"


def spread_storm(fragments: int) -> str:
    """As many distinct fragments, all spread in one selection set, each selecting the same field."""
    spreads = " ".join(f"...F{i}" for i in range(fragments))
    definitions = " ".join(f"fragment F{i} on Viewer {{ user {{ id }} }}" for i in range(fragments))
    return f"{{ viewer {{ {spreads} }} }} {definitions}"


def same_spread(times: int) -> str:
    """One fragment spread `times` times in one selection set."""
    return "{ " + "...F " * times + "} fragment F on Query { __typename }"


def unused_fragment(repeats: int) -> str:
    """A fragment no operation spreads, repeating one field: graphql-core validates it all the same."""
    return "{ __typename } fragment Unused on Query { " + "__typename " * repeats + "}"


def chain_copies(copies: int, depth: int) -> str:
    """`copies` identical chains `translations { translations { … id } }` `depth` deep under one lesson."""
    chain = "id"
    for _ in range(depth):
        chain = f"translations {{ {chain} }}"
    return '{ lesson(slug: "a") { ' + (chain + " ") * copies + "} }"


def many_operations(operations: int) -> str:
    """Many operations spreading one fragment (each operation's variables are checked through it)."""
    queries = " ".join(f"query Q{i} {{ ...F }}" for i in range(operations))
    return queries + " fragment F on Query { viewer { user { id displayName organization { id name } } } }"


def unknown_fields(count: int, length: int = 200) -> str:
    """Many long unknown field names: each error gets suggestions and a line and column."""
    return "{ " + " ".join("q" * length + str(i) for i in range(count)) + " }"


def long_literal(characters: int) -> str:
    """A document that is mostly one string literal."""
    return '{ search(query: "' + "x" * characters + '") { totalCount } }'


def fragment_bomb(levels: int, leaf: str = "__typename") -> str:
    """Each fragment spreads the previous one twice: 2^levels fields from under 1 KB."""
    fragments = [f"fragment F0 on Query {{ {leaf} }}"]
    fragments += [f"fragment F{i} on Query {{ ...F{i - 1} ...F{i - 1} }}" for i in range(1, levels)]
    return f"{{ ...F{levels - 1} }}\n" + "\n".join(fragments)


# Refused before graphql-core's validation runs (name, document).
REFUSED: list[tuple[str, str]] = [
    ("review: one field 900 times (20 KB)", review_document()),
    ("one field 900 times within the token cap", "{ " + "__typename " * 900 + "}"),
    ("a field 13 times", "{ " + "__typename " * (BUDGET.max_repeats + 1) + "}"),
    ("viewer.user merged 4 x 4 times", repeated_under_parents(4, 4)),
    ("13 fragments spread together", spread_storm(BUDGET.max_spreads + 1)),
    ("one fragment spread 13 times", same_spread(BUDGET.max_spreads + 1)),
    ("an unused fragment repeating a field 300 times", unused_fragment(300)),
    ("8 chains of 10 repeated fields", chain_copies(8, 10)),
    ("fragment bomb, 24 levels", fragment_bomb(24)),
    ("1,001 tokens", "{ " + "x " * 999 + "}"),
    ("a 40,000-character literal", long_literal(40_000)),
]

# The heaviest documents the limits accept (name, document): they validate within the budget.
WITHIN_LIMITS: list[tuple[str, str]] = [
    ("a field 12 times", "{ " + "__typename " * BUDGET.max_repeats + "}"),
    ("viewer.user merged 3 x 4 times", repeated_under_parents(3, 4)),
    ("12 fragments spread together", spread_storm(BUDGET.max_spreads)),
    ("6 chains of 10 repeated fields", chain_copies(6, 10)),
    ("60 operations over one fragment", many_operations(60)),
    ("150 long unknown fields", unknown_fields(150)),
    ("a 32,000-character literal", long_literal(32_000)),
]


@dataclass
class Work:
    """What validation did: units graphql-core's overlap rule spent, how often it ran, characters lexed."""

    overlap_units: int = 0
    overlap_rules: int = 0
    lexed_characters: int = 0


def watch_validation(monkeypatch: pytest.MonkeyPatch) -> Work:
    """Count graphql-core's own meter of the overlap rule's work, its runs, and the characters lexed."""
    counted = Work()
    spend = overlapping.spend_complexity_budget
    rule_init = overlapping.OverlappingFieldsCanBeMergedRule.__init__
    lexer_init = Lexer.__init__

    def counting_spend(context: Any, cost: int) -> None:
        counted.overlap_units += cost
        spend(context, cost)

    def counting_rule(self: Any, context: Any) -> None:
        counted.overlap_rules += 1
        rule_init(self, context)

    def counting_lexer(self: Any, source: Any) -> None:
        counted.lexed_characters += len(source.body)
        lexer_init(self, source)

    monkeypatch.setattr(overlapping, "spend_complexity_budget", counting_spend)
    monkeypatch.setattr(overlapping.OverlappingFieldsCanBeMergedRule, "__init__", counting_rule)
    monkeypatch.setattr(Lexer, "__init__", counting_lexer)
    return counted


def _named(type_: Any) -> Any:
    while isinstance(type_, (GraphQLNonNull, GraphQLList)):
        type_ = type_.of_type
    return type_


class DocumentGenerator:
    """Random documents over the real schema, biased toward what makes validation work hard.

    Fields repeated (up to 16 times), fragments spread once, twice or many times, inline
    fragments on every possible type of an interface: the shapes the merge limits are about.
    Arguments are left out (required ones make the field skipped), so documents are mostly valid.
    """

    def __init__(self, schema: GraphQLSchema, seed: int) -> None:
        self.schema = schema
        self.random = random.Random(seed)
        self.fragments: list[str] = []
        self.repeats = [1]
        self.max_depth = 3

    def document(self) -> str:
        self.fragments = []
        # Half the documents are mild (what clients send), half repeat fields and fragments hard.
        self.repeats = [1, 1, 1, 2] if self.random.random() < 0.5 else [1, 2, 3, 4, 8, 16]
        self.max_depth = self.random.choice([2, 3, 4])
        body = " ".join(self.selections(self.schema.query_type, 0))
        return f"{{ {body} }} " + " ".join(self.fragments)

    def selections(self, parent: Any, depth: int) -> list[str]:
        if isinstance(parent, GraphQLUnionType):
            members = self.random.sample(parent.types, min(3, len(parent.types)))
            return [f"... on {t.name} {{ {' '.join(self.selections(t, depth))} }}" for t in members]
        out: list[str] = []
        fields = list(parent.fields.items())
        for _ in range(self.random.randint(1, 3)):
            name, field = self.random.choice(fields)
            if any(isinstance(a.type, GraphQLNonNull) and a.default_value is Undefined for a in field.args.values()):
                continue
            target = _named(field.type)
            for _ in range(self.random.choice(self.repeats)):
                if not isinstance(target, (GraphQLObjectType, GraphQLInterfaceType, GraphQLUnionType)):
                    out.append(name)
                elif depth < self.max_depth:
                    out.append(f"{name} {{ {self.sub_selection(target, depth + 1)} }}")
        if isinstance(parent, GraphQLInterfaceType) and self.random.random() < 0.5:
            out.extend(
                f"... on {possible.name} {{ {' '.join(self.selections(possible, depth + 1))} }}"
                for possible in self.schema.get_possible_types(parent)[:3]
            )
        return out or ["__typename"]

    def sub_selection(self, target: Any, depth: int) -> str:
        if self.random.random() < 0.3:
            name = f"F{len(self.fragments)}"
            self.fragments.append("")
            index = len(self.fragments) - 1
            self.fragments[index] = f"fragment {name} on {target.name} {{ {' '.join(self.selections(target, depth))} }}"
            return f"...{name} " * self.random.choice(self.repeats)
        return " ".join(self.selections(target, depth))
