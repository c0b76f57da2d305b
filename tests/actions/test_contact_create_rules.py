"""create contact's field rules (model/contact_rules.py through actions/contact/create.py)
at the action. tests/epp/test_contact_create.py keeps one case of each rule over the
wire; tests/model/test_contact_rules.py tests the rule functions themselves."""

from __future__ import annotations

import pytest
from stdnum import ean as gs1_ean

from actions.world import Refusal, World, contact_input
from dkreg.actions.contact.create import ContactCreate, contact_create
from dkreg.model.contact_rules import ContactInput

PUNKTUM_CVR = "24210375"
OTHER_CVR = "13585628"
BAD_CVR = "24210376"  # fails the modulus-11 check
GOOD_EAN = "579000000000" + gs1_ean.calc_check_digit("579000000000")
BAD_EAN = GOOD_EAN[:-1] + str((int(GOOD_EAN[-1]) + 1) % 10)
PNUMBER = "1003388394"
ORG_TYPES = ["company", "public_organization", "association"]
DANISH_COMPANY = dict(user_type="company", org="Punktum dk A/S", cvr=PUNKTUM_CVR)
ADDR = "contact:postalInfo/contact:addr/contact:"
FOREIGN = dict(type="int", cc="DE", city="Berlin", pc="10115")


def create(data: ContactInput, id_: str = "auto", **kw: object) -> ContactCreate:
    return ContactCreate(id=id_, data=data, **kw)  # type: ignore[arg-type]


async def refused(world: World, data: ContactInput, code: int, reason: str, field: str,
                  **kw: object) -> None:
    assert await world.refusal(contact_create, create(data, **kw)) == \
        Refusal(code, reason, field, None)
    assert await world.scalar("select count(*) from contacts") == 0


async def stored(world: World, data: ContactInput) -> dict:
    handle = (await world.run(contact_create, create(data))).handle
    row = (await world.rows("select * from contacts where handle = :h", h=handle))[0]
    return dict(row._mapping)


@pytest.mark.parametrize("id_", ["JH1234-DK", "AUTO", "Force", "new", ""])
async def test_id_other_than_auto_or_force(world: World, id_: str) -> None:
    await refused(world, contact_input(), 2306, "policy", "contact:id", id_=id_)


# userType


@pytest.mark.parametrize(("sent", "kept"), [
    ("individual", "individual"), ("company", "company"),
    ("public_organization", "public_organization"), ("association", "association"),
    ("I", "individual"), ("C", "company"), ("P", "public_organization"),
    ("A", "association"),
])
async def test_user_types_and_legacy_letters(world: World, sent: str, kept: str) -> None:
    data = contact_input(user_type=sent) if kept == "individual" else contact_input(
        user_type=sent, name="Kontaktperson", org="Foreningen", cvr=PUNKTUM_CVR)
    assert (await stored(world, data))["user_type"] == kept


@pytest.mark.parametrize("value", ["person", "Company", "X", "individual company"])
async def test_unknown_user_type(world: World, value: str) -> None:
    await refused(world, contact_input(user_type=value), 2005, "value_syntax", "dkhm:userType")


@pytest.mark.parametrize("user_type", ORG_TYPES)
async def test_organisation_with_org_and_attention_name(world: World, user_type: str) -> None:
    row = await stored(world, contact_input(user_type=user_type, name="Anne Andersen",
                                            org="Eksempel A/S", cvr=OTHER_CVR))
    assert (row["org"], row["name"], row["handle"][:2]) == ("Eksempel A/S", "Anne Andersen",
                                                            "EA")


@pytest.mark.parametrize("user_type", ORG_TYPES)
async def test_organisation_needs_org_or_name(world: World, user_type: str) -> None:
    await refused(world, contact_input(user_type=user_type, name=None, cvr=OTHER_CVR), 2003,
                  "missing_parameter", "contact:name")


# CVR, P-number, EAN


@pytest.mark.parametrize("user_type", ORG_TYPES)
async def test_cvr_is_mandatory_for_danish_organisations(world: World, user_type: str) -> None:
    await refused(world, contact_input(user_type=user_type, org="Eksempel A/S"), 2003,
                  "cvr_required", "dkhm:CVR")


@pytest.mark.parametrize("cvr", [BAD_CVR, "1234567", "123456789", "ABCDEFGH"])
async def test_invalid_danish_cvr(world: World, cvr: str) -> None:
    await refused(world, contact_input(**{**DANISH_COMPANY, "cvr": cvr}), 2005, "invalid_cvr",
                  "dkhm:CVR")


@pytest.mark.parametrize(("kw", "value", "code", "reason"), [
    ({}, PNUMBER, 2306, "policy"),  # individual
    (dict(user_type="company", org="Beispiel GmbH", **FOREIGN), PNUMBER, 2306,
     "policy"),  # no Danish CVR
    (DANISH_COMPANY, "123456789", 2005, "value_syntax"),
    (DANISH_COMPANY, "10033883AB", 2005, "value_syntax"),
])
async def test_bad_pnumber(world: World, kw: dict, value: str, code: int, reason: str) -> None:
    await refused(world, contact_input(**kw, pnumber=value), code, reason, "dkhm:pnumber")


@pytest.mark.parametrize(("kw", "value", "code", "reason"), [
    ({}, GOOD_EAN, 2306, "policy"),  # individual
    (DANISH_COMPANY, BAD_EAN, 2005, "value_syntax"),
    (DANISH_COMPANY, "57900000", 2005, "value_syntax"),
])
async def test_bad_ean(world: World, kw: dict, value: str, code: int, reason: str) -> None:
    await refused(world, contact_input(**kw, ean=value), code, reason, "dkhm:EAN")


# phones and e-mail


@pytest.mark.parametrize("voice", ["12345678", "+45 12345678", "+45.1234567", "+45.123456789",
                                   "+999.12345678", "+45.1234567a", "+4512345678"])
async def test_bad_voice(world: World, voice: str) -> None:
    await refused(world, contact_input(voice=voice), 2005, "value_syntax", "contact:voice")


@pytest.mark.parametrize("voice", ["+45.33646000", "+46.812345678", "+1.2025550123",
                                   "+299.123456", "+49.301234567890", "+45.33646000x123"])
async def test_e164_voice_accepted(world: World, voice: str) -> None:
    assert (await stored(world, contact_input(voice=voice)))["voice"] == voice


@pytest.mark.parametrize("email", ["jens.example.dk", "jens@", "@example.dk", "jens@example",
                                   "jens hansen@example.dk"])
async def test_bad_email(world: World, email: str) -> None:
    await refused(world, contact_input(email=email), 2005, "value_syntax", "contact:email")


# postal information


@pytest.mark.parametrize(("kw", "code", "reason", "field"), [
    (dict(pc=""), 2003, "missing_parameter", ADDR + "pc"),
    (dict(pc="162"), 2005, "value_syntax", ADDR + "pc"),
    (dict(pc="DK-1620"), 2005, "value_syntax", ADDR + "pc"),
    (dict(cc="XX"), 2005, "value_syntax", ADDR + "cc"),
    (dict(cc="UK", pc="SW1A 1AA", type="int", city="London"), 2005, "value_syntax",
     ADDR + "cc"),
    (dict(street=[""]), 2003, "missing_parameter", ADDR + "street"),
    (dict(city=""), 2003, "missing_parameter", ADDR + "city"),
])
async def test_bad_address(world: World, kw: dict, code: int, reason: str, field: str) -> None:
    await refused(world, contact_input(**kw), code, reason, field)


# dkhm-4.5 contact_verification


@pytest.mark.parametrize(("vid", "vemail"), [(True, False), (False, True), (True, None),
                                             (None, False)])
async def test_verified_flags_must_be_equal(world: World, vid: bool | None,
                                            vemail: bool | None) -> None:
    await refused(world, contact_input(), 2306, "verified_mismatch",
                  "dkhm:contact_verification", verified_id=vid, verified_email=vemail)
