"""The transactional outbox: write events with the change they report, claim them once, record every try.

Writing costs one statement whatever the fan-out: an INSERT … SELECT whose SELECT branches find
the subscribed destinations (webhook endpoints, people who want e-mail, an organization's LRS) and
insert one row each, or nothing at all when nobody listens. The quiz-submit path on 26 June pays
that one statement and no more (tests/integrations/test_outbox.py pins it).

Claiming: one UPDATE … WHERE id IN (SELECT … FOR UPDATE SKIP LOCKED) … RETURNING on PostgreSQL,
the same statement without the row locks on SQLite, where the single writer serialises it. A claim
is a lease (locked_until, lease_token): delivery happens outside any transaction, and a process
killed mid-delivery leaves a lease that expires, so another process delivers the message
(at least once; the stable webhook-id lets receivers drop a repeat).
"""

from __future__ import annotations

import random
import secrets
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import orjson
from tortoise.transactions import in_transaction

from models import sql
from models.integrations import Channel, DeliveryAttempt, DeliveryStatus

COLUMNS = "uid, channel, target_id, event_type, payload, status, attempt_count, next_attempt_at, created_at"
RETURNED = "id, uid, channel, target_id, event_type, payload, attempt_count, created_at"


def now() -> datetime:
    return datetime.now(UTC)


def db_time(moment: datetime) -> Any:
    """A timestamp as a statement parameter: ISO text in UTC on SQLite (as Tortoise stores it), a datetime on PostgreSQL."""
    if sql.is_sqlite():
        return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f+00:00")
    return moment


async def changed_rows(statement: str, params: Sequence[Any]) -> list[Sequence[Any]]:
    """Rows of an UPDATE … RETURNING (Tortoise's PostgreSQL client drops them unless the statement starts with WITH)."""
    if not sql.is_sqlite():
        statement = f"WITH changed AS ({statement}) SELECT * FROM changed"  # noqa: S608 (statements of this module)
    return await sql.select(statement, params)


@dataclass(frozen=True)
class Fanout:
    """One SELECT branch of the outbox insert: the destinations of one channel that get this payload.

    `target` is the SQL expression of the destination id, `source` the FROM … WHERE … naming them.
    """

    channel: Channel
    target: str
    source: str
    params: Sequence[Any]
    payload: dict[str, Any]
    delay: timedelta = timedelta(0)


async def enqueue(event_type: str, fanouts: Sequence[Fanout]) -> None:
    """Write the event's rows in this transaction, one per subscribed destination, in one statement."""
    if not fanouts:
        return
    moment = now()
    # PostgreSQL types the parameters of a UNION's branches as text unless told.
    json_cast, time_cast = ("?", "?") if sql.is_sqlite() else ("CAST(? AS JSONB)", "CAST(? AS TIMESTAMPTZ)")
    branches, params = [], []
    for fanout in fanouts:
        prefix = f"{uuid.uuid4().hex}-{fanout.channel.value[0].lower()}"
        branches.append(
            f"SELECT ? || CAST({fanout.target} AS TEXT), ?, {fanout.target}, ?, {json_cast}, ?, 0, "
            f"{time_cast}, {time_cast} {fanout.source}"
        )
        params += [
            prefix,
            fanout.channel.value,
            event_type,
            orjson.dumps(fanout.payload).decode(),
            DeliveryStatus.PENDING.value,
            db_time(moment + fanout.delay),
            db_time(moment),
            *fanout.params,
        ]
    # Only constant fragments are joined here; every value is a parameter.
    statement = f"INSERT INTO outbox_message ({COLUMNS}) " + " UNION ALL ".join(branches)
    await sql.select(statement, params)


@dataclass
class Claimed:
    """A message this process holds the lease of."""

    id: int
    uid: str
    channel: Channel
    target_id: int
    event_type: str
    payload: dict[str, Any]
    attempt_count: int
    created_at: datetime
    lease_token: str = ""


@dataclass(frozen=True)
class Outcome:
    """What one try came to."""

    succeeded: bool
    response_status: int | None = None
    error: str | None = None
    retry: bool = True  # False: no later try can succeed
    cancelled: bool = False  # nothing to send any more (not a failure)
    deferred_until: datetime | None = None  # not due yet (an unread-message notice waits a few minutes): no try made
    started_at: datetime = field(default_factory=now)
    duration_ms: int = 0


DUE = "status = ? AND next_attempt_at <= ? AND (locked_until IS NULL OR locked_until < ?)"


async def any_due() -> bool:
    """Whether some message is due and unclaimed: one indexed read, all an idle dispatcher pays per poll.

    The claim is an UPDATE: on SQLite it takes the database's single write lock even when it changes
    nothing, so an idle process asking with it every poll would queue behind (and hold up) real writes.
    """
    moment = db_time(now())
    rows = await sql.select(
        f"SELECT 1 FROM outbox_message WHERE {DUE} LIMIT 1",  # noqa: S608 (a constant fragment)
        [DeliveryStatus.PENDING.value, moment, moment],
    )
    return bool(rows)


async def claim(limit: int, lease: timedelta) -> list[Claimed]:
    """Take the lease of up to `limit` due messages; concurrent claimers never get the same one."""
    moment = now()
    token = secrets.token_hex(16)
    lock = "" if sql.is_sqlite() else " FOR UPDATE SKIP LOCKED"
    statement = (
        "UPDATE outbox_message SET locked_until = ?, lease_token = ? WHERE id IN ("  # noqa: S608 (constant fragments)
        f"SELECT id FROM outbox_message WHERE {DUE} ORDER BY next_attempt_at, id LIMIT ?{lock}) "
        f"RETURNING {RETURNED}"
    )
    rows = await changed_rows(
        statement,
        [db_time(moment + lease), token, DeliveryStatus.PENDING.value, db_time(moment), db_time(moment), limit],
    )
    return [_claimed(row, token) for row in rows]


def _claimed(row: Sequence[Any], token: str) -> Claimed:
    payload = row[5]
    return Claimed(
        id=int(row[0]),
        uid=str(row[1]),
        channel=Channel(row[2]),
        target_id=int(row[3]),
        event_type=str(row[4]),
        payload=orjson.loads(payload) if isinstance(payload, (str, bytes)) else dict(payload),
        attempt_count=int(row[6]),
        created_at=sql.to_datetime(row[7]) or now(),
        lease_token=token,
    )


def backoff(attempts: int, base: float, cap: float) -> timedelta:
    """Exponential delay after the n-th failed try, with full jitter in its upper half."""
    ceiling = min(cap, base * 2 ** max(0, attempts - 1))
    return timedelta(seconds=ceiling * random.uniform(0.5, 1.0))  # noqa: S311 (jitter, not a secret)


async def finish(message: Claimed, outcome: Outcome, *, retry_at: datetime | None) -> bool:
    """Record the try and settle the message (retry_at None: no further try); False if the lease was lost."""
    tried = not (outcome.cancelled or outcome.deferred_until)
    number = message.attempt_count + 1 if tried else message.attempt_count
    if outcome.deferred_until is not None:
        status, retry_at = DeliveryStatus.PENDING, outcome.deferred_until
    elif outcome.cancelled:
        status = DeliveryStatus.CANCELLED
    elif outcome.succeeded:
        status = DeliveryStatus.DELIVERED
    else:
        status = DeliveryStatus.PENDING if retry_at is not None else DeliveryStatus.FAILED
    settled = status != DeliveryStatus.PENDING
    moment = now()
    async with in_transaction():
        updated = await changed_rows(
            "UPDATE outbox_message SET status = ?, attempt_count = ?, next_attempt_at = ?, locked_until = NULL, "
            "lease_token = NULL, finished_at = ?, last_error = ? WHERE id = ? AND lease_token = ? RETURNING id",
            [
                status.value,
                number,
                db_time(retry_at or moment),
                db_time(moment) if settled else None,
                (outcome.error or "")[:300] or None,
                message.id,
                message.lease_token,
            ],
        )
        if not updated:
            return False
        if tried:
            await DeliveryAttempt.create(
                message_id=message.id,
                number=number,
                started_at=outcome.started_at,
                duration_ms=outcome.duration_ms,
                response_status=outcome.response_status,
                error=(outcome.error or "")[:300] or None,
                succeeded=outcome.succeeded,
            )
    return True


async def purge_finished(older_than: timedelta) -> int:
    """Forget settled messages (and their tries) past the retention period, so the outbox does not grow forever."""
    rows = await changed_rows(
        "DELETE FROM outbox_message WHERE status <> ? AND finished_at < ? RETURNING id",
        [DeliveryStatus.PENDING.value, db_time(now() - older_than)],
    )
    return len(rows)


async def fail_pending(channel: Channel, target_id: int, reason: str) -> int:
    """Give up every pending message of one destination (its endpoint was disabled or removed)."""
    rows = await changed_rows(
        "UPDATE outbox_message SET status = ?, finished_at = ?, last_error = ?, locked_until = NULL, lease_token = NULL "
        "WHERE channel = ? AND target_id = ? AND status = ? RETURNING id",
        [
            DeliveryStatus.FAILED.value,
            db_time(now()),
            reason[:300],
            channel.value,
            target_id,
            DeliveryStatus.PENDING.value,
        ],
    )
    return len(rows)
