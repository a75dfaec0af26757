"""Security headers on every response; a Content-Security-Policy fitted to GraphiQL."""

from __future__ import annotations

import re

import httpx

STRICT = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"


def directives(policy: str) -> dict[str, list[str]]:
    parsed = (d.split() for d in policy.split(";") if d.strip())
    return {d[0]: d[1:] for d in parsed}


async def test_every_response_carries_the_security_headers(
    app_client: httpx.AsyncClient,
) -> None:
    responses = [
        await app_client.get("/healthz"),
        await app_client.get("/readyz"),
        await app_client.post("/graphql", json={"query": "{ __typename }"}),
        await app_client.post("/graphql", content=b"{oops", headers={"content-type": "application/json"}),
        await app_client.get("/graphql", params={"query": "mutation { logout { ok } }"}),
        await app_client.get("/no/such/path"),
        await app_client.post(
            "/graphql",
            json={"query": "{ __typename }", "variables": {"pad": "x" * 2_000_000}},
        ),
    ]
    assert [r.status_code for r in responses] == [200, 200, 200, 400, 405, 404, 413]
    for response in responses:
        assert response.headers["x-content-type-options"] == "nosniff"
        assert response.headers["referrer-policy"] == "no-referrer"
        assert response.headers["x-frame-options"] == "DENY"
        assert response.headers["content-security-policy"] == STRICT


async def test_graphiql_policy_allows_this_server_only(
    app_client: httpx.AsyncClient,
) -> None:
    page = await app_client.get("/graphql", headers={"accept": "text/html"})
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    policy = directives(page.headers["content-security-policy"])
    assert policy["default-src"] == ["'self'"] and policy["frame-ancestors"] == ["'none'"]
    assert policy["script-src"] == ["'self'"]  # no inline script, no CDN, no 'unsafe-eval'
    external = re.findall(r'<script[^>]*\ssrc="([^"]+)"', page.text)
    assert external and all(src.startswith("/") for src in external)
    assert not re.findall(r"<script>(.*?)</script>", page.text, re.DOTALL)
    assert "unsafe" not in page.headers["content-security-policy"]
    response = await app_client.get("/graphql", params={"query": "{ viewer { user { id } } }"})
    assert response.status_code == 200
    assert response.json() == {"data": {"viewer": None}}
