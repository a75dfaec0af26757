"""graphql-schema-linter's description and naming rules over the served schema (issue 12).

The rules and any exclusions live in tests/conformance/.graphql-schema-linterrc. A name the
frontends' contract fixes may be excluded there (renaming it would break the contract); none is
today. tests/test_schema_descriptions.py checks the same descriptions without Node.js.
"""

from __future__ import annotations

import json
from pathlib import Path

from schema import export_sdl
from tests.conformance.conftest import SUITES, run_node

LINTER = "node_modules/graphql-schema-linter/lib/cli.js"
RULES = {
    "types-have-descriptions",
    "fields-have-descriptions",
    "arguments-have-descriptions",
    "enum-values-have-descriptions",
    "input-object-values-have-descriptions",
    "deprecations-have-a-reason",
    "descriptions-are-capitalized",
    "types-are-capitalized",
    "fields-are-camel-cased",
    "input-object-values-are-camel-cased",
    "enum-values-all-caps",
}


def lint(node: str, sdl: str, tmp_path: Path) -> list[dict[str, object]]:
    """The linter's errors for an SDL document, with the rules of .graphql-schema-linterrc."""
    path = tmp_path / "schema.graphql"
    path.write_text(sdl, encoding="utf-8")
    result = run_node(node, LINTER, "--format", "json", "--config-directory", str(SUITES), str(path))
    assert result.returncode in (0, 1), result.stderr  # 1: errors found; anything else: the linter broke
    errors: list[dict[str, object]] = json.loads(result.stdout)["errors"]
    assert (result.returncode == 1) == bool(errors), result.stdout
    return errors


def test_config_runs_every_description_and_naming_rule() -> None:
    config = json.loads((SUITES / ".graphql-schema-linterrc").read_text(encoding="utf-8"))
    assert set(config["rules"]) == RULES


def test_linter_catches_a_missing_description(once: None, node: str, tmp_path: Path) -> None:
    """The config is live: an undescribed field and a lower-case field name fail."""
    errors = lint(node, '"""Reads."""\ntype Query {\n  some_thing: Int\n}\n', tmp_path)
    assert {e["rule"] for e in errors} == {"fields-have-descriptions", "fields-are-camel-cased"}


def test_served_schema_passes_the_linter(once: None, node: str, tmp_path: Path) -> None:
    errors = lint(node, export_sdl(), tmp_path)
    assert errors == [], "graphql-schema-linter:\n" + "\n".join(f"{e['rule']}: {e['message']}" for e in errors)
