"""Hostile input is a typed error, never INTERNAL (issue 11.12): one test per class, on both databases."""

from __future__ import annotations

import base64
import tempfile
from pathlib import Path

import httpx
import pytest

from models.accounts import User
from models.base import Role
from models.consultations import ConsultationMessage
from server import create_app
from settings import Settings
from tests.accounts.factories import token_for
from tests.consultations.factories import client, expert, gid, thread
from tests.content.factories import editor_token, png_bytes, upload, upload_ok
from tests.helpers import TEST_DATA_KEY, GraphQLClient
from tests.live import ROOT

SEND = "mutation($c: ID!, $b: String!) { sendMessage(input: {consultationId: $c, body: $b}) { message { id } errors { code } } }"


def b64(text: str) -> str:
    """A global ID's encoding (unpadded)."""
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


def cursor(text: str) -> str:
    """A cursor's encoding (padded, as encode_cursor makes them)."""
    return base64.urlsafe_b64encode(text.encode()).decode()


async def test_a_nul_character_in_any_string_input_is_a_typed_refusal(gql: GraphQLClient) -> None:
    # PostgreSQL text cannot hold U+0000: a message with one failed as INTERNAL. Refused for every string input.
    person = await client("nul-client")
    consultation = await thread(person, await expert("nul-expert"))
    refused = await gql(SEND, {"c": gid("Consultation", consultation.id), "b": "before\x00after"}, token=person.token)
    assert refused.codes == ["BAD_REQUEST"] and "NUL" in refused.errors[0]["message"]
    assert "variables.b" in refused.errors[0]["message"] and refused.data is None
    assert await ConsultationMessage.filter(consultation_id=consultation.id).count() == 1  # the opening one
    # In a literal (through an escape), in a nested input, in a list: the same.
    literal = await gql(
        'mutation { register(input: {username: "nul-user", password: "correct horse battery", displayName: "a\\u0000b"}) { token } }'
    )
    assert literal.codes == ["BAD_REQUEST"] and "NUL" in literal.errors[0]["message"]
    nested = await gql(
        "mutation($i: RegisterInput!) { register(input: $i) { token } }",
        {"i": {"username": "nul\x00user", "password": "correct horse battery", "displayName": "N"}},
    )
    assert nested.codes == ["BAD_REQUEST"] and "variables.i.username" in nested.errors[0]["message"]
    assert not await User.exists(username_key="nul-user") and await User.all().count() == 2  # client and expert
    # Text without NUL (other control characters, emoji, Chinese) is sent as before.
    sent = await gql(SEND, {"c": gid("Consultation", consultation.id), "b": "好的 \t ✓ 😀"}, token=person.token)
    assert sent.data["sendMessage"]["errors"] == [], sent.body


@pytest.mark.parametrize("digits", ["١٢", "²", "１２", "9" * 19, "0x1F", " 12", ""])
async def test_global_ids_whose_digits_are_not_ascii_are_malformed_not_internal(
    gql: GraphQLClient, digits: str
) -> None:
    token = await token_for("ids-admin", Role.ADMIN)
    forged = b64(f"User:{digits}")
    found = await gql("query($id: ID!) { node(id: $id) { id } }", {"id": forged}, token=token)
    # Malformed, not missing: BAD_REQUEST on the field (docs/api-guide.md, "IDs").
    assert found.codes == ["BAD_REQUEST"] and found.data == {"node": None}, found.body
    made = await gql(
        'mutation($o: ID) { createUser(input: {username: "ids-made", password: "correct horse battery", '
        'displayName: "I", roles: [LEARNER], organizationId: $o}) { errors { code field } } }',
        {"o": b64(f"Organization:{digits}")},
        token=token,
    )
    assert made.data["createUser"]["errors"] == [{"code": "INVALID", "field": "input.organizationId"}], made.body


@pytest.mark.parametrize("offset", ["9" * 30, "١٢", str(10**9), "9" * 5000])
async def test_cursors_with_huge_or_foreign_offsets_are_bad_requests(gql: GraphQLClient, offset: str) -> None:
    for argument in ("after", "before"):
        result = await gql(
            f'{{ lessons(first: 5, {argument}: "{cursor("offset:" + offset)}") {{ edges {{ cursor }} }} }}'
        )
        assert result.codes == ["BAD_REQUEST"], result.body
        assert "not a cursor this connection gave out" in result.errors[0]["message"]
    largest = await gql(f'{{ lessons(first: 5, after: "{cursor("offset:999999999")}") {{ edges {{ cursor }} }} }}')
    assert largest.codes == [] and largest.data["lessons"]["edges"] == []


@pytest.mark.parametrize(
    "moment",
    [
        "0001-01-01T00:00:00+14:00",  # before year 1 once in UTC: overflow
        "9999-12-31T23:59:59-12:00",  # after year 9999 once in UTC: overflow
        "0001-01-01T00:00:00Z",
        "9999-12-31T23:59:59Z",
        "1899-12-31T23:59:59Z",
        "3000-01-01T00:00:00Z",
        "2026-13-01T00:00:00Z",
    ],
)
async def test_dates_at_the_edges_of_the_calendar_are_bad_requests(gql: GraphQLClient, moment: str) -> None:
    token = await editor_token("edge-editor")
    listed = await gql("query($t: DateTime) { lessons(filter: {updatedSince: $t}) { totalCount } }", {"t": moment})
    assert listed.codes == ["BAD_REQUEST"] and listed.data is None, listed.body
    literal = await gql(f'{{ lessons(filter: {{updatedSince: "{moment}"}}) {{ totalCount }} }}')
    assert literal.codes == ["BAD_REQUEST"], literal.body
    scheduled = await gql(
        'mutation($t: DateTime) { scheduleContent(id: "x", publishAt: $t) { errors { code } } }',
        {"t": moment},
        token=token,
    )
    assert scheduled.codes == ["BAD_REQUEST"], scheduled.body


async def test_dates_within_the_range_still_work(gql: GraphQLClient) -> None:
    for moment in ("1900-01-01T00:00:00+00:00", "2026-06-26T09:00:00+08:00", "2999-12-31T23:59:59Z"):
        listed = await gql("query($t: DateTime) { lessons(filter: {updatedSince: $t}) { totalCount } }", {"t": moment})
        assert listed.codes == [] and listed.data["lessons"]["totalCount"] == 0, listed.body


async def test_a_5000_character_username_is_an_ordinary_refusal(gql: GraphQLClient) -> None:
    # On PostgreSQL the throttle's bucket (varchar 200) took the name and failed as INTERNAL.
    name = "a" * 5000
    login = await gql(
        'mutation($u: String!) { login(input: {username: $u, password: "correct horse battery"}) { errors { code field } } }',
        {"u": name},
    )
    assert login.data["login"]["errors"] == [{"code": "INVALID", "field": "input.password"}], login.body
    registered = await gql(
        'mutation($u: String!) { register(input: {username: $u, password: "correct horse battery", displayName: "L"}) '
        "{ token errors { code field } } }",
        {"u": name},
    )
    assert registered.data["register"] == {"token": None, "errors": [{"code": "INVALID", "field": "input.username"}]}
    long_password = await gql(
        'mutation($p: String!) { login(input: {username: "nobody", password: $p}) { errors { code } } }',
        {"p": "p" * 100_000},
    )
    assert long_password.data["login"]["errors"] == [{"code": "INVALID"}]


@pytest.mark.parametrize(
    ("header", "status", "part"),
    [
        ("bytes=" + "9" * 5000 + "-", 416, None),  # starts past the end of any file
        ("bytes=0-" + "9" * 5000, 206, slice(None)),  # ends past the end: the whole file
        ("bytes=-" + "9" * 5000, 206, slice(None)),  # a suffix longer than the file: the whole file
        ("bytes=" + "0" * 5000 + "1-2", 206, slice(1, 3)),  # leading zeros are only zeros
        ("bytes=١-٢", 200, slice(None)),  # not ASCII digits: not a range, the whole file
    ],
    ids=["start", "end", "suffix", "zeros", "arabic-indic"],
)
async def test_range_headers_with_thousands_of_digits_are_answered(
    gql: GraphQLClient, header: str, status: int, part: slice | None
) -> None:
    token = await editor_token("range-editor")
    asset = await upload_ok(gql, token, png_bytes(), "poster.png")
    path = asset["url"][asset["url"].index("/media/") :]
    whole = await gql.http.get(path)
    answered = await gql.http.get(path, headers={"range": header.encode()})
    assert answered.status_code == status, answered.text[:200]
    if part is not None:
        assert answered.content == whole.content[part]


async def test_upload_errors_do_not_show_server_paths(gql: GraphQLClient, data_dir: Path) -> None:
    token = await editor_token("paths-editor")
    cases = [
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, "broken.png"),
        (b"GIF89a" + b"\x01" * 40, "broken.gif"),
        (b"#!/bin/sh\necho hi\n", "script.png"),
        (png_bytes()[:200], "truncated.png"),
    ]
    for data, name in cases:
        _, body = await upload(gql, token, data, name)
        text = str(body)
        assert "INTERNAL" not in text and "Traceback" not in text, text
        assert not any(path in text for path in (str(data_dir), tempfile.gettempdir() + "/", str(ROOT))), text
        assert "UNSUPPORTED_FORMAT" in text, text


PRODUCTION_CASES = [
    # (document, variables): each once echoed the submitted value or said "Did you mean".
    (
        "mutation($i: LoginInput!) { login(input: $i) { token } }",
        {"i": {"username": "alice", "password": "hunter2-secret-password", "passwrd": "hunter2-secret-password"}},
    ),
    ("mutation($i: LoginInput!) { login(input: $i) { token } }", {"i": {"username": "alice", "password": 7}}),
    ("mutation($i: LoginInput!) { login(input: $i) { token } }", "hunter2-secret-password"),
    ('mutation { login(input: {username: "alice", password: 1234567890123}) { token } }', None),
    ('mutation { login(input: {username: "alice", pasword: "hunter2-secret-password"}) { token } }', None),
    ("query($s: LessonSection) { lessons(filter: {section: $s}) { totalCount } }", {"s": "COURSEWAR"}),
    ("{ lessons(filter: {section: COURSEWAR}) { totalCount } }", None),
    ("query($t: DateTime) { lessons(filter: {updatedSince: $t}) { totalCount } }", {"t": "hunter2-secret-password"}),
]


@pytest.mark.parametrize(("document", "variables"), PRODUCTION_CASES)
async def test_production_errors_neither_suggest_nor_echo_values(
    db: str, data_dir: Path, document: str, variables: object
) -> None:
    production = Settings(
        database_url=db, data_dir=data_dir, secret_key="p" * 48, data_keys=(TEST_DATA_KEY,), env="production"
    )
    transport = httpx.ASGITransport(app=create_app(production, manage_database=False))
    async with httpx.AsyncClient(transport=transport, base_url="http://beacon.test") as http:
        body = {"query": document} if variables is None else {"query": document, "variables": variables}
        response = await http.post("/graphql", json=body)
    if response.headers["content-type"].startswith("application/json"):
        errors = response.json()["errors"]
        assert errors and all(e["extensions"]["code"] == "BAD_REQUEST" for e in errors), errors
    else:  # a request that is not GraphQL at all (variables that are not an object): 400 in plain text
        assert response.status_code == 400
    for secret in ("hunter2", "1234567890123", "COURSEWAR", "Did you mean", "'7'", ": 7"):
        assert secret not in response.text, response.text
