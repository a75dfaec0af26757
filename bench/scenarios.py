"""The requests the bench drives, as a frontend would send them."""

from __future__ import annotations

import json
import urllib.parse
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Scenario:
    name: str
    document: str
    variables: dict[str, Any] = field(default_factory=dict)
    signed_in_as: str | None = None
    method: str = "POST"

    def body(self) -> str:
        return json.dumps({"query": self.document, "variables": self.variables}) if self.method == "POST" else ""

    def path(self) -> str:
        if self.method == "GET":
            return "/graphql?" + urllib.parse.urlencode({"query": self.document, "variables": json.dumps(self.variables)})
        return "/graphql"


SCENARIOS = [
    Scenario("anonymous viewer (smallest GraphQL request)", "{ viewer { user { id } } }"),
    Scenario(
        "signed-in viewer with organization",
        "{ viewer { user { id username displayName roles organization { name kind } } } }",
        signed_in_as="demo-teacher",
    ),
]
