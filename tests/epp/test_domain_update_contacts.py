"""update domain, admin and billing contacts: none on registrar-managed domains; on
registrant-managed domains a registrar may only make itself billing contact and stop
being it; the registry (self-service) does the rest."""

from __future__ import annotations

import pytest

from dkreg.actions.domain.update import DomainUpdate
from dkreg.errors import EppError
from epp.update_support import (
    active_domains,
    client_with_roles,
    drain,
    fingerprint,
    ready_registrar,
    update_as_registry,
)
from support import frames


def registrant_managed_contact(email: str) -> str:
    return frames.contact_create(
        verified=True, dkhm="4.5", email=email,
        extra_ext=f'<dkhm:management xmlns:dkhm="{frames.dkhm_ns("4.5")}">registrant'
                  "</dkhm:management>")


MANAGEMENT = f'<dkhm:management xmlns:dkhm="{frames.dkhm_ns()}">registrant</dkhm:management>'


@pytest.fixture
async def ready(registry):
    """Registrar-managed ``egen.dk`` and registrant-managed ``selv.dk``, plus two spare
    registrant-managed contacts for the roles."""
    c, handle, _ = await ready_registrar(registry, "egen.dk")
    handles = []
    for email in ("ejer@example.dk", "admin@example.dk", "betaler@example.dk"):
        r = await c.request(registrant_managed_contact(email))
        assert r.code == 1000, r.msg
        handles.append(r.text(".//contact:id"))
    await active_domains(registry, c, handles[0], "selv.dk", ext=MANAGEMENT)
    assert await registry.scalar(
        "select sponsor_id from domains where uname = 'selv.dk'") is None
    await drain(c)
    return registry, c, handle, handles[1], handles[2]


async def billing_registrar(registry, name: str) -> object:
    return await registry.scalar(
        "select r.handle from domains d join registrars r on r.id = d.billing_registrar_id "
        "where d.uname = :n", n=name)


@pytest.mark.parametrize("kw", [{"add_contacts": [("billing", "X")]},
                                {"rem_contacts": [("admin", "X")]}])
async def test_registrar_managed_domains_have_no_contacts(ready, kw: dict) -> None:
    registry, c, handle, admin, _ = ready
    kw = {k: [(t, admin) for t, _ in v] for k, v in kw.items()}
    before = await fingerprint(registry, "egen.dk")
    r = await c.request(frames.domain_update("egen.dk", **kw))
    assert r.code == 2306
    assert r.msg.startswith("Specifying contacts for registrar managed domains is not allowed")
    assert await fingerprint(registry, "egen.dk") == before


async def test_registrar_makes_itself_billing_and_stops_silently(ready) -> None:
    registry, c, handle, _, _ = ready
    r = await c.request(frames.domain_update("selv.dk", add_contacts=[("billing", handle)]))
    assert (r.code, r.msg) == (1000, "Command completed successfully")
    assert await billing_registrar(registry, "selv.dk") == handle
    r = await c.request(frames.domain_update("selv.dk", add_contacts=[("billing", handle)]))
    assert r.code == 2302, r.msg
    r = await c.request(frames.domain_update("selv.dk", rem_contacts=[("billing", handle)]))
    assert r.code == 1000, r.msg
    assert await billing_registrar(registry, "selv.dk") is None
    r = await c.request(frames.domain_update("selv.dk", rem_contacts=[("billing", handle)]))
    assert r.code == 2201
    assert r.msg.startswith("Repeated remove"), r.msg
    assert await drain(c) == []


@pytest.mark.parametrize(("kind", "ctype", "who"), [
    ("add", "billing", "contact"), ("add", "admin", "self"), ("rem", "admin", "contact"),
    ("add", "billing", "other-registrar")])
async def test_a_registrar_may_only_act_as_billing_itself(ready, kind: str, ctype: str,
                                                          who: str) -> None:
    registry, c, handle, admin, _ = ready
    if who == "other-registrar":
        who_handle, _, _ = await registry.new_registrar()
    else:
        who_handle = {"contact": admin, "self": handle}[who]
    before = await fingerprint(registry, "selv.dk")
    r = await c.request(frames.domain_update("selv.dk", **{f"{kind}_contacts":
                                                            [(ctype, who_handle)]}))
    assert r.code == 2201
    assert r.msg.startswith("No privilege.; domain:contact[1]: selv.dk is registrant-managed")
    assert await fingerprint(registry, "selv.dk") == before


async def test_billing_needs_the_payer_role(ready) -> None:
    registry, c, handle, _, _ = ready
    c2 = await client_with_roles(registry, handle, "proxy nsa")
    r = await c2.request(frames.domain_update("selv.dk", add_contacts=[("billing", handle)]))
    assert r.code == 2201
    assert "Payer meta-role" in r.msg
    assert await billing_registrar(registry, "selv.dk") is None


async def test_only_admin_and_billing(ready) -> None:
    registry, c, handle, admin, _ = ready
    r = await c.request(frames.domain_update("selv.dk", add_contacts=[("tech", handle)]))
    assert r.code == 2306
    assert r.msg.startswith("Role not permitted"), r.msg


async def test_a_registrar_removed_by_someone_else_is_told(ready) -> None:
    registry, c, handle, _, _ = ready
    assert (await c.request(frames.domain_update(
        "selv.dk", add_contacts=[("billing", handle)]))).code == 1000
    await update_as_registry(registry, DomainUpdate(
        name="selv.dk", rem_contacts=[("billing", handle)]))
    assert await billing_registrar(registry, "selv.dk") is None
    messages = await drain(c)
    assert [m for m, _ in messages] == [f"{handle} has been removed as billing contact for "
                                        "selv.dk"]
    assert messages[0][1].text(".//domain:name") == "selv.dk"


async def test_registry_sets_and_removes_contact_roles(ready) -> None:
    registry, c, handle, admin, payer = ready
    await update_as_registry(registry, DomainUpdate(
        name="selv.dk", add_contacts=[("admin", admin), ("billing", payer)]))
    roles = await registry.rows(
        "select dc.type, c.handle from domain_contacts dc join contacts c "
        "on c.id = dc.contact_id join domains d on d.id = dc.domain_id "
        "where d.uname = 'selv.dk' order by dc.type")
    assert [tuple(r) for r in roles] == [("admin", admin), ("billing", payer)]
    # one holder per role: the registrar cannot take billing while a contact holds it
    r = await c.request(frames.domain_update("selv.dk", add_contacts=[("billing", handle)]))
    assert r.code == 2004
    assert r.msg.startswith("Too many users for contact type"), r.msg
    # replacing in one command works: remove comes before add
    await update_as_registry(registry, DomainUpdate(
        name="selv.dk", rem_contacts=[("billing", payer)], add_contacts=[("billing", handle)]))
    assert await billing_registrar(registry, "selv.dk") == handle
    assert await registry.scalar(
        "select unlinked_at from contacts where handle = :h", h=payer) is not None
    await update_as_registry(registry, DomainUpdate(
        name="selv.dk", rem_contacts=[("admin", admin)]))
    assert await registry.scalar(
        "select count(*) from domain_contacts dc join domains d on d.id = dc.domain_id "
        "where d.uname = 'selv.dk'") == 0


@pytest.mark.parametrize(("cmd", "code", "reason"), [
    ({"add_contacts": [("admin", "NOSUCH1-DK")]}, 2303, "contact_not_found"),
    ({"add_contacts": [("admin", "REG-999999")]}, 2306, "update_role_not_permitted"),
    ({"rem_contacts": [("admin", "ADMIN")]}, 2201, "update_repeated_remove"),
])
async def test_registry_refusals(ready, cmd: dict, code: int, reason: str) -> None:
    registry, c, handle, admin, _ = ready
    cmd = {k: [(t, admin if h == "ADMIN" else h) for t, h in v] for k, v in cmd.items()}
    before = await fingerprint(registry, "selv.dk")
    with pytest.raises(EppError) as e:
        await update_as_registry(registry, DomainUpdate(name="selv.dk", **cmd))
    assert (e.value.code, e.value.reason) == (code, reason)
    assert await fingerprint(registry, "selv.dk") == before
