"""What a caller without permission gets (issue 12.3), pinned by walking every root query field
as an anonymous caller and as a learner (docs/api-guide.md, "Not allowed"):

- a root field that a caller may never use answers null for that field only, with
  `extensions.code` UNAUTHENTICATED (signed out) or FORBIDDEN (signed in): its description says
  so, and it is nullable, so the rest of the response survives;
- a single object the caller may not see is null, with no error, exactly like a missing one;
- a list is filtered to what the caller may see, with no error;
- a mutation answers in its payload: UNAUTHENTICATED to a signed-out caller (never FORBIDDEN, nor
  NOT_FOUND: only a malformed ID comes first, as INVALID), FORBIDDEN to a signed-in one without the role.
"""

from __future__ import annotations

import json
import re
from typing import Any

from graphql import (
    GraphQLField,
    GraphQLInputObjectType,
    GraphQLInputType,
    GraphQLList,
    GraphQLNonNull,
    build_schema,
    get_named_type,
)

from models.base import OrganizationKind, Role
from resolvers import accounts
from schema import export_sdl
from schema.relay import to_global_id
from tests.accounts.factories import make_user, token_for
from tests.content.factories import png_bytes
from tests.helpers import GraphQLClient
from tests.test_api_lookups import WRONG_TYPE as WRONG_ID
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
FOR_EVERY_PERSON = {"noticeSettings", "mySessions"}


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


# ------------------------------------------------------------------------------- mutations
# Mutations answer in their payload (rule 5), and by the same rule: a caller without a credential
# gets UNAUTHENTICATED, one whose credential lacks the role FORBIDDEN. Walking every mutation
# keeps a new admin-only one from answering a signed-out caller FORBIDDEN.

# What an anonymous caller may use (their answers here are about the made-up input).
FOR_ANONYMOUS_CALLERS = {"register", "login", "refreshSession", "logout"}
# Succeed for a learner and leave work behind (an export in preparation): walked anonymously only.
FOR_EVERY_PERSON_TO_CALL = {"exportMyData"}
_NOT_A_TYPE = re.compile(r"^Not an? (\w+)")


def _put(values: dict[str, Any], path: list[str], global_id: str) -> None:
    """Replace the ID at a UserError's dotted `field` path (every item of a list there)."""
    head, *rest = path
    value = values[head]
    if rest and rest[0].isdigit():
        rest = rest[1:]
    if isinstance(value, list):
        for index, item in enumerate(value):
            if rest:
                _put(item, rest, global_id)
            else:
                value[index] = global_id
    elif rest:
        _put(value, rest, global_id)
    else:
        values[head] = global_id


def _uploads(type_: GraphQLInputType, value: Any, path: str) -> list[str]:
    """The variable paths of every Upload in a value of this type (they travel as multipart files)."""
    named = get_named_type(type_)
    if named.name == "Upload":
        return [path]
    if isinstance(named, GraphQLInputObjectType) and isinstance(value, dict):
        return [p for k, v in value.items() for p in _uploads(named.fields[k].type, v, f"{path}.{k}")]
    return []


async def _mutate(
    gql: GraphQLClient, name: str, field: GraphQLField, values: dict[str, Any], token: str | None
) -> list[dict[str, Any]]:
    """Call one mutation with these argument values, as variables; its UserErrors.

    One that takes a file goes as a GraphQL multipart request, whose gate may refuse the caller
    before the body is read (UNAUTHENTICATED 401, FORBIDDEN 403): that refusal is its answer.
    """
    declared = ", ".join(f"${k}: {field.args[k].type}" for k in values)
    passed = ", ".join(f"{k}: ${k}" for k in values)
    document = (
        f"mutation{f'({declared})' if declared else ''} "
        f"{{ {name}{f'({passed})' if passed else ''} {{ errors {{ code field message }} }} }}"
    )
    files = [p for k, v in values.items() for p in _uploads(field.args[k].type, v, f"variables.{k}")]
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    if not files:
        body = (await gql(document, values, token=token)).body
    else:
        response = await gql.http.post(
            "/graphql",
            data={
                "operations": json.dumps({"query": document, "variables": values}),
                "map": json.dumps({str(i): [path] for i, path in enumerate(files)}),
            },
            files={str(i): ("x.png", png_bytes((8, 8)), "image/png") for i in range(len(files))},
            headers={**headers, "Apollo-Require-Preflight": "true"},
        )
        body = response.json()
        if response.status_code in (401, 403):
            return [{"code": e["extensions"]["code"], "field": None, "message": e["message"]} for e in body["errors"]]
    assert not body.get("errors"), (name, body)
    errors: list[dict[str, Any]] = body["data"][name]["errors"]
    return errors


async def _answer(
    gql: GraphQLClient, name: str, field: GraphQLField, token: str | None, real: dict[str, int]
) -> list[dict[str, Any]]:
    """The mutation's UserErrors once every ID it takes is well-formed and of its type.

    Every ID starts as one of another type; the INVALID it gets back names the field and the type
    it wants ("Not a Lesson ID."), and the next call sends an ID of that type (of the test's
    organization or learner where those are wanted, of nothing otherwise).
    """
    values = {k: _value(a.type, WRONG_ID) for k, a in field.args.items() if isinstance(a.type, GraphQLNonNull)}
    for _ in range(10):
        errors = await _mutate(gql, name, field, values, token)
        wanted = [
            (e["field"], m.group(1))
            for e in errors
            if e["code"] == "INVALID" and (m := _NOT_A_TYPE.match(e["message"]))
        ]
        if not wanted:
            return errors
        for path, type_name in wanted:
            _put(values, path.split("."), to_global_id(type_name, real.get(type_name, 999999)))
    raise AssertionError((name, errors))


async def test_every_mutation_follows_the_rule_for_anonymous_callers_learners_and_api_keys(gql: GraphQLClient) -> None:
    school = await accounts.create_organization(None, name="变更中学", kind=OrganizationKind.SCHOOL, region=None)
    mutation = build_schema(export_sdl()).mutation_type
    assert mutation is not None
    forbidden = []
    key = await accounts.create_api_key(name="walk-lms", organization=school)
    for index, (name, field) in enumerate(mutation.fields.items()):
        if "errors" not in getattr(get_named_type(field.type), "fields", {}):
            assert name == "logout", name  # it cannot fail: it ends the caller's sign-in, if there is one
            continue
        learner = await make_user(f"walk-learner-{index}", Role.LEARNER, organization_id=school.id)
        real = {"Organization": school.id, "User": learner.id}
        anonymous = [e["code"] for e in await _answer(gql, name, field, None, real)]
        if name in FOR_ANONYMOUS_CALLERS:
            assert not {"UNAUTHENTICATED", "FORBIDDEN"} & set(anonymous), (name, anonymous)
        else:
            assert anonymous == ["UNAUTHENTICATED"], (name, anonymous)  # never FORBIDDEN, never NOT_FOUND
        if name in FOR_EVERY_PERSON_TO_CALL:
            continue
        token = (await accounts._open_session(learner)).token  # a fresh one: some mutations end the last
        signed_in = [e["code"] for e in await _answer(gql, name, field, token, real)]
        assert "UNAUTHENTICATED" not in signed_in, (name, signed_in)  # a credential: FORBIDDEN when not allowed
        if "FORBIDDEN" in signed_in:
            forbidden.append(name)
        # An organization's API key is a credential too, though not a person's: never UNAUTHENTICATED
        # (a 401 would tell the integration its key is dead).
        keyed = [e["code"] for e in await _answer(gql, name, field, key, real)]
        assert "UNAUTHENTICATED" not in keyed, (name, keyed)
    # The learner is refused the tools of editors and admins as FORBIDDEN (the walk reaches them).
    assert {
        "createUser",
        "createOrganization",
        "createApiKey",
        "publishPrivacyNotice",
        "createLesson",
        "uploadMedia",
        "importQuestions",
        "createWebhookEndpoint",
        "deactivateUser",
        "cancelAccountDeletion",
        "saveExpertProfile",
    } <= set(forbidden), forbidden
