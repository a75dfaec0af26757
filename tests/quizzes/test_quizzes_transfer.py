"""Export a bank to GIFT and Moodle XML (GraphQL and CLI) and re-import it to the same questions."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from models.base import Role
from tests.accounts.factories import token_for
from tests.helpers import GraphQLClient
from tests.quizzes.factories import IMPORT, bank_questions, create_bank, import_file, upload

EXPORT = (
    "query ($id: ID!, $format: QuestionFormat!) { node(id: $id) { ... on QuestionBank { export(format: $format) } } }"
)
ROOT = Path(__file__).resolve().parents[2]


def _comparable(question: dict[str, Any]) -> tuple[Any, ...]:
    """A question as a learner and an editor see it, without ids."""
    options = {o["id"]: o["text"] for o in question["options"] + question["matchTargets"]}
    key = question["answerKey"]
    return (
        question["type"],
        question["stem"],
        sorted(o["text"] for o in question["options"]),
        sorted(options[i] for i in key["correctOptionIds"]),
        sorted(key["acceptedAnswers"]),
        sorted((options[m["optionId"]], options[m["targetId"]]) for m in key["matches"]),
        [options[i] for i in key["order"]],
        key["explanation"],
    )


@pytest.mark.parametrize("format", ["GIFT", "MOODLE_XML"])
async def test_an_export_reimports_to_the_same_questions(gql: GraphQLClient, format: str) -> None:
    editor = await token_for("editor", Role.EDITOR)
    source = await create_bank(gql, editor, "原题库")
    await import_file(gql, editor, source, "GIFT", "prevention.gift")
    await import_file(gql, editor, source, "MOODLE_XML", "prevention.xml")
    exported = (await gql.ok(EXPORT, {"id": source, "format": format}, token=editor))["node"]["export"]
    target = await create_bank(gql, editor, "导入副本")
    result = await upload(
        gql,
        editor,
        IMPORT,
        {"input": {"bankId": target, "format": format, "file": None}},
        "variables.input.file",
        "export",
        exported.encode(),
    )
    assert result.data["importQuestions"]["errors"] == []
    before = [_comparable(q) for q in await bank_questions(gql, editor, source)]
    after = [_comparable(q) for q in await bank_questions(gql, editor, target)]
    if format == "GIFT":  # GIFT has no ORDERING questions: they are left out of a GIFT export
        before = [q for q in before if q[0] != "ORDERING"]
    assert after == before
    learner = await token_for("learner")
    denied = await gql(EXPORT, {"id": source, "format": format}, token=learner)
    assert denied.data["node"] is None


async def test_cli_exports_a_bank(gql: GraphQLClient, backend: str, database: str, tmp_path: Path) -> None:
    if backend != "sqlite":
        pytest.skip("the CLI reads the same SQLite file; one backend is enough")
    editor = await token_for("editor", Role.EDITOR)
    bank = await create_bank(gql, editor, "命令行题库")
    await import_file(gql, editor, bank, "MOODLE_XML", "prevention.xml")
    output = tmp_path / "bank.xml"
    env = {
        "BEACON_DATABASE_URL": database,
        "BEACON_SECRET_KEY": "test-secret-key-not-for-production",
        "BEACON_DATA_DIR": str(tmp_path),
        "PATH": "",
        # coverage's own variables, so the command is measured like every other process of the suite
        **{name: value for name, value in os.environ.items() if name.startswith("COVERAGE")},
    }
    run = subprocess.run(
        [sys.executable, "-m", "cli", "export-questions", "命令行题库", "--format", "moodle-xml", "-o", str(output)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,  # a ceiling for a hung process; a busy machine can make a cold CLI run slow
    )
    assert run.returncode == 0, run.stderr
    assert output.read_text(encoding="utf-8").count("<question ") == 6
