"""Deliver claimed outbox messages: one try each, then settle, retry later with backoff, or give up."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from models.integrations import Channel
from resolvers.integrations import network, notices, outbox, webhooks, xapi

log = logging.getLogger("beacon.outbox")


@dataclass(frozen=True)
class Timing:
    """The outbox's clock: how often to look, how long a lease lasts, how to back off, when to give up."""

    batch: int = 50
    lease: timedelta = timedelta(seconds=60)
    retry_base: float = 10.0
    retry_cap: float = 6 * 3600.0
    max_age: timedelta = timedelta(days=3)
    timeout: float = 10.0
    notice_delay: timedelta = timedelta(minutes=5)
    retention: timedelta = timedelta(days=30)


@dataclass(frozen=True)
class Mail:
    smtp_url: str | None
    sender: str
    # Where e-mails to a consultation's client link (BEACON_PORTAL_URL); None: no link for them.
    portal_url: str | None = None


class Deliverer:
    """One process's delivery work: its HTTP pools and what it needs to sign, send and link."""

    def __init__(self, *, secret_key: str, public_url: str, mail: Mail, timing: Timing) -> None:
        self.secret_key = secret_key
        self.public_url = public_url
        self.mail = mail
        self.timing = timing
        self.http = network.Http(timing.timeout)

    async def run_once(self) -> int:
        """Claim a batch of due messages and try each once, side by side; how many were tried.

        With nothing due this is one read (no claim, no write): what every idle poll of every process costs.
        """
        if not await outbox.any_due():
            return 0
        claimed = await outbox.claim(self.timing.batch, self.timing.lease)
        if claimed:
            await asyncio.gather(*(self._one(m) for m in claimed))
        return len(claimed)

    async def _one(self, message: outbox.Claimed) -> None:
        try:
            await self._try(message)
        except Exception:  # one message's bug must not stop the others; its lease expires and it is tried again
            log.exception("outbox message %s could not be settled", message.id)

    async def _try(self, message: outbox.Claimed) -> None:
        endpoint = None
        if message.channel == Channel.WEBHOOK:
            outcome, endpoint = await webhooks.deliver(message, self.http, secret_key=self.secret_key)
        elif message.channel == Channel.EMAIL:
            outcome = await notices.deliver(
                message,
                smtp_url=self.mail.smtp_url,
                sender=self.mail.sender,
                public_url=self.public_url,
                portal_url=self.mail.portal_url,
                smtp_timeout=self.timing.timeout,
                delay=self.timing.notice_delay,
            )
        else:
            outcome = await xapi.deliver(message, self.http, secret_key=self.secret_key, public_url=self.public_url)
        if not await outbox.finish(message, outcome, retry_at=self._retry_at(message, outcome)):
            log.warning("outbox message %s: lease lost before it was settled", message.id)
            return
        if not (outcome.succeeded or outcome.cancelled or outcome.deferred_until):
            log.info(
                "outbox message %s (%s) try %d failed: %s",
                message.id,
                message.channel.value,
                message.attempt_count + 1,
                outcome.error,
            )
        if endpoint is not None and not outcome.cancelled and outcome.deferred_until is None:
            await webhooks.track_health(endpoint, outcome.succeeded, max_failing=self.timing.max_age)

    def _retry_at(self, message: outbox.Claimed, outcome: outbox.Outcome) -> datetime | None:
        """When to try again, or None: settled, not retryable, or older than the retry window (three days)."""
        if outcome.succeeded or outcome.cancelled or outcome.deferred_until or not outcome.retry:
            return None
        moment = datetime.now(UTC)
        delay = outbox.backoff(message.attempt_count + 1, self.timing.retry_base, self.timing.retry_cap)
        if moment + delay - message.created_at > self.timing.max_age:
            return None
        return moment + delay

    async def close(self) -> None:
        await self.http.close()
