"""poll req/ack: 1300 empty, 1301 with msgQ, 1000 on ack, 2303 for an unknown id."""

from __future__ import annotations

from epp.helpers import NS, setup_registrant
from support import frames


async def test_poll_queue_is_per_registrar_and_ordered(registry) -> None:
    a, _ = await registry.registrar_client()
    b, _ = await registry.registrar_client()
    contact = await setup_registrant(a)
    for name in ("first.dk", "second.dk"):
        assert (await a.request(frames.domain_create(name, contact, NS,
                                                     token=registry.token()))).code == 1001
    await registry.tick()
    assert (await b.request(frames.poll_req())).code == 1300
    r = await a.request(frames.poll_req())
    assert r.code == 1301
    assert r.msg == "Command completed successfully; ack to dequeue"
    q = r.find(".//epp:msgQ")
    assert q.get("count") == "2"
    assert r.text(".//domain:name") == "first.dk"
    assert r.text(".//epp:qDate").endswith(".0Z")
    # another registrar cannot ack it
    assert (await b.request(frames.poll_ack(q.get("id")))).code == 2303
    r = await a.request(frames.poll_ack(q.get("id")))
    assert r.code == 1000
    assert r.find(".//epp:msgQ").get("count") == "1"
    r = await a.request(frames.poll_req())
    assert r.text(".//domain:name") == "second.dk"
    assert r.text(".//domain:paTRID/epp:clTRID").startswith("TEST-")


async def test_poll_ack_errors(registry) -> None:
    c, _ = await registry.registrar_client()
    r = await c.request(frames.poll_ack(999999))
    assert r.code == 2303 and "msgID" in r.msg
    r = await c.request(frames.poll_ack("abc"))
    assert r.code == 2303
    r = await c.request(frames.command('<poll op="peek"/>'))
    assert r.code == 2005
