"""Every field's error at once (``contact_problems``) for forms; EPP's ``validate_contact``
still raises the first, and the first of the list is always that one."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from dkreg.details import Detail
from dkreg.errors import EppError
from dkreg.model import contact_rules as cr
from dkreg.model.contact_rules import contact_problems, validate_contact
from model.test_contact_rules import contact, dk_postal, individual


def fields(c: cr.ContactInput) -> list[str | None]:
    return [e.field for e in contact_problems(c)]


def test_a_valid_contact_has_none() -> None:
    assert contact_problems(contact()) == []
    assert contact_problems(individual()) == []


def test_every_broken_field_is_named_once() -> None:
    c = individual(postal=[dk_postal(name="", street=[""], city="", pc="12", cc="DK")],
                   email="not-an-address", voice="12345678")
    assert fields(c) == [cr.F_STREET, cr.F_CITY, cr.F_PC, cr.F_NAME, cr.F_EMAIL, cr.F_VOICE]


def test_a_rule_that_needs_a_wrong_field_waits_for_it() -> None:
    # an unknown country: the postcode and CVR rules, which depend on it, say nothing yet
    c = contact(postal=[dk_postal(cc="XX", pc="")], cvr="")
    assert fields(c) == [cr.F_CC]
    # an unknown user type: the name and CVR rules wait; the e-mail is still judged
    c = contact(user_type="person", postal=[dk_postal(name="")], email="")
    assert fields(c) == [cr.F_USER_TYPE, cr.F_EMAIL]


def _sequential(c: cr.ContactInput) -> None:
    """validate_contact as it was written before it collected (one rule after another,
    raising at the first): the order EPP clients have always seen."""
    user_type = cr.parse_user_type(c.user_type)
    block = cr.choose_postal(c.postal)
    ascii_only = block.type.strip() == "int"
    kind = f"postalInfo type '{block.type.strip()}'"
    cc = cr.parse_country(block.cc)
    lines: list[str] = []
    for i, line in enumerate(block.street or []):
        cleaned = cr._text(line, cr.F_STREET, f"street line {i + 1} of {kind}",
                           ascii_only=ascii_only, position=i)
        if cleaned is not None:
            lines.append(cleaned)
    if not lines:
        raise cr._missing(cr.F_STREET, Detail("needs_at_least_one_street", kind=kind))
    if len(lines) > 3:
        raise cr._syntax(cr.F_STREET, Detail("has_street_lines_at_most", kind=kind,
                                             n_lines=len(lines)))
    city = cr._text(block.city, cr.F_CITY, f"city of {kind}", ascii_only=ascii_only)
    if city is None:
        raise cr._missing(cr.F_CITY, Detail("needs_city", kind=kind))
    cr._text(block.sp, cr.F_SP, f"state/province of {kind}", ascii_only=ascii_only)
    pc = cr._text(block.pc, cr.F_PC, f"postcode of {kind}", max_len=cr.MAX_PC,
                  ascii_only=ascii_only)
    if cc == "DK":
        if pc is None:
            raise cr._missing(cr.F_PC, Detail("danish_address_needs_postcode"))
        if not (len(pc) == 4 and pc.isascii() and pc.isdigit()):
            raise cr._syntax(cr.F_PC, Detail("danish_postcode_must_exactly_4", pc=pc))
    name = cr._text(block.name, cr.F_NAME, f"name of {kind}", ascii_only=ascii_only)
    org = cr._text(block.org, cr.F_ORG, f"organisation of {kind}", ascii_only=ascii_only)
    if user_type == "individual":
        if name is None:
            raise cr._missing(cr.F_NAME, Detail("individual_must_give_name"))
        if org is not None:
            raise cr._policy(cr.F_ORG, Detail("contact_org_must_not_sent"))
    elif name is None and org is None:
        raise cr._missing(cr.F_NAME, Detail("must_give_its_name_contact", user_type=user_type))
    cr.parse_email(c.email, cr.F_EMAIL, required=True)
    cr.parse_email(c.secondary_email, cr.F_SECONDARY_EMAIL)
    cr.parse_phone(c.voice, cr.F_VOICE)
    cr.parse_phone(c.fax, cr.F_FAX)
    cr.parse_phone(c.mobilephone, cr.F_MOBILE)
    cvr = cr.parse_cvr(c.cvr, user_type, cc)
    cr.parse_pnumber(c.pnumber, user_type, cvr, cc)
    cr.parse_ean(c.ean, user_type)
    cr.parse_sole_proprietorship(c.sole_proprietorship, user_type, cc)


def _first(c: cr.ContactInput) -> tuple[object, ...] | None:
    try:
        _sequential(c)
    except EppError as e:
        return e.code, e.reason, e.field, e.position, e.detail
    return None


TEXT = st.one_of(st.none(), st.sampled_from(["", " ", "DK", "SE", "XX", "1620", "12",
                                             "Jens", "Åse", "a@b.dk", "bad", "+45.12345678",
                                             "+46.812345678", "24210375", "1234567890",
                                             "5790000000005", "company", "individual",
                                             "C", "x\x01"]))


@settings(max_examples=400, deadline=None)
@given(user_type=TEXT, name=TEXT, org=TEXT, street=st.lists(TEXT, max_size=4), city=TEXT,
       pc=TEXT, cc=TEXT, kind=st.sampled_from(["loc", "int", "bad"]), email=TEXT,
       voice=TEXT, mobile=TEXT, cvr=TEXT, pnumber=TEXT, ean=TEXT,
       sole=st.one_of(st.none(), st.booleans()))
def test_the_first_problem_is_what_epp_answers(**kw: Any) -> None:
    c = contact(user_type=kw["user_type"], email=kw["email"] or "", voice=kw["voice"],
                mobilephone=kw["mobile"], cvr=kw["cvr"], pnumber=kw["pnumber"],
                ean=kw["ean"], sole_proprietorship=kw["sole"],
                postal=[dk_postal(type=kw["kind"], name=kw["name"], org=kw["org"],
                                  street=[s or "" for s in kw["street"]],
                                  city=kw["city"] or "", pc=kw["pc"], cc=kw["cc"] or "")])
    problems = contact_problems(c)
    first = _first(c)
    if first is None:
        assert problems == []
        validate_contact(c)
    else:
        e = problems[0]
        assert (e.code, e.reason, e.field, e.position, e.detail) == first
        assert len({e.field for e in problems}) == len(problems)
