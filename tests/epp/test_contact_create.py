"""create contact over TLS EPP (SPEC-DIGEST §4.1, §4.2, §4.4).

Every refused create is checked three ways: the EPP result code, a message that names
the offending field, and an unchanged ``contacts`` table (nothing half-written). Each field
rule keeps one case here; the rest of each matrix runs at the action in
tests/actions/test_contact_create_rules.py.
"""

from __future__ import annotations

from xml.sax.saxutils import escape

import pytest
from stdnum import ean as gs1_ean

from support import frames
from support.epp_objects import HANDLE_RE, Agent, count

PUNKTUM_CVR = "24210375"  # the registry's own CVR, used in its examples
OTHER_CVR = "13585628"
BAD_CVR = "24210376"  # fails the modulus-11 check
GOOD_EAN = "579000000000" + gs1_ean.calc_check_digit("579000000000")
BAD_EAN = GOOD_EAN[:-1] + str((int(GOOD_EAN[-1]) + 1) % 10)
PNUMBER = "1003388394"

REUSE = "Contact already exists. Please re-use."
CREATED = "Contact created."


def dk(version: str = "4.3") -> str:
    return frames.dkhm_ns(version)


def ext(name: str, value: str, version: str = "4.3") -> str:
    return f'<dkhm:{name} xmlns:dkhm="{dk(version)}">{escape(value)}</dkhm:{name}>'


def verification(verified_id: str | None, verified_email: str | None) -> str:
    inner = ""
    if verified_id is not None:
        inner += f"<dkhm:verified_id>{verified_id}</dkhm:verified_id>"
    if verified_email is not None:
        inner += f"<dkhm:verified_email>{verified_email}</dkhm:verified_email>"
    return f'<dkhm:contact_verification xmlns:dkhm="{dk("4.5")}">{inner}' \
           "</dkhm:contact_verification>"


def postal(kind: str, *, name: str | None = "Jens Hansen", org: str | None = None,
           street: str = "Vesterbrogade 1", city: str = "København V", pc: str | None = "1620",
           cc: str = "DK") -> str:
    n = f"<contact:name>{escape(name)}</contact:name>" if name is not None else ""
    o = f"<contact:org>{escape(org)}</contact:org>" if org is not None else ""
    p = f"<contact:pc>{escape(pc)}</contact:pc>" if pc is not None else ""
    return (f'<contact:postalInfo type="{kind}">{n}{o}<contact:addr>'
            f"<contact:street>{escape(street)}</contact:street>"
            f"<contact:city>{escape(city)}</contact:city>{p}<contact:cc>{cc}</contact:cc>"
            "</contact:addr></contact:postalInfo>")


def create(*blocks: str, id_: str = "auto", voice: str | None = "+45.12345678",
           voice_x: str | None = None, email: str = "jens@example.dk",
           user_type: str = "individual", extension: str = "") -> str:
    """A contact:create with explicit postalInfo blocks and extension elements."""
    extension = ext("userType", user_type) + extension
    x = f' x="{voice_x}"' if voice_x is not None else ""
    v = f"<contact:voice{x}>{escape(voice)}</contact:voice>" if voice is not None else ""
    return frames.command(
        f"<create><contact:create {frames.CONTACT}><contact:id>{id_}</contact:id>"
        f"{''.join(blocks)}{v}<contact:email>{escape(email)}</contact:email>"
        "<contact:authInfo><contact:pw/></contact:authInfo></contact:create></create>",
        extension)


def company(**kw: object) -> str:
    """A Danish company with a CVR number (the registry's own example, as a frame)."""
    base: dict[str, object] = dict(name="Punktum dk A/S", user_type="company",
                                   street="Ørestads Boulevard 108, 11.",
                                   city="København S", pc="2300", cvr=PUNKTUM_CVR,
                                   email="punktum@punktum.dk", voice="+45.33646000")
    base.update(kw)
    return frames.contact_create(**base)  # type: ignore[arg-type]


async def refused(agent: Agent, frame: str, code: int, field: str) -> str:
    """Send a create that must fail; check code, field named, nothing written."""
    before = await count(agent.registry, "contacts")
    r = await agent.send(frame)
    assert r.code == code, r.msg
    assert field in r.msg, r.msg
    assert r.find(".//epp:resData") is None
    assert await count(agent.registry, "contacts") == before
    return r.msg


async def info(agent: Agent, handle: str):  # type: ignore[no-untyped-def]
    r = await agent.send(frames.contact_info(handle))
    assert r.code == 1000, r.msg
    return r


# ---------------------------------------------------------------------------------------
# auto / force and the handle


async def test_create_returns_registry_assigned_handle(registry) -> None:
    a = await Agent.new(registry)
    r = await a.send(frames.contact_create(name="Jens Hansen"))
    assert r.code == 1000, r.msg
    assert r.msg == CREATED
    handle = r.text(".//contact:id")
    assert HANDLE_RE.match(handle), handle
    assert handle.startswith("JH")
    assert r.text(".//contact:crDate").endswith("Z")
    assert await count(registry, "contacts") == 1


@pytest.mark.parametrize(("name", "org", "user_type", "cvr", "initials"), [
    ("Ærlig Øl Åben", None, "individual", None, "AOA"),
    ("Jens", None, "individual", None, "J"),
    ("Kontakt", "Punktum dk A/S", "company", PUNKTUM_CVR, "PDA"),
    ("123 456", None, "individual", None, "X"),
])
async def test_handle_format_and_initials(registry, name, org, user_type, cvr,
                                          initials) -> None:
    a = await Agent.new(registry)
    handle = await a.contact(name=name, org=org, user_type=user_type, cvr=cvr)
    assert HANDLE_RE.match(handle), handle
    assert handle.startswith(initials) and handle[len(initials)].isdigit(), handle


async def test_auto_reuses_identical_contact(registry) -> None:
    a = await Agent.new(registry)
    r1 = await a.send(frames.contact_create(id_="auto"))
    assert (r1.code, r1.msg) == (1000, CREATED)
    r2 = await a.send(frames.contact_create(id_="auto"))
    assert (r2.code, r2.msg) == (1000, REUSE)
    assert r2.text(".//contact:id") == r1.text(".//contact:id")
    assert await count(registry, "contacts") == 1


async def test_auto_does_not_reuse_a_contact_that_differs(registry) -> None:
    a = await Agent.new(registry)
    first = await a.contact(id_="auto")
    for variant in (dict(email="other@example.dk"), dict(voice="+45.87654321"),
                    dict(street="Vesterbrogade 2"), dict(name="Jens Hansen Jr.")):
        r = await a.send(frames.contact_create(id_="auto", **variant))  # type: ignore[arg-type]
        assert (r.code, r.msg) == (1000, CREATED), variant
        assert r.text(".//contact:id") != first
    assert await count(registry, "contacts") == 5


async def test_auto_never_reuses_another_registrars_contact(registry) -> None:
    a = await Agent.new(registry)
    b = await Agent.new(registry)
    mine = await a.contact(id_="auto")
    r = await b.send(frames.contact_create(id_="auto"))
    assert (r.code, r.msg) == (1000, CREATED)
    assert r.text(".//contact:id") != mine


async def test_force_always_makes_a_new_handle(registry) -> None:
    a = await Agent.new(registry)
    first = await a.contact(id_="auto")
    r = await a.send(frames.contact_create(id_="force"))
    assert (r.code, r.msg) == (1000, CREATED)
    forced = r.text(".//contact:id")
    assert forced != first and HANDLE_RE.match(forced)
    assert await count(registry, "contacts") == 2
    # auto afterwards still finds the first identical contact
    r = await a.send(frames.contact_create(id_="auto"))
    assert (r.msg, r.text(".//contact:id")) == (REUSE, first)


@pytest.mark.parametrize("id_", ["JH1234-DK"])
async def test_id_other_than_auto_or_force_is_refused(registry, id_) -> None:
    a = await Agent.new(registry)
    msg = await refused(a, frames.contact_create(id_=id_), 2306, "contact:id")
    assert msg.startswith("Parameter value policy error")


# ---------------------------------------------------------------------------------------
# userType


@pytest.mark.parametrize(("sent", "stored"), [("C", "company")])
async def test_user_types_and_legacy_letters(registry, sent, stored) -> None:
    a = await Agent.new(registry)
    if stored == "individual":
        handle = await a.contact(user_type=sent)
    else:
        handle = await a.contact(user_type=sent, name="Kontaktperson", org="Foreningen",
                                 cvr=PUNKTUM_CVR)
    assert (await info(a, handle)).dkhm("userType") == stored


async def test_user_type_is_mandatory(registry) -> None:
    a = await Agent.new(registry)
    await refused(a, frames.contact_create(user_type=""), 2003, "dkhm:userType")


@pytest.mark.parametrize("value", ["person"])
async def test_unknown_user_type_is_refused(registry, value) -> None:
    a = await Agent.new(registry)
    await refused(a, frames.contact_create(user_type=value), 2005, "dkhm:userType")


async def test_individual_must_not_send_org(registry) -> None:
    a = await Agent.new(registry)
    await refused(a, frames.contact_create(org="Hansen ApS"), 2306, "contact:org")


async def test_individual_needs_a_name(registry) -> None:
    a = await Agent.new(registry)
    await refused(a, frames.contact_create(name=None), 2003, "contact:name")
    await refused(a, frames.contact_create(name="   "), 2003, "contact:name")


@pytest.mark.parametrize("user_type", ["company"])
async def test_organisation_with_org_and_attention_name(registry, user_type) -> None:
    a = await Agent.new(registry)
    handle = await a.contact(user_type=user_type, name="Anne Andersen", org="Eksempel A/S",
                             cvr=OTHER_CVR)
    r = await info(a, handle)
    assert r.text(".//contact:org") == "Eksempel A/S"
    assert r.text(".//contact:name") == "Anne Andersen"
    assert handle.startswith("EA")


@pytest.mark.parametrize("user_type", ["association"])
async def test_organisation_needs_org_or_name(registry, user_type) -> None:
    a = await Agent.new(registry)
    await refused(a, frames.contact_create(user_type=user_type, name=None, cvr=OTHER_CVR),
                  2003, "contact:name")


async def test_organisation_named_only_in_contact_name_as_in_registry_example(registry) -> None:
    """The registry's own create example sends a company with only contact:name."""
    a = await Agent.new(registry)
    handle = await a.contact(name="Punktum dk A/S", user_type="company", cvr=PUNKTUM_CVR)
    assert handle.startswith("PDA")


# ---------------------------------------------------------------------------------------
# CVR, P-number, EAN


@pytest.mark.parametrize("user_type", ["public_organization"])
async def test_cvr_is_mandatory_for_danish_organisations(registry, user_type) -> None:
    a = await Agent.new(registry)
    msg = await refused(a, frames.contact_create(user_type=user_type, org="Eksempel A/S"),
                        2003, "dkhm:CVR")
    assert msg.startswith("Value required for extension.dkhm:CVR")


async def test_valid_cvr_is_stored_normalised(registry) -> None:
    a = await Agent.new(registry)
    handle = await a.contact(user_type="company", org="Punktum dk A/S", cvr="DK 2421 0375")
    assert (await info(a, handle)).dkhm("CVR") == PUNKTUM_CVR


@pytest.mark.parametrize("cvr", [BAD_CVR])
async def test_invalid_danish_cvr_is_refused(registry, cvr) -> None:
    a = await Agent.new(registry)
    msg = await refused(a, company(cvr=cvr), 2005, "dkhm:CVR")
    assert msg.startswith("Invalid CVR number")


async def test_cvr_is_not_for_individuals(registry) -> None:
    a = await Agent.new(registry)
    await refused(a, frames.contact_create(cvr=PUNKTUM_CVR), 2306, "dkhm:CVR")


async def test_foreign_organisation_may_omit_cvr_or_give_a_vat_number(registry) -> None:
    a = await Agent.new(registry)
    common = dict(user_type="company", org="Beispiel GmbH", name="Max Muster", cc="DE",
                  street="Hauptstrasse 1", city="Berlin", pc="10115", voice="+49.3012345678",
                  email="max@example.de")
    await a.contact(**common)
    handle = await a.contact(**common, cvr="DE123456789")
    assert (await info(a, handle)).dkhm("CVR") == "DE123456789"


async def test_pnumber_with_danish_cvr(registry) -> None:
    a = await Agent.new(registry)
    r = await a.send(company(extra_ext=ext("pnumber", PNUMBER)))
    assert r.code == 1000, r.msg
    assert (await info(a, r.text(".//contact:id"))).dkhm("pnumber") == PNUMBER


@pytest.mark.parametrize(("frame_kw", "value", "code"), [
    (dict(), PNUMBER, 2306),  # individual
    (dict(user_type="company", org="Punktum dk A/S", cvr=PUNKTUM_CVR), "123456789", 2005),
])
async def test_bad_pnumber_is_refused(registry, frame_kw, value, code) -> None:
    a = await Agent.new(registry)
    frame = frames.contact_create(**frame_kw, extra_ext=ext("pnumber", value))
    await refused(a, frame, code, "dkhm:pnumber")


async def test_ean_for_public_organisation(registry) -> None:
    a = await Agent.new(registry)
    r = await a.send(company(user_type="public_organization", extra_ext=ext("EAN", GOOD_EAN)))
    assert r.code == 1000, r.msg
    assert (await info(a, r.text(".//contact:id"))).dkhm("EAN") == GOOD_EAN


@pytest.mark.parametrize(("frame_kw", "value", "code"), [
    (dict(), GOOD_EAN, 2306),  # individual
    (dict(user_type="company", org="Punktum dk A/S", cvr=PUNKTUM_CVR), BAD_EAN, 2005),
])
async def test_bad_ean_is_refused(registry, frame_kw, value, code) -> None:
    a = await Agent.new(registry)
    frame = frames.contact_create(**frame_kw, extra_ext=ext("EAN", value))
    await refused(a, frame, code, "dkhm:EAN")


# ---------------------------------------------------------------------------------------
# Phones and e-mail


# an extension inside the number is the codec's refusal ("x" goes in the attribute)
@pytest.mark.parametrize("voice", ["12345678", "+45.12345678x123"])
async def test_bad_voice_is_refused(registry, voice) -> None:
    a = await Agent.new(registry)
    await refused(a, frames.contact_create(voice=voice), 2005, "contact:voice")


@pytest.mark.parametrize("voice", ["+46.812345678"])
async def test_e164_voice_accepted(registry, voice) -> None:
    a = await Agent.new(registry)
    handle = await a.contact(voice=voice)
    assert (await info(a, handle)).text(".//contact:voice") == voice


async def test_phone_extension_is_the_x_attribute(registry) -> None:
    """RFC 5733 e164Type: the extension travels in the x attribute, also in info."""
    a = await Agent.new(registry)
    r = await a.send(create(postal("loc"), voice="+45.33646000", voice_x="123"))
    assert r.code == 1000, r.msg
    el = (await info(a, r.text(".//contact:id"))).find(".//contact:voice")
    assert (el.text, el.get("x")) == ("+45.33646000", "123")
    await refused(a, create(postal("loc"), voice="+45.33646000", voice_x="12a"), 2005,
                  "contact:voice")


async def test_voice_is_optional(registry) -> None:
    a = await Agent.new(registry)
    handle = await a.contact(voice=None)
    assert (await info(a, handle)).find(".//contact:voice") is None


async def test_mobilephone(registry) -> None:
    a = await Agent.new(registry)
    r = await a.send(frames.contact_create(extra_ext=ext("mobilephone", "+45.20304050")))
    assert r.code == 1000, r.msg
    assert (await info(a, r.text(".//contact:id"))).dkhm("mobilephone") == "+45.20304050"
    await refused(a, frames.contact_create(extra_ext=ext("mobilephone", "20304050")),
                  2005, "dkhm:mobilephone")
    await refused(a, frames.contact_create(extra_ext=ext("mobilephone", "+45.203040")),
                  2005, "dkhm:mobilephone")


async def test_secondary_email(registry) -> None:
    a = await Agent.new(registry)
    r = await a.send(company(extra_ext=ext("secondaryEmail", "info@punktum.dk")))
    assert r.code == 1000, r.msg
    assert (await info(a, r.text(".//contact:id"))).dkhm("secondaryEmail") == "info@punktum.dk"
    for bad in ("info.punktum.dk", "info@punktum", "in fo@punktum.dk", "a@b@punktum.dk"):
        await refused(a, company(extra_ext=ext("secondaryEmail", bad)), 2005,
                      "dkhm:secondaryEmail")


@pytest.mark.parametrize("email", ["jens@example"])
async def test_bad_email_is_refused(registry, email) -> None:
    a = await Agent.new(registry)
    await refused(a, frames.contact_create(email=email), 2005, "contact:email")


async def test_email_is_mandatory(registry) -> None:
    a = await Agent.new(registry)
    await refused(a, frames.contact_create(email=""), 2003, "contact:email")


# ---------------------------------------------------------------------------------------
# Postal information: loc for Denmark, int (7-bit ASCII) elsewhere


async def test_danish_loc_may_use_local_letters(registry) -> None:
    a = await Agent.new(registry)
    handle = await a.contact(name="Søren Ærø", street="Åboulevarden 1", city="Århus C",
                             pc="8000")
    r = await info(a, handle)
    assert r.find(".//contact:postalInfo").get("type") == "loc"
    assert r.text(".//contact:name") == "Søren Ærø"
    assert r.text(".//contact:city") == "Århus C"


async def test_foreign_int_must_be_ascii(registry) -> None:
    a = await Agent.new(registry)
    foreign = dict(cc="DE", street="Hauptstrasse 1", pc="10115")
    await refused(a, create(postal("int", name="Jürgen Müller", city="Berlin", **foreign),
                            voice="+49.3012345678"), 2005, "contact:name")
    await refused(a, create(postal("int", name="Jurgen Muller", city="München", **foreign),
                            voice="+49.3012345678"), 2005, "contact:city")
    handle = await a.contact(name="Jurgen Muller", city="Muenchen", cc="DE",
                             street="Hauptstrasse 1", pc="80331", voice="+49.8912345678")
    r = await info(a, handle)
    assert r.find(".//contact:postalInfo").get("type") == "int"
    assert r.text(".//contact:cc") == "DE"


async def test_int_block_used_for_foreign_address_when_both_are_sent(registry) -> None:
    a = await Agent.new(registry)
    foreign = dict(cc="DE", street="Hauptstrasse 1", pc="10115")
    frame = create(postal("loc", name="Jürgen Müller", city="Köln", **foreign),
                   postal("int", name="Juergen Mueller", city="Koeln", **foreign),
                   voice="+49.2211234567")
    r = await a.send(frame)
    assert r.code == 1000, r.msg
    r = await info(a, r.text(".//contact:id"))
    assert r.find(".//contact:postalInfo").get("type") == "int"
    assert r.text(".//contact:name") == "Juergen Mueller"
    # the int block is the one used, so it must be ASCII even next to a loc block
    bad = create(postal("loc", name="Jürgen Müller", city="Köln", **foreign),
                 postal("int", name="Jürgen Müller", city="Koeln", **foreign),
                 voice="+49.2211234567")
    await refused(a, bad, 2005, "contact:name")


async def test_loc_block_used_for_danish_address_and_int_ignored(registry) -> None:
    a = await Agent.new(registry)
    frame = create(postal("loc", name="Søren Ærø"),
                   postal("int", name="Søren Ærø", city="København V"))
    r = await a.send(frame)
    assert r.code == 1000, r.msg
    r = await info(a, r.text(".//contact:id"))
    assert r.find(".//contact:postalInfo").get("type") == "loc"
    assert r.text(".//contact:name") == "Søren Ærø"


async def test_danish_address_sent_only_as_int_must_be_ascii(registry) -> None:
    a = await Agent.new(registry)
    await refused(a, frames.contact_create(postal_type="int", city="København V"), 2005,
                  "contact:city")


@pytest.mark.parametrize(("kw", "code", "field"), [
    (dict(pc="162"), 2005, "contact:pc"),
    (dict(city=""), 2003, "contact:city"),
])
async def test_bad_address_is_refused(registry, kw, code, field) -> None:
    a = await Agent.new(registry)
    await refused(a, frames.contact_create(**kw), code, field)


async def test_two_postal_blocks_of_the_same_type_are_refused(registry) -> None:
    a = await Agent.new(registry)
    await refused(a, create(postal("loc"), postal("loc")), 2005, "contact:postalInfo")


# ---------------------------------------------------------------------------------------
# dkhm-4.5: NIS2 contact_verification and sole_proprietorship


# "1" is xsd:boolean true: the codec decodes it before the rule applies
@pytest.mark.parametrize(("vid", "vemail"), [("true", None), ("1", "false")])
async def test_verified_flags_must_be_equal(registry, vid, vemail) -> None:
    a = await Agent.new(registry, dkhm="4.5")
    frame = frames.contact_create(dkhm="4.5", extra_ext=verification(vid, vemail))
    msg = await refused(a, frame, 2306, "dkhm:contact_verification")
    assert msg.startswith("Same value required for both verified_id and verified_email.")


@pytest.mark.parametrize(("flag", "status"), [(True, "completed"), (False, "pending")])
async def test_verified_flags_on_create(registry, flag, status) -> None:
    a = await Agent.new(registry, dkhm="4.5")
    handle = await a.contact(verified=flag, dkhm="4.5")
    r = await info(a, handle)
    for tag in ("verified_id", "verified_email"):
        el = r.find(f".//dkhm45:contact_verification/dkhm45:{tag}")
        assert el is not None, r.raw
        assert (el.text, el.get("status")) == ("true" if flag else "false", status)
    assert r.dkhm("contact_validated") == ("1" if flag else "0")


async def test_unknown_verification_child_is_refused(registry) -> None:
    a = await Agent.new(registry, dkhm="4.5")
    cv = (f'<dkhm:contact_verification xmlns:dkhm="{dk("4.5")}"><dkhm:responsible>registrar'
          "</dkhm:responsible></dkhm:contact_verification>")
    await refused(a, frames.contact_create(dkhm="4.5", extra_ext=cv), 2306, "responsible")


async def test_sole_proprietorship(registry) -> None:
    a = await Agent.new(registry, dkhm="4.5")
    foreign = dict(user_type="company", name="Test A/S", cc="FR", street="Postbox 123",
                   city="Paris", pc="14588", voice="+33.325458877", dkhm="4.5")
    r = await a.send(frames.contact_create(
        **foreign, extra_ext=ext("sole_proprietorship", "true", "4.5")))  # type: ignore[arg-type]
    assert r.code == 1000, r.msg
    assert (await info(a, r.text(".//contact:id"))).dkhm("sole_proprietorship") == "true"
    # Danish data comes from the CVR register: the flag must not be sent for cc DK
    await refused(a, frames.contact_create(
        dkhm="4.5", extra_ext=ext("sole_proprietorship", "false", "4.5")),
        2306, "dkhm:sole_proprietorship")


# ---------------------------------------------------------------------------------------
# Other refusals


async def test_disclose_is_not_implemented(registry) -> None:
    a = await Agent.new(registry)
    frame = frames.contact_create().replace(
        "</contact:authInfo>",
        '</contact:authInfo><contact:disclose flag="0"><contact:voice/></contact:disclose>')
    await refused(a, frame, 2102, "contact:disclose")


async def test_extension_foreign_to_contact_create_is_refused(registry) -> None:
    a = await Agent.new(registry)
    frame = frames.contact_create(extra_ext=ext("orderconfirmationToken", "1700000000"))
    await refused(a, frame, 2001, "orderconfirmationToken")


async def test_failed_create_after_good_ones_leaves_them_alone(registry) -> None:
    a = await Agent.new(registry)
    await a.contact()
    await a.contact(email="other@example.dk")
    await refused(a, frames.contact_create(voice="bad"), 2005, "contact:voice")
    await refused(a, frames.contact_create(user_type="company", org="X A/S"), 2003,
                  "dkhm:CVR")
    assert await count(registry, "contacts") == 2


async def test_auto_with_verification_claim_does_not_reuse_unverified(registry) -> None:
    c, _ = await registry.registrar_client(dkhm="4.5")
    plain = await c.request(frames.contact_create(email="claim@example.dk", dkhm="4.5"))
    claimed = await c.request(frames.contact_create(email="claim@example.dk", dkhm="4.5",
                                                    verified=True))
    assert plain.code == claimed.code == 1000
    assert claimed.msg == "Contact created."
    assert claimed.text(".//contact:id") != plain.text(".//contact:id")
    r = await c.request(frames.contact_info(claimed.text(".//contact:id")))
    assert r.find(".//dkhm45:verified_id").get("status") == "completed"


async def test_nis2_elements_need_the_45_namespace(registry) -> None:
    c, _ = await registry.registrar_client()
    r = await c.request(frames.contact_create(email="old-ns@example.dk", verified=True,
                                              dkhm="4.3"))
    assert r.code == 2001
    assert "dkhm:contact_verification" in r.msg and "dkhm-4.5" in r.msg


@pytest.mark.parametrize("backend", ["postgres"], indirect=True)
async def test_identical_auto_creates_at_once_give_one_contact(registry) -> None:
    import asyncio

    clients = [(await registry.registrar_client())[0]]
    _, login = None, await registry.scalar(
        "select login from users order by id desc limit 1")
    clients += [await registry.client(login) for _ in range(7)]
    xml = frames.contact_create(email="twin@example.dk", name="Tvilling Test")
    replies = await asyncio.gather(*(c.request(xml) for c in clients))
    handles = {r.text(".//contact:id") for r in replies}
    assert all(r.code == 1000 for r in replies)
    assert len(handles) == 1
    assert await registry.scalar(
        "select count(*) from contacts where email = 'twin@example.dk'") == 1
