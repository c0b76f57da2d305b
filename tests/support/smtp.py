"""A real SMTP server (aiosmtpd) that keeps what it receives, for tests of outgoing mail.

It runs in aiosmtpd's own thread, so it answers while the test's event loop waits on
the sender. ``refuse`` makes it answer RCPT with a given reply (e.g. ``451 ...`` for a
temporary failure, ``550 ...`` for a permanent one) to every recipient; ``refuse_for``
does it for the addresses it names only (a relay that knows the other mailboxes).
"""

from __future__ import annotations

import email
import email.policy
import re
import threading
from email.message import EmailMessage

from aiosmtpd.controller import Controller

from support import free_ports

_LINK = re.compile(r"https?://[^\s<>\"']+")


class _Handler:
    def __init__(self, catcher: SmtpCatcher) -> None:
        self.catcher = catcher

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # type: ignore[no-untyped-def]
        if self.catcher.refuse:
            return self.catcher.refuse
        if address.lower() in self.catcher.refuse_for:
            return self.catcher.refuse_for[address.lower()]
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # type: ignore[no-untyped-def]
        msg = email.message_from_bytes(envelope.content, policy=email.policy.default)
        with self.catcher.lock:
            self.catcher.messages.append(msg)  # type: ignore[arg-type]
            self.catcher.envelopes.append((envelope.mail_from, list(envelope.rcpt_tos)))
        return "250 Message accepted for delivery"


class SmtpCatcher:
    def __init__(self) -> None:
        self.port = free_ports(1)[0]
        self.messages: list[EmailMessage] = []
        self.envelopes: list[tuple[str, list[str]]] = []
        self.refuse: str | None = None
        self.refuse_for: dict[str, str] = {}  # lower-cased address -> reply to its RCPT
        self.lock = threading.Lock()
        self.controller = Controller(_Handler(self), hostname="127.0.0.1", port=self.port)

    def start(self) -> None:
        self.controller.start()

    def stop(self) -> None:
        self.controller.stop()

    def to(self, address: str) -> list[EmailMessage]:
        return [m for m in self.messages if m["To"] == address]

    @staticmethod
    def text(msg: EmailMessage) -> str:
        part = msg.get_body(preferencelist=("plain",))
        assert part is not None, "the mail has no text part"
        return part.get_content()  # type: ignore[no-any-return]

    @staticmethod
    def html(msg: EmailMessage) -> str | None:
        part = msg.get_body(preferencelist=("html",))
        return part.get_content() if part is not None else None  # type: ignore[no-any-return]

    @classmethod
    def links(cls, msg: EmailMessage) -> list[str]:
        return _LINK.findall(cls.text(msg))

    @classmethod
    def link(cls, msg: EmailMessage) -> str:
        found = cls.links(msg)
        assert found, "the mail has no link"
        return found[0]
