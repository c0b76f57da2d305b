"""The newsletter's create-domain flow end to end over TLS (Flow 1)."""

from __future__ import annotations

from support import frames


async def test_flow1_create_activates_and_polls(registry) -> None:
    c, _handle = await registry.registrar_client()
    r = await c.request(frames.contact_create(verified=True, dkhm="4.5"))
    assert r.code == 1000, r.msg
    contact = r.text(".//contact:id")
    assert contact.endswith("-DK")
    for h in ("ns1.example.net", "ns2.example.net"):
        r = await c.request(frames.host_create(h))
        assert r.code == 1000, r.msg
    r = await c.request(frames.domain_create("æblekage.dk", contact,
                                             ["ns1.example.net", "ns2.example.net"],
                                             token=f"\n   {registry.token()}\n  "))
    assert r.code == 1001, r.msg
    assert r.msg == "Create domain pending for æblekage.dk"
    tracking = r.dkhm("trackingNo")
    assert r.text(".//epp:svTRID").endswith("-" + tracking)
    assert r.dkhm("registrant_validated") == "1"
    r = await c.request(frames.domain_check("æblekage.dk", "xn--blekage-lxa.dk", "ledig.dk"))
    reasons = [el.text for el in r.findall(".//domain:reason")]
    assert reasons == ["Enqueued", "Enqueued"]
    assert (await c.request(frames.poll_req())).code == 1300
    report = await registry.tick()
    assert report.done["process_applications"] == 1
    r = await c.request(frames.poll_req())
    assert r.code == 1301
    assert r.text(".//epp:msgQ/epp:msg") == "æblekage.dk has been registered and activated"
    assert r.dkhm("risk_assessment") == "BLUE"
    msg_id = r.find(".//epp:msgQ").get("id")
    r = await c.request(frames.poll_ack(msg_id))
    assert r.code == 1000
    assert (await c.request(frames.poll_ack(msg_id))).code == 2303
    r = await c.request(frames.domain_info("xn--blekage-lxa.dk"))
    assert r.code == 1000
    assert [s.get("s") for s in r.findall(".//domain:status")] == ["ok"]
    r = await c.request(frames.balance_info())
    assert r.text(".//balance:balance") == "9955.00"
    r = await c.request(frames.logout())
    assert r.code == 1500
