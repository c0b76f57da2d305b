"""Wiring for ``dkreg serve``: schema upgrade, demo seed, EPP server, lifecycle loop."""

from __future__ import annotations

import asyncio
import contextlib
import gc
import io
import logging
import os
import signal
import socket
import subprocess
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from dkreg.actions.contact import email as contact_email
from dkreg.config import Settings
from dkreg.dns.serving import ZoneService, start_zone_service
from dkreg.epp.server import EppServer
from dkreg.lifecycle.tick import Pacing, tick
from dkreg.mail.catcher import MailCatcher
from dkreg.mail.sender import MailSender
from dkreg.public.whois.server import WhoisServer
from dkreg.services import AuditBuffer, Services, StoredClock
from dkreg.store.db import Database, upgrade_schema_async
from dkreg.tls import ensure_dev_certificates, server_context

if TYPE_CHECKING:
    import uvicorn

log = logging.getLogger("dkreg")


async def lifecycle_loop(services: Services) -> None:
    """Run due work every ``lifecycle_interval`` seconds, or at once when woken
    (a create wakes it, so a Flow 1 outcome is in the poll queue within moments).

    A failing item is the tick's own business (``lifecycle.runner``); what reaches this
    loop is a tick that could not run at all — the database gone, say. Its traceback is
    logged once per kind of failure and the recovery once, not once a round."""
    interval = services.settings.lifecycle_interval
    failing: str | None = None  # the kind of failure the last tick ended in
    pacing = Pacing()
    while True:
        # asyncio.timeout, not wait_for: on Python 3.11 wait_for can swallow the cancel
        # that stops the server, which then waits for ever
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(interval):
                await services.lifecycle_wakeup.wait()
        if services.lifecycle_wakeup.is_set():
            # a burst of creates wakes us many times: gather it into one tick
            await asyncio.sleep(0.05)
            pacing.work_done()  # woken by a change: every step is asked
        services.lifecycle_wakeup.clear()
        try:
            await tick(services.db, services.settings, services.clock.now(), services.policy,
                       services.metrics, pacing)
        except Exception as exc:
            kind = type(exc).__name__
            if kind != failing:
                log.exception("lifecycle tick failed (%s); retrying every %s s, logged "
                              "again when it recovers or fails another way", kind, interval)
            else:
                log.debug("lifecycle tick still fails (%s)", kind)
            failing = kind
        else:
            if failing is not None:
                log.warning("lifecycle tick runs again (it failed with %s)", failing)
            failing = None


def raise_open_file_limit() -> int | None:
    """Raise this process's soft open-file limit (RLIMIT_NOFILE) to its hard limit and log
    what it got; the soft limit it has afterwards (None: unlimited).

    Every EPP connection is a file descriptor: at the common soft limit of 1,024 a flood
    of connections left nothing for new clients or for ``/healthz`` (issue 11). The hard
    limit is what an unprivileged process may go up to; EppServer then lowers its global
    cap, with a warning, if the limit still cannot hold it."""
    import resource

    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    infinity = resource.RLIM_INFINITY
    if soft == infinity or (hard != infinity and soft >= hard):
        log.info("open-file limit (RLIMIT_NOFILE) is %s, the hard limit",
                 "unlimited" if soft == infinity else soft)
        return None if soft == infinity else soft
    # an unlimited hard limit still has the kernel's ceiling (Linux: fs.nr_open)
    target = hard if hard != infinity else 1_048_576
    try:
        resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
    except (ValueError, OSError) as exc:
        log.warning("open-file limit (RLIMIT_NOFILE) stays at %d: raising it to %d "
                    "failed (%s)", soft, target, exc)
        return soft
    log.info("open-file limit (RLIMIT_NOFILE) raised from %d to %d", soft, target)
    return target


async def _stopped(tasks: list[asyncio.Task[None]], grace: float) -> None:
    """Wait for cancelled background tasks; report (not raise) how each one ended."""
    if not tasks:
        return
    done, pending = await asyncio.wait(tasks, timeout=grace)
    for t in pending:
        stack = io.StringIO()
        t.print_stack(file=stack)
        log.warning("background task %s did not stop within %s s of its cancel; left "
                    "behind\n%s", t.get_name(), grace, stack.getvalue())
    for t in done:
        if not t.cancelled() and t.exception() is not None:
            log.error("background task %s had failed", t.get_name(), exc_info=t.exception())


@dataclass
class Running:
    services: Services
    epp: EppServer
    tasks: list[asyncio.Task[None]]
    ca_file: str | None

    http: uvicorn.Server | None = None  # when the HTTP port is open
    http_port: int | None = None
    metrics_http: object | None = None  # uvicorn.Server of metrics_listen
    metrics_port: int | None = None
    workers: list[subprocess.Popen[bytes]] = field(default_factory=list)
    catcher: MailCatcher | None = None  # the sandbox's SMTP server behind /dev/mail
    zone: ZoneService | None = None  # the name server the zone is published to
    whois: WhoisServer | None = None  # WHOIS on port 43 (whois_port), when it is on
    lookups: LookupProcesses | None = None  # the lookup listener's processes

    async def stop(self, grace: float = 10.0) -> None:
        """Stop everything; a background task that does not end within ``grace`` seconds
        of its cancel is left behind with a warning and its stack, so that a stop (and
        ``dkreg serve``'s exit on SIGTERM) can never hang on one."""
        for proc in self.workers:
            proc.send_signal(signal.SIGTERM)
        if self.metrics_http is not None:
            self.metrics_http.should_exit = True  # type: ignore[attr-defined]
        if self.http is not None:
            self.http.should_exit = True
            http_tasks = [t for t in self.tasks if t.get_name() in ("http", "metrics-http")]
            if http_tasks:
                await asyncio.wait(http_tasks, timeout=5)
        await self.epp.stop()
        if self.whois is not None:
            await self.whois.stop()
        if self.catcher is not None:
            await self.catcher.stop()
        for t in self.tasks:
            t.cancel()
        await _stopped(self.tasks, grace)
        if self.lookups is not None:  # after its supervisor, which would start them anew
            await self.lookups.stop(grace)
        if self.zone is not None:
            await self.zone.stop()
        await close_services(self.services)
        for proc in self.workers:
            try:
                await asyncio.to_thread(proc.wait, self.services.settings.epp_shutdown_grace + 5)
            except subprocess.TimeoutExpired:
                proc.kill()


async def start(settings: Settings, *, lifecycle: bool = True, http: bool = True,
                migrate: bool = True) -> Running:
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    catcher = None
    if lifecycle and settings.sandbox and settings.dev_mail_catcher:
        # first: it fixes the port the outbox sends to, and a taken port stops the start
        # before anything else listens
        catcher = MailCatcher(settings)
        await catcher.start()
    if migrate:
        await upgrade_schema_async(settings.url)
    services = await open_services(settings)
    db, clock = services.db, services.clock
    if lifecycle:  # the main process: the status page's components, once per start
        from dkreg import runner
        from dkreg.actions.status.components import ensure_components

        async with runner.transaction(services, "cli") as setup:
            await ensure_components(setup)
    ca_file = None
    if settings.tls_cert and settings.tls_key:
        ctx = server_context(settings.tls_cert, settings.tls_key)
    else:
        ca, cert, key = ensure_dev_certificates(settings.data_dir / "tls")
        ctx = server_context(cert, key)
        ca_file = str(ca)
    epp = EppServer(services, ctx, settings.epp_host, settings.epp_port,
                    reuse_port=settings.epp_workers > 1)
    await epp.start()
    tasks = []
    if lifecycle:
        tasks.append(asyncio.create_task(lifecycle_loop(services), name="lifecycle"))
        # the outbox worker runs beside the lifecycle: once per installation, not per worker
        sender = MailSender(db, settings, clock, bounces=contact_email.BOUNCES)
        tasks.append(asyncio.create_task(sender.run(), name="mail"))
    running = Running(services=services, epp=epp, tasks=tasks, ca_file=ca_file,
                      catcher=catcher)
    if lifecycle:
        try:
            running.zone = await start_zone_service(db, settings, clock)
        except BaseException:
            await running.stop()
            raise
        if running.zone is not None:
            tasks.append(asyncio.create_task(running.zone.publisher.run(),
                                             name="zone-publisher"))
    if http and settings.whois_port >= 0:
        try:
            await start_whois(running)
        except BaseException:
            await running.stop()
            raise
    if http and settings.http_port is not None and settings.http_port >= 0:
        await start_http(running)
        if settings.sandbox and settings.public_base_url == Settings.public_base_url:
            # a sandbox on another port (or port 0): mail links must reach this server
            settings.public_base_url = f"http://{settings.epp_host}:{running.http_port}"
    if lifecycle and http and settings.status_check_interval > 0:
        start_monitor(running)
    if http and settings.metrics_listen:
        await start_metrics_http(running)
    elif http and not settings.sandbox and not settings.metrics_token:
        log.warning("/metrics is not served: production needs metrics_listen (a listener of "
                    "its own) or metrics_token")
    return running


async def open_services(settings: Settings) -> Services:
    """The container every door of a process shares: database (and read database),
    the registry clock (moving with the sandbox's stored offset), the audit buffer."""
    db = Database(settings.url)
    clock = StoredClock(db)
    await clock.load()
    if settings.sandbox:
        clock.start()
    else:
        clock.offset_seconds = 0.0
    audit = AuditBuffer(db)
    audit.start()
    read_db = Database(settings.read_database_url) if settings.read_database_url else None
    return Services(db=db, settings=settings, clock=clock, audit=audit, read_db=read_db)


async def close_services(services: Services) -> None:
    if services.audit:
        await services.audit.stop()
    if isinstance(services.clock, StoredClock):
        await services.clock.stop()
    await services.db.dispose()
    if services.read_db is not None and services.read_db is not services.db:
        await services.read_db.dispose()


def lookup_socket(settings: Settings, port: int) -> socket.socket:
    """A socket on the lookup port, in the group of sockets SO_REUSEPORT lets the lookup
    processes share (the kernel spreads new connections over those listening)."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    sock.bind((settings.epp_host, port))
    return sock


class LookupProcesses:
    """The lookup listener's ``lookup_workers`` processes (``web/lookup_app.py``): started
    by the main process, restarted when one dies, stopped with it.

    They are processes of their own, not the main one: public traffic then never waits
    behind EPP, the pages or lifecycle work in one Python process, and on a machine of
    its own the lookup tier grows by processes. The main process holds the port (bound,
    not listening), so that port 0 works and the port stays the registry's while a
    process restarts."""

    def __init__(self, settings: Settings, command: list[str]) -> None:
        self.settings, self.command = settings, command
        self.reservation = lookup_socket(settings, settings.lookup_port)
        self.port: int = self.reservation.getsockname()[1]
        self.procs: list[subprocess.Popen[bytes]] = []

    def spawn(self) -> subprocess.Popen[bytes]:
        return subprocess.Popen([*self.command, "--lookup-worker", "--lookup-port",
                                 str(self.port)])

    async def start(self, timeout: float = 60.0) -> None:
        """Start the processes and wait until the port answers."""
        self.procs = [self.spawn() for _ in range(self.settings.lookup_workers)]
        loop = asyncio.get_running_loop()
        end = loop.time() + timeout
        while True:
            try:
                _reader, writer = await asyncio.open_connection(self.settings.epp_host,
                                                                self.port)
                writer.close()
                return
            except OSError:
                dead = [p for p in self.procs if p.poll() is not None]
                if dead or loop.time() > end:
                    await self.stop(5.0)
                    why = (f"exited with {dead[0].returncode}" if dead
                           else f"did not listen within {timeout:.0f} s")
                    raise RuntimeError(f"the lookup process on port {self.port} {why}"
                                       ) from None
                await asyncio.sleep(0.1)

    async def supervise(self, interval: float = 1.0) -> None:
        """Start a process anew when one has ended (a crash, the OOM killer)."""
        while True:
            await asyncio.sleep(interval)
            for i, proc in enumerate(self.procs):
                if proc.poll() is not None:
                    log.warning("lookup process %d ended with %s; starting another",
                                proc.pid, proc.returncode)
                    self.procs[i] = self.spawn()

    async def stop(self, grace: float) -> None:
        for proc in self.procs:
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
        for proc in self.procs:
            try:
                await asyncio.to_thread(proc.wait, grace)
            except subprocess.TimeoutExpired:
                proc.kill()
        self.reservation.close()


async def start_lookups(running: Running, command: list[str]) -> LookupProcesses:
    """The lookup listener (``lookup_port``) with its processes, supervised while the
    server runs; ``command`` is the CLI's own ``serve`` command line."""
    lookups = LookupProcesses(running.services.settings, command)
    running.lookups = lookups
    await lookups.start()
    running.tasks.append(asyncio.create_task(lookups.supervise(), name="lookup-supervisor"))
    return lookups


def steady_heap() -> None:
    """Keep the garbage collector's pauses out of a serving process's latency (every
    ``dkreg serve`` process calls it once it is up).

    What was built at start (the app, its routes and templates, the text catalogues,
    SQLAlchemy's metadata) lives as long as the process: frozen, a full collection no
    longer walks it. A higher first threshold makes the young collections rarer. At
    3,000 RDAP answers a second the full collections were the whole of the p99 (52 ms
    with the defaults, 12 ms so; bench/README.md)."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(20_000, 50, 100)


async def serve_lookup_worker(settings: Settings) -> None:
    """A lookup process: the lookup listener and nothing else (no EPP, no lifecycle,
    no pages), until SIGTERM — or until the main process is gone (killed without its
    stop), so that no lookup process goes on serving for a registry nobody runs."""
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    raise_open_file_limit()
    parent = os.getppid()

    async def orphaned() -> None:
        while os.getppid() == parent:
            await asyncio.sleep(1.0)
        log.warning("the main dkreg process %d is gone; this lookup process stops", parent)
        stop.set()

    watch = asyncio.create_task(orphaned(), name="lookup-parent")
    services = await open_services(settings)
    try:
        import uvicorn

        from dkreg.web.lookup_app import build_lookup_app

        steady_heap()
        sock = lookup_socket(settings, settings.lookup_port)
        sock.listen(2048)
        server = uvicorn.Server(uvicorn.Config(build_lookup_app(services),
                                               log_level="warning", lifespan="off",
                                               access_log=False))
        task = asyncio.create_task(server.serve(sockets=[sock]), name="lookup-http")
        stopped = asyncio.create_task(stop.wait())
        await asyncio.wait({task, stopped}, return_when=asyncio.FIRST_COMPLETED)
        stopped.cancel()
        server.should_exit = True
        await asyncio.wait({task}, timeout=5)
    finally:
        watch.cancel()
        await close_services(services)


def _probe_host(listen: str) -> str:
    """An address a probe on this machine reaches a listener on ``listen`` by (its first
    address; the wildcard ones by loopback)."""
    first = (listen.replace(",", " ").split() or ["127.0.0.1"])[0]
    return {"0.0.0.0": "127.0.0.1", "::": "::1"}.get(first, first)


def _url_host(host: str) -> str:
    return f"[{host}]" if ":" in host else host


def start_monitor(running: Running) -> None:
    """The status page's automatic checks of the services this process started (once per
    installation: in the process that runs lifecycle work)."""
    from dkreg.monitor import Monitor, Targets, checks_for

    settings = running.services.settings
    zone = running.zone
    targets = Targets(
        epp=(_probe_host(settings.epp_host), running.epp.port),
        http=(f"http://{_url_host(_probe_host(settings.epp_host))}:{running.http_port}"
              if running.http_port else None),
        whois=((_probe_host(settings.whois_host), running.whois.port)
               if running.whois is not None and running.whois.port else None),
        dns=((zone.target.host, zone.target.port, zone.target.zone) if zone is not None
             else None),
        published_serial=(lambda: zone.publisher.last_serial) if zone is not None
        else (lambda: None))
    monitor = Monitor(running.services, checks_for(running.services, targets))
    running.tasks.append(asyncio.create_task(monitor.run(), name="status-checks"))


async def start_whois(running: Running) -> None:
    """WHOIS on ``whois_port`` (in the process that serves HTTP: its limits are per
    process). A sandbox whose WHOIS port is taken (another sandbox on this machine) runs
    on without WHOIS and says so; production does not start."""
    settings = running.services.settings
    server = WhoisServer(running.services, settings.whois_host, settings.whois_port)
    try:
        await server.start()
    except OSError as exc:
        if not settings.sandbox:
            raise
        log.warning("%s; the sandbox runs without WHOIS (set whois_port, 0 for any free "
                    "port, or -1 for none)", exc.strerror or exc)
        return
    running.whois = server


async def start_http(running: Running) -> None:
    import uvicorn

    from dkreg.web.asgi import build_app

    settings = running.services.settings
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((settings.epp_host, settings.http_port))
    running.http_port = sock.getsockname()[1]
    config = uvicorn.Config(build_app(running), log_level="warning", lifespan="off",
                            access_log=False)
    server = uvicorn.Server(config)
    running.http = server
    running.tasks.append(asyncio.create_task(server.serve(sockets=[sock]), name="http"))


async def start_metrics_http(running: Running) -> None:
    """``/metrics`` on a listener of its own (``metrics_listen``), off the public port."""
    import uvicorn

    from dkreg.config import metrics_address
    from dkreg.web.metrics_page import metrics_app

    host, port = metrics_address(running.services.settings.metrics_listen)
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, port))
    running.metrics_port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(metrics_app(running), log_level="warning",
                                           lifespan="off", access_log=False))
    running.metrics_http = server
    running.tasks.append(asyncio.create_task(server.serve(sockets=[sock]),
                                             name="metrics-http"))


async def serve_forever(settings: Settings,
                        on_ready: Callable[[Running], Awaitable[None]] | None = None) -> None:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):  # before anything is announced as ready
        loop.add_signal_handler(sig, stop.set)
    raise_open_file_limit()
    running = await start(settings, lifecycle=settings.run_lifecycle)
    if on_ready is not None:
        await on_ready(running)
    steady_heap()
    await stop.wait()
    log.info("shutting down")
    await running.stop()


def spawn_workers(settings: Settings, command: list[str]) -> list[subprocess.Popen[bytes]]:
    """Start ``epp_workers - 1`` more EPP processes on the same port (SO_REUSEPORT), each
    by ``command`` (the CLI's own ``serve`` command line: the CLI starts the app).

    Python runs one core per process; the kernel spreads new connections over the
    processes. Only the first runs lifecycle work and HTTP, so due work is done once
    and wake-ups from the others' creates are picked up within ``lifecycle_interval``.
    """
    cmd = [*command, "--worker", "--epp-port", str(settings.epp_port)]
    return [subprocess.Popen(cmd) for _ in range(settings.epp_workers - 1)]


async def serve_worker(settings: Settings) -> None:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    raise_open_file_limit()
    running = await start(settings, lifecycle=False, http=False, migrate=False)
    steady_heap()
    await stop.wait()
    await running.stop()
