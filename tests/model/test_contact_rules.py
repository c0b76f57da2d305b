"""Contact rules for contact:create with dkhm extensions (dkreg.model.contact_rules)."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from stdnum import ean as gs1_ean
from stdnum.dk import cvr as dk_cvr

from dkreg.errors import EppError
from dkreg.model import contact_rules as cr
from dkreg.model.contact_rules import (
    CALLING_CODES,
    ISO_3166_ALPHA2,
    ContactInput,
    PostalInfo,
    ValidContact,
    initials_for,
    validate_contact,
)

PUNKTUM_CVR = "24210375"
BAD_CVRS = [PUNKTUM_CVR[:-1] + d for d in "0123456789" if d != PUNKTUM_CVR[-1]]
GOOD_EAN = "579000000000" + gs1_ean.calc_check_digit("579000000000")
OTHER_EAN = "579800012345" + gs1_ean.calc_check_digit("579800012345")
BAD_EAN = GOOD_EAN[:-1] + str((int(GOOD_EAN[-1]) + 1) % 10)


def dk_postal(**kw: Any) -> PostalInfo:
    base: dict[str, Any] = dict(type="loc", name="Punktum dk A/S", org=None,
                                street=["Ørestads Boulevard 108, 11."], city="København S",
                                sp=None, pc="2300", cc="DK")
    base.update(kw)
    return PostalInfo(**base)


def foreign_postal(**kw: Any) -> PostalInfo:
    base: dict[str, Any] = dict(type="int", name="Jane Doe", org="Example AB",
                                street=["Storgatan 1"], city="Stockholm", sp=None,
                                pc="111 22", cc="SE")
    base.update(kw)
    return PostalInfo(**base)


def contact(**kw: Any) -> ContactInput:
    """A valid Danish company (the registry's own create example)."""
    base: dict[str, Any] = dict(postal=[dk_postal()], voice="+45.33646000", fax=None,
                                email="punktum@punktum.dk", user_type="company",
                                cvr=PUNKTUM_CVR, ean=None, pnumber=None,
                                mobilephone="+45.33646001", secondary_email=None)
    base.update(kw)
    return ContactInput(**base)


def individual(**kw: Any) -> ContactInput:
    base: dict[str, Any] = dict(
        postal=[dk_postal(name="Test Testesen")], user_type="individual", cvr=None)
    base.update(kw)
    return contact(**base)


def foreign(**kw: Any) -> ContactInput:
    base: dict[str, Any] = dict(postal=[foreign_postal()], voice="+46.812345678",
                                cvr=None, mobilephone=None)
    base.update(kw)
    return contact(**base)


def fails(c: ContactInput, code: int, reason: str, field: str,
          position: int | None = None) -> EppError:
    with pytest.raises(EppError) as info:
        validate_contact(c)
    error = info.value
    assert (error.code, error.reason, error.field) == (code, reason, field), error.detail
    if position is not None:
        assert error.position == position
    assert error.detail, "every error must explain the rule"
    return error


# --------------------------------------------------------------------------- happy paths


def test_registry_example_company() -> None:
    v = validate_contact(contact())
    assert v == ValidContact(
        user_type="company", name="Punktum dk A/S", org=None,
        street=["Ørestads Boulevard 108, 11."], city="København S", sp=None, pc="2300",
        cc="DK", postal_type="loc", voice="+45.33646000", fax=None,
        email="punktum@punktum.dk", cvr=PUNKTUM_CVR, ean=None, pnumber=None,
        mobilephone="+45.33646001", secondary_email=None, sole_proprietorship=False)
    assert v.entity_name == "Punktum dk A/S"
    assert v.attention is None


def test_registry_nis2_example_foreign_association_with_only_loc() -> None:
    c = contact(
        postal=[PostalInfo(type="loc", name="Test A/S", org=None, street=["Postbox 123"],
                           city="Paris", sp="", pc="14588", cc="FR")],
        voice="+33.0325458877", email="vitester@dk-hostmaster.dk", user_type="association",
        cvr="1414441", mobilephone=None, sole_proprietorship=True)
    v = validate_contact(c)
    assert (v.cc, v.postal_type, v.cvr, v.sole_proprietorship, v.sp) == (
        "FR", "loc", "1414441", True, None)


def test_registry_example_with_loc_and_int_for_denmark() -> None:
    c = contact(postal=[
        dk_postal(name="Johnny Login", org="DK Hostmaster A/S",
                  street=["Kalvebod brygge 45, 3. sal"], city="København V", pc="1560"),
        dk_postal(type="int", name="Johnny Login", org="DK Hostmaster A/S",
                  street=["Kalvebod brygge 45, 3."], city="Copenhagen V", pc="1560"),
    ])
    v = validate_contact(c)
    assert (v.postal_type, v.city, v.org, v.name) == (
        "loc", "København V", "DK Hostmaster A/S", "Johnny Login")
    assert v.entity_name == "DK Hostmaster A/S"
    assert v.attention == "Johnny Login"


def test_whitespace_is_stripped_and_empty_means_absent() -> None:
    c = contact(postal=[dk_postal(name="  Punktum dk A/S ", street=[" Vej 1 ", "", "  "],
                                  city=" Kbh ", sp="  ")],
                voice=" +45.33646000 ", fax="", email=" a@b.dk ", mobilephone="  ",
                secondary_email="", ean=" ", pnumber="", cvr=f" {PUNKTUM_CVR} ")
    v = validate_contact(c)
    assert (v.name, v.street, v.city, v.sp, v.voice, v.fax, v.email, v.mobilephone) == (
        "Punktum dk A/S", ["Vej 1"], "Kbh", None, "+45.33646000", None, "a@b.dk", None)
    assert (v.secondary_email, v.ean, v.pnumber, v.cvr) == (None, None, None, PUNKTUM_CVR)


# --------------------------------------------------------------------------- userType


@pytest.mark.parametrize("raw", [None, "", "   "])
def test_user_type_missing(raw: str | None) -> None:
    fails(contact(user_type=raw), 2003, "missing_parameter", "dkhm:userType")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("company", "company"),
        ("public_organization", "public_organization"),
        ("association", "association"),
        ("individual", "individual"),
        ("C", "company"),
        ("P", "public_organization"),
        ("A", "association"),
        ("I", "individual"),
        (" company ", "company"),
    ],
)
def test_user_type_values(raw: str, expected: str) -> None:
    c = individual(user_type=raw) if expected == "individual" else contact(user_type=raw)
    assert validate_contact(c).user_type == expected


@pytest.mark.parametrize("raw", ["Company", "COMPANY", "public organization", "private",
                                 "c", "X", "person"])
def test_user_type_invalid(raw: str) -> None:
    fails(contact(user_type=raw), 2005, "value_syntax", "dkhm:userType")


def test_user_type_checked_first() -> None:
    fails(contact(user_type=None, email="broken"), 2003, "missing_parameter", "dkhm:userType")


# --------------------------------------------------------------------------- name / org


def test_individual_valid() -> None:
    v = validate_contact(individual())
    assert (v.user_type, v.name, v.org, v.cvr) == ("individual", "Test Testesen", None, None)


def test_individual_needs_name() -> None:
    fails(individual(postal=[dk_postal(name=None)]), 2003, "missing_parameter", "contact:name")
    fails(individual(postal=[dk_postal(name="  ")]), 2003, "missing_parameter", "contact:name")


def test_individual_must_not_send_org() -> None:
    fails(individual(postal=[dk_postal(name="Test", org="Firma ApS")]), 2306, "policy",
          "contact:org")


def test_individual_empty_org_is_absent() -> None:
    assert validate_contact(individual(postal=[dk_postal(name="Test", org="")])).org is None


@pytest.mark.parametrize("user_type", ["company", "public_organization", "association"])
def test_organisation_name_rules(user_type: str) -> None:
    only_name = validate_contact(contact(user_type=user_type))
    assert (only_name.name, only_name.org) == ("Punktum dk A/S", None)
    only_org = validate_contact(contact(user_type=user_type,
                                        postal=[dk_postal(name=None, org="Punktum dk A/S")]))
    assert (only_org.entity_name, only_org.attention) == ("Punktum dk A/S", None)
    both = validate_contact(contact(user_type=user_type,
                                    postal=[dk_postal(name="Jens", org="Punktum dk A/S")]))
    assert (both.entity_name, both.attention) == ("Punktum dk A/S", "Jens")
    fails(contact(user_type=user_type, postal=[dk_postal(name=None, org=None)]),
          2003, "missing_parameter", "contact:name")


def test_name_length_and_control_characters() -> None:
    assert validate_contact(contact(postal=[dk_postal(name="N" * 255)])).name == "N" * 255
    fails(contact(postal=[dk_postal(name="N" * 256)]), 2005, "value_syntax", "contact:name")
    fails(contact(postal=[dk_postal(name="A\x07B")]), 2005, "value_syntax", "contact:name")
    fails(contact(postal=[dk_postal(org="O" * 256)]), 2005, "value_syntax", "contact:org")


# --------------------------------------------------------------------------- CVR


@pytest.mark.parametrize("user_type", ["company", "public_organization", "association"])
def test_cvr_required_for_danish_organisations(user_type: str) -> None:
    fails(contact(user_type=user_type, cvr=None), 2003, "cvr_required", "dkhm:CVR")
    fails(contact(user_type=user_type, cvr="  "), 2003, "cvr_required", "dkhm:CVR")


@pytest.mark.parametrize("bad", [*BAD_CVRS, "2421037", "242103750", "ABCDEFGH", "2421-0375x"])
def test_invalid_danish_cvr(bad: str) -> None:
    assert not dk_cvr.is_valid(bad)
    fails(contact(cvr=bad), 2005, "invalid_cvr", "dkhm:CVR")


@pytest.mark.parametrize("spelling", ["24210375", "DK24210375", "24 21 03 75", "dk 24210375"])
def test_danish_cvr_is_normalised(spelling: str) -> None:
    assert validate_contact(contact(cvr=spelling)).cvr == PUNKTUM_CVR


def test_cvr_not_allowed_for_individuals() -> None:
    fails(individual(cvr=PUNKTUM_CVR), 2306, "policy", "dkhm:CVR")
    fails(foreign(user_type="individual", postal=[foreign_postal(org=None)], cvr="SE1"),
          2306, "policy", "dkhm:CVR")


def test_foreign_vat_numbers() -> None:
    assert validate_contact(foreign()).cvr is None  # optional abroad
    assert validate_contact(foreign(cvr="SE556012345601")).cvr == "SE556012345601"
    assert validate_contact(foreign(cvr="SE 5560  1234 5601")).cvr == "SE 5560 1234 5601"
    assert validate_contact(foreign(cvr="X" * 50)).cvr == "X" * 50
    # not checked against the Danish modulus 11
    assert validate_contact(foreign(cvr=BAD_CVRS[0])).cvr == BAD_CVRS[0]
    fails(foreign(cvr="X" * 51), 2005, "invalid_cvr", "dkhm:CVR")


# --------------------------------------------------------------------------- P-number


def test_pnumber() -> None:
    assert validate_contact(contact(pnumber="1012345678")).pnumber == "1012345678"
    for bad in ["101234567", "10123456789", "10123456a8", "１０１２３４５６７８"]:
        fails(contact(pnumber=bad), 2005, "value_syntax", "dkhm:pnumber")


def test_pnumber_needs_a_danish_cvr() -> None:
    fails(foreign(pnumber="1012345678"), 2306, "policy", "dkhm:pnumber")
    fails(foreign(cvr="SE556012345601", pnumber="1012345678"), 2306, "policy", "dkhm:pnumber")
    fails(individual(pnumber="1012345678"), 2306, "policy", "dkhm:pnumber")


# --------------------------------------------------------------------------- EAN


def test_ean() -> None:
    assert gs1_ean.is_valid(GOOD_EAN) and gs1_ean.is_valid(OTHER_EAN)
    assert validate_contact(contact(ean=GOOD_EAN)).ean == GOOD_EAN
    assert validate_contact(contact(user_type="public_organization", ean=OTHER_EAN)).ean \
        == OTHER_EAN
    assert validate_contact(foreign(ean=GOOD_EAN)).ean == GOOD_EAN


@pytest.mark.parametrize("bad", [BAD_EAN, GOOD_EAN[:-1], GOOD_EAN + "0", "57900000000O5",
                                 "96385074", "5790000-00000"])
def test_invalid_ean(bad: str) -> None:
    fails(contact(ean=bad), 2005, "value_syntax", "dkhm:EAN")


def test_ean_not_for_individuals() -> None:
    fails(individual(ean=GOOD_EAN), 2306, "policy", "dkhm:EAN")


# --------------------------------------------------------------------------- postal info


def test_no_postal_info() -> None:
    fails(contact(postal=[]), 2003, "missing_parameter", "contact:postalInfo")


def test_postal_type_errors() -> None:
    fails(contact(postal=[dk_postal(type="local")]), 2005, "value_syntax",
          "contact:postalInfo/@type", position=0)
    fails(contact(postal=[dk_postal(), dk_postal()]), 2005, "value_syntax",
          "contact:postalInfo/@type", position=1)


def test_denmark_uses_loc_and_ignores_int() -> None:
    # The int block is discarded for Danish contacts, so its content does not matter.
    c = contact(postal=[dk_postal(type="int", city="Kø", street=["Æ"], cc="XX"), dk_postal()])
    v = validate_contact(c)
    assert (v.postal_type, v.city) == ("loc", "København S")


def test_foreign_uses_int_and_ignores_loc() -> None:
    c = foreign(postal=[foreign_postal(type="loc", city="Göteborg", cc="ZZ"), foreign_postal()])
    v = validate_contact(c)
    assert (v.postal_type, v.city, v.cc) == ("int", "Stockholm", "SE")


def test_fallbacks_to_the_only_block() -> None:
    dk_int = validate_contact(contact(postal=[dk_postal(type="int", city="Copenhagen S",
                                                        street=["Orestads Boulevard 108"])]))
    assert (dk_int.postal_type, dk_int.cc) == ("int", "DK")
    se_loc = validate_contact(foreign(postal=[foreign_postal(type="loc", city="Göteborg")]))
    assert (se_loc.postal_type, se_loc.city) == ("loc", "Göteborg")


@pytest.mark.parametrize(
    ("postal", "field", "position"),
    [
        (foreign_postal(name="Jöns"), "contact:name", None),
        (foreign_postal(org="Exämple AB"), "contact:org", None),
        (foreign_postal(street=["Storgatan 1", "Våning 2"]),
         "contact:postalInfo/contact:addr/contact:street", 1),
        (foreign_postal(city="Göteborg"), "contact:postalInfo/contact:addr/contact:city", None),
        (foreign_postal(sp="Västra Götaland"), "contact:postalInfo/contact:addr/contact:sp",
         None),
        (foreign_postal(pc="ÅÄÖ"), "contact:postalInfo/contact:addr/contact:pc", None),
    ],
)
def test_int_must_be_ascii(postal: PostalInfo, field: str, position: int | None) -> None:
    fails(foreign(postal=[postal]), 2005, "value_syntax", field, position=position)


@pytest.mark.parametrize("cc", ["dk", "Dk", " DK "])
def test_country_code_is_case_insensitive(cc: str) -> None:
    assert validate_contact(contact(postal=[dk_postal(cc=cc)])).cc == "DK"


@pytest.mark.parametrize("cc", ["XX", "EU", "UK", "XK", "DNK", "D", "45", "ÆØ"])
def test_invalid_country_code(cc: str) -> None:
    fails(foreign(postal=[foreign_postal(cc=cc)]), 2005, "value_syntax",
          "contact:postalInfo/contact:addr/contact:cc")


@pytest.mark.parametrize("cc", [None, "", "  "])
def test_missing_country_code(cc: str | None) -> None:
    fails(foreign(postal=[foreign_postal(cc=cc)]), 2003, "missing_parameter",
          "contact:postalInfo/contact:addr/contact:cc")


def test_country_list_matches_tzdata() -> None:
    tzdata = pytest.importorskip("tzdata")
    tab = Path(tzdata.__file__).parent / "zoneinfo" / "iso3166.tab"
    if not tab.exists():
        pytest.skip("tzdata has no iso3166.tab")
    codes = {line.split("\t")[0] for line in tab.read_text(encoding="utf-8").splitlines()
             if line and not line.startswith("#")}
    assert codes == ISO_3166_ALPHA2
    assert len(ISO_3166_ALPHA2) == 249


@pytest.mark.parametrize("pc", ["230", "23000", "DK-2300", "2300 ", "23 0", "abcd"])
def test_danish_postcode_is_four_digits(pc: str) -> None:
    if pc.strip() == "2300":
        assert validate_contact(contact(postal=[dk_postal(pc=pc)])).pc == "2300"
        return
    fails(contact(postal=[dk_postal(pc=pc)]), 2005, "value_syntax",
          "contact:postalInfo/contact:addr/contact:pc")


def test_danish_postcode_is_mandatory() -> None:
    fails(contact(postal=[dk_postal(pc=None)]), 2003, "missing_parameter",
          "contact:postalInfo/contact:addr/contact:pc")


def test_foreign_postcode() -> None:
    assert validate_contact(foreign(postal=[foreign_postal(pc=None)])).pc is None
    assert validate_contact(foreign(postal=[foreign_postal(pc="SW1A 1AA", cc="GB")])).pc \
        == "SW1A 1AA"
    fails(foreign(postal=[foreign_postal(pc="1" * 17)]), 2005, "value_syntax",
          "contact:postalInfo/contact:addr/contact:pc")
    # Greenland and the Faroe Islands are their own countries, not DK.
    assert validate_contact(foreign(postal=[foreign_postal(pc="100", cc="FO")])).cc == "FO"


def test_street_lines() -> None:
    street = "contact:postalInfo/contact:addr/contact:street"
    three = validate_contact(contact(postal=[dk_postal(street=["a", "b", "c"])]))
    assert three.street == ["a", "b", "c"]
    dropped = validate_contact(contact(postal=[dk_postal(street=["a", "", "b", " ", "c"])]))
    assert dropped.street == ["a", "b", "c"]
    fails(contact(postal=[dk_postal(street=["a", "b", "c", "d"])]), 2005, "value_syntax",
          street)
    fails(contact(postal=[dk_postal(street=[])]), 2003, "missing_parameter", street)
    fails(contact(postal=[dk_postal(street=["", " "])]), 2003, "missing_parameter", street)
    fails(contact(postal=[dk_postal(street=["ok", "x" * 256])]), 2005, "value_syntax",
          street, position=1)
    fails(contact(postal=[dk_postal(street=["Vej\n1"])]), 2005, "value_syntax", street,
          position=0)


def test_city() -> None:
    city = "contact:postalInfo/contact:addr/contact:city"
    fails(contact(postal=[dk_postal(city="")]), 2003, "missing_parameter", city)
    fails(contact(postal=[dk_postal(city="  ")]), 2003, "missing_parameter", city)
    fails(contact(postal=[dk_postal(city="K" * 256)]), 2005, "value_syntax", city)


def test_state_province() -> None:
    assert validate_contact(foreign(postal=[foreign_postal(sp="VA", cc="US")])).sp == "VA"
    fails(foreign(postal=[foreign_postal(sp="S" * 256)]), 2005, "value_syntax",
          "contact:postalInfo/contact:addr/contact:sp")


# --------------------------------------------------------------------------- phones

PHONE_FIELDS = [("voice", "contact:voice"), ("fax", "contact:fax"),
                ("mobilephone", "dkhm:mobilephone")]


@pytest.mark.parametrize(("attr", "field"), PHONE_FIELDS)
@pytest.mark.parametrize(
    "number",
    ["+45.33646000", "+45.12345678x123", "+1.7034444444", "+44.2079460000", "+298.123456",
     "+299.123456", "+33.0325458877", "+358.40123456789", "+7.4951234567", "+882.1234567"],
)
def test_valid_phones(attr: str, field: str, number: str) -> None:
    assert getattr(validate_contact(contact(**{attr: number})), attr) == number


@pytest.mark.parametrize(("attr", "field"), PHONE_FIELDS)
@pytest.mark.parametrize(
    "number",
    [
        "33646000",
        "+4533646000",
        "+45 33646000",
        "+45.3364 6000",
        "45.33646000",
        "+45.",
        "+.33646000",
        "+45.3364600",  # 7 digits for Denmark
        "+45.336460000",  # 9 digits for Denmark
        "+298.12345",
        "+299.1234567",
        "+999.1234567",  # unassigned country code
        "+388.1234567",  # withdrawn
        "+0.1234567",
        "+1234.5678",
        "+358.1234567890123",  # 18 characters
        "+1.123456789012345",  # 15 national digits
        "+45.33646000x",
        "+45.33646000x12a",
        "+45.3364600O",
    ],
)
def test_invalid_phones(attr: str, field: str, number: str) -> None:
    fails(contact(**{attr: number}), 2005, "value_syntax", field)


def test_calling_codes_sanity() -> None:
    assert {"1", "7", "45", "46", "47", "298", "299", "354", "358"} <= CALLING_CODES
    assert not {"0", "28", "42", "210", "259", "388", "671", "684", "999"} & CALLING_CODES


# --------------------------------------------------------------------------- e-mail

EMAIL_FIELDS = [("email", "contact:email"), ("secondary_email", "dkhm:secondaryEmail")]


@pytest.mark.parametrize(("attr", "field"), EMAIL_FIELDS)
@pytest.mark.parametrize(
    "address",
    ["a@b.dk", "first.last+tag@sub.example.co.uk", "Punktum@Punktum.DK", "jens@æøå.dk",
     "x" * 64 + "@example.dk", "a@" + "b" * 248 + ".dk"],
)
def test_valid_emails(attr: str, field: str, address: str) -> None:
    assert getattr(validate_contact(contact(**{attr: address})), attr) == address


@pytest.mark.parametrize(("attr", "field"), EMAIL_FIELDS)
@pytest.mark.parametrize(
    "address",
    ["plain", "a@b", "@b.dk", "a@@b.dk", "a@b@c.dk", "a b@c.dk", "a@b .dk", "a@.dk",
     "a@b.", "a@b..dk", "a\t@b.dk", "a@b.dk\x00", "x" * 65 + "@example.dk",
     "a@" + "b" * 250 + ".dk"],
)
def test_invalid_emails(attr: str, field: str, address: str) -> None:
    fails(contact(**{attr: address}), 2005, "value_syntax", field)


@pytest.mark.parametrize("raw", [None, "", "  "])
def test_email_is_mandatory(raw: str | None) -> None:
    fails(contact(email=raw), 2003, "missing_parameter", "contact:email")


# --------------------------------------------------------------------------- NIS2 flag


def test_sole_proprietorship() -> None:
    assert validate_contact(foreign()).sole_proprietorship is False
    assert validate_contact(foreign(sole_proprietorship=True)).sole_proprietorship is True
    assert validate_contact(foreign(sole_proprietorship=False)).sole_proprietorship is False
    for value in (True, False):
        fails(contact(sole_proprietorship=value), 2306, "policy", "dkhm:sole_proprietorship")
        fails(individual(sole_proprietorship=value), 2306, "policy",
              "dkhm:sole_proprietorship")
    foreign_person = foreign(user_type="individual", postal=[foreign_postal(org=None)])
    assert validate_contact(foreign_person).sole_proprietorship is False
    assert validate_contact(dataclasses.replace(foreign_person, sole_proprietorship=False)) \
        .sole_proprietorship is False
    fails(dataclasses.replace(foreign_person, sole_proprietorship=True), 2306, "policy",
          "dkhm:sole_proprietorship")


# --------------------------------------------------------------------------- handles


@pytest.mark.parametrize(
    ("name", "org", "expected"),
    [
        ("Punktum dk A/S", None, "PDA"),
        (None, "DK Hostmaster A/S", "DHA"),
        ("Johnny Login", "DK Hostmaster A/S", "DHA"),  # the entity, not the attention
        ("Test A/S", None, "TA"),
        ("Test Testesen", None, "TT"),
        ("Øjvind Ærø Åberg", None, "OAA"),
        ("Élodie Ångström-Müller", None, "EA"),
        ("Hans-Peter Ølgaard", None, "HO"),
        ("Firma / Afdeling", None, "FA"),
        ("Straße", None, "S"),
        ("jens hansen", None, "JH"),
        ("Anne Marie Louise Jensen", None, "AML"),
        ("3M Danmark A/S", None, "MDA"),
        ("123 456", None, "X"),
        ("", "", "X"),
        (None, None, "X"),
        ("王小明", None, "X"),
        ("  ", "  Firma  ", "F"),
    ],
)
def test_initials(name: str | None, org: str | None, expected: str) -> None:
    assert initials_for(name, org) == expected


@given(st.one_of(st.none(), st.text(max_size=40)), st.one_of(st.none(), st.text(max_size=40)))
def test_initials_are_always_one_to_three_ascii_capitals(name: str | None,
                                                         org: str | None) -> None:
    result = initials_for(name, org)
    assert 1 <= len(result) <= 3
    assert all("A" <= ch <= "Z" for ch in result)


# --------------------------------------------------------------------------- robustness


@given(
    st.one_of(st.none(), st.text(max_size=20)),
    st.one_of(st.none(), st.text(max_size=20)),
    st.one_of(st.none(), st.text(max_size=20)),
    st.one_of(st.none(), st.text(max_size=20)),
    st.one_of(st.none(), st.booleans()),
)
def test_arbitrary_values_raise_only_epp_errors(user_type: str | None, cvr: str | None,
                                                phone: str | None, cc: str | None,
                                                sole: bool | None) -> None:
    c = contact(user_type=user_type, cvr=cvr, voice=phone,
                postal=[dk_postal(cc=cc)], sole_proprietorship=sole)
    try:
        v = validate_contact(c)
    except EppError as error:
        assert error.code in {2003, 2005, 2306}
        assert error.field and error.detail
        return
    assert v.user_type in cr.USER_TYPES
    assert v.cc in ISO_3166_ALPHA2
