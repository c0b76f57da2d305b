"""Connection limits over real TLS (issue 11, item 3): the login deadline, the caps per
client address and in all (counted from accept, before TLS), the open-file limit raised
at start, and ``/healthz`` answering while EPP is at its cap.

One address held 1,000 TLS connections that never logged in (700 s each, 8 h by sending
``<hello>``); at the 1,024 open-file limit new clients were reset and ``/healthz``
stopped answering. Other client addresses are 127.0.0.2, 127.0.0.3, … (Linux loopback).
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import re
import resource
import ssl
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from dkreg.epp import server as epp_server
from support import frames, free_ports
from support.eppclient import EppClient
from support.serve_process import read_until_ready

SESSION_LIMIT = "Session limit exceeded; server closing connection"
CLOSED = (asyncio.IncompleteReadError, ConnectionError, ssl.SSLError)

NO_DB = pytest.mark.parametrize(
    "backend", [os.environ.get("DKREG_TEST_BACKENDS", "sqlite").split(",")[0]])
LINUX = pytest.mark.skipif(not sys.platform.startswith("linux"),
                           reason="other loopback addresses and /proc are Linux's")


async def connect(registry, source: str = "127.0.0.1") -> EppClient:  # type: ignore[no-untyped-def]
    c = await EppClient.connect("127.0.0.1", registry.port, registry.ca_file,
                                local_addr=(source, 0))
    registry.clients.append(c)
    assert c.greeting is not None and c.greeting.find("epp:greeting") is not None
    return c


async def raw_tcp(port: int) -> asyncio.StreamWriter:
    """A TCP connection that never starts TLS."""
    _r, w = await asyncio.open_connection("127.0.0.1", port)
    return w


async def until(predicate, seconds: float = 5) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + seconds
    while not predicate():
        assert time.monotonic() < deadline, "condition not reached in time"
        await asyncio.sleep(0.01)


async def assert_refused(c: EppClient, login: str, pw: str, why: str) -> None:
    """Greeted, then 2502 for the login, then closed."""
    r = await c.login(login, pw)
    assert r.code == 2502, r.msg
    assert r.msg.startswith(SESSION_LIMIT) and why in r.msg, r.msg
    assert await c.at_eof(5)


# -- login deadline ------------------------------------------------------------------------

async def test_anonymous_connection_closed_at_login_deadline_despite_hello(
        registry_factory) -> None:
    """<hello> every 0.2 s and a failed login do not extend the 1 s deadline (the idle
    timer alone would be kept fresh for ever, the session limit is 8 h)."""
    async with registry_factory(epp_login_timeout=1.0, epp_idle_timeout=0.6) as registry:
        _h, login, _pw = await registry.new_registrar()
        c = await registry.client()
        started = time.monotonic()
        closed_after = None
        sent_wrong_login = False
        while time.monotonic() - started < 5:
            try:
                if not sent_wrong_login and time.monotonic() - started > 0.4:
                    sent_wrong_login = True
                    assert (await c.login(login, "Wrong-Passw0rd")).code == 2200
                else:
                    await c.send_raw(frames.hello().encode())
                    assert (await c.read(3)).find("epp:greeting") is not None
            except CLOSED:
                closed_after = time.monotonic() - started
                break
            await asyncio.sleep(0.2)
        assert sent_wrong_login
        assert closed_after is not None, "an anonymous connection outlived its login deadline"
        assert 0.8 < closed_after < 2.5, closed_after
        # a client that logs in in time is served
        c2 = await registry.client()
        assert (await c2.login(login, _pw)).code == 1000


async def test_login_in_time_is_not_cut_by_the_login_deadline(registry_factory) -> None:
    async with registry_factory(epp_login_timeout=0.5, epp_idle_timeout=0.6) as registry:
        c, _h = await registry.registrar_client()
        for _ in range(6):  # 1.2 s, past the login deadline
            await asyncio.sleep(0.2)
            assert (await c.request(frames.hello())).find("epp:greeting") is not None
        assert (await c.request(frames.domain_check("in-time.dk"))).code == 1000


async def test_login_running_at_the_deadline_gets_its_closing_variant(
        registry_factory, monkeypatch: pytest.MonkeyPatch) -> None:
    """A failed login whose answer comes after the deadline answers 2501 (the closing
    variant of 2200, RFC 5730) and the connection closes."""
    import dkreg.store.password_check as password_check

    original = password_check.verify_password

    def slow(stored: str, password: str) -> bool:
        time.sleep(0.6)
        return original(stored, password)

    monkeypatch.setattr(password_check, "verify_password", slow)
    async with registry_factory(epp_login_timeout=0.3) as registry:
        _h, login, _pw = await registry.new_registrar()
        c = await registry.client()
        r = await c.login(login, "Wrong-Passw0rd")
        assert r.code == 2501, r.msg
        assert r.msg == "Login failed; Disconnect due to login timeout"
        assert await c.at_eof(3)


def test_limit_defaults_and_configuration() -> None:
    from dkreg.config import Settings, load_settings

    s = Settings()
    assert (s.epp_login_timeout, s.epp_max_connections, s.epp_max_connections_per_ip) == (
        30.0, 1000, 50)
    s = load_settings(env={"DKREG_EPP_LOGIN_TIMEOUT": "10", "DKREG_EPP_MAX_CONNECTIONS": "300",
                           "DKREG_EPP_MAX_CONNECTIONS_PER_IP": "8"})
    assert (s.epp_login_timeout, s.epp_max_connections, s.epp_max_connections_per_ip) == (
        10.0, 300, 8)
    with pytest.raises(ValueError, match="epp_max_connections_per_ip must be at least 1"):
        load_settings(env={"DKREG_EPP_MAX_CONNECTIONS_PER_IP": "0"})


def test_ipv6_clients_are_counted_per_64() -> None:
    key = epp_server.address_key
    assert key("2001:db8:1:2::1") == key("2001:db8:1:2:ffff::9") == "2001:db8:1:2::/64"
    assert key("2001:db8:1:3::1") != key("2001:db8:1:2::1")
    assert key("::ffff:192.0.2.7") == "192.0.2.7"
    assert key("192.0.2.7") == "192.0.2.7"


# -- caps ---------------------------------------------------------------------------------

@LINUX
async def test_per_address_cap_refuses_with_2502_and_admits_after_one_closes(
        registry_factory) -> None:
    async with registry_factory(epp_max_connections_per_ip=2) as registry:
        _h, login, pw = await registry.new_registrar()
        first = await connect(registry)
        await connect(registry)
        over = await connect(registry)  # greeted (RFC 5730 §2.4), refused at login
        await assert_refused(over, login, pw, "connections from 127.0.0.1 are open")
        # another address is not held back by this one's connections
        other = await connect(registry, "127.0.0.2")
        assert (await other.login(login, pw)).code == 1000
        await first.close()
        await until(lambda: registry.server.per_address["127.0.0.1"] < 2)
        again = await connect(registry)
        assert (await again.login(login, pw)).code == 1000


@LINUX
async def test_global_cap_refuses_with_2502(registry_factory) -> None:
    async with registry_factory(epp_max_connections=3, epp_max_connections_per_ip=10) as registry:
        _h, login, pw = await registry.new_registrar()
        held = [await connect(registry, f"127.0.0.{n}") for n in (1, 2, 3)]
        over = await connect(registry, "127.0.0.4")
        await assert_refused(over, login, pw, "maximum of 3 connections")
        await held[0].close()
        await until(lambda: registry.server.admitted < 3)
        c = await connect(registry, "127.0.0.4")
        assert (await c.login(login, pw)).code == 1000


async def test_connections_count_from_accept_before_tls(registry_factory) -> None:
    """TCP connections that never start TLS hold their place until the handshake timeout
    (epp_read_timeout) ends them; then the address may connect again."""
    async with registry_factory(epp_max_connections_per_ip=2, epp_read_timeout=1.0) as registry:
        _h, login, pw = await registry.new_registrar()
        silent = [await raw_tcp(registry.port) for _ in range(2)]
        try:
            await until(lambda: registry.server.admitted == 2)
            over = await connect(registry)
            await assert_refused(over, login, pw, "connections from 127.0.0.1 are open")
            await until(lambda: registry.server.admitted == 0)  # handshake timeout
            c = await connect(registry)
            assert (await c.login(login, pw)).code == 1000
        finally:
            for w in silent:
                w.close()


@NO_DB
async def test_refusals_beyond_their_own_limit_are_closed_at_accept(
        registry_factory, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(epp_server, "REFUSALS_MAX", 1)
    async with registry_factory(epp_max_connections_per_ip=1) as registry:
        await connect(registry)
        refusing = await raw_tcp(registry.port)  # over the cap: takes the one refusal
        try:
            await until(lambda: registry.server.refusing == 1)
            with pytest.raises((*CLOSED, OSError)):
                await EppClient.connect("127.0.0.1", registry.port, registry.ca_file)
            assert registry.server.refusing == 1
        finally:
            refusing.close()


# -- open-file limit, /healthz at the cap (dkreg serve as a process) -----------------------

def _serve(tmp_path: Path, nofile: tuple[int, int], **env: str
           ) -> tuple[subprocess.Popen[str], int, int, str]:
    port, http_port = free_ports(2)
    proc = subprocess.Popen(
        [sys.executable, "-m", "dkreg.cli", "serve", "--data-dir", str(tmp_path / "serve"),
         "--epp-port", str(port), "--http-port", str(http_port)],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        env=dict(os.environ, PYTHONUNBUFFERED="1", **env),
        preexec_fn=lambda: resource.setrlimit(resource.RLIMIT_NOFILE, nofile))
    out = read_until_ready(proc)
    if "Stop with" not in out:
        proc.kill()
        proc.wait(10)
        raise AssertionError(out)
    return proc, port, http_port, out


def _stop(proc: subprocess.Popen[str]) -> None:
    proc.terminate()
    try:
        proc.wait(15)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(10)


@LINUX
def test_open_file_limit_raised_to_the_hard_limit_at_start(tmp_path: Path) -> None:
    _soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if hard != resource.RLIM_INFINITY and hard < 2048:
        pytest.skip(f"this machine's hard open-file limit ({hard}) leaves nothing to raise")
    target = 4096 if hard == resource.RLIM_INFINITY else min(hard, 4096)
    proc, _port, _http, out = _serve(tmp_path, (512, target))
    try:
        assert f"open-file limit (RLIMIT_NOFILE) raised from 512 to {target}" in out, out
        limits = Path(f"/proc/{proc.pid}/limits").read_text()
        row = re.search(r"Max open files\s+(\d+)\s+(\d+)", limits)
        assert row is not None and row.groups() == (str(target), str(target)), limits
        assert "does not fit the open-file limit" not in out
    finally:
        _stop(proc)


@LINUX
async def test_healthz_answers_while_epp_is_at_its_cap(tmp_path: Path) -> None:
    """With 300 descriptors in all (soft = hard: nothing to raise), 400 TCP connections
    to EPP from one address take what EPP may hold, no more: the global cap is lowered
    to fit (with a warning), and /healthz is served beside them."""
    limit = 300
    proc, port, http_port, out = await asyncio.to_thread(
        _serve, tmp_path, (limit, limit), DKREG_EPP_MAX_CONNECTIONS_PER_IP="100000")
    flood: list[asyncio.StreamWriter] = []
    try:
        fits = limit - epp_server.REFUSALS_MAX - epp_server.FD_RESERVE
        assert "open-file limit (RLIMIT_NOFILE) is 300, the hard limit" in out, out
        assert f"does not fit the open-file limit of {limit}" in out, out
        assert f"EPP serves at most {fits} connections" in out, out
        for _ in range(400):
            with contextlib.suppress(OSError):
                flood.append(await raw_tcp(port))
        await asyncio.sleep(0.5)  # let the server accept what it will
        async with httpx.AsyncClient(timeout=5) as web:
            r = await web.get(f"http://127.0.0.1:{http_port}/healthz")
        assert r.status_code == 200, r.text
        assert r.json()["status"] == "ok"
    finally:
        for w in flood:
            w.close()
        await asyncio.to_thread(_stop, proc)
