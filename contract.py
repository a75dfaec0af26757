"""Comparing the served schema with the consumers' contract in ../shared/contract/."""

from __future__ import annotations

from pathlib import Path

from graphql import build_schema as build_sdl_schema
from graphql.utilities import find_breaking_changes

from schema import export_sdl

CONTRACT_PATH = Path(__file__).resolve().parent.parent / "shared" / "contract" / "schema.graphql"


def breaking_changes(contract_sdl: str, served_sdl: str | None = None) -> list[str]:
    """Every breaking change from the contract to the served schema, one line each."""
    served = build_sdl_schema(served_sdl or export_sdl())
    contract = build_sdl_schema(contract_sdl)
    return sorted(f"{c.type.name}: {c.description}" for c in find_breaking_changes(contract, served))
