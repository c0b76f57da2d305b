"""update contact: decode chg + dkhm extensions -> action -> 1000, or 1001 while a new
e-mail address waits for the contact's confirmation."""

from __future__ import annotations

from dkreg.actions.contact.update import ContactUpdate, PostalChange, contact_update
from dkreg.details import Detail
from dkreg.epp.codec.namespaces import CONTACT, q
from dkreg.epp.codec.response import Response
from dkreg.epp.codec.xml import Element, children, element_name, expect_only, local
from dkreg.epp.commands.contact.create import decode_bool, decode_phone
from dkreg.epp.request import Request
from dkreg.errors import err
from dkreg.messages import text

MUTATES = True
EXTS = {"userType", "CVR", "EAN", "pnumber", "mobilephone", "secondaryEmail",
        "sole_proprietorship", "contact_verification"}
# dkhm element -> ContactUpdate.fields key
EXT_FIELDS = {"userType": "user_type", "CVR": "cvr", "EAN": "ean", "pnumber": "pnumber",
              "secondaryEmail": "secondary_email"}


def _text(el: Element | None) -> str | None:
    """Stripped text; an element sent empty clears the field (None)."""
    if el is None:
        return None
    return (el.text or "").strip() or None


def decode_postal(el: Element) -> PostalChange:
    kind = el.get("type")
    if kind not in ("loc", "int"):
        raise err(2005, "value_syntax", field="contact:postalInfo/@type",
                  detail=Detail("type_loc_int"))
    expect_only(el, {"name": (0, 1), "org": (0, 1), "addr": (0, 1)}, CONTACT)
    change = PostalChange(type=kind)
    for tag in ("name", "org"):
        part = el.find(q(CONTACT, tag))
        if part is not None:
            change.values[tag] = _text(part)
    addr = el.find(q(CONTACT, "addr"))
    if addr is not None:
        expect_only(addr, {"street": (0, 3), "city": (1, 1), "sp": (0, 1), "pc": (0, 1),
                           "cc": (1, 1)}, CONTACT)
        change.values.update(
            street=[(s.text or "").strip() for s in addr.findall(q(CONTACT, "street"))],
            city=_text(addr.find(q(CONTACT, "city"))) or "",
            sp=_text(addr.find(q(CONTACT, "sp"))), pc=_text(addr.find(q(CONTACT, "pc"))),
            cc=_text(addr.find(q(CONTACT, "cc"))) or "")
    return change


def decode(req: Request) -> ContactUpdate:
    el = req.obj
    expect_only(el, {"id": (1, 1), "add": (0, 1), "rem": (0, 1), "chg": (0, 1)}, CONTACT)
    for part in ("add", "rem"):
        block = el.find(q(CONTACT, part))
        if block is not None and children(block):
            raise err(2102, "unimplemented_option", field="contact:status",
                      detail=Detail("contact_dk_has_no_client", part=part))
    cmd = ContactUpdate(id=(el.findtext(q(CONTACT, "id")) or "").strip())
    chg = el.find(q(CONTACT, "chg"))
    if chg is not None:
        expect_only(chg, {"postalInfo": (0, 2), "voice": (0, 1), "fax": (0, 1),
                          "email": (0, 1), "authInfo": (0, 1), "disclose": (0, 1)}, CONTACT)
        if chg.find(q(CONTACT, "disclose")) is not None:
            raise err(2102, "unimplemented_option", field="contact:disclose",
                      detail=Detail("disclosure_preferences_are_not_supported"))
        cmd.postal = [decode_postal(p) for p in chg.findall(q(CONTACT, "postalInfo"))]
        for tag in ("voice", "fax"):
            phone = chg.find(q(CONTACT, tag))
            if phone is not None:
                cmd.fields[tag] = decode_phone(phone, f"contact:{tag}") or None
        email = chg.find(q(CONTACT, "email"))
        if email is not None:
            cmd.fields["email"] = _text(email)
        # contact:authInfo is ignored: .dk contacts have no authorisation information
    ext = req.extensions(EXTS)
    for tag, key in EXT_FIELDS.items():
        if tag in ext:
            cmd.fields[key] = _text(ext[tag])
    if "mobilephone" in ext:
        cmd.fields["mobilephone"] = decode_phone(ext["mobilephone"], "dkhm:mobilephone") or None
    if "sole_proprietorship" in ext:
        cmd.sole_proprietorship = decode_bool(ext["sole_proprietorship"].text,
                                        "dkhm:sole_proprietorship")
    if "contact_verification" in ext:
        for c in children(ext["contact_verification"]):
            if local(c) == "verified_id":
                cmd.verified_id = decode_bool(c.text, "dkhm:verified_id")
            elif local(c) == "verified_email":
                cmd.verified_email = decode_bool(c.text, "dkhm:verified_email")
            else:
                raise err(2306, "policy", field=element_name(c),
                          detail=Detail("only_verified_id_verified_email_2"))
        if not cmd.verification:
            raise err(2003, "missing_parameter", field="dkhm:contact_verification",
                      detail=Detail("send_verified_id_verified_email_2"))
    return cmd


async def handle(req: Request) -> Response:
    result = await contact_update(req.ctx, decode(req))
    req.ctx.notes["object"] = result.handle
    if result.pending_email:
        return Response(code=1001, msg=text("email_change_pending"),
                        reason="email_change_pending")
    return Response(code=1000, msg="Command completed successfully")
