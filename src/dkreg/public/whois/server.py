"""The WHOIS server on port 43 (RFC 3912): one query line in, one answer out, closed.

Why its own asyncio server rather than a route of the web app: WHOIS is a bare TCP
protocol with its own port, and the registry's limits are per network and per
connection (``public.rate_limit``), not per HTTP request.

Per connection:

1. over ``whois_connections`` open connections from its network (IPv4 /24, IPv6 /48)
   the client gets one line saying so and is closed;
2. it must send its query within ``whois_timeout`` seconds and in at most
   ``whois_max_query`` bytes, else one line and closed;
3. over ``whois_rate`` queries a second from its network: one line, closed;
4. the answer: the header, then the domain, the name server, HELP, "No entries found"
   or a one-line reason for a bad query; read through ``runner.reading`` (the replica
   when one is configured), rendered by ``render``; counted in ``dkreg_commands`` with
   door ``whois``, command the query's kind and the result code (1000 answered, 2303
   nothing found, 2005 bad query, 2502 over a limit, 2400 failed).

Listeners: every address of ``whois_host`` (space- or comma-separated), and with the
IPv4 loopback or wildcard its IPv6 counterpart as well (``::1``, ``::``), on one port:
``whois_port`` 0 picks a free one, read back from ``port``.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import socket
import time
from typing import TYPE_CHECKING

from dkreg import runner
from dkreg.actions.lookup.domain import lookup_domain
from dkreg.actions.lookup.host import lookup_host
from dkreg.errors import EppError
from dkreg.model.names import parse_domain_name, parse_host_name
from dkreg.public.rate_limit import RateLimit, parse_networks
from dkreg.public.whois import render
from dkreg.public.whois.query import Query, QueryError, decode, parse_query

if TYPE_CHECKING:
    from dkreg.services import Services

log = logging.getLogger("dkreg.whois")

# the counterpart listener of an IPv4 host: WHOIS is served on IPv4 and IPv6
IPV6_TWIN = {"127.0.0.1": "::1", "0.0.0.0": "::"}
LINGER = 1.0  # seconds a closing connection's remaining input is read away


def listen_addresses(host: str) -> list[str]:
    """The addresses ``whois_host`` names, each IPv4 loopback/wildcard with its twin."""
    out: list[str] = []
    for item in host.replace(",", " ").split():
        item = item.strip("[]")
        for address in (item, IPV6_TWIN.get(item)):
            if address and address not in out:
                out.append(address)
    return out


def bound_socket(family: socket.AddressFamily, address: str, port: int) -> socket.socket:
    sock = socket.socket(family, socket.SOCK_STREAM)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        if family == socket.AF_INET6:  # the IPv4 listener has its own socket
            sock.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
        sock.bind((address, port))
    except OSError:
        sock.close()
        raise
    return sock


def rate_limit_of(services: Services) -> RateLimit:
    s = services.settings
    try:
        allow = parse_networks(s.whois_allow)
    except ValueError as exc:
        raise ValueError(f"whois_allow: {exc}") from None
    return RateLimit(rate=s.whois_rate, burst=max(1.0, s.whois_rate),
                     max_connections=s.whois_connections, v4_prefix=s.whois_v4_prefix,
                     v6_prefix=s.whois_v6_prefix, allow=allow)


class WhoisServer:
    def __init__(self, services: Services, host: str = "127.0.0.1", port: int = 43, *,
                 limit: RateLimit | None = None) -> None:
        self.services = services
        self.host = host
        self.requested_port = port
        self.port: int | None = None
        self.limit = limit if limit is not None else rate_limit_of(services)
        self.servers: list[asyncio.Server] = []
        self.addresses: list[str] = []  # the addresses actually listened on
        self._tasks: set[asyncio.Task[None]] = set()

    async def start(self) -> None:
        """Listen on every address; the first fixes the port (0: a free one). An address
        that cannot be bound (no IPv6 on the host) is skipped with a warning unless it is
        the only one."""
        addresses = listen_addresses(self.host)
        port = self.requested_port
        errors: list[str] = []
        for address in addresses:
            family = socket.AF_INET6 if ":" in address else socket.AF_INET
            try:
                sock = bound_socket(family, address, port)
            except OSError as exc:
                if self.port is None and address == addresses[0]:
                    raise OSError(exc.errno, f"WHOIS cannot listen on {address} port "
                                  f"{port}: {exc.strerror}") from exc
                errors.append(f"{address}: {exc.strerror}")
                continue
            port = sock.getsockname()[1]
            self.port = port
            server = await asyncio.start_server(self._connection, sock=sock)
            self.servers.append(server)
            self.addresses.append(address)
        for problem in errors:
            log.warning("WHOIS does not listen on %s", problem)
        log.info("WHOIS on %s port %s", " and ".join(self.addresses), self.port)

    async def stop(self) -> None:
        for server in self.servers:
            server.close()
        for task in list(self._tasks):
            task.cancel()
        if self._tasks:
            await asyncio.wait(self._tasks, timeout=5)
        for server in self.servers:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(server.wait_closed(), 5)
        self.servers = []

    async def _connection(self, reader: asyncio.StreamReader,
                          writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        if task is not None:
            self._tasks.add(task)
        peer = writer.get_extra_info("peername")
        address = str(peer[0]) if peer else "-"
        try:
            if not self.limit.connect(address):
                await self._close(writer, render.TOO_MANY_CONNECTIONS + "\n", "latin-1",
                                  "connection", 2502, time.perf_counter())
                return
            try:
                await self._serve(reader, writer, address)
            finally:
                self.limit.disconnect(address)
        except (ConnectionError, asyncio.IncompleteReadError):
            pass
        finally:
            if task is not None:
                self._tasks.discard(task)
            await linger(reader, writer)
            writer.close()
            with contextlib.suppress(Exception):
                await writer.wait_closed()

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter,
                     address: str) -> None:
        settings = self.services.settings
        cap = settings.whois_max_query
        try:
            async with asyncio.timeout(settings.whois_timeout):
                raw = await read_line(reader, cap)
        except TimeoutError:
            await self._close(writer, render.TIMED_OUT + "\n", "latin-1", "query", 2005,
                              time.perf_counter())
            return
        started = time.perf_counter()
        if raw is None:
            await self._close(writer, render.TOO_LONG.format(limit=cap) + "\n", "latin-1",
                              "query", 2005, started)
            return
        if self.limit.request(address) > 0:
            await self._close(writer, render.RATE_LIMITED + "\n", "latin-1", "query", 2502,
                              started)
            return
        try:
            query = parse_query(decode(raw))
        except QueryError as exc:
            await self._close(writer, self._header(address) + exc.reason + "\n", "latin-1",
                              "query", 2005, started)
            return
        try:
            kind, code, body = await self.answer(query)
        except Exception:  # the client needs an answer, the log the traceback
            log.exception("WHOIS query %r failed", query.name)
            kind, code, body = "query", 2400, render.FAILED + "\n"
        await self._close(writer, self._header(address) + body, query.charset, kind, code,
                          started)

    def _header(self, address: str) -> str:
        return render.header(address, self.services.clock.now(),
                             self.services.settings.registry_name)

    async def answer(self, query: Query) -> tuple[str, int, str]:
        """(kind, result code, text after the header) for a parsed query."""
        if query.help:
            return "help", 1000, render.help_text()
        text = query.name.lower()
        labels = text.rstrip(".").split(".")
        if len(labels) == 2 and labels[1] == "dk":
            try:
                name = parse_domain_name(query.name)
            except EppError as exc:
                return "domain", 2005, f"Error: {detail(exc)}\n"
            async with runner.reading(self.services, "whois") as ctx:
                facts = await lookup_domain(ctx, name)
                hfacts = await lookup_host(ctx, name.alabel) if facts is None else None
            if facts is not None:
                return "domain", 1000, (render.domain(facts, show_handles=query.show_handles)
                                        + render.footer(show_handles=query.show_handles))
            if hfacts is not None:
                return "host", 1000, render.host(hfacts)
            return "domain", 2303, render.NOT_FOUND + "\n"
        try:
            host = parse_host_name(query.name)
        except EppError as exc:
            return "host", 2005, f"Error: {refusal(query.name, exc)}\n"
        async with runner.reading(self.services, "whois") as ctx:
            found = await lookup_host(ctx, host)
        if found is None:
            return "host", 2303, render.NOT_FOUND + "\n"
        return "host", 1000, render.host(found)

    async def _close(self, writer: asyncio.StreamWriter, text: str, charset: str, kind: str,
                     code: int, started: float) -> None:
        seconds = time.perf_counter() - started
        metrics = self.services.metrics
        if metrics is not None:
            metrics.observe("whois", kind, code, seconds)
        runner.log_command("whois", kind, code, seconds)
        writer.write(render.encode(text, charset))
        with contextlib.suppress(ConnectionError):
            async with asyncio.timeout(self.services.settings.whois_timeout):
                await writer.drain()


def refusal(name: str, host_error: EppError) -> str:
    """Why a name that is not a .dk domain was refused: a word without a dot was most
    likely meant as a domain, so the domain rule's reason; else the host rule's."""
    if "." not in name:
        try:
            parse_domain_name(name)
        except EppError as exc:
            return detail(exc)
    return detail(host_error)


def detail(exc: EppError) -> str:
    """The reason a name was refused, in the catalogue's English."""
    from dkreg.details import render_detail

    return render_detail(exc.detail) or exc.message()


async def linger(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    """End our side, then read away what the client still sends for a moment: a socket
    closed with unread input is reset (RST), and the client would lose the answer that
    was on its way (a refused connection's one line, say)."""
    with contextlib.suppress(Exception):
        if writer.can_write_eof():
            writer.write_eof()
        async with asyncio.timeout(LINGER):
            while await reader.read(4096):
                pass


async def read_line(reader: asyncio.StreamReader, cap: int) -> bytes | None:
    """The query line without its line end; None when it is longer than ``cap`` bytes.
    A client that ends its side without a line end has sent its query too."""
    buf = b""
    while b"\n" not in buf:
        if len(buf) > cap:
            return None
        chunk = await reader.read(cap + 2 - len(buf))  # room for the CRLF after cap
        if not chunk:
            break
        buf += chunk
    line = buf.split(b"\n", 1)[0].rstrip(b"\r")
    return None if len(line) > cap else line
