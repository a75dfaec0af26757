"""Absolute media URLs: with a public URL (or a CDN's media base) every media URL can be used as is."""

from __future__ import annotations

import dataclasses
from collections.abc import AsyncIterator
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import pytest

from resolvers.content import media as media_service
from server import create_app
from settings import Settings, load_settings
from tests.consultations.test_consultations_access import SEND_WITH, _scene
from tests.content.factories import attachment_ok, editor_token, png_bytes, published_lesson, upload_ok
from tests.helpers import GraphQLClient

CDN = "https://cdn.example.org/beacon"
COVER = "{ lessons(first: 1) { edges { node { coverImage { url variantUrl(width: 320) } } } } }"
SIGNED = "query($id: ID!) { node(id: $id) { ... on Message { attachments { url signedUrl } } } }"


@pytest.fixture
async def cdn_gql(settings: Settings) -> AsyncIterator[GraphQLClient]:
    transport = httpx.ASGITransport(
        app=create_app(dataclasses.replace(settings, media_url_base=CDN), manage_database=False)
    )
    try:
        yield GraphQLClient(httpx.AsyncClient(transport=transport, base_url="http://beacon.test"))
    finally:
        media_service.configure_urls("")  # the next app in this process starts root-relative


async def test_every_media_url_is_absolute_under_the_configured_base(cdn_gql: GraphQLClient) -> None:
    scene = await _scene()
    editor = scene.tokens["editor"] or ""
    cover = await upload_ok(cdn_gql, editor, png_bytes(), "poster.png", altText="宣传海报")
    assert cover["url"] == f"{CDN}/media/{cover['sha256']}.png"
    await published_lesson(cdn_gql, editor, title="认识毒品", coverImageId=cover["id"])
    shown = (await cdn_gql.ok(COVER))["lessons"]["edges"][0]["node"]["coverImage"]
    assert shown == {"url": cover["url"], "variantUrl": f"{CDN}/media/{cover['sha256']}/w320.png"}
    # The CDN forwards the path to Beacon unchanged: the path part is what Beacon serves.
    fetched = await cdn_gql.http.get(urlsplit(shown["variantUrl"]).path.removeprefix("/beacon"))
    assert fetched.status_code == 200

    asset = await attachment_ok(cdn_gql, scene.tokens["expert"] or "", png_bytes(color="navy"), "scan.png")
    sent = await cdn_gql.ok(
        SEND_WITH, {"c": scene.ids["consultation"], "a": [asset["id"]]}, token=scene.tokens["expert"]
    )
    node = (await cdn_gql.ok(SIGNED, {"id": sent["sendMessage"]["message"]["id"]}, token=scene.tokens["client"]))[
        "node"
    ]
    attachment = node["attachments"][0]
    assert attachment["url"].startswith(f"{CDN}/media/") and attachment["signedUrl"].startswith(attachment["url"] + "?")
    link = urlsplit(attachment["signedUrl"])
    through_cdn = await cdn_gql.http.get(f"{link.path.removeprefix('/beacon')}?{link.query}")
    assert through_cdn.status_code == 200 and through_cdn.content == png_bytes(color="navy")


async def test_the_console_may_show_media_from_the_base(cdn_gql: GraphQLClient, gql: GraphQLClient) -> None:
    policy = (await cdn_gql.http.get("/console/")).headers["content-security-policy"]
    assert "img-src 'self' blob: https://cdn.example.org;" in policy
    assert "media-src 'self' blob: https://cdn.example.org;" in policy
    assert "connect-src 'self' https://cdn.example.org;" in policy
    plain = (await gql.http.get("/console/")).headers["content-security-policy"]
    assert "img-src 'self' blob:;" in plain and "cdn" not in plain and "connect-src" not in plain


async def test_urls_stay_root_relative_without_a_base(gql: GraphQLClient) -> None:
    cover = await upload_ok(gql, await editor_token(), png_bytes(), "poster.png")
    assert cover["url"] == f"/media/{cover['sha256']}.png"


def test_the_base_comes_from_the_media_url_else_the_public_url(tmp_path: Path) -> None:
    base = {"BEACON_DATA_DIR": str(tmp_path), "BEACON_SECRET_KEY": "k" * 40}
    assert load_settings(base).media_url_base == ""
    assert load_settings({**base, "BEACON_PUBLIC_URL": "https://beacon.example.org/"}).media_url_base == (
        "https://beacon.example.org"
    )
    both = {**base, "BEACON_PUBLIC_URL": "https://beacon.example.org", "BEACON_MEDIA_URL": CDN + "/"}
    assert load_settings(both).media_url_base == CDN
