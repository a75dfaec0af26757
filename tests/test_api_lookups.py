"""Strict lookups (issue 12.2): every ID argument tells a malformed ID (BAD_REQUEST in a query,
INVALID on the field in a mutation) from a well-formed one of nothing (null / NOT_FOUND);
lesson and story need an id or a slug, and refuse both naming different items."""

from __future__ import annotations

from typing import Any

from graphql import (
    GraphQLEnumType,
    GraphQLField,
    GraphQLInputObjectType,
    GraphQLInputType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLScalarType,
    get_named_type,
    is_leaf_type,
)

from models.base import Role
from schema import export_sdl
from schema.relay import to_global_id
from tests.accounts.factories import token_for
from tests.content.factories import editor_token, published_lesson
from tests.helpers import GraphQLClient

MALFORMED = "bm90LWFuLWlk"  # base64 of "not-an-id": no type, no number
WRONG_TYPE = to_global_id("Tag", 1)  # well-formed, but never the type these arguments take
FILLER = {"String": "x", "Int": 1, "Float": 1.0, "Boolean": True, "DateTime": "2026-01-01T00:00:00Z", "JSON": {}}


def _schema() -> Any:
    from graphql import build_schema

    return build_schema(export_sdl())


def _value(type_: GraphQLInputType, bad_id: str) -> Any:
    """A value for a required argument: the bad ID for IDs, something plausible otherwise."""
    if isinstance(type_, GraphQLNonNull):
        return _value(type_.of_type, bad_id)
    if isinstance(type_, GraphQLList):
        return [_value(type_.of_type, bad_id)]
    if isinstance(type_, GraphQLEnumType):
        return next(iter(type_.values))
    if isinstance(type_, GraphQLInputObjectType):
        return {
            name: _value(field.type, bad_id)
            for name, field in type_.fields.items()
            if isinstance(field.type, GraphQLNonNull) or get_named_type(field.type).name == "ID"
        }
    assert isinstance(type_, GraphQLScalarType)
    return bad_id if type_.name == "ID" else FILLER.get(type_.name, "x")


def _literal(value: Any, type_: GraphQLInputType) -> str:
    named = get_named_type(type_)
    if isinstance(value, list):
        return "[" + ", ".join(_literal(v, type_.of_type if hasattr(type_, "of_type") else type_) for v in value) + "]"
    if isinstance(named, GraphQLEnumType):
        return str(value)
    if isinstance(value, dict):
        assert isinstance(named, GraphQLInputObjectType)
        inner = ", ".join(f"{k}: {_literal(v, named.fields[k].type)}" for k, v in value.items())
        return "{" + inner + "}"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return str(value)
    return '"' + str(value) + '"'


def _call(name: str, field: GraphQLField, bad_id: str) -> str | None:
    """`name(args) { selection }` with the bad ID in every ID argument or input field; None without one."""
    args = {
        arg_name: arg
        for arg_name, arg in field.args.items()
        if isinstance(arg.type, GraphQLNonNull) or get_named_type(arg.type).name in ("ID",)
    }
    values = {k: _value(a.type, bad_id) for k, a in args.items()}
    if bad_id not in repr(values):
        return None
    rendered = ", ".join(f"{k}: {_literal(v, args[k].type)}" for k, v in values.items())
    return f"{name}({rendered}){_selection(field)}"


def _selection(field: GraphQLField) -> str:
    named = get_named_type(field.type)
    if is_leaf_type(named):
        return ""
    assert isinstance(named, GraphQLObjectType) or hasattr(named, "fields")
    if "errors" in getattr(named, "fields", {}):
        return " { errors { code field } }"
    return " { __typename }"


async def test_every_query_refuses_a_malformed_id_as_a_bad_request(gql: GraphQLClient) -> None:
    admin = await token_for("lookup-admin", Role.ADMIN)
    query = _schema().query_type
    checked = []
    for name, field in query.fields.items():
        for bad in (MALFORMED, WRONG_TYPE):
            call = _call(name, field, bad)
            if call is None:
                continue
            if name == "node" and bad == WRONG_TYPE:
                continue  # node takes every type: a Tag ID is well-formed there
            answer = await gql("{ " + call + " }", token=admin)
            assert answer.codes == ["BAD_REQUEST"], (call, answer.body)
            assert answer.data is None or answer.data.get(name) is None, answer.body
            checked.append(name)
    assert {"node", "lesson", "story", "quiz", "consultation", "organizationReport", "users"} <= set(checked)


async def test_every_mutation_answers_a_malformed_id_as_invalid_on_its_field(gql: GraphQLClient) -> None:
    admin = await token_for("lookup-admin", Role.ADMIN)
    mutation = _schema().mutation_type
    checked = []
    for name, field in mutation.fields.items():
        if name in ("uploadMedia", "uploadAttachment"):
            continue  # multipart requests (their ID input is checked in tests/media)
        call = _call(name, field, MALFORMED)
        if call is None:
            continue
        answer = await gql("mutation { " + call + " }", token=admin)
        assert not answer.errors, (call, answer.body)
        errors = answer.data[name]["errors"]
        assert errors and errors[0]["code"] == "INVALID", (call, errors)
        assert errors[0]["field"], (call, errors)
        checked.append(name)
    assert len(checked) >= 20


async def test_a_well_formed_id_of_nothing_is_null_not_an_error(gql: GraphQLClient) -> None:
    for call in (
        f'lesson(id: "{to_global_id("Lesson", 999999)}") {{ id }}',
        f'node(id: "{to_global_id("Lesson", 999999)}") {{ id }}',
        f'node(id: "{to_global_id("NoSuchType", 1)}") {{ id }}',
        f'quiz(id: "{to_global_id("Quiz", 999999)}") {{ id }}',
    ):
        answer = await gql("{ " + call + " }")
        assert answer.errors == [] and list(answer.data.values()) == [None], (call, answer.body)


async def test_lesson_and_story_need_an_id_or_a_slug_that_agree(gql: GraphQLClient) -> None:
    token = await editor_token("slug-editor")
    first = await published_lesson(gql, token, title="第一课", slug="first-lesson")
    await published_lesson(gql, token, title="第二课", slug="second-lesson")
    for name in ("lesson", "story"):
        answer = await gql(f"{{ {name} {{ id }} }}")
        assert answer.codes == ["BAD_REQUEST"] and answer.data == {name: None}, answer.body
    both = await gql(f'{{ lesson(id: "{first["id"]}", slug: "second-lesson") {{ id }} }}')
    assert both.codes == ["BAD_REQUEST"], both.body
    assert "different lessons" in both.errors[0]["message"]
    agree = await gql.ok(f'{{ lesson(id: "{first["id"]}", slug: "first-lesson") {{ id }} }}')
    assert agree["lesson"]["id"] == first["id"]


async def test_a_tag_filter_takes_a_slug_or_a_name(gql: GraphQLClient) -> None:
    token = await editor_token("tag-editor")
    lesson = await published_lesson(gql, token, title="标签课", tags=["拒绝 毒品"])
    tag = (await gql.ok("{ tags { slug name } }"))["tags"][0]
    assert tag["name"] == "拒绝 毒品"
    by_slug = await gql.ok(f'{{ lessons(filter: {{tag: "{tag["slug"]}"}}) {{ edges {{ node {{ id }} }} }} }}')
    by_name = await gql.ok('{ lessons(filter: {tagName: "拒绝  毒品"}) { edges { node { id } } } }')
    assert by_slug["lessons"]["edges"] == by_name["lessons"]["edges"] == [{"node": {"id": lesson["id"]}}]
    by_name_as_slug = await gql.ok('{ lessons(filter: {tag: "拒绝 毒品"}) { totalCount } }')
    assert by_name_as_slug["lessons"]["totalCount"] == 0  # `tag` is the slug, as its description says
