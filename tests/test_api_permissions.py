"""What a caller without permission gets (issue 12.3), pinned by walking every root query field
as an anonymous caller and as a learner (docs/api-guide.md, "Not allowed"):

- a root field that a caller may never use answers null for that field only, with
  `extensions.code` UNAUTHENTICATED (signed out) or FORBIDDEN (signed in): its description says
  so, and it is nullable, so the rest of the response survives;
- a single object the caller may not see is null, with no error, exactly like a missing one;
- a list is filtered to what the caller may see, with no error.
"""

from __future__ import annotations

from typing import Any

from graphql import GraphQLField, GraphQLList, GraphQLNonNull, build_schema, get_named_type

from models.base import OrganizationKind, Role
from resolvers import accounts
from schema import export_sdl
from schema.relay import to_global_id
from tests.accounts.factories import token_for
from tests.helpers import GraphQLClient
from tests.test_api_lookups import _literal, _selection, _value

# Arguments that name an object: a well-formed ID of the right type (of nothing, or of the
# organization the test creates), so that the answer is about permission, not a malformed ID.
ID_TYPES = {"organizationId": "Organization", "consultationId": "Consultation", "actorId": "User"}


def _root_fields() -> dict[str, GraphQLField]:
    query = build_schema(export_sdl()).query_type
    assert query is not None
    return dict(query.fields)


def _call(name: str, field: GraphQLField, organization_id: int) -> str:
    args = {k: a for k, a in field.args.items() if isinstance(a.type, GraphQLNonNull)}
    parts = []
    for arg_name, arg in args.items():
        if get_named_type(arg.type).name == "ID":
            type_name = ID_TYPES.get(arg_name) or get_named_type(field.type).name
            pk = organization_id if type_name == "Organization" else 999999
            parts.append(f'{arg_name}: "{to_global_id(type_name, pk)}"')
        else:
            parts.append(f"{arg_name}: {_literal(_value(arg.type, ''), arg.type)}")
    return name + (f"({', '.join(parts)})" if parts else "") + _selection(field)


# Gated fields a signed-in learner may use (FORBIDDEN is for API keys there).
FOR_EVERY_PERSON = {"noticeSettings"}


def _says(field: GraphQLField, code: str) -> bool:
    return code in (field.description or "")


async def _walk(gql: GraphQLClient, token: str | None, organization_id: int) -> dict[str, tuple[list[str], Any]]:
    answers = {}
    for name, field in _root_fields().items():
        if field.deprecation_reason:
            continue
        answer = await gql("{ __typename " + _call(name, field, organization_id) + " }", token=token)
        assert answer.status == 200 and answer.data is not None, (name, answer.body)  # never a wiped response
        assert answer.data["__typename"] == "Query"
        for error in answer.errors:
            assert error["path"] == [name], (name, error)
        answers[name] = (answer.codes, answer.data[name])
    return answers


async def test_every_root_field_follows_the_rule_for_anonymous_callers_and_learners(gql: GraphQLClient) -> None:
    school = await accounts.create_organization(None, name="规则中学", kind=OrganizationKind.SCHOOL, region=None)
    learner = await token_for("rule-learner", Role.LEARNER, organization_id=school.id)
    fields = _root_fields()
    for who, token in (("anonymous", None), ("learner", learner)):
        for name, (codes, value) in (await _walk(gql, token, school.id)).items():
            field = fields[name]
            if who == "anonymous":
                gated = _says(field, "UNAUTHENTICATED")
            else:
                gated = _says(field, "FORBIDDEN") and name not in FOR_EVERY_PERSON
            if gated:
                expected = ["UNAUTHENTICATED"] if who == "anonymous" else ["FORBIDDEN"]
                assert codes == expected and value is None, (who, name, codes, value)
                assert not isinstance(field.type, GraphQLNonNull), name  # the error nulls this field only
                continue
            if name in ("lesson", "story"):
                continue  # need an id or a slug: tests/test_api_lookups.py
            assert codes == [], (who, name, codes)  # not gated: filtered lists, invisible objects null
            kind = field.type.of_type if isinstance(field.type, GraphQLNonNull) else field.type
            if isinstance(kind, GraphQLList):
                assert isinstance(value, list), (who, name)


async def test_a_gated_field_does_not_wipe_its_neighbours(gql: GraphQLClient) -> None:
    learner = await token_for("neighbour-learner", Role.LEARNER)
    answer = await gql("{ lessons { totalCount } mediaLibrary { totalCount } users { totalCount } }", token=learner)
    assert answer.data == {"lessons": {"totalCount": 0}, "mediaLibrary": None, "users": None}, answer.body
    assert answer.codes == ["FORBIDDEN", "FORBIDDEN"]
    # The deprecated non-null fields answer an empty list instead of wiping the response.
    old = await gql("{ mediaAssets { totalCount } questionBanks { totalCount } }", token=learner)
    assert old.data == {"mediaAssets": {"totalCount": 0}, "questionBanks": {"totalCount": 0}}, old.body


async def test_the_gated_fields_still_answer_those_allowed(gql: GraphQLClient) -> None:
    editor = await token_for("rule-editor", Role.EDITOR)
    admin = await token_for("rule-admin", Role.ADMIN)
    for document, token in (
        ('{ mediaLibrary { totalCount } questionBankLibrary { totalCount } renderMarkdown(markdown: "*x*") }', editor),
        (
            "{ users { totalCount } apiKeys { totalCount } consultationAuditLog { totalCount } webhookEndpoints { totalCount } }",
            admin,
        ),
        ("{ noticeSettings { muted } mySessions { totalCount } }", editor),
    ):
        answer = await gql(document, token=token)
        assert answer.errors == [] and all(v is not None for v in answer.data.values()), answer.body


def test_every_gated_field_says_so_in_its_description() -> None:
    # Whatever answers FORBIDDEN must be nullable and say it; the walk above checks it happens.
    for name, field in _root_fields().items():
        if _says(field, "FORBIDDEN") or _says(field, "UNAUTHENTICATED"):
            assert not isinstance(field.type, GraphQLNonNull), name
