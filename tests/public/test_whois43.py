"""WHOIS on port 43 (issue 15 §1): the real server, asked by Debian's ``whois`` client
and by asyncwhois (its .dk parser, ``tldparsers.RegexDK``), over domains created over
EPP; both backends (the ``registry`` fixture)."""

from __future__ import annotations

import asyncio
import shutil
from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path

import pytest
import pytest_asyncio
from asyncwhois.parse import TLDBaseKeys
from asyncwhois.parse_tld import DomainParser
from asyncwhois.query import DomainQuery
from prometheus_client.exposition import generate_latest

from dkreg.clock import COPENHAGEN
from dkreg.public.whois import render
from dkreg.public.whois.server import WhoisServer
from epp.helpers import NS
from epp.update_support import active_domains, create_hosts, drain, ready_registrar
from support import frames

LOOPBACK = "127.0.0.0/8 ::1"
PUNKTUM_CVR = "24210375"


@pytest_asyncio.fixture
async def whois(registry) -> AsyncIterator[WhoisServer]:  # type: ignore[no-untyped-def]
    """The server on a free port, loopback allow-listed (the limits have tests of their
    own below)."""
    registry.settings.whois_allow = LOOPBACK
    server = WhoisServer(registry.services, "127.0.0.1", 0)
    await server.start()
    try:
        yield server
    finally:
        await server.stop()


@pytest_asyncio.fixture
async def limited(registry) -> AsyncIterator[WhoisServer]:  # type: ignore[no-untyped-def]
    """The server with the registry's default limits and no allow-list."""
    registry.settings.whois_allow = ""
    server = WhoisServer(registry.services, "127.0.0.1", 0)
    await server.start()
    try:
        yield server
    finally:
        await server.stop()


async def whois_client(port: int, query: str, host: str = "127.0.0.1") -> bytes:
    """Debian's whois(1), as a user types it: ``whois -h HOST -p PORT "QUERY"``."""
    assert shutil.which("whois"), "Debian's whois client is needed (scripts/bootstrap.sh)"
    proc = await asyncio.create_subprocess_exec(
        "whois", "-h", host, "-p", str(port), query,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
    out, err = await asyncio.wait_for(proc.communicate(), 30)
    assert proc.returncode == 0, err
    return out


async def ask(port: int, data: bytes, host: str = "127.0.0.1") -> bytes:
    """A raw RFC 3912 exchange: send, read to the server's close."""
    reader, writer = await asyncio.open_connection(host, port)
    writer.write(data)
    await writer.drain()
    out = await asyncio.wait_for(reader.read(), 10)
    writer.close()
    return out


def fields(text: str) -> dict[str, list[str]]:
    """``Name: value`` lines (not comments) by name, in order."""
    out: dict[str, list[str]] = {}
    for line in text.splitlines():
        if line.startswith("#") or ":" not in line:
            continue
        key, _, value = line.partition(":")
        out.setdefault(key, []).append(value.strip())
    return out


def local_date(moment) -> str:  # type: ignore[no-untyped-def]
    return moment.astimezone(COPENHAGEN).date().isoformat()


async def stored(registry, name: str):  # type: ignore[no-untyped-def]
    from sqlalchemy import select

    from dkreg.store.schema import domains

    async with registry.db.read() as conn:
        return (await conn.execute(select(domains).where(domains.c.name == name))).one()


async def company_domain(registry, c, name: str) -> str:  # type: ignore[no-untyped-def]
    """A domain of a company registrant (CVR number, name and address public)."""
    r = await c.request(frames.contact_create(
        user_type="company", name="Ida Jensen", org="Eksempel ApS", cvr=PUNKTUM_CVR,
        street="Industrivej 7", city="Odense C", pc="5000", email="info@eksempel-aps.dk",
        verified=True, dkhm="4.5"))
    assert r.code == 1000, r.msg
    handle = r.text(".//contact:id")
    await active_domains(registry, c, handle, name)
    await drain(c)
    return handle


async def test_a_domain_read_by_debian_whois(registry, whois) -> None:  # type: ignore[no-untyped-def]
    await ready_registrar(registry, "eksempel.dk")
    out = (await whois_client(whois.port, "eksempel.dk")).decode("latin-1")
    dom = await stored(registry, "eksempel.dk")
    assert out.startswith("# Hello 127.0.0.1. Your session has been logged.\n")
    comments = [line for line in out.splitlines() if line.startswith("#")]
    assert "# Version: 5.0.0" in comments
    assert any(line.startswith("# Copyright (c) 2002 - ") for line in comments)
    assert "\r" not in out  # the client turns CRLF into line ends
    f = fields(out)
    assert f["Domain"] == ["eksempel.dk"] and f["DNS"] == ["eksempel.dk"]
    assert f["Registered"] == [local_date(dom.created_at)]
    assert f["Expires"] == [local_date(dom.expires_at)]
    assert f["Registration period"] == [f"{dom.period_years} year" +
                                        ("s" if dom.period_years != 1 else "")]
    assert f["VID"] == ["no"]
    assert f["DNSSEC"] == ["Unsigned delegation, no records"]
    assert f["Status"] == ["Active"]
    assert f["Hostname"] == NS
    assert "Nameservers\nHostname:             ns1.example.net\n" in out
    assert ("Registrar" in f) == (dom.management == "registrar")
    assert "Delete date" not in f and "Registrant" not in out  # no --show-handles
    # the registry's column: values start at the 23rd character
    assert "\nDomain:               eksempel.dk\n" in out
    assert "\nRegistration period:  " in out


async def test_registrar_only_for_registrar_managed_and_the_delete_date(registry, whois) -> None:  # type: ignore[no-untyped-def]
    from sqlalchemy import text

    c, handle, _ = await ready_registrar(registry, "eksempel.dk", "selvbetjent.dk")
    own_dom = await stored(registry, "selvbetjent.dk")
    async with registry.db.begin() as conn:
        await conn.execute(text("update domains set management = 'registrar' "
                                "where name = 'eksempel.dk'"))
        await conn.execute(text("update domains set management = 'registrant', "
                                "delete_at = :at where name = 'selvbetjent.dk'"),
                           {"at": own_dom.expires_at - timedelta(days=40)})
    managed = fields((await whois_client(whois.port, "eksempel.dk")).decode("latin-1"))
    rname = await registry.scalar("select name from registrars where handle = :h", h=handle)
    assert managed["Registrar"] == [rname]
    assert "Delete date" not in managed
    own = fields((await whois_client(whois.port, "selvbetjent.dk")).decode("latin-1"))
    assert "Registrar" not in own
    dom = await stored(registry, "selvbetjent.dk")
    assert own["Delete date"] == [local_date(dom.delete_at)]


async def test_asyncwhois_dk_parser_reads_every_field(registry, whois) -> None:  # type: ignore[no-untyped-def]
    """asyncwhois's own .dk parser (RegexDK, chosen by the TLD) over our answer."""
    from sqlalchemy import text

    c, handle, _ = await ready_registrar(registry, "eksempel.dk")
    await company_domain(registry, c, "firma.dk")
    r = await c.request(frames.domain_update("firma.dk", ext=frames.secdns_update(add=[
        frames.ds_data(12345, 13, 2, "E2D3C916F6DEEAC73294E8268FB5885044A833FC5459588F4A"
                       "9184CFC41A5766")])))
    assert r.code == 1000, r.msg
    async with registry.db.begin() as conn:
        await conn.execute(text("update domains set management = 'registrar'"))
    query = DomainQuery(server="127.0.0.1", find_authoritative_server=False, timeout=10)
    query.whois_port = whois.port
    chain = await query.aio_run(" --show-handles --charset=utf-8 firma.dk", "127.0.0.1")
    parsed = DomainParser().parse(chain[-1], "dk")
    assert DomainParser._init_parser("dk").__class__.__name__ == "RegexDK"
    dom = await stored(registry, "firma.dk")
    rname = await registry.scalar("select name from registrars where handle = :h", h=handle)
    assert parsed[TLDBaseKeys.DOMAIN_NAME] == "firma.dk"
    assert parsed[TLDBaseKeys.CREATED].date().isoformat() == local_date(dom.created_at)
    assert parsed[TLDBaseKeys.EXPIRES].date().isoformat() == local_date(dom.expires_at)
    assert parsed[TLDBaseKeys.REGISTRAR] == rname
    assert parsed[TLDBaseKeys.NAME_SERVERS] == NS
    assert parsed[TLDBaseKeys.STATUS] == ["Active"]
    assert parsed[TLDBaseKeys.DNSSEC] == "Signed delegation"
    assert parsed[TLDBaseKeys.REGISTRANT_NAME] == "Eksempel ApS"
    assert parsed[TLDBaseKeys.REGISTRANT_ADDRESS] == "Industrivej 7"
    assert parsed[TLDBaseKeys.REGISTRANT_ZIPCODE] == "5000"
    assert parsed[TLDBaseKeys.REGISTRANT_CITY] == "Odense C"
    assert parsed[TLDBaseKeys.REGISTRANT_COUNTRY] == "DK"
    # and its "not found" check reads our answer for a free name as not found
    chain = await query.aio_run("ledig.dk", "127.0.0.1")
    with pytest.raises(Exception, match="not found"):
        DomainParser().parse(chain[-1], "dk")


async def test_latin_1_by_default_utf_8_when_asked_for_an_idn(registry, whois) -> None:  # type: ignore[no-untyped-def]
    await ready_registrar(registry, "blåbærgrød.dk")
    dom = await stored(registry, (await registry.scalar(
        "select name from domains where uname = 'blåbærgrød.dk'")))
    latin = await ask(whois.port, "blåbærgrød.dk\r\n".encode())
    assert b"\r\nDomain:               bl\xe5b\xe6rgr\xf8d.dk\r\n" in latin
    assert f"\r\nDNS:                  {dom.name}\r\n".encode() in latin
    with pytest.raises(UnicodeDecodeError):
        latin.decode("utf-8")
    utf8 = await whois_client(whois.port, f" --charset=utf-8 {dom.name}")
    assert "\nDomain:               blåbærgrød.dk\n".encode() in utf8
    # a Latin-1 terminal's query is read as well
    again = await ask(whois.port, "--charset=UTF-8 blåbærgrød.dk\r\n".encode("latin-1"))
    assert "Domain:               blåbærgrød.dk".encode() in again


async def test_show_handles_company_vs_person(registry, whois) -> None:  # type: ignore[no-untyped-def]
    c, _, person = await ready_registrar(registry, "person.dk")
    await company_domain(registry, c, "firma.dk")
    firm = (await whois_client(whois.port, " --show-handles --charset=utf-8 firma.dk")
            ).decode()
    block = firm.split("\nRegistrant\n", 1)[1].split("\n\n", 1)[0].splitlines()
    assert block[:6] == [
        "Handle:               ***N/A***", "Name:                 Eksempel ApS",
        "Address:              Industrivej 7", "Postalcode:           5000",
        "City:                 Odense C", "Country:              DK"]
    assert "Ida Jensen" not in firm  # the contact person of a company is not shown
    assert "# Use option --show-handles" not in firm
    own = (await whois_client(whois.port, " --show-handles --charset=utf-8 person.dk")
           ).decode()
    block = own.split("\nRegistrant\n", 1)[1].split("\n\n", 1)[0].splitlines()
    assert block == ["Handle:               ***N/A***", "Country:              DK"]
    for private in ("Jens", "Hansen", "Vesterbrogade", "1620", "København", person,
                    "jens@example.dk"):
        assert private not in own, private
    plain = (await whois_client(whois.port, "firma.dk")).decode("latin-1")
    assert "Registrant" not in plain and "Eksempel ApS" not in plain
    assert "# Use option --show-handles to get handle information." in plain


async def test_waiting_list_offer_and_reserved_name(registry, whois) -> None:  # type: ignore[no-untyped-def]
    from sqlalchemy import insert

    from dkreg.store.schema import reserved_names, waiting_list_offers

    now = registry.clock.now()
    async with registry.db.begin() as conn:
        await conn.execute(insert(waiting_list_offers).values(
            name="venteliste.dk", uname="venteliste.dk", offered_at=now,
            offered_until=now + timedelta(days=14)))
        await conn.execute(insert(waiting_list_offers).values(
            name="udloebet.dk", uname="udloebet.dk", offered_at=now - timedelta(days=30),
            offered_until=now - timedelta(days=16)))
        await conn.execute(insert(reserved_names).values(
            name="punktum.dk", uname="punktum.dk", reason="registry", created_at=now))
    offer = fields((await whois_client(whois.port, "venteliste.dk")).decode("latin-1"))
    assert offer["Domain"] == ["venteliste.dk"]
    for key in ("Registered", "Expires", "Registration period", "VID", "DNSSEC"):
        assert offer[key] == ["***N/A***"], key
    assert offer["Status"] == ["Offered to waiting list"]
    reserved = fields((await whois_client(whois.port, "punktum.dk")).decode("latin-1"))
    assert reserved["Domain"] == ["punktum.dk"] and reserved["Status"] == ["Reserved"]
    assert "Registered" not in reserved and "Hostname" not in reserved
    gone = (await whois_client(whois.port, "udloebet.dk")).decode("latin-1")
    assert gone.rstrip().endswith("\nNo entries found for the selected source.")


async def test_name_server_with_and_without_glue(registry, whois) -> None:  # type: ignore[no-untyped-def]
    c, _, _ = await ready_registrar(registry, "eksempel.dk")
    await create_hosts(c)
    r = await c.request(frames.host_create("ns1.eksempel.dk", "91.214.28.53"))
    assert r.code == 1000, r.msg
    r = await c.request(frames.domain_update("eksempel.dk", add_ns=["ns1.eksempel.dk"]))
    assert r.code == 1000, r.msg
    glued = fields((await whois_client(whois.port, "ns1.eksempel.dk")).decode("latin-1"))
    assert glued == {"Nameserver": ["ns1.eksempel.dk"], "Glue": ["Being spooled"]}
    outside = fields((await whois_client(whois.port, "NS1.example.net")).decode("latin-1"))
    assert outside == {"Nameserver": ["ns1.example.net"], "Glue": ["Not being spooled"]}
    unknown = (await whois_client(whois.port, "ns9.example.net")).decode("latin-1")
    assert unknown.rstrip().endswith("\nNo entries found for the selected source.")


async def test_help_not_found_and_bad_queries(registry, whois) -> None:  # type: ignore[no-untyped-def]
    helptext = (await whois_client(whois.port, "HELP")).decode("latin-1")
    assert "--charset=utf-8" in helptext and "--show-handles" in helptext
    assert helptext.startswith("# Hello 127.0.0.1.")
    free = (await whois_client(whois.port, "ledig.dk")).decode("latin-1")
    assert free.rstrip().splitlines()[-1] == "No entries found for the selected source."
    for query, reason in [
        ("-x.dk", "Error: label '-x' must not begin with a hyphen"),
        ("eksempel", "Error: 'eksempel' is not under .dk; only .dk names are handled"),
        ("a.dk b.dk", "Error: one domain or name server per query, not 2 (a.dk b.dk)"),
        ("--charset=koi8-r a.dk", "Error: unknown charset 'koi8-r'"),
        ("--verbose a.dk", "Error: unknown option '--verbose'"),
        ("a_b.example.net", "Error: "),
    ]:
        out = (await ask(whois.port, f"{query}\r\n".encode())).decode("latin-1")
        last = out.rstrip().splitlines()[-1]
        assert last.startswith(reason), (query, last)
        assert sum(1 for line in out.splitlines() if not line.startswith("#") and line) == 1


async def test_one_query_a_second_per_network(registry, limited) -> None:  # type: ignore[no-untyped-def]
    await ready_registrar(registry, "eksempel.dk")
    first = (await whois_client(limited.port, "eksempel.dk")).decode("latin-1")
    assert "Status:               Active" in first
    second = (await whois_client(limited.port, "eksempel.dk")).decode("latin-1")
    assert second == render.RATE_LIMITED + "\n"
    await asyncio.sleep(1.05)
    third = (await whois_client(limited.port, "eksempel.dk")).decode("latin-1")
    assert "Status:               Active" in third


async def test_one_connection_at_a_time_per_network(registry, limited) -> None:  # type: ignore[no-untyped-def]
    reader, writer = await asyncio.open_connection("127.0.0.1", limited.port)
    try:
        await asyncio.sleep(0.05)  # accepted and counted
        refused = await ask(limited.port, b"eksempel.dk\r\n")
        assert refused == (render.TOO_MANY_CONNECTIONS + "\r\n").encode()
        writer.write(b"HELP\r\n")  # the first connection is still served
        out = await asyncio.wait_for(reader.read(), 10)
        assert b"--show-handles" in out
    finally:
        writer.close()
    await asyncio.sleep(1.05)
    again = await ask(limited.port, b"HELP\r\n")  # its connection was given back
    assert b"--show-handles" in again


async def test_silence_and_an_overlong_line_are_cut_off(registry, whois) -> None:  # type: ignore[no-untyped-def]
    registry.settings.whois_timeout = 0.3
    reader, writer = await asyncio.open_connection("127.0.0.1", whois.port)
    out = await asyncio.wait_for(reader.read(), 5)
    writer.close()
    assert out == (render.TIMED_OUT + "\r\n").encode()
    registry.settings.whois_timeout = 10.0
    out = await ask(whois.port, b"a" * 2000 + b".dk\r\n")
    assert out == (render.TOO_LONG.format(limit=1024) + "\r\n").encode()
    exact = await ask(whois.port, b"x" * 1021 + b".dk\r\n")  # 1024 bytes: read, refused
    assert exact.startswith(b"# Hello")


async def test_ipv6_listener_answers(registry, whois) -> None:  # type: ignore[no-untyped-def]
    assert whois.addresses == ["127.0.0.1", "::1"]
    await ready_registrar(registry, "eksempel.dk")
    out = (await whois_client(whois.port, "eksempel.dk", host="::1")).decode("latin-1")
    assert out.startswith("# Hello ::1. Your session has been logged.")
    assert "Domain:               eksempel.dk" in out


async def test_queries_are_counted_by_kind_and_result(registry, whois) -> None:  # type: ignore[no-untyped-def]
    await ready_registrar(registry, "eksempel.dk")
    for query in ("eksempel.dk", "eksempel.dk", "ledig.dk", "ns1.example.net", "HELP",
                  "-x.dk"):
        await ask(whois.port, f"{query}\r\n".encode())
    text = generate_latest(registry.services.metrics.registry).decode()
    for labels, count in [('code="1000",command="domain"', 2), ('code="2303",command="domain"', 1),
                          ('code="1000",command="host"', 1), ('code="1000",command="help"', 1),
                          ('code="2005",command="domain"', 1)]:
        assert f'dkreg_commands_total{{{labels},door="whois"}} {count}.0' in text, labels


async def test_dkreg_serve_starts_and_stops_whois(tmp_path: Path) -> None:
    import httpx

    from dkreg.app import start
    from dkreg.config import Settings

    running = await start(Settings(data_dir=tmp_path, epp_port=0, http_port=0, whois_port=0,
                                   lifecycle_interval=3600, dns_server="off"),
                          lifecycle=False)
    try:
        assert running.whois is not None and running.whois.port
        out = await ask(running.whois.port, b"HELP\r\n")
        assert b"# Version: 5.0.0" in out
        async with httpx.AsyncClient() as client:
            health = (await client.get(f"http://127.0.0.1:{running.http_port}/healthz")).json()
        assert health["whois_port"] == running.whois.port
    finally:
        await running.stop()
    with pytest.raises(OSError):
        await ask(running.whois.port, b"HELP\r\n")


async def test_a_registrant_name_latin_1_cannot_hold(registry, whois) -> None:  # type: ignore[no-untyped-def]
    """ISO-8859-1 by default: a character it has no place for is sent as ``?``; the
    same answer in UTF-8 is exact."""
    c, _, _ = await ready_registrar(registry, "eksempel.dk")
    r = await c.request(frames.contact_create(
        user_type="company", name=None, org="Łódź Ærø ApS", cvr=PUNKTUM_CVR,
        street="Industrivej 7", city="Odense C", pc="5000", email="info@lodz.dk",
        verified=True, dkhm="4.5"))
    assert r.code == 1000, r.msg
    await active_domains(registry, c, r.text(".//contact:id"), "lodz.dk")
    latin = await ask(whois.port, b" --show-handles lodz.dk\r\n")
    assert b"\r\nName:                 ?\xf3d? \xc6r\xf8 ApS\r\n" in latin
    utf8 = await ask(whois.port, b" --show-handles --charset=utf-8 lodz.dk\r\n")
    assert "\r\nName:                 Łódź Ærø ApS\r\n".encode() in utf8


async def test_a_sandbox_whose_whois_port_is_taken_runs_without_it(
        tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    import socket

    from dkreg.app import start
    from dkreg.config import Settings

    taken = socket.socket()
    taken.bind(("127.0.0.1", 0))
    taken.listen()
    try:
        running = await start(Settings(data_dir=tmp_path, epp_port=0, http_port=-1,
                                       whois_port=taken.getsockname()[1],
                                       lifecycle_interval=3600, dns_server="off"),
                              lifecycle=False)
        try:
            assert running.whois is None
            assert any("the sandbox runs without WHOIS" in rec.getMessage()
                       for rec in caplog.records)
        finally:
            await running.stop()
    finally:
        taken.close()


@pytest.mark.parametrize(("line", "name", "charset", "handles"), [
    ("eksempel.dk", "eksempel.dk", "latin-1", False),
    (" --show-handles eksempel.dk", "eksempel.dk", "latin-1", True),
    ("eksempel.dk --charset=UTF-8 --show-handles", "eksempel.dk", "utf-8", True),
    ("--charset=iso-8859-1 --accesscode=ab12 æøå.dk", "æøå.dk", "latin-1", False),
])
def test_options_anywhere_in_the_line(line: str, name: str, charset: str,
                                      handles: bool) -> None:
    from dkreg.public.whois.query import parse_query

    q = parse_query(line)
    assert (q.name, q.charset, q.show_handles, q.help) == (name, charset, handles, False)
    assert parse_query("--charset=utf-8 help").help


def test_a_query_is_read_as_utf_8_else_latin_1() -> None:
    from dkreg.public.whois.query import decode

    assert decode("blåbær.dk".encode()) == decode("blåbær.dk".encode("latin-1")) == "blåbær.dk"
