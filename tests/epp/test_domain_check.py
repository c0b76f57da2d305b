"""check domain: several names per command, reasons ``In use`` and ``Enqueued``."""

from __future__ import annotations

from epp.helpers import NS, setup_registrant
from support import frames


async def test_check_reports_each_name(registry) -> None:
    c, _ = await registry.registrar_client()
    contact = await setup_registrant(c)
    assert (await c.request(frames.domain_create("active.dk", contact, NS,
                                                 token=registry.token()))).code == 1001
    await registry.tick()
    assert (await c.request(frames.domain_create("queued.dk", contact, NS,
                                                 token=registry.token()))).code == 1001
    r = await c.request(frames.domain_check("active.dk", "queued.dk", "free.dk", "bad_name.dk",
                                            "xn--ble-xla.dk"))
    assert r.code == 1000
    got = [(n.text, n.get("avail")) for n in r.findall(".//domain:name")]
    assert got == [("active.dk", "0"), ("queued.dk", "0"), ("free.dk", "1"),
                   ("bad_name.dk", "0"), ("æble.dk", "1")]
    reasons = [cd.findtext("{urn:ietf:params:xml:ns:domain-1.0}reason")
               for cd in r.findall(".//domain:cd")]
    assert reasons[0] == "In use"
    assert reasons[1] == "Enqueued"
    assert reasons[2] is None
    assert reasons[3] == "Invalid domain name"


async def test_check_limits_and_syntax(registry) -> None:
    c, _ = await registry.registrar_client()
    r = await c.request(frames.domain_check(*[f"n{i}.dk" for i in range(101)]))
    assert r.code == 2306 and "domain:name" in r.msg
    r = await c.request(frames.command(
        '<check><domain:check xmlns:domain="urn:ietf:params:xml:ns:domain-1.0">'
        "<domain:nam>x.dk</domain:nam></domain:check></check>"))
    assert r.code == 2001 and "domain:nam" in r.msg
