"""The EPP server controller: start, serve sessions, stop gracefully.

One controller runs the server in tests and in production (the aiosmtpd pattern).
Shutdown stops accepting, lets in-flight commands finish (their responses become
closing variants), closes idle sessions, and waits at most ``epp_shutdown_grace``.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import socket
import ssl

from dkreg.epp import access_watch
from dkreg.epp.services import Services
from dkreg.epp.session import Session

log = logging.getLogger("dkreg.epp")


class EppServer:
    def __init__(self, services: Services, ssl_context: ssl.SSLContext | None,
                 host: str = "127.0.0.1", port: int = 7000, *, reuse_port: bool = False) -> None:
        self.services = services
        self.ssl_context = ssl_context
        self.host = host
        self.port = port
        self.reuse_port = reuse_port
        self.sessions: dict[Session, asyncio.Task[None]] = {}
        self._server: asyncio.base_events.Server | None = None
        self._stopping = False
        self._watch: asyncio.Task[None] | None = None

    async def start(self) -> None:
        self._server = await asyncio.start_server(
            self._accept, self.host, self.port, ssl=self.ssl_context,
            ssl_handshake_timeout=self.services.settings.epp_read_timeout,
            reuse_port=self.reuse_port or None, backlog=512, limit=2**16)
        sock = self._server.sockets[0]
        self.port = sock.getsockname()[1]
        log.info("EPP listening on %s:%d", self.host, self.port)
        if self.services.settings.epp_access_check_interval > 0:
            self._watch = asyncio.create_task(access_watch.watch(self), name="epp-access")

    async def _accept(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        if self._stopping:  # accepted before stop(), TLS finished after it: no new session
            writer.close()
            with contextlib.suppress(Exception):
                await asyncio.wait_for(writer.wait_closed(), 2)
            return
        sock = writer.get_extra_info("socket")
        if sock is not None:
            with contextlib.suppress(OSError):
                sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        session = Session(self.services, reader, writer, server=self)
        task = asyncio.current_task()
        assert task is not None
        self.sessions[session] = task
        try:
            await session.run()
        finally:
            self.sessions.pop(session, None)

    async def stop(self) -> None:
        self._stopping = True
        if self._watch is not None:
            self._watch.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._watch
        if self._server is not None:
            self._server.close()
        for session, task in list(self.sessions.items()):
            session.request_shutdown()
            if not session.busy:
                task.cancel()
        grace = self.services.settings.epp_shutdown_grace
        tasks = list(self.sessions.values())
        if tasks:
            _done, pending = await asyncio.wait(tasks, timeout=grace)
            for t in pending:
                t.cancel()
            if pending:
                await asyncio.wait(pending, timeout=2)
        if self._server is not None:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(self._server.wait_closed(), 2)
