"""The outbox dispatcher: every server process runs one (and `beacon worker` runs one alone).

It claims due messages, delivers them, and sleeps BEACON_OUTBOX_POLL_SECONDS when there is
nothing to do. Claims are leases taken in one statement, so any number of dispatchers in any
number of processes share the work without delivering a message twice (resolvers/integrations/outbox.py).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator
from datetime import timedelta

from resolvers.integrations import outbox
from resolvers.integrations.delivery import Deliverer, Mail, Timing
from settings import Settings

log = logging.getLogger("beacon.dispatcher")


def deliverer_for(settings: Settings) -> Deliverer:
    return Deliverer(
        secret_key=settings.secret_key,
        public_url=settings.public_url,
        mail=Mail(settings.smtp_url, settings.smtp_from, settings.portal_url),
        timing=Timing(
            lease=timedelta(seconds=settings.outbox_lease_seconds),
            retry_base=settings.outbox_retry_base_seconds,
            retry_cap=settings.outbox_retry_cap_seconds,
            max_age=timedelta(seconds=settings.outbox_max_age_seconds),
            timeout=settings.delivery_timeout_seconds,
            notice_delay=timedelta(seconds=settings.notice_delay_seconds),
        ),
    )


PURGE_EVERY = 1000  # idle polls between two purges of settled messages (about an hour at the default poll)


async def run_forever(deliverer: Deliverer, poll_seconds: float) -> None:
    """Deliver while there is work; otherwise wait a poll interval (and now and then forget old settled messages)."""
    idle = 0
    while True:
        try:
            if await deliverer.run_once():
                continue
            idle += 1
            if idle % PURGE_EVERY == 1:
                await outbox.purge_finished(deliverer.timing.retention)
        except Exception:  # keep the loop alive (the database may be away): the next tick retries
            log.exception("outbox dispatch failed")
        await asyncio.sleep(poll_seconds)


@contextlib.asynccontextmanager
async def running(settings: Settings) -> AsyncIterator[Deliverer]:
    """Run a dispatcher for the lifetime of the block."""
    deliverer = deliverer_for(settings)
    task = asyncio.create_task(run_forever(deliverer, settings.outbox_poll_seconds), name="beacon-outbox")
    try:
        yield deliverer
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
        await deliverer.close()
