"""info contact over TLS EPP: visibility rules and dkhm extensions (SPEC-DIGEST §4.3, §4.4).

The sponsor sees everything; an unrelated registrar sees only registrants (public
registration data) and then with the e-mail masked as ``anonymous@punktum.dk``.
"""

from __future__ import annotations

from datetime import timedelta
from xml.sax.saxutils import escape

from support import frames
from support.epp_objects import Agent, unique

MASKED = "anonymous@punktum.dk"
PUNKTUM_CVR = "24210375"
DKHM45 = "urn:dkhm:params:xml:ns:dkhm-4.5"


def ext(name: str, value: str, version: str = "4.3") -> str:
    return (f'<dkhm:{name} xmlns:dkhm="{frames.dkhm_ns(version)}">{escape(value)}'
            f"</dkhm:{name}>")


def statuses(r) -> list[str]:  # type: ignore[no-untyped-def]
    return [s.get("s") for s in r.findall(".//contact:status")]


async def test_sponsor_sees_everything(registry) -> None:
    a = await Agent.new(registry)
    r = await a.send(frames.contact_create(
        name="Jens Hansen", email="jens@example.dk", voice="+45.12345678",
        extra_ext=ext("mobilephone", "+45.20304050")))
    handle = r.text(".//contact:id")
    r = await a.send(frames.contact_info(handle))
    assert r.code == 1000, r.msg
    assert r.text(".//contact:id") == handle
    assert r.text(".//contact:roid") == handle
    assert r.text(".//contact:email") == "jens@example.dk"
    assert r.text(".//contact:voice") == "+45.12345678"
    assert r.text(".//contact:name") == "Jens Hansen"
    assert r.text(".//contact:street") == "Vesterbrogade 1"
    assert r.text(".//contact:city") == "København V"
    assert r.text(".//contact:pc") == "1620"
    assert r.text(".//contact:cc") == "DK"
    assert r.text(".//contact:clID") == a.handle
    assert r.text(".//contact:crID") == a.handle
    assert r.text(".//contact:crDate") == "2026-06-01T10:00:00.0Z"
    assert statuses(r) == ["serverDeleteProhibited", "serverTransferProhibited"]
    assert r.dkhm("userType") == "individual"
    assert r.dkhm("mobilephone") == "+45.20304050"
    assert r.dkhm("contact_validated") == "0"  # NIS2 ID check pending
    assert r.find(".//dkhm:contact_verification") is None  # not in dkhm-4.3


async def test_company_extensions_shown_to_sponsor(registry) -> None:
    a = await Agent.new(registry)
    handle = await a.contact(user_type="company", org="Punktum dk A/S", name="Anne Andersen",
                             cvr=PUNKTUM_CVR)
    r = await a.send(frames.contact_info(handle))
    assert r.dkhm("userType") == "company"
    assert r.dkhm("CVR") == PUNKTUM_CVR
    assert r.text(".//contact:org") == "Punktum dk A/S"
    assert r.text(".//contact:name") == "Anne Andersen"


async def test_unrelated_registrar_cannot_read_a_non_registrant(registry) -> None:
    a = await Agent.new(registry)
    b = await Agent.new(registry)
    handle = await a.contact()
    r = await b.send(frames.contact_info(handle))
    assert r.code == 2201, r.msg
    assert "contact:id" in r.msg
    assert r.find(".//epp:resData") is None


async def test_unrelated_registrar_sees_registrant_with_masked_email(registry) -> None:
    a = await Agent.new(registry)
    b = await Agent.new(registry)
    owner = await a.contact(email="owner@example.dk", voice="+45.11223344",
                            extra_ext=ext("mobilephone", "+45.20304050"))
    await a.domain(f"{unique('info')}.dk", registrant=owner, tick=False)
    r = await b.send(frames.contact_info(owner))
    assert r.code == 1000, r.msg
    assert r.text(".//contact:email") == MASKED
    assert r.find(".//contact:voice") is None
    assert r.dkhm("mobilephone") is None
    assert r.text(".//contact:name") == "Jens Hansen"  # registrant data is public
    assert r.text(".//contact:clID") == a.handle
    assert statuses(r)[0] == "linked"
    # the sponsor still sees the real address, and the contact is now linked
    r = await a.send(frames.contact_info(owner))
    assert r.text(".//contact:email") == "owner@example.dk"
    assert r.text(".//contact:voice") == "+45.11223344"
    assert statuses(r) == ["linked", "serverDeleteProhibited", "serverTransferProhibited"]


async def test_registrant_stays_visible_once_the_domain_is_active(registry) -> None:
    a = await Agent.new(registry)
    b = await Agent.new(registry)
    owner = await a.contact(email="active@example.dk")
    await a.domain(f"{unique('active')}.dk", registrant=owner)  # ticked: active
    r = await b.send(frames.contact_info(owner))
    assert r.code == 1000, r.msg
    assert r.text(".//contact:email") == MASKED


async def test_secondary_email_public_only_for_organisations(registry) -> None:
    a = await Agent.new(registry)
    b = await Agent.new(registry)
    company = await a.contact(user_type="company", org="Punktum dk A/S", cvr=PUNKTUM_CVR,
                              email="co@example.dk",
                              extra_ext=ext("secondaryEmail", "info@example.dk"))
    person = await a.contact(email="p@example.dk",
                             extra_ext=ext("secondaryEmail", "p2@example.dk"))
    await a.domain(f"{unique('co')}.dk", registrant=company, tick=False)
    await a.domain(f"{unique('pe')}.dk", registrant=person, tick=False)
    r = await b.send(frames.contact_info(company))
    assert r.text(".//contact:email") == MASKED
    assert r.dkhm("secondaryEmail") == "info@example.dk"
    r = await b.send(frames.contact_info(person))
    assert r.text(".//contact:email") == MASKED
    assert r.dkhm("secondaryEmail") is None
    r = await a.send(frames.contact_info(person))
    assert r.dkhm("secondaryEmail") == "p2@example.dk"


async def test_unknown_handle(registry) -> None:
    a = await Agent.new(registry)
    r = await a.send(frames.contact_info("ZZZ999999-DK"))
    assert r.code == 2303, r.msg
    assert "contact:id" in r.msg


async def test_handle_is_case_insensitive(registry) -> None:
    a = await Agent.new(registry)
    handle = await a.contact()
    r = await a.send(frames.contact_info(handle.lower()))
    assert r.code == 1000, r.msg
    assert r.text(".//contact:id") == handle


async def test_dkhm_45_session_gets_contact_verification(registry) -> None:
    """The response is validated against the dkhm-4.5 schema by the test client."""
    a = await Agent.new(registry, dkhm="4.5")
    pending = await a.contact(dkhm="4.5", verified=False)
    verified = await a.contact(dkhm="4.5", verified=True, email="v@example.dk")
    r = await a.send(frames.contact_info(pending))
    assert r.code == 1000, r.msg
    assert DKHM45.encode() in r.raw
    cv = r.find(".//dkhm45:contact_verification")
    assert cv is not None, r.raw
    assert cv.findtext("dkhm45:responsible", namespaces={"dkhm45": DKHM45}) == "registry"
    vid = cv.find("dkhm45:verified_id", {"dkhm45": DKHM45})
    assert (vid.text, vid.get("status"), vid.get("responsible")) == ("false", "pending",
                                                                     "registry")
    assert vid.get("expdate") == "2026-06-26T10:00:00.0Z"  # 25 days
    assert r.dkhm("sole_proprietorship") == "false"
    assert r.dkhm("contact_validated") == "0"
    # the check starts, with a fresh deadline, when the contact becomes registrant
    registry.clock.advance(timedelta(hours=2))
    await a.domain(f"{unique('due')}.dk", registrant=pending)
    r = await a.send(frames.contact_info(pending))
    for tag in ("verified_id", "verified_email"):
        el = r.find(f".//dkhm45:contact_verification/dkhm45:{tag}")
        assert (el.get("status"), el.get("expdate")) == ("pending", "2026-06-26T12:00:00.0Z")
    r = await a.send(frames.contact_info(verified))
    cv = r.find(".//dkhm45:contact_verification")
    for tag in ("verified_id", "verified_email"):
        el = cv.find(f"dkhm45:{tag}", {"dkhm45": DKHM45})
        assert (el.text, el.get("status"), el.get("expdate")) == ("true", "completed", None)
    assert r.dkhm("contact_validated") == "1"


async def test_dkhm_45_unrelated_registrar_gets_no_verification_details(registry) -> None:
    a = await Agent.new(registry, dkhm="4.5")
    b = await Agent.new(registry, dkhm="4.5")
    owner = await a.contact(dkhm="4.5", verified=True)
    await a.domain(f"{unique('nis')}.dk", registrant=owner, tick=False)
    r = await b.send(frames.contact_info(owner))
    assert r.code == 1000, r.msg
    assert r.text(".//contact:email") == MASKED
    assert r.find(".//dkhm45:contact_verification") is None
    assert r.dkhm("contact_validated") == "1"


async def test_phone_extension_rendered_as_x_attribute(registry) -> None:
    a = await Agent.new(registry, dkhm="4.5")
    frame = frames.contact_create(dkhm="4.5", extra_ext=ext("mobilephone", "+45.20304050",
                                                            "4.5"))
    frame = frame.replace("<contact:voice>", '<contact:voice x="42">')
    r = await a.send(frame)
    assert r.code == 1000, r.msg
    r = await a.send(frames.contact_info(r.text(".//contact:id")))
    voice = r.find(".//contact:voice")
    assert (voice.text, voice.get("x")) == ("+45.12345678", "42")
    assert r.dkhm("mobilephone") == "+45.20304050"


async def test_creator_sees_its_registrant_managed_contact(registry) -> None:
    c, _ = await registry.registrar_client()
    mgmt = ('<dkhm:management xmlns:dkhm="urn:dkhm:params:xml:ns:dkhm-4.3">registrant'
            "</dkhm:management>")
    r = await c.request(frames.contact_create(email="self@example.dk", extra_ext=mgmt))
    assert r.code == 1000, r.msg
    handle = r.text(".//contact:id")
    r = await c.request(frames.contact_info(handle))
    assert r.code == 1000
    assert r.text(".//contact:email") == "self@example.dk"
    assert r.text(".//contact:clID") == "DKHM1-DK"
    other, _ = await registry.registrar_client()
    assert (await other.request(frames.contact_info(handle))).code == 2201
