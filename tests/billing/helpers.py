"""A registrant-managed domain whose renewal the registry invoices, made over EPP."""

from __future__ import annotations

from sqlalchemy import select

from dkreg.store.schema import domains, invoices
from epp.helpers import NS, setup_registrant
from support import frames

MGMT = ('<dkhm:management xmlns:dkhm="urn:dkhm:params:xml:ns:dkhm-4.5">registrant'
        "</dkhm:management>")


async def registrant_domain(registry, name: str, email: str = "rita@example.dk"):  # type: ignore[no-untyped-def]
    """(EPP client, registrant handle, domain row) for an active registrant-managed domain."""
    c, _handle = await registry.registrar_client()
    await setup_registrant(c)
    r = await c.request(frames.contact_create(name="Rita Registrant", email=email,
                                              verified=True, dkhm="4.5", extra_ext=MGMT))
    assert r.code == 1000, r.msg
    rita = r.text(".//contact:id")
    r = await c.request(frames.domain_create(name, rita, NS, token=registry.token(),
                                             extra_ext=MGMT.replace("4.5", "4.3")))
    assert r.code == 1001, r.msg
    await registry.tick()
    return c, rita, await domain_row(registry, name)


async def domain_row(registry, name: str):  # type: ignore[no-untyped-def]
    async with registry.db.read() as conn:
        return (await conn.execute(select(domains).where(domains.c.uname == name)
                                   .order_by(domains.c.id.desc()))).first()


async def invoice_rows(registry, kind: str | None = None) -> list:  # type: ignore[type-arg]
    query = select(invoices).order_by(invoices.c.number)
    if kind:
        query = query.where(invoices.c.kind == kind)
    async with registry.db.read() as conn:
        return list(await conn.execute(query))
