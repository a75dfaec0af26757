"""Attempts are numbered per learner and quiz, and at most one is open (issue 16, docs/quizzes.md).

`number` is the learner's n-th attempt at the quiz, unique per (user, quiz): two starts that raced
for the same number cannot both insert. Two partial unique indexes keep one open attempt per
learner and quiz, and one open practice round per learner and kind.

Existing rows are numbered in the order they were started. Before this migration concurrent
starts could leave a learner with several open attempts at once: all but the newest are closed
as EXPIRED with nothing answered counted (score 0), so the indexes can be built.
"""

from collections.abc import Awaitable, Callable
from typing import Any

from tortoise import fields, migrations
from tortoise.migrations import operations as ops
from tortoise.migrations.constraints import UniqueConstraint

NUMBER = (
    "UPDATE quiz_attempt SET number = (SELECT r.n FROM (SELECT id, row_number() OVER "
    "(PARTITION BY user_id, quiz_id ORDER BY started_at, id) AS n FROM quiz_attempt WHERE quiz_id IS NOT NULL) r "
    "WHERE r.id = quiz_attempt.id) WHERE quiz_id IS NOT NULL"
)
# Every open attempt but the newest of its learner and quiz (or practice kind).
CLOSE_EXTRA_OPEN = (
    "UPDATE quiz_attempt SET status = 'EXPIRED', submitted_at = started_at, correct_count = 0, score = 0 "
    "WHERE status = 'IN_PROGRESS' AND EXISTS (SELECT 1 FROM quiz_attempt newer WHERE newer.status = 'IN_PROGRESS' "
    "AND newer.user_id = quiz_attempt.user_id AND newer.kind = quiz_attempt.kind "
    "AND (newer.quiz_id = quiz_attempt.quiz_id OR (newer.quiz_id IS NULL AND quiz_attempt.quiz_id IS NULL)) "
    "AND newer.id > quiz_attempt.id)"
)
OPEN_INDEXES = (
    (
        "CREATE UNIQUE INDEX quiz_attempt_one_open ON quiz_attempt (user_id, quiz_id) "
        "WHERE status = 'IN_PROGRESS' AND quiz_id IS NOT NULL"
    ),
    (
        "CREATE UNIQUE INDEX quiz_attempt_one_open_practice ON quiz_attempt (user_id, kind) "
        "WHERE status = 'IN_PROGRESS' AND quiz_id IS NULL"
    ),
)
DROP_OPEN_INDEXES = ("DROP INDEX quiz_attempt_one_open_practice", "DROP INDEX quiz_attempt_one_open")


def _run(*statements: str) -> Callable[[Any, Any], Awaitable[None]]:
    async def run(apps: Any, schema_editor: Any) -> None:
        for statement in statements:
            await schema_editor.client.execute_script(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("accounts", "0001_initial"), ("quizzes", "0002_question_versions")]

    initial = False

    operations = [
        ops.AddField(model_name="Attempt", name="number", field=fields.IntField(null=True)),
        ops.RunPython(_run(NUMBER, CLOSE_EXTRA_OPEN), _run()),
        ops.AddConstraint(
            model_name="Attempt",
            constraint=UniqueConstraint(fields=("user", "quiz", "number"), name=None),
        ),
        ops.RunPython(_run(*OPEN_INDEXES), _run(*DROP_OPEN_INDEXES)),
    ]
