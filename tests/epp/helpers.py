"""Small building blocks the EPP tests share (each returns what it created)."""

from __future__ import annotations

from support import frames
from support.eppclient import EppClient, Reply

NS = ["ns1.example.net", "ns2.example.net"]


async def setup_registrant(c: EppClient, *, verified: bool = True, cc: str = "DK",
                           hosts: bool = True, email: str = "jens@example.dk") -> str:
    """A registrant contact (verified unless told otherwise) and the two NS hosts."""
    if cc == "DK":
        xml = frames.contact_create(verified=verified, dkhm="4.5", email=email)
    else:
        xml = frames.contact_create(verified=verified, dkhm="4.5", cc=cc, city="Berlin",
                                    street="Unter den Linden 1", pc="10117", email=email,
                                    voice="+49.301234567")
    r = await c.request(xml)
    assert r.code == 1000, r.msg
    if hosts:
        r2 = await c.request(frames.host_check(*NS))
        for cd in r2.findall(".//host:name"):
            if cd.get("avail") == "1":
                r3 = await c.request(frames.host_create(cd.text))
                assert r3.code == 1000, r3.msg
    return r.text(".//contact:id") if not hosts else await _last_handle(c, xml)


async def _last_handle(c: EppClient, xml: str) -> str:
    # "auto" create of the same data returns the same handle: a cheap way to read it back
    r = await c.request(xml)
    assert r.code == 1000 and r.msg == "Contact already exists. Please re-use.", r.msg
    return r.text(".//contact:id")


def dkhm_namespaces(r: Reply) -> set[str]:
    """The dkhm namespaces the elements of a response are in."""
    return {el.tag[1:].split("}", 1)[0] for el in r.root.iter()
            if isinstance(el.tag, str) and el.tag.startswith("{urn:dkhm:")}


def only_in(r: Reply, version: str, *names: str) -> None:
    """The response's dkhm elements are all in ``version``'s namespace, and each of
    ``names`` is among them."""
    ns = frames.dkhm_ns(version)
    assert dkhm_namespaces(r) == {ns}, (version, r.raw.decode())
    for name in names:
        assert r.find(f".//{{{ns}}}{name}") is not None, (name, r.raw.decode())
