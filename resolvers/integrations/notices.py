"""E-mail notices: content-free, per kind, and only for messages still unread after a few minutes.

A notice says that there is something to read and links to it: no subject, no text, no name of
the other party (a family member may read the inbox). Whether an unread-message notice is still
due is decided when it is sent, not when it is written: a message read in the meantime cancels it.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from urllib.parse import unquote, urlsplit

import aiosmtplib

from models.consultations import Consultation, ConsultationMessage
from models.integrations import NoticeSettings
from resolvers import permissions
from resolvers.actor import Actor
from resolvers.errors import Invalid
from resolvers.integrations import events, outbox
from resolvers.integrations.events import NoticeKind

UNREAD_KINDS = frozenset({NoticeKind.NEW_CONSULTATION, NoticeKind.NEW_MESSAGE, NoticeKind.EXPERT_REPLIED})
SUBJECT = "Beacon：您有新的通知 / You have a new notice"
TEXT: dict[NoticeKind, str] = {
    NoticeKind.NEW_CONSULTATION: "有人向您发起了一个新的咨询。\nSomeone has opened a new consultation with you.",
    NoticeKind.NEW_MESSAGE: "您的一个咨询里有一条未读消息。\nThere is an unread message in one of your consultations.",
    NoticeKind.EXPERT_REPLIED: "您的专家回复了您。\nYour expert has replied.",
    NoticeKind.VISIT: "一次线下见面有了变化。\nA visit has been requested or changed.",
    NoticeKind.ENDPOINT_DISABLED: "一个 Webhook 地址因连续失败被停用。\nA webhook endpoint was disabled after failing.",
}


@dataclass(frozen=True)
class Preferences:
    email: str | None
    muted: frozenset[NoticeKind]


async def my_preferences(actor: Actor) -> Preferences:
    """The signed-in person's own settings; UNAUTHENTICATED for anonymous callers, FORBIDDEN for API keys."""
    permissions.require_role(actor, actor.user_id is not None, "API keys have no notice settings.")
    return await preferences(permissions.require_user(actor))


async def preferences(user_id: int) -> Preferences:
    row = await NoticeSettings.get_or_none(user_id=user_id)
    if row is None:
        return Preferences(None, frozenset())
    return Preferences(row.email, frozenset(NoticeKind(k) for k in row.muted_key.strip("|").split("|") if k))


def _clean_email(email: str | None) -> str | None:
    text = (email or "").strip()
    if not text:
        return None
    local, at, domain = text.rpartition("@")
    if not at or not local or "." not in domain or len(text) > 254 or any(c.isspace() or c in '<>,;"' for c in text):
        raise Invalid("Give an e-mail address such as name@example.org.", field="input.email")
    return text


async def update(
    actor: Actor, *, email: str | None, email_given: bool, muted: Sequence[NoticeKind] | None
) -> Preferences:
    """A person sets their own notice address and which kinds they do not want."""
    permissions.require_user(actor)
    user_id = int(actor.user_id or 0)
    row, _ = await NoticeSettings.get_or_create(user_id=user_id)
    if email_given:
        row.email = _clean_email(email)
    if muted is not None:
        row.muted_key = "|" + "".join(f"{NoticeKind(k).value}|" for k in sorted(set(muted)))
    await row.save()
    return await preferences(user_id)


def link(public_url: str, payload: dict[str, object]) -> str:
    """Where a notice to staff points: the consultation in the console, or the console itself."""
    if "consultationId" in payload:
        return f"{public_url}/console/#/consultations/{events.global_id('Consultation', int(str(payload['consultationId'])))}"
    return f"{public_url}/console/"


async def link_for(user_id: int, payload: dict[str, object], *, public_url: str, portal_url: str | None) -> str | None:
    """The link for this recipient: the client of the consultation never gets the staff console.

    Clients read on the public portal (BEACON_PORTAL_URL), whose own addresses Beacon does not
    know, so they get its front page; without a portal the notice carries no link at all (a
    console address would send someone in rehabilitation to a staff sign-in page).
    """
    consultation_id = payload.get("consultationId")
    if consultation_id is not None and await Consultation.exists(id=int(str(consultation_id)), client_id=user_id):
        return f"{portal_url}/" if portal_url else None
    return link(public_url, payload)


def compose(kind: NoticeKind, to: str, sender: str, url: str | None) -> EmailMessage:
    message = EmailMessage()
    message["From"] = sender
    message["To"] = to
    message["Subject"] = SUBJECT
    message["Auto-Submitted"] = "auto-generated"
    where = f"请登录查看 / Sign in to read it:\n{url}" if url else "请登录 Beacon 查看 / Sign in to Beacon to read it."
    message.set_content(f"{TEXT[kind]}\n\n{where}\n")
    return message


async def still_due(kind: NoticeKind, payload: dict[str, object]) -> bool:
    """An unread-message notice is void once its message has been read."""
    if kind not in UNREAD_KINDS:
        return True
    read_at = await ConsultationMessage.filter(id=int(str(payload["messageId"]))).values_list("read_at", flat=True)
    return bool(read_at) and read_at[0] is None


@dataclass(frozen=True)
class Smtp:
    hostname: str
    port: int
    username: str | None
    password: str | None
    use_tls: bool

    @classmethod
    def from_url(cls, url: str) -> Smtp:
        parts = urlsplit(url)
        secure = parts.scheme == "smtps"
        return cls(
            hostname=parts.hostname or "127.0.0.1",
            port=parts.port or (465 if secure else 25),
            username=unquote(parts.username) if parts.username else None,
            password=unquote(parts.password) if parts.password else None,
            use_tls=secure,
        )


async def deliver(
    message: outbox.Claimed,
    *,
    smtp_url: str | None,
    sender: str,
    public_url: str,
    portal_url: str | None,
    smtp_timeout: float,
    delay: timedelta,
) -> outbox.Outcome:
    """Send one notice, unless the person no longer wants it or the message was read in time."""
    kind = NoticeKind(str(message.payload["kind"]))
    if kind in UNREAD_KINDS and message.created_at + delay > datetime.now(UTC):
        # The delay is the delivering process's setting (BEACON_NOTICE_DELAY_SECONDS), so writers need no settings.
        return outbox.Outcome(False, deferred_until=message.created_at + delay)
    if smtp_url is None:
        return outbox.Outcome(False, cancelled=True, error="E-mail is not configured (BEACON_SMTP_URL).")
    wanted = await preferences(message.target_id)
    if wanted.email is None or kind in wanted.muted:
        return outbox.Outcome(False, cancelled=True, error="The person turned this notice off.")
    if not await still_due(kind, message.payload):
        return outbox.Outcome(False, cancelled=True, error="Read in time.")
    smtp = Smtp.from_url(smtp_url)
    url = await link_for(message.target_id, message.payload, public_url=public_url, portal_url=portal_url)
    started, moment = time.monotonic(), datetime.now(UTC)
    try:
        await aiosmtplib.send(
            compose(kind, wanted.email, sender, url),
            hostname=smtp.hostname,
            port=smtp.port,
            username=smtp.username,
            password=smtp.password,
            use_tls=smtp.use_tls,
            timeout=smtp_timeout,
        )
    except (aiosmtplib.SMTPException, OSError) as error:
        return outbox.Outcome(
            False,
            error=f"{type(error).__name__}: {error}"[:300],
            started_at=moment,
            duration_ms=int((time.monotonic() - started) * 1000),
        )
    return outbox.Outcome(True, started_at=moment, duration_ms=int((time.monotonic() - started) * 1000))
