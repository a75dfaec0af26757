"""Upload limits (issue 11.8): who may upload is decided from the headers before the body is read;
attachments are smaller than editors' media; per-person daily and lifetime totals and an hourly count;
concurrent uploads cannot overrun a quota together.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest

from models.base import Role
from models.content import MediaAsset
from server import create_app
from settings import Settings
from tests.accounts.factories import token_for
from tests.consultations.factories import consenting_token
from tests.content.factories import editor_token, upload, upload_attachment
from tests.helpers import GraphQLClient
from tests.media.media_samples import wav_header

MB = 1024 * 1024


def wav(size: int) -> bytes:
    """A valid WAV of `size` bytes: a header and silence."""
    return wav_header(size - 44) + bytes(size - 44)


@pytest.fixture
def limited(settings: Settings) -> Settings:
    return replace(settings, upload_daily_bytes=100_000, upload_total_bytes=150_000, uploads_per_hour=4)


@pytest.fixture
async def limited_gql(limited: Settings) -> AsyncIterator[GraphQLClient]:
    transport = httpx.ASGITransport(app=create_app(limited, manage_database=False), client=("203.0.113.9", 5000))
    async with httpx.AsyncClient(transport=transport, base_url="http://beacon.test") as http:
        yield GraphQLClient(http)


ATTACH = "mutation($file: Upload!) { uploadAttachment(file: $file) { asset { id } errors { code } } }"
MULTIPART_HEAD = (
    b'--x\r\nContent-Disposition: form-data; name="operations"\r\n\r\n'
    + json.dumps({"query": ATTACH, "variables": {"file": None}}).encode()
    + b'\r\n--x\r\nContent-Disposition: form-data; name="map"\r\n\r\n{"0": ["variables.file"]}'
    + b'\r\n--x\r\nContent-Disposition: form-data; name="0"; filename="a.wav"\r\n'
    + b"Content-Type: audio/wav\r\n\r\n"
)


class Recorder:
    """Plays an ASGI multipart upload whose body would be `declared` bytes; counts what the app reads of it."""

    def __init__(self, declared: int, *, chunk: int = 64 * 1024, chunked: bool = False) -> None:
        self.declared = declared
        self.chunk = chunk
        self.chunked = chunked
        self.read = 0
        self.status: int | None = None
        self.body = b""

    async def receive(self) -> dict[str, Any]:
        if self.read >= self.declared:
            await asyncio.sleep(3600)  # a client that went quiet: only a disconnect ends the wait
        piece = MULTIPART_HEAD if self.read == 0 else bytes(min(self.chunk, self.declared - self.read))
        self.read += len(piece)
        return {"type": "http.request", "body": piece, "more_body": self.read < self.declared}

    async def send(self, message: dict[str, Any]) -> None:
        if message["type"] == "http.response.start":
            self.status = message["status"]
        elif message["type"] == "http.response.body":
            self.body += message.get("body", b"")

    async def post(self, settings: Settings, token: str | None) -> dict[str, Any]:
        headers = [
            (b"content-type", b"multipart/form-data; boundary=x"),
            (b"apollo-require-preflight", b"true"),
            (b"host", b"beacon.test"),
        ]
        if not self.chunked:
            headers.append((b"content-length", str(self.declared).encode()))
        if token:
            headers.append((b"authorization", f"Bearer {token}".encode()))
        scope = {
            "type": "http",
            "asgi": {"version": "3.0"},
            "http_version": "1.1",
            "method": "POST",
            "scheme": "http",
            "path": "/graphql",
            "raw_path": b"/graphql",
            "query_string": b"",
            "root_path": "",
            "headers": headers,
            "client": ("203.0.113.9", 5000),
            "server": ("beacon.test", 80),
        }
        await asyncio.wait_for(create_app(settings, manage_database=False)(scope, self.receive, self.send), 60)
        return json.loads(self.body)  # type: ignore[no-any-return]  # parsed JSON is Any


@pytest.mark.parametrize(
    ("who", "status", "code"),
    [("anonymous", 401, "UNAUTHENTICATED"), ("teacher", 403, "FORBIDDEN"), ("learner", 413, "TOO_LARGE")],
)
async def test_an_upload_is_refused_from_its_headers_before_its_body_is_read(
    settings: Settings, who: str, status: int, code: str
) -> None:
    # 100 MiB declared: anonymous importQuestions used to read it all before the role check.
    if who == "anonymous":
        token = None
    elif who == "teacher":
        token = await token_for(who, Role.TEACHER)
    else:
        token = await consenting_token(who)  # attachments need one's own consent (11.7)
    request = Recorder(100 * MB)

    answer = await request.post(settings, token)

    assert (request.status, answer["errors"][0]["extensions"]["code"]) == (status, code)
    assert request.read == 0


async def test_a_body_without_a_declared_length_is_cut_off_at_the_callers_allowance(settings: Settings) -> None:
    token = await consenting_token("learner")
    request = Recorder(60 * MB, chunked=True)

    answer = await request.post(settings, token)

    assert (request.status, answer["errors"][0]["extensions"]["code"]) == (413, "TOO_LARGE")
    assert request.read <= settings.max_attachment_bytes + 2 * 64 * 1024 + request.chunk


async def test_attachments_are_20_mb_by_default_while_editors_send_larger_media(gql: GraphQLClient) -> None:
    assert Settings.max_attachment_bytes == 20 * MB
    big = wav(21 * MB)
    learner = await consenting_token("learner")

    status, refused = await upload_attachment(gql, learner, big, "voice.wav")
    status_editor, accepted = await upload(gql, await editor_token(), big, "lesson.wav", "audio/wav")

    assert (status, refused["errors"][0]["extensions"]["code"]) == (413, "TOO_LARGE")
    assert status_editor == 200 and accepted["data"]["uploadMedia"]["errors"] == []
    assert await MediaAsset.filter(byte_size__gt=20 * MB).count() == 1


async def test_a_person_has_a_daily_and_a_lifetime_total(limited_gql: GraphQLClient) -> None:
    learner = await consenting_token("learner")
    for _ in range(2):
        _, body = await upload_attachment(limited_gql, learner, wav(40_000), "a.wav")
        assert body["data"]["uploadAttachment"]["errors"] == [], body

    _, body = await upload_attachment(limited_gql, learner, wav(40_000), "a.wav")
    errors = body["data"]["uploadAttachment"]["errors"]
    assert [(e["code"], e["field"]) for e in errors] == [("TOO_LARGE", "file")]
    assert "a day" in errors[0]["message"]

    await MediaAsset.all().update(created_at=datetime.now(UTC) - timedelta(days=2))
    _, body = await upload_attachment(limited_gql, learner, wav(40_000), "a.wav")
    assert body["data"]["uploadAttachment"]["errors"] == [], body  # a new day
    _, body = await upload_attachment(limited_gql, learner, wav(40_000), "a.wav")
    errors = body["data"]["uploadAttachment"]["errors"]
    assert [(e["code"], "in all" in e["message"]) for e in errors] == [("TOO_LARGE", True)]
    assert await MediaAsset.all().count() == 3


async def test_a_person_uploads_a_bounded_number_of_files_an_hour(limited_gql: GraphQLClient) -> None:
    learner = await consenting_token("learner")
    for _ in range(4):
        _, body = await upload_attachment(limited_gql, learner, wav(1_000), "a.wav")
        assert body["data"]["uploadAttachment"]["errors"] == [], body

    status, refused = await upload_attachment(limited_gql, learner, wav(1_000), "a.wav")

    assert (status, refused["errors"][0]["extensions"]["code"]) == (429, "RATE_LIMITED")
    assert await MediaAsset.all().count() == 4
    other = await consenting_token("other")  # counted per person, not per address
    status, body = await upload_attachment(limited_gql, other, wav(1_000), "a.wav")
    assert body["data"]["uploadAttachment"]["errors"] == [], body


async def test_concurrent_uploads_cannot_overrun_a_quota_together(limited_gql: GraphQLClient) -> None:
    learner = await consenting_token("learner")

    results = await asyncio.gather(
        *(upload_attachment(limited_gql, learner, wav(40_000), f"{i}.wav") for i in range(4))
    )

    codes = sorted(tuple(e["code"] for e in body["data"]["uploadAttachment"]["errors"]) for _, body in results)
    assert codes == [(), (), ("TOO_LARGE",), ("TOO_LARGE",)]
    stored = await MediaAsset.all().values_list("byte_size", flat=True)
    assert len(stored) == 2 and sum(stored) <= 100_000
