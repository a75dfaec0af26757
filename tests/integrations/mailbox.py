"""A real SMTP server in-process (aiosmtpd, on its own thread): what arrived, as parsed e-mails."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from email import message_from_bytes, policy
from email.message import EmailMessage

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope, Session

from tests.live import free_port


class Mailbox:
    """Keeps every message the SMTP server accepted."""

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []
        self.recipients: list[list[str]] = []

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:  # noqa: N802 (aiosmtpd's hook name)
        content = envelope.original_content or b""
        self.messages.append(message_from_bytes(content, policy=policy.default))  # type: ignore[arg-type]  # typeshed wants the policy class, not the instance it accepts
        self.recipients.append(list(envelope.rcpt_tos))
        return "250 Message accepted for delivery"

    def to(self, address: str) -> list[EmailMessage]:
        return [m for m, r in zip(self.messages, self.recipients, strict=True) if address in r]


@contextlib.contextmanager
def smtp_server() -> Iterator[tuple[str, Mailbox]]:
    """An SMTP server on a loopback port; yields its smtp:// URL and its mailbox."""
    mailbox = Mailbox()
    port = free_port()
    controller = Controller(mailbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield f"smtp://127.0.0.1:{port}", mailbox
    finally:
        controller.stop()
