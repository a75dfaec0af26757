"""What Beacon announces, and to whom: each function writes one event's outbox rows in one statement.

Callers run inside the transaction of the change they report, so a rolled-back change leaves no
row behind. Payloads carry ids and public facts only: never a draft's text, never a message, a
name or a subject of a consultation (docs/integrations.md lists every field).
"""

from __future__ import annotations

import base64
from datetime import datetime, timedelta
from enum import Enum
from typing import Any

from models.integrations import Channel
from resolvers.integrations.outbox import Fanout, enqueue


class EventType(str, Enum):
    """Webhook event types, as Standard Webhooks' dotted `type` names."""

    CONTENT_PUBLISHED = "content.published"
    CONTENT_UPDATED = "content.updated"
    CONTENT_UNPUBLISHED = "content.unpublished"
    CONTENT_ARCHIVED = "content.archived"
    QUIZ_PUBLISHED = "quiz.published"
    QUIZ_ATTEMPT_SUBMITTED = "quiz.attempt_submitted"
    CONSULTATION_ACTIVITY = "consultation.activity"
    AUDIT_ALERT = "audit.alert"


# Events about public content, which any endpoint (platform-wide or an organization's) may receive.
PUBLIC_EVENTS = frozenset(
    {
        EventType.CONTENT_PUBLISHED,
        EventType.CONTENT_UPDATED,
        EventType.CONTENT_UNPUBLISHED,
        EventType.CONTENT_ARCHIVED,
        EventType.QUIZ_PUBLISHED,
    }
)
# Only an organization's endpoints, about its own learners.
ORGANIZATION_EVENTS = frozenset({EventType.QUIZ_ATTEMPT_SUBMITTED})
# Only platform-wide endpoints that an admin registers (the mobile app's push backend).
PLATFORM_EVENTS = frozenset({EventType.CONSULTATION_ACTIVITY, EventType.AUDIT_ALERT})


class NoticeKind(str, Enum):
    """E-mail notices a person can turn on or off one by one."""

    NEW_CONSULTATION = "NEW_CONSULTATION"
    NEW_MESSAGE = "NEW_MESSAGE"
    EXPERT_REPLIED = "EXPERT_REPLIED"
    VISIT = "VISIT"
    ENDPOINT_DISABLED = "ENDPOINT_DISABLED"


def global_id(type_name: str, pk: int) -> str:
    """The API's opaque id (schema/relay.py's to_global_id; tests check they agree)."""
    return base64.urlsafe_b64encode(f"{type_name}:{pk}".encode()).decode().rstrip("=")


def _like(event: EventType) -> str:
    return f"%|{event.value}|%"


def to_all_endpoints(event: EventType, data: dict[str, Any]) -> Fanout:
    return Fanout(
        Channel.WEBHOOK, "e.id", "FROM webhook_endpoint e WHERE e.enabled AND e.events_key LIKE ?", [_like(event)], data
    )


def to_platform_endpoints(event: EventType, data: dict[str, Any]) -> Fanout:
    return Fanout(
        Channel.WEBHOOK,
        "e.id",
        "FROM webhook_endpoint e WHERE e.enabled AND e.organization_id IS NULL AND e.events_key LIKE ?",
        [_like(event)],
        data,
    )


def to_endpoints_of_users_organization(event: EventType, user_id: int, data: dict[str, Any]) -> Fanout:
    return Fanout(
        Channel.WEBHOOK,
        "e.id",
        "FROM webhook_endpoint e JOIN app_user u ON u.organization_id = e.organization_id "
        "WHERE u.id = ? AND e.enabled AND e.events_key LIKE ?",
        [user_id, _like(event)],
        data,
    )


def to_learning_record_store(user_id: int, data: dict[str, Any]) -> Fanout:
    """The learner's organization's LRS, if it has one."""
    return Fanout(
        Channel.XAPI,
        "l.organization_id",
        "FROM learning_record_store l JOIN app_user u ON u.organization_id = l.organization_id "
        "WHERE u.id = ? AND l.enabled",
        [user_id],
        data,
    )


def to_mailbox(kind: NoticeKind, user_id: int, data: dict[str, Any], delay: timedelta = timedelta(0)) -> Fanout:
    """A person's e-mail notice, if they gave an address and did not turn this kind off."""
    return Fanout(
        Channel.EMAIL,
        "n.user_id",
        "FROM notice_settings n WHERE n.user_id = ? AND n.email IS NOT NULL AND n.muted_key NOT LIKE ?",
        [user_id, f"%|{kind.value}|%"],
        {"kind": kind.value, **data},
        delay,
    )


# ------------------------------------------------------------------ content and quizzes


def content_event(was_public: bool, status: str) -> EventType | None:
    """Which event a workflow move is, from the public's point of view (None: drafts moving among themselves)."""
    if status == "PUBLISHED":
        return EventType.CONTENT_UPDATED if was_public else EventType.CONTENT_PUBLISHED
    if not was_public:
        return None
    return EventType.CONTENT_ARCHIVED if status == "ARCHIVED" else EventType.CONTENT_UNPUBLISHED


async def content_changed(
    event: EventType, *, content_type: str, pk: int, slug: str, locale: str, version: int
) -> None:
    """A lesson or story became public, changed publicly, or stopped being public."""
    type_name = "Lesson" if content_type == "LESSON" else "Story"
    data = {"id": global_id(type_name, pk), "type": content_type, "slug": slug, "locale": locale, "version": version}
    await enqueue(event.value, [to_all_endpoints(event, data)])


async def quiz_published(pk: int, updated_at: datetime) -> None:
    data = {"id": global_id("Quiz", pk), "type": "QUIZ", "version": int(updated_at.timestamp())}
    await enqueue(EventType.QUIZ_PUBLISHED.value, [to_all_endpoints(EventType.QUIZ_PUBLISHED, data)])


async def attempt_submitted(
    *,
    user_id: int,
    attempt_id: int,
    quiz_id: int,
    quiz_title: str,
    status: str,
    score: float,
    passed: bool | None,
    correct: list[tuple[int, bool]],
    submitted_at: datetime,
) -> None:
    """The learner's organization's endpoints and LRS hear of a graded quiz attempt (one statement)."""
    event = EventType.QUIZ_ATTEMPT_SUBMITTED
    data = {
        "attemptId": global_id("QuizAttempt", attempt_id),
        "quizId": global_id("Quiz", quiz_id),
        "userId": user_id,  # rendered as the learner id the organization knows at delivery
        "status": status,
        "score": score,
        "passed": passed,
        "correctCount": sum(1 for _, ok in correct if ok),
        "questionCount": len(correct),
        "submittedAt": submitted_at.isoformat(),
    }
    statements = {
        "kind": "quiz",
        "userId": user_id,
        "attemptId": attempt_id,
        "quizId": quiz_id,
        "title": quiz_title,
        "score": score,
        "passed": passed,
        "answers": [[question_id, ok] for question_id, ok in correct],
        "at": submitted_at.isoformat(),
    }
    await enqueue(
        event.value,
        [to_endpoints_of_users_organization(event, user_id, data), to_learning_record_store(user_id, statements)],
    )


async def lesson_progress(
    *, user_id: int, lesson_id: int, title: str, locale: str, verb: str, seconds: int, at: datetime
) -> None:
    """A learner's first view ('experienced') or completion ('completed') of a lesson, for their organization's LRS."""
    statements = {
        "kind": "lesson",
        "verb": verb,
        "userId": user_id,
        "lessonId": lesson_id,
        "title": title,
        "locale": locale,
        "seconds": seconds,
        "at": at.isoformat(),
    }
    await enqueue("xapi.lesson", [to_learning_record_store(user_id, statements)])


# ------------------------------------------------------------------ consultation desk


async def consultation_activity(
    kind: str,
    *,
    consultation_id: int,
    recipient_ids: list[int],
    message_id: int | None = None,
    visit_id: int | None = None,
    notices: list[Fanout] | None = None,
) -> None:
    """Ids and a kind for the platform's push endpoints, and e-mail notices, in one statement."""
    data: dict[str, Any] = {
        "consultationId": global_id("Consultation", consultation_id),
        "kind": kind,
        "recipientIds": [global_id("User", r) for r in recipient_ids],
    }
    if message_id is not None:
        data["messageId"] = global_id("Message", message_id)
    if visit_id is not None:
        data["visitId"] = global_id("Visit", visit_id)
    event = EventType.CONSULTATION_ACTIVITY
    await enqueue(event.value, [to_platform_endpoints(event, data), *(notices or [])])


def message_notice(kind: NoticeKind, user_id: int, consultation_id: int, message_id: int) -> Fanout:
    """An unread-message notice: the dispatcher holds it a few minutes and drops it if the message was read."""
    return to_mailbox(kind, user_id, {"consultationId": consultation_id, "messageId": message_id})


def visit_notice(user_id: int, consultation_id: int, visit_id: int) -> Fanout:
    return to_mailbox(NoticeKind.VISIT, user_id, {"consultationId": consultation_id, "visitId": visit_id})


async def admin_bulk_read(*, admin_user_id: int, consultations: int, threshold: int, at: datetime) -> None:
    """An admin opened more consultations within an hour than the threshold allows: platform endpoints hear of it."""
    data = {
        "alert": "ADMIN_BULK_READ",
        "adminUserId": admin_user_id,
        "consultations": consultations,
        "threshold": threshold,
        "windowSeconds": 3600,
        "at": at.isoformat(),
    }
    await enqueue(EventType.AUDIT_ALERT.value, [to_platform_endpoints(EventType.AUDIT_ALERT, data)])
