"""A registry with one of each thing the public lookups tell apart, made the way a
registrar makes them (EPP) and, where no door exists yet, by the registry's own tables
(reserved names, waiting-list offers):

* ``person``: a registrar-managed domain of a person, signed (two DS records), whose
  registrar is on the public list with website, e-mail and logo;
* ``firm``: a registrant-managed domain of a company, with an in-zone name server
  carrying glue (IPv4 and IPv6), and an IDN sibling ``idn`` under the same registrant;
* ``hidden``: a registrar-managed domain whose registrar is not on the public list;
* ``reserved`` and ``offered``: a reserved name and one offered to its waiting list.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import insert, text

from dkreg.actions.account.public_info import PublicInfo, public_info_store
from dkreg.store.schema import reserved_names, waiting_list_offers
from epp.helpers import NS, setup_registrant
from epp.update_support import SHA256, SHA384, active_domains, drain
from support import frames

_n = itertools.count(1)
PUNKTUM_CVR = "24210375"
GLUE = ("193.163.102.53", "2a01:630:1::53")


@dataclass
class World:
    person: str
    firm: str
    idn: str  # U-label
    idn_alabel: str
    hidden: str
    reserved: str
    offered: str
    glue_host: str  # ns1.<firm>, in the zone with GLUE
    registrar: str  # the listed registrar's handle
    hidden_registrar: str
    firm_handle: str  # the company registrant's handle
    person_handle: str


async def sql(registry, statement: str, **params: object) -> None:  # type: ignore[no-untyped-def]
    async with registry.db.begin() as conn:
        await conn.execute(text(statement), params)


async def build(registry) -> World:  # type: ignore[no-untyped-def]
    n = next(_n)
    person, firm, hidden = f"person-{n}.dk", f"firma-{n}.dk", f"skjult-{n}.dk"
    idn = f"blåbær-{n}.dk"
    c, handle = await registry.registrar_client()
    registrar_id = await registry.scalar("select id from registrars where handle = :h",
                                         h=handle)
    async with registry.db.begin() as conn:
        await public_info_store(registry.ctx(conn), registrar_id, PublicInfo(
            offers_registrar_management=True, public_name=f"Listed Registrar {n} A/S",
            website=f"https://registrar{n}.example", email=f"info@registrar{n}.example",
            logo_url=f"https://registrar{n}.example/logo.png", listed=True), "test")
    # a person, registrar-managed, signed
    person_handle = await setup_registrant(c, email=f"per{n}@example.dk")
    await active_domains(registry, c, person_handle, person, ext=frames.secdns_create(
        [frames.ds_data(12345, 13, 2, SHA256), frames.ds_data(23456, 14, 4, SHA384)]))
    # a company, registrant-managed, with an in-zone name server and glue
    r = await c.request(frames.contact_create(
        name=None, org=f"Firma {n} A/S", user_type="company", cvr=PUNKTUM_CVR,
        street="Ørestads Boulevard 108, 11.", city="København S", pc="2300",
        email=f"firma{n}@example.dk", verified=True, dkhm="4.5"))
    assert r.code == 1000, r.msg
    firm_handle = r.text(".//contact:id")
    await active_domains(registry, c, firm_handle, firm, idn)
    glue_host = f"ns1.{firm}"
    r = await c.request(frames.host_create(glue_host, *GLUE))
    assert r.code == 1000, r.msg
    r = await c.request(frames.domain_update(firm, add_ns=[glue_host]))
    assert r.code == 1000, r.msg
    await drain(c)
    await sql(registry, "update domains set sponsor_id = null, management = 'registrant' "
              "where uname in (:a, :b)", a=firm, b=idn)
    # a registrar not on the public list
    c2, hidden_registrar = await registry.registrar_client()
    other = await setup_registrant(c2, email=f"skjult{n}@example.dk")
    await active_domains(registry, c2, other, hidden, ns=NS)
    await drain(c2)
    reserved, offered = f"reserveret-{n}.dk", f"venteliste-{n}.dk"
    now = registry.clock.now()
    async with registry.db.begin() as conn:
        await conn.execute(insert(reserved_names).values(
            name=reserved, uname=reserved, reason="test", created_at=now))
        await conn.execute(insert(waiting_list_offers).values(
            name=offered, uname=offered, offered_at=now,
            offered_until=now + timedelta(days=14)))
    idn_alabel = await registry.scalar("select name from domains where uname = :u", u=idn)
    return World(person=person, firm=firm, idn=idn, idn_alabel=str(idn_alabel),
                 hidden=hidden, reserved=reserved, offered=offered, glue_host=glue_host,
                 registrar=handle, hidden_registrar=hidden_registrar,
                 firm_handle=firm_handle, person_handle=person_handle)
