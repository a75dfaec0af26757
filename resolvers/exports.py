"""exportMyData (issue 14): a person's data as a ZIP, prepared in the background, downloadable once.

The request stores a pending export and starts its preparation in the background (one at a time
per process, so memory stays bounded by one person's text); the scheduler prepares any export a
stopped process left pending. Preparation reads everything the person has (docs/privacy.md, "Export
format") into one JSON document, seals it (resolvers/vault.py) and writes it to
`<data dir>/exports/`; nothing is stored in plain form. The download link carries a random token
(only its sha256 is stored) in its query string, which Beacon never logs; the first download
claims it with one UPDATE, streams the ZIP (the JSON, then each attachment decrypted one at a time
from its sealed file) and deletes the sealed document. A link works once and until it expires
(`BEACON_EXPORT_LINK_HOURS`); the retention purge removes expired exports and their files.
"""

from __future__ import annotations

import asyncio
import contextlib
import io
import json
import logging
import secrets
import weakref
import zipfile
from collections.abc import AsyncIterator, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import aiofiles
import aiofiles.os
from tortoise.expressions import Q, Subquery
from tortoise.queryset import QuerySet

import media
from models import sql
from models.accounts import DataExport, ExportStatus, Organization, User
from models.consultations import (
    Consultation,
    ConsultationMessage,
    HelpPlanRevision,
    MessageAttachment,
    PrivacyConsent,
    Visit,
)
from models.content import ContentItem, LearningDay, LearningProgress, MediaAsset
from models.quizzes import Attempt, AttemptItem, Quiz, WrongQuestion
from resolvers import accounts, permissions, privacy, vault
from resolvers.actor import Actor
from resolvers.consultations import audit, sealed
from resolvers.content.media import FILE_PURPOSE
from resolvers.errors import Conflict, NotFound
from resolvers.transaction import unit_of_work

log = logging.getLogger("beacon.exports")

FORMAT = "beacon-export/1"
DOWNLOAD_PATH = "/privacy/export"
PURPOSE = "data export"
DOCUMENT = "export.json"
# An export left pending this long by the process that took the request is prepared by the scheduler.
ORPHANED_AFTER = timedelta(minutes=5)
_directory = Path("data/exports")
_link_ttl = timedelta(hours=24)
# One preparation at a time per event loop (a process serves on one; tests start one per test).
_gates: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, asyncio.Semaphore] = weakref.WeakKeyDictionary()
_tasks: set[asyncio.Task[None]] = set()


def configure(*, directory: Path, link_hours: int) -> None:
    """Where sealed export documents are written, and how long a download link works."""
    global _directory, _link_ttl
    _directory, _link_ttl = directory, timedelta(hours=link_hours)


def gate() -> asyncio.Semaphore:
    """The running loop's preparation gate (a semaphore is bound to the loop it first waited in)."""
    loop = asyncio.get_running_loop()
    if loop not in _gates:
        _gates[loop] = asyncio.Semaphore(1)
    return _gates[loop]


@dataclass(frozen=True)
class Requested:
    """A new export and the token of its download link (shown once, stored hashed)."""

    export: DataExport
    token: str


async def request(actor: Actor, *, user_id: int | None, reason: str | None) -> Requested:
    """Start an export of the caller's data (admins: anyone's, with a reason, audited); its link's token.

    A person has one export in preparation at a time; a ready one not yet downloaded is superseded.
    """
    caller = permissions.require_user(actor)
    on_behalf = user_id is not None and user_id != caller
    if on_behalf:
        permissions.require_role(
            actor, permissions.can_manage_users(actor), "Only admins can export another person's data."
        )
        why = privacy.check_reason(reason)
    target = user_id if on_behalf and user_id is not None else caller
    now = datetime.now(UTC)
    token = secrets.token_urlsafe(32)
    async with unit_of_work():
        if not await User.exists(id=target, erased_at=None):
            raise NotFound("No such user.", field="input.userId")
        await sql.lock(User, target)  # one person's requests take turns: one export in preparation
        if await DataExport.exists(user_id=target, status=ExportStatus.PENDING):
            raise Conflict("An export of this account is being prepared; download it when it is ready.")
        superseded = await _expire(DataExport.filter(user_id=target, status=ExportStatus.READY))
        export = await DataExport.create(
            user_id=target,
            requested_by_id=caller,
            token_hash=accounts.secret_digest(token),
            status=ExportStatus.PENDING,
            created_at=now,
            expires_at=now + _link_ttl,
        )
        if on_behalf:
            await privacy.audit_on_behalf(actor, target, audit.EXPORT_REQUESTED, why)
    await _remove_files(superseded)
    _spawn(export.id)
    log.info("export %s of user %s requested by %s", export.id, target, f"admin {caller}" if on_behalf else "them")
    return Requested(export, token)


async def recent(actor: Actor, limit: int = 10) -> list[DataExport]:
    """The caller's newest exports (their state: pending, ready, downloaded, expired, failed)."""
    caller = permissions.require_user(actor)
    return list(await DataExport.filter(user_id=caller).order_by("-id").limit(limit))


def _spawn(export_id: int) -> None:
    task = asyncio.create_task(prepare(export_id), name=f"beacon-export-{export_id}")
    _tasks.add(task)
    task.add_done_callback(_tasks.discard)


async def settled() -> None:
    """Wait for this process's preparations in flight (tests, and a graceful stop)."""
    while _tasks:
        await asyncio.gather(*list(_tasks), return_exceptions=True)


async def prepare_orphans() -> int:
    """Prepare exports a stopped process left pending (the scheduler); how many were started."""
    stale = DataExport.filter(status=ExportStatus.PENDING, created_at__lt=datetime.now(UTC) - ORPHANED_AFTER)
    ids = [int(i) for i in await sql.flat(stale.values_list("id", flat=True))]
    for export_id in ids:
        await prepare(export_id)
    return len(ids)


async def prepare(export_id: int) -> None:
    """Build, seal and store one export's document; mark it ready (or failed). Never raises."""
    async with gate():
        export = await DataExport.get_or_none(id=export_id, status=ExportStatus.PENDING)
        if export is None:
            return
        name = secrets.token_hex(16)
        try:
            document = json.dumps(await collect(export.user_id), ensure_ascii=False, indent=1).encode()
            wrapped, sealed_document = vault.seal_bytes(document, PURPOSE)
            await _write(name, sealed_document)
            done = await DataExport.filter(id=export_id, status=ExportStatus.PENDING).update(
                status=ExportStatus.READY, file_name=name, sealed_key=wrapped, ready_at=datetime.now(UTC)
            )
        except Exception:  # an export that cannot be built is marked failed; the person may ask again
            log.exception("export %s failed", export_id)
            await DataExport.filter(id=export_id, status=ExportStatus.PENDING).update(status=ExportStatus.FAILED)
            await _remove_files([name])
            return
        if not done:  # another process prepared it first, or it was superseded meanwhile
            await _remove_files([name])


@dataclass(frozen=True)
class Download:
    """A claimed export: its document, ready to stream as a ZIP."""

    document: dict[str, Any]


async def claim(token: str) -> Download | None:
    """The export a link's token names, claimed once (None: unknown, used, expired or not ready)."""
    if not token or len(token) > 100:
        return None
    export = await DataExport.get_or_none(token_hash=accounts.secret_digest(token))
    if export is None or export.file_name is None or export.sealed_key is None:
        return None
    now = datetime.now(UTC)
    claimed = await DataExport.filter(id=export.id, status=ExportStatus.READY, expires_at__gt=now).update(
        status=ExportStatus.DOWNLOADED, downloaded_at=now
    )
    if not claimed:
        return None
    try:
        sealed_document = await _read(export.file_name)
        document = json.loads(vault.open_bytes(export.sealed_key, sealed_document, PURPOSE))
    finally:
        await _remove_files([export.file_name])
    log.info("export %s downloaded", export.id)
    return Download(document)


async def zip_stream(download: Download, storage: media.MediaStorage) -> AsyncIterator[bytes]:
    """The ZIP, member by member: the JSON document, then each attachment decrypted from its sealed file."""
    sink = _Sink()
    with zipfile.ZipFile(sink, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(DOCUMENT, json.dumps(download.document, ensure_ascii=False, indent=1))
        yield sink.take()
        for entry in _attachments(download.document):
            data = await _open_attachment(storage, entry["mediaId"])
            if data is None:  # removed since (retention, the uploader's erasure): said so in its place
                archive.writestr(entry["file"] + ".missing.txt", "This file was removed after the export was prepared.")
            else:
                archive.writestr(zipfile.ZipInfo(entry["file"]), data, compress_type=zipfile.ZIP_STORED)
            yield sink.take()
    yield sink.take()


class _Sink(io.RawIOBase):
    """A write-only stream that hands over what was written (zipfile writes to it without seeking)."""

    def __init__(self) -> None:
        self._chunks: list[bytes] = []

    def writable(self) -> bool:
        return True

    def write(self, data: Any) -> int:
        self._chunks.append(bytes(data))
        return len(data)

    def take(self) -> bytes:
        out = b"".join(self._chunks)
        self._chunks.clear()
        return out


def _attachments(document: dict[str, Any]) -> Iterable[dict[str, Any]]:
    seen: set[str] = set()
    for consultation in document.get("consultations", []):
        for message in consultation["messages"]:
            for entry in message["attachments"]:
                if entry["file"] not in seen:
                    seen.add(entry["file"])
                    yield entry


async def _open_attachment(storage: media.MediaStorage, media_id: int) -> bytes | None:
    row = await MediaAsset.get_or_none(id=media_id, is_private=True)
    if row is None or row.sealed_name is None or row.sealed_key is None:
        return None
    data = await storage.read_sealed(row.sealed_name)
    return None if data is None else vault.open_bytes(row.sealed_key, data, FILE_PURPOSE)


# ------------------------------------------------------------------ the document (docs/privacy.md)


async def collect(user_id: int) -> dict[str, Any]:
    """Everything Beacon keeps about the person, as one JSON-ready document."""
    user = await User.get(id=user_id)
    return {
        "format": FORMAT,
        "generatedAt": _iso(datetime.now(UTC)),
        "account": await _account(user),
        "consents": await _consents(user_id),
        "consultations": await _consultations(user_id),
        "quizAttempts": await _attempts(user_id),
        "wrongQuestions": [
            {
                "questionId": q.question_id,
                "timesWrong": q.times_wrong,
                "lastWrongAt": _iso(q.last_wrong_at),
                "mastered": q.mastered,
            }
            for q in await WrongQuestion.filter(user_id=user_id).order_by("id")
        ],
        "learning": await _learning(user_id),
    }


def _iso(moment: datetime | None) -> str | None:
    return moment.astimezone(UTC).isoformat() if moment else None


async def _account(user: User) -> dict[str, Any]:
    organization = await Organization.get_or_none(id=user.organization_id) if user.organization_id else None
    return {
        "id": user.id,
        "username": user.username,
        "displayName": user.display_name,
        "roles": list(user.roles),
        "organization": organization.name if organization else None,
        "active": user.is_active,
        "createdAt": _iso(user.created_at),
        "deletionRequestedAt": _iso(user.deletion_requested_at),
    }


async def _consents(user_id: int) -> list[dict[str, Any]]:
    return [
        {
            "version": c.version,
            "purpose": c.purpose,
            "scope": list(c.scope),
            "locale": c.locale,
            "noticeText": c.notice_text,
            "acceptedAt": _iso(c.accepted_at),
            "withdrawnAt": _iso(c.withdrawn_at),
        }
        for c in await PrivacyConsent.filter(user_id=user_id).order_by("id")
    ]


async def _consultations(user_id: int) -> list[dict[str, Any]]:
    """Every thread the person takes part in (as client or expert), with everything in it; a few queries in all."""
    threads = (
        await Consultation.filter(purged_at=None)
        .filter(id__in=_thread_ids(user_id))
        .order_by("id")
        .prefetch_related("expert")
    )
    ids = [t.id for t in threads]
    messages = await ConsultationMessage.filter(consultation_id__in=ids).order_by("id")
    links = await MessageAttachment.filter(message_id__in=[m.id for m in messages]).order_by("position")
    assets = {a.id: a for a in await MediaAsset.filter(id__in=[link.media_id for link in links])}
    files: dict[int, list[dict[str, Any]]] = {}
    for link in links:
        asset = assets[link.media_id]
        files.setdefault(link.message_id, []).append(
            {
                "file": f"attachments/{asset.id}.{asset.extension}",
                "mediaId": asset.id,
                "mimeType": asset.mime_type,
                "byteSize": asset.byte_size,
                "sha256": asset.sha256,
            }
        )
    plans = await HelpPlanRevision.filter(consultation_id__in=ids).order_by("consultation_id", "revision")
    visits = await Visit.filter(consultation_id__in=ids).order_by("id")
    return [
        {
            "id": t.id,
            "role": "client" if t.client_id == user_id else "expert",
            "subject": t.subject,
            "status": t.status.value,
            "clientDisplayName": t.client_display_name,
            "expertDisplayName": t.expert.display_name,
            "createdAt": _iso(t.created_at),
            "messages": [
                {
                    "id": m.id,
                    "sentAt": _iso(m.sent_at),
                    "readAt": _iso(m.read_at),
                    "author": {"displayName": m.author_name, "isExpert": m.from_expert, "isMe": m.author_id == user_id},
                    "body": sealed.message_body(m),
                    "attachments": files.get(m.id, []),
                }
                for m in messages
                if m.consultation_id == t.id
            ],
            "helpPlanRevisions": [
                {
                    "revision": p.revision,
                    "goals": sealed.plan_goals(p),
                    "measures": sealed.plan_measures(p),
                    "followUpAt": _iso(p.follow_up_at),
                    "savedAt": _iso(p.created_at),
                }
                for p in plans
                if p.consultation_id == t.id
            ],
            "visits": [
                {
                    "status": v.status.value,
                    "scheduledAt": _iso(v.scheduled_at),
                    "location": sealed.visit_location(v),
                    "note": sealed.visit_note(v),
                    "requestedByMe": v.requested_by_id == user_id,
                    "requestedAt": _iso(v.created_at),
                }
                for v in visits
                if v.consultation_id == t.id
            ],
        }
        for t in threads
    ]


def _thread_ids(user_id: int) -> Subquery:
    return Subquery(Consultation.filter(Q(client_id=user_id) | Q(expert_user_id=user_id)).values("id"))


async def _attempts(user_id: int) -> list[dict[str, Any]]:
    attempts = await Attempt.filter(user_id=user_id).order_by("id")
    quizzes = dict(await Quiz.filter(id__in=[a.quiz_id for a in attempts if a.quiz_id]).values_list("id", "title"))
    items = await AttemptItem.filter(attempt_id__in=[a.id for a in attempts]).order_by("attempt_id", "position")
    return [
        {
            "id": a.id,
            "quiz": {"id": a.quiz_id, "title": quizzes.get(a.quiz_id)} if a.quiz_id else None,
            "kind": a.kind.value,
            "status": a.status.value,
            "startedAt": _iso(a.started_at),
            "submittedAt": _iso(a.submitted_at),
            "questions": a.total_count,
            "correct": a.correct_count,
            "score": a.score,
            "passed": a.passed,
            "answers": [
                {
                    "questionId": i.question_id,
                    "position": i.position,
                    "answer": i.answer,
                    "correct": i.correct,
                    "answeredAt": _iso(i.answered_at),
                }
                for i in items
                if i.attempt_id == a.id
            ],
        }
        for a in attempts
    ]


async def _learning(user_id: int) -> dict[str, Any]:
    progress = await LearningProgress.filter(user_id=user_id).order_by("id")
    titles = dict(await ContentItem.filter(id__in=[p.content_id for p in progress]).values_list("id", "title"))
    return {
        "progress": [
            {
                "contentId": p.content_id,
                "title": titles.get(p.content_id),
                "secondsSpent": p.seconds_spent,
                "completed": p.completed,
                "completedAt": _iso(p.completed_at),
                "firstViewedAt": _iso(p.first_viewed_at),
                "lastViewedAt": _iso(p.last_viewed_at),
            }
            for p in progress
        ],
        "days": [
            {"day": d.day.isoformat(), "seconds": d.seconds, "lessonsCompleted": d.lessons_completed}
            for d in await LearningDay.filter(user_id=user_id).order_by("day")
        ],
    }


# ------------------------------------------------------------------ files and expiry


async def _write(name: str, data: bytes) -> None:
    await aiofiles.os.makedirs(_directory, exist_ok=True)
    async with aiofiles.open(_directory / name, "wb") as file:
        await file.write(data)


async def _read(name: str) -> bytes:
    async with aiofiles.open(_directory / name, "rb") as file:
        data: bytes = await file.read()
    return data


async def _remove_files(names: Iterable[str | None]) -> None:
    for name in names:
        if name:
            with contextlib.suppress(FileNotFoundError):
                await aiofiles.os.remove(_directory / name)


async def _expire(query: QuerySet[DataExport]) -> list[str | None]:
    """Mark these exports expired (their links stop working); the names of their files, to remove."""
    rows = await query.values_list("id", "file_name")
    # Expiring now also lets the retention purge remove the row at its next run.
    await DataExport.filter(id__in=[pk for pk, _ in rows]).update(
        status=ExportStatus.EXPIRED, expires_at=datetime.now(UTC)
    )
    return [name for _, name in rows]


def expired(before: datetime) -> QuerySet[DataExport]:
    """Exports whose link expired before the cutoff (the retention purge's candidates)."""
    return DataExport.filter(expires_at__lt=before)


async def drop(ids: list[int], before: datetime) -> list[int]:
    """Delete these exports if still expired, with their files; the ids deleted."""
    if not ids:
        return []
    rows = await expired(before).filter(id__in=ids).values_list("id", "file_name")
    await DataExport.filter(id__in=[pk for pk, _ in rows]).delete()
    await _remove_files(name for _, name in rows)
    return sorted(int(pk) for pk, _ in rows)
