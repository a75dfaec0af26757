"""Fetching an attachment is reading the thread: the expert's fetch is audited as their message reads are
(EXPERT_READ naming the attachment, once per thread in 10 minutes), the client's own fetch is not, and a
signed link (MediaAsset.signedUrl, no header) leaves exactly what a bearer-header fetch leaves."""

from __future__ import annotations

import time

import pytest

from models.accounts import AuthToken
from models.consultations import ConsultationAudit
from models.content import MediaAsset, MediaKind
from resolvers import accounts
from resolvers.content import media as media_service
from settings import Settings
from tests.consultations import factories as f
from tests.consultations.test_consultations_access import SEND_WITH
from tests.content.factories import attachment_ok, png_bytes
from tests.helpers import GraphQLClient

OPENED_BY = "query($id: ID!) { consultation(id: $id) { openedBy { action actorDisplayName } } }"


class _Private:
    """A private file as the signer sees it."""

    def __init__(self, sha256: str) -> None:
        self.sha256, self.extension, self.is_private, self.kind = sha256, ".png", True, MediaKind.IMAGE


async def _fetch(gql: GraphQLClient, settings: Settings, who: f.Person, url: str, sha256: str, via: str) -> int:
    """Fetch the file as `who`: with the bearer header, or through a signed link of their sign-in."""
    if via == "header":
        return (await gql.http.get(url, headers={"Authorization": f"Bearer {who.token}"})).status_code
    session = await AuthToken.get(token_hash=accounts.secret_digest(who.token))
    actor = await accounts.session_actor(who.user_id, session.id)
    link = media_service.signed_url(actor, _Private(sha256), secret_key=settings.secret_key, now=time.time())
    assert link is not None
    return (await gql.http.get(link)).status_code  # no Authorization header, as an <img> fetches it


@pytest.mark.parametrize("via", ["header", "signed link"])
@pytest.mark.parametrize("sender", ["client", "expert"])
async def test_an_expert_fetch_is_audited_and_the_clients_is_not(
    gql: GraphQLClient, settings: Settings, sender: str, via: str
) -> None:
    chosen = await f.expert("xuexpert")
    me = await f.client("ming")
    c = await f.thread(me, chosen)
    cid = f.gid("Consultation", c.id)
    author = me if sender == "client" else chosen
    asset = await attachment_ok(gql, author.token, png_bytes(color="navy"), "scan.png")
    sent = (await gql.ok(SEND_WITH, {"c": cid, "a": [asset["id"]]}, token=author.token))["sendMessage"]
    assert sent["errors"] == []
    media_pk = (await MediaAsset.get(sha256=asset["sha256"])).id
    reads = ConsultationAudit.filter(action__in=["EXPERT_READ", "ADMIN_READ"])
    assert await reads.count() == 0

    # The client's own fetch (of their file or the expert's) is served and leaves no record at all.
    before = await ConsultationAudit.all().count()
    assert await _fetch(gql, settings, me, asset["url"], asset["sha256"], via) == 200
    assert await ConsultationAudit.all().count() == before

    # The expert's fetch is served and leaves one record naming the attachment, before the bytes go out;
    # their own upload too, once it is in the thread (as reading their own message is recorded).
    assert await _fetch(gql, settings, chosen, asset["url"], asset["sha256"], via) == 200
    recorded = await reads.values_list("consultation_id", "actor_user_id", "action", "detail", "reason")
    assert recorded == [(c.id, chosen.user_id, "EXPERT_READ", f"attachment {media_pk}", "")]
    # Fetched again within 10 minutes (an <img> reloaded, a video's next range): recorded once, as reads are.
    assert await _fetch(gql, settings, chosen, asset["url"], asset["sha256"], via) == 200
    assert await reads.count() == 1
    # The client sees it among who opened their consultation.
    opened = (await gql.ok(OPENED_BY, {"id": cid}, token=me.token))["consultation"]["openedBy"]
    assert opened == [{"action": "EXPERT_READ", "actorDisplayName": chosen.display_name}]
