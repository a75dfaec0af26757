"""Scheduled publication and unpublication, run by scheduler.py in every worker process."""

from __future__ import annotations

import logging
from datetime import UTC, datetime

from tortoise.transactions import in_transaction

from models import sql
from models.content import ContentItem, PublicationStatus
from resolvers.content import items
from resolvers.errors import DomainError

log = logging.getLogger("beacon.schedules")


async def run_due_schedules(now: datetime | None = None) -> int:
    """Publish and unpublish what is due; each row is claimed by one atomic UPDATE, so several workers never double-act."""
    now = now or datetime.now(UTC)
    done = 0
    for pk in await sql.flat(ContentItem.filter(publish_at__lte=now).values_list("id", flat=True)):
        done += await _run(pk, "publish_at", PublicationStatus.PUBLISHED, now)
    for pk in await sql.flat(ContentItem.filter(unpublish_at__lte=now).values_list("id", flat=True)):
        done += await _run(pk, "unpublish_at", PublicationStatus.ARCHIVED, now)
    return done


async def _run(pk: int, column: str, status: PublicationStatus, now: datetime) -> int:
    try:
        async with in_transaction():
            claimed = await ContentItem.filter(id=pk, **{f"{column}__lte": now}).update(**{column: None})
            if not claimed:
                return 0  # another worker got it
            item = await ContentItem.get(id=pk)
            if status == PublicationStatus.ARCHIVED and item.status != PublicationStatus.PUBLISHED:
                return 1
            await items.set_status(None, item.content_type, pk, status)
            return 1
    except DomainError as error:
        # Claimed but refused (say an image lost its alt text): clear the schedule and say why in the log.
        await ContentItem.filter(id=pk).update(**{column: None})
        log.warning("scheduled %s of content %s refused: %s", status.value, pk, error.message)
        return 0
