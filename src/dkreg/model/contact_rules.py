"""Validation of a contact as submitted in ``contact:create`` with the dkhm extensions.

Why this module exists: the same contact rules apply whether a contact arrives over
EPP, the REST API or a portal form, so they are written once, as a pure function from
what the client sent (:class:`ContactInput`) to what the registry stores
(:class:`ValidContact`), raising an :class:`~dkreg.errors.EppError` that names the
field and the broken rule.

Sources: SPEC-DIGEST §4 (contacts) and the registry's own specification and examples
(create contact, "CVR / Vat Number Indication", "Address Handling", the name/org
mapping table, NIS2 documentation for ``sole_proprietorship``).

Decisions (where the sources are silent or disagree):

* **Name and organisation.** RFC 5733 makes ``contact:name`` mandatory and the
  registry's mapping table agrees for every user type; ``contact:org`` is optional.
  For company / public_organization / association, ``org`` (when given) is the
  entity and ``name`` becomes the attention line; when only ``name`` is given it is
  the entity's name. The registry's own create examples send a company with only
  ``contact:name``, so ``org`` is *not* required. A non-individual with neither is
  2003 on ``contact:name``. An individual must have a name and must not send ``org``
  (2306).
* **Which postalInfo counts.** Denmark uses ``loc``, other countries ``int``
  [SPEC §Address Handling]. When the preferred block is missing the other one is
  used, as the registry does: its NIS2 example creates a French contact with only a
  ``loc`` block, and the spec only warns that such addresses "might prove
  unreliable". A ``loc`` block whose cc is DK wins over any ``int`` block; otherwise
  ``int`` wins. The block not chosen is ignored entirely (the registry "discards"
  it), so the 7-bit ASCII rule is applied to the ``int`` block only when it is the
  one used.
* **Country codes** are accepted in either case and stored upper-case; only the 249
  officially assigned ISO 3166-1 alpha-2 codes are valid (no XK, EU, UK).
* **Danish postcode** is mandatory for cc DK and is exactly 4 digits.
* **Street**: blank lines are dropped; 1–3 lines remain.
* **userType** must be one of the XSD values or the legacy letters C/P/A/I, case
  sensitive, as the schema defines an enumeration.
* **CVR** for cc DK is validated with the modulus-11 check (``stdnum.dk.cvr``; spaces
  and a ``DK`` prefix are tolerated and removed). For other countries any VAT number
  up to 50 characters is accepted as sent (whitespace collapsed as for xs:token);
  checking it against VIES is an adapter's job. P-numbers go only with a Danish CVR.
* **EAN** must be a 13-digit GTIN/GLN with a valid GS1 check digit.
* **sole_proprietorship**: sending it for a contact with cc DK is refused (2306), as
  the NIS2 documentation says (Danish data comes from the CVR register); an
  individual may not claim ``true`` (the flag describes a company); omitted means
  false.
* **Phones** follow RFC 5733 e164 syntax (``+CC.NNNN``, optional ``xNNN``
  extension, at most 17 characters before it); the country code must be an
  assigned ITU-T E.164 code; national numbers for +45 (Denmark) are exactly 8
  digits, for +298 (Faroe Islands) and +299 (Greenland) exactly 6.
* **E-mail** rules are deliberately structural (one ``@``, non-empty local part of
  at most 64 characters, a domain with a dot and no empty labels, no whitespace or
  control characters, at most 254 characters): deliverability is proven by the
  registry's confirmation mail, not by a regex.
* Text fields are stripped; an empty element counts as absent. Control characters
  are refused in every text field; name, org, street, city and sp are limited to
  255 characters and pc to 16 (RFC 5733).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TypeVar

from stdnum import ean as gs1_ean
from stdnum.dk import cvr as dk_cvr
from stdnum.exceptions import ValidationError

from dkreg.details import Detail
from dkreg.errors import EppError, err

T = TypeVar("T")

# ---------------------------------------------------------------------------------------
# Field names used in errors. Kept in one place so the EPP codec and tests agree.

F_USER_TYPE = "dkhm:userType"
F_POSTAL = "contact:postalInfo"
F_POSTAL_TYPE = "contact:postalInfo/@type"
F_POSTAL_INT = "contact:postalInfo[@type='int']"
F_NAME = "contact:name"
F_ORG = "contact:org"
F_ADDR = "contact:postalInfo/contact:addr"
F_STREET = f"{F_ADDR}/contact:street"
F_CITY = f"{F_ADDR}/contact:city"
F_SP = f"{F_ADDR}/contact:sp"
F_PC = f"{F_ADDR}/contact:pc"
F_CC = f"{F_ADDR}/contact:cc"
F_VOICE = "contact:voice"
F_FAX = "contact:fax"
F_EMAIL = "contact:email"
F_CVR = "dkhm:CVR"
F_EAN = "dkhm:EAN"
F_PNUMBER = "dkhm:pnumber"
F_MOBILE = "dkhm:mobilephone"
F_SECONDARY_EMAIL = "dkhm:secondaryEmail"
F_SOLE = "dkhm:sole_proprietorship"

# ---------------------------------------------------------------------------------------
# Reference data

USER_TYPES = ("individual", "company", "public_organization", "association")
LEGACY_USER_TYPES = {
    "I": "individual",
    "C": "company",
    "P": "public_organization",
    "A": "association",
}

# ISO 3166-1 alpha-2, officially assigned codes (249). Same set as tzdata's iso3166.tab.
_ISO_3166_TEXT = """
AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO
BQ BR BS BT BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ
DK DM DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP
GQ GR GS GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP KE KG
KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML
MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE
PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO RS RU RW SA SB SC SD SE SG SH SI SJ SK SL
SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG UM
US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW
"""
ISO_3166_ALPHA2 = frozenset(_ISO_3166_TEXT.split())

# Assigned ITU-T E.164 country calling codes (geographic and global services),
# excluding spare and withdrawn codes (e.g. 388, 671, 684, 991).
_CALLING_CODES_TEXT = """
1 7 20 27 30 31 32 33 34 36 39 40 41 43 44 45 46 47 48 49 51 52 53 54 55 56 57 58
60 61 62 63 64 65 66 81 82 84 86 90 91 92 93 94 95 98
211 212 213 216 218 220 221 222 223 224 225 226 227 228 229 230 231 232 233 234 235
236 237 238 239 240 241 242 243 244 245 246 247 248 249 250 251 252 253 254 255 256
257 258 260 261 262 263 264 265 266 267 268 269 290 291 297 298 299
350 351 352 353 354 355 356 357 358 359 370 371 372 373 374 375 376 377 378 379 380
381 382 383 385 386 387 389 420 421 423
500 501 502 503 504 505 506 507 508 509 590 591 592 593 594 595 596 597 598 599
670 672 673 674 675 676 677 678 679 680 681 682 683 685 686 687 688 689 690 691 692
800 808 850 852 853 855 856 870 878 880 881 882 883 886 888
960 961 962 963 964 965 966 967 968 970 971 972 973 974 975 976 977 979 992 993 994
995 996 998
"""
CALLING_CODES = frozenset(_CALLING_CODES_TEXT.split())

# National number lengths for closed numbering plans we know exactly.
NATIONAL_LENGTH = {"45": 8, "298": 6, "299": 6}

_E164 = re.compile(r"^\+([0-9]{1,3})\.([0-9]{1,14})(?:x([0-9]+))?$")
E164_MAX = 17  # RFC 5733 e164StringType maxLength, before any extension

MAX_TEXT = 255
MAX_PC = 16
MAX_EMAIL = 254
MAX_LOCAL_PART = 64
MAX_FOREIGN_VAT = 50


# ---------------------------------------------------------------------------------------
# Data shapes


@dataclass(slots=True)
class PostalInfo:
    """One ``contact:postalInfo`` block exactly as the client sent it."""

    type: str  # "loc" | "int"
    name: str | None
    org: str | None
    street: list[str]
    city: str
    sp: str | None
    pc: str | None
    cc: str


@dataclass(slots=True)
class ContactInput:
    """A contact as submitted: RFC 5733 fields plus the raw dkhm extension values."""

    postal: list[PostalInfo]
    voice: str | None
    fax: str | None
    email: str
    user_type: str | None  # raw dkhm:userType text
    cvr: str | None
    ean: str | None
    pnumber: str | None
    mobilephone: str | None
    secondary_email: str | None
    sole_proprietorship: bool | None = None


@dataclass(slots=True)
class ValidContact:
    """A contact that passed every rule, normalised for storage and matching."""

    user_type: str  # individual | company | public_organization | association
    name: str | None
    org: str | None
    street: list[str]
    city: str
    sp: str | None
    pc: str | None
    cc: str
    postal_type: str  # which postalInfo block was used: "loc" | "int"
    voice: str | None
    fax: str | None
    email: str
    cvr: str | None
    ean: str | None
    pnumber: str | None
    mobilephone: str | None
    secondary_email: str | None
    sole_proprietorship: bool = field(default=False)

    @property
    def entity_name(self) -> str:
        """Who the contact *is*: the organisation if given, else the name.

        The registry's mapping table: for non-individuals with both name and org, org
        is the entity and name the attention line; with only a name, that is the entity.
        """
        return self.org or self.name or ""

    @property
    def attention(self) -> str | None:
        """The attention line (a person at an organisation), if any."""
        return self.name if self.org else None


# ---------------------------------------------------------------------------------------
# Small helpers


def _clean(value: str | None) -> str | None:
    """Strip; an empty element is the same as an absent one."""
    if value is None:
        return None
    value = value.strip()
    return value or None


def _has_control(value: str) -> bool:
    return any(unicodedata.category(ch) == "Cc" for ch in value)


def _syntax(field_: str, detail: Detail, position: int | None = None) -> EppError:
    return err(2005, "value_syntax", field=field_, position=position, detail=detail)


def _missing(field_: str, detail: Detail) -> EppError:
    return err(2003, "missing_parameter", field=field_, detail=detail)


def _policy(field_: str, detail: Detail) -> EppError:
    return err(2306, "policy", field=field_, detail=detail)


def _text(value: str | None, field_: str, label: str, max_len: int = MAX_TEXT,
          ascii_only: bool = False, position: int | None = None) -> str | None:
    """Common checks for a free-text postal field."""
    value = _clean(value)
    if value is None:
        return None
    if _has_control(value):
        raise _syntax(field_, Detail("contains_control_characters", label=label), position)
    if len(value) > max_len:
        raise _syntax(field_, Detail("characters_long_maximum", label=label, n_value=len(value),
                                     max_len=max_len), position)
    if ascii_only and not value.isascii():
        bad = "".join(dict.fromkeys(ch for ch in value if not ch.isascii()))
        raise _syntax(field_, Detail("contains_but_postalinfo_type_int", label=label, bad=bad),
                      position)
    return value


# ---------------------------------------------------------------------------------------
# Individual rules, public so update-contact and the portals can reuse them


def parse_user_type(raw: str | None) -> str:
    """``dkhm:userType`` is mandatory; legacy single letters map to the full names."""
    value = _clean(raw)
    if value is None:
        raise _missing(F_USER_TYPE, Detail("dkhm_usertype_mandatory_when_creating"))
    if value in USER_TYPES:
        return value
    if value in LEGACY_USER_TYPES:
        return LEGACY_USER_TYPES[value]
    raise _syntax(F_USER_TYPE, Detail("usertype_not_one_company_public", value=value))


def parse_country(raw: str | None) -> str:
    """ISO 3166-1 alpha-2 code, upper-cased."""
    value = _clean(raw)
    if value is None:
        raise _missing(F_CC, Detail("country_code_contact_cc_mandatory"))
    code = value.upper()
    if code not in ISO_3166_ALPHA2:
        raise _syntax(F_CC, Detail("not_iso_3166_1_alpha", value=value))
    return code


def parse_phone(raw: str | None, field_: str) -> str | None:
    """An RFC 5733 e164 number ``+CC.NNNN[xEXT]`` with an assigned country code."""
    value = _clean(raw)
    if value is None:
        return None
    m = _E164.match(value)
    if not m:
        raise _syntax(field_, Detail("not_phone_number_form_cc", value=value))
    cc, national, _ext = m.groups()
    main = value.split("x", 1)[0]
    if len(main) > E164_MAX:
        raise _syntax(field_, Detail("characters_long_e_164_number", main=main, n_main=len(main),
                                     e164_max=E164_MAX))
    if cc not in CALLING_CODES:
        raise _syntax(field_, Detail("not_assigned_international_calling_code", cc=cc))
    expected = NATIONAL_LENGTH.get(cc)
    if expected is not None and len(national) != expected:
        raise _syntax(field_, Detail("numbers_under_have_exactly_digits", cc=cc, expected=expected,
                                     national=national, n_national=len(national)))
    return value


def parse_email(raw: str | None, field_: str, required: bool = False) -> str | None:
    """Structural e-mail check; deliverability is proven by confirmation mail."""
    value = _clean(raw)
    if value is None:
        if required:
            raise _missing(field_, Detail("e_mail_address_mandatory"))
        return None
    if len(value) > MAX_EMAIL:
        raise _syntax(field_, Detail("e_mail_address_characters_long", n_value=len(value),
                                     max_email=MAX_EMAIL))
    if any(ch.isspace() for ch in value) or _has_control(value):
        raise _syntax(field_, Detail("e_mail_address_must_not", value=value))
    if value.count("@") != 1:
        raise _syntax(field_, Detail("e_mail_address_must_contain", value=value))
    local, domain = value.split("@")
    if not local:
        raise _syntax(field_, Detail("e_mail_address_has_nothing", value=value))
    if len(local) > MAX_LOCAL_PART:
        raise _syntax(field_, Detail("part_before_characters_long_maximum", n_local=len(local),
                                     max_local_part=MAX_LOCAL_PART))
    if "." not in domain or any(not part for part in domain.split(".")):
        raise _syntax(field_, Detail("e_mail_address_needs_domain", value=value))
    return value


def parse_cvr(raw: str | None, user_type: str, cc: str) -> str | None:
    """CVR (Danish) or VAT number (foreign), by user type and country."""
    value = _clean(raw)
    if user_type == "individual":
        if value is not None:
            raise _policy(F_CVR, Detail("cvr_vat_number_not_supported"))
        return None
    if value is None:
        if cc == "DK":
            raise err(2003, "cvr_required", field=F_CVR,
                      detail=Detail("with_danish_address_must_give", user_type=user_type))
        return None
    if cc == "DK":
        try:
            return str(dk_cvr.validate(value))
        except ValidationError:
            raise err(2005, "invalid_cvr", field=F_CVR,
                      detail=Detail("not_valid_danish_cvr_number", value=value)) from None
    token = " ".join(value.split())
    if len(token) > MAX_FOREIGN_VAT or _has_control(token):
        raise err(2005, "invalid_cvr", field=F_CVR,
                  detail=Detail("vat_number_may_have_at", max_foreign_vat=MAX_FOREIGN_VAT))
    return token


def parse_pnumber(raw: str | None, user_type: str, cvr: str | None, cc: str) -> str | None:
    """Danish production-unit number: 10 digits, only together with a Danish CVR."""
    value = _clean(raw)
    if value is None:
        return None
    if user_type == "individual":
        raise _policy(F_PNUMBER, Detail("p_number_not_supported_usertype"))
    if cvr is None or cc != "DK":
        raise _policy(F_PNUMBER, Detail("p_number_may_only_given"))
    if not (len(value) == 10 and value.isascii() and value.isdigit()):
        raise _syntax(F_PNUMBER, Detail("p_number_must_exactly_10", value=value))
    return value


def parse_ean(raw: str | None, user_type: str) -> str | None:
    """EAN/GLN for public e-invoicing: 13 digits with a GS1 check digit."""
    value = _clean(raw)
    if value is None:
        return None
    if user_type == "individual":
        raise _policy(F_EAN, Detail("ean_number_not_supported_usertype"))
    if not (len(value) == 13 and value.isascii() and value.isdigit()):
        raise _syntax(F_EAN, Detail("ean_must_exactly_13_digits", value=value))
    if not gs1_ean.is_valid(value):
        raise _syntax(F_EAN, Detail("ean_has_wrong_check_digit", value=value,
                                    gs1_ean=gs1_ean.calc_check_digit(value[:12])))
    return value


def parse_sole_proprietorship(value: bool | None, user_type: str, cc: str) -> bool:
    """NIS2 flag: only meaningful for foreign companies; omitted means false."""
    if value is None:
        return False
    if cc == "DK":
        raise _policy(F_SOLE, Detail("sole_proprietorship_must_not_sent"))
    if value and user_type == "individual":
        raise _policy(F_SOLE, Detail("sole_proprietorship_describes_company_cannot"))
    return value


def choose_postal(postal: list[PostalInfo]) -> PostalInfo:
    """Pick the postalInfo block the registry uses (see module docstring)."""
    if not postal:
        raise _missing(F_POSTAL, Detail("at_least_one_contact_postalinfo"))
    by_type: dict[str, PostalInfo] = {}
    for i, block in enumerate(postal):
        kind = (block.type or "").strip()
        if kind not in ("loc", "int"):
            raise err(2005, "value_syntax", field=F_POSTAL_TYPE, position=i,
                      detail=Detail("postalinfo_type_must_loc_int", type=block.type))
        if kind in by_type:
            raise err(2005, "value_syntax", field=F_POSTAL_TYPE, position=i,
                      detail=Detail("postalinfo_type_given_more_than", kind=kind))
        by_type[kind] = block
    loc = by_type.get("loc")
    intl = by_type.get("int")
    if loc is not None and (_clean(loc.cc) or "").upper() == "DK":
        return loc
    if intl is not None:
        return intl
    assert loc is not None
    return loc


# ---------------------------------------------------------------------------------------
# The whole contact


def validate_contact(c: ContactInput) -> ValidContact:
    """Check a submitted contact against every .dk rule and return it normalised.

    Order: user type, address (which decides the country), name/org, e-mail, phones,
    CVR, P-number, EAN, sole proprietorship, so that the first error reported is the
    one a client must fix first.
    """
    valid, problems = _checked(c)
    if problems:
        raise problems[0]
    assert valid is not None
    return valid


def contact_problems(c: ContactInput) -> list[EppError]:
    """Every rule ``c`` breaks, at most one per field, in ``validate_contact``'s order.

    EPP answers a create with the first refusal only; a form shows every field's error
    at once, so a person fixes them in one go. A rule that depends on a field that is
    itself wrong (the postcode rule on the country, CVR on the user type) is left out
    until that field is right. The first entry is always what ``validate_contact``
    raises.
    """
    return _checked(c)[1]


def _checked(c: ContactInput) -> tuple[ValidContact | None, list[EppError]]:
    """The normalised contact (None when any rule failed) and the refusals, in order."""
    problems: list[EppError] = []

    def bad(e: EppError) -> None:
        problems.append(e)

    user_type: str | None = None
    try:
        user_type = parse_user_type(c.user_type)
    except EppError as e:
        bad(e)

    cc: str | None = None
    lines: list[str] = []
    city = sp = pc = name = org = None
    block: PostalInfo | None = None
    try:
        block = choose_postal(c.postal)
    except EppError as e:
        bad(e)
    if block is not None:
        ascii_only = block.type.strip() == "int"
        kind = f"postalInfo type '{block.type.strip()}'"
        try:
            cc = parse_country(block.cc)
        except EppError as e:
            bad(e)
        try:
            for i, line in enumerate(block.street or []):
                cleaned = _text(line, F_STREET, f"street line {i + 1} of {kind}",
                                ascii_only=ascii_only, position=i)
                if cleaned is not None:
                    lines.append(cleaned)
            if not lines:
                raise _missing(F_STREET, Detail("needs_at_least_one_street", kind=kind))
            if len(lines) > 3:
                raise _syntax(F_STREET, Detail("has_street_lines_at_most", kind=kind,
                                               n_lines=len(lines)))
        except EppError as e:
            bad(e)
        try:
            city = _text(block.city, F_CITY, f"city of {kind}", ascii_only=ascii_only)
            if city is None:
                raise _missing(F_CITY, Detail("needs_city", kind=kind))
        except EppError as e:
            bad(e)
        try:
            sp = _text(block.sp, F_SP, f"state/province of {kind}", ascii_only=ascii_only)
        except EppError as e:
            bad(e)
        try:
            pc = _text(block.pc, F_PC, f"postcode of {kind}", max_len=MAX_PC,
                       ascii_only=ascii_only)
            if cc == "DK":
                if pc is None:
                    raise _missing(F_PC, Detail("danish_address_needs_postcode"))
                if not (len(pc) == 4 and pc.isascii() and pc.isdigit()):
                    raise _syntax(F_PC, Detail("danish_postcode_must_exactly_4", pc=pc))
        except EppError as e:
            bad(e)
        name_ok = org_ok = True
        try:
            name = _text(block.name, F_NAME, f"name of {kind}", ascii_only=ascii_only)
        except EppError as e:
            bad(e)
            name_ok = False
        try:
            org = _text(block.org, F_ORG, f"organisation of {kind}", ascii_only=ascii_only)
        except EppError as e:
            bad(e)
            org_ok = False
        if user_type is not None and name_ok and org_ok:
            try:
                if user_type == "individual":
                    if name is None:
                        raise _missing(F_NAME, Detail("individual_must_give_name"))
                    if org is not None:
                        raise _policy(F_ORG, Detail("contact_org_must_not_sent"))
                elif name is None and org is None:
                    raise _missing(F_NAME, Detail("must_give_its_name_contact",
                                                  user_type=user_type))
            except EppError as e:
                bad(e)

    def check(rule: Callable[[], T]) -> T | None:
        try:
            return rule()
        except EppError as e:
            bad(e)
            return None

    email = check(lambda: parse_email(c.email, F_EMAIL, required=True))
    secondary_email = check(lambda: parse_email(c.secondary_email, F_SECONDARY_EMAIL))
    voice = check(lambda: parse_phone(c.voice, F_VOICE))
    fax = check(lambda: parse_phone(c.fax, F_FAX))
    mobile = check(lambda: parse_phone(c.mobilephone, F_MOBILE))

    cvr = pnumber = ean = None
    sole = False
    if user_type is not None and cc is not None:
        ut, country = user_type, cc
        before = len(problems)
        cvr = check(lambda: parse_cvr(c.cvr, ut, country))
        if len(problems) == before:
            pnumber = check(lambda: parse_pnumber(c.pnumber, ut, cvr, country))
    if user_type is not None:
        ut = user_type
        ean = check(lambda: parse_ean(c.ean, ut))
        if cc is not None:
            country = cc
            sole = bool(check(lambda: parse_sole_proprietorship(c.sole_proprietorship, ut,
                                                                country)))

    if problems:
        return None, problems
    assert user_type is not None and block is not None and cc is not None
    assert city is not None and email is not None
    return ValidContact(
        user_type=user_type, name=name, org=org, street=lines, city=city, sp=sp, pc=pc,
        cc=cc, postal_type=block.type.strip(), voice=voice, fax=fax, email=email, cvr=cvr,
        ean=ean, pnumber=pnumber, mobilephone=mobile, secondary_email=secondary_email,
        sole_proprietorship=sole,
    ), []


# ---------------------------------------------------------------------------------------
# Handles

# Letters NFKD cannot take apart; mapped to one letter as handles use one per word.
_FOLD = {"æ": "a", "ø": "o", "å": "a", "ß": "s", "œ": "o", "ð": "d", "þ": "t",
         "đ": "d", "ł": "l", "ı": "i", "ħ": "h", "ŧ": "t", "ŋ": "n", "ĸ": "k"}


def _fold_letter(ch: str) -> str:
    """One character to an upper-case ASCII letter, or '' when it has none."""
    low = ch.lower()
    if low in _FOLD:
        return _FOLD[low].upper()
    base = unicodedata.normalize("NFKD", ch)[:1].upper()
    return base if "A" <= base <= "Z" else ""


def initials_for(name: str | None, org: str | None) -> str:
    """1–3 upper-case ASCII letters for a new handle such as ``PDA1234-DK``.

    Taken from the entity the contact is (org when given, else name): the first
    letter of each of the first three whitespace-separated words that have one,
    folded to ASCII (æ -> A, ø -> O, å -> A, accents dropped). This reproduces the
    registry's own handles: "Punktum dk A/S" -> PDA, "DK Hostmaster A/S" -> DHA,
    "Test A/S" -> TA. ``X`` when nothing usable is left.
    """
    source = _clean(org) or _clean(name) or ""
    letters: list[str] = []
    for word in source.split():
        for ch in word:
            folded = _fold_letter(ch)
            if folded:
                letters.append(folded)
                break
        if len(letters) == 3:
            break
    return "".join(letters) or "X"
