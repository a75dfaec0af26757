"""The requests the bench drives, as a frontend would send them."""

from __future__ import annotations

import json
import urllib.parse
from dataclasses import dataclass, field
from typing import Any

from bench.dataset import Manifest

LESSONS_PAGE = """query LessonPage($audience: Audience) {
  lessons(first: 20, filter: {audience: $audience}) {
    edges { node {
      id title summary section audiences estimatedMinutes publishedAt
      tags { slug name }
      coverImage { id url altText width height variantUrl(width: 480) }
      media { id kind mimeType url byteSize durationSeconds }
    } }
    pageInfo { hasNextPage endCursor }
  }
}"""

QUIZ_FETCH = """query Quiz($id: ID!) {
  quiz(id: $id) { id title description audiences timeLimitSeconds maxAttempts passingScore questionCount }
}"""

START_ATTEMPT = """mutation Start($quizId: ID!) {
  startQuizAttempt(quizId: $quizId) {
    attempt { id status deadline totalCount items { position question { id type stem options { id text } } } }
    errors { field message code }
  }
}"""

SUBMIT_ATTEMPT = """mutation Submit($input: SubmitAttemptInput!) {
  submitQuizAttempt(input: $input) {
    attempt { id status correctCount score passed items { position correct } }
    errors { field message code }
  }
}"""


@dataclass(frozen=True)
class Request:
    method: str
    path: str
    body: str = ""
    headers: dict[str, str] = field(default_factory=dict)


def graphql_post(document: str, variables: dict[str, Any] | None = None, token: str | None = None) -> Request:
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    return Request("POST", "/graphql", json.dumps({"query": document, "variables": variables or {}}), headers)


def graphql_get(document: str, variables: dict[str, Any] | None = None) -> Request:
    query = urllib.parse.urlencode({"query": document, "variables": json.dumps(variables or {})})
    return Request("GET", "/graphql?" + query)


def persisted_get(document: str, variables: dict[str, Any] | None = None, *, with_query: bool) -> Request:
    """A GET by Apollo's automatic persisted queries: the hash only, or hash and query (registers it)."""
    import hashlib

    extensions = {"persistedQuery": {"version": 1, "sha256Hash": hashlib.sha256(document.encode()).hexdigest()}}
    params = {"variables": json.dumps(variables or {}), "extensions": json.dumps(extensions)}
    if with_query:
        params["query"] = document
    return Request("GET", "/graphql?" + urllib.parse.urlencode(params))


@dataclass(frozen=True)
class Scenario:
    """A named request, or a pool that wrk rotates through (writes need a fresh one each time).

    requests[0] is spent counting SQL statements, requests[1] checking the answer (and giving
    the bare endpoint its bytes); wrk rotates over the rest (or repeats the only one).
    """

    name: str
    requests: list[Request]
    json_answer: bool = True
    # Extra server environment (e.g. the response cache off), and whether SQL is counted on a warm second request.
    env: dict[str, str] = field(default_factory=dict)
    warm: bool = False

    def for_sql(self) -> Request:
        return self.requests[0]

    def for_check(self) -> Request:
        return self.requests[min(1, len(self.requests) - 1)]

    def for_load(self) -> list[Request]:
        return self.requests[2:] if len(self.requests) > 2 else self.requests


def global_id(type_name: str, pk: int) -> str:
    import base64

    return base64.urlsafe_b64encode(f"{type_name}:{pk}".encode()).decode().rstrip("=")


def read_scenarios(manifest: Manifest) -> list[Scenario]:
    """Scenarios that write nothing (or only resume): lessons page, quiz fetch, media."""
    video = manifest.video["path"]
    mib = 1024 * 1024
    ranges = [
        Request("GET", video, headers={"Range": f"bytes={k * mib}-{(k + 1) * mib - 1}"})
        for k in range(manifest.video["bytes"] // mib)
    ]
    quiz = global_id("Quiz", manifest.quiz_ids[0])
    token = manifest.learner_tokens[0]
    page = {"audience": "MIDDLE_SCHOOL"}
    uncached = {"BEACON_RESPONSE_CACHE": "off"}
    register, by_hash = (
        persisted_get(LESSONS_PAGE, page, with_query=True),
        persisted_get(LESSONS_PAGE, page, with_query=False),
    )
    return [
        Scenario("1. lessons page, anonymous POST, uncached", [graphql_post(LESSONS_PAGE, page)], env=uncached),
        Scenario("1. lessons page, anonymous GET, uncached", [graphql_get(LESSONS_PAGE, page)], env=uncached),
        Scenario("1. lessons page, anonymous POST, warm response cache", [graphql_post(LESSONS_PAGE, page)], warm=True),
        Scenario("1. lessons page, persisted-query GET, warm response cache", [register, register, by_hash], warm=True),
        Scenario("2a. quiz fetch, signed in", [graphql_post(QUIZ_FETCH, {"id": quiz}, token)]),
        Scenario("5a. media: 20 MB video whole", [Request("GET", video)], json_answer=False),
        Scenario("5b. media: 1 MB ranges of it", ranges, json_answer=False),
    ]


def start_scenario(manifest: Manifest, pool: int) -> Scenario:
    """startQuizAttempt by learners who have none open: each request fixes a new attempt of 20."""
    quizzes = manifest.quiz_ids[: max(1, len(manifest.quiz_ids) // 2)]
    pairs = [(t, q) for q in quizzes for t in manifest.learner_tokens][:pool]
    return Scenario(
        "2b. start quiz attempt (20 questions), signed in",
        [graphql_post(START_ATTEMPT, {"quizId": global_id("Quiz", q)}, t) for t, q in pairs],
    )


def submit_scenario(attempts: list[tuple[str, int, list[tuple[int, list[str]]]]]) -> Scenario:
    """submitQuizAttempt over a pool of open attempts (token, attempt id, answers)."""
    requests = [
        graphql_post(
            SUBMIT_ATTEMPT,
            {
                "input": {
                    "attemptId": global_id("QuizAttempt", aid),
                    "answers": [
                        {"questionId": global_id("Question", qid), "selectedOptionIds": picked}
                        for qid, picked in answers
                    ],
                }
            },
            token,
        )
        for token, aid, answers in attempts
    ]
    return Scenario("3. submit quiz attempt (20 answers), signed in", requests)
