"""check contact over TLS EPP: handles are registry-assigned, so check tells whether a
handle is in use (SPEC-DIGEST §2: reason ``In use``)."""

from __future__ import annotations

from support import frames
from support.epp_objects import Agent


def results(r) -> list[tuple[str, str, str | None]]:  # type: ignore[no-untyped-def]
    out = []
    for cd in r.findall(".//contact:cd"):
        el = cd.find("contact:id", {"contact": "urn:ietf:params:xml:ns:contact-1.0"})
        reason = cd.findtext("contact:reason",
                             namespaces={"contact": "urn:ietf:params:xml:ns:contact-1.0"})
        out.append((el.text, el.get("avail"), reason))
    return out


async def test_check_in_use_and_available(registry) -> None:
    a = await Agent.new(registry)
    handle = await a.contact()
    r = await a.send(frames.contact_check(handle, "ZZZ999999-DK"))
    assert r.code == 1000, r.msg
    assert results(r) == [(handle, "0", "In use"), ("ZZZ999999-DK", "1", None)]


async def test_check_keeps_order_for_several_ids(registry) -> None:
    a = await Agent.new(registry)
    h1 = await a.contact()
    h2 = await a.contact(name="Anne Andersen", email="anne@example.dk")
    r = await a.send(frames.contact_check("NOPE1-DK", h2, h1))
    assert [(i, avail) for i, avail, _ in results(r)] == [
        ("NOPE1-DK", "1"), (h2, "0"), (h1, "0")]


async def test_check_is_case_insensitive(registry) -> None:
    a = await Agent.new(registry)
    handle = await a.contact()
    r = await a.send(frames.contact_check(handle.lower()))
    assert results(r) == [(handle, "0", "In use")]


async def test_check_sees_other_registrars_contacts(registry) -> None:
    """A handle is taken for everybody, whoever sponsors it."""
    a = await Agent.new(registry)
    b = await Agent.new(registry)
    handle = await a.contact()
    r = await b.send(frames.contact_check(handle))
    assert results(r) == [(handle, "0", "In use")]


async def test_check_too_many_ids_is_refused(registry) -> None:
    a = await Agent.new(registry)
    r = await a.send(frames.contact_check(*[f"X{i}-DK" for i in range(101)]))
    assert r.code == 2306, r.msg
    assert "contact:id" in r.msg


async def test_check_without_id_is_a_syntax_error(registry) -> None:
    a = await Agent.new(registry)
    r = await a.send(frames.command(
        f"<check><contact:check {frames.CONTACT}></contact:check></check>"))
    assert r.code == 2001, r.msg
    assert "contact:id" in r.msg


async def test_check_with_extension_is_refused(registry) -> None:
    a = await Agent.new(registry)
    frame = frames.contact_check("X1-DK").replace(
        "</check>", "</check><extension><dkhm:userType "
        f'xmlns:dkhm="{frames.dkhm_ns()}">company</dkhm:userType></extension>')
    r = await a.send(frame)
    assert r.code == 2001, r.msg
    assert "userType" in r.msg


async def test_check_does_not_write(registry) -> None:
    a = await Agent.new(registry)
    await a.contact()
    before = await registry.scalar("select count(*) from contacts")
    r = await a.send(frames.contact_check("NEW1-DK"))
    assert results(r)[0][1] == "1"
    assert await registry.scalar("select count(*) from contacts") == before
