"""The outbox worker: claim due mails, send them over SMTP, record the outcome.

A round claims a batch by pushing its ``next_attempt_at`` one lease ahead (PostgreSQL:
``FOR UPDATE SKIP LOCKED``, so two workers never claim the same row), commits, then
sends outside any transaction. A mail is marked sent only after the server accepted it;
a crash between the two sends it again after the lease (at least once, never lost).
Temporary failures are retried with doubling back-off up to ``mail_retry_max_delay``;
a permanent refusal of the recipient (5xx), or a stored mail that cannot be turned into
a message at all (a bad header value: retrying cannot mend it), marks the mail
``failed`` with the reason. A mail whose failure means something to the registry (the
confirmation link of an e-mail change: the new address does not take mail, so the old
one stays) is handed to its action's ``on_bounce`` in the transaction that marks it
failed (``bounces``, given by whoever starts the sender); this is the registry's bounce
intake until one reads the relay's delivery reports. Each mail is handled on its own:
one that fails never holds back the others. The failure is logged (with its traceback
when it is not an SMTP answer) once per mail and kind of failure; a retry that fails
the same way logs one line at INFO.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from datetime import timedelta
from email.message import EmailMessage
from email.utils import format_datetime
from typing import Any

import aiosmtplib
from sqlalchemy import Row, select, update

from dkreg.clock import Clock
from dkreg.config import DEFAULT_SMTP_PORT, Settings
from dkreg.store.context import Ctx
from dkreg.store.db import Database
from dkreg.store.schema import mail_outbox

log = logging.getLogger("dkreg.mail")

LEASE = timedelta(minutes=5)
# ``async def on_bounce(ctx, outbox_row, reason)``, called when a mail is given up for good;
# the sender gets them by mail kind from whoever starts it (the app passes the actions'
# ``BOUNCES``): mail sits below the actions that queue the mails
OnBounce = Callable[[Ctx, Any, str], Awaitable[None]]
FIRST_RETRY = 30.0


@dataclass
class SendReport:
    sent: int = 0
    retried: int = 0
    failed: int = 0
    errors: list[str] = field(default_factory=list)


def backoff(attempts: int, cap: float) -> timedelta:
    """30 s, 60 s, 120 s, ... after the 1st, 2nd, 3rd failed attempt, at most ``cap``."""
    return timedelta(seconds=min(cap, FIRST_RETRY * 2 ** max(0, attempts - 1)))


def build_message(row: Row[Any], settings: Settings) -> EmailMessage:
    msg = EmailMessage()
    msg["From"] = settings.mail_from
    msg["To"] = row.to_addr
    msg["Subject"] = row.subject
    msg["Message-ID"] = row.message_id
    msg["Date"] = format_datetime(row.created_at)
    msg["Auto-Submitted"] = "auto-generated"
    msg["X-Dkreg-Kind"] = row.kind
    msg.set_content(row.body_text)
    if row.body_html:
        msg.add_alternative(row.body_html, subtype="html")
    msg["Content-Language"] = row.lang  # after the bodies: set_content drops Content-*
    return msg


def permanent(exc: Exception) -> bool:
    """The server refused the recipient or the message for good (5xx)."""
    if isinstance(exc, aiosmtplib.SMTPRecipientsRefused):
        return all(500 <= r.code < 600 for r in exc.recipients)
    return isinstance(exc, aiosmtplib.SMTPResponseException) and 500 <= exc.code < 600 \
        and not isinstance(exc, aiosmtplib.SMTPAuthenticationError)


def failure_kind(exc: Exception) -> str:
    """The exception's class, with the SMTP reply code(s) when the server answered: a
    451 that becomes a 550 is a new kind of failure (and logged again)."""
    codes: list[int] = []
    if isinstance(exc, aiosmtplib.SMTPRecipientsRefused):
        codes = sorted({r.code for r in exc.recipients})
    elif isinstance(exc, aiosmtplib.SMTPResponseException):
        codes = [exc.code]
    return " ".join([type(exc).__name__, *map(str, codes)])


class MailSender:
    def __init__(self, db: Database, settings: Settings, clock: Clock,
                 bounces: Mapping[str, OnBounce] | None = None) -> None:
        self.db = db
        self.settings = settings
        self.clock = clock
        self.bounces: Mapping[str, OnBounce] = bounces or {}
        self.wakeup = asyncio.Event()

    async def _claim(self) -> list[Row[Any]]:
        now = self.clock.now()
        query = (select(mail_outbox).where(mail_outbox.c.status == "queued",
                                           mail_outbox.c.next_attempt_at <= now)
                 .order_by(mail_outbox.c.next_attempt_at, mail_outbox.c.id)
                 .limit(self.settings.mail_batch))
        if not self.db.is_sqlite:
            query = query.with_for_update(skip_locked=True)
        async with self.db.begin() as conn:
            rows = list(await conn.execute(query))
            if rows:
                await conn.execute(update(mail_outbox)
                                   .where(mail_outbox.c.id.in_([r.id for r in rows]))
                                   .values(next_attempt_at=now + LEASE))
        return rows

    async def _send(self, msg: EmailMessage) -> None:
        s = self.settings
        await aiosmtplib.send(
            msg, hostname=s.smtp_host, timeout=s.smtp_timeout,
            port=DEFAULT_SMTP_PORT if s.smtp_port is None else s.smtp_port,
            use_tls=s.smtp_security == "tls", start_tls=s.smtp_security == "starttls",
            username=s.smtp_username or None, password=s.smtp_password or None)

    async def send_due(self) -> SendReport:
        """One round: every due mail, once."""
        report = SendReport()
        for row in await self._claim():
            values: dict[str, object]
            try:
                msg = build_message(row, self.settings)
            except Exception as exc:  # the stored mail itself is bad: no retry mends it
                values = self._failed(row, exc, report, lasting=True)
            else:
                try:
                    await self._send(msg)
                except Exception as exc:  # any failure: record it, keep the mail
                    values = self._failed(row, exc, report, lasting=permanent(exc))
                else:
                    values = {"status": "sent", "sent_at": self.clock.now(),
                              "attempts": row.attempts + 1, "last_error": None}
                    report.sent += 1
            await self._record(row, values)
        return report

    async def _record(self, row: Row[Any], values: dict[str, object]) -> None:
        """Store the outcome; a mail given up that is a bounce to the registry goes to
        its action in the same transaction. Should that action fail, the outcome is
        stored anyway (logged): the mail must not be sent again for it."""
        on_bounce = self.bounces.get(row.kind) if values.get("status") == "failed" else None
        if on_bounce is not None:
            try:
                async with self.db.begin() as conn:
                    await conn.execute(update(mail_outbox).where(mail_outbox.c.id == row.id)
                                       .values(**values))
                    await on_bounce(
                        Ctx(conn=conn, now=self.clock.now(), settings=self.settings,
                            is_sqlite=self.db.is_sqlite, door="mail"),
                        row, str(values.get("last_error") or ""))
                return
            except Exception:
                log.exception("bounce of mail %s (%s) to %s not handled", row.id, row.kind,
                              row.to_addr)
        async with self.db.begin() as conn:
            await conn.execute(update(mail_outbox).where(mail_outbox.c.id == row.id)
                               .values(**values))

    def _failed(self, row: Row[Any], exc: Exception, report: SendReport,
                lasting: bool) -> dict[str, object]:
        """The outbox values after a failed attempt (``lasting``: the mail is failed)."""
        kind = failure_kind(exc)
        reason = f"{kind}: {exc}"[:2000]
        report.errors.append(reason)
        values: dict[str, object] = {"attempts": row.attempts + 1, "last_error": reason}
        if lasting:
            values["status"] = "failed"
            report.failed += 1
        else:
            values["next_attempt_at"] = self.clock.now() + backoff(
                row.attempts + 1, self.settings.mail_retry_max_delay)
            report.retried += 1
        outcome = "given up" if lasting else "will retry"
        if (row.last_error or "").split(":", 1)[0] != kind:
            smtp_answer = isinstance(exc, aiosmtplib.SMTPException)
            log.warning("mail %s to %s not sent (%s): %s", row.id, row.to_addr, outcome,
                        reason, exc_info=None if smtp_answer else exc)
        else:
            log.info("mail %s to %s still not sent (attempt %d, %s): %s", row.id,
                     row.to_addr, row.attempts + 1, outcome, reason)
        return values

    async def run(self) -> None:
        """Rounds every ``mail_interval`` seconds, or at once when woken."""
        while True:
            # asyncio.timeout, not wait_for: on Python 3.11 wait_for swallows a cancel that
            # arrives as the wake-up fires, and stop() then waits for this loop forever
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(self.settings.mail_interval):
                    await self.wakeup.wait()
            self.wakeup.clear()
            try:
                await self.send_due()
            except Exception:
                log.exception("mail round failed; retrying next round")
