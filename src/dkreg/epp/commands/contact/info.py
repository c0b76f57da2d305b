"""info contact: infData + dkhm extensions (4.5 sessions also get NIS2 verification)."""

from __future__ import annotations

from dkreg.actions.contact.info import ContactInfo, contact_info
from dkreg.clock import epp_time
from dkreg.epp.codec.namespaces import CONTACT, DKHM_45, q
from dkreg.epp.codec.response import Element, Response, obj, sub
from dkreg.epp.codec.xml import expect_only
from dkreg.epp.request import Request

MUTATES = False


def phone(value: str) -> tuple[str, dict[str, str]]:
    """Stored ``+CC.NNNN[xEXT]`` -> element text and the RFC 5733 ``x`` attribute."""
    number, _, ext = value.partition("x")
    return number, ({"x": ext} if ext else {})


async def handle(req: Request) -> Response:
    el = req.obj
    expect_only(el, {"id": (1, 1), "authInfo": (0, 1)}, CONTACT)
    req.extensions(set())
    c = await contact_info(req.ctx, el.findtext(q(CONTACT, "id")) or "")
    req.ctx.notes["object"] = c.handle
    d, ext = render(c, req.dkhm)
    return Response(code=1000, msg="Command completed successfully", res_data=[d],
                    extensions=ext)


def render(c: ContactInfo, ns: str) -> tuple[Element, list[Element]]:
    """infData and dkhm extensions; also used for poll messages carrying contact:infData."""
    d = obj(CONTACT, "infData")
    sub(d, CONTACT, "id", c.handle)
    sub(d, CONTACT, "roid", c.handle)
    for s in c.statuses:
        sub(d, CONTACT, "status", s=s)
    pi = sub(d, CONTACT, "postalInfo", type=c.postal_type)
    if c.name or not c.org:
        sub(pi, CONTACT, "name", c.name or c.org or "")
    elif c.org:
        sub(pi, CONTACT, "name", c.org)
    if c.org:
        sub(pi, CONTACT, "org", c.org)
    addr = sub(pi, CONTACT, "addr")
    for line in c.street:
        sub(addr, CONTACT, "street", line)
    sub(addr, CONTACT, "city", c.city)
    if c.sp:
        sub(addr, CONTACT, "sp", c.sp)
    if c.pc:
        sub(addr, CONTACT, "pc", c.pc)
    sub(addr, CONTACT, "cc", c.cc)
    if c.voice:
        number, attrs = phone(c.voice)
        sub(d, CONTACT, "voice", number, **attrs)
    if c.fax:
        number, attrs = phone(c.fax)
        sub(d, CONTACT, "fax", number, **attrs)
    sub(d, CONTACT, "email", c.email)
    sub(d, CONTACT, "clID", c.cl_id)
    sub(d, CONTACT, "crID", c.cr_id)
    sub(d, CONTACT, "crDate", epp_time(c.cr_date))
    if c.up_id and c.up_date:
        sub(d, CONTACT, "upID", c.up_id)
        sub(d, CONTACT, "upDate", epp_time(c.up_date))
    ext = [obj(ns, "contact_validated", text="1" if c.validated else "0")]
    if c.cvr:
        ext.append(obj(ns, "CVR", text=c.cvr))
    ext.append(obj(ns, "userType", text=c.user_type))
    for tag, value in (("EAN", c.ean), ("pnumber", c.pnumber), ("mobilephone", c.mobilephone),
                       ("secondaryEmail", c.secondary_email)):
        if value and tag == "mobilephone":
            number, attrs = phone(value)
            ext.append(obj(ns, tag, text=number, **attrs))
        elif value:
            ext.append(obj(ns, tag, text=value))
    if ns == DKHM_45:
        ext.append(obj(ns, "sole_proprietorship",
                       text="true" if c.sole_proprietorship else "false"))
        if c.related:
            cv = obj(ns, "contact_verification")
            sub(cv, ns, "responsible", c.responsible)
            for tag, status in (("verified_id", c.id_status), ("verified_email", c.email_status)):
                attrs = {"status": status}
                if status == "pending":
                    attrs["responsible"] = c.responsible
                    if c.verification_due:
                        attrs["expdate"] = epp_time(c.verification_due)
                sub(cv, ns, tag, "true" if status == "completed" else "false", **attrs)
            for tag, address, due in (
                    ("confirm_email", c.pending_email, c.pending_email_due),
                    ("confirm_secondary_email", c.pending_secondary_email,
                     c.pending_secondary_email_due)):
                if address:
                    attrs = {"status": "pending", "responsible": c.responsible}
                    if due:
                        attrs["expdate"] = epp_time(due)
                    sub(cv, ns, tag, address, **attrs)
            ext.append(cv)
    return d, ext
