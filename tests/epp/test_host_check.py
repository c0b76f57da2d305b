"""check host over TLS EPP."""

from __future__ import annotations

from support import frames
from support.epp_objects import Agent, unique
from support.ext_value import ext_field

HOST_NS = {"host": "urn:ietf:params:xml:ns:host-1.0"}


def results(r) -> list[tuple[str, str, str | None]]:  # type: ignore[no-untyped-def]
    out = []
    for cd in r.findall(".//host:cd"):
        el = cd.find("host:name", HOST_NS)
        out.append((el.text, el.get("avail"), cd.findtext("host:reason", namespaces=HOST_NS)))
    return out


async def test_check_available_and_in_use(registry) -> None:
    a = await Agent.new(registry)
    await a.host("ns1.example.net")
    r = await a.send(frames.host_check("ns1.example.net", "ns2.example.net"))
    assert r.code == 1000, r.msg
    assert results(r) == [("ns1.example.net", "0", "In use"),
                          ("ns2.example.net", "1", None)]


async def test_check_normalises_names(registry) -> None:
    a = await Agent.new(registry)
    await a.host("ns1.example.net")
    r = await a.send(frames.host_check("NS1.Example.Net"))
    assert results(r) == [("ns1.example.net", "0", "In use")]


async def test_check_sees_other_registrars_hosts(registry) -> None:
    a = await Agent.new(registry)
    b = await Agent.new(registry)
    domain = f"{unique('chk')}.dk"
    await a.domain(domain)
    await a.host(f"ns1.{domain}", "193.163.102.58")
    r = await b.send(frames.host_check(f"ns1.{domain}", f"ns2.{domain}"))
    assert results(r) == [(f"ns1.{domain}", "0", "In use"), (f"ns2.{domain}", "1", None)]


async def test_check_invalid_name_is_unavailable_with_reason(registry) -> None:
    a = await Agent.new(registry)
    r = await a.send(frames.host_check("-bad.example.net", "ns1.example.c0m", "ok.example.net"))
    assert r.code == 1000, r.msg
    got = results(r)
    assert [(n, avail) for n, avail, _ in got] == [
        ("-bad.example.net", "0"), ("ns1.example.c0m", "0"), ("ok.example.net", "1")]
    # the schema's reasonType allows 32 characters, so no rule detail fits here
    assert got[0][2] == got[1][2] == "Invalid host name"


async def test_check_idn_name_in_either_form(registry) -> None:
    a = await Agent.new(registry)
    label = unique("blåbær")
    await a.domain(f"{label}.dk")
    await a.host(f"ns1.{label}.dk", "193.163.102.58")
    r = await a.send(frames.host_check(f"ns1.{label}.dk"))
    (name, avail, reason), = results(r)
    assert name.startswith("ns1.xn--") and (avail, reason) == ("0", "In use")


async def test_check_too_many_names_is_refused(registry) -> None:
    a = await Agent.new(registry)
    r = await a.send(frames.host_check(*[f"ns{i}.example.net" for i in range(101)]))
    assert r.code == 2306, r.msg
    assert ext_field(r) == ("host:name", None)


async def test_check_without_name_is_a_syntax_error(registry) -> None:
    a = await Agent.new(registry)
    r = await a.send(frames.command(f"<check><host:check {frames.HOST}></host:check></check>"))
    assert r.code == 2001, r.msg
    assert "host:name" in r.msg
