"""Each layer imports only what docs/architecture.md says it may: dependencies point one way."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIRST_PARTY = {
    "server",
    "settings",
    "cli",
    "middleware",
    "scheduler",
    "contract",
    "caching",
    "media",
    "quizlib",
    "models",
    "resolvers",
    "schema",
    "demo",
    "locales",
}
FRAMEWORKS = {"starlette", "strawberry", "graphql", "tortoise", "uvicorn", "redis", "asyncpg"}

# layer -> (first-party packages it may import, frameworks it may import)
ALLOWED: dict[str, tuple[set[str], set[str]]] = {
    "quizlib": (set(), set()),  # a leaf: formats, grading and statistics in plain Python
    "media": (set(), {"starlette"}),  # a leaf: files on disk and the /media endpoint
    "models": (set(), {"tortoise", "asyncpg"}),
    "resolvers": ({"models", "media", "quizlib", "settings", "locales"}, {"tortoise", "redis"}),
    # tortoise: only its exceptions, in schema/errors.py (see test_the_schema_makes_no_orm_calls)
    "schema": (
        {"resolvers", "models", "quizlib", "caching", "settings", "locales"},
        {"strawberry", "graphql", "starlette", "tortoise"},
    ),
    "caching": ({"middleware", "settings", "locales"}, {"starlette", "strawberry", "graphql", "redis"}),
    "demo": ({"models", "resolvers", "media", "quizlib", "settings"}, {"tortoise"}),
}


def _imports(path: Path) -> set[str]:
    """Top-level names of everything a module imports (absolute imports only: relative stay inside)."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.split(".")[0])
    return names


def _modules(layer: str) -> list[Path]:
    return sorted((ROOT / layer).rglob("*.py"))


def test_the_locale_rule_is_a_leaf() -> None:
    # locales.py is imported by resolvers, schema and caching alike, so it may import none of them.
    imported = _imports(ROOT / "locales.py")
    assert not imported & (FIRST_PARTY | FRAMEWORKS), sorted(imported)


@pytest.mark.parametrize("layer", sorted(ALLOWED))
def test_a_layer_imports_only_what_it_may(layer: str) -> None:
    packages, frameworks = ALLOWED[layer]
    for path in _modules(layer):
        imported = _imports(path)
        wrong = (imported & FIRST_PARTY) - packages - {layer} | (imported & FRAMEWORKS) - frameworks
        assert not wrong, f"{path.relative_to(ROOT)} imports {sorted(wrong)}"


def test_the_schema_makes_no_orm_calls() -> None:
    # Types are built from model instances, but finding, counting and writing rows is the services' work;
    # the one tortoise import left maps a lost database connection to SERVICE_UNAVAILABLE.
    for path in _modules("schema"):
        source = path.read_text(encoding="utf-8")
        for node in ast.walk(ast.parse(source)):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("tortoise"):
                assert (path.name, node.module) == ("errors.py", "tortoise.exceptions"), path
        for call in ("in_transaction(", ".filter(", ".get_or_none(", ".all()", "paginate_queryset"):
            assert call not in source, f"{path.relative_to(ROOT)} calls {call}"
