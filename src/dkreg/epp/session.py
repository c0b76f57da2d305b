"""One EPP session: greeting, login state, budgets, error counting, dispatch.

Budgets are explicit (as in aiosmtpd): the idle timeout and the absolute session
length close the session; a connection that has not logged in within
``epp_login_timeout`` of its greeting is closed (``<hello>`` and failed logins do not
extend it; a command still running then gets its closing variant); a frame that breaks
framing closes it without a reply; the same kind of error three times answers 25xx and
closes. A session the server opened over its connection caps (``refused``) answers its
first command, whatever it is, with 2502 and closes.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
import time
from datetime import datetime
from types import ModuleType
from typing import TYPE_CHECKING

from sqlalchemy.ext.asyncio import AsyncConnection

from dkreg import __version__, runner
from dkreg.actions.session import login_throttle
from dkreg.details import Detail
from dkreg.epp import dispatch
from dkreg.epp.codec.namespaces import (
    ANNOUNCED_EXTENSION_URIS,
    DKHM_43,
    EPP,
    OBJECT_URIS,
    OBJECTS,
    q,
)
from dkreg.epp.codec.response import Response, render, render_greeting
from dkreg.epp.codec.xml import Element, Frame, decode_frame, element_name, ns_of, parse_frame
from dkreg.epp.framing import FrameError, encode_frame, read_frame
from dkreg.epp.request import Request
from dkreg.errors import EppError, err
from dkreg.store.audit import AuditEvent
from dkreg.store.audit import write as write_audit
from dkreg.store.context import Actor, Ctx

if TYPE_CHECKING:
    from dkreg.services import Services

log = logging.getLogger("dkreg.epp")

CLOSING = {2200: 2501, 2201: 2501, 2202: 2501}


def closing_code(code: int) -> int:
    """The 'server closing connection' variant a final response gets.

    The registry documents 1501/2503 too, but the EPP schema only has 1500, 2500,
    2501 and 2502, and dkreg's responses must validate.
    """
    if code < 2000:
        return 1500
    return CLOSING.get(code, 2500)


def why_closed(exc: BaseException, logged_in: bool) -> str:
    """Why reading the next frame ended, in words for the log (never a traceback: a
    client that goes away is an everyday event, not a server fault)."""
    if isinstance(exc, asyncio.IncompleteReadError):
        if exc.partial:
            return "client closed the connection in the middle of a frame"
        return ("client closed the connection without logout" if logged_in
                else "client closed the connection")
    if isinstance(exc, TimeoutError):
        return "closed: no complete frame within the idle or read timeout"
    if isinstance(exc, FrameError):
        return f"closed: {exc}"
    return f"connection lost ({type(exc).__name__})"


new_sv_trid = runner.new_sv_trid


class Session:
    def __init__(self, services: Services, reader: asyncio.StreamReader,
                 writer: asyncio.StreamWriter, server: object | None = None,
                 refused: Detail | None = None) -> None:
        self.services = services
        # why the server is over its connection caps for this one (EppServer._admit)
        self.refused = refused
        self.reader = reader
        self.writer = writer
        self.server = server
        self.actor: Actor | None = None
        # the dkhm version of answers to requests without dkhm elements and of poll
        # messages; login sets it (commands/session/login.py: session_dkhm)
        self.dkhm_ns = DKHM_43
        # announced urn:ietf:params:xml:ns:rgp-1.0 at login: only then may responses carry
        # rgp elements (RFC 5730 §2.9.1.1)
        self.rgp = False
        self.login_at: float | None = None
        self.login_time: datetime | None = None
        self.started = time.monotonic()  # the greeting follows at once: the login deadline
        self.errors: dict[int, int] = {}
        self.busy = False
        self.closing = False
        self.shutdown_requested = False
        peer = writer.get_extra_info("peername")
        self.client_ip = peer[0] if peer else None
        self.peer = f"{peer[0]}:{peer[1]}" if peer else "?"  # kept: gone once it closes

    def who(self) -> str:
        """The session for a log line: its service user (once logged in) and its peer."""
        if self.actor is None:
            return f"session from {self.peer} (not logged in)"
        return f"session of {self.actor.login} from {self.peer}"

    # -- lifecycle -------------------------------------------------------------------
    def request_shutdown(self) -> None:
        self.shutdown_requested = True

    def revoke(self, reason: str) -> None:
        """End the session because its credentials no longer hold (user disabled, password
        reset, address no longer allowed): an idle session is closed at once, a busy one
        right after its current response."""
        if self.closing:
            return
        self.closing = True
        log.info("ending session of %s from %s: %s",
                 self.actor.login if self.actor else "-", self.client_ip, reason)
        sessions = getattr(self.server, "sessions", {})
        task = sessions.get(self)
        if task is not None and not self.busy:
            task.cancel()

    def login_time_left(self) -> float | None:
        """Seconds left to log in (``epp_login_timeout`` from the greeting), None once
        logged in. Nothing resets it: not ``<hello>``, not a failed login."""
        if self.login_at is not None:
            return None
        return self.services.settings.epp_login_timeout - (time.monotonic() - self.started)

    def _read_budget(self) -> float:
        s = self.services.settings
        # The absolute limit runs from login, or from connecting while not logged in,
        # so <hello> cannot hold an anonymous connection open forever.
        origin = self.login_at if self.login_at is not None else self.started
        budget = min(s.epp_idle_timeout, s.epp_max_session - (time.monotonic() - origin))
        login_left = self.login_time_left()
        if login_left is not None:
            budget = min(budget, login_left)
        return max(budget, 0.0)

    async def run(self) -> None:
        try:
            await self._send(self._greeting())
            while not self.closing and not self.shutdown_requested:
                budget = self._read_budget()
                if budget <= 0:
                    break
                try:
                    data = await read_frame(
                        self.reader, max_frame=self.services.settings.epp_max_frame,
                        first_byte_timeout=budget,
                        read_timeout=self.services.settings.epp_read_timeout)
                except (TimeoutError, asyncio.IncompleteReadError, FrameError,
                        ConnectionError) as exc:
                    log.info("%s: %s", self.who(), why_closed(exc, self.actor is not None))
                    break
                self.busy = True
                try:
                    payload = await self.handle_frame(data)
                finally:
                    self.busy = False
                await self._send(payload)
        except (ConnectionError, asyncio.CancelledError, OSError):
            pass
        except Exception:  # a bug must never take the server down
            log.exception("session from %s failed", self.client_ip)
        finally:
            await self._close()

    async def _send(self, payload: bytes) -> None:
        self.writer.write(encode_frame(payload))
        # the other sessions' turn: a client pipelining frames from a full buffer would
        # otherwise hold the loop for all of them (neither reading buffered bytes nor a
        # drain below the high-water mark yields; wait_for's task used to, by accident)
        await asyncio.sleep(0)
        async with asyncio.timeout(self.services.settings.epp_read_timeout):
            await self.writer.drain()

    async def _close(self) -> None:
        with contextlib.suppress(Exception):
            self.writer.close()
            async with asyncio.timeout(2):
                await self.writer.wait_closed()
        # a peer that never reads would otherwise keep its buffers until TLS gives up
        with contextlib.suppress(Exception):
            self.writer.transport.abort()

    def _greeting(self) -> bytes:
        s = self.services.settings
        mode = "sandbox" if s.sandbox else "production"
        return render_greeting(f"{s.svid_name} ({mode}): {__version__}",
                               self.services.clock.now(), OBJECT_URIS,
                               ANNOUNCED_EXTENSION_URIS)

    # -- one frame ---------------------------------------------------------------------
    async def handle_frame(self, data: bytes) -> bytes:
        # the runner (dkreg.runner) gives the command its svTRID, audit event, Ctx,
        # transaction, lifecycle wake-up, measurement and log line
        cmd = runner.start(self.services, "epp", "unparsed", actor=self.actor,
                           client_ip=self.client_ip, request=data, anonymous=runner.NOBODY)
        frame: Frame | None = None
        root = None
        try:
            root = parse_frame(data)
            frame = decode_frame(root)
            if frame.kind == "hello":
                return self._greeting()
            cmd.renamed(_command_name(frame), frame.cl_trid)
            resp = await self._command(frame, data, cmd)
        except EppError as e:
            resp = Response.from_error(e, root)
            cmd.queue_audit(resp.code)
        except Exception:
            log.exception("internal error handling a command")
            resp = Response(code=2400, msg="Internal error.", reason="internal")
            cmd.queue_audit(resp.code)
        resp.cl_trid = frame.cl_trid if frame else _salvage_cl_trid(root)
        resp.sv_trid = resp.sv_trid or cmd.sv_trid
        cmd.sv_trid = resp.sv_trid
        cmd.finish(resp.code)
        self._apply_budgets(resp)
        return render(resp)

    def _apply_budgets(self, resp: Response) -> None:
        if self.refused is not None:  # its 2502 already says the server is closing
            resp.close = True
        if resp.code >= 2000:
            n = self.errors.get(resp.code, 0) + 1
            self.errors[resp.code] = n
            if n >= self.services.settings.epp_error_limit and not resp.close:
                resp.code = closing_code(resp.code)
                resp.msg += "; Disconnect due to too many errors"
                resp.close = True
        if self.shutdown_requested and not resp.close:
            resp.code = closing_code(resp.code)
            resp.msg += "; Disconnect due to server shutdown"
            resp.close = True
        login_left = self.login_time_left()
        if login_left is not None and login_left <= 0 and not resp.close:
            # the deadline passed while this command ran: its answer says the session ends
            resp.code = closing_code(resp.code)
            resp.msg += "; Disconnect due to login timeout"
            resp.close = True
        if resp.close:
            self.closing = True

    async def _command(self, frame: Frame, data: bytes, cmd: runner.Command) -> Response:
        from dkreg.epp.commands.session import login, logout

        if self.refused is not None:
            raise err(2502, "session_limit", detail=self.refused)
        if frame.verb == "login":
            if self.actor is not None:
                raise err(2002, "repeated_login")
            return await self._throttled_login(login, frame, data, cmd)
        if frame.verb == "logout":
            return await logout.handle_session(self)
        if self.actor is None:
            raise err(2002, "login_first")
        if frame.verb == "extension":
            # <extension><dkhm:command><dkhm:OP>: dispatched as ("dkhm:OP", "extension"), a
            # key no EPP <command> can produce
            op = frame.verb_element
            handler = dispatch.TABLE.get((element_name(op), "extension")) if op is not None \
                else None
            if handler is None:
                names = element_name(op) if op is not None else (
                    ", ".join(element_name(e) for e in frame.extensions) or "nothing")
                raise err(2000, "unknown_command", field=names,
                          detail=Detail("extension_command_not_offered", names=names))
            return await self._run(handler, frame, data, cmd)
        obj_name = None
        if frame.obj is not None:
            obj_name = OBJECTS.get(ns_of(frame.obj))
            if obj_name is None:
                raise err(2001, "syntax", field=element_name(frame.obj),
                          detail=Detail("object_namespace_not_served_here", obj=ns_of(frame.obj)))
        handler = dispatch.TABLE.get((frame.verb, obj_name))
        if handler is None:
            reason = dispatch.NOT_OFFERED.get((frame.verb, obj_name or ""))
            if reason or frame.verb in dispatch.RFC_VERBS:
                raise err(2101, "unimplemented", field=f"{obj_name}:{frame.verb}",
                          detail=reason or Detail("not_offered_yet",
                                                  command=f"{obj_name}:{frame.verb}"))
            raise err(2000, "unknown_command", field=frame.verb,
                      detail=Detail("not_epp_command_2", verb=frame.verb))
        return await self._run(handler, frame, data, cmd)

    def _throttle_ctx(self, conn: AsyncConnection) -> Ctx:
        services = self.services
        return Ctx(conn=conn, now=services.clock.now(), settings=services.settings,
                   policy=services.policy, is_sqlite=services.db.is_sqlite)

    async def _throttled_login(self, handler: ModuleType, frame: Frame, data: bytes,
                               cmd: runner.Command) -> Response:
        """The login command behind the brute-force brake (``actions/session/login_throttle.py``).

        The attempt is admitted first, in a transaction of its own. One refused only because
        the key's other attempts are still in flight (a connection pool's burst of logins)
        waits its turn: it asks again every 50–100 ms, asynchronously and with no
        transaction open, for up to ``epp_login_queue_wait`` seconds. A refused one (a key
        locked out, or still full when the wait is over; admitted under no key) answers the
        2200 of a wrong password without the password being looked at, and the precise
        reason goes to the audit. A delay (earlier failures) is waited here,
        asynchronously and with no transaction open, before the login runs. However the
        login ends, its attempt leaves the in-flight count.
        """
        el = frame.verb_element
        cl_id = ((el.findtext(q(EPP, "clID")) if el is not None else None) or "").strip()
        if not cl_id:  # nothing to count: the command answers 2003
            return await self._run(handler, frame, data, cmd)
        db, ip = self.services.db, self.client_ip
        loop = asyncio.get_running_loop()
        started = loop.time()
        deadline = started + self.services.settings.epp_login_queue_wait
        while True:
            async with db.begin() as conn:
                admission = await login_throttle.admit(self._throttle_ctx(conn), cl_id, ip)
            if admission.admitted or not admission.busy or loop.time() >= deadline:
                break
            await asyncio.sleep(random.uniform(0.05, 0.1))
        if not admission.admitted:
            async with db.begin() as conn:
                ctx = self._throttle_ctx(conn)
                registrar = await login_throttle.registrar_id_of(ctx, cl_id)
                await write_audit(conn, AuditEvent(
                    at=ctx.now, door="epp", command="login_throttled", result_code=2200,
                    registrar_id=registrar, actor=cl_id[:255], object=ip,
                    cl_trid=frame.cl_trid, sv_trid=cmd.sv_trid, client_ip=ip,
                    request=admission.refusal))
            log.info("%s: login as %r refused unchecked: %s", self.who(), cl_id,
                     admission.refusal)
            raise err(2200, "login_failed")
        if loop.time() - started >= 0.05:
            log.debug("%s: login as %r waited %.3f s for its turn (logins in flight)",
                      self.who(), cl_id, loop.time() - started)
        outcome = "not_a_guess"
        try:
            if admission.delay > 0:
                log.info("%s: login as %r delayed %.3f s (earlier failed logins)", self.who(),
                         cl_id, admission.delay)
                await asyncio.sleep(admission.delay)
            try:
                resp = await self._run(handler, frame, data, cmd)
            except EppError as e:
                if e.code == 2200:
                    outcome = "failed"
                raise
            outcome = "succeeded"
            return resp
        finally:
            # also when the session is cancelled mid-login (the client went away, the
            # server stops): its attempt leaves the in-flight count
            async with db.begin() as conn:
                ctx = self._throttle_ctx(conn)
                if outcome == "failed":
                    await login_throttle.failed(ctx, cl_id, ip)
                elif outcome == "succeeded":
                    await login_throttle.succeeded(ctx, cl_id, ip)
                else:
                    await login_throttle.not_a_guess(ctx, cl_id, ip)

    async def _run(self, handler: ModuleType, frame: Frame, data: bytes,
                   cmd: runner.Command) -> Response:
        services = self.services
        mutates = getattr(handler, "MUTATES", False)

        async def action(ctx: Ctx) -> Response:
            return await handler.handle(
                Request(frame=frame, ctx=ctx, session=self, services=services, raw=data))

        def answered(resp: Response) -> None:
            resp.sv_trid = resp.sv_trid or cmd.sv_trid
            # login sets the actor during the command: name who logged in
            if self.actor is not None and cmd.event.registrar_id is None:
                cmd.acting(self.actor)
            cmd.event.sv_trid = resp.sv_trid

        # login's argon2 work is done between passes, with no transaction open
        return await cmd.execute(action, code=lambda resp: resp.code, mutates=mutates,
                                 lazy=True, check_passwords=True, audit_failure=False,
                                 on_result=answered)


def _salvage_cl_trid(root: Element | None) -> str | None:
    """The clTRID of a well-formed command that failed to decode, so the 2001 echoes it."""
    if root is None:
        return None
    text = root.findtext(f"{{{EPP}}}command/{{{EPP}}}clTRID")
    text = (text or "").strip()
    return text if 3 <= len(text) <= 64 else None


def _command_name(frame: Frame | None) -> str:
    if frame is None:
        return "unparsed"
    if frame.obj is not None:
        return f"{element_name(frame.obj)}"
    return frame.verb or frame.kind


__all__ = ["EPP", "Session"]
