"""create domain: decode -> ``actions.domain_create`` -> 1001 with trackingNo.

Extensions: the dkhm elements of a create and secDNS-1.1 ``create`` (DS records, RFC 5910
§5.2.1); any other secDNS element (``secDNS:update``) is 2001 naming it.
"""

from __future__ import annotations

from dkreg.actions.domain.create import DomainCreate, domain_create
from dkreg.details import Detail
from dkreg.epp.codec.namespaces import DOMAIN, SECDNS, q
from dkreg.epp.codec.response import Response, obj
from dkreg.epp.codec.xml import children, element_name, expect_only, local
from dkreg.epp.commands.domain.period import decode_period
from dkreg.epp.commands.domain.secdns import decode_create
from dkreg.epp.request import Request
from dkreg.errors import err
from dkreg.messages import text

MUTATES = True

DKHM_EXTENSIONS = {"orderconfirmationToken", "autoRenew", "management"}
SECDNS_CREATE = q(SECDNS, "create")


def decode(req: Request) -> DomainCreate:
    el = req.obj
    expect_only(el, {"name": (1, 1), "period": (0, 1), "ns": (0, 1), "registrant": (0, 1),
                     "contact": (0, 20), "authInfo": (1, 1)}, DOMAIN)
    ext = req.extensions(DKHM_EXTENSIONS, secdns=True)
    for key, value in ext.items():
        if key not in DKHM_EXTENSIONS and key != SECDNS_CREATE:
            raise err(2001, "syntax", field=element_name(value),
                      detail=Detail("not_allowed_with_create_domain", value=element_name(value)))
    period, unit = decode_period(el)
    ns: list[str] = []
    ns_el = el.find(q(DOMAIN, "ns"))
    if ns_el is not None:
        for i, h in enumerate(children(ns_el), 1):
            if local(h) == "hostAttr":
                raise err(2306, "policy", field="domain:hostAttr", position=i,
                          detail=Detail("only_host_objects_domain_hostobj"))
            if local(h) != "hostObj":
                raise err(2001, "syntax", field=element_name(h),
                          detail=Detail("domain_ns_holds_domain_hostobj"))
            ns.append(h.text or "")
    registrant = el.findtext(q(DOMAIN, "registrant"))
    if registrant is None or not registrant.strip():
        raise err(2003, "missing_parameter", field="domain:registrant",
                  detail=Detail("registrant_contact_handle_required"))
    contacts = [(c.get("type", ""), (c.text or "").strip())
                for c in el.findall(q(DOMAIN, "contact"))]
    autorenew = None
    if "autoRenew" in ext:
        flag = (ext["autoRenew"].text or "").strip()
        if flag not in ("true", "false"):
            raise err(2005, "value_syntax", field="dkhm:autoRenew",
                      detail=Detail("autorenew_true_false"))
        autorenew = flag == "true"
    token = ext["orderconfirmationToken"].text or "" if "orderconfirmationToken" in ext \
        else None
    pw = el.find(q(DOMAIN, "authInfo") + "/" + q(DOMAIN, "pw"))
    return DomainCreate(name=el.findtext(q(DOMAIN, "name")) or "", registrant=registrant,
                        ns=ns, period=period, period_unit=unit, contacts=contacts, token=token,
                        autorenew=autorenew,
                        management=(ext["management"].text or "").strip()
                        if "management" in ext else None,
                        auth_pw=(pw.text or "") if pw is not None else None,
                        ds=decode_create(ext[SECDNS_CREATE]) if SECDNS_CREATE in ext
                        else None)


async def handle(req: Request) -> Response:
    cmd = decode(req)
    result = await domain_create(req.ctx, cmd)
    req.ctx.notes["object"] = result.name
    req.ctx.notes["wake_lifecycle"] = True
    ext = [obj(req.dkhm, "trackingNo", text=result.tracking_no),
           obj(req.dkhm, "domain_confirmed", text="1" if result.domain_confirmed else "0"),
           obj(req.dkhm, "registrant_validated",
               text="1" if result.registrant_validated else "0")]
    return Response(code=1001, msg=text("create_pending", result.name), extensions=ext,
                    sv_trid=f"{req.ctx.sv_trid}-{result.tracking_no}", reason="create_pending")
