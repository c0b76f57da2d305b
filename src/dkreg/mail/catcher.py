"""The sandbox mail catcher: an SMTP server inside ``dkreg serve`` that keeps every mail
the registry sends, so a tester can open the links at ``/dev/mail``.

Mails go to a Maildir under the data directory (one file each, kept across restarts,
readable with any mail program). It listens where the outbox sends (``smtp_host`` and
``smtp_port``) and only in sandbox mode; production sends to a real mail server.
"""

from __future__ import annotations

import asyncio
import email
import email.policy
import logging
import mailbox
from dataclasses import dataclass
from datetime import UTC, datetime
from email.message import EmailMessage
from pathlib import Path

from aiosmtpd.smtp import SMTP, Envelope, Session

from dkreg.config import Settings

log = logging.getLogger("dkreg.mail")

MAX_MESSAGE = 10 * 1024 * 1024


def maildir_path(settings: Settings) -> Path:
    return settings.data_dir / "dev-mail"


class _Keep:
    def __init__(self, maildir: mailbox.Maildir) -> None:
        self.maildir = maildir

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        content = envelope.content if isinstance(envelope.content, bytes) \
            else str(envelope.content).encode()
        self.maildir.add(content)
        return "250 Message accepted for delivery"


class MailCatcher:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.server: asyncio.base_events.Server | None = None

    async def start(self) -> bool:
        """Listen; False (logged) when the port is taken, e.g. by a real mail server."""
        folder = mailbox.Maildir(maildir_path(self.settings), create=True)
        handler = _Keep(folder)
        loop = asyncio.get_running_loop()
        try:
            self.server = await loop.create_server(
                lambda: SMTP(handler, data_size_limit=MAX_MESSAGE, hostname="dkreg-sandbox"),
                self.settings.smtp_host, self.settings.smtp_port)
        except OSError as exc:
            log.warning("sandbox mail catcher not started on %s:%s (%s); mail goes to "
                        "whatever listens there", self.settings.smtp_host,
                        self.settings.smtp_port, exc)
            return False
        log.info("sandbox mail catcher on %s:%s, mails at /dev/mail",
                 self.settings.smtp_host, self.settings.smtp_port)
        return True

    async def stop(self) -> None:
        if self.server is not None:
            self.server.close()
            await self.server.wait_closed()


@dataclass(frozen=True)
class CaughtMail:
    key: str
    received_at: datetime
    message: EmailMessage

    @property
    def subject(self) -> str:
        return str(self.message.get("Subject", ""))

    @property
    def to(self) -> str:
        return str(self.message.get("To", ""))

    def text(self) -> str:
        part = self.message.get_body(preferencelist=("plain",))
        return part.get_content() if part is not None else ""  # type: ignore[no-any-return]

    def html(self) -> str | None:
        part = self.message.get_body(preferencelist=("html",))
        return part.get_content() if part is not None else None  # type: ignore[no-any-return]


def caught(settings: Settings) -> list[CaughtMail]:
    """Every caught mail, newest first."""
    path = maildir_path(settings)
    if not path.exists():
        return []
    folder = mailbox.Maildir(path, create=False)
    found = []
    for key in folder.keys():  # noqa: SIM118 - iterating a Maildir yields messages
        msg = email.message_from_bytes(folder.get_bytes(key), policy=email.policy.default)
        # a Maildir file name starts with its delivery time in epoch seconds
        stamp = int(key.split(".", 1)[0]) if key.split(".", 1)[0].isdigit() else 0
        found.append(CaughtMail(key, datetime.fromtimestamp(stamp, UTC), msg))  # type: ignore[arg-type]
    return sorted(found, key=lambda m: (m.received_at, m.key), reverse=True)


def caught_one(settings: Settings, key: str) -> CaughtMail | None:
    return next((m for m in caught(settings) if m.key == key), None)
