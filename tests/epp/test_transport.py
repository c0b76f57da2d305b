"""EPP transport over real TLS (SPEC-DIGEST §1): TLS versions, framing, greeting, budgets,
hostile input, error disconnects and graceful shutdown.

Every test talks to the real server through ``EppClient`` (responses are validated
against the official schemas) and, after hostile input, checks that the server still
serves a fresh connection.
"""

from __future__ import annotations

import asyncio
import contextlib
import ipaddress
import os
import signal
import socket
import ssl
import struct
import subprocess
import sys
import time
import warnings
from datetime import timedelta
from pathlib import Path

import pytest
from cryptography import x509

from dkreg import __version__
from dkreg.config import Settings, load_settings
from support import frames, free_ports
from support.eppclient import NS, EppClient

EPP_NS = NS["epp"]
TOO_MANY = "; Disconnect due to too many errors"
SHUTDOWN = "; Disconnect due to server shutdown"

# A small read timeout keeps the stall tests fast.
FAST = {"epp_read_timeout": 0.5}

# Tests that never reach the database run on one backend only (the first configured one);
# everything that logs in or writes runs on both.
NO_DB = pytest.mark.parametrize(
    "backend", [os.environ.get("DKREG_TEST_BACKENDS", "sqlite").split(",")[0]])


# -- helpers -----------------------------------------------------------------------------

async def assert_alive(registry) -> None:  # type: ignore[no-untyped-def]
    """The server still accepts a new TLS connection and answers <hello>."""
    c = await EppClient.connect("127.0.0.1", registry.port, registry.ca_file)
    try:
        assert c.greeting is not None and c.greeting.find("epp:greeting") is not None
        r = await c.request(frames.hello())
        assert r.find("epp:greeting") is not None
    finally:
        await c.close()


async def send_header(c: EppClient, length: int, body: bytes = b"") -> None:
    c.writer.write(struct.pack(">I", length) + body)
    await c.writer.drain()


async def assert_closed_without_reply(c: EppClient, timeout: float = 5) -> None:
    assert await c.at_eof(timeout), "server answered instead of closing the connection"


def frame_of_size(total: int) -> bytes:
    """A <hello> frame body padded with whitespace so that header + body == total bytes."""
    head, tail = frames.HEAD.encode(), b"<hello/></epp>"
    pad = total - 4 - len(head) - len(tail)
    assert pad >= 0
    return head + b" " * pad + tail


# -- TLS ---------------------------------------------------------------------------------

def _client_ctx(ca_file: Path, version: ssl.TLSVersion) -> ssl.SSLContext:
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    ctx.load_verify_locations(ca_file)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        ctx.minimum_version = version
        ctx.maximum_version = version
        if version < ssl.TLSVersion.TLSv1_2:
            ctx.set_ciphers("DEFAULT:@SECLEVEL=0")
    return ctx


async def _handshake(port: int, ctx: ssl.SSLContext) -> tuple[asyncio.StreamReader,
                                                                asyncio.StreamWriter]:
    return await asyncio.wait_for(asyncio.open_connection(
        "127.0.0.1", port, ssl=ctx, server_hostname="localhost"), 5)


@NO_DB
async def test_tls11_refused_tls12_and_13_accepted(registry, tls_files) -> None:
    ca, cert, key = tls_files
    # Control: this machine's OpenSSL can speak TLS 1.1 at all (else the test proves nothing).
    control = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        control.minimum_version = ssl.TLSVersion.TLSv1
    control.set_ciphers("DEFAULT:@SECLEVEL=0")
    control.load_cert_chain(cert, key)

    async def answer(_r: asyncio.StreamReader, w: asyncio.StreamWriter) -> None:
        w.close()

    srv = await asyncio.start_server(answer, "127.0.0.1", 0, ssl=control)
    try:
        try:
            _r, w = await _handshake(srv.sockets[0].getsockname()[1],
                                     _client_ctx(ca, ssl.TLSVersion.TLSv1_1))
        except (ssl.SSLError, OSError) as exc:
            pytest.skip(f"local OpenSSL cannot negotiate TLS 1.1: {exc}")
        w.close()
    finally:
        srv.close()

    with pytest.raises((ssl.SSLError, ConnectionError)):
        await _handshake(registry.port, _client_ctx(ca, ssl.TLSVersion.TLSv1_1))

    for version, name in ((ssl.TLSVersion.TLSv1_2, "TLSv1.2"), (ssl.TLSVersion.TLSv1_3, "TLSv1.3")):
        reader, writer = await _handshake(registry.port, _client_ctx(ca, version))
        c = EppClient(reader, writer)
        try:
            assert writer.get_extra_info("ssl_object").version() == name
            greeting = await c.read(5)
            assert greeting.find("epp:greeting") is not None
            assert (await c.request(frames.hello())).find("epp:greeting") is not None
        finally:
            await c.close()
    await assert_alive(registry)


@NO_DB
async def test_server_presents_dev_certificate_for_localhost(registry) -> None:
    c = await registry.client()
    der = c.writer.get_extra_info("ssl_object").getpeercert(binary_form=True)
    cert = x509.load_der_x509_certificate(der)
    san = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    assert "localhost" in san.get_values_for_type(x509.DNSName)
    assert ipaddress.ip_address("127.0.0.1") in san.get_values_for_type(x509.IPAddress)
    ca = x509.load_pem_x509_certificate(Path(registry.ca_file).read_bytes())
    cert.verify_directly_issued_by(ca)


@NO_DB
async def test_connecting_by_ip_address_verifies(registry) -> None:
    ctx = ssl.create_default_context(cafile=str(registry.ca_file))
    reader, writer = await asyncio.wait_for(asyncio.open_connection(
        "127.0.0.1", registry.port, ssl=ctx, server_hostname="127.0.0.1"), 5)
    c = EppClient(reader, writer)
    try:
        assert (await c.read(5)).find("epp:greeting") is not None
    finally:
        await c.close()


@NO_DB
async def test_plaintext_client_gets_no_greeting(registry_factory) -> None:
    async with registry_factory(**FAST) as registry:
        reader, writer = await asyncio.open_connection("127.0.0.1", registry.port)
        try:
            body = frames.hello().encode()
            writer.write(struct.pack(">I", len(body) + 4) + body)
            await writer.drain()
            with contextlib.suppress(ConnectionError):
                data = await asyncio.wait_for(reader.read(65536), 5)
                assert b"<greeting" not in data and b"<epp" not in data
                assert await asyncio.wait_for(reader.read(65536), 5) == b""
        finally:
            writer.close()
        await assert_alive(registry)


@NO_DB
async def test_tcp_client_that_never_handshakes_is_dropped(registry_factory) -> None:
    async with registry_factory(**FAST) as registry:
        reader, writer = await asyncio.open_connection("127.0.0.1", registry.port)
        started = time.monotonic()
        try:
            await assert_alive(registry)  # served while the silent client hangs around
            with contextlib.suppress(ConnectionError):
                assert await asyncio.wait_for(reader.read(), 5) == b""
            assert time.monotonic() - started < 4
        finally:
            writer.close()


# -- greeting, hello ----------------------------------------------------------------------

GREETING_OBJ_URIS = {
    "urn:ietf:params:xml:ns:domain-1.0", "urn:ietf:params:xml:ns:contact-1.0",
    "urn:ietf:params:xml:ns:host-1.0", "http://www.verisign.com/epp/balance-1.0",
}
GREETING_EXT_URIS = {
    "urn:ietf:params:xml:ns:secDNS-1.1", "urn:dkhm:params:xml:ns:dkhm-4.3",
    "urn:dkhm:params:xml:ns:dkhm-4.4", "urn:dkhm:params:xml:ns:dkhm-4.5",
    "urn:ietf:params:xml:ns:rgp-1.0",  # restore and info's rgp:infData (RFC 5730 §2.4)
}


@NO_DB
async def test_greeting_contents(registry) -> None:
    c = await registry.client()
    g = c.greeting
    assert g is not None
    assert g.text("epp:greeting/epp:svID") == f"dkreg EPP Service (sandbox): {__version__}"
    assert g.text("epp:greeting/epp:svDate") == "2026-06-01T10:00:00.0Z"
    menu = "epp:greeting/epp:svcMenu"
    assert g.text(f"{menu}/epp:version") == "1.0"
    assert g.text(f"{menu}/epp:lang") == "en"
    obj_uris = [e.text for e in g.findall(f"{menu}/epp:objURI")]
    assert set(obj_uris) == GREETING_OBJ_URIS and len(obj_uris) == 4
    ext_uris = {e.text for e in g.findall(f"{menu}/epp:svcExtension/epp:extURI")}
    assert ext_uris >= GREETING_EXT_URIS
    assert "urn:ietf:params:xml:ns:secDNS-1.0" not in ext_uris
    assert g.find("epp:greeting/epp:dcp/epp:access/epp:personalAndOther") is not None


async def test_hello_returns_greeting_before_and_after_login(registry) -> None:
    _h, login, pw = await registry.new_registrar()
    c = await registry.client()
    r = await c.request(frames.hello())
    assert r.find("epp:greeting") is not None and r.find("epp:response") is None
    assert r.text("epp:greeting/epp:svID") == c.greeting.text("epp:greeting/epp:svID")
    assert (await c.login(login, pw)).code == 1000
    registry.clock.advance(timedelta(minutes=5, seconds=7))
    r = await c.request(frames.hello())
    assert r.text("epp:greeting/epp:svDate") == "2026-06-01T10:05:07.0Z"
    # hello counts as no error and does not end the session
    assert (await c.request(frames.domain_check("hello-test.dk"))).code == 1000


async def test_trailing_crlf_after_epp_is_accepted(registry) -> None:
    _h, login, pw = await registry.new_registrar()
    c = await registry.client()
    r = await c.request(frames.hello() + "\r\n")
    assert r.find("epp:greeting") is not None
    r = await c.request(frames.login(login, pw) + "\r\n")
    assert r.code == 1000, r.msg
    r = await c.request(frames.domain_check("crlf.dk") + "\r\n\r\n")
    assert r.code == 1000, r.msg
    r = await c.request(frames.logout() + "\n")
    assert r.code == 1500


# -- framing -----------------------------------------------------------------------------

@NO_DB
async def test_frame_of_exactly_max_size_is_accepted(registry) -> None:
    c = await registry.client()
    body = frame_of_size(262_144)
    assert len(body) + 4 == 262_144
    await c.send_raw(body)  # send_raw adds the 4-byte header
    r = await c.read()
    assert r.find("epp:greeting") is not None


@NO_DB
@pytest.mark.parametrize("announce", [262_145, 300_000, 0xFFFFFFFF])
async def test_oversized_frame_closes_without_reply(registry, announce: int) -> None:
    c = await registry.client()
    body = frame_of_size(262_145) if announce == 262_145 else b"<epp"
    started = time.monotonic()
    with contextlib.suppress(ConnectionError):
        await send_header(c, announce, body)
    await assert_closed_without_reply(c)
    assert time.monotonic() - started < 3  # at once, not after a timeout
    await assert_alive(registry)


@NO_DB
@pytest.mark.parametrize("announce", [0, 1, 3, 4])
async def test_length_header_below_five_closes_without_reply(registry, announce: int) -> None:
    c = await registry.client()
    with contextlib.suppress(ConnectionError):
        await send_header(c, announce, b"<epp/>")
    await assert_closed_without_reply(c)
    await assert_alive(registry)


@NO_DB
async def test_smallest_frame_gets_an_answer(registry) -> None:
    c = await registry.client()
    await send_header(c, 5, b"<")
    r = await c.read(5)
    assert r.code == 2001
    assert (await c.request(frames.hello())).find("epp:greeting") is not None


@NO_DB
async def test_announced_more_than_sent_closes_after_read_timeout(registry_factory) -> None:
    async with registry_factory(**FAST) as registry:
        c = await registry.client()
        body = frames.hello().encode()
        await send_header(c, len(body) + 4 + 1000, body)  # 1000 bytes never come
        started = time.monotonic()
        await assert_alive(registry)  # others are served meanwhile
        await assert_closed_without_reply(c, timeout=5)
        elapsed = time.monotonic() - started
        assert elapsed < 3, elapsed
        await assert_alive(registry)


@NO_DB
async def test_partial_length_header_then_stall_is_closed(registry_factory) -> None:
    async with registry_factory(**FAST) as registry:
        c = await registry.client()
        c.writer.write(b"\x00\x00")
        await c.writer.drain()
        started = time.monotonic()
        await assert_closed_without_reply(c, timeout=5)
        assert time.monotonic() - started < 3
        await assert_alive(registry)


@NO_DB
async def test_client_that_stops_reading_does_not_block_others(registry_factory) -> None:
    async with registry_factory(**FAST) as registry:
        c = await registry.client()
        sock = c.writer.get_extra_info("socket")
        with contextlib.suppress(OSError):
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        c.writer.transport.pause_reading()  # type: ignore[attr-defined]
        hello = frames.hello().encode()
        blob = (struct.pack(">I", len(hello) + 4) + hello) * 6000  # ~7 MB of greetings
        c.writer.write(blob)  # never drained, never read
        await assert_alive(registry)
        # the server gives up on the stalled reader; it must not keep the session forever
        deadline = time.monotonic() + 8
        while registry.server.sessions and time.monotonic() < deadline:
            await asyncio.sleep(0.1)
        assert not registry.server.sessions
        c.writer.transport.abort()
        await assert_alive(registry)


# -- budgets -----------------------------------------------------------------------------

async def test_idle_timeout_closes_session(registry_factory) -> None:
    async with registry_factory(epp_idle_timeout=0.5) as registry:
        c, _h = await registry.registrar_client()
        started = time.monotonic()
        await assert_closed_without_reply(c, timeout=5)
        assert 0.4 < time.monotonic() - started < 3
        await assert_alive(registry)


@NO_DB
async def test_idle_timeout_applies_before_login(registry_factory) -> None:
    async with registry_factory(epp_idle_timeout=0.5) as registry:
        c = await registry.client()
        await assert_closed_without_reply(c, timeout=5)


async def test_any_command_refreshes_idle_timer(registry_factory) -> None:
    async with registry_factory(epp_idle_timeout=0.6) as registry:
        c, _h = await registry.registrar_client()
        for _ in range(5):  # 5 x 0.3 s = 1.5 s, well past one idle period
            await asyncio.sleep(0.3)
            assert (await c.request(frames.hello())).find("epp:greeting") is not None
        assert (await c.request(frames.domain_check("idle.dk"))).code == 1000


async def test_max_session_length_closes_even_when_busy(registry_factory) -> None:
    async with registry_factory(epp_idle_timeout=0.6, epp_max_session=1.0) as registry:
        c, _h = await registry.registrar_client()
        started = time.monotonic()
        closed_after = None
        while time.monotonic() - started < 5:
            try:
                await c.send_raw(frames.hello().encode())
                r = await c.read(3)
            except (asyncio.IncompleteReadError, ConnectionError, ssl.SSLError):
                closed_after = time.monotonic() - started
                break
            assert r.find("epp:greeting") is not None
            await asyncio.sleep(0.2)
        assert closed_after is not None, "session outlived epp_max_session"
        assert 0.8 < closed_after < 2.5, closed_after
        # a new login is possible at once
        c2, _h2 = await registry.registrar_client()
        assert (await c2.request(frames.domain_check("relogin.dk"))).code == 1000


@NO_DB
async def test_max_session_length_applies_before_login(registry_factory) -> None:
    """hello keeps an idle timer fresh, but cannot hold an anonymous connection forever."""
    async with registry_factory(epp_idle_timeout=0.6, epp_max_session=1.0) as registry:
        c = await registry.client()
        started = time.monotonic()
        with pytest.raises((asyncio.IncompleteReadError, ConnectionError, ssl.SSLError)):
            while time.monotonic() - started < 5:
                await c.send_raw(frames.hello().encode())
                assert (await c.read(3)).find("epp:greeting") is not None
                await asyncio.sleep(0.2)
        assert time.monotonic() - started < 2.5
        await assert_alive(registry)


def test_budget_defaults_and_configuration() -> None:
    s = Settings()
    assert s.epp_idle_timeout == 700
    assert s.epp_max_session == 8 * 3600
    assert s.epp_max_frame == 262_144
    assert s.epp_error_limit == 3
    s = load_settings(env={"DKREG_EPP_IDLE_TIMEOUT": "300", "DKREG_EPP_MAX_SESSION": "60"})
    assert (s.epp_idle_timeout, s.epp_max_session) == (300.0, 60.0)


# -- hostile XML -------------------------------------------------------------------------

@NO_DB
async def test_invalid_utf8_is_2001(registry) -> None:
    c = await registry.client()
    raw = frames.command("<logout/>", cl_trid="ABC-\xff").encode("latin-1")
    assert b"\xff" in raw
    started = time.monotonic()
    r = await c.request(raw)
    assert r.code == 2001
    assert "UTF-8" in r.msg
    assert time.monotonic() - started < 2
    # still usable
    assert (await c.request(frames.hello())).find("epp:greeting") is not None
    await assert_alive(registry)


@NO_DB
async def test_overlong_utf8_and_utf16_are_2001(registry) -> None:
    c = await registry.client()
    assert (await c.request(frames.hello().replace("<hello/>", "<hello/>\xc0\xaf")
                            .encode("latin-1"))).code == 2001
    c2 = await registry.client()
    assert (await c2.request(frames.hello().replace('"UTF-8"', '"UTF-16"')
                             .encode("utf-16"))).code == 2001
    await assert_alive(registry)


BILLION_LAUGHS = (
    '<?xml version="1.0"?>\n<!DOCTYPE epp [\n <!ENTITY lol "lol">\n'
    + "".join(f' <!ENTITY lol{i} "{("&lol" + str(i - 1) + ";") * 10 if i > 1 else "&lol;" * 10}">\n'
              for i in range(1, 10))
    + ']>\n<epp xmlns="urn:ietf:params:xml:ns:epp-1.0"><command><login><clID>&lol9;</clID>'
    "<pw>x</pw><options><version>1.0</version><lang>en</lang></options><svcs/></login>"
    "<clTRID>LOL-1</clTRID></command></epp>")


@NO_DB
async def test_billion_laughs_is_2001_without_expansion(registry) -> None:
    c = await registry.client()
    started = time.monotonic()
    r = await c.request(BILLION_LAUGHS)
    assert time.monotonic() - started < 1
    assert r.code == 2001
    assert "DOCTYPE" in r.msg
    assert b"lollol" not in r.raw
    assert len(r.raw) < 2000
    await assert_alive(registry)


XXE = ('<?xml version="1.0"?>\n<!DOCTYPE epp [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n'
       '<epp xmlns="urn:ietf:params:xml:ns:epp-1.0"><command><login><clID>&xxe;</clID>'
       "<pw>x</pw><options><version>1.0</version><lang>en</lang></options><svcs/></login>"
       "<clTRID>XXE-1</clTRID></command></epp>")


@NO_DB
async def test_external_entity_is_2001_and_never_read(registry) -> None:
    c = await registry.client()
    r = await c.request(XXE)
    assert r.code == 2001
    assert b"root:" not in r.raw and b"/bin/" not in r.raw
    await assert_alive(registry)


@NO_DB
async def test_doctype_hidden_after_4k_padding_is_2001(registry, tmp_path: Path) -> None:
    """The quick pre-check looks at the first 4 KiB only; the parser must still refuse."""
    secret = tmp_path / "secret.dtd"
    secret.write_text('<!ENTITY leak "TOPSECRET">')
    padding = "<!--" + "x" * 5000 + "-->"
    for doctype in (f'<!DOCTYPE epp SYSTEM "file://{secret}">',
                    f'<!DOCTYPE epp PUBLIC "-//X//Y" "file://{secret}">'):
        for body in ("<command><logout/><clTRID>&leak;-1</clTRID></command>", "<hello/>"):
            c = await registry.client()
            doc = (f'<?xml version="1.0"?>{padding}{doctype}'
                   f'<epp xmlns="urn:ietf:params:xml:ns:epp-1.0">{body}</epp>')
            r = await c.request(doc)
            assert r.code == 2001, (doctype, body, r.msg)
            assert b"TOPSECRET" not in r.raw
            assert r.find("epp:greeting") is None
    await assert_alive(registry)


@NO_DB
async def test_undefined_entity_reference_is_2001(registry) -> None:
    c = await registry.client()
    r = await c.request(frames.command("<logout/>", cl_trid="ENT-&xxe;"))
    assert r.code == 2001
    assert "well-formed" in r.msg
    await assert_alive(registry)


@NO_DB
async def test_deeply_nested_xml_is_2001_quickly(registry) -> None:
    c = await registry.client()
    for depth in (1_000, 30_000):  # beyond libxml2's default limit (256), and far beyond
        doc = (frames.HEAD + "<command><check>" + "<a>" * depth + "</a>" * depth
               + "</check></command></epp>")
        started = time.monotonic()
        r = await c.request(doc)
        assert r.code == 2001, r.msg
        assert "well-formed" in r.msg
        assert time.monotonic() - started < 2
    await assert_alive(registry)


@NO_DB
@pytest.mark.parametrize(("doc", "names"), [
    ("<epp", "well-formed"),
    (frames.HEAD + "<hello/>", "well-formed"),
    ('<?xml version="1.0"?><foo xmlns="urn:example:foo"/>', "foo"),
    (frames.HEAD + "<hello/><hello/></epp>", "epp"),
    (frames.command("<logout/><bogus/>"), "epp:bogus"),
    (frames.command("<logout/>", cl_trid="X"), "clTRID"),
], ids=["truncated", "unclosed", "wrong-root", "two-children", "unknown-in-command",
        "short-cltrid"])
async def test_syntax_errors_are_2001_naming_the_problem(registry, doc: str, names: str) -> None:
    c = await registry.client()
    r = await c.request(doc)
    assert r.code == 2001, r.msg
    assert names in r.msg, r.msg
    assert (await c.request(frames.hello())).find("epp:greeting") is not None


async def test_unknown_element_in_login_is_2001_naming_it(registry) -> None:
    _h, login, pw = await registry.new_registrar()
    c = await registry.client()
    doc = frames.login(login, pw).replace("<options>", "<frobnicate/><options>")
    r = await c.request(doc)
    assert r.code == 2001
    assert "frobnicate" in r.msg, r.msg
    assert (await c.login(login, pw)).code == 1000


async def test_unknown_element_in_object_command_is_2001_naming_it(registry) -> None:
    c, _h = await registry.registrar_client()
    doc = frames.domain_check("a.dk").replace(
        "</domain:check>", "<domain:colour>blue</domain:colour></domain:check>")
    r = await c.request(doc)
    assert r.code == 2001
    assert "domain:colour" in r.msg, r.msg
    doc = frames.domain_check("a.dk").replace(
        "</domain:check>", '<x:y xmlns:x="urn:example:x"/></domain:check>')
    r = await c.request(doc)
    assert r.code == 2001
    assert "x:y" in r.msg, r.msg


# -- error disconnects -------------------------------------------------------------------

@NO_DB
async def test_three_syntax_errors_disconnect(registry) -> None:
    c = await registry.client()
    for _ in range(2):
        r = await c.request("<epp")
        assert r.code == 2001 and not r.msg.endswith(TOO_MANY)
    r = await c.request("<epp")
    assert r.code == 2500
    assert r.msg.endswith(TOO_MANY), r.msg
    await assert_closed_without_reply(c)
    await assert_alive(registry)


@NO_DB
async def test_three_login_first_errors_disconnect(registry) -> None:
    c = await registry.client()
    for _ in range(2):
        assert (await c.request(frames.domain_check("x.dk"))).code == 2002
    r = await c.request(frames.domain_check("x.dk"))
    assert r.code == 2500
    assert r.msg == "You need to login first." + TOO_MANY
    await assert_closed_without_reply(c)


async def test_different_error_types_do_not_disconnect(registry) -> None:
    _h, login, pw = await registry.new_registrar()
    c = await registry.client()
    codes = []
    for doc in ("<epp", frames.domain_check("x.dk"), frames.login(login, "Wrong-Passw0rd"),
                "<epp", frames.domain_check("x.dk"), frames.login(login, "Wrong-Passw0rd")):
        codes.append((await c.request(doc)).code)
    assert codes == [2001, 2002, 2200, 2001, 2002, 2200]
    assert (await c.login(login, pw)).code == 1000
    assert (await c.request(frames.domain_check("still-here.dk"))).code == 1000
    # the third of one kind still disconnects
    r = await c.request("<epp")
    assert (r.code, r.msg.endswith(TOO_MANY)) == (2500, True)
    await assert_closed_without_reply(c)


@NO_DB
async def test_syntax_error_in_command_echoes_cltrid(registry) -> None:
    c = await registry.client()
    r = await c.request(frames.command("<logout/><bogus/>", cl_trid="ECHO-123"))
    assert r.code == 2001
    assert r.text(".//epp:clTRID") == "ECHO-123"
    assert r.text(".//epp:svTRID")
    # an unusable clTRID is not echoed (the response must stay schema-valid)
    r = await c.request(frames.command("<logout/><bogus/>", cl_trid="X" * 65))
    assert r.code == 2001
    assert r.find(".//epp:clTRID") is None


@NO_DB
async def test_closing_response_keeps_cltrid(registry) -> None:
    c = await registry.client()
    for _ in range(2):
        await c.request(frames.domain_check("x.dk"))
    r = await c.request(frames.command(
        '<check><domain:check xmlns:domain="urn:ietf:params:xml:ns:domain-1.0">'
        "<domain:name>x.dk</domain:name></domain:check></check>", cl_trid="KEEP-ME-1"))
    assert r.code == 2500
    assert r.text(".//epp:clTRID") == "KEEP-ME-1"
    assert r.text(".//epp:svTRID")


# -- graceful shutdown -------------------------------------------------------------------

@pytest.fixture
def slow_password_check(monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    """Make login take 0.5 s so that a shutdown reliably lands while it is in flight."""
    import dkreg.store.password_check as password_check

    original = password_check.verify_password

    def slow(stored: str, password: str) -> bool:
        time.sleep(0.5)
        return original(stored, password)

    monkeypatch.setattr(password_check, "verify_password", slow)


async def _wait_busy(registry) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + 5
    while not any(s.busy for s in registry.server.sessions):
        assert time.monotonic() < deadline, "command never started"
        await asyncio.sleep(0.005)


async def test_shutdown_lets_inflight_command_finish_with_1500(
        registry, slow_password_check) -> None:
    _h, login, pw = await registry.new_registrar()
    idle, _ = await registry.registrar_client()
    busy = await registry.client()
    await busy.send_raw(frames.login(login, pw).encode())
    await _wait_busy(registry)
    started = time.monotonic()
    await registry.server.stop()
    assert time.monotonic() - started < 5
    r = await busy.read(5)
    assert r.code == 1500
    assert r.msg == f"User {login} logged in.{SHUTDOWN}"
    await assert_closed_without_reply(busy)
    await assert_closed_without_reply(idle)  # idle sessions are simply closed
    with pytest.raises(OSError):
        await EppClient.connect("127.0.0.1", registry.port, registry.ca_file)


async def test_shutdown_turns_inflight_error_into_25xx(registry, slow_password_check) -> None:
    _h, login, _pw = await registry.new_registrar()
    busy = await registry.client()
    await busy.send_raw(frames.login(login, "Wrong-Passw0rd").encode())
    await _wait_busy(registry)
    await registry.server.stop()
    r = await busy.read(5)
    assert r.code == 2501
    assert r.msg == "Login failed" + SHUTDOWN
    await assert_closed_without_reply(busy)


async def test_shutdown_inflight_check_gets_1500(registry, monkeypatch) -> None:
    import dkreg.epp.commands.domain.check as check_cmd

    original = check_cmd.domain_check

    async def slow_check(ctx, names):  # type: ignore[no-untyped-def]
        await asyncio.sleep(0.5)
        return await original(ctx, names)

    monkeypatch.setattr(check_cmd, "domain_check", slow_check)
    c, _h = await registry.registrar_client()
    names = [f"many-{i}.dk" for i in range(100)]
    await c.send_raw(frames.domain_check(*names).encode())
    await c.send_raw(frames.domain_check("queued-behind.dk").encode())  # pipelined
    await _wait_busy(registry)
    await registry.server.stop()
    r = await c.read(10)
    assert r.code == 1500
    assert r.msg == "Command completed successfully" + SHUTDOWN
    assert len(r.findall(".//domain:cd")) == 100
    await assert_closed_without_reply(c)  # the pipelined command is not started


@NO_DB
async def test_handshake_in_progress_at_shutdown_gets_no_session(registry) -> None:
    reader, writer = await asyncio.open_connection("127.0.0.1", registry.port)
    await asyncio.sleep(0.05)  # accepted by the server, TLS not started
    await registry.server.stop()
    ctx = ssl.create_default_context(cafile=str(registry.ca_file))
    try:
        await asyncio.wait_for(writer.start_tls(ctx, server_hostname="localhost"), 5)
    except (OSError, ssl.SSLError, TimeoutError):
        return  # refused: fine
    c = EppClient(reader, writer)
    try:
        assert await c.at_eof(3), "a session was started after the server stopped"
    finally:
        writer.transport.abort()


async def test_dkreg_serve_exits_cleanly_on_sigterm(db_url: str, tmp_path: Path) -> None:
    port, http_port = free_ports(2)
    data_dir = tmp_path / "serve"
    exe = Path(sys.executable).with_name("dkreg")
    env = dict(os.environ, PYTHONUNBUFFERED="1")
    env.pop("DKREG_CONFIG", None)
    proc = subprocess.Popen(
        [str(exe), "serve", "--data-dir", str(data_dir), "--database-url", db_url,
         "--epp-port", str(port), "--http-port", str(http_port)],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=env, text=True)
    try:
        lines: list[str] = []
        loop = asyncio.get_running_loop()
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            line = await loop.run_in_executor(None, proc.stdout.readline)
            if not line:
                break
            lines.append(line)
            if "Stop with Ctrl-C" in line:
                break
        out = "".join(lines)
        assert "Stop with Ctrl-C" in out, out
        assert f"port {port}" in out
        ca_file = data_dir / "tls" / "ca.pem"
        assert ca_file.exists() and str(ca_file) in out
        creds = next(x for x in lines if "user:" in x).split()
        login, password = creds[creds.index("user:") + 1], creds[creds.index("password:") + 1]

        c = await EppClient.connect("127.0.0.1", port, ca_file)
        assert (await c.login(login, password)).code == 1000
        assert (await c.request(frames.hello())).find("epp:greeting") is not None
        started = time.monotonic()
        proc.send_signal(signal.SIGTERM)
        code = await loop.run_in_executor(None, proc.wait, 10)
        assert code == 0, "".join(lines) + (proc.stdout.read() or "")
        assert time.monotonic() - started < 5
        assert await c.at_eof(2)
        await c.close()
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
