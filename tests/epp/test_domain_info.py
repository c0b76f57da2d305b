"""info domain: public registration data for all, sponsor-only details for the sponsor."""

from __future__ import annotations

from epp.helpers import NS, setup_registrant
from support import frames


async def test_info_by_sponsor_and_by_others(registry) -> None:
    c, handle = await registry.registrar_client()
    contact = await setup_registrant(c)
    assert (await c.request(frames.domain_create("visible.dk", contact, NS,
                                                 token=registry.token()))).code == 1001
    await registry.tick()
    r = await c.request(frames.domain_info("visible.dk"))
    assert r.code == 1000
    assert r.text(".//domain:roid") == "VISIBLE_DK-DK"
    assert r.text(".//domain:registrant") == contact
    assert [h.text for h in r.findall(".//domain:hostObj")] == NS
    assert r.text(".//domain:clID") == handle
    assert r.text(".//domain:exDate").endswith(".0Z")
    assert r.dkhm("autoRenew") == "true"
    assert r.dkhm("registrant_validated") == "1"
    other, _ = await registry.registrar_client()
    r = await other.request(frames.domain_info("visible.dk"))
    assert r.code == 1000
    assert r.text(".//domain:registrant") == contact
    assert r.dkhm("autoRenew") is None  # the sponsor's setting is not public


async def test_info_unknown_and_invalid(registry) -> None:
    c, _ = await registry.registrar_client()
    r = await c.request(frames.domain_info("nothing-here.dk"))
    assert r.code == 2303 and r.msg.startswith("Domain not found")
    r = await c.request(frames.domain_info("not valid.dk"))
    assert r.code == 2303


async def test_info_in_dkhm45_session(registry) -> None:
    c, _ = await registry.registrar_client(dkhm="4.5")
    contact = await setup_registrant(c)
    assert (await c.request(frames.domain_create("ny.dk", contact, NS, dkhm="4.5",
                                                 token=registry.token()))).code == 1001
    r = await c.request(frames.domain_info("ny.dk"))
    assert b"urn:dkhm:params:xml:ns:dkhm-4.5" in r.raw  # validated against the 4.5 set


async def _stored_extras(registry, name: str) -> None:  # type: ignore[no-untyped-def]
    """DS records, a live and a used token, a redemption date and a billing role, written
    the way the update/delete actions store them."""
    from datetime import timedelta

    from sqlalchemy import insert, select, update

    from dkreg.store.schema import auth_tokens, domains, ds_records

    now = registry.clock.now()
    async with registry.db.begin() as conn:
        did = (await conn.execute(select(domains.c.id).where(domains.c.name == name))
               ).scalar_one()
        await conn.execute(insert(ds_records), [
            {"domain_id": did, "key_tag": 57040, "alg": 8, "digest_type": 2,
             "digest": "02676DC904D9A55B4A60CE2545F863220DA34356E4CEA979E9C81408E126F2CA",
             "created_at": now},
            {"domain_id": did, "key_tag": 1, "alg": 13, "digest_type": 1,
             "digest": "A" * 40, "created_at": now}])
        await conn.execute(insert(auth_tokens), [
            {"domain_id": did, "op": "transfer", "role": "REG",
             "token": "REG-TRANSFER-" + "a" * 32,
             "created_by": "x", "created_at": now, "expires_at": now + timedelta(days=14),
             "used_at": None},
            {"domain_id": did, "op": "redel", "role": "REG", "token": "REG-REDEL-" + "b" * 32,
             "created_by": "x", "created_at": now, "expires_at": now + timedelta(days=14),
             "used_at": now},
            {"domain_id": did, "op": "redel", "role": "REG", "token": "REG-REDEL-" + "c" * 32,
             "created_by": "x", "created_at": now, "expires_at": now,  # expired now
             "used_at": None}])
        await conn.execute(update(domains).where(domains.c.id == did).values(
            redemption_until=now + timedelta(days=30), transferred_at=now, vid=True))


async def test_info_shows_dnssec_tokens_advisory_by_visibility(registry) -> None:
    c, handle = await registry.registrar_client(dkhm="4.5")
    contact = await setup_registrant(c)
    assert (await c.request(frames.domain_create("extras.dk", contact, NS, dkhm="4.5",
                                                 token=registry.token()))).code == 1001
    await registry.tick()
    await _stored_extras(registry, "extras.dk")
    r = await c.request(frames.domain_info("extras.dk"))
    assert r.code == 1000
    assert [e.text for e in r.findall(".//secDNS:keyTag")] == ["57040", "1"]
    assert r.text(".//secDNS:digest").startswith("02676DC9")
    tokens = r.findall(".//{urn:dkhm:params:xml:ns:dkhm-4.5}authInfo")
    assert [(t.get("op"), t.text) for t in tokens] == [("transfer", "REG-TRANSFER-" + "a" * 32)]
    assert tokens[0].get("expdate").endswith(".0Z")
    assert r.dkhm("vid") == "true"
    adv = r.find(".//{urn:dkhm:params:xml:ns:dkhm-4.5}domainAdvisory")
    assert adv is not None and adv.get("advisory") == "pendingDeletionDate"
    assert adv.get("domain") == "extras.dk" and adv.get("date").startswith("2026-07-01")
    assert r.text(".//domain:trDate") is not None
    # another registrar: DS and the advisory are public, tokens and autoRenew are not
    other, _ = await registry.registrar_client(dkhm="4.5")
    r = await other.request(frames.domain_info("extras.dk"))
    assert len(r.findall(".//secDNS:dsData")) == 2
    assert r.findall(".//{urn:dkhm:params:xml:ns:dkhm-4.5}authInfo") == []
    assert r.dkhm("autoRenew") is None
    assert r.find(".//{urn:dkhm:params:xml:ns:dkhm-4.5}domainAdvisory") is not None


async def test_info_in_dkhm43_has_no_vid(registry) -> None:
    c, _ = await registry.registrar_client()
    contact = await setup_registrant(c)
    assert (await c.request(frames.domain_create("old-ns.dk", contact, NS,
                                                 token=registry.token()))).code == 1001
    await registry.tick()
    await _stored_extras(registry, "old-ns.dk")
    r = await c.request(frames.domain_info("old-ns.dk"))
    assert r.code == 1000 and r.dkhm("vid") is None
    assert r.find(".//{urn:dkhm:params:xml:ns:dkhm-4.3}authInfo") is not None


async def test_info_roles_of_registrant_managed_domain_only_to_related(registry) -> None:
    """admin/billing are shown to the registrars related to the domain (here: the one
    that is billing contact), never to others."""
    from sqlalchemy import update

    from dkreg.store.schema import domains, registrars

    c, handle = await registry.registrar_client()
    await setup_registrant(c)
    mgmt = ('<dkhm:management xmlns:dkhm="urn:dkhm:params:xml:ns:dkhm-4.3">registrant'
            "</dkhm:management>")
    r = await c.request(frames.contact_create(email="selv@example.dk", extra_ext=mgmt))
    assert r.code == 1000, r.msg
    own = r.text(".//contact:id")
    r = await c.request(frames.domain_create(
        "selvbetjent.dk", own, NS, token=registry.token(), contacts=[("admin", own)],
        extra_ext=mgmt))
    assert r.code == 1001, r.msg
    await registry.tick()
    r = await c.request(frames.domain_info("selvbetjent.dk"))
    assert r.text(".//domain:clID") == "DKHM1-DK"
    assert r.findall(".//domain:contact") == []  # not related (yet)
    async with registry.db.begin() as conn:
        rid = (await conn.execute(registrars.select().where(registrars.c.handle == handle))
               ).first().id
        await conn.execute(update(domains).where(domains.c.name == "selvbetjent.dk")
                           .values(billing_registrar_id=rid))
    r = await c.request(frames.domain_info("selvbetjent.dk"))
    assert sorted((e.get("type"), e.text) for e in r.findall(".//domain:contact")) == [
        ("admin", own), ("billing", handle)]
    assert r.dkhm("autoRenew") is None  # only the sponsor (here the registry) sees that
    other, _ = await registry.registrar_client()
    r = await other.request(frames.domain_info("selvbetjent.dk"))
    assert r.findall(".//domain:contact") == []


# -- the redemption period in RFC 3915 rgp:infData ------------------------------------------

RGP_NS = "urn:ietf:params:xml:ns:rgp-1.0"


async def rgp_client(registry, login: str, pw: str):  # type: ignore[no-untyped-def]
    """A session that announces rgp-1.0 (as the greeting offers) besides secDNS and dkhm."""
    c = await registry.client()
    r = await c.request(frames.login(login, pw, dkhm="4.5").replace(
        "</svcExtension>", f"<extURI>{RGP_NS}</extURI></svcExtension>"))
    assert r.code == 1000, r.msg
    return c


def rgp_statuses(r) -> list[str] | None:  # type: ignore[no-untyped-def]
    """The rgpStatus values of rgp:infData; None when the answer has no rgp element."""
    if not any(isinstance(el.tag, str) and el.tag.startswith(f"{{{RGP_NS}}}")
               for el in r.root.iter()):
        return None
    return [s.get("s") for s in r.findall(f".//{{{RGP_NS}}}infData/{{{RGP_NS}}}rgpStatus")]


def statuses(r) -> set[str]:  # type: ignore[no-untyped-def]
    return {s.get("s") for s in r.findall(".//domain:status")}


async def test_redemption_in_rgp_infdata_only_for_sessions_that_announced_rgp(registry) -> None:
    from dkreg.actions.contact import verification as contact_verification

    _, login, pw = await registry.new_registrar()
    c = await rgp_client(registry, login, pw)
    plain = await registry.client(login, pw)  # dkhm-4.3, no rgp-1.0
    contact = await setup_registrant(c)
    held = await setup_registrant(c, verified=False, email="held@example.dk", hosts=False)
    for name, registrant in (("fortryd.dk", contact), ("senere.dk", contact),
                             ("nis2.dk", held)):
        assert (await c.request(frames.domain_create(name, registrant, NS,
                                                     token=registry.token()))).code == 1001
    await registry.tick()
    r = await c.request(frames.domain_info("fortryd.dk"))
    assert (statuses(r), rgp_statuses(r)) == ({"ok"}, None)  # in no grace period

    assert (await c.request(frames.domain_delete("fortryd.dk"))).code == 1001
    r = await c.request(frames.domain_info("fortryd.dk"))
    assert rgp_statuses(r) == ["redemptionPeriod"]
    assert statuses(r) == {"pendingDelete", "serverHold", "serverDeleteProhibited"}
    r = await plain.request(frames.domain_info("fortryd.dk"))
    assert r.code == 1000
    assert rgp_statuses(r) is None  # RFC 5730: only announced extensions
    assert statuses(r) == {"pendingDelete", "serverHold", "serverDeleteProhibited"}
    # any registrar's rgp session sees it: the status is public
    _, other_login, other_pw = await registry.new_registrar()
    other = await rgp_client(registry, other_login, other_pw)
    assert rgp_statuses(await other.request(frames.domain_info("fortryd.dk"))) == [
        "redemptionPeriod"]

    # a deletion that is only scheduled is no grace period yet
    assert (await c.request(frames.domain_delete("senere.dk", del_date="2026-12-24"))
            ).code == 1001
    r = await c.request(frames.domain_info("senere.dk"))
    assert (statuses(r), rgp_statuses(r)) == ({"pendingDelete", "serverDeleteProhibited"},
                                              None)
    # a NIS2 suspension cannot be restored by the registrar: no redemptionPeriod
    async with registry.db.begin() as conn:
        assert (await contact_verification.reject(registry.ctx(conn), held)).domains == [
            "nis2.dk"]
    r = await c.request(frames.domain_info("nis2.dk"))
    assert (statuses(r), rgp_statuses(r)) == ({"serverHold", "serverDeleteProhibited"}, None)

    # restored at once: the report's answer carries no rgp:upData, and the period is over
    r = await c.request(frames.domain_restore("fortryd.dk"))
    assert r.code == 1000, r.msg
    assert r.find(".//epp:extension") is None
    r = await c.request(frames.domain_info("fortryd.dk"))
    assert (statuses(r), rgp_statuses(r)) == ({"ok"}, None)


async def test_expired_domain_in_redemption_shows_redemption_period(registry) -> None:
    from datetime import UTC, datetime

    _, login, pw = await registry.new_registrar()
    c = await rgp_client(registry, login, pw)
    contact = await setup_registrant(c)
    assert (await c.request(frames.domain_create("glemt.dk", contact, NS,
                                                 token=registry.token()))).code == 1001
    await registry.tick()
    r = await c.request(frames.domain_update("glemt.dk", ext=frames.autorenew_ext(False)))
    assert r.code == 1000, r.msg
    registry.clock.set(datetime(2027, 6, 2, 12, 0, tzinfo=UTC))  # the day after expiry
    await registry.tick()
    r = await c.request(frames.domain_info("glemt.dk"))
    assert rgp_statuses(r) == ["redemptionPeriod"]
    assert statuses(r) == {"pendingDelete", "serverHold", "serverDeleteProhibited"}
