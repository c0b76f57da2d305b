"""The EPP brute-force brake (issue 11 §2): failed logins are answered after growing
delays, then locked out, per login name and per client address; the state is in the
database, shared by every server process; a lockout refuses even the right password, with
the same answer and without any argon2 work; parallel attempts cannot pass the limit, yet
a burst of parallel correct logins (a connection pool) is only queued, never delayed or
refused; a login that does not exist is throttled exactly like one that does.

Delays are read from the server's log line (the delay it decided), not from wall clock;
the lockout's end is reached by moving the registry clock."""

from __future__ import annotations

import asyncio
import logging
import re
import threading
from datetime import timedelta

import pytest
from argon2 import PasswordHasher

from dkreg.model import passwords
from support import frames
from support.eppclient import EppClient

DELAYED = re.compile(r"login as '([^']+)' delayed ([0-9.]+) s")


def small_limits(settings, *, free: int = 2, lockout: int = 6, address_free: int = 1000,
                 address_lockout: int = 1000, delay: float = 0.01) -> None:  # type: ignore[no-untyped-def]
    settings.epp_login_free_failures = free
    settings.epp_login_address_free_failures = address_free
    settings.epp_login_delay = delay
    settings.epp_login_delay_max = 0.05
    settings.epp_login_lockout_failures = lockout
    settings.epp_login_address_lockout_failures = address_lockout
    settings.epp_login_lockout_seconds = 600.0
    settings.epp_login_failure_window = 900.0


async def result(registry, login: str, pw: str) -> tuple[int, bytes]:  # type: ignore[no-untyped-def]
    """The code and the <result> element (bytes as sent) of a login over a new session."""
    c = await EppClient.connect("127.0.0.1", registry.port, registry.ca_file)
    try:
        r = await c.request(frames.login(login, pw))
    finally:
        await c.close()
    [element] = re.findall(rb"<result .*?</result>", r.raw, re.S)
    return r.code, element


class CountingHasher:
    """Counts argon2 verifications (the server's real hasher underneath) and notes the
    thread each ran on, to show the event loop never hashes."""

    def __init__(self) -> None:
        self.verifies: list[int] = []  # thread ids

    def install(self, monkeypatch: pytest.MonkeyPatch) -> CountingHasher:
        seen, current = self, passwords._HASHER

        class Counting(PasswordHasher):
            def verify(self, hash: str | bytes, password: str | bytes) -> bool:
                seen.verifies.append(threading.get_ident())
                return super().verify(hash, password)

        monkeypatch.setattr(passwords, "_HASHER", Counting(
            time_cost=current.time_cost, memory_cost=current.memory_cost,
            parallelism=current.parallelism))
        return self


async def throttle_row(registry, kind: str, key: str):  # type: ignore[no-untyped-def]
    from sqlalchemy import select

    from dkreg.store.schema import epp_login_throttle as t

    async with registry.db.read() as conn:
        return (await conn.execute(select(t).where(t.c.kind == kind, t.c.key == key))).first()


def delays(caplog: pytest.LogCaptureFixture, login: str) -> list[float]:
    found = [DELAYED.search(r.getMessage()) for r in caplog.records]
    return [float(m.group(2)) for m in found if m and m.group(1) == login]


async def test_failed_logins_are_delayed_more_and_more_then_locked_out(
        registry, caplog, monkeypatch) -> None:
    small_limits(registry.settings)
    caplog.set_level(logging.INFO, logger="dkreg.epp")
    _h, login, pw = await registry.new_registrar()
    hasher = CountingHasher().install(monkeypatch)
    wrong = [await result(registry, login, "Wrong-Passw0rd") for _ in range(6)]
    assert {code for code, _ in wrong} == {2200}
    answer = wrong[0][1]
    assert b"<msg>Login failed</msg>" in answer and all(a == answer for _c, a in wrong)
    # two free failures, then 0.01 s doubling, capped at 0.05
    assert delays(caplog, login) == [0.01, 0.02, 0.04, 0.05]
    assert len(hasher.verifies) == 6
    assert threading.get_ident() not in hasher.verifies  # argon2 never on the event loop
    row = await throttle_row(registry, "login", login)
    assert row.failures == 6
    assert row.locked_until == registry.clock.now() + timedelta(seconds=600)

    # locked: the right password gets the same answer, and no password is checked
    assert await result(registry, login, pw) == (2200, answer)
    assert await result(registry, login, "Wrong-Passw0rd") == (2200, answer)
    assert len(hasher.verifies) == 6
    await asyncio.sleep(0.3)  # the audit buffer
    reasons = await registry.rows("select request from audit where command = 'login_throttled' "
                                  "order by id")
    assert len(reasons) == 2 and all(
        f"service user {login} is locked out until" in r.request for r in reasons)
    [lock] = await registry.rows("select object, request from audit "
                                 "where command = 'login_lockout'")
    assert lock.object == login and "after 6 failed logins" in lock.request

    # the lockout ends by itself; the right password then works and resets the count
    registry.clock.advance(timedelta(seconds=601))
    assert (await result(registry, login, pw))[0] == 1000
    assert await registry.scalar("select failures from epp_login_throttle "
                                 "where kind = 'login' and key = :k", k=login) == 0
    caplog.clear()
    assert (await result(registry, login, "Wrong-Passw0rd"))[0] == 2200
    assert delays(caplog, login) == []


async def test_an_unknown_login_is_throttled_exactly_like_a_known_one(
        registry, caplog, monkeypatch) -> None:
    """The throttle reveals nothing about which logins exist: same answers, same delays,
    same lockout, and both still pay one argon2 check per admitted attempt."""
    small_limits(registry.settings, lockout=4)
    caplog.set_level(logging.INFO, logger="dkreg.epp")
    _h, login, _pw = await registry.new_registrar()
    hasher = CountingHasher().install(monkeypatch)
    known = [await result(registry, login, "Wrong-Passw0rd") for _ in range(6)]
    unknown = [await result(registry, "nobody-here", "Wrong-Passw0rd") for _ in range(6)]
    assert known == unknown
    assert delays(caplog, login) == delays(caplog, "nobody-here") == [0.01, 0.02]
    assert len(hasher.verifies) == 8  # 4 each; the locked attempts checked nothing
    for key in (login, "nobody-here"):
        row = await throttle_row(registry, "login", key)
        assert (row.failures, row.locked_until) == (4, registry.clock.now()
                                                    + timedelta(seconds=600))


async def test_one_address_trying_many_logins_is_locked_out(registry, caplog) -> None:
    """Guessing across login names from one address: the address's own count grows the
    delays and locks it out, and then even a right login from it is refused."""
    small_limits(registry.settings, lockout=100, address_free=2, address_lockout=5)
    caplog.set_level(logging.INFO, logger="dkreg.epp")
    _h, login, pw = await registry.new_registrar()
    answers = [await result(registry, f"guess{n}", "Wrong-Passw0rd") for n in range(5)]
    found = [float(m.group(2)) for r in caplog.records
             if (m := DELAYED.search(r.getMessage()))]
    assert found == [0.01, 0.02, 0.04]
    assert await result(registry, login, pw) == answers[0]
    assert (await throttle_row(registry, "address", "127.0.0.1")).locked_until is not None


async def test_a_success_gives_the_address_its_attempt_back(registry) -> None:
    """A registrar's own many logins from one address never wear the address down."""
    small_limits(registry.settings, address_lockout=3)
    _h, login, pw = await registry.new_registrar()
    for _ in range(8):
        assert (await result(registry, login, pw))[0] == 1000
    row = await throttle_row(registry, "address", "127.0.0.1")
    assert (row.failures, row.in_flight) == (0, 0)


async def test_parallel_failed_logins_cannot_exceed_the_limit(registry, monkeypatch) -> None:
    """20 wrong passwords at once against a limit of 5: an attempt is admitted atomically
    only while failures + attempts in flight are below the limit, so at most 5 passwords
    are checked at all; the other 15 wait their turn, and the lockout refuses them."""
    small_limits(registry.settings, free=100, lockout=5)
    _h, login, pw = await registry.new_registrar()
    hasher = CountingHasher().install(monkeypatch)
    clients = await asyncio.gather(*(EppClient.connect("127.0.0.1", registry.port,
                                                       registry.ca_file) for _ in range(20)))
    try:
        replies = await asyncio.gather(*(c.request(frames.login(login, "Wrong-Passw0rd"))
                                         for c in clients))
    finally:
        for c in clients:
            await c.close()
    assert {r.code for r in replies} == {2200}
    assert {r.msg for r in replies} == {"Login failed"}
    assert len(hasher.verifies) == 5
    row = await throttle_row(registry, "login", login)
    assert (row.failures, row.in_flight) == (5, 0) and row.locked_until is not None
    assert (await result(registry, login, pw))[0] == 2200
    [locks] = await registry.rows("select count(*) as n from audit "
                                  "where command = 'login_lockout'")
    assert locks.n == 1


async def test_a_lockout_is_shared_by_every_server_process(registry, tls_files) -> None:
    """Two EPP servers on one database: failures on one lock the login on the other."""
    # the top conftest's server factory, from the globals of its Registry class: both
    # conftests are module "conftest", so "from conftest import" finds the web tests' one
    # when both directories are collected in one run
    _registry = type(registry).new_registrar.__globals__["_registry"]
    small_limits(registry.settings, lockout=3)
    _h, login, pw = await registry.new_registrar()
    other_gen = _registry(registry.settings, tls_files)
    other = await other_gen.__anext__()
    try:
        assert other.server.port != registry.server.port
        for server in (registry, other, registry):
            assert (await result(server, login, "Wrong-Passw0rd"))[0] == 2200
        other.clock.set(registry.clock.now())
        assert (await result(other, login, pw))[0] == 2200
        assert (await result(registry, login, pw))[0] == 2200
        registry.clock.advance(timedelta(seconds=601))
        assert (await result(registry, login, pw))[0] == 1000
    finally:
        await other_gen.aclose()


async def test_a_burst_of_parallel_correct_logins_is_neither_delayed_nor_refused(
        registry, caplog) -> None:
    """A registrar's connection pool opens many sessions at once with one service user
    from one address (Net::DRI, bench/epp_load.py: 20): with the default limits all 25
    get in, none is delayed, and nothing is left counted. Attempts still in flight are
    not failures: beyond the limit they wait for their turn, they are not refused."""
    caplog.set_level(logging.INFO, logger="dkreg.epp")
    s = registry.settings
    assert (s.epp_login_free_failures, s.epp_login_lockout_failures) == (3, 10)
    assert (s.epp_login_address_free_failures, s.epp_login_address_lockout_failures) \
        == (10, 50)
    _h, login, pw = await registry.new_registrar()
    clients = await asyncio.gather(*(EppClient.connect("127.0.0.1", registry.port,
                                                       registry.ca_file) for _ in range(25)))
    try:
        replies = await asyncio.gather(*(c.request(frames.login(login, pw)) for c in clients))
    finally:
        for c in clients:
            await c.close()
    assert [r.code for r in replies] == [1000] * 25
    assert delays(caplog, login) == []
    for kind, key in (("login", login), ("address", "127.0.0.1")):
        row = await throttle_row(registry, kind, key)
        assert (row.failures, row.in_flight, row.locked_until) == (0, 0, None)
    await asyncio.sleep(0.3)  # the audit buffer
    assert await registry.scalar("select count(*) from audit "
                                 "where command = 'login_throttled'") == 0


async def test_a_stale_in_flight_count_does_not_block_logins(registry) -> None:
    """A server process that died mid-login never gave its in-flight attempts back: a
    count older than the bound is taken as nothing at the next admission."""
    small_limits(registry.settings, lockout=3, address_lockout=3)
    _h, login, pw = await registry.new_registrar()
    old = registry.clock.now() - timedelta(seconds=registry.settings.epp_login_delay_max + 61)
    async with registry.db.begin() as conn:
        from dkreg.store.schema import epp_login_throttle as t

        for kind, key in (("login", login), ("address", "127.0.0.1")):
            await conn.execute(t.insert().values(
                kind=kind, key=key, failures=0, in_flight=3, in_flight_since=old,
                last_at=registry.clock.now()))
    assert (await result(registry, login, pw))[0] == 1000
    for kind, key in (("login", login), ("address", "127.0.0.1")):
        assert (await throttle_row(registry, kind, key)).in_flight == 0
