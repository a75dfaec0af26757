"""Uploading media through the multipart spec: refusals leave nothing behind; descriptions; listing."""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from pathlib import Path

import httpx
import pytest

from models.base import Role
from models.content import MediaAsset
from resolvers import accounts
from resolvers.accounts import actor_for
from resolvers.actor import Actor
from server import create_app
from settings import Settings
from tests.accounts.factories import make_user, token_for
from tests.content.factories import (
    editor_token,
    png_bytes,
    upload,
    upload_ok,
    wav_bytes,
)
from tests.helpers import GraphQLClient

UPDATE_MEDIA = """
mutation Describe($id: ID!, $input: MediaInput!) {
  updateMedia(id: $id, input: $input) { asset { title altText transcript } errors { field code } }
}"""
MEDIA_ASSETS = "query { mediaLibrary(kind: IMAGE) { totalCount edges { node { id kind } } } }"


def _stored_files(data_dir: Path) -> list[Path]:
    root = data_dir / "media"
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


async def test_a_renamed_executable_is_refused_and_leaves_nothing(gql: GraphQLClient, data_dir: Path) -> None:
    editor = await editor_token()
    elf = b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 4096
    status, body = await upload(gql, editor, elf, "holiday.jpg", "image/jpeg")
    assert status == 200
    assert body["data"]["uploadMedia"]["asset"] is None
    assert [e["code"] for e in body["data"]["uploadMedia"]["errors"]] == ["UNSUPPORTED_FORMAT"]
    assert await MediaAsset.all().count() == 0
    assert _stored_files(data_dir) == []


@pytest.fixture
async def small_limit_gql(settings: Settings) -> GraphQLClient:
    small = Settings(
        database_url=settings.database_url,
        data_dir=settings.data_dir,
        secret_key=settings.secret_key,
        max_upload_bytes=10_000,
    )
    transport = httpx.ASGITransport(app=create_app(small, manage_database=False))
    return GraphQLClient(httpx.AsyncClient(transport=transport, base_url="http://beacon.test"))


async def test_an_oversize_upload_is_refused_and_leaves_nothing(small_limit_gql: GraphQLClient, data_dir: Path) -> None:
    editor = await editor_token()
    big = png_bytes((1200, 1200), "white") + b"\x00" * 20_000
    status, body = await upload(small_limit_gql, editor, big, "big.png", "image/png")
    assert status == 200
    assert [e["code"] for e in body["data"]["uploadMedia"]["errors"]] == ["TOO_LARGE"]
    far_too_big = b"\x89PNG" + b"\x00" * 200_000
    status, body = await upload(small_limit_gql, editor, far_too_big, "huge.png", "image/png")
    assert status == 413 and body["errors"][0]["extensions"]["code"] == "TOO_LARGE"
    assert await MediaAsset.all().count() == 0
    assert _stored_files(data_dir) == []
    await small_limit_gql.http.aclose()


async def test_multipart_without_a_preflight_header_is_refused(
    gql: GraphQLClient,
) -> None:
    editor = await editor_token()
    status, _ = await upload(gql, editor, png_bytes(), "a.png", "image/png", headers={})
    assert status == 400
    status, body = await upload(
        gql,
        editor,
        png_bytes(),
        "a.png",
        "image/png",
        headers={"X-Apollo-Operation-Name": "Upload"},
    )
    assert status == 200 and body["data"]["uploadMedia"]["errors"] == []


async def test_identical_bytes_are_stored_once(gql: GraphQLClient, data_dir: Path) -> None:
    editor = await editor_token()
    image = png_bytes()
    first = await upload_ok(gql, editor, image, "a.png")
    second = await upload_ok(gql, editor, image, "b.png")
    assert first["sha256"] == second["sha256"] and first["id"] != second["id"]
    assert len(_stored_files(data_dir)) == 1


async def test_only_editors_upload_and_list_media(gql: GraphQLClient) -> None:
    learner = await token_for("learner", Role.LEARNER)
    _, body = await upload(gql, learner, png_bytes(), "a.png")
    assert [e["code"] for e in body["data"]["uploadMedia"]["errors"]] == ["FORBIDDEN"]
    assert (await gql(MEDIA_ASSETS, token=learner)).codes == ["FORBIDDEN"]
    editor = await editor_token()
    asset = await upload_ok(gql, editor, png_bytes(), "a.png")
    await upload_ok(gql, editor, wav_bytes(), "tone.wav")
    listed = await gql.ok(MEDIA_ASSETS, token=editor)
    assert listed["mediaLibrary"]["edges"] == [{"node": {"id": asset["id"], "kind": "IMAGE"}}]


async def test_editors_describe_media(gql: GraphQLClient) -> None:
    editor = await editor_token()
    audio = await upload_ok(gql, editor, wav_bytes(), "tone.wav", title="铃声")
    data = await gql.ok(
        UPDATE_MEDIA,
        {"id": audio["id"], "input": {"transcript": "【旁白】欢迎。"}},
        token=editor,
    )
    assert data["updateMedia"]["asset"] == {
        "title": "铃声",
        "altText": None,
        "transcript": "【旁白】欢迎。",
    }


async def test_unknown_media_paths_are_404(gql: GraphQLClient) -> None:
    response = await gql.http.get("/media/" + "a" * 64 + ".png")
    assert response.status_code == 404


async def test_private_media_is_served_only_when_its_domain_allows(gql: GraphQLClient, settings: Settings) -> None:
    from resolvers.consultations import consent
    from resolvers.content import media as media_service
    from resolvers.content.quotas import UploadLimits

    async def one_chunk() -> AsyncIterator[bytes]:
        yield png_bytes(color="red")

    storage = media_service.storage_for(settings.media_dir)
    client = await make_user("client", Role.CLIENT)
    await consent.accept(actor_for(client), await consent.current_version() or 0)  # attachments need it (11.7)
    limits = UploadLimits.from_settings(settings)
    asset = await media_service.upload(actor_for(client), storage, one_chunk(), limits=limits, is_private=True)
    url = media_service.url(asset)
    assert (await gql.http.get(url)).status_code == 404
    editor = await editor_token()
    assert (await gql(MEDIA_ASSETS, token=editor)).data["mediaLibrary"]["totalCount"] == 0

    async def owner_only(actor: Actor, ids: Sequence[int]) -> bool:
        return actor.user_id == client.id

    media_service.private_media_checks.append(owner_only)
    try:
        token = await token_for("someone", Role.LEARNER)
        assert (await gql.http.get(url, headers={"Authorization": f"Bearer {token}"})).status_code == 404
        session = await accounts._open_session(client)
        allowed = await gql.http.get(url, headers={"Authorization": f"Bearer {session.token}"})
        assert allowed.status_code == 200 and "private" in allowed.headers["cache-control"]
    finally:
        media_service.private_media_checks.remove(owner_only)


@pytest.fixture
async def media_inserts_fail(backend: str) -> AsyncIterator[None]:
    """A real database that refuses new media rows (a trigger), as a full or broken database would."""
    from models.sql import client

    connection = client()
    if backend == "sqlite":
        await connection.execute_script(
            "CREATE TRIGGER refuse_media BEFORE INSERT ON media_asset BEGIN SELECT RAISE(ABORT, 'refused by test trigger'); END;"
        )
    else:
        await connection.execute_script(
            "CREATE FUNCTION refuse_media() RETURNS trigger AS $$ BEGIN RAISE EXCEPTION 'refused by test trigger'; END $$ LANGUAGE plpgsql;"
            "CREATE TRIGGER refuse_media BEFORE INSERT ON media_asset FOR EACH ROW EXECUTE FUNCTION refuse_media();"
        )
    try:
        yield
    finally:
        if backend == "sqlite":
            await connection.execute_script("DROP TRIGGER refuse_media;")
        else:
            await connection.execute_script("DROP TRIGGER refuse_media ON media_asset; DROP FUNCTION refuse_media();")


async def test_a_database_that_refuses_the_row_leaves_no_file(
    gql: GraphQLClient, data_dir: Path, media_inserts_fail: None
) -> None:
    editor = await editor_token()
    status, body = await upload(gql, editor, png_bytes(), "poster.png", "image/png")
    assert status == 200 and (body.get("data") or {}).get("uploadMedia") is None
    assert body["errors"][0]["extensions"]["code"] == "INTERNAL"
    assert "refused by test trigger" not in str(body)  # no database detail reaches the caller
    assert await MediaAsset.all().count() == 0
    assert _stored_files(data_dir) == []
