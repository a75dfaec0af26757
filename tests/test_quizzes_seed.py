"""The demo quiz content: enough questions of every type and audience, and a learner whose figures show data."""

from __future__ import annotations

from pathlib import Path

from demo import LEARNER_USERNAME, QUESTIONS
from demo import QUIZZES as QUIZZES_DEMO
from models.accounts import User
from models.quizzes import Attempt, Question, Quiz
from resolvers import accounts
from resolvers.seed import seed_demo
from settings import Settings
from tests.helpers import GraphQLClient

FIGURES = """{ viewer { accuracyTrend(days: 90) { answered firstSeenAnswered }
  wrongQuestions(first: 5, includeMastered: true) { totalCount }
  quizAttempts(first: 5) { totalCount } } }"""
QUIZZES = "{ quizzes(first: 50) { edges { node { title audiences lesson { title quiz { title } } } } } }"
TAGGED = "{ quizzes(first: 1) { edges { node { id } } } tags { name } }"


async def test_demo_quizzes_are_seeded_once_with_history(
    gql: GraphQLClient, settings: Settings, data_dir: Path
) -> None:
    await seed_demo(settings)
    counts = (await Question.all().count(), await Quiz.all().count(), await Attempt.all().count())
    await seed_demo(settings)
    assert (await Question.all().count(), await Quiz.all().count(), await Attempt.all().count()) == counts
    assert counts[0] >= 80
    types = set(await Question.all().values_list("type", flat=True))
    assert len(types) == 6
    audiences = {a for row in await Question.all().values_list("audiences", flat=True) for a in row}
    assert len(audiences) == 6
    published = (await gql.ok(QUIZZES))["quizzes"]["edges"]
    assert {a for e in published for a in e["node"]["audiences"]} == audiences
    # Every demo quiz that checks a lesson shows it, and the lesson shows a quiz back.
    linked = {q.title for q in QUIZZES_DEMO if q.lesson_key and q.status == "PUBLISHED"}
    shown = {e["node"]["title"]: e["node"]["lesson"] for e in published}
    assert linked and all(shown[t] is not None and shown[t]["quiz"] is not None for t in linked), shown
    tags = {t["name"] for t in (await gql.ok(TAGGED))["tags"]}
    assert {t for q in QUESTIONS for t in q.tags} <= tags
    learner = await User.get(username_key=accounts.username_key(LEARNER_USERNAME))
    session = await accounts._open_session(learner)
    viewer = (await gql.ok(FIGURES, token=session.token))["viewer"]
    assert len(viewer["accuracyTrend"]) >= 2 and viewer["quizAttempts"]["totalCount"] >= 2
    assert viewer["wrongQuestions"]["totalCount"] >= 1
