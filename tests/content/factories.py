"""Arrange helpers for content tests: files, uploads through the multipart spec, lessons and stories."""

from __future__ import annotations

import io
import json
from typing import Any

from PIL import Image

from media.generate import courseware_pdf, tone_wav
from models.base import Role
from tests.helpers import GraphQLClient, token_for

UPLOAD = """
mutation Upload($file: Upload!, $input: MediaInput) {
  uploadMedia(file: $file, input: $input) {
    asset { id kind mimeType byteSize sha256 width height url title altText transcript }
    errors { field message code }
  }
}"""
CREATE_LESSON = """
mutation Create($input: LessonInput!) {
  createLesson(input: $input) { lesson { id slug locale status title bodyHtml } errors { field message code } }
}"""
CREATE_STORY = """
mutation Create($input: StoryInput!) {
  createStory(input: $input) { story { id slug status } errors { field message code } }
}"""
SET_LESSON_STATUS = """
mutation Status($id: ID!, $status: PublicationStatus!) {
  setLessonStatus(id: $id, status: $status) { lesson { id status publishedAt } errors { field message code } }
}"""
SET_STORY_STATUS = """
mutation Status($id: ID!, $status: PublicationStatus!) {
  setStoryStatus(id: $id, status: $status) { story { id status } errors { field message code } }
}"""


def png_bytes(size: tuple[int, int] = (800, 600), color: str = "teal") -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, color).save(out, "PNG")
    return out.getvalue()


def pdf_bytes() -> bytes:
    return courseware_pdf("Refusal skills", ["Say no", "Walk away"])


def wav_bytes() -> bytes:
    return tone_wav(0.5)


async def editor_token(name: str = "editor") -> str:
    return await token_for(name, Role.EDITOR)


async def upload(
    gql: GraphQLClient,
    token: str,
    data: bytes,
    filename: str,
    content_type: str = "application/octet-stream",
    media_input: dict[str, Any] | None = None,
    headers: dict[str, str] | None = None,
) -> tuple[int, dict[str, Any]]:
    """POST a GraphQL multipart request (the spec's operations/map/file parts), like an upload client."""
    operations = {"query": UPLOAD, "variables": {"file": None, "input": media_input}}
    response = await gql.http.post(
        "/graphql",
        data={
            "operations": json.dumps(operations),
            "map": json.dumps({"0": ["variables.file"]}),
        },
        files={"0": (filename, data, content_type)},
        headers={
            "Authorization": f"Bearer {token}",
            **({"Apollo-Require-Preflight": "true"} if headers is None else headers),
        },
    )
    return response.status_code, response.json()


async def upload_ok(gql: GraphQLClient, token: str, data: bytes, filename: str, **media_input: Any) -> dict[str, Any]:
    status, body = await upload(gql, token, data, filename, media_input=media_input or None)
    assert status == 200 and not body.get("errors"), body
    result = body["data"]["uploadMedia"]
    assert result["errors"] == [], result
    asset: dict[str, Any] = result["asset"]
    return asset


UPLOAD_ATTACHMENT = """
mutation Attach($file: Upload!) {
  uploadAttachment(file: $file) { asset { id kind url sha256 } errors { field message code } }
}"""


async def upload_attachment(
    gql: GraphQLClient, token: str | None, data: bytes, filename: str
) -> tuple[int, dict[str, Any]]:
    """uploadAttachment through the multipart spec; token None uploads anonymously."""
    operations = {"query": UPLOAD_ATTACHMENT, "variables": {"file": None}}
    response = await gql.http.post(
        "/graphql",
        data={"operations": json.dumps(operations), "map": json.dumps({"0": ["variables.file"]})},
        files={"0": (filename, data, "application/octet-stream")},
        headers={
            **({"Authorization": f"Bearer {token}"} if token else {}),
            "Apollo-Require-Preflight": "true",
        },
    )
    return response.status_code, response.json()


async def attachment_ok(gql: GraphQLClient, token: str, data: bytes, filename: str) -> dict[str, Any]:
    status, body = await upload_attachment(gql, token, data, filename)
    assert status == 200 and not body.get("errors"), body
    assert body["data"]["uploadAttachment"]["errors"] == [], body
    attached: dict[str, Any] = body["data"]["uploadAttachment"]["asset"]
    return attached


async def create_lesson(gql: GraphQLClient, token: str, **fields: Any) -> dict[str, Any]:
    payload = {
        "title": "拒绝毒品的五种方法",
        "section": "HANDBOOK",
        "body": "在聚会上有人递给你冰毒时，你可以说不。",
        **fields,
    }
    data = await gql.ok(CREATE_LESSON, {"input": payload}, token=token)
    assert data["createLesson"]["errors"] == [], data
    lesson: dict[str, Any] = data["createLesson"]["lesson"]
    return lesson


async def publish_lesson(gql: GraphQLClient, token: str, lesson_id: str) -> dict[str, Any]:
    data = await gql.ok(SET_LESSON_STATUS, {"id": lesson_id, "status": "PUBLISHED"}, token=token)
    assert data["setLessonStatus"]["errors"] == [], data
    lesson: dict[str, Any] = data["setLessonStatus"]["lesson"]
    return lesson


async def published_lesson(gql: GraphQLClient, token: str, **fields: Any) -> dict[str, Any]:
    lesson = await create_lesson(gql, token, **fields)
    await publish_lesson(gql, token, lesson["id"])
    return lesson


async def create_story(gql: GraphQLClient, token: str, **fields: Any) -> dict[str, Any]:
    payload = {
        "title": "阿城的康复之路",
        "kind": "RECOVERY_STORY",
        "body": "我第一次碰冰毒是二十六岁。",
        **fields,
    }
    data = await gql.ok(CREATE_STORY, {"input": payload}, token=token)
    assert data["createStory"]["errors"] == [], data
    story: dict[str, Any] = data["createStory"]["story"]
    return story
