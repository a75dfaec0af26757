"""graphql-http's GraphQL-over-HTTP server audits against a live Beacon."""

from __future__ import annotations

import json
import re

import httpx

from tests.conformance.conftest import run_node
from tests.live import ROOT, LiveServer

DOCS = ROOT / "docs" / "conformance.md"


def documented_should_failures() -> set[str]:
    """Audit ids listed under 'SHOULD audits not passed' in docs/conformance.md."""
    text = DOCS.read_text(encoding="utf-8")
    section = text.split("## SHOULD audits not passed", 1)[1].split("\n## ", 1)[0]
    return set(re.findall(r"^- `([0-9A-F]{4})`", section, flags=re.MULTILINE))


async def test_graphql_over_http_audits(once: None, node: str, live_server: LiveServer) -> None:
    result = run_node(node, "audit.mjs", live_server.graphql)
    assert result.returncode == 0, result.stderr
    audits = json.loads(result.stdout)
    assert len(audits) >= 50
    failed_must = [a for a in audits if a["name"].startswith("MUST") and a["status"] != "ok"]
    assert failed_must == []
    failed_should = {a["id"] for a in audits if a["name"].startswith("SHOULD") and a["status"] != "ok"}
    assert failed_should == documented_should_failures(), [a for a in audits if a["status"] != "ok"]


async def test_graphql_response_json_when_accepted(once: None, live_server: LiveServer) -> None:
    async with httpx.AsyncClient(base_url=live_server.url, timeout=30) as client:
        modern = {"accept": "application/graphql-response+json, application/json;q=0.9"}
        ok = await client.post("/graphql", json={"query": "{ __typename }"}, headers=modern)
        assert ok.status_code == 200 and ok.headers["content-type"].startswith("application/graphql-response+json")
        bad = await client.post("/graphql", json={"query": "{ nosuchfield }"}, headers=modern)
        assert bad.status_code == 400 and "data" not in bad.json()
        legacy = await client.post(
            "/graphql",
            json={"query": "{ nosuchfield }"},
            headers={"accept": "application/json"},
        )
        assert legacy.status_code == 200 and legacy.headers["content-type"].startswith("application/json")
        assert "data" not in legacy.json()
