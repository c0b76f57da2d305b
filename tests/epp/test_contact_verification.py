"""NIS2 contact verification (dkhm-4.5, SPEC-DIGEST §4.4): who asserts ``verified_id`` /
``verified_email``, what a change of identity data sets off, and the registry's entry
points ``start``, ``complete`` and ``reject`` with their effect on the registrant's
domains and on changes of registrant waiting for the check."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select, text

from dkreg.actions.contact import verification as contact_verification
from dkreg.store.schema import domains
from epp.test_contact_update import drain, poll_msg, refused, row
from support import frames
from support.epp_objects import Agent, unique

NEW_ADDRESS = frames.contact_chg_postal("loc", street=["Nørregade 7"], city="Odense C",
                                       pc="5000", cc="DK")


async def registrar_responsible(registry, agent: Agent) -> None:
    async with registry.db.begin() as conn:
        await conn.execute(text("update registrars set verification_responsible = 'registrar' "
                                "where handle = :h"), {"h": agent.handle})


async def domain(registry, name: str):  # type: ignore[no-untyped-def]
    async with registry.db.read() as conn:
        return (await conn.execute(select(domains).where(domains.c.uname == name))).one()


async def held_domain(registry, a: Agent) -> tuple[str, str]:
    """An unverified registrant and its domain, registered but not activated."""
    handle = await a.contact(verified=False, email=f"{unique('held')}@example.dk")
    name = f"{unique('held')}.dk"
    await a.domain(name, registrant=handle)
    assert (await domain(registry, name)).statuses == "serverHold"
    return handle, name


async def active_domain(registry, a: Agent) -> tuple[str, str]:
    handle = await a.contact(verified=True, email=f"{unique('ok')}@example.dk")
    name = f"{unique('ok')}.dk"
    await a.domain(name, registrant=handle)
    assert (await domain(registry, name)).statuses == "ok"
    return handle, name


def flags(r) -> dict[str, tuple]:  # type: ignore[no-untyped-def,type-arg]
    out = {}
    for tag in ("verified_id", "verified_email"):
        el = r.find(f".//dkhm45:contact_verification/dkhm45:{tag}")
        out[tag] = (el.text, el.get("status"), el.get("expdate"))
    return out


# ---------------------------------------------------------------------------------------
# the registrar responsible for verification


async def test_registrar_asserts_verification_and_the_domain_is_activated(registry) -> None:
    a = await Agent.new(registry, dkhm="4.5")
    await registrar_responsible(registry, a)
    handle, name = await held_domain(registry, a)
    assert [poll_msg(m) for m in await drain(a)] == [
        f"{name} has been registered, but not activated due to pending ID and/or data check",
        f"{handle} has to complete the mandatory ID and data check - registrar"]
    r = await a.send(frames.contact_update(handle, chg=None,
                                           ext=frames.contact_verification(True, True)))
    assert (r.code, r.msg) == (1000, "Command completed successfully")
    c = await row(registry, handle)
    assert (c.id_status, c.email_status, c.verification_due, c.register_locked) == (
        "completed", "completed", None, False)  # a registrar's word locks nothing
    d = await domain(registry, name)
    assert (d.statuses, d.suspended_at, d.redemption_cause) == ("ok", None, None)
    msgs = await drain(a)
    assert [poll_msg(m) for m in msgs] == [
        f"{handle} has completed the mandatory ID and data check - registrar",
        f"{name} has been activated"]
    assert msgs[0].find(".//dkhm45:verified_id").get("status") == "completed"
    assert [s.get("s") for s in msgs[1].findall(".//domain:status")] == ["ok"]
    info = await a.send(frames.contact_info(handle))
    assert flags(info) == {"verified_id": ("true", "completed", None),
                           "verified_email": ("true", "completed", None)}
    assert info.dkhm("contact_validated") == "1"


async def test_registrar_withdraws_its_assertion(registry) -> None:
    a = await Agent.new(registry, dkhm="4.5")
    await registrar_responsible(registry, a)
    handle, name = await active_domain(registry, a)
    await drain(a)
    r = await a.send(frames.contact_update(handle, ext=frames.contact_verification(
        verified_id=False)))
    assert r.code == 1000, r.msg
    c = await row(registry, handle)
    due = registry.clock.now() + timedelta(days=25)
    assert (c.id_status, c.email_status, c.verification_due) == ("pending", "completed", due)
    assert [poll_msg(m) for m in await drain(a)] == [
        f"{handle} has to complete the mandatory ID check - registrar"]
    assert (await domain(registry, name)).statuses == "ok"  # until the deadline passes


async def test_registry_responsible_contact_cannot_be_asserted(registry) -> None:
    a = await Agent.new(registry, dkhm="4.5")
    handle = await a.contact(verified=False)
    msg = await refused(a, frames.contact_update(
        handle, ext=frames.contact_verification(True, True)), 2201, "No privilege", handle)
    assert "dkhm:contact_verification/dkhm:verified_id" in msg
    msg = await refused(a, frames.contact_update(handle, ext=frames.contact_verification(
        extra="<dkhm:responsible>registrar</dkhm:responsible>", verified_email=True)),
        2306, "Parameter value policy error", handle)
    assert "dkhm:responsible" in msg
    await refused(a, frames.contact_update(handle, ext=frames.contact_verification()),
                  2003, "Required parameter missing", handle)


async def test_registrar_cannot_overturn_a_rejection(registry) -> None:
    a = await Agent.new(registry, dkhm="4.5")
    await registrar_responsible(registry, a)
    handle = await a.contact(verified=False)
    async with registry.db.begin() as conn:
        await contact_verification.reject(registry.ctx(conn), handle)
    msg = await refused(a, frames.contact_update(
        handle, ext=frames.contact_verification(verified_id=True)), 2304,
        "Object status prohibits operation", handle)
    assert "dkhm:verified_id" in msg
    # changing the address does not vouch for a rejected contact either
    assert (await a.send(frames.contact_update(handle, chg=NEW_ADDRESS))).code == 1000
    assert (await row(registry, handle)).id_status == "rejected"


# ---------------------------------------------------------------------------------------
# changed identity data


async def test_registry_checks_changed_data_again(registry) -> None:
    a = await Agent.new(registry, dkhm="4.5")
    handle, name = await active_domain(registry, a)
    await drain(a)
    registry.clock.advance(timedelta(hours=1))
    assert (await a.send(frames.contact_update(handle, chg=NEW_ADDRESS))).code == 1000
    c = await row(registry, handle)
    assert (c.id_status, c.email_status, c.verification_due) == (
        "pending", "completed", registry.clock.now() + timedelta(days=25))
    assert [poll_msg(m) for m in await drain(a)] == [
        f"{handle} has to complete the mandatory ID check - registry"]
    info = await a.send(frames.contact_info(handle))
    assert flags(info)["verified_id"] == ("false", "pending", "2026-06-26T11:00:00.0Z")
    assert info.find(".//dkhm45:verified_id").get("responsible") == "registry"
    assert (await domain(registry, name)).statuses == "ok"
    # a phone number is no identity data: nothing starts
    other, _ = await active_domain(registry, a)
    await drain(a)
    assert (await a.send(frames.contact_update(other, voice="+45.87654321"))).code == 1000
    assert (await row(registry, other)).id_status == "completed"
    assert await drain(a) == []


async def test_changed_data_of_a_non_registrant_waits_for_its_first_domain(registry) -> None:
    a = await Agent.new(registry, dkhm="4.5")
    handle = await a.contact(verified=True)
    assert (await a.send(frames.contact_update(handle, chg=NEW_ADDRESS))).code == 1000
    c = await row(registry, handle)
    assert (c.id_status, c.verification_started_at) == ("pending", None)
    assert await drain(a) == []
    registry.clock.advance(timedelta(days=3))
    name = f"{unique('first')}.dk"
    await a.domain(name, registrant=handle)
    assert [poll_msg(m) for m in await drain(a)] == [
        f"{name} has been registered, but not activated due to pending ID and/or data check",
        f"{handle} has to complete the mandatory ID check - registry"]
    c = await row(registry, handle)
    assert c.verification_due == registry.clock.now() + timedelta(days=25)


async def test_registrar_responsible_vouches_for_changed_data(registry) -> None:
    a = await Agent.new(registry, dkhm="4.5")
    await registrar_responsible(registry, a)
    handle, name = await held_domain(registry, a)
    await drain(a)
    assert (await a.send(frames.contact_update(handle, chg=NEW_ADDRESS))).code == 1000
    c = await row(registry, handle)
    assert (c.id_status, c.email_status) == ("completed", "pending")
    assert (await domain(registry, name)).statuses == "ok"
    assert [poll_msg(m) for m in await drain(a)] == [
        f"{handle} has completed the mandatory ID check - registrar",
        f"{name} has been activated"]


async def test_no_new_check_before_nis2(registry) -> None:
    from datetime import UTC, datetime

    registry.clock.set(datetime(2025, 2, 1, 12, 0, tzinfo=UTC))
    a = await Agent.new(registry, dkhm="4.5")
    handle, _ = await active_domain(registry, a)
    c = await row(registry, handle)
    assert (c.id_status, c.email_status) == ("completed", "completed")
    unchecked = await a.contact(email="old-era@example.dk")
    assert (await row(registry, unchecked)).id_status == "notRequired"
    assert (await a.send(frames.contact_update(unchecked, chg=NEW_ADDRESS))).code == 1000
    assert (await row(registry, unchecked)).id_status == "notRequired"


# ---------------------------------------------------------------------------------------
# the registry's entry points


async def test_complete_locks_danish_data_and_is_idempotent(registry) -> None:
    a = await Agent.new(registry, dkhm="4.5")
    handle, name = await held_domain(registry, a)
    await drain(a)
    async with registry.db.begin() as conn:
        result = await contact_verification.complete(registry.ctx(conn), handle)
    assert (result.changed, result.domains) == (True, [name])
    c = await row(registry, handle)
    assert (c.id_status, c.email_status, c.register_locked, c.updated_by) == (
        "completed", "completed", True, "DKHM1-DK")
    assert [poll_msg(m) for m in await drain(a)] == [
        f"{handle} has completed the mandatory ID and data check - registry",
        f"{name} has been activated"]
    async with registry.db.begin() as conn:
        again = await contact_verification.complete(registry.ctx(conn), handle)
    assert (again.changed, again.domains) == (False, [])
    assert await drain(a) == []


async def test_start_asks_once(registry) -> None:
    a = await Agent.new(registry, dkhm="4.5")
    handle, name = await active_domain(registry, a)
    await drain(a)
    async with registry.db.begin() as conn:
        assert await contact_verification.start(registry.ctx(conn), handle) is True
    async with registry.db.begin() as conn:
        assert await contact_verification.start(registry.ctx(conn), handle) is False
    assert [poll_msg(m) for m in await drain(a)] == [
        f"{handle} has to complete the mandatory ID and data check - registry"]
    info = await a.send(frames.contact_info(handle))
    due = "2026-06-26T10:00:00.0Z"
    assert flags(info) == {"verified_id": ("false", "pending", due),
                           "verified_email": ("false", "pending", due)}
    assert (await domain(registry, name)).statuses == "ok"


async def test_reject_suspends_at_once(registry) -> None:
    a = await Agent.new(registry, dkhm="4.5")
    handle, name = await active_domain(registry, a)
    await drain(a)
    async with registry.db.begin() as conn:
        result = await contact_verification.reject(registry.ctx(conn), handle)
    assert result.domains == [name]
    d = await domain(registry, name)
    now = registry.clock.now()
    assert (d.statuses, d.suspended_at, d.redemption_cause, d.redemption_until) == (
        "serverHold", now, "nis2", now + timedelta(days=30))
    msgs = await drain(a)
    assert [poll_msg(m) for m in msgs] == [
        f"The mandatory ID check of {handle} was rejected - registry",
        f"{name} has been updated"]
    assert [s.get("s") for s in msgs[1].findall(".//domain:status")] == [
        "serverHold", "serverDeleteProhibited"]
    # a contact that failed its ID check cannot become registrant again
    r = await a.send(frames.domain_create(f"{unique('again')}.dk", handle,
                                          ["ns1.x.example", "ns2.x.example"],
                                          token=registry.token()))
    assert r.code == 2201, r.msg
    assert r.msg.startswith("Contact has previously failed ID control")
    assert (await registry.tick()).total == 0


async def test_completing_the_new_registrants_check_changes_the_registrant(registry) -> None:
    a = await Agent.new(registry, dkhm="4.5")
    _old, name = await active_domain(registry, a)
    new = await a.contact(verified=False, email="new-owner@example.dk")
    r = await a.send(frames.domain_update(name, registrant=new,
                                          ext=frames.order_token_ext(registry.token(), "4.5")))
    assert r.code == 1001, r.msg
    await registry.tick()  # the new registrant-to-be's check starts
    await drain(a)
    async with registry.db.begin() as conn:
        await contact_verification.complete(registry.ctx(conn), new)
    assert await registry.scalar(
        "select c.handle from domains d join contacts c on c.id = d.registrant_id "
        "where d.uname = :n", n=name) == new
    assert [poll_msg(m) for m in await drain(a)] == [
        f"{new} has completed the mandatory ID and data check - registry",
        f"The registrant has been changed to {new} for {name}"]


async def test_rejecting_the_new_registrants_check_keeps_the_registrant(registry) -> None:
    a = await Agent.new(registry, dkhm="4.5")
    old, name = await active_domain(registry, a)
    new = await a.contact(verified=False, email="refused-owner@example.dk")
    r = await a.send(frames.domain_update(name, registrant=new,
                                          ext=frames.order_token_ext(registry.token(), "4.5")))
    assert r.code == 1001, r.msg
    await drain(a)
    async with registry.db.begin() as conn:
        await contact_verification.reject(registry.ctx(conn), new)
    assert (await domain(registry, name)).statuses == "ok"  # the old registrant is fine
    assert [poll_msg(m) for m in await drain(a)] == [
        f"The mandatory ID check of {new} was rejected - registry",
        f"The registrant has not been changed to {new} for {name}, as the mandatory ID "
        "and/or data check was rejected"]
    assert await registry.scalar(
        "select c.handle from domains d join contacts c on c.id = d.registrant_id "
        "where d.uname = :n", n=name) == old


async def test_sandbox_cli_decides_a_check(registry, tmp_path, capsys) -> None:
    """``dkreg contact verify HANDLE [--reject]``: the registry's ID check by hand."""
    import asyncio

    from dkreg.cli import main

    a = await Agent.new(registry, dkhm="4.5")
    handle, name = await held_domain(registry, a)
    common = ["--data-dir", str(tmp_path), "--database-url", registry.settings.url]
    assert await asyncio.to_thread(main, ["contact", "verify", handle, *common]) == 0
    assert f"{handle}: check completed; domains activated: {name}" in capsys.readouterr().out
    assert (await domain(registry, name)).statuses == "ok"
    assert await asyncio.to_thread(main, ["contact", "verify", handle, *common]) == 0
    assert "nothing to do" in capsys.readouterr().out
    other, other_name = await active_domain(registry, a)
    assert await asyncio.to_thread(main, ["contact", "verify", other, "--reject", *common]) == 0
    assert f"{other}: check rejected; domains suspended: {other_name}" in \
        capsys.readouterr().out
    assert (await row(registry, other)).id_status == "rejected"
    assert await asyncio.to_thread(main, ["contact", "verify", "ZZZ9-DK", *common]) == 1
    assert "2303 Contact not found" in capsys.readouterr().err.replace(":", "")
