"""The served schema against the frontends' contract, and the committed schema.graphql."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from contract import CONTRACT_PATH, breaking_changes
from schema import export_sdl

ROOT = Path(__file__).resolve().parent.parent
PENDING = Path(__file__).resolve().parent / "contract_pending.txt"


def test_committed_schema_file_is_the_served_schema() -> None:
    assert (ROOT / "schema.graphql").read_text(encoding="utf-8") == export_sdl(), (
        "schema.graphql is stale: run `beacon export-schema schema.graphql`"
    )


def test_served_schema_breaks_nothing_but_what_is_pending() -> None:
    if not CONTRACT_PATH.exists():
        pytest.skip(f"contract not present at {CONTRACT_PATH}: skipping the contract comparison")
    changes = set(breaking_changes(CONTRACT_PATH.read_text(encoding="utf-8")))
    pending = set(PENDING.read_text(encoding="utf-8").splitlines()) - {""} if PENDING.exists() else set()
    unexpected = sorted(changes - pending)
    stale = sorted(pending - changes)
    assert not unexpected, "breaking changes against the contract:\n" + "\n".join(unexpected)
    assert not stale, "lines of tests/contract_pending.txt that no longer occur (delete them):\n" + "\n".join(stale)


def test_beacon_check_contract_is_silent_against_the_real_contract() -> None:
    if not CONTRACT_PATH.exists():
        pytest.skip(f"contract not present at {CONTRACT_PATH}")
    result = subprocess.run(
        [sys.executable, "-m", "cli", "check-contract"], capture_output=True, text=True, cwd=ROOT, timeout=300
    )
    assert (result.returncode, result.stdout, result.stderr) == (0, "", "")
