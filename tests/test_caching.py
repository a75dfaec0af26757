"""Faster reads: parser/validation caches, persisted queries, trusted documents and the public response cache."""

from __future__ import annotations

import asyncio
import json
import socket
import uuid
import weakref
from collections.abc import AsyncIterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from strawberry.extensions.parser_cache import _get_parse_cache

from caching.http import GraphQLCaching
from caching.persisted import sha256_hex
from models.base import Role
from models.content import ContentItem
from schema.limits import PARSE_CACHE_SIZE, validated_documents
from server import create_app
from settings import Settings
from tests.accounts.factories import token_for
from tests.consultations import factories as cf
from tests.content.factories import create_lesson, editor_token, published_lesson
from tests.helpers import GraphQLClient, count_statements
from tests.realtime import graphql_ws, server_in_process

LESSONS = "query Lessons($first: Int) { lessons(first: $first) { totalCount edges { node { id title tags { name } coverImage { url variantUrl(width: 320) } } } } }"
LESSON_PROGRESS = "query($id: ID!) { lesson(id: $id) { title viewerProgress { secondsSpent } } }"
NODE = "query($id: ID!) { node(id: $id) { id ... on Lesson { title } } }"
CONSULTATION = "query($id: ID!) { consultation(id: $id) { id subject } }"
RECORD = "mutation($id: ID!) { recordLearning(input: {lessonId: $id, seconds: 60}) { errors { code } } }"
SET_STATUS = "mutation($id: ID!) { setLessonStatus(id: $id, status: PUBLISHED) { errors { code } } }"
HELLO = "{ tags { name } }"


def _redis_available() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=0.5):
            return True
    except OSError:
        return False


needs_redis = pytest.mark.skipif(not _redis_available(), reason="no Redis at 127.0.0.1:6379")


_CACHING: weakref.WeakKeyDictionary[httpx.AsyncClient, GraphQLCaching] = weakref.WeakKeyDictionary()


def caching_of(http: httpx.AsyncClient) -> GraphQLCaching:
    """The caching of the app a test client talks to."""
    return _CACHING[http]


async def _client(settings: Settings) -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(settings, manage_database=False)
    transport = httpx.ASGITransport(app=app, client=("203.0.113.7", 50000))
    async with httpx.AsyncClient(transport=transport, base_url="http://beacon.test") as client:
        _CACHING[client] = app.state.caching
        yield client
    await app.state.caching.close()


@pytest.fixture
async def http(settings: Settings) -> AsyncIterator[httpx.AsyncClient]:
    """The app with the response cache on (the suite's default settings turn it off)."""
    async for client in _client(replace(settings, response_cache=True)):
        yield client


async def get(
    http: httpx.AsyncClient,
    query: str | None,
    variables: dict[str, Any] | None = None,
    *,
    token: str | None = None,
    **extra: Any,
) -> httpx.Response:
    params: dict[str, str] = {}
    if query is not None:
        params["query"] = query
    if variables is not None:
        params["variables"] = json.dumps(variables)
    for name, value in extra.pop("params", {}).items():
        params[name] = json.dumps(value) if not isinstance(value, str) else value
    headers = dict(extra.pop("headers", {}))
    if token:
        headers["Authorization"] = f"Bearer {token}"
    return await http.get("/graphql", params=params, headers={"accept": "application/json", **headers})


def apq(query: str) -> dict[str, Any]:
    return {"persistedQuery": {"version": 1, "sha256Hash": sha256_hex(query)}}


# --- parse and validation caches, orjson ---------------------------------------------------


async def test_an_identical_request_is_neither_parsed_nor_validated_again(gql: GraphQLClient, db: str) -> None:
    query = f"query CacheProbe{uuid.uuid4().hex[:8]} {{ tags {{ name }} }}"
    parse, validate = _get_parse_cache(PARSE_CACHE_SIZE), validated_documents
    await gql.ok(query)
    parsed, validated = parse.cache_info(), validate.cache_info()
    await gql.ok(query)
    assert parse.cache_info().misses == parsed.misses and parse.cache_info().hits > parsed.hits
    assert validate.cache_info().misses == validated.misses and validate.cache_info().hits > validated.hits


async def test_responses_are_compact_utf8_from_orjson(gql: GraphQLClient, http: httpx.AsyncClient) -> None:
    editor = await editor_token()
    await published_lesson(gql, editor, title="拒绝毒品")
    response = await http.post("/graphql", json={"query": "{ lessons { edges { node { title } } } }"})
    assert (
        response.content.startswith(b'{"data":{"lessons":{"edges":[{"node":{"title":"')
        and "拒绝毒品".encode() in response.content
    )


# --- automatic persisted queries --------------------------------------------------------------


async def test_apq_unknown_hash_asks_for_the_query_then_runs_by_hash_over_post_and_get(http: httpx.AsyncClient) -> None:
    query = f"query Tags{uuid.uuid4().hex[:8]} {{ tags {{ name }} }}"
    first = await http.post("/graphql", json={"extensions": apq(query)})
    assert first.status_code == 200
    assert first.json() == {
        "errors": [{"message": "PersistedQueryNotFound", "extensions": {"code": "PERSISTED_QUERY_NOT_FOUND"}}]
    }
    assert "no-cache" in first.headers["cache-control"]
    registered = await http.post("/graphql", json={"query": query, "extensions": apq(query)})
    assert registered.json() == {"data": {"tags": []}}
    by_hash = await http.post("/graphql", json={"extensions": apq(query)})
    assert by_hash.json() == {"data": {"tags": []}}
    over_get = await get(http, None, params={"extensions": apq(query)})
    assert over_get.status_code == 200 and over_get.json() == {"data": {"tags": []}}


async def test_apq_refuses_a_hash_that_is_not_the_querys_and_other_versions(http: httpx.AsyncClient) -> None:
    wrong = await http.post("/graphql", json={"query": HELLO, "extensions": apq("{ other }")})
    assert wrong.status_code == 400 and wrong.json()["errors"][0]["extensions"]["code"] == "BAD_REQUEST"
    version = await http.post(
        "/graphql", json={"extensions": {"persistedQuery": {"version": 2, "sha256Hash": sha256_hex(HELLO)}}}
    )
    assert version.status_code == 400


async def test_a_persisted_mutation_still_may_not_run_over_get(http: httpx.AsyncClient, db: str) -> None:
    mutation = "mutation { logout { ok } }"
    assert (await http.post("/graphql", json={"query": mutation, "extensions": apq(mutation)})).status_code == 200
    response = await get(http, None, params={"extensions": apq(mutation)})
    assert response.status_code == 405


# --- trusted documents --------------------------------------------------------------------------


async def test_trusted_documents_run_only_registered_documents(settings: Settings, tmp_path: Path) -> None:
    manifest = tmp_path / "manifest.json"
    manifest.write_text(json.dumps({sha256_hex(HELLO): HELLO}))
    async for http in _client(replace(settings, trusted_documents=manifest)):
        assert (await get(http, None, params={"extensions": apq(HELLO)})).json() == {"data": {"tags": []}}
        assert (await http.post("/graphql", json={"query": HELLO})).json() == {"data": {"tags": []}}
        for request in (
            {"query": "{ tags { slug } }"},
            {"extensions": apq("{ tags { slug } }")},
            {"query": "{ tags { slug } }", "extensions": apq("{ tags { slug } }")},
        ):
            refused = await http.post("/graphql", json=request)
            assert refused.status_code == 400
            assert refused.json()["errors"][0]["extensions"]["code"] == "PERSISTED_QUERY_NOT_ALLOWED"


async def test_trusted_documents_hold_over_graphql_ws_too(settings: Settings, tmp_path: Path) -> None:
    manifest = tmp_path / "manifest.json"
    manifest.write_text(json.dumps({sha256_hex(HELLO): HELLO}))
    async with server_in_process(replace(settings, trusted_documents=manifest)) as address, graphql_ws(address) as ws:
        allowed = await ws.subscribe(HELLO)
        assert await ws.receive() == {"id": allowed, "type": "next", "payload": {"data": {"tags": []}}}
        assert (await ws.receive())["type"] == "complete"
        for document in ("{ tags { slug } }", "subscription { consultationUpdated { id } }"):
            refused = await ws.subscribe(document)
            message = await ws.receive()
            assert message["id"] == refused and message["type"] == "error"
            assert message["payload"][0]["extensions"]["code"] == "PERSISTED_QUERY_NOT_ALLOWED"


# --- the public response cache ------------------------------------------------------------------


async def test_a_public_get_is_cached_with_an_etag_and_answers_304(gql: GraphQLClient, http: httpx.AsyncClient) -> None:
    editor = await editor_token()
    await published_lesson(gql, editor)
    first = await get(http, LESSONS, {"first": 5})
    assert first.status_code == 200 and first.json()["data"]["lessons"]["totalCount"] == 1
    assert first.headers["cache-control"].startswith("public, max-age=")
    assert "stale-while-revalidate=" in first.headers["cache-control"]
    etag = first.headers["etag"]
    with count_statements() as counter:
        second = await get(http, LESSONS, {"first": 5})
    assert counter.count == 0 and second.content == first.content and second.headers["etag"] == etag
    not_modified = await get(http, LESSONS, {"first": 5}, headers={"if-none-match": etag})
    assert not_modified.status_code == 304 and not_modified.content == b"" and not_modified.headers["etag"] == etag
    await published_lesson(GraphQLClient(http), editor, title="第二课")  # through the caching app: it bumps its version
    changed = await get(http, LESSONS, {"first": 5}, headers={"if-none-match": etag})
    assert changed.status_code == 200 and changed.headers["etag"] != etag


async def test_post_reads_are_cached_too_but_only_get_is_public_for_cdns(
    gql: GraphQLClient, http: httpx.AsyncClient
) -> None:
    editor = await editor_token()
    await published_lesson(gql, editor)
    await http.post("/graphql", json={"query": LESSONS, "variables": {"first": 3}})
    with count_statements() as counter:
        response = await http.post("/graphql", json={"query": LESSONS, "variables": {"first": 3}})
    assert counter.count == 0 and response.json()["data"]["lessons"]["totalCount"] == 1
    assert response.headers["cache-control"] == "private, no-store" and "etag" not in response.headers


async def test_a_publish_is_visible_at_once(gql: GraphQLClient, http: httpx.AsyncClient) -> None:
    editor = await editor_token()
    lesson = await create_lesson(gql, editor)
    assert (await get(http, LESSONS, {"first": 5})).json()["data"]["lessons"]["totalCount"] == 0
    assert (await get(http, LESSONS, {"first": 5})).json()["data"]["lessons"]["totalCount"] == 0  # from the cache
    response = await http.post(
        "/graphql",
        json={"query": SET_STATUS, "variables": {"id": lesson["id"]}},
        headers={"Authorization": f"Bearer {editor}"},
    )
    assert response.json()["data"]["setLessonStatus"]["errors"] == []
    assert (await get(http, LESSONS, {"first": 5})).json()["data"]["lessons"]["totalCount"] == 1


async def test_a_draft_is_never_served_from_the_cache_to_anyone_else(
    gql: GraphQLClient, http: httpx.AsyncClient
) -> None:
    editor = await editor_token()
    await published_lesson(gql, editor, title="已发布")
    await create_lesson(gql, editor, title="草稿")
    as_editor = await get(http, LESSONS, {"first": 5}, token=editor)
    assert {e["node"]["title"] for e in as_editor.json()["data"]["lessons"]["edges"]} == {"已发布", "草稿"}
    assert as_editor.headers["cache-control"] == "private, no-store" and "etag" not in as_editor.headers
    anonymous = await get(http, LESSONS, {"first": 5})
    assert [e["node"]["title"] for e in anonymous.json()["data"]["lessons"]["edges"]] == ["已发布"]
    again_as_editor = await get(http, LESSONS, {"first": 5}, token=editor)  # the anonymous entry is not used either
    assert again_as_editor.json()["data"]["lessons"]["totalCount"] == 2


async def test_a_scheduled_publication_is_visible_at_once(gql: GraphQLClient, http: httpx.AsyncClient) -> None:
    import scheduler

    editor = await editor_token()
    lesson = await create_lesson(gql, editor)
    assert (await get(http, LESSONS, {"first": 5})).json()["data"]["lessons"]["totalCount"] == 0
    await ContentItem.filter(slug=lesson["slug"]).update(publish_at=datetime.now(UTC) - timedelta(seconds=1))
    bumped = asyncio.Event()
    version = caching_of(http).version

    async def on_change() -> None:
        await version.bump()
        bumped.set()

    async with scheduler.running(interval=0.05, on_change=on_change):
        await asyncio.wait_for(bumped.wait(), 5)
    assert (await get(http, LESSONS, {"first": 5})).json()["data"]["lessons"]["totalCount"] == 1


async def test_one_viewers_progress_is_never_cached(gql: GraphQLClient, http: httpx.AsyncClient) -> None:
    editor = await editor_token()
    lesson = await published_lesson(gql, editor)
    learner = await token_for("learner", Role.LEARNER)
    await http.post(
        "/graphql",
        json={"query": RECORD, "variables": {"id": lesson["id"]}},
        headers={"Authorization": f"Bearer {learner}"},
    )
    mine = await get(http, LESSON_PROGRESS, {"id": lesson["id"]}, token=learner)
    assert mine.json()["data"]["lesson"]["viewerProgress"] == {"secondsSpent": 60}
    assert mine.headers["cache-control"] == "private, no-store"
    for _ in range(2):
        anonymous = await get(http, LESSON_PROGRESS, {"id": lesson["id"]})
        assert anonymous.json()["data"]["lesson"]["viewerProgress"] is None
        assert anonymous.headers["cache-control"] == "private, no-store" and "etag" not in anonymous.headers


async def test_a_consultation_and_node_reads_are_never_cached(db: str, http: httpx.AsyncClient) -> None:
    chosen = await cf.expert("wangexpert")
    person = await cf.client("liclient")
    consultation = await cf.thread(person, chosen, subject="睡不着")
    gid = cf.gid("Consultation", consultation.id)
    mine = await get(http, CONSULTATION, {"id": gid}, token=person.token)
    assert mine.json()["data"]["consultation"]["subject"] == "睡不着"
    assert mine.headers["cache-control"] == "private, no-store"
    for query in (CONSULTATION, NODE):
        for _ in range(2):
            anonymous = await get(http, query, {"id": gid})
            assert "睡不着" not in anonymous.text
            assert anonymous.headers["cache-control"] == "private, no-store"


async def test_two_languages_get_two_answers_and_one_language_one_entry(
    gql: GraphQLClient, http: httpx.AsyncClient
) -> None:
    editor = await editor_token()
    original = await published_lesson(gql, editor, title="如何拒绝")
    await published_lesson(gql, editor, title="How to refuse", locale="en", translationOfId=original["id"])
    caching = caching_of(http)

    def titles(response: httpx.Response) -> list[str]:
        return [e["node"]["title"] for e in response.json()["data"]["lessons"]["edges"]]

    hits = caching.shortcut_hits
    for _ in range(2):  # a miss each, then the shortcut's hits: neither answers one language with the other
        for language, expected in (("en", ["How to refuse"]), ("zh-CN", ["如何拒绝"]), (None, ["如何拒绝"])):
            response = await get(http, LESSONS, {"first": 5}, headers={"accept-language": language} if language else {})
            assert titles(response) == expected, language
            assert response.headers["vary"] == "Accept, Accept-Language, Authorization, Beacon-Preview, Origin"
    assert caching.shortcut_hits == hits + 3
    # Other headers that negotiate the same locale share its entry: answered without running anything.
    for language, expected in (("en-GB,en;q=0.9", ["How to refuse"]), ("zh-Hans", ["如何拒绝"])):
        with count_statements() as counter:
            response = await get(http, LESSONS, {"first": 5}, headers={"accept-language": language})
        assert counter.count == 0 and titles(response) == expected, language


async def test_authenticated_public_reads_get_no_store(gql: GraphQLClient, http: httpx.AsyncClient) -> None:
    learner = await token_for("learner", Role.LEARNER)
    for _ in range(2):
        response = await get(http, LESSONS, {"first": 5}, token=learner)
        assert response.headers["cache-control"] == "private, no-store" and "etag" not in response.headers


# --- the cache-hit shortcut (caching/shortcut.py) ----------------------------------------------


def _headers(response: httpx.Response) -> dict[str, str]:
    return {k: v for k, v in response.headers.items() if k != "x-request-id"}


async def test_the_shortcut_answers_a_repeated_read_exactly_as_the_full_stack(
    gql: GraphQLClient, http: httpx.AsyncClient
) -> None:
    editor = await editor_token()
    await published_lesson(gql, editor)
    caching = caching_of(http)
    for send in (
        lambda variables: http.get(
            "/graphql", params={"query": LESSONS, "variables": variables}, headers={"accept": "application/json"}
        ),
        lambda variables: http.post(
            "/graphql",
            content=json.dumps({"query": LESSONS, "variables": json.loads(variables)}),
            headers={"content-type": "application/json"},
        ),
        lambda variables: http.get(
            "/graphql",
            params={"query": LESSONS, "variables": variables},
            headers={"accept": "application/graphql-response+json"},
        ),
    ):
        await send('{"first": 5}')  # a miss: runs, stores, and remembers these request bytes
        full = await send('{ "first" : 5 }')  # other bytes, same cache entry: a hit through the whole stack
        hits = caching.shortcut_hits
        with count_statements() as counter:
            short = await send('{"first": 5}')
        assert caching.shortcut_hits == hits + 1 and counter.count == 0
        assert short.status_code == full.status_code == 200 and short.content == full.content
        assert _headers(short) == _headers(full) and short.headers["x-request-id"] != full.headers["x-request-id"]
    etag = short.headers["etag"]
    not_modified = await http.get(
        "/graphql",
        params={"query": LESSONS, "variables": '{"first": 5}'},
        headers={"accept": "application/json", "if-none-match": etag},
    )
    assert not_modified.status_code == 304 and not_modified.content == b"" and caching.shortcut_hits == hits + 2


async def test_the_shortcut_never_answers_a_credential_or_a_changed_version(
    gql: GraphQLClient, http: httpx.AsyncClient
) -> None:
    editor = await editor_token()
    await published_lesson(gql, editor, title="已发布")
    await create_lesson(gql, editor, title="草稿")
    caching = caching_of(http)
    for _ in range(2):
        await get(http, LESSONS, {"first": 5})
    hits = caching.shortcut_hits
    as_editor = await get(http, LESSONS, {"first": 5}, token=editor)
    assert (
        as_editor.json()["data"]["lessons"]["totalCount"] == 2
        and as_editor.headers["cache-control"] == "private, no-store"
    )
    assert caching.shortcut_hits == hits
    await caching.version.bump()
    with count_statements() as counter:
        after_change = await get(http, LESSONS, {"first": 5})
    assert (
        counter.count > 0
        and caching.shortcut_hits == hits
        and after_change.json()["data"]["lessons"]["totalCount"] == 1
    )


async def test_the_shortcut_adds_the_cors_headers_the_full_stack_adds(gql: GraphQLClient, settings: Settings) -> None:
    editor = await editor_token()
    await published_lesson(gql, editor)
    for origins in (("https://portal.example",), ("*",)):
        async for http in _client(replace(settings, response_cache=True, cors_origins=origins)):
            caching = caching_of(http)
            for origin in ("https://portal.example", "https://elsewhere.example"):

                async def send(variables: str, http: httpx.AsyncClient = http, origin: str = origin) -> httpx.Response:
                    headers = {"accept": "application/json", "origin": origin}
                    return await http.get(
                        "/graphql", params={"query": LESSONS, "variables": variables}, headers=headers
                    )

                await send('{"first": 5}')
                full = await send('{ "first" : 5 }')
                hits = caching.shortcut_hits
                short = await send('{"first": 5}')
                assert caching.shortcut_hits == hits + 1 and short.content == full.content
                assert _headers(short) == _headers(full), (origins, origin)
                expected = "*" if origins == ("*",) else origin if origin in origins else None
                assert short.headers.get("access-control-allow-origin") == expected
                assert short.headers["access-control-expose-headers"] == "x-request-id"


async def test_the_shortcut_passes_a_body_it_read_on_to_the_app(http: httpx.AsyncClient, db: str) -> None:
    caching = caching_of(http)
    body = json.dumps({"query": HELLO}).encode()
    for _ in range(2):  # a miss, whose body the app must still receive; then a hit
        response = await http.post("/graphql", content=body, headers={"content-type": "application/json"})
        assert response.json() == {"data": {"tags": []}}
    assert caching.shortcut_hits == 1

    async def in_two_chunks() -> AsyncIterator[bytes]:
        yield body[:10]
        yield body[10:]

    chunked = await http.post("/graphql", content=in_two_chunks(), headers={"content-type": "application/json"})
    assert (
        chunked.json() == {"data": {"tags": []}} and caching.shortcut_hits == 1
    )  # no declared length: the normal path


@needs_redis
async def test_two_app_instances_share_the_cache_and_its_version_through_redis(
    gql: GraphQLClient, settings: Settings
) -> None:
    shared = replace(
        settings,
        response_cache=True,
        redis_url="redis://127.0.0.1:6379/0",
        events_prefix=f"beacon-test-{uuid.uuid4().hex}",
    )
    editor = await editor_token()
    lesson = await published_lesson(gql, editor)
    draft = await create_lesson(gql, editor, title="第二课")
    async for first in _client(shared):
        async for second in _client(shared):
            assert (await get(first, LESSONS, {"first": 5})).json()["data"]["lessons"]["totalCount"] == 1
            with count_statements() as counter:
                from_redis = await get(second, LESSONS, {"first": 5})
            assert counter.count == 0 and from_redis.json()["data"]["lessons"]["totalCount"] == 1
            # APQ registrations are shared as well.
            query = f"query Shared{uuid.uuid4().hex[:8]} {{ tags {{ name }} }}"
            await first.post("/graphql", json={"query": query, "extensions": apq(query)})
            assert (await second.post("/graphql", json={"extensions": apq(query)})).json() == {"data": {"tags": []}}
            # A publish through one instance is seen at once through the other.
            published = await second.post(
                "/graphql",
                json={"query": SET_STATUS, "variables": {"id": draft["id"]}},
                headers={"Authorization": f"Bearer {editor}"},
            )
            assert published.json()["data"]["setLessonStatus"]["errors"] == []
            assert (await get(first, LESSONS, {"first": 5})).json()["data"]["lessons"]["totalCount"] == 2
    assert lesson["id"]


async def test_fragments_of_public_fields_are_cached_and_one_private_field_anywhere_is_not(
    gql: GraphQLClient, http: httpx.AsyncClient
) -> None:
    editor = await editor_token()
    await published_lesson(gql, editor)
    public = {
        "named fragment": "query { lessons(first: 3) { ...Shelf } } fragment Shelf on LessonConnection { totalCount }",
        "inline fragment": "query { lessons(first: 3) { edges { node { ... on Lesson { title } } } } }",
        "fragment spread twice": (
            "query { a: lessons(first: 1) { ...Shelf } b: lessons(first: 2) { ...Shelf } } "
            "fragment Shelf on LessonConnection { totalCount edges { node { __typename title } } }"
        ),
        "chosen by operationName": "query Shelf { lessons(first: 3) { totalCount } } query Other { tags { name } }",
    }
    for name, query in public.items():
        params = {"operationName": "Shelf"} if "operationName" in name else {}
        response = await get(http, query, params=params)
        assert response.status_code == 200 and "errors" not in response.json(), (name, response.text)
        assert response.headers["cache-control"].startswith("public, max-age="), name
    lesson_id = (await gql.ok(LESSONS, {"first": 1}))["lessons"]["edges"][0]["node"]["id"]
    private = {
        "private field in a fragment": (
            "query($id: ID!) { lesson(id: $id) { ...Mine } } fragment Mine on Lesson { title viewerProgress { secondsSpent } }",
            {"id": lesson_id},
        ),
        "private field in an inline fragment": (
            "query($id: ID!) { lesson(id: $id) { ... on Lesson { viewerProgress { secondsSpent } } } }",
            {"id": lesson_id},
        ),
        "two operations, none chosen": ("query A { tags { name } } query B { tags { slug } }", None),
        "a mutation": ("mutation { logout { errors { code } } }", None),
    }
    for name, (query, variables) in private.items():
        response = await get(http, query, variables)
        assert not response.headers.get("cache-control", "").startswith("public"), name
