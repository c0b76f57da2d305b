"""create contact: decode postalInfo + dkhm extensions -> action -> creData."""

from __future__ import annotations

from dkreg.actions.contact.create import ContactCreate, contact_create
from dkreg.clock import epp_time
from dkreg.details import Detail
from dkreg.epp.codec.namespaces import CONTACT, q
from dkreg.epp.codec.response import Response, obj, sub
from dkreg.epp.codec.xml import Element, children, element_name, expect_only, local
from dkreg.epp.request import Request
from dkreg.errors import err
from dkreg.messages import text
from dkreg.model.contact_rules import ContactInput, PostalInfo

MUTATES = True
EXTS = {"userType", "CVR", "EAN", "pnumber", "mobilephone", "secondaryEmail", "management",
        "sole_proprietorship", "contact_verification"}


def decode_bool(value: str | None, field: str) -> bool:
    v = (value or "").strip()
    if v in ("true", "1"):
        return True
    if v in ("false", "0"):
        return False
    raise err(2005, "value_syntax", field=field, detail=Detail("use_true_false"))


def decode_phone(el: Element | None, field: str) -> str | None:
    """An e164Type element: the number is the text, an extension the ``x`` attribute
    (RFC 5733). Returned in the model's ``+CC.NNNN[xEXT]`` form."""
    if el is None:
        return None
    number = (el.text or "").strip()
    if "x" in number.lower():
        raise err(2005, "value_syntax", field=field,
                  detail=Detail("extension_goes_x_attribute_x", number=number, field=field))
    ext = (el.get("x") or "").strip()
    return f"{number}x{ext}" if number and ext else number


def decode_postal(el: Element) -> PostalInfo:
    kind = el.get("type")
    if kind not in ("loc", "int"):
        raise err(2005, "value_syntax", field="contact:postalInfo/@type",
                  detail=Detail("type_loc_int"))
    addr = el.find(q(CONTACT, "addr"))
    if addr is None:
        raise err(2001, "syntax", field="contact:postalInfo/contact:addr",
                  detail=Detail("element_contact_addr_missing"))
    expect_only(addr, {"street": (0, 3), "city": (1, 1), "sp": (0, 1), "pc": (0, 1),
                       "cc": (1, 1)}, CONTACT)

    def t(parent: Element, name: str) -> str | None:
        v = parent.findtext(q(CONTACT, name))
        return v.strip() if v is not None else None

    return PostalInfo(type=kind, name=t(el, "name"), org=t(el, "org"),
                      street=[(s.text or "").strip() for s in addr.findall(q(CONTACT, "street"))],
                      city=t(addr, "city") or "", sp=t(addr, "sp"), pc=t(addr, "pc"),
                      cc=t(addr, "cc") or "")


def decode(req: Request) -> ContactCreate:
    el = req.obj
    expect_only(el, {"id": (1, 1), "postalInfo": (1, 2), "voice": (0, 1), "fax": (0, 1),
                     "email": (1, 1), "authInfo": (1, 1), "disclose": (0, 1)}, CONTACT)
    if el.find(q(CONTACT, "disclose")) is not None:
        raise err(2102, "unimplemented_option", field="contact:disclose",
                  detail=Detail("disclosure_preferences_are_not_supported"))
    ext = req.extensions(EXTS)

    def e(name: str) -> str | None:
        return (ext[name].text or "").strip() if name in ext else None

    verified_id = verified_email = None
    if "contact_verification" in ext:
        for c in children(ext["contact_verification"]):
            if local(c) == "verified_id":
                verified_id = decode_bool(c.text, "dkhm:verified_id")
            elif local(c) == "verified_email":
                verified_email = decode_bool(c.text, "dkhm:verified_email")
            else:
                raise err(2306, "policy", field=element_name(c),
                          detail=Detail("only_verified_id_verified_email"))
    data = ContactInput(
        postal=[decode_postal(p) for p in el.findall(q(CONTACT, "postalInfo"))],
        voice=decode_phone(el.find(q(CONTACT, "voice")), "contact:voice"),
        fax=decode_phone(el.find(q(CONTACT, "fax")), "contact:fax"),
        email=(el.findtext(q(CONTACT, "email")) or "").strip(), user_type=e("userType"),
        cvr=e("CVR"), ean=e("EAN"), pnumber=e("pnumber"),
        mobilephone=decode_phone(ext.get("mobilephone"), "dkhm:mobilephone"),
        secondary_email=e("secondaryEmail"),
        sole_proprietorship=decode_bool(e("sole_proprietorship"), "dkhm:sole_proprietorship")
        if "sole_proprietorship" in ext else None)
    return ContactCreate(id=(el.findtext(q(CONTACT, "id")) or "").strip(), data=data,
                         management=e("management"), verified_id=verified_id,
                         verified_email=verified_email)


async def handle(req: Request) -> Response:
    result = await contact_create(req.ctx, decode(req))
    req.ctx.notes["object"] = result.handle
    cre = obj(CONTACT, "creData")
    sub(cre, CONTACT, "id", result.handle)
    sub(cre, CONTACT, "crDate", epp_time(result.cr_date))
    reason = "contact_created" if result.created else "contact_exists_reuse"
    return Response(code=1000, msg=text(reason), res_data=[cre], reason=reason)
