"""The EPP server controller: start, serve sessions, stop gracefully.

One controller runs the server in tests and in production (the aiosmtpd pattern).
Shutdown stops accepting, lets in-flight commands finish (their responses become
closing variants), closes idle sessions, and waits at most ``epp_shutdown_grace``.

Connections are limited (issue 11: one address held 1,000 TLS connections that never
logged in, and at the 1,024 open-file limit new clients were reset and ``/healthz``
stopped answering). The server accepts connections itself (``sock_accept``) and does the
TLS handshake afterwards (``connect_accepted_socket``), so a connection is counted from
the moment it is accepted, with its address, and a handshake that never finishes counts
too (until ``epp_read_timeout`` ends it). Over ``epp_max_connections_per_ip`` for its
address, or ``epp_max_connections`` in all, a client still gets its greeting (RFC 5730
§2.4: a server answers a connection with one) and then ``2502 Session limit exceeded;
server closing connection`` for its first command, login (RFC 5730 §3: the code for a
login over the server's session limit), and is closed; it must log in within
``epp_login_timeout`` like any other. At most ``REFUSALS_MAX`` such refusals run at once;
beyond that a connection over the caps is closed at accept without a word (RFC 5734 §2
lets a server close a connection). The caps hold per server process: with
``epp_workers`` processes on one port the kernel spreads connections over them.
"""

from __future__ import annotations

import asyncio
import contextlib
import errno
import ipaddress
import logging
import resource
import socket
import ssl
import time
from collections import Counter

from dkreg.details import Detail
from dkreg.epp import access_watch
from dkreg.epp.session import Session
from dkreg.services import Services

log = logging.getLogger("dkreg.epp")

# connections over a cap that are greeted and answered 2502 at the same time; more are
# closed at accept (each holds a file descriptor until its login deadline)
REFUSALS_MAX = 32
# file descriptors kept for everything but EPP connections (database pools, HTTP and its
# clients, the mail catcher and sender, logs): the global cap is lowered to fit the
# open-file limit with this much to spare, so /healthz still answers at the cap
FD_RESERVE = 200
# accept() failing for lack of descriptors or memory: wait this long and try again, as
# asyncio's own servers do
ACCEPT_RETRY_DELAY = 1.0
WARN_EVERY = 60.0  # seconds between two log warnings about refused connections


def address_key(ip: str) -> str:
    """What the per-address cap counts: the IPv4 address, or the /64 network of an IPv6
    address (one subscriber's allocation; counting single addresses there would let one
    host open its cap again on each of its 2**64 addresses)."""
    try:
        addr = ipaddress.ip_address(ip)
    except ValueError:
        return ip
    if isinstance(addr, ipaddress.IPv6Address):
        if addr.ipv4_mapped is not None:
            return str(addr.ipv4_mapped)
        return str(ipaddress.IPv6Network((addr, 64), strict=False))
    return str(addr)


def open_file_limit() -> int | None:
    """The process's soft RLIMIT_NOFILE, or None when unlimited."""
    soft, _hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    return None if soft == resource.RLIM_INFINITY else soft


class EppServer:
    def __init__(self, services: Services, ssl_context: ssl.SSLContext | None,
                 host: str = "127.0.0.1", port: int = 7000, *, reuse_port: bool = False) -> None:
        self.services = services
        self.ssl_context = ssl_context
        self.host = host
        self.port = port
        self.reuse_port = reuse_port
        self.sessions: dict[Session, asyncio.Task[None]] = {}
        # every accepted connection being served (handshake, session or refusal)
        self.connections: set[asyncio.Task[None]] = set()
        self.admitted = 0  # connections within the caps (handshaking or in a session)
        self.per_address: Counter[str] = Counter()
        self.refusing = 0
        # accepted sockets whose task has not started: closed if it is cancelled first
        self._unstarted: dict[asyncio.Task[None], socket.socket] = {}
        self.max_connections = services.settings.epp_max_connections
        self._listeners: list[socket.socket] = []
        self._accepting: list[asyncio.Task[None]] = []
        self._stopping = False
        self._watch: asyncio.Task[None] | None = None
        self._warned_at = 0.0

    async def start(self) -> None:
        self.max_connections = self._fit_open_file_limit()
        loop = asyncio.get_running_loop()
        infos = await loop.getaddrinfo(self.host, self.port, type=socket.SOCK_STREAM,
                                       flags=socket.AI_PASSIVE)
        try:
            for family, kind, proto, _name, addr in dict.fromkeys(infos):
                sock = socket.socket(family, kind, proto)
                self._listeners.append(sock)
                sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
                if self.reuse_port:
                    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
                if family == socket.AF_INET6:
                    sock.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
                sock.bind(addr)
                sock.listen(512)
                sock.setblocking(False)
        except OSError:
            for sock in self._listeners:
                sock.close()
            self._listeners.clear()
            raise
        self.port = self._listeners[0].getsockname()[1]
        self._accepting = [asyncio.create_task(self._accept_loop(sock), name="epp-accept")
                           for sock in self._listeners]
        log.info("EPP listening on %s:%d (at most %d connections, %d per client address)",
                 self.host, self.port, self.max_connections,
                 self.services.settings.epp_max_connections_per_ip)
        if self.services.settings.epp_access_check_interval > 0:
            self._watch = asyncio.create_task(access_watch.watch(self), name="epp-access")

    def _fit_open_file_limit(self) -> int:
        """The global cap, lowered (with a warning) when the open-file limit cannot hold it
        beside the refusals and ``FD_RESERVE``."""
        wanted = self.services.settings.epp_max_connections
        limit = open_file_limit()
        if limit is None or wanted + REFUSALS_MAX + FD_RESERVE <= limit:
            return wanted
        fits = max(limit - REFUSALS_MAX - FD_RESERVE, 1)
        log.warning("epp_max_connections %d does not fit the open-file limit of %d (%d kept "
                    "for refusals, %d for the database, HTTP and logs): EPP serves at most "
                    "%d connections; raise the limit (ulimit -n, LimitNOFILE=) to serve more",
                    wanted, limit, REFUSALS_MAX, FD_RESERVE, fits)
        return fits

    async def _accept_loop(self, listener: socket.socket) -> None:
        loop = asyncio.get_running_loop()
        while True:
            try:
                conn, addr = await loop.sock_accept(listener)
            except ConnectionAbortedError:
                continue  # the client was gone before we took it
            except OSError as exc:
                if exc.errno in (errno.EMFILE, errno.ENFILE, errno.ENOBUFS, errno.ENOMEM):
                    log.warning("EPP cannot accept connections (%s); retrying in %s s",
                                exc.strerror, ACCEPT_RETRY_DELAY)
                else:  # unexpected; never a busy loop, never an end to accepting
                    log.exception("EPP accept failed; retrying in %s s", ACCEPT_RETRY_DELAY)
                await asyncio.sleep(ACCEPT_RETRY_DELAY)
                continue
            self._admit(conn, addr[0])

    def _admit(self, conn: socket.socket, ip: str) -> None:
        """Count the connection at once (before its TLS handshake) and serve, refuse or
        drop it."""
        if self._stopping:
            conn.close()
            return
        key = address_key(ip)
        settings = self.services.settings
        over = None
        if self.per_address[key] >= settings.epp_max_connections_per_ip:
            over = Detail("connections_per_address_full",
                          limit=settings.epp_max_connections_per_ip, address=key)
        elif self.admitted >= self.max_connections:
            over = Detail("connections_server_full", limit=self.max_connections)
        if over is not None:
            self._warn_refused(ip, over)
            if self.refusing >= REFUSALS_MAX:
                conn.close()
                return
            self.refusing += 1
            task = asyncio.create_task(self._serve(conn, refused=over), name="epp-refuse")
            task.add_done_callback(self._refusal_done)
        else:
            self.admitted += 1
            self.per_address[key] += 1
            task = asyncio.create_task(self._serve(conn), name="epp-session")
            task.add_done_callback(lambda _t: self._admitted_done(key))
        self.connections.add(task)
        self._unstarted[task] = conn
        task.add_done_callback(self._connection_done)

    def _connection_done(self, task: asyncio.Task[None]) -> None:
        self.connections.discard(task)
        conn = self._unstarted.pop(task, None)
        if conn is not None:  # cancelled (at stop) before it ran: no transport owns it
            conn.close()

    def _admitted_done(self, key: str) -> None:
        # a done callback, not a finally: a task cancelled before its first step (at
        # stop) never runs its body
        self.admitted -= 1
        self.per_address[key] -= 1
        if self.per_address[key] <= 0:
            del self.per_address[key]

    def _refusal_done(self, _task: asyncio.Task[None]) -> None:
        self.refusing -= 1

    def _warn_refused(self, ip: str, why: Detail) -> None:
        now = time.monotonic()
        if now - self._warned_at >= WARN_EVERY:
            self._warned_at = now
            log.warning("EPP connection from %s refused: %s (further refusals within %d s "
                        "are not logged)", ip, why, WARN_EVERY)

    async def _serve(self, conn: socket.socket, refused: Detail | None = None) -> None:
        task = asyncio.current_task()
        assert task is not None
        self._unstarted.pop(task, None)  # from here its transport closes it
        with contextlib.suppress(OSError):
            conn.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        try:
            reader, writer = await self._handshake(conn)
        except (OSError, ssl.SSLError, TimeoutError, ConnectionError) as exc:
            # the transport is closed already (connect_accepted_socket closes it)
            log.debug("EPP connection dropped during the TLS handshake: %s", exc)
            return
        if self._stopping:  # accepted before stop(), TLS finished after it: no new session
            writer.transport.abort()
            return
        session = Session(self.services, reader, writer, server=self, refused=refused)
        self.sessions[session] = task
        try:
            await session.run()
        finally:
            self.sessions.pop(session, None)

    async def _handshake(self, conn: socket.socket) -> tuple[asyncio.StreamReader,
                                                             asyncio.StreamWriter]:
        """TLS over an accepted socket, as ``asyncio.start_server`` would do it."""
        loop = asyncio.get_running_loop()
        reader = asyncio.StreamReader(limit=2**16, loop=loop)
        protocol = asyncio.StreamReaderProtocol(reader, loop=loop)
        if self.ssl_context is None:
            transport, _ = await loop.connect_accepted_socket(lambda: protocol, conn)
        else:
            transport, _ = await loop.connect_accepted_socket(
                lambda: protocol, conn, ssl=self.ssl_context,
                ssl_handshake_timeout=self.services.settings.epp_read_timeout)
        return reader, asyncio.StreamWriter(transport, protocol, reader, loop)

    async def stop(self) -> None:
        self._stopping = True
        if self._watch is not None:
            self._watch.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._watch
        for t in self._accepting:
            t.cancel()
        if self._accepting:
            await asyncio.wait(self._accepting, timeout=2)
        for sock in self._listeners:
            sock.close()
        for session, task in list(self.sessions.items()):
            session.request_shutdown()
            if not session.busy:
                task.cancel()
        in_session = set(self.sessions.values())
        for task in list(self.connections):
            if task not in in_session:  # still in its TLS handshake
                task.cancel()
        grace = self.services.settings.epp_shutdown_grace
        tasks = list(self.connections)
        if tasks:
            _done, pending = await asyncio.wait(tasks, timeout=grace)
            for t in pending:
                t.cancel()
            if pending:
                await asyncio.wait(pending, timeout=2)
