"""xAPI statements to an organization's LRS: a real ralph LRS receives them, and gives them back."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from models.accounts import User
from models.base import PublicationStatus, Role
from models.content import ContentItem, ContentType
from models.integrations import Channel, OutboxMessage
from schema.relay import to_global_id
from settings import Settings
from tests import consultation_factories as f
from tests.helpers import GraphQLClient, token_for
from tests.integrations.helpers import admin_token, deliverer, drain, organization
from tests.integrations.lrs import Lrs, running_lrs
from tests.quizzes_helpers import START, SUBMIT
from tests.test_quizzes_batching import _quiz_of, _wrong_answers

SET_LRS = """
mutation($org: ID!, $input: LearningRecordStoreInput!) {
  setLearningRecordStore(organizationId: $org, input: $input) {
    store { endpoint username accountHomePage enabled allowPrivateNetwork } errors { field code message }
  }
}"""
RECORD = """
mutation($input: RecordLearningInput!) { recordLearning(input: $input) { progress { completed } errors { code } } }"""
HOME = "https://lms.yizhong.example.org"


@pytest.fixture(scope="module")
def lrs(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Lrs]:
    with running_lrs(tmp_path_factory.mktemp("ralph")) as store:
        yield store


async def _configure(gql: GraphQLClient, org_id: int, url: str, **extra: object) -> dict:
    variables = {
        "org": to_global_id("Organization", org_id),
        "input": {
            "endpoint": url,
            "username": "beacon-lrs",
            "password": "lrs-test-password",
            "accountHomePage": HOME,
            **extra,
        },
    }
    return (await gql.ok(SET_LRS, variables, token=await admin_token()))["setLearningRecordStore"]


async def test_a_learners_completed_lesson_and_submitted_quiz_reach_the_lrs(
    gql: GraphQLClient, settings: Settings, lrs: Lrs, backend: str
) -> None:
    school = await organization(f"一中-{backend}")
    configured = await _configure(gql, school.id, lrs.url, allowPrivateNetwork=True)
    assert configured["errors"] == [] and configured["store"]["username"] == "beacon-lrs"
    learner = f"pupil-{backend}"
    token = await token_for(learner, Role.LEARNER, organization_id=school.id)
    lesson = await ContentItem.create(
        content_type=ContentType.LESSON,
        slug="bing-du",
        title="认识冰毒",
        section="HANDBOOK",
        status=PublicationStatus.PUBLISHED,
    )
    lesson_id = to_global_id("Lesson", lesson.id)
    done = await gql.ok(RECORD, {"input": {"lessonId": lesson_id, "seconds": 120, "completed": True}}, token=token)
    assert done["recordLearning"]["progress"]["completed"] is True
    quiz_id = await _quiz_of(3)
    attempt = (await gql.ok(START, {"quizId": quiz_id}, token=token))["startQuizAttempt"]["attempt"]
    await gql.ok(SUBMIT, {"input": {"attemptId": attempt["id"], "answers": _wrong_answers(attempt)}}, token=token)
    await drain(deliverer(settings))
    failed = (
        await OutboxMessage.filter(channel=Channel.XAPI)
        .exclude(status="DELIVERED")
        .values_list("last_error", flat=True)
    )
    assert not failed, failed
    mine = [s for s in lrs.statements() if s["actor"].get("account") == {"homePage": HOME, "name": learner}]
    verbs = sorted(s["verb"]["id"].rsplit("/", 1)[1] for s in mine)
    assert verbs == ["answered", "answered", "answered", "completed", "completed"]
    [lesson_done] = [s for s in mine if s["object"]["id"].endswith(f"/lessons/{lesson_id}")]
    assert lesson_done["verb"]["id"] == "http://adlnet.gov/expapi/verbs/completed"
    assert lesson_done["object"]["id"] == f"{settings.public_url}/xapi/activities/lessons/{lesson_id}"
    assert lesson_done["result"]["completion"] is True
    [quiz_done] = [s for s in mine if s["object"]["id"].endswith(f"/quizzes/{quiz_id}")]
    assert quiz_done["result"]["score"]["scaled"] == 0 and quiz_done["result"]["completion"] is True
    answered = [s for s in mine if s["verb"]["id"].endswith("/answered")]
    assert all(s["result"]["success"] is False for s in answered)
    assert all(s["context"]["contextActivities"]["parent"][0]["id"] == quiz_done["object"]["id"] for s in answered)
    # A retry sends the same statement ids: the LRS keeps one copy.
    await OutboxMessage.filter(channel=Channel.XAPI).update(status="PENDING")
    await drain(deliverer(settings))
    again = [s for s in lrs.statements() if s["actor"].get("account") == {"homePage": HOME, "name": learner}]
    assert len(again) == len(mine)


async def test_the_lrs_at_a_private_address_needs_an_admins_allowance(gql: GraphQLClient) -> None:
    school = await organization()
    refused = await _configure(gql, school.id, "http://127.0.0.1:9/xAPI")
    assert [(e["field"], e["code"]) for e in refused["errors"]] == [("input.endpoint", "INVALID")]


async def test_consultations_never_become_statements(gql: GraphQLClient) -> None:
    school = await organization()
    await _configure(gql, school.id, "http://127.0.0.1:9/xAPI", allowPrivateNetwork=True)
    client = await f.client("ming")
    await User.filter(id=client.user_id).update(organization_id=school.id)
    await f.thread(client, await f.expert("wangdoc"))
    assert await OutboxMessage.filter(channel=Channel.XAPI).count() == 0
