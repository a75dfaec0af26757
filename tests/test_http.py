"""The HTTP surface: methods, error shapes, limits, request ids, health, logs."""

from __future__ import annotations

import logging

import httpx
import pytest

from models.base import Role
from models.database import close_database, open_database
from server import SUBSCRIPTIONS_OVER_WS, create_app
from settings import Settings
from tests.accounts.factories import make_user
from tests.helpers import TEST_DATA_KEY, GraphQLClient

VIEWER = "{ viewer { user { username } } }"


async def test_get_serves_queries(app_client: httpx.AsyncClient) -> None:
    response = await app_client.get("/graphql", params={"query": "{ viewer { user { id } } }"})
    assert response.status_code == 200
    assert response.json() == {"data": {"viewer": None}}


async def test_mutation_over_get_is_405(app_client: httpx.AsyncClient) -> None:
    response = await app_client.get("/graphql", params={"query": "mutation { logout { ok } }"})
    assert response.status_code == 405


async def test_a_subscription_over_http_is_a_bad_request_pointing_at_the_socket(app_client: httpx.AsyncClient) -> None:
    # Strawberry ran it as a one-shot query: the root field's stream could not be a result (INTERNAL).
    document = "subscription { consultationUpdated { id } }"
    expected = [{"message": SUBSCRIPTIONS_OVER_WS, "extensions": {"code": "BAD_REQUEST"}}]
    for accept, status in ((None, 200), ("application/graphql-response+json", 400)):
        response = await app_client.post("/graphql", json={"query": document}, headers={"accept": accept or "*/*"})
        assert (response.status_code, response.json()) == (status, {"errors": expected}), response.text
    over_get = await app_client.get("/graphql", params={"query": document})
    assert over_get.json() == {"errors": expected}, over_get.text
    assert "graphql-transport-ws" in SUBSCRIPTIONS_OVER_WS


async def test_graphiql_in_development_only(app_client: httpx.AsyncClient, settings: Settings) -> None:
    page = await app_client.get("/graphql", headers={"accept": "text/html"})
    assert page.status_code == 200 and "graphiql" in page.text.lower()
    production = Settings(
        database_url=settings.database_url,
        data_dir=settings.data_dir,
        secret_key="x" * 40,
        data_keys=(TEST_DATA_KEY,),
        env="production",
    )
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=create_app(production, manage_database=False)), base_url="http://t"
    ) as client:
        assert (await client.get("/graphql", headers={"accept": "text/html"})).status_code == 404
        introspection = await client.post("/graphql", json={"query": "{ __schema { types { name } } }"})
        assert introspection.json()["errors"][0]["extensions"]["code"] == "BAD_REQUEST"


@pytest.mark.parametrize(
    ("query", "variables"),
    [
        ("{ viewer { user { id } }", None),  # syntax error
        ("{ nosuchfield }", None),  # unknown field
        ("query($id: ID!) { node(id: $id) { id } }", {"id": {"not": "an id"}}),  # wrong variable type
        ("query($id: ID!) { node(id: $id) { id } }", None),  # missing variable
    ],
)
async def test_bad_documents_get_coded_errors_not_500(gql: GraphQLClient, query: str, variables: dict | None) -> None:
    result = await gql(query, variables)
    assert result.status in (200, 400)
    assert result.errors and result.codes == ["BAD_REQUEST"] * len(result.errors)


async def test_malformed_json_is_400(app_client: httpx.AsyncClient) -> None:
    response = await app_client.post("/graphql", content=b"{not json", headers={"content-type": "application/json"})
    assert response.status_code == 400


async def test_deep_query_is_rejected(gql: GraphQLClient) -> None:
    assert not (await gql("{ viewer { user { organization { id } } } }")).errors
    selection = "id"
    for _ in range(14):  # depth 14 > the limit of 12
        selection = f'node(id: "x") {{ ... on User {{ organization {{ {selection} }} }} }}'
    result = await gql("{ " + selection + " }")
    assert result.errors and "exceeds maximum operation depth" in result.errors[0]["message"]
    assert result.codes[0] == "BAD_REQUEST"


async def test_alias_heavy_query_is_rejected(gql: GraphQLClient) -> None:
    aliases = " ".join(f"a{i}: viewer {{ user {{ id }} }}" for i in range(40))
    result = await gql("{ " + aliases + " }")
    assert result.errors and "aliases" in result.errors[0]["message"].lower()
    assert result.codes[0] == "BAD_REQUEST"


async def test_token_heavy_query_is_rejected(gql: GraphQLClient) -> None:
    result = await gql("{ " + " ".join(["__typename"] * 1200) + " }")
    assert result.errors and "token" in result.errors[0]["message"].lower()


async def test_request_id_is_echoed_or_generated(app_client: httpx.AsyncClient) -> None:
    given = await app_client.get("/healthz", headers={"X-Request-ID": "lms-42.abc"})
    assert given.headers["x-request-id"] == "lms-42.abc"
    generated = await app_client.get("/healthz")
    assert len(generated.headers["x-request-id"]) == 32
    hostile = await app_client.get("/healthz", headers={"X-Request-ID": "bad id\twith spaces"})
    assert hostile.headers["x-request-id"] != "bad id\twith spaces"


async def test_security_headers_on_every_response(app_client: httpx.AsyncClient) -> None:
    for response in (
        await app_client.get("/healthz"),
        await app_client.post("/graphql", json={"query": "{ __typename }"}),
    ):
        assert response.headers["x-content-type-options"] == "nosniff"
        assert response.headers["referrer-policy"] == "no-referrer"


async def test_oversized_body_is_413(app_client: httpx.AsyncClient, settings: Settings) -> None:
    big = "x" * (settings.max_body_bytes + 10)
    response = await app_client.post("/graphql", json={"query": "{ __typename }", "variables": {"pad": big}})
    assert response.status_code == 413
    assert response.json()["errors"][0]["extensions"]["code"] == "TOO_LARGE"


async def test_health_endpoints(app_client: httpx.AsyncClient) -> None:
    assert (await app_client.get("/healthz")).json() == {"status": "ok"}
    ready = await app_client.get("/readyz")
    assert ready.status_code == 200 and ready.json() == {"status": "ready"}


async def test_readyz_is_503_when_the_database_is_down(app_client: httpx.AsyncClient, db: str) -> None:
    await close_database()
    # Nothing listens on port 9 of loopback: the database is "down".
    await open_database("postgres://postgres@127.0.0.1:9/nothing")
    try:
        ready = await app_client.get("/readyz")
        assert ready.status_code == 503
        assert ready.json() == {"status": "unavailable", "reason": "database unreachable"}
        assert (await app_client.get("/healthz")).status_code == 200
        result = await app_client.post(
            "/graphql", json={"query": 'mutation { login(input: {username: "a", password: "b"}) { token } }'}
        )
        assert result.status_code == 200
        assert result.json()["errors"][0]["extensions"]["code"] == "SERVICE_UNAVAILABLE"
    finally:
        await close_database()
        await open_database(db)


async def test_tokens_and_passwords_never_reach_the_logs(gql: GraphQLClient, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    await make_user("alice", Role.ADMIN)
    login = 'mutation($p: String!) { login(input: {username: "alice", password: $p}) { token } }'
    token = (await gql.ok(login, {"p": "correct horse battery"}))["login"]["token"]
    await gql(VIEWER, token=token)
    await gql(login, {"p": "wrong password here"})
    text = "\n".join(r.getMessage() for r in caplog.records)
    assert token not in text
    assert "correct horse battery" not in text and "wrong password here" not in text
    assert any("request_id=" in r.getMessage() for r in caplog.records if r.name == "beacon.access")
