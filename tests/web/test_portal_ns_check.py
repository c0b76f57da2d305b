"""The registry's name-server check in the portal (issue 14 §3): a rejected application's
page names the server that failed and what it answered, in the page's language; a
domain whose DS matches no served key reads "keys unpublished" on its page. Real EPP,
real lifecycle, real knotd serving the sandbox's test zones."""

from __future__ import annotations

import html
from pathlib import Path

import dns.dnssec
import dns.name
from cryptography.hazmat.primitives.asymmetric import ec

from dkreg.dns import check as check_module
from dkreg.dns import test_zones
from support import frames
from support.epp_objects import Agent, unique
from support.name_servers import name_servers

NS = ["ns1.portal-hosting.net", "ns2.portal-hosting.net"]


def _key(name: str) -> tuple[str, str]:
    key = dns.dnssec.make_dnskey(ec.generate_private_key(ec.SECP256R1()).public_key(),
                                 dns.dnssec.Algorithm.ECDSAP256SHA256, flags=257)
    ds = dns.dnssec.make_ds(dns.name.from_text(name + "."), key, "SHA256")
    return key.to_text(), frames.ds_data(ds.key_tag, ds.algorithm, ds.digest_type,
                                         ds.digest.hex().upper())


async def test_rejection_and_keys_unpublished_show_in_the_portal(web, tmp_path: Path) -> None:
    registry = web.registry
    with name_servers(tmp_path, {"127.0.0.1": {}}) as (knot,):
        s = registry.settings
        s.ns_check, s.dns_host, s.dns_port = "sandbox", knot.host, knot.port
        check_module.clear_cache()
        agent = await Agent.new(registry)
        for h in NS:
            await agent.host(h)
        served, _good_ds = _key("signeret-portal.dk")
        _other, wrong_ds = _key("signeret-portal.dk")
        async with registry.db.begin() as conn:
            zones = [await test_zones.store(conn, registry.clock.now(), "halt-portal.dk",
                                            NS[:1]),
                     await test_zones.store(conn, registry.clock.now(), "signeret-portal.dk",
                                            NS, [served])]
        for z in zones:
            await test_zones.push(knot, z)
        owner = await agent.contact(email=f"{unique('o')}@example.dk", verified=True,
                                    dkhm="4.5")
        for name, ext in (("halt-portal.dk", ""),
                          ("signeret-portal.dk", frames.secdns_create([wrong_ds]))):
            r = await agent.send(frames.domain_create(name, owner, NS, token=registry.token(),
                                                      extra_ext=ext))
            assert r.code == 1001, r.msg
        await registry.tick()
    tracking = await registry.scalar(
        "select a.tracking_no from applications a join domains d on d.id = a.domain_id "
        "where d.name = 'halt-portal.dk'")
    c = await web.login(await web.user(agent.handle, "portfolio"))

    page = html.unescape((await c.get(f"/portal/applications/{tracking}")).text)
    assert 'data-outcome="ns_check_failed"' in page
    assert "Afvist: navneserverne svarer ikke for domænet" in page
    assert 'id="ns-check" data-passed="false"' in page
    assert "Afvist: 1 af navneserverne svarer for domænet, mindst 2 skal" in page
    assert "Problem med opsætningen af navneserverne." in page
    assert ('data-server="ns2.portal-hosting.net" data-outcome="not_authoritative"><td>'
            "ns2.portal-hosting.net</td><td>Ikke autoritativ (lame)</td><td>er ikke "
            "autoritativ for halt-portal.dk: sandkassens testzone angiver kun "
            "ns1.portal-hosting.net</td>") in page
    c.cookies.set("dkreg_lang", "en")
    english = html.unescape((await c.get(f"/portal/applications/{tracking}")).text)
    assert ("is not authoritative for halt-portal.dk: the sandbox's test zone lists only "
            "ns1.portal-hosting.net") in english
    assert "Problem with nameserver setup." in english
    c.cookies.delete("dkreg_lang")

    page = html.unescape((await c.get("/portal/domains/signeret-portal.dk")).text)
    assert 'id="ns-check" data-passed="true"' in page
    assert ('id="ns-check-dnssec">Unsigned delegation, DNSSEC enabled, keys unpublished'
            in page)
    assert "passer ikke til nogen DNSKEY, der udgives for signeret-portal.dk" in page
