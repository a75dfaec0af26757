"""Quiz statistics (hand-computed Moodle figures), the accuracy trend and the organization report."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from models.accounts import User
from models.base import OrganizationKind, PublicationStatus, Role
from models.content import LearningDay
from models.quizzes import Attempt, AttemptItem, AttemptKind, AttemptStatus, Quiz
from resolvers import accounts, quizzes
from resolvers.actor import Actor
from schema.relay import to_global_id
from tests.accounts.factories import make_user, token_for
from tests.helpers import GraphQLClient, count_statements

STATS = """
query ($id: ID!) { quiz(id: $id) { stats { attemptCount submittedCount averageScore
  questionStats { question { stem } answered correct facility discrimination } } } }"""
TREND = "{ viewer { accuracyTrend(days: 7) { day answered correct accuracy firstSeenAnswered firstSeenCorrect firstSeenAccuracy } } }"
REPORT = """
query ($id: ID!) { organizationReport(organizationId: $id) { organization { name } activeLearners attemptsSubmitted
  averageScore learningSeconds lessonsCompleted accuracyTrend { answered correct } } }"""
LEARNING_TREND = """
query ($id: ID!) { organizationReport(organizationId: $id) { learningTrend { day learningSeconds lessonsCompleted activeLearners } } }"""
EDITOR = Actor(roles=frozenset({Role.EDITOR}))  # the test arranging data, not a signed-in person

# docs/quiz-statistics.md's worked example: five attempts, q3 not drawn in A4.
WORKED = [(1, 1, 1), (1, 1, 0), (1, 0, 1), (0, 0, None), (0, 1, 1)]


async def _worked_example(organization_id: int | None = None) -> Quiz:
    bank = await quizzes.create_bank(EDITOR, name="统计", description=None)
    spec = lambda n: quizzes.QuestionSpec(  # noqa: E731
        type="TRUE_FALSE", stem=f"q{n}", options=[quizzes.OptionSpec("正确", True), quizzes.OptionSpec("错误", False)]
    )
    questions = [await quizzes.create_question(EDITOR, bank.id, spec(n)) for n in (1, 2, 3)]
    quiz = await Quiz.create(title="统计测验", draw_bank_id=bank.id, draw_count=3, status=PublicationStatus.PUBLISHED)
    now = datetime.now(UTC)
    for index, row in enumerate(WORKED):
        user = await make_user(f"learner{index}", organization_id=organization_id)
        marks = [(q, m) for q, m in zip(questions, row, strict=True) if m is not None]
        correct = sum(m for _, m in marks)
        attempt = await Attempt.create(
            user_id=user.id,
            quiz=quiz,
            kind=AttemptKind.QUIZ,
            status=AttemptStatus.SUBMITTED,
            started_at=now,
            submitted_at=now,
            total_count=len(marks),
            correct_count=correct,
            score=round(100 * correct / len(marks), 2),
        )
        for position, (question, mark) in enumerate(marks):
            await AttemptItem.create(
                attempt=attempt,
                user_id=user.id,
                question=question,
                position=position + 1,
                correct=bool(mark),
                first_seen=True,
            )
    return quiz


async def test_facility_and_discrimination_match_the_hand_computed_example(gql: GraphQLClient) -> None:
    quiz = await _worked_example()
    editor = await token_for("editor", Role.EDITOR)
    stats = (await gql.ok(STATS, {"id": to_global_id("Quiz", quiz.id)}, token=editor))["quiz"]["stats"]
    assert (stats["attemptCount"], stats["submittedCount"]) == (5, 5)
    assert stats["averageScore"] == pytest.approx((100 + 66.67 + 66.67 + 0 + 66.67) / 5, abs=0.01)
    by_stem = {s["question"]["stem"]: s for s in stats["questionStats"]}
    assert (by_stem["q1"]["answered"], by_stem["q1"]["correct"]) == (5, 3)
    assert by_stem["q1"]["facility"] == pytest.approx(0.6)
    assert by_stem["q1"]["discrimination"] == pytest.approx(0.4 / 3.36**0.5)  # ≈ 0.218
    assert by_stem["q2"]["facility"] == pytest.approx(0.6)
    assert by_stem["q2"]["discrimination"] == pytest.approx(0.218, abs=1e-3)
    assert (by_stem["q3"]["answered"], by_stem["q3"]["facility"]) == (4, pytest.approx(0.75))
    assert by_stem["q3"]["discrimination"] == pytest.approx(-0.5 / 0.75**0.5)  # ≈ -0.577


async def test_stats_for_teachers_cover_their_own_learners_only(gql: GraphQLClient) -> None:
    school = await accounts.create_organization(None, name="第一中学", kind=OrganizationKind.SCHOOL, region=None)
    other = await accounts.create_organization(None, name="第二中学", kind=OrganizationKind.SCHOOL, region=None)
    quiz = await _worked_example(organization_id=school.id)
    quiz_id = to_global_id("Quiz", quiz.id)
    own = await token_for("teacher", Role.TEACHER, organization_id=school.id)
    foreign = await token_for("teacher2", Role.TEACHER, organization_id=other.id)
    learner = await token_for("learner", organization_id=school.id)
    assert (await gql.ok(STATS, {"id": quiz_id}, token=own))["quiz"]["stats"]["submittedCount"] == 5
    assert (await gql.ok(STATS, {"id": quiz_id}, token=foreign))["quiz"]["stats"]["submittedCount"] == 0
    assert (await gql.ok(STATS, {"id": quiz_id}, token=learner))["quiz"]["stats"] is None
    report = (await gql.ok(REPORT, {"id": to_global_id("Organization", school.id)}, token=own))["organizationReport"]
    assert report["activeLearners"] == 5 and report["attemptsSubmitted"] == 5
    assert report["accuracyTrend"] == [{"answered": 14, "correct": 9}]
    assert (await gql.ok(REPORT, {"id": to_global_id("Organization", school.id)}, token=foreign))[
        "organizationReport"
    ] is None
    assert (await gql.ok(REPORT, {"id": to_global_id("Organization", school.id)}, token=learner))[
        "organizationReport"
    ] is None
    key = await accounts.create_api_key(name="lms", organization=school)
    by_key = (await gql.ok(REPORT, {"id": to_global_id("Organization", school.id)}, token=key))["organizationReport"]
    assert by_key["attemptsSubmitted"] == 5


async def test_accuracy_trend_keeps_first_seen_answers_apart_from_retries_and_practice(gql: GraphQLClient) -> None:
    user = await make_user("learner")
    session = await accounts._open_session(user)
    bank = await quizzes.create_bank(EDITOR, name="趋势", description=None)
    question = await quizzes.create_question(
        EDITOR,
        bank.id,
        quizzes.QuestionSpec(
            type="TRUE_FALSE", stem="q", options=[quizzes.OptionSpec("正确", True), quizzes.OptionSpec("错误")]
        ),
    )
    today = datetime.now(UTC)
    yesterday = today - timedelta(days=1)
    # Yesterday: first sight, wrong. Today: a retry and a practice, both right.
    for moment, kind, correct, first in (
        (yesterday, AttemptKind.QUIZ, False, True),
        (today, AttemptKind.QUIZ, True, False),
        (today, AttemptKind.PRACTICE_WRONG, True, False),
    ):
        attempt = await Attempt.create(
            user=user,
            kind=kind,
            status=AttemptStatus.SUBMITTED,
            started_at=moment,
            submitted_at=moment,
            total_count=1,
            correct_count=int(correct),
            score=100.0 * correct,
        )
        await AttemptItem.create(
            attempt=attempt, user=user, question=question, position=1, correct=correct, first_seen=first
        )
    points = (await gql.ok(TREND, token=session.token))["viewer"]["accuracyTrend"]
    assert [(p["answered"], p["correct"], p["accuracy"]) for p in points] == [(1, 0, 0.0), (2, 2, 1.0)]
    assert [(p["firstSeenAnswered"], p["firstSeenAccuracy"]) for p in points] == [(1, 0.0), (0, None)]
    # Days of the learner's zone (no organization: Asia/Shanghai), each starting at its local midnight.
    assert points[1]["day"] == today.astimezone(ZoneInfo("Asia/Shanghai")).strftime("%Y-%m-%dT00:00:00+08:00")


async def test_the_report_adds_lesson_time_and_learners_active_only_in_lessons(gql: GraphQLClient) -> None:
    school = await accounts.create_organization(None, name="第一中学", kind=OrganizationKind.SCHOOL, region=None)
    other = await accounts.create_organization(None, name="第二中学", kind=OrganizationKind.SCHOOL, region=None)
    await _worked_example(organization_id=school.id)  # learner0..learner4, one graded attempt each
    quizzer = await User.get(username="learner0")
    reader = await make_user("reader", organization_id=school.id)
    idle = await make_user("idle", organization_id=school.id)
    outsider = await make_user("outsider", organization_id=other.id)
    today = datetime.now(UTC).date()
    await LearningDay.bulk_create(
        [
            LearningDay(user_id=quizzer.id, organization_id=school.id, day=today, seconds=600, lessons_completed=1),
            LearningDay(
                user_id=reader.id,
                organization_id=school.id,
                day=today - timedelta(days=3),
                seconds=1200,
                lessons_completed=2,
            ),
            LearningDay(user_id=idle.id, organization_id=school.id, day=today, seconds=0, lessons_completed=0),
            LearningDay(
                user_id=reader.id,
                organization_id=school.id,
                day=today - timedelta(days=400),
                seconds=9999,
                lessons_completed=9,
            ),
            LearningDay(user_id=outsider.id, organization_id=other.id, day=today, seconds=777, lessons_completed=7),
        ]
    )
    teacher = await token_for("teacher", Role.TEACHER, organization_id=school.id)
    report = (await gql.ok(REPORT, {"id": to_global_id("Organization", school.id)}, token=teacher))[
        "organizationReport"
    ]
    assert (report["learningSeconds"], report["lessonsCompleted"]) == (1800, 3)
    assert report["activeLearners"] == 6  # five who took the quiz (one also read) and one who only read
    assert report["attemptsSubmitted"] == 5
    # Per day, for the console's charts: the idle member's empty day and other organizations left out.
    trend = (await gql.ok(LEARNING_TREND, {"id": to_global_id("Organization", school.id)}, token=teacher))[
        "organizationReport"
    ]["learningTrend"]
    assert trend == [
        {
            "day": f"{today - timedelta(days=3)}T00:00:00+08:00",
            "learningSeconds": 1200,
            "lessonsCompleted": 2,
            "activeLearners": 1,
        },
        {"day": f"{today}T00:00:00+08:00", "learningSeconds": 600, "lessonsCompleted": 1, "activeLearners": 1},
    ]


LEARNERS = """
query ($id: ID!, $first: Int) { organizationReport(organizationId: $id) { learners(first: $first) { totalCount
  edges { node { displayName learningSeconds lessonsCompleted attemptsSubmitted averageScore } } } } }"""


async def test_teachers_see_their_learners_figures_and_nothing_about_consultations(gql: GraphQLClient) -> None:
    school = await accounts.create_organization(None, name="第一中学", kind=OrganizationKind.SCHOOL, region=None)
    other = await accounts.create_organization(None, name="第二中学", kind=OrganizationKind.SCHOOL, region=None)
    await _worked_example(organization_id=school.id)  # Learner0..Learner4, one graded quiz attempt each
    # Learner1 is also a client of the consultation desk; a teacher must not be able to tell.
    await User.filter(username="learner1").update(roles=[Role.LEARNER.value, Role.CLIENT.value])
    await make_user("desk", Role.CLIENT, organization_id=school.id)  # a client only: not a learner
    await make_user("colleague", Role.TEACHER, organization_id=school.id)
    await make_user("outsider", organization_id=other.id)
    learner0 = await User.get(username="learner0")
    today = datetime.now(UTC).date()
    await LearningDay.bulk_create(
        [
            LearningDay(user_id=learner0.id, organization_id=school.id, day=today, seconds=600, lessons_completed=1),
            LearningDay(user_id=learner0.id, organization_id=school.id, day=today - timedelta(days=400), seconds=99),
        ]
    )
    teacher = await token_for("teacher", Role.TEACHER, organization_id=school.id)
    school_id = to_global_id("Organization", school.id)
    learners = (await gql.ok(LEARNERS, {"id": school_id}, token=teacher))["organizationReport"]["learners"]
    assert learners["totalCount"] == 5
    rows = [edge["node"] for edge in learners["edges"]]
    assert [r["displayName"] for r in rows] == [f"Learner{n}" for n in range(5)]
    assert rows[0] == {
        "displayName": "Learner0",
        "learningSeconds": 600,  # the day 400 days ago is outside the default period
        "lessonsCompleted": 1,
        "attemptsSubmitted": 1,
        "averageScore": 100.0,
    }
    # The client-learner's row has exactly the shape and kind of figures of the others.
    assert rows[1] == {
        "displayName": "Learner1",
        "learningSeconds": 0,
        "lessonsCompleted": 0,
        "attemptsSubmitted": 1,
        "averageScore": pytest.approx(66.67),
    }
    # Nothing on the type could say more: no id, username or role to ask for.
    fields = await gql.ok('{ __type(name: "OrganizationLearner") { fields { name } } }')
    assert {f["name"] for f in fields["__type"]["fields"]} == {
        "displayName",
        "learningSeconds",
        "lessonsCompleted",
        "attemptsSubmitted",
        "averageScore",
    }
    # The whole answer is the same whether or not Learner1 is a client.
    await User.filter(username="learner1").update(roles=[Role.LEARNER.value])
    assert (await gql.ok(LEARNERS, {"id": school_id}, token=teacher))["organizationReport"]["learners"] == learners
    admin = await token_for("root", Role.ADMIN)
    assert (await gql.ok(LEARNERS, {"id": school_id}, token=admin))["organizationReport"]["learners"]["totalCount"] == 5


async def test_the_learner_list_is_for_people_not_keys_or_pupils(gql: GraphQLClient) -> None:
    school = await accounts.create_organization(None, name="第一中学", kind=OrganizationKind.SCHOOL, region=None)
    school_id = to_global_id("Organization", school.id)
    key = await accounts.create_api_key(name="lms", organization=school)
    by_key = await gql(LEARNERS, {"id": school_id}, token=key)
    assert by_key.data == {"organizationReport": {"learners": None}}  # the report itself stays readable
    assert [e["extensions"]["code"] for e in by_key.errors] == ["FORBIDDEN"]
    pupil = await token_for("pupil", organization_id=school.id)
    assert (await gql.ok(LEARNERS, {"id": school_id}, token=pupil))["organizationReport"] is None


async def test_a_page_of_fifty_learners_costs_the_statements_of_five(gql: GraphQLClient) -> None:
    school = await accounts.create_organization(None, name="第一中学", kind=OrganizationKind.SCHOOL, region=None)
    quiz = await _worked_example(organization_id=school.id)
    now = datetime.now(UTC)
    for n in range(50):
        user = await make_user(f"pupil{n:02}", organization_id=school.id)
        await LearningDay.create(user_id=user.id, organization_id=school.id, day=now.date(), seconds=60)
        await Attempt.create(
            user_id=user.id,
            quiz=quiz,
            kind=AttemptKind.QUIZ,
            status=AttemptStatus.SUBMITTED,
            started_at=now,
            submitted_at=now,
            total_count=1,
            correct_count=1,
            score=100,
        )
    teacher = await token_for("teacher", Role.TEACHER, organization_id=school.id)
    school_id = to_global_id("Organization", school.id)
    counts = []
    for first in (5, 50):
        await gql.ok(LEARNERS, {"id": school_id, "first": first}, token=teacher)  # warm the sign-in path
        with count_statements() as counter:
            learners = (await gql.ok(LEARNERS, {"id": school_id, "first": first}, token=teacher))["organizationReport"][
                "learners"
            ]
        assert len(learners["edges"]) == first
        counts.append(counter.count)
    assert counts[0] == counts[1], counts
