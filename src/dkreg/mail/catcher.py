"""The sandbox mail catcher: an SMTP server inside ``dkreg serve`` that keeps every mail
the registry sends, so a tester can open the links at ``/dev/mail``.

Mails go to a Maildir under the data directory (one file each, kept across restarts,
readable with any mail program). It listens where the outbox sends (``smtp_host`` and
``smtp_port``; by default a port of the data directory's own) and only in sandbox mode;
production sends to a real mail server.
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


class MailPortTaken(OSError):
    """The catcher cannot listen where the outbox sends: mail would go to whoever holds
    the port (another sandbox's catcher), so ``dkreg serve`` refuses to start."""


def port_file(settings: Settings) -> Path:
    """Where a data directory keeps the catcher port chosen at its first start."""
    return settings.data_dir / "smtp-port"


def _kept_port(settings: Settings) -> int | None:
    path = port_file(settings)
    try:
        text = path.read_text().strip()
    except FileNotFoundError:
        return None
    if not text.isdigit() or not 0 < int(text) < 65536:
        raise ValueError(f"{path} should hold the sandbox mail port, not {text!r}; "
                            "delete it to choose a new one")
    return int(text)


class MailCatcher:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.server: asyncio.base_events.Server | None = None

    async def start(self) -> None:
        """Listen on ``smtp_host:smtp_port`` and point the outbox there.

        Without a configured ``smtp_port`` the port is this data directory's own: a free
        one at the first start, kept in ``smtp-port`` and reused, so two sandboxes never
        share a catcher. A port already taken is an error naming the setting.
        """
        folder = mailbox.Maildir(maildir_path(self.settings), create=True)
        handler = _Keep(folder)
        host, configured = self.settings.smtp_host, self.settings.smtp_port
        kept = _kept_port(self.settings) if configured is None else None
        port = configured if configured is not None else kept
        self.server = await self._listen(handler, host, port or 0, configured is not None)
        ports = sorted({int(sock.getsockname()[1]) for sock in self.server.sockets})
        if len(ports) > 1:  # a host name with two addresses got a free port on each
            self.server.close()
            await self.server.wait_closed()
            self.server = await self._listen(handler, host, ports[0], False)
        if configured is None and kept != ports[0]:
            port_file(self.settings).write_text(f"{ports[0]}\n")
        self.settings.smtp_port = ports[0]  # the outbox sends here
        log.info("sandbox mail catcher on %s:%s, mails at /dev/mail", host, ports[0])

    async def _listen(self, handler: _Keep, host: str, port: int, configured: bool
                      ) -> asyncio.base_events.Server:
        loop = asyncio.get_running_loop()
        try:
            return await loop.create_server(
                lambda: SMTP(handler, data_size_limit=MAX_MESSAGE, hostname="dkreg-sandbox"),
                host, port)
        except OSError as exc:
            reason = exc.strerror or str(exc)
            if configured:
                raise MailPortTaken(
                    f"the sandbox mail catcher cannot listen on {host}:{port} ({reason}): "
                    "choose another smtp_port (--smtp-port, DKREG_SMTP_PORT), leave it unset "
                    "for a port of this data directory's own, or set dev_mail_catcher = "
                    "false to send to the mail server listening there") from exc
            raise MailPortTaken(
                f"the sandbox mail catcher cannot listen on {host}:{port} ({reason}), the "
                f"port this data directory keeps in {port_file(self.settings)}: is another "
                "dkreg serve running on this data directory? Set smtp_port (--smtp-port) "
                "to use another port, or delete that file to choose a new one") from exc

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
        return part.get_content() if part is not None else ""

    def html(self) -> str | None:
        part = self.message.get_body(preferencelist=("html",))
        return part.get_content() if part is not None else None


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
        found.append(CaughtMail(key, datetime.fromtimestamp(stamp, UTC), msg))
    return sorted(found, key=lambda m: (m.received_at, m.key), reverse=True)


def caught_one(settings: Settings, key: str) -> CaughtMail | None:
    return next((m for m in caught(settings) if m.key == key), None)


def caught_count(settings: Settings) -> int:
    """How many mails are caught, without reading them (the viewer polls this)."""
    path = maildir_path(settings)
    if not path.exists():
        return 0
    return len(mailbox.Maildir(path, create=False).keys())
