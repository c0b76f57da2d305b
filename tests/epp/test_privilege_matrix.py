"""The privilege matrix: registrar B tries every command on registrar A's objects.

SPEC-DIGEST §7 and the per-command privilege rules: registration data is public
(info, check), everything that changes an object belongs to its sponsor (or, on a
registrant-managed domain, to the registrant and its chosen roles). One row per
(command, object); each asserts the code, the registry's text where it has one, and
that A's view of the object is byte-for-byte the same afterwards.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING

import pytest
from lxml import etree

from support import frames
from support.epp_objects import Agent, unique
from support.eppclient import NS, Reply

if TYPE_CHECKING:
    from conftest import Registry

V4 = "193.163.102.58"
DIGEST = "2BB183AF5F22588179A53B0A98631FAD1A292118" + "0" * 24
MASKED = "anonymous@punktum.dk"
MANAGED_BY_REGISTRANT = ('<dkhm:management xmlns:dkhm="urn:dkhm:params:xml:ns:dkhm-4.5">'
                         "registrant</dkhm:management>")
DKHM_NS = ("urn:dkhm:params:xml:ns:dkhm-4.3", "urn:dkhm:params:xml:ns:dkhm-4.4",
           "urn:dkhm:params:xml:ns:dkhm-4.5")


@dataclass
class World:
    """A's objects (built through EPP by A) and B, the other registrar."""

    registry: Registry
    a: Agent
    b: Agent
    domain: str  # registrar-managed: DS, a subordinate host with glue, a transfer token
    rdomain: str  # registrant-managed: admin contact, A as billing ("" unless needed)
    deleted: str  # registrar-managed, deleted by A, in redemption ("" unless needed)
    registrant: str  # A's registrant contact (of ``domain``)
    contact: str  # A's contact with no role anywhere
    host: str  # ns1.<domain>, with glue, not used as a name server
    msg_id: str  # a message in A's poll queue
    ex_date: str  # ``domain``'s expiry date (YYYY-MM-DD)
    ns: list[str]  # the name servers of A's domains (A's out-of-zone hosts)


async def ok(agent: Agent, frame: str, code: int = 1000) -> Reply:
    r = await agent.send(frame)
    assert r.code == code, r.msg
    return r


async def build(registry: Registry, target: str) -> World:
    """A's world; the registrant-managed and the deleted domain only for their rows."""
    a = await Agent.new(registry)
    b = await Agent.new(registry)
    registrant = await a.contact(verified=True, dkhm="4.5", email="owner@example.dk")
    contact = await a.contact(verified=True, dkhm="4.5", name="Ole Tech",
                              email="ole@example.dk")
    zone = unique("dns")
    ns = [f"ns1.{zone}.net", f"ns2.{zone}.net"]
    for h in ns:
        await a.host(h)
    domain = f"{unique('priv')}.dk"
    rdomain = deleted = ""
    await ok(a, frames.domain_create(domain, registrant, ns, token=registry.token()), 1001)
    if target == "deleted domain":
        deleted = f"{unique('priv')}.dk"
        await ok(a, frames.domain_create(deleted, registrant, ns, token=registry.token()),
                 1001)
    if target == "registrant-managed domain":
        rdomain = f"{unique('priv')}.dk"
        rm_registrant = await a.contact(verified=True, dkhm="4.5", email="rm@example.dk",
                                        extra_ext=MANAGED_BY_REGISTRANT)
        rm_admin = await a.contact(verified=True, dkhm="4.5", name="Rita Admin",
                                   email="rita@example.dk", extra_ext=MANAGED_BY_REGISTRANT)
        await ok(a, frames.domain_create(rdomain, rm_registrant, ns, token=registry.token(),
                                         contacts=[("admin", rm_admin)],
                                         extra_ext=MANAGED_BY_REGISTRANT), 1001)
    await registry.tick()
    host = f"ns1.{domain}"
    await a.host(host, V4)
    await ok(a, frames.domain_update(domain, auth_pw="autotransfer", ext=frames.secdns_update(
        add=[frames.ds_data(12345, 13, 2, DIGEST)])))
    info = await ok(a, frames.domain_info(domain))
    ex_date = (info.text(".//domain:exDate") or "")[:10]
    # what B must not see, A does: auto-renew, the token, the roles, the NSA
    assert dkhm_elements(info, "autoRenew") and dkhm_elements(info, "authInfo")
    assert dkhm_elements(await ok(a, frames.host_info(host)), "contact")
    if rdomain:
        await ok(a, frames.domain_update(rdomain, add_contacts=[("billing", a.handle)]))
        rinfo = await ok(a, frames.domain_info(rdomain))
        assert sorted(e.get("type") for e in rinfo.findall(".//domain:contact")) == [
            "admin", "billing"]
    if deleted:
        await ok(a, frames.domain_delete(deleted), 1001)
    poll = await ok(a, frames.poll_req(), 1301)
    registry.clock.advance(timedelta(hours=1))  # B's commands come later than A's
    return World(registry, a, b, domain, rdomain, deleted, registrant, contact, host,
                 poll.find(".//epp:msgQ").get("id"), ex_date, ns)


# -- A's view of the object a row touches, without the transaction ids --------------------


def _without_trid(r: Reply) -> bytes:
    root = etree.fromstring(r.raw)
    for el in root.findall(".//epp:trID", NS):
        el.getparent().remove(el)
    return etree.tostring(root, method="c14n")


async def a_view(w: World, target: str) -> bytes | list[str]:
    if target == "poll":
        rows = await w.registry.rows(
            "select p.id from poll_messages p join registrars r on r.id = p.registrar_id "
            "where r.handle = :h and p.acked_at is null order by p.id", h=w.a.handle)
        return [str(row[0]) for row in rows]
    frame = {
        "domain": lambda: frames.domain_info(w.domain),
        "registrant-managed domain": lambda: frames.domain_info(w.rdomain),
        "deleted domain": lambda: frames.domain_info(w.deleted),
        "registrant": lambda: frames.contact_info(w.registrant),
        "contact": lambda: frames.contact_info(w.contact),
        "host": lambda: frames.host_info(w.host),
    }[target]()
    return _without_trid(await ok(w.a, frame))


# -- checks on B's successful answers -------------------------------------------------------


def dkhm_elements(r: Reply, name: str) -> list[etree._Element]:
    return [el for ns in DKHM_NS for el in r.root.iter(f"{{{ns}}}{name}")]


def public_domain_view(r: Reply, w: World) -> None:
    """Registration data yes; A's settings, tokens and roles no (SPEC §info domain)."""
    assert r.text(".//domain:clID") == w.a.handle
    assert not dkhm_elements(r, "autoRenew")
    assert not dkhm_elements(r, "authInfo")
    assert r.findall(".//domain:contact") == []
    assert r.findall(".//domain:host") == []


def public_rdomain_view(r: Reply, w: World) -> None:
    assert r.text(".//domain:clID") == "DKHM1-DK"
    assert r.findall(".//domain:contact") == []  # admin and billing: related users only
    assert not dkhm_elements(r, "autoRenew")


def in_use(r: Reply, w: World) -> None:
    assert r.find(".//domain:name").get("avail") == "0"


def masked_registrant(r: Reply, w: World) -> None:
    assert r.text(".//contact:id") == w.registrant
    assert r.text(".//contact:email") == MASKED  # SPEC §info contact


def nsa_hidden(r: Reply, w: World) -> None:
    assert r.text(".//host:name") == w.host
    assert r.text(".//host:clID") == w.a.handle
    assert not dkhm_elements(r, "contact")  # the NSA is not disclosed to B


# -- the matrix -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Row:
    command: str
    target: str  # which of A's objects (key of a_view)
    frame: Callable[[World], str]  # B's request
    code: int
    text: str | None = None  # the registry's text (a prefix of dkreg's message)
    check: Callable[[Reply, World], None] | None = None

    @property
    def id(self) -> str:
        return f"{self.command} / {self.target}"


# the transition period for transfers without a token has ended (SPEC §Transition Period)
NO_TOKEN = "Change of registrar without authinfo token is not currently allowed"


def _restore(w: World) -> str:
    return frames.domain_restore(w.deleted)


ROWS = [
    # -- A's registrar-managed domain
    Row("info domain", "domain", lambda w: frames.domain_info(w.domain), 1000,
        check=public_domain_view),
    Row("check domain", "domain", lambda w: frames.domain_check(w.domain), 1000,
        check=in_use),
    Row("renew domain", "domain", lambda w: frames.domain_renew(w.domain, w.ex_date), 2201,
        "You do not have the privilege required to renew this domain"),
    Row("update domain: add NS", "domain",
        lambda w: frames.domain_update(w.domain, add_ns=[w.host]), 2201, "No privilege."),
    Row("update domain: remove NS", "domain",
        lambda w: frames.domain_update(w.domain, rem_ns=w.ns[:1]), 2201, "No privilege."),
    Row("update domain: add DS", "domain", lambda w: frames.domain_update(
        w.domain, ext=frames.secdns_update(add=[frames.ds_data(54321, 13, 2, DIGEST)])), 2201,
        "No privilege."),
    Row("update domain: remove all DS", "domain", lambda w: frames.domain_update(
        w.domain, ext=frames.secdns_update(rem_all=True)), 2201, "No privilege."),
    Row("update domain: registrant", "domain", lambda w: frames.domain_update(
        w.domain, registrant=w.contact, ext=frames.order_token_ext(
            w.registry.token())), 2201,
        "No privilege. You are not authorized to change registrant"),
    Row("update domain: set authInfo", "domain",
        lambda w: frames.domain_update(w.domain, auth_pw="autotransfer"), 2201,
        "No privilege. You are not authorized to set authinfo"),
    Row("update domain: unset authInfo", "domain",
        lambda w: frames.domain_update(w.domain, auth_null=True), 2201,
        "No privilege. You are not authorized to unset authinfo"),
    Row("update domain: autoRenew", "domain", lambda w: frames.domain_update(
        w.domain, ext=frames.autorenew_ext(False)), 2201,
        "No privilege. You are not authorized to change auto_renew"),
    Row("delete domain", "domain", lambda w: frames.domain_delete(w.domain), 2201),
    Row("transfer domain: wrong token", "domain", lambda w: frames.domain_transfer(
        w.domain, "REG-TRANSFER-0123456789abcdef0123456789abcdef"), 2202,
        "Supplied authinfo token is not valid for this domain/operation"),
    Row("transfer domain: no token", "domain",
        lambda w: frames.domain_transfer(w.domain, auth=False), 2201, NO_TOKEN),
    Row("withdraw domain", "domain", lambda w: frames.withdraw(w.domain), 2201),
    Row("restore domain", "deleted domain", _restore, 2201,
        "No privilege. You are not authorized to restore domain"),
    # -- A's registrant-managed domain (A is billing; the registrant chose an admin)
    Row("info domain", "registrant-managed domain", lambda w: frames.domain_info(w.rdomain),
        1000, check=public_rdomain_view),
    Row("renew domain", "registrant-managed domain", lambda w: frames.domain_renew(
        w.rdomain, w.ex_date), 2201,
        "You do not have the privilege required to renew this domain"),
    Row("update domain: add NS", "registrant-managed domain",
        lambda w: frames.domain_update(w.rdomain, add_ns=[w.host]), 2201, "No privilege."),
    Row("update domain: remove billing", "registrant-managed domain",
        lambda w: frames.domain_update(w.rdomain, rem_contacts=[("billing", w.a.handle)]),
        2201, "No privilege."),
    Row("delete domain", "registrant-managed domain",
        lambda w: frames.domain_delete(w.rdomain), 2201),
    Row("transfer domain: no token", "registrant-managed domain",
        lambda w: frames.domain_transfer(w.rdomain, auth=False), 2201, NO_TOKEN),
    # -- A's contacts
    Row("info contact", "registrant", lambda w: frames.contact_info(w.registrant), 1000,
        check=masked_registrant),
    Row("info contact", "contact", lambda w: frames.contact_info(w.contact), 2201,
        "Unauthorized"),
    Row("update contact", "registrant", lambda w: frames.contact_update(
        w.registrant, voice="+45.87654321"), 2201),
    Row("update contact", "contact", lambda w: frames.contact_update(
        w.contact, voice="+45.87654321"), 2201),
    # -- A's host (subordinate to A's domain, with glue)
    Row("info host", "host", lambda w: frames.host_info(w.host), 1000, check=nsa_hidden),
    Row("update host: add address", "host",
        lambda w: frames.host_update(w.host, add=["193.163.102.59"]), 2201, "No privilege"),
    Row("update host: requestedNsAdmin", "host",
        lambda w: frames.host_update(w.host, nsa=w.b.handle), 2201, "No privilege"),
    Row("delete host", "host", lambda w: frames.host_delete(w.host), 2201, "No privilege"),
    Row("create host under A's domain", "domain",
        lambda w: frames.host_create(f"ns9.{w.domain}", "193.163.102.60"), 2201,
        "No privilege"),
    # -- A's poll queue
    Row("poll ack", "poll", lambda w: frames.poll_ack(w.msg_id), 2303,
        "Object does not exist"),
]


@pytest.mark.parametrize("row", ROWS, ids=[r.id for r in ROWS])
async def test_other_registrar(registry, row: Row) -> None:
    w = await build(registry, row.target)
    before = await a_view(w, row.target)
    r = await w.b.send(row.frame(w))
    assert r.code == row.code, r.msg
    if row.text is not None:
        assert r.msg.startswith(row.text), r.msg
    if row.code >= 2000:
        assert r.find(".//epp:resData") is None
    if row.check is not None:
        row.check(r, w)
    assert await a_view(w, row.target) == before


def test_matrix_covers_every_mutating_command() -> None:
    """Every command that changes an object appears against A's objects."""
    from dkreg.epp.dispatch import TABLE

    tried = {row.command.split(":")[0] for row in ROWS}
    for (verb, obj), module in TABLE.items():
        if not getattr(module, "MUTATES", False) or obj in (None, "balance"):
            continue
        name = "withdraw domain" if verb == "dkhm:withdraw" else f"{verb} {obj}"
        if verb == "create" and obj in ("domain", "contact"):
            continue  # creates make new objects: nothing of A's to touch
        if verb == "create" and obj == "host":
            name = "create host under A's domain"
        assert name in tried, f"{name} is missing from the privilege matrix"
