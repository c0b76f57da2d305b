"""RFC 5730 §2.6: ``<extValue><value>`` holds the client-provided element that caused the
error, copied from the request as the client sent it (its namespace and dkhm version,
its text), the ``position``-th of its list when the error gives one; left empty rather
than guessed when the field could mean more than one element."""

from __future__ import annotations

from epp.helpers import NS, setup_registrant
from support import frames
from support.eppclient import NS as XNS

DKHM_43 = "urn:dkhm:params:xml:ns:dkhm-4.3"


def offending(reply) -> tuple[str | None, object, str | None]:
    """(position, the copied element's tag, its text) of the first extValue."""
    value = reply.find(".//epp:result/epp:extValue/epp:value")
    assert value is not None, reply.raw
    element = value[0]
    return value.get("position"), element.tag, element.text


async def test_a_bad_third_name_server_is_copied_into_value(registry) -> None:
    c, _ = await registry.registrar_client()
    contact = await setup_registrant(c)
    r = await c.request(frames.domain_create(
        "tre.dk", contact, [*NS, "unknown.example.org"], token=registry.token()))
    assert r.code == 2004, r.msg
    assert offending(r) == ("3", f"{{{XNS['domain']}}}hostObj", "unknown.example.org")


async def test_a_dkhm_element_keeps_the_version_the_client_sent(registry) -> None:
    c, _ = await registry.registrar_client()
    contact = await setup_registrant(c)
    r = await c.request(frames.domain_create("token.dk", contact, NS, token="1522744544x",
                                             dkhm="4.3"))
    assert r.code == 2005, r.msg
    assert offending(r) == (None, f"{{{DKHM_43}}}orderconfirmationToken", "1522744544x")


async def test_update_value_is_the_element_of_the_list_the_position_counts_in(
        registry) -> None:
    c, _ = await registry.registrar_client()
    contact = await setup_registrant(c)
    r = await c.request(frames.domain_create("liste.dk", contact, NS, token=registry.token()))
    assert r.code == 1001, r.msg
    await registry.tick()
    # only an add: its second hostObj
    r = await c.request(frames.domain_update("liste.dk", add_ns=[NS[0], "nope.example.org"]))
    assert r.code >= 2000, r.msg
    position, tag, text = offending(r)
    assert (tag, text) == (f"{{{XNS['domain']}}}hostObj", NS[0] if position == "1"
                           else "nope.example.org"), r.msg
    # an add and a rem both long enough: which one is meant is not known, so none is copied
    r = await c.request(frames.domain_update("liste.dk", add_ns=["nope.example.org"],
                                             rem_ns=["gone.example.org"]))
    assert r.code >= 2000, r.msg
    position, tag, text = offending(r)
    assert position == "1" and text is None, r.raw
