"""Signed links to attachments: an <img>/<video> can show a private file without an Authorization header.

The link is for one file, one viewer and one sign-in, lives 5 minutes, dies with the sign-in, and its
fetch is checked and audited exactly like an authenticated fetch.
"""

from __future__ import annotations

import time
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from models.consultations import ConsultationAudit
from models.content import MediaKind
from resolvers.accounts import session_actor
from resolvers.content import media as media_service
from settings import Settings
from tests.consultations.test_consultations_access import OUTSIDERS, SEND_WITH, Scene, _scene
from tests.content.factories import attachment_ok, png_bytes, upload_ok
from tests.helpers import GraphQLClient

SIGNED = "query($id: ID!) { node(id: $id) { ... on Message { attachments { id url signedUrl } } } }"
LOGOUT = "mutation { logout { ok } }"


async def _sent(gql: GraphQLClient) -> tuple[Scene, dict[str, Any], str]:
    scene = await _scene()
    asset = await attachment_ok(gql, scene.tokens["expert"] or "", png_bytes(color="navy"), "scan.png")
    sent = (
        await gql.ok(SEND_WITH, {"c": scene.ids["consultation"], "a": [asset["id"]]}, token=scene.tokens["expert"])
    )["sendMessage"]
    return scene, asset, sent["message"]["id"]


async def _signed(gql: GraphQLClient, message_id: str, token: str | None, reason: str | None = None) -> str | None:
    headers = {"Beacon-Access-Reason": reason} if reason else None
    node = (await gql(SIGNED, {"id": message_id}, token=token, headers=headers)).data["node"]
    link: str | None = node["attachments"][0]["signedUrl"]
    return link


async def test_a_signed_link_shows_the_file_without_a_header_to_its_viewer_only(gql: GraphQLClient) -> None:
    scene, asset, message_id = await _sent(gql)
    link = await _signed(gql, message_id, scene.tokens["client"])
    assert link is not None and link.startswith(asset["url"] + "?")
    shown = await gql.http.get(link)  # no Authorization header, as an <img> would fetch it
    assert shown.status_code == 200 and shown.content == png_bytes(color="navy")
    assert shown.headers["cache-control"] == "private, no-store"
    assert (await gql.http.get(asset["url"])).status_code == 404  # the bare URL still needs the header

    missing = await gql.http.get("/media/" + "b" * 64 + ".png")
    query = parse_qs(urlsplit(link).query)
    other = await upload_ok(gql, scene.tokens["editor"] or "", png_bytes(color="plum"), "p.png")
    viewer, sig = query["viewer"][0], query["sig"][0]
    user_id, token_id, expires = viewer.split(".")
    forged = {
        "another file": f"{other['url']}?viewer={viewer}&sig={sig}",
        "another viewer": f"{asset['url']}?viewer={int(user_id) + 1}.{token_id}.{expires}&sig={sig}",
        "a longer life": f"{asset['url']}?viewer={user_id}.{token_id}.{int(expires) + 3600}&sig={sig}",
        "a changed signature": f"{asset['url']}?viewer={viewer}&sig={'0' * 64}",
        "no viewer": f"{asset['url']}?sig={sig}",
    }
    for what, url in forged.items():
        refused = await gql.http.get(url)
        assert refused.status_code == 401, what
        assert refused.json()["errors"][0]["extensions"]["reason"] == "link_invalid", what
    assert missing.status_code == 404

    # Outsiders get no link, and public files need none.
    for who in OUTSIDERS:
        assert (await gql(SIGNED, {"id": message_id}, token=scene.tokens[who])).data["node"] is None, who
    public = "query($id: ID!) { node(id: $id) { ... on MediaAsset { signedUrl } } }"
    assert (await gql.ok(public, {"id": other["id"]}, token=scene.tokens["editor"]))["node"] == {"signedUrl": None}


async def test_signing_out_ends_the_link(gql: GraphQLClient) -> None:
    scene, _asset, message_id = await _sent(gql)
    token = scene.tokens["client"]
    link = await _signed(gql, message_id, token)
    assert link is not None and (await gql.http.get(link)).status_code == 200
    await gql.ok(LOGOUT, token=token)
    ended = await gql.http.get(link)
    assert ended.status_code == 401 and ended.json()["errors"][0]["extensions"]["reason"] == "revoked"


@pytest.mark.parametrize("age", [301, 3600])
async def test_an_expired_link_is_refused(gql: GraphQLClient, settings: Settings, age: int) -> None:
    scene, asset, message_id = await _sent(gql)
    link = await _signed(gql, message_id, scene.tokens["client"])
    assert link is not None
    query = parse_qs(urlsplit(link).query)
    user_id, token_id, expires = query["viewer"][0].split(".")
    assert 0 < int(expires) - time.time() <= media_service.SIGNED_URL_SECONDS
    # The same link signed long enough ago to have expired (the server's own signer, at an earlier time).
    actor = await session_actor(int(user_id), int(token_id))
    old = media_service.signed_url(
        actor, _Private(asset["sha256"]), secret_key=settings.secret_key, now=time.time() - age
    )
    assert old is not None
    refused = await gql.http.get(old)
    assert refused.status_code == 401 and refused.json()["errors"][0]["extensions"]["reason"] == "link_expired"


class _Private:
    """A private file as the signer sees it."""

    def __init__(self, sha256: str) -> None:
        self.sha256, self.extension, self.is_private, self.kind = sha256, ".png", True, MediaKind.IMAGE


async def test_an_admins_link_carries_the_reason_into_the_audit_like_a_header_fetch(gql: GraphQLClient) -> None:
    scene, _asset, message_id = await _sent(gql)
    link = await _signed(gql, message_id, scene.tokens["admin"], reason="complaint 2025-17")
    assert link is not None
    audited = ConsultationAudit.filter(action="ADMIN_READ", detail__startswith="attachment", reason="complaint 2025-17")
    before = await audited.count()
    assert (await gql.http.get(link)).status_code == 200
    assert await audited.count() == before + 1
    # The reason is signed: dropping or changing it breaks the link instead of skipping the audit.
    for changed in (link.replace("&reason=complaint+2025-17", ""), link.replace("2025-17", "2025-18")):
        assert (await gql.http.get(changed)).status_code == 401
