"""requestAccountDeletion (issue 14): deactivated at once, erased after the grace period; admins act on behalf."""

from __future__ import annotations

import secrets
import subprocess
from datetime import datetime, timedelta
from pathlib import Path

import httpx

from models.accounts import AuthToken, ThrottleEvent, User
from models.base import Role
from models.consultations import ConsultationAudit
from models.content import MediaAsset
from resolvers import accounts, retention
from resolvers.consultations import audit
from resolvers.content.media import storage_for
from schema.relay import to_global_id
from settings import Settings
from tests.accounts.factories import make_user, token_for
from tests.consultations import factories as f
from tests.content.factories import attachment_ok
from tests.helpers import GraphQLClient
from tests.media.media_samples import wav_header
from tests.realtime import Http, graphql_ws, server_in_process

DELETE_ME = """
mutation($input: RequestAccountDeletionInput!) {
  requestAccountDeletion(input: $input) { user { isActive deletionRequestedAt } erasesAfter errors { field code } }
}"""
CANCEL = """
mutation($input: CancelAccountDeletionInput!) {
  cancelAccountDeletion(input: $input) { user { isActive deletionRequestedAt } erasesAfter errors { field code } }
}"""
OPEN = """
mutation($input: OpenConsultationInput!) { openConsultation(input: $input) { consultation { id } errors { code } } }"""
SEND = """
mutation($input: SendMessageInput!) { sendMessage(input: $input) { errors { code } } }"""
VISIT = "mutation($input: VisitInput!) { requestVisit(input: $input) { errors { code } } }"
THREAD = """
query($id: ID!) { consultation(id: $id) {
  subject clientDisplayName
  messages(first: 10) { edges { node { body author { displayName isExpert } attachments { url } } } }
  visits { location note }
} }"""
VIEWER = "{ viewer { id } }"
REACTIVATE = (
    "mutation($id: ID!) { reactivateUser(userId: $id) { user { isActive deletionRequestedAt } errors { code } } }"
)
PASSWORD = "correct horse battery"
SHORT_GRACE = retention.Policy(erased_accounts=timedelta(0))  # the grace period, shortened


def _database_bytes(settings: Settings, backend: str) -> bytes:
    if backend == "sqlite":
        path = Path(settings.database_url.removeprefix("sqlite://"))
        files = sorted(str(p) for p in path.parent.glob(path.name + "*"))
        return subprocess.run(["cat", *files], capture_output=True, check=True, timeout=60).stdout
    url = settings.database_url.replace("postgres://", "postgresql://", 1)
    return subprocess.run(["pg_dump", "--no-owner", url], capture_output=True, check=True, timeout=120).stdout


async def _erase_due(data_dir: Path) -> dict[str, list[int]]:
    made = await retention.plan(SHORT_GRACE)
    return await retention.execute(made, storage_for(data_dir / "media"))


async def test_a_client_is_erased_after_the_grace_period_and_the_expert_still_sees_the_threads_shape(
    gql: GraphQLClient, settings: Settings, backend: str
) -> None:
    tag = secrets.token_hex(4)
    username, name = f"heron{tag}", f"BlueHeron{tag}"
    subject, first, second, place = f"SUBJ-{tag}", f"FIRST-MSG-{tag}", f"SECOND-MSG-{tag}", f"PLACE-{tag}"
    me = await f.client(username, display_name=name)
    chosen = await f.expert(f"expert{tag}")
    sound = wav_header(1000) + tag.encode() * 250
    asset = await attachment_ok(gql, me.token, sound, "voice.wav")
    opened = await gql.ok(
        OPEN,
        {"input": {"expertId": chosen.gid, "subject": subject, "message": first, "attachmentIds": [asset["id"]]}},
        token=me.token,
    )
    cid = opened["openConsultation"]["consultation"]["id"]
    reply = {"consultationId": cid, "body": f"expert reply {tag}"}
    assert (await gql.ok(SEND, {"input": reply}, token=chosen.token))["sendMessage"]["errors"] == []
    await ThrottleEvent.all().delete()  # the interval between one person's messages is not what is tested
    assert (await gql.ok(SEND, {"input": {"consultationId": cid, "body": second}}, token=me.token))["sendMessage"][
        "errors"
    ] == []
    visit = {"consultationId": cid, "location": place, "note": None}
    assert (await gql.ok(VISIT, {"input": visit}, token=me.token))["requestVisit"]["errors"] == []
    before = _database_bytes(settings, backend)
    assert username.encode() in before and name.encode() in before and subject.encode() in before  # the scan sees them

    asked = (await gql.ok(DELETE_ME, {"input": {"password": PASSWORD}}, token=me.token))["requestAccountDeletion"]
    assert asked["errors"] == [] and asked["user"]["isActive"] is False
    requested = datetime.fromisoformat(asked["user"]["deletionRequestedAt"])
    assert datetime.fromisoformat(asked["erasesAfter"]) == requested + timedelta(days=settings.deletion_grace_days)
    # Deactivated at once: the token no longer works, and sign-in is refused.
    response = await gql.http.post("/graphql", json={"query": VIEWER}, headers={"Authorization": f"Bearer {me.token}"})
    assert response.status_code == 401 and response.json()["errors"][0]["extensions"]["reason"] == "deactivated"
    # Within the grace period (the default policy) nothing is erased.
    assert (await retention.plan(retention.Policy())).ids[retention.ERASED_ACCOUNTS] == []

    done = await _erase_due(settings.data_dir)  # the grace period, shortened

    assert done[retention.ERASED_ACCOUNTS] == [me.user_id]
    after = _database_bytes(settings, backend)
    for secret in (username, name, subject, first, second, place, username.casefold()):
        assert secret.encode() not in after, secret
    assert not await MediaAsset.exists(sha256=asset["sha256"])
    assert not any(tag.encode() * 250 in p.read_bytes() for p in settings.media_dir.rglob("*") if p.is_file())
    assert not await AuthToken.exists(user_id=me.user_id)
    # The expert still sees the thread's shape: who wrote when, their own words, a former client.
    seen = (await gql.ok(THREAD, {"id": cid}, token=chosen.token))["consultation"]
    assert seen["clientDisplayName"] == "Former client" and seen["subject"] == ""
    assert [e["node"] for e in seen["messages"]["edges"]] == [
        {"body": "", "author": {"displayName": "Former client", "isExpert": False}, "attachments": []},
        {
            "body": f"expert reply {tag}",
            "author": {"displayName": chosen.display_name, "isExpert": True},
            "attachments": [],
        },
        {"body": "", "author": {"displayName": "Former client", "isExpert": False}, "attachments": []},
    ]
    assert seen["visits"] == [{"location": None, "note": None}]
    # The audit log keeps its records, naming the client by id only, and its chain verifies.
    records = await ConsultationAudit.filter(actor_user_id=me.user_id)
    assert records and {r.actor_name for r in records} == {f"user:{me.user_id}"}
    assert (await audit.verify_chain()).broken_at is None
    erased = await User.get(id=me.user_id)
    assert erased.username == f"erased-{me.user_id}" and erased.erased_at is not None and not erased.is_active
    # Nothing more to do; nobody can sign in as the erased account.
    assert (await retention.plan(SHORT_GRACE)).ids[retention.ERASED_ACCOUNTS] == []
    login = await gql(
        'mutation($u: String!) { login(input: {username: $u, password: "correct horse battery"}) { errors { code } } }',
        {"u": f"erased-{me.user_id}"},
    )
    assert login.data["login"]["errors"][0]["code"] in ("INVALID", "UNAUTHENTICATED")


async def test_asking_for_deletion_closes_ones_sockets_at_once(settings: Settings) -> None:
    person = await make_user("leaving", Role.CLIENT)
    token = (await accounts._open_session(person)).token
    async with server_in_process(settings) as address, graphql_ws(address, token) as ws:
        await ws.subscribe("subscription { consultationUpdated { id } }")
        data = await Http(address).ok(DELETE_ME, {"input": {"password": PASSWORD}}, token=token)
        assert data["requestAccountDeletion"]["errors"] == []
        assert (await ws.closed())[:2] == (4401, "deactivated")
        async with httpx.AsyncClient() as client:
            response = await client.post(
                f"http://{address}/graphql", json={"query": VIEWER}, headers={"Authorization": f"Bearer {token}"}
            )
        assert response.status_code == 401


async def test_an_admin_asks_on_someones_behalf_and_cancels_within_the_grace_period(
    gql: GraphQLClient, data_dir: Path
) -> None:
    admin = await token_for("root", Role.ADMIN)
    me = await f.client("wavering")
    await f.thread(me, await f.expert("kind"))
    uid = to_global_id("User", me.user_id)
    no_reason = await gql.ok(DELETE_ME, {"input": {"userId": uid}}, token=admin)
    assert no_reason["requestAccountDeletion"]["errors"] == [{"field": "input.reason", "code": "INVALID"}]
    asked = await gql.ok(DELETE_ME, {"input": {"userId": uid, "reason": "asked by phone, ticket 42"}}, token=admin)
    assert asked["requestAccountDeletion"]["errors"] == []
    assert asked["requestAccountDeletion"]["user"]["isActive"] is False
    record = await ConsultationAudit.filter(action=audit.DELETION_REQUESTED).get()
    assert record.reason == "asked by phone, ticket 42" and record.actor_roles == ["ADMIN"]

    cancelled = await gql.ok(CANCEL, {"input": {"userId": uid, "reason": "changed their mind"}}, token=admin)
    assert cancelled["cancelAccountDeletion"] == {
        "user": {"isActive": True, "deletionRequestedAt": None},
        "erasesAfter": None,
        "errors": [],
    }
    assert await ConsultationAudit.filter(action=audit.DELETION_CANCELLED).exists()
    assert await _erase_due(data_dir) == {kind: [] for kind in retention.KINDS}
    assert (await User.get(id=me.user_id)).username == "wavering"
    again = await gql.ok(CANCEL, {"input": {"userId": uid, "reason": "twice"}}, token=admin)
    assert again["cancelAccountDeletion"]["errors"] == [{"field": "input.userId", "code": "CONFLICT"}]
    # Reactivating an account also cancels its pending deletion: an active account is never erased.
    await gql.ok(DELETE_ME, {"input": {"userId": uid, "reason": "asked again"}}, token=admin)
    reactivated = await gql.ok(REACTIVATE, {"id": uid}, token=admin)
    assert reactivated["reactivateUser"]["user"] == {"isActive": True, "deletionRequestedAt": None}
    await User.filter(id=me.user_id).update(is_active=False)  # deactivated later, for another reason
    assert (await retention.plan(SHORT_GRACE)).ids[retention.ERASED_ACCOUNTS] == []


async def test_who_may_ask_for_a_deletion(gql: GraphQLClient) -> None:
    me = await f.client("careful")
    other = await f.client("bystander")
    wrong = await gql.ok(DELETE_ME, {"input": {"password": "not my password"}}, token=me.token)
    assert wrong["requestAccountDeletion"]["errors"] == [{"field": "input.password", "code": "INVALID"}]
    for_other = await gql.ok(
        DELETE_ME, {"input": {"userId": to_global_id("User", other.user_id), "reason": "x"}}, token=me.token
    )
    assert for_other["requestAccountDeletion"]["errors"][0]["code"] == "FORBIDDEN"
    chosen = await f.expert("staffer")
    staff = await gql.ok(DELETE_ME, {"input": {"password": PASSWORD}}, token=chosen.token)
    assert staff["requestAccountDeletion"]["errors"][0]["code"] == "FORBIDDEN"
    cancel = await gql.ok(
        CANCEL, {"input": {"userId": to_global_id("User", me.user_id), "reason": "x"}}, token=me.token
    )
    assert cancel["cancelAccountDeletion"]["errors"][0]["code"] == "FORBIDDEN"
    anonymous = await gql.ok(DELETE_ME, {"input": {"password": PASSWORD}})
    assert anonymous["requestAccountDeletion"]["errors"][0]["code"] == "UNAUTHENTICATED"
    assert (await User.get(id=me.user_id)).is_active and (await User.get(id=other.user_id)).is_active
