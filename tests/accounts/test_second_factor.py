"""Strong sign-in for staff (issue 14): experts and admins need a TOTP second factor (set up at
their first sign-in, with recovery codes shown once, reset by an admin under audit), and their
sessions end after a while without use, over HTTP and on open sockets."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pyotp
import pytest

from models.accounts import AccountAudit, AuthToken, RecoveryCode, User
from models.base import Role
from resolvers import accounts, retention, second_factor
from resolvers.content.media import storage_for
from schema.relay import to_global_id
from settings import Settings
from tests.accounts.factories import enrol, make_user, token_for
from tests.helpers import GraphQLClient, Response
from tests.realtime import Http, graphql_ws, server_in_process

PASSWORD = "correct horse battery"
LOGIN = """
mutation($u: String!, $p: String!, $otp: String) {
  login(input: {username: $u, password: $p, otp: $otp}) {
    token enrolmentToken user { username } errors { field code retryAfterSeconds }
  }
}"""
BEGIN = "mutation { beginSecondFactorEnrolment { secret otpauthUri errors { field code } } }"
CONFIRM = """
mutation($code: String!) {
  confirmSecondFactor(code: $code) { token user { username } recoveryCodes errors { field code } }
}"""
VIEWER = "{ viewer { user { username } secondFactorEnrolled recoveryCodesLeft } }"
SESSIONS = "{ mySessions { totalCount } }"
EVERYWHERE = "mutation { signOutEverywhere { endedSessions errors { code } } }"
RESET = "mutation($id: ID!) { resetUserSecondFactor(userId: $id) { user { username } errors { field code } } }"


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return replace(settings, staff_second_factor=True)


async def login(gql: GraphQLClient, username: str, otp: str | None = None, password: str = PASSWORD) -> Any:
    return (await gql.ok(LOGIN, {"u": username, "p": password, "otp": otp}))["login"]


def codes(payload: dict[str, Any]) -> list[str]:
    return [e["code"] for e in payload["errors"]]


def refused(result: Response, reason: str) -> None:
    assert result.status == 401, result.body
    assert result.body["errors"][0]["extensions"] == {"code": "UNAUTHENTICATED", "reason": reason}


def next_code(secret: str) -> str:
    """The code of the next time step (accepted within the drift, and later than any used so far)."""
    return pyotp.TOTP(secret).at(datetime.now(UTC), counter_offset=1)


async def test_an_expert_enrols_at_the_first_sign_in_and_cannot_finish_without_the_code(
    gql: GraphQLClient,
) -> None:
    await make_user("xuwei", Role.EXPERT)
    first = await login(gql, "xuwei")
    assert first["token"] is None and first["user"] is None
    assert codes(first) == ["SECOND_FACTOR_ENROLMENT_REQUIRED"]
    enrolling = first["enrolmentToken"]
    # The enrolment sign-in is no sign-in: nothing of the account is reachable with it.
    assert (await gql.ok(VIEWER, token=enrolling))["viewer"] is None
    assert (await gql(SESSIONS, token=enrolling)).codes == ["UNAUTHENTICATED"]
    changed = await gql.ok(
        'mutation { changePassword(input: {currentPassword: "x", newPassword: "yyyyyyyyyyyy"}) { errors { code } } }',
        token=enrolling,
    )
    assert changed["changePassword"]["errors"] == [{"code": "UNAUTHENTICATED"}]

    begun = (await gql.ok(BEGIN, token=enrolling))["beginSecondFactorEnrolment"]
    secret = begun["secret"]
    assert begun["otpauthUri"].startswith("otpauth://totp/Beacon:xuwei?secret=" + secret)
    stored = await User.get(username_key="xuwei")
    assert stored.totp_secret is not None and secret not in stored.totp_secret  # sealed at rest
    assert stored.totp_confirmed_at is None

    wrong = (await gql.ok(CONFIRM, {"code": "12345"}, token=enrolling))["confirmSecondFactor"]
    assert wrong["errors"] == [{"field": "code", "code": "INVALID"}] and wrong["token"] is None
    code = pyotp.TOTP(secret).now()
    confirmed = (await gql.ok(CONFIRM, {"code": code}, token=enrolling))["confirmSecondFactor"]
    assert confirmed["errors"] == [] and len(set(confirmed["recoveryCodes"])) == 10
    refused(await gql(VIEWER, token=enrolling), "revoked")  # the enrolment sign-in ended
    viewer = (await gql.ok(VIEWER, token=confirmed["token"]))["viewer"]
    assert viewer == {"user": {"username": "xuwei"}, "secondFactorEnrolled": True, "recoveryCodesLeft": 10}
    assert await RecoveryCode.filter(code_hash__in=confirmed["recoveryCodes"]).count() == 0  # stored hashed

    # From now on the password alone is not enough, and a code is accepted once only.
    alone = await login(gql, "xuwei")
    assert alone["token"] is None and alone["enrolmentToken"] is None
    assert alone["errors"] == [{"field": "input.otp", "code": "SECOND_FACTOR_REQUIRED", "retryAfterSeconds": None}]
    replayed = await login(gql, "xuwei", otp=code)
    assert replayed["token"] is None and replayed["errors"][0]["code"] == "INVALID"
    signed_in = await login(gql, "xuwei", otp=next_code(secret))
    assert signed_in["errors"] == [] and signed_in["user"] == {"username": "xuwei"}

    recovery = confirmed["recoveryCodes"][0]
    assert (await login(gql, "xuwei", otp=recovery.upper()))["token"]
    assert codes(await login(gql, "xuwei", otp=recovery)) == ["INVALID"]  # single use
    assert (await gql.ok(VIEWER, token=signed_in["token"]))["viewer"]["recoveryCodesLeft"] == 9


async def test_a_learner_signs_in_with_the_password_alone(gql: GraphQLClient) -> None:
    await make_user("ming")
    signed_in = await login(gql, "ming")
    assert signed_in["errors"] == [] and signed_in["token"]


@pytest.mark.usefixtures("frozen_throttle_clock")  # the 1 s back-off must not run out
async def test_wrong_codes_are_throttled_like_wrong_passwords(gql: GraphQLClient) -> None:
    secret = await enrol(await make_user("xuwei", Role.ADMIN))
    stale = pyotp.TOTP(secret).at(datetime.now(UTC) - timedelta(hours=1))
    for _ in range(4):
        assert codes(await login(gql, "xuwei", otp=stale)) == ["INVALID"]
    # A right password without a code neither counts nor forgives the failures.
    assert codes(await login(gql, "xuwei")) == ["SECOND_FACTOR_REQUIRED"]
    assert codes(await login(gql, "xuwei", otp=stale)) == ["INVALID"]
    throttled = await login(gql, "xuwei", otp=pyotp.TOTP(secret).now())
    assert throttled["token"] is None and codes(throttled) == ["RATE_LIMITED"]


async def test_an_idle_staff_session_ends_and_a_learners_does_not(gql: GraphQLClient, settings: Settings) -> None:
    secret = await enrol(await make_user("xuwei", Role.EXPERT))
    staff = (await login(gql, "xuwei", otp=pyotp.TOTP(secret).now()))["token"]
    learner = await token_for("ming")
    row = await AuthToken.get(token_hash=accounts.secret_digest(staff))
    assert row.idle_seconds == settings.staff_idle_seconds
    assert row.expires_at - row.created_at <= timedelta(seconds=settings.staff_session_seconds)
    assert (await gql.ok(VIEWER, token=staff))["viewer"]["user"]["username"] == "xuwei"

    idle = datetime.now(UTC) - timedelta(seconds=settings.staff_idle_seconds + 60)
    await AuthToken.filter(last_used_at__isnull=False).update(last_used_at=idle)
    refused(await gql(VIEWER, token=staff), "expired")
    assert (await gql.ok(VIEWER, token=learner))["viewer"]["user"]["username"] == "ming"


async def test_my_sessions_leaves_out_an_idled_out_staff_session(gql: GraphQLClient, settings: Settings) -> None:
    listed = "{ mySessions { totalCount edges { node { id current } } } }"
    expert = await make_user("xuwei", Role.EXPERT)
    idled, working = (await accounts._open_session(expert)).token, (await accounts._open_session(expert)).token
    learner = await make_user("ming")
    old, fresh = (await accounts._open_session(learner)).token, (await accounts._open_session(learner)).token
    # Both unused for longer than the staff idle limit (but well within their expiry).
    long_ago = datetime.now(UTC) - timedelta(seconds=settings.staff_idle_seconds + 60)
    for token in (idled, old):
        await AuthToken.filter(token_hash=accounts.secret_digest(token)).update(last_used_at=long_ago)
    refused(await gql(VIEWER, token=idled), "expired")  # it no longer works ...
    mine = (await gql.ok(listed, token=working))["mySessions"]
    assert mine["totalCount"] == 1  # ... so it is not listed either
    assert [e["node"]["current"] for e in mine["edges"]] == [True]
    # A learner's session has no idle limit: both are listed, and both work.
    theirs = (await gql.ok(listed, token=fresh))["mySessions"]
    assert theirs["totalCount"] == 2 and [e["node"]["current"] for e in theirs["edges"]] == [True, False]
    assert (await gql.ok(VIEWER, token=old))["viewer"]["user"]["username"] == "ming"


async def test_an_idle_staff_socket_is_closed(settings: Settings) -> None:
    user = await make_user("xuwei", Role.EXPERT)
    staff = (await accounts._open_session(user)).token
    swept = replace(settings, socket_recheck_seconds=0.2)
    async with server_in_process(swept) as address, graphql_ws(address, staff) as ws:
        idle = datetime.now(UTC) - timedelta(seconds=settings.staff_idle_seconds + 60)
        await AuthToken.filter(user_id=user.id).update(last_used_at=idle)
        assert (await ws.closed())[:2] == (4401, "expired")


async def test_sign_out_everywhere_ends_the_other_sessions_and_their_sockets(
    settings: Settings, gql: GraphQLClient
) -> None:
    user = await make_user("xuwei", Role.EXPERT)
    secret = await enrol(user)
    laptop = (await accounts._open_session(user)).token
    async with server_in_process(settings) as address, graphql_ws(address, laptop) as ws:
        http = Http(address)
        phone = (await http.ok(LOGIN, {"u": "xuwei", "p": PASSWORD, "otp": pyotp.TOTP(secret).now()}))["login"]["token"]
        ended = (await http.ok(EVERYWHERE, token=phone))["signOutEverywhere"]
        assert ended == {"endedSessions": 2, "errors": []}
        assert (await ws.closed())[:2] == (4401, "revoked")
        refused(await gql(VIEWER, token=laptop), "revoked")


async def test_an_admin_resets_a_second_factor_under_audit(gql: GraphQLClient) -> None:
    expert = await make_user("xuwei", Role.EXPERT)
    secret = await enrol(expert)
    session = (await login(gql, "xuwei", otp=pyotp.TOTP(secret).now()))["token"]
    admin = await make_user("root", Role.ADMIN)
    admin_token = (await accounts._open_session(admin)).token
    gid = to_global_id("User", expert.id)

    assert (await gql.ok(RESET, {"id": gid}, token=session))["resetUserSecondFactor"]["errors"][0]["code"] == (
        "FORBIDDEN"
    )
    own = await gql.ok(RESET, {"id": to_global_id("User", admin.id)}, token=admin_token)
    assert own["resetUserSecondFactor"]["errors"] == [{"field": "userId", "code": "INVALID"}]

    reset = await gql.ok(RESET, {"id": gid}, token=admin_token)
    assert reset["resetUserSecondFactor"] == {"user": {"username": "xuwei"}, "errors": []}
    refused(await gql(VIEWER, token=session), "revoked")
    assert await RecoveryCode.filter(user_id=expert.id).count() == 0
    audit = await AccountAudit.get(subject_user_id=expert.id)
    assert (audit.actor_user_id, audit.action) == (admin.id, "second_factor_reset")
    # The next sign-in sets up a new factor; the old secret's codes open nothing.
    again = await login(gql, "xuwei", otp=next_code(secret))
    assert codes(again) == ["SECOND_FACTOR_ENROLMENT_REQUIRED"] and again["token"] is None


async def test_an_erased_account_keeps_no_second_factor(data_dir: Path) -> None:
    expert = await make_user("xuwei", Role.EXPERT)
    await enrol(expert)
    requested = datetime.now(UTC) - timedelta(days=1)
    await User.filter(id=expert.id).update(is_active=False, deletion_requested_at=requested)
    await retention.execute(
        await retention.plan(retention.Policy(erased_accounts=timedelta(0))), storage_for(data_dir / "media")
    )
    erased = await User.get(id=expert.id)
    assert erased.erased_at is not None
    assert (erased.totp_secret, erased.totp_confirmed_at, erased.totp_last_step) == (None, None, None)
    assert await RecoveryCode.filter(user_id=expert.id).count() == 0


async def test_a_code_is_accepted_once_even_when_sent_twice_at_once(db: str) -> None:
    import asyncio

    user = await make_user("xuwei", Role.EXPERT)
    secret = await enrol(user)
    code = pyotp.TOTP(secret).now()
    results = await asyncio.gather(*(second_factor.check(user, code) for _ in range(4)))
    assert sorted(results) == [False, False, False, True]
