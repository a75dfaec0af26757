"""Consultation threads: opening, messages, read receipts, closing, and who may see them."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

from tortoise.exceptions import IntegrityError
from tortoise.expressions import Q
from tortoise.transactions import in_transaction

from models import sql
from models.accounts import User
from models.consultations import (
    Consultation,
    ConsultationMessage,
    ConsultationStatus,
    ExpertProfile,
    MessageAttachment,
)
from resolvers import permissions, throttle
from resolvers.actor import Actor
from resolvers.consultations import attachments, audit, consent, sealed
from resolvers.errors import Conflict, Forbidden, Invalid, InvalidMany, NotFound, RateLimited
from resolvers.events import EventBus, consultation_channel, user_channel
from resolvers.integrations import events as integration_events
from resolvers.integrations.events import NoticeKind
from resolvers.listing import Listing, of_queryset

OPEN_LIMIT = 5
OPEN_WINDOW = timedelta(days=1)
MESSAGE_INTERVAL = timedelta(seconds=3)
MAX_BODY = 5000
MAX_SUBJECT = 200
MAX_CLIENT_MESSAGE_ID = 100  # the column's length: a longer key is refused, never truncated


def now() -> datetime:
    return datetime.now(UTC)


# ------------------------------------------------------------------ reading


async def get_consultation(actor: Actor, pk: int) -> Consultation | None:
    """A consultation the actor may read (an admin's read is audited), else None."""
    consultation = await Consultation.get_or_none(id=pk, purged_at=None)
    if consultation is None or not permissions.can_read_consultation(actor, consultation):
        return None
    await audit.record_read_if_audited(actor, consultation, "consultation")
    return consultation


async def get_message(actor: Actor, pk: int) -> ConsultationMessage | None:
    """A message of a consultation the actor may read, else None."""
    message = await ConsultationMessage.get_or_none(id=pk).select_related("consultation")
    if message is None or not permissions.can_read_consultation(actor, message.consultation):
        return None
    await audit.record_read_if_audited(actor, message.consultation, f"message {message.id}")
    return message


async def get_party_consultation(actor: Actor, pk: int) -> Consultation | None:
    """A consultation the actor takes part in (no admin reads: for real-time events)."""
    consultation = await Consultation.get_or_none(id=pk, purged_at=None)
    if consultation is None or not permissions.can_subscribe_to_consultation(actor, consultation):
        return None
    return consultation


async def get_party_message(actor: Actor, pk: int) -> ConsultationMessage | None:
    message = await ConsultationMessage.get_or_none(id=pk).select_related("consultation")
    if message is None or not permissions.can_subscribe_to_consultation(actor, message.consultation):
        return None
    return message


async def _for_party(actor: Actor, pk: int, field: str) -> Consultation:
    """The consultation a party is changing; NOT_FOUND for everyone else, as if it did not exist."""
    permissions.require_user(actor)
    consultation = await Consultation.get_or_none(id=pk, purged_at=None)
    if consultation is None or not permissions.can_write_to_consultation(actor, consultation):
        raise NotFound("No such consultation.", field=field)
    return consultation


def viewer_consultations(actor: Actor, status: ConsultationStatus | None) -> Listing[Consultation]:
    """The caller's own consultations, as client or as expert, most recently active first."""
    if actor.user_id is None:
        return of_queryset(Consultation.filter(id=-1))
    # A purged thread's row stays only for the audit log: nobody lists or opens it.
    query = Consultation.filter(Q(client_id=actor.user_id) | Q(expert_user_id=actor.user_id), purged_at=None)
    if status is not None:
        query = query.filter(status=status)
    return of_queryset(query.order_by("-last_message_at", "-id"))


def messages(consultation_id: int) -> Listing[ConsultationMessage]:
    """A thread's messages, oldest first (a resubscribing client pages with after:)."""
    return of_queryset(ConsultationMessage.filter(consultation_id=consultation_id).order_by("id"))


async def unread_total(actor: Actor) -> int:
    """Messages from the other party, in all of the caller's consultations, not yet read."""
    if actor.user_id is None:
        return 0
    return (
        await ConsultationMessage.filter(
            Q(consultation__client_id=actor.user_id) | Q(consultation__expert_user_id=actor.user_id),
            read_at=None,
        )
        .exclude(author_id=actor.user_id)
        .count()
    )


# ------------------------------------------------------------------ batches


# ------------------------------------------------------------------ changing


async def notify(bus: EventBus, consultation: Consultation, message_id: int | None = None) -> None:
    """After the commit: tell both parties (and the thread's listeners) what changed, by ID only."""
    if message_id is not None:
        await bus.publish(consultation_channel(consultation.id), {"message": message_id})
    for user_id in (consultation.client_id, consultation.expert_user_id):
        await bus.publish(user_channel(user_id), {"consultation": consultation.id})


def other_party(actor: Actor, consultation: Consultation) -> int:
    """The user on the other side of the thread from the actor."""
    client_id = consultation.client_id
    return consultation.expert_user_id if actor.user_id == client_id else client_id


async def announce_message(consultation: Consultation, message: ConsultationMessage, kind: NoticeKind) -> None:
    """In the message's transaction: ids for the push endpoints, and the reader's notice if still unread in a few minutes."""
    reader = consultation.client_id if message.from_expert else consultation.expert_user_id
    await integration_events.consultation_activity(
        "CONSULTATION_OPENED" if kind == NoticeKind.NEW_CONSULTATION else "MESSAGE_SENT",
        consultation_id=consultation.id,
        recipient_ids=[reader],
        message_id=message.id,
        notices=[integration_events.message_notice(kind, reader, consultation.id, message.id)],
    )


def _clean_body(body: str, field: str) -> str:
    text = body.strip()
    if not text:
        raise Invalid("Write a message.", field=field)
    if len(text) > MAX_BODY:
        raise Invalid(f"Keep a message under {MAX_BODY} characters.", field=field)
    return text


async def open_consultation(
    actor: Actor, bus: EventBus, *, expert_id: int, subject: str, body: str, attachment_ids: Sequence[int] = ()
) -> Consultation:
    """A LEARNER or CLIENT addresses one chosen expert with a subject and a first message."""
    user_id = permissions.require_user(actor)
    if not permissions.can_open_consultation(actor):
        raise Forbidden("Only clients and learners can open a consultation.")
    await consent.require_current_consent(user_id, own=True)
    problems: list[Invalid] = []
    subject = subject.strip()
    if not 1 <= len(subject) <= MAX_SUBJECT:
        problems.append(Invalid(f"Give a subject of 1–{MAX_SUBJECT} characters.", field="input.subject"))
    try:
        text = _clean_body(body, "input.message")
    except Invalid as problem:
        problems.append(problem)
    if problems:
        raise InvalidMany(list(problems)) if len(problems) > 1 else problems[0]
    expert = await ExpertProfile.get_or_none(id=expert_id)
    if expert is None:
        raise NotFound("No such expert.", field="input.expertId")
    if not expert.accepting_consultations:
        raise Invalid("This expert is not taking new consultations; choose another.", field="input.expertId")
    if expert.user_id == actor.user_id:
        raise Invalid("You cannot consult yourself.", field="input.expertId")
    bucket = f"consultation:open:{actor.user_id}"
    async with in_transaction():
        # The client's opens take turns, so the count below sees every open that committed before.
        await sql.lock(User, user_id)
        wait = await throttle.retry_after(bucket, limit=OPEN_LIMIT, window=OPEN_WINDOW)
        if wait is not None:
            raise RateLimited(
                f"You can open at most {OPEN_LIMIT} consultations a day. Try again tomorrow.", retry_after=wait
            )
        await throttle.record(bucket)
        sent = now()
        consultation = await Consultation.create(
            client_id=actor.user_id,
            expert=expert,
            expert_user_id=expert.user_id,
            client_display_name=(actor.display_name or "")[:100],
            subject=subject,
            status=ConsultationStatus.OPEN,
            last_message_at=sent,
        )
        message = await ConsultationMessage.create(
            consultation=consultation,
            author_id=actor.user_id,
            from_expert=False,
            author_name=consultation.client_display_name,
            body=sealed.seal(text, sealed.MESSAGE_BODY),
            sent_at=sent,
        )
        await attachments.attach(actor, message, attachment_ids, field="input.attachmentIds")
        await audit.record(actor, consultation.id, audit.OPENED)
        await announce_message(consultation, message, NoticeKind.NEW_CONSULTATION)
    await notify(bus, consultation, message.id)
    return consultation


async def _existing(consultation_id: int, author_id: int, client_message_id: str | None) -> ConsultationMessage | None:
    if not client_message_id:
        return None
    return await ConsultationMessage.get_or_none(
        consultation_id=consultation_id, author_id=author_id, client_message_id=client_message_id
    )


def _message_key(client_message_id: str | None) -> str | None:
    """The idempotency key as given (surrounding spaces aside); an over-long key is refused, never cut."""
    key = (client_message_id or "").strip()
    if len(key) > MAX_CLIENT_MESSAGE_ID:
        raise Invalid(
            f"A clientMessageId is at most {MAX_CLIENT_MESSAGE_ID} characters.", field="input.clientMessageId"
        )
    return key or None


async def _resent(first: ConsultationMessage, text: str, attachment_ids: Sequence[int]) -> ConsultationMessage:
    """A send whose key is already stored: the first message if it is the same message, else CONFLICT."""
    attached = await sql.flat(MessageAttachment.filter(message_id=first.id).values_list("media_id", flat=True))
    if sealed.message_body(first) != text or set(attached) != set(attachment_ids):
        raise Conflict(
            "This clientMessageId was already used for a different message; give a new message a new key.",
            field="input.clientMessageId",
        )
    return first


async def send_message(
    actor: Actor,
    bus: EventBus,
    *,
    consultation_id: int,
    body: str,
    client_message_id: str | None,
    attachment_ids: Sequence[int] = (),
) -> ConsultationMessage:
    """Either party writes; resending the same clientMessageId and message returns the first message.

    A sender's sends take turns on a lock of their user row, so a racing duplicate (same key, same
    message) sees the winner once it committed and answers with it, and the interval between
    messages holds for concurrent sends too.
    """
    consultation = await _for_party(actor, consultation_id, "input.consultationId")
    user_id = permissions.require_user(actor)
    key = _message_key(client_message_id)
    text = _clean_body(body, "input.body")
    if (first := await _existing(consultation.id, user_id, key)) is not None:
        return await _resent(first, text, attachment_ids)
    from_expert = permissions.is_consultation_expert(actor, consultation)
    await consent.require_for_processing(actor, consultation)
    if from_expert and consultation.status == ConsultationStatus.CLOSED:
        raise Conflict("The client closed this consultation; it reopens when they write again.")
    bucket = f"consultation:message:{actor.user_id}"
    try:
        async with in_transaction():
            await sql.lock(User, user_id)
            if (first := await _existing(consultation.id, user_id, key)) is not None:
                return await _resent(first, text, attachment_ids)  # the racing duplicate that won
            wait = await throttle.retry_after(bucket, limit=1, window=MESSAGE_INTERVAL)
            if wait is not None:
                raise RateLimited("You are sending messages too quickly; wait a few seconds.", retry_after=wait)
            await throttle.record(bucket)
            message = await _append(actor, consultation, text, key, from_expert)
            await attachments.attach(actor, message, attachment_ids, field="input.attachmentIds")
            await announce_message(
                consultation, message, NoticeKind.EXPERT_REPLIED if from_expert else NoticeKind.NEW_MESSAGE
            )
    except IntegrityError:
        # The same clientMessageId raced in from another request: answer with the one that won.
        if (first := await _existing(consultation.id, user_id, key)) is None:
            raise
        return await _resent(first, text, attachment_ids)
    await notify(bus, consultation, message.id)
    return message


async def _append(
    actor: Actor, consultation: Consultation, text: str, key: str | None, from_expert: bool
) -> ConsultationMessage:
    sent = now()
    reopened = consultation.status == ConsultationStatus.CLOSED
    message = await ConsultationMessage.create(
        consultation=consultation,
        author_id=actor.user_id,
        from_expert=from_expert,
        author_name=await _author_name(consultation, from_expert),
        body=sealed.seal(text, sealed.MESSAGE_BODY),
        sent_at=sent,
        client_message_id=key,
    )
    consultation.status = ConsultationStatus.ANSWERED if from_expert else ConsultationStatus.OPEN
    consultation.last_message_at = sent
    await consultation.save(update_fields=["status", "last_message_at", "updated_at"])
    await audit.record(actor, consultation.id, audit.MESSAGE_SENT, f"message {message.id}")
    if reopened:
        await audit.record(actor, consultation.id, audit.REOPENED)
    return message


async def _author_name(consultation: Consultation, from_expert: bool) -> str:
    if not from_expert:
        return consultation.client_display_name
    expert = await ExpertProfile.get(id=consultation.expert_id)
    return expert.display_name


async def mark_read(actor: Actor, bus: EventBus, consultation_id: int) -> Consultation:
    """Stamp readAt on the other party's unread messages."""
    consultation = await _for_party(actor, consultation_id, "consultationId")
    async with in_transaction():
        changed = (
            await ConsultationMessage.filter(consultation_id=consultation.id, read_at=None)
            .exclude(author_id=actor.user_id)
            .update(read_at=now())
        )
        if changed:
            await audit.record(actor, consultation.id, audit.MARKED_READ, f"{changed} message(s)")
            await integration_events.consultation_activity(
                "MESSAGES_READ", consultation_id=consultation.id, recipient_ids=[other_party(actor, consultation)]
            )
    if changed:
        await notify(bus, consultation)
    return consultation


async def close(actor: Actor, bus: EventBus, consultation_id: int) -> Consultation:
    """Either party closes the thread; a client's next message reopens it."""
    consultation = await _for_party(actor, consultation_id, "consultationId")
    if consultation.status == ConsultationStatus.CLOSED:
        return consultation
    async with in_transaction():
        consultation.status = ConsultationStatus.CLOSED
        await consultation.save(update_fields=["status", "updated_at"])
        await audit.record(actor, consultation.id, audit.CLOSED)
        await integration_events.consultation_activity(
            "CLOSED", consultation_id=consultation.id, recipient_ids=[other_party(actor, consultation)]
        )
    await notify(bus, consultation)
    return consultation
