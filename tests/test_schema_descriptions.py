"""Every element of the served schema has a description (issue 12: "Descriptions").

Types, fields, arguments, input fields and enum values: a client reading the schema (GraphiQL,
codegen, the console's docs) learns from it what each thing is, who may see or call it and its
units. The schema is the one the app serves (schema.build_schema), not the committed file.
"""

from __future__ import annotations

import inspect
from pathlib import Path
from typing import Any

from graphql import (
    GraphQLEnumType,
    GraphQLInputObjectType,
    GraphQLInterfaceType,
    GraphQLNamedType,
    GraphQLObjectType,
    GraphQLSchema,
)

from schema import build_schema
from settings import Settings

ROOT = Path(__file__).resolve().parent.parent
BACKREF = "strawberry-definition"


def served_schema(tmp_path: Path) -> GraphQLSchema:
    settings = Settings(database_url="sqlite://:memory:", data_dir=tmp_path, secret_key="x" * 40)
    return build_schema(settings)._schema


def _source(thing: object) -> str:
    """Where a strawberry type, field or enum is defined (relative to the repository), for the hint."""
    definition = (getattr(thing, "extensions", None) or {}).get(BACKREF)
    origin = getattr(definition, "origin", None)
    # A specialised generic (UserConnection) or a merged root type is made inside strawberry: its
    # first base class of ours is where the description goes.
    candidates: tuple[Any, ...] = inspect.getmro(origin) if isinstance(origin, type) else (origin,)
    for candidate in candidates:
        try:
            where = Path(inspect.getsourcefile(candidate) or "").resolve().relative_to(ROOT).as_posix()
        except (TypeError, ValueError):
            continue
        if "site-packages/" in where:  # strawberry itself (the virtualenv may sit inside the checkout)
            continue
        # An enum of models/ is registered (and described) with described_enum in schema/.
        return f"described_enum(...) in schema/, for {where}" if where.startswith("models/") else where
    return "schema/"


def _described(description: str | None) -> bool:
    return bool(description and description.strip())


def _type_elements(named: GraphQLNamedType, roots: set[str]) -> list[tuple[str, str | None, str]]:
    """(coordinate, description, defining file) of a type and everything inside it."""
    where = "schema/__init__.py (merge_types)" if named.name in roots else _source(named)
    elements = [(named.name, named.description, where)]
    if isinstance(named, (GraphQLObjectType, GraphQLInterfaceType)):
        for name, field in named.fields.items():
            field_where = _source(field) if BACKREF in (field.extensions or {}) else where
            elements.append((f"{named.name}.{name}", field.description, field_where))
            elements += [
                (f"{named.name}.{name}({arg_name}:)", arg.description, field_where)
                for arg_name, arg in field.args.items()
            ]
    elif isinstance(named, GraphQLInputObjectType):
        elements += [(f"{named.name}.{name}", f.description, where) for name, f in named.fields.items()]
    elif isinstance(named, GraphQLEnumType):
        elements += [(f"{named.name}.{name}", v.description, where) for name, v in named.values.items()]
    return elements


def schema_elements(schema: GraphQLSchema) -> list[tuple[str, str | None, str]]:
    """Every type, field, argument, input field and enum value, introspection types aside."""
    roots = {root.name for root in (schema.query_type, schema.mutation_type, schema.subscription_type) if root}
    return [
        element
        for name, named in sorted(schema.type_map.items())
        if not name.startswith("__")
        for element in _type_elements(named, roots)
    ]


def test_every_schema_element_has_a_description(tmp_path: Path) -> None:
    elements = schema_elements(served_schema(tmp_path))
    missing = [(coordinate, where) for coordinate, description, where in elements if not _described(description)]
    assert len(elements) > 1000  # the walk reached the whole schema
    assert not missing, (
        f"{len(missing)} of {len(elements)} schema elements have no description. Add description= to its "
        "strawberry.type/input/field/mutation, strawberry.argument (Annotated) or strawberry.union; enum values "
        "with described_enum (schema/shared.py). See CONTRIBUTING.md. Where:\n"
        + "\n".join(f"  {coordinate}  ({where})" for coordinate, where in missing)
    )


def test_descriptions_are_sentences(tmp_path: Path) -> None:
    """No one-word placeholders ("The id." is two words, but "Id" or "TODO" is caught)."""
    weak = [
        f"{coordinate}: {description!r}"
        for coordinate, description, _ in schema_elements(served_schema(tmp_path))
        if description is not None and _described(description) and len(description.split()) < 2
    ]
    assert not weak, "one-word descriptions (say what it is, who may see it, its units):\n" + "\n".join(weak)
