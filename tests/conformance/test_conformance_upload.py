"""Uploads with a real multipart client, CSRF for multipart, served media headers, a disk refusing writes."""

from __future__ import annotations

import asyncio
import base64
import contextlib
import io
import json
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from gql import Client, FileVar, gql
from gql.transport.httpx import HTTPXAsyncTransport

from models.accounts import User
from models.content import MediaAsset
from tests.conformance.conftest import run_node
from tests.content.factories import UPLOAD, editor_token, pdf_bytes, png_bytes, upload, wav_bytes
from tests.helpers import GraphQLClient
from tests.live import LiveServer

REGISTER = """mutation { register(input: {username: "csrfvictim", password: "correct horse battery", displayName: "x"}) {
  token errors { code } } }"""


def stored_files(media_dir: Path) -> list[Path]:
    return [p for p in media_dir.rglob("*") if p.is_file()] if media_dir.exists() else []


async def gql_upload(server: LiveServer, token: str, data: bytes, filename: str, content_type: str) -> dict[str, Any]:
    """The `gql` client's own file upload (GraphQL multipart request spec) over its httpx transport."""
    transport = HTTPXAsyncTransport(
        url=server.graphql,
        headers={"Authorization": f"Bearer {token}", "Apollo-Require-Preflight": "true"},
        timeout=20,
    )
    async with Client(transport=transport) as session:
        request = gql(UPLOAD)
        request.variable_values = {
            "file": FileVar(io.BytesIO(data), filename=filename, content_type=content_type),
            "input": {"title": filename},
        }
        result: dict[str, Any] = await session.execute(request, upload_files=True)
        return result


async def test_gql_client_uploads_and_media_is_served_safely(
    once: None, db: str, live_server: LiveServer, data_dir: Path
) -> None:
    editor = await editor_token()
    image = png_bytes((64, 48), "teal")
    uploaded = (await gql_upload(live_server, editor, image, "海报.png", "image/png"))["uploadMedia"]
    assert uploaded["errors"] == []
    asset = uploaded["asset"]
    assert (asset["kind"], asset["mimeType"], asset["byteSize"], asset["width"], asset["height"], asset["title"]) == (
        "IMAGE",
        "image/png",
        len(image),
        64,
        48,
        "海报.png",
    )
    document = (await gql_upload(live_server, editor, pdf_bytes(), "课件.pdf", "application/pdf"))["uploadMedia"]
    assert document["errors"] == [] and document["asset"]["kind"] == "DOCUMENT"
    assert len(stored_files(data_dir / "media")) == 2

    async with httpx.AsyncClient(base_url=live_server.url, timeout=30) as http:
        served = await http.get(asset["url"])
        assert served.status_code == 200 and served.content == image
        assert served.headers["content-type"] == "image/png"
        assert served.headers["content-security-policy"] == "default-src 'none'; sandbox"
        assert served.headers["x-content-type-options"] == "nosniff"
        assert served.headers["content-disposition"] == "inline"
        pdf = await http.get(document["asset"]["url"])
        # A PDF viewer runs scripts: downloaded, never rendered in Beacon's origin.
        assert pdf.status_code == 200 and pdf.headers["content-disposition"] == "attachment"
        assert pdf.headers["content-security-policy"] == "default-src 'none'; sandbox"
        assert pdf.headers["x-content-type-options"] == "nosniff"


async def test_multipart_without_a_preflight_header_runs_nothing(gql: GraphQLClient, data_dir: Path) -> None:
    """A cross-site form can post multipart/form-data without a CORS preflight; without the header nothing runs."""
    editor = await editor_token()
    for operations, files in (
        ({"query": UPLOAD, "variables": {"file": None}}, {"0": ("a.png", png_bytes(), "image/png")}),
        ({"query": REGISTER, "variables": {}}, {"0": ("x.txt", b"x", "text/plain")}),
    ):
        response = await gql.http.post(
            "/graphql",
            data={"operations": json.dumps(operations), "map": json.dumps({"0": ["variables.file"]})},
            files=files,
            headers={"Authorization": f"Bearer {editor}"},
        )
        assert response.status_code == 400
        assert "Apollo-Require-Preflight" in response.json()["errors"][0]["message"]
    assert await MediaAsset.all().count() == 0
    assert stored_files(data_dir / "media") == []
    assert not await User.filter(username="csrfvictim").exists()


@pytest.mark.parametrize(
    ("headers", "accepted"),
    [
        ({"Apollo-Require-Preflight": "true"}, True),  # what docs/media.md tells Apollo Client users to add
        ({"X-Apollo-Operation-Name": "UploadPoster"}, True),  # the alternative it names
        ({}, False),  # Apollo Client's and apollo-upload-client's defaults: no such header
        ({"Apollo-Require-Preflight": ""}, False),  # an empty value does not count (as in Apollo Server)
    ],
)
async def test_apollo_client_uploads_with_the_documented_headers_and_not_without(
    once: None, node: str, live_server: LiveServer, data_dir: Path, headers: dict[str, str], accepted: bool
) -> None:
    """Apollo Client (@apollo/client) with apollo-upload-client's UploadHttpLink, run by Node against a live server."""
    editor = await editor_token()
    spec = {
        "url": live_server.graphql,
        "token": editor,
        "headers": headers,
        "png": base64.b64encode(png_bytes((32, 24), "navy")).decode(),
    }
    done = await asyncio.to_thread(run_node, node, "upload_apollo.mjs", json.dumps(spec))
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout.strip().splitlines()[-1])
    if accepted:
        upload = result["data"]["uploadMedia"]
        assert upload["errors"] == [] and upload["asset"]["kind"] == "IMAGE" and upload["asset"]["title"] == "海报"
        assert await MediaAsset.all().count() == 1 and len(stored_files(data_dir / "media")) == 1
    else:
        error = result["error"]
        assert (error["name"], error["statusCode"]) == ("ServerError", 400), result
        body = json.loads(error["bodyText"])
        assert body["errors"][0]["extensions"]["code"] == "BAD_REQUEST"
        assert "Apollo-Require-Preflight" in body["errors"][0]["message"]
        assert await MediaAsset.all().count() == 0 and stored_files(data_dir / "media") == []


@contextlib.contextmanager
def tiny_filesystem(where: Path) -> Iterator[None]:
    """A 64 KB tmpfs mounted on the media folder (needs root and mount; skipped otherwise)."""
    where.mkdir(parents=True, exist_ok=True)
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(where)], capture_output=True, check=False
    )
    if mounted.returncode != 0:
        pytest.skip(
            f"cannot mount a tiny tmpfs here ({mounted.stderr.decode().strip()}): the full-disk case needs root"
        )
    try:
        yield
    finally:
        subprocess.run(["umount", "-l", str(where)], check=False)


@pytest.mark.parametrize("fault", ["full disk", "not a directory"])
async def test_a_disk_refusing_the_write_gives_a_user_error_and_leaves_nothing(
    gql: GraphQLClient, data_dir: Path, fault: str
) -> None:
    editor = await editor_token()
    media_dir = data_dir / "media"
    big = wav_bytes()  # a valid file
    with contextlib.ExitStack() as stack:
        if fault == "full disk":
            stack.enter_context(tiny_filesystem(media_dir))
            from media.generate import tone_wav

            big = tone_wav(4.0)  # larger than the filesystem: ENOSPC part-way through the stream
            assert len(big) > 64 * 1024
        else:
            data_dir.mkdir(parents=True, exist_ok=True)  # noqa: ASYNC240 arranging files before the server starts
            media_dir.write_bytes(b"")  # the media folder's path is a regular file
        response = await gql.http.post(
            "/graphql",
            data={
                "operations": json.dumps({"query": UPLOAD, "variables": {"file": None}}),
                "map": json.dumps({"0": ["variables.file"]}),
            },
            files={"0": ("lesson.wav", big, "audio/wav")},
            headers={"Authorization": f"Bearer {editor}", "Apollo-Require-Preflight": "true"},
        )
        body = response.json()
        assert response.status_code == 200 and "errors" not in body, body
        payload = body["data"]["uploadMedia"]
        assert payload["asset"] is None
        expected = "has no room for this file" if fault == "full disk" else "could not save the file"
        assert [(e["code"], e["field"]) for e in payload["errors"]] == [("SERVICE_UNAVAILABLE", "file")]
        assert expected in payload["errors"][0]["message"]
        assert await MediaAsset.all().count() == 0
        if fault == "full disk":
            assert stored_files(media_dir) == []  # no partial .part file, nothing filed
    # Once the disk takes writes again, the same upload goes through: nothing was left half-done.
    if fault == "not a directory":
        media_dir.unlink()
    status, retried = await upload(gql, editor, big, "lesson.wav", "audio/wav")
    assert status == 200 and retried["data"]["uploadMedia"]["errors"] == [], retried
    assert await MediaAsset.all().count() == 1 and len(stored_files(media_dir)) == 1
