"""Apollo Client against a live server, as a web frontend uses Beacon (issue 12, "must show").

`apollo_client.mjs` (@apollo/client 4 and apollo-upload-client from npm, with playwright-core driving
Debian's Chromium) fetches a page of lessons in one locale, uploads an attachment with the documented
setup, shows it through its signed URL in an <img> and meets a rate limit; this test arranges the
data, runs it against `beacon serve` and asserts every step, and that the image's fetch was audited.
It runs on both backends: the paging, the audit and the upload allowance are database work.
"""

from __future__ import annotations

import asyncio
import base64
import json
import os
import shutil
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from models.base import Role
from models.consultations import ConsultationAudit
from models.content import MediaAsset
from tests.accounts.factories import token_for
from tests.conformance.conftest import run_node
from tests.consultations import factories as f
from tests.content.factories import editor_token, png_bytes, published_lesson
from tests.helpers import GraphQLClient
from tests.live import LiveServer

REASON = "complaint 2026-031: the client asked us to check the scan"


def chromium() -> str | None:
    """Debian's Chromium (or BEACON_CHROMIUM), as the console's browser tests find it."""
    candidates = [os.environ.get("BEACON_CHROMIUM"), "/usr/bin/chromium", shutil.which("chromium")]
    return next((c for c in candidates if c and Path(c).exists()), None)


async def test_apollo_client_reads_a_locale_uploads_shows_a_signed_attachment_and_meets_a_rate_limit(
    node: str, db: str, data_dir: Path, gql: GraphQLClient
) -> None:
    browser = chromium()
    if browser is None:
        pytest.skip("no Chromium found (apt-get install chromium, or set BEACON_CHROMIUM)")
    editor = await editor_token()
    english = [await published_lesson(gql, editor, title=f"Saying no {i}", locale="en") for i in range(3)]
    for i in range(2):  # translations: an English list shows each work once, in English
        await published_lesson(gql, editor, title=f"拒绝毒品 {i}", locale="zh-CN", translationOfId=english[i]["id"])
    expert = await f.expert("apollo-expert")
    person = await f.client("apollo-client")
    consultation = await f.thread(person, expert)
    admin = await token_for("apollo-admin", Role.ADMIN)
    image = png_bytes((40, 30), "navy")

    # One upload an hour for non-staff (a real limit, lowered), and absolute media URLs.
    server = LiveServer(db, data_dir, env={"BEACON_UPLOADS_PER_HOUR": "1"})
    server.environ["BEACON_PUBLIC_URL"] = server.url
    with server:
        spec = {
            "url": server.graphql,
            "locale": "en",
            "first": 2,
            "clientToken": person.token,
            "adminToken": admin,
            "reason": REASON,
            "consultationId": f.gid("Consultation", consultation.id),
            "png": base64.b64encode(image).decode(),
            "chromium": browser,
        }
        done = await asyncio.to_thread(run_node, node, "apollo_client.mjs", json.dumps(spec), timeout=180)
    assert done.returncode == 0, done.stderr + server.log()
    seen = json.loads(done.stdout.strip().splitlines()[-1])

    # 1. Two pages of English lessons: all three works, none twice, no Chinese translation among them.
    page1, page2 = seen["lessons"]
    assert page1["totalCount"] == page2["totalCount"] == 3
    assert (page1["pageInfo"]["hasNextPage"], page2["pageInfo"]["hasNextPage"]) == (True, False)
    nodes = [e["node"] for e in page1["edges"] + page2["edges"]]
    assert {n["locale"] for n in nodes} == {"en"}
    assert sorted(n["id"] for n in nodes) == sorted(lesson["id"] for lesson in english)

    # 2. The upload went through the multipart spec with the preflight header, and was sent.
    upload = seen["upload"]
    assert upload["errors"] == [] and upload["asset"]["kind"] == "IMAGE", upload
    sent = seen["sent"]
    assert sent["errors"] == [] and [a["id"] for a in sent["message"]["attachments"]] == [upload["asset"]["id"]]
    stored = await MediaAsset.get(sha256__isnull=False, is_private=True)

    # 3. Chromium loaded the private file through its signed link (absolute: BEACON_PUBLIC_URL),
    # the bare URL being refused without a header; and the admin's fetch is in the audit, with the reason.
    shown = seen["image"]
    link = urlsplit(shown["signedUrl"])
    assert f"{link.scheme}://{link.netloc}" == server.url and link.path == f"/media/{stored.sha256}.png"
    assert (shown["naturalWidth"], shown["naturalHeight"]) == (40, 30), shown
    assert [status for url, status in shown["statuses"] if urlsplit(url).path == link.path] == [200], shown
    fetched = await ConsultationAudit.filter(
        consultation_id=consultation.id, action="ADMIN_READ", detail=f"attachment {stored.id}"
    ).values_list("reason", flat=True)
    assert fetched == [REASON], fetched

    # 4. The second upload within the hour: 429 before the body is read, retryAfterSeconds in the
    # error's extensions (a positive whole number of seconds) and the same in Retry-After.
    limit = seen["limit"]
    assert (limit["name"], limit["statusCode"]) == ("ServerError", 429), limit
    [error] = limit["body"]["errors"]
    wait = error["extensions"]["retryAfterSeconds"]
    assert error["extensions"]["code"] == "RATE_LIMITED"
    assert isinstance(wait, int) and 0 < wait <= 3600, error
    assert limit["retryAfterHeader"] == str(wait)
    assert await MediaAsset.filter(is_private=True).count() == 1  # the refused file was never stored
