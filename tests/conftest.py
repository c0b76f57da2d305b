"""Shared fixtures: a real registry (SQLite and PostgreSQL) with its EPP server over TLS.

Database tests run against both backends. PostgreSQL is expected at
``DKREG_TEST_PG`` (default postgresql://postgres@127.0.0.1:5432/test); the test
command in the README starts it when it is not running.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import os
import shutil
import sys
from collections.abc import AsyncIterator, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.message import EmailMessage
from pathlib import Path

import pytest
import pytest_asyncio

sys.path.insert(0, str(Path(__file__).parent))

from sqlalchemy import text

from dkreg.actions.account.registrars import registrar_create, user_create
from dkreg.actions.contact import email as contact_email
from dkreg.clock import FixedClock
from dkreg.config import Settings
from dkreg.epp.server import EppServer
from dkreg.lifecycle.tick import TickReport, tick
from dkreg.mail.sender import MailSender, SendReport
from dkreg.model import passwords
from dkreg.services import AuditBuffer, Services
from dkreg.store.context import Ctx
from dkreg.store.db import Database, upgrade_schema
from dkreg.store.schema import metadata
from dkreg.tls import ensure_dev_certificates, server_context
from support import PASSWORD
from support.engines import share_compiled_sql
from support.eppclient import EppClient
from support.pg import PG_ADMIN, pg_url
from support.settings import make_settings
from support.smtp import SmtpCatcher

# Cheap hashes keep the suite fast; production parameters are tested in test_passwords.
# 64 KiB, not 8 MiB: a hash and its check cost 0.1 ms instead of 12 ms of CPU, and every
# test makes a registrar and logs in (about 80 s of CPU in a full run).
CHEAP_HASHES = (1, 64)
passwords.configure(*CHEAP_HASHES)
share_compiled_sql()


@pytest.fixture(autouse=True)
def _cheap_hashes() -> Iterator[None]:
    """A test that runs the CLI in-process sets the process's hash cost (dkreg.cli.main):
    put the cheap one back, or every later test pays production argon2 (it made the
    suite three times slower)."""
    yield
    if passwords.cost() != CHEAP_HASHES:
        passwords.configure(*CHEAP_HASHES)

START = datetime(2026, 6, 1, 10, 0, tzinfo=UTC)
# "gw0", "gw1", ... under pytest-xdist; names what a worker owns on shared servers
WORKER = os.environ.get("PYTEST_XDIST_WORKER", "main")
BACKENDS = ["sqlite", "postgres"]
# a ``dkreg serve`` that a test starts (a subprocess inherits this) runs without the
# sandbox's Knot DNS unless the test asks for it: the default DNS port is one per machine
# and a signed zone costs every start a second or two
os.environ.setdefault("DKREG_DNS_SERVER", "off")
if os.environ.get("DKREG_TEST_BACKENDS"):
    BACKENDS = os.environ["DKREG_TEST_BACKENDS"].split(",")


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("sqlite-template") / "template.sqlite3"
    upgrade_schema(f"sqlite+aiosqlite:///{path}")
    return path


@pytest.fixture(scope="session")
def pg_database() -> str:
    """One migrated PostgreSQL database per test run (per xdist worker)."""
    import asyncpg

    name = f"dkreg_test_{WORKER}_{os.getpid()}"

    async def create() -> None:
        conn = await asyncpg.connect(PG_ADMIN)
        try:
            await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            await conn.execute(f'CREATE DATABASE "{name}"')
        finally:
            await conn.close()

    try:
        asyncio.run(create())
    except (OSError, asyncpg.PostgresError) as exc:  # pragma: no cover - environment
        pytest.fail(f"PostgreSQL is needed for the database tests ({PG_ADMIN}): {exc}")
    url = pg_url(name)
    upgrade_schema(url)
    yield url

    async def drop() -> None:
        conn = await asyncpg.connect(PG_ADMIN)
        try:
            await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        finally:
            await conn.close()

    asyncio.run(drop())


_EMPTYING: dict[str, str] = {}


async def _truncate(url: str) -> None:
    """Empty every table and restart every id sequence, as a fresh database has them.

    DELETE in dependency order, not TRUNCATE: TRUNCATE makes new files for each of the
    ~40 tables and their indexes (0.3 s a test, about 400 s of a full run); a DELETE of a
    test's few rows takes 0.03 s."""
    import asyncpg

    conn = await asyncpg.connect(url.replace("postgresql+asyncpg://", "postgresql://"))
    try:
        if url not in _EMPTYING:
            sequences = [r[0] for r in await conn.fetch(
                "select quote_ident(sequencename) from pg_sequences "
                "where schemaname = current_schema()")]
            _EMPTYING[url] = "; ".join(
                [f'DELETE FROM "{t.name}"' for t in reversed(metadata.sorted_tables)]
                + [f"ALTER SEQUENCE {s} RESTART" for s in sequences])
        async with conn.transaction():
            await conn.execute(_EMPTYING[url])
    finally:
        await conn.close()


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    return request.param


@pytest.fixture
def db_url(backend: str, request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if backend == "sqlite":
        template = request.getfixturevalue("sqlite_template")
        path = tmp_path / "dkreg.sqlite3"
        shutil.copy(template, path)
        return f"sqlite+aiosqlite:///{path}"
    url = request.getfixturevalue("pg_database")
    asyncio.run(_truncate(url))
    return url


@pytest.fixture(scope="session")
def tls_files(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, Path]:
    return ensure_dev_certificates(tmp_path_factory.mktemp("tls"))


_handles = itertools.count(200001)


@dataclass
class Registry:
    settings: Settings
    db: Database
    clock: FixedClock
    services: Services
    server: EppServer
    ca_file: Path
    clients: list[EppClient] = field(default_factory=list)

    @property
    def port(self) -> int:
        return self.server.port

    def ctx(self, conn, actor=None) -> Ctx:  # type: ignore[no-untyped-def]
        kw = {"actor": actor} if actor else {}
        return Ctx(conn=conn, now=self.clock.now(), settings=self.settings,
                   is_sqlite=self.db.is_sqlite, door="cli", **kw)

    async def new_registrar(self, balance_ore: int = 10_000_00) -> tuple[str, str, str]:
        n = next(_handles)
        handle, login = f"REG-{n}", f"epp{n}"
        async with self.db.begin() as conn:
            ctx = self.ctx(conn)
            await registrar_create(ctx, handle, f"Registrar {n}", f"r{n}@example.dk",
                                   balance_ore)
            await user_create(ctx, handle, login, "epp", PASSWORD)
        return handle, login, PASSWORD

    async def client(self, login: str | None = None, password: str = PASSWORD,
                     dkhm: str | Sequence[str] = "4.3") -> EppClient:
        c = await EppClient.connect("127.0.0.1", self.port, self.ca_file)
        self.clients.append(c)
        if login is not None:
            r = await c.login(login, password, dkhm=dkhm)
            assert r.code == 1000, r.msg
        return c

    async def registrar_client(self, balance_ore: int = 10_000_00,
                               dkhm: str = "4.3") -> tuple[EppClient, str]:
        handle, login, pw = await self.new_registrar(balance_ore)
        return await self.client(login, pw, dkhm=dkhm), handle

    async def tick(self) -> TickReport:
        return await tick(self.db, self.settings, self.clock.now())

    async def scalar(self, sql: str, **params: object) -> object:
        async with self.db.read() as conn:
            return (await conn.execute(text(sql), params)).scalar()

    async def rows(self, sql: str, **params: object) -> list:  # type: ignore[type-arg]
        async with self.db.read() as conn:
            return list(await conn.execute(text(sql), params))

    def token(self, offset_seconds: int = 0) -> int:
        return int(self.clock.now().timestamp()) + offset_seconds


@pytest_asyncio.fixture
async def registry(db_url: str, tmp_path: Path,
                   tls_files: tuple[Path, Path, Path]) -> AsyncIterator[Registry]:
    settings = make_settings(db_url, tmp_path)
    async for r in _registry(settings, tls_files):
        yield r


async def _registry(settings: Settings, tls_files: tuple[Path, Path, Path]
                    ) -> AsyncIterator[Registry]:
    ca, cert, key = tls_files
    db = Database(settings.url)
    clock = FixedClock(START)
    audit = AuditBuffer(db, interval=0.05)
    audit.start()
    services = Services(db=db, settings=settings, clock=clock, audit=audit)
    server = EppServer(services, server_context(cert, key), "127.0.0.1", 0)
    await server.start()
    reg = Registry(settings, db, clock, services, server, ca)
    try:
        yield reg
    finally:
        for c in reg.clients:
            await c.close()
        await server.stop()
        await audit.stop()
        await db.dispose()


@dataclass
class Mailbox:
    """A real SMTP server the registry's outbox sender delivers to."""

    catcher: SmtpCatcher
    sender: MailSender

    @property
    def messages(self) -> list[EmailMessage]:
        return self.catcher.messages

    async def deliver(self) -> SendReport:
        """One outbox round: every due mail, sent over SMTP to the catcher."""
        return await self.sender.send_due()

    def to(self, address: str) -> list[EmailMessage]:
        return self.catcher.to(address)

    text = staticmethod(SmtpCatcher.text)
    html = staticmethod(SmtpCatcher.html)
    link = staticmethod(SmtpCatcher.link)
    links = staticmethod(SmtpCatcher.links)


@pytest_asyncio.fixture
async def mailbox(registry: Registry) -> AsyncIterator[Mailbox]:
    catcher = SmtpCatcher()
    await asyncio.to_thread(catcher.start)
    registry.settings.smtp_host, registry.settings.smtp_port = "127.0.0.1", catcher.port
    registry.settings.smtp_timeout = 10.0
    try:
        yield Mailbox(catcher, MailSender(registry.db, registry.settings, registry.clock,
                                          bounces=contact_email.BOUNCES))
    finally:
        await asyncio.to_thread(catcher.stop)


@contextlib.asynccontextmanager
async def _registry_with(settings: Settings, tls_files: tuple[Path, Path, Path]
                         ) -> AsyncIterator[Registry]:
    gen = _registry(settings, tls_files)
    reg = await gen.__anext__()
    try:
        yield reg
    finally:
        await gen.aclose()


@pytest.fixture
def registry_on(tls_files: tuple[Path, Path, Path]):  # type: ignore[no-untyped-def]
    """A registry on a database of the test's own: ``async with registry_on(url, dir)``."""
    return lambda db_url, data_dir: _registry_with(make_settings(db_url, data_dir), tls_files)


@pytest.fixture
def registry_factory(db_url: str, tmp_path: Path, tls_files: tuple[Path, Path, Path]):  # type: ignore[no-untyped-def]
    """For tests that need non-default settings: ``async with registry_factory(x=1) as r``."""
    return lambda **kw: _registry_with(make_settings(db_url, tmp_path, **kw), tls_files)


class ThreadedRegistry:
    """A registry serving EPP from its own event loop in a thread.

    Third-party clients (pyepp, epptools, Net::EPP via perl) block; they need a server
    that keeps answering while the test waits on them.
    """

    host = "127.0.0.1"

    def __init__(self, settings: Settings, tls_files: tuple[Path, Path, Path]) -> None:
        import threading

        self.loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self._thread.start()
        self._gen = _registry(settings, tls_files)
        self.registry: Registry = self._call(self._gen.__anext__())
        self.port = self.registry.port
        self.ca_file = str(self.registry.ca_file)
        self.clock = self.registry.clock
        self.login, self.password = self.make_login()

    def _call(self, coro):  # type: ignore[no-untyped-def]
        return asyncio.run_coroutine_threadsafe(coro, self.loop).result(timeout=60)

    def make_login(self) -> tuple[str, str]:
        _handle, login, password = self._call(self.registry.new_registrar())
        return login, password

    def process_pending(self) -> TickReport:
        return self._call(self.registry.tick())

    def token(self) -> int:
        return self.registry.token()

    def close(self) -> None:
        self._call(self._gen.aclose())
        self.loop.call_soon_threadsafe(self.loop.stop)
        self._thread.join(5)
        self.loop.close()


@pytest.fixture
def epp_server(db_url: str, tmp_path: Path, tls_files: tuple[Path, Path, Path]):  # type: ignore[no-untyped-def]
    server = ThreadedRegistry(make_settings(db_url, tmp_path), tls_files)
    try:
        yield server
    finally:
        server.close()


@pytest.fixture(autouse=True)
def every_server_frame_is_schema_valid(monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    """Validate every frame the in-process servers send, whoever reads it (our client,
    pyepp, epptools or Net::EPP), against the official schemas."""
    from dkreg.epp import session as session_module
    from support.reference import validate_frame

    problems: list[str] = []

    def checked(fn):  # type: ignore[no-untyped-def]
        def wrapper(*args, **kwargs):  # type: ignore[no-untyped-def]
            data = fn(*args, **kwargs)
            try:
                validate_frame(data)
            except AssertionError as exc:
                problems.append(str(exc))
            return data
        return wrapper

    monkeypatch.setattr(session_module, "render", checked(session_module.render))
    monkeypatch.setattr(session_module, "render_greeting",
                        checked(session_module.render_greeting))
    yield
    assert not problems, "\n".join(problems[:3])
