"""update domain: decode -> ``actions.domain_update`` -> 1000, or 1001 when pending.

An update carrying ``rgp:update`` is a restore (RFC 3915) and is handed over whole to
the restore command. Whether add/rem/chg were sent at all (even empty) is passed on:
the action tells the registry's empty skeleton (a no-op) from an update lacking them
(2003). What .dk does not offer is refused here, naming the element: ``domain:status``
(2102), ``domain:hostAttr`` (2303, host objects only), ``domain:ext`` authInfo (2102).
"""

from __future__ import annotations

from lxml import etree

from dkreg.actions.domain.update import DomainUpdate, DsUpdate, domain_update
from dkreg.details import Detail
from dkreg.epp.codec.namespaces import DOMAIN, RGP, SECDNS, q
from dkreg.epp.codec.response import Response
from dkreg.epp.codec.xml import children, element_name, expect_only, local, ns_of
from dkreg.epp.commands.domain.secdns import ds_data
from dkreg.epp.request import Request
from dkreg.errors import err
from dkreg.messages import text

MUTATES = True

DKHM_EXTENSIONS = {"orderconfirmationToken", "autoRenew"}
SECDNS_UPDATE = q(SECDNS, "update")


async def handle(req: Request) -> Response:
    ext = req.extensions(DKHM_EXTENSIONS, secdns=True, rgp=True)
    if q(RGP, "update") in ext:
        from dkreg.epp.commands.domain import restore

        return await restore.handle(req)
    cmd = decode(req, ext)
    result = await domain_update(req.ctx, cmd)
    req.ctx.notes["object"] = result.name
    if result.pending:
        return Response(code=1001, msg=text("update_registrant_pending"),
                        reason="update_registrant_pending")
    return Response(code=1000, msg=text("ok"))


def decode(req: Request, ext: dict[str, etree._Element]) -> DomainUpdate:
    el = req.obj
    expect_only(el, {"name": (1, 1), "add": (0, 1), "rem": (0, 1), "chg": (0, 1)}, DOMAIN)
    for key, value in ext.items():
        if key not in DKHM_EXTENSIONS and key != SECDNS_UPDATE:
            raise err(2001, "syntax", field=element_name(value),
                      detail=Detail("not_allowed_with_update_domain", value=element_name(value)))
    cmd = DomainUpdate(name=el.findtext(q(DOMAIN, "name")) or "")
    add_el, rem_el = el.find(q(DOMAIN, "add")), el.find(q(DOMAIN, "rem"))
    chg = el.find(q(DOMAIN, "chg"))
    cmd.containers = (any(part is not None for part in (add_el, rem_el, chg))
                      or bool(ext))
    if add_el is not None:
        cmd.add_ns, cmd.add_contacts = _add_rem(add_el, "add")
    if rem_el is not None:
        cmd.rem_ns, cmd.rem_contacts = _add_rem(rem_el, "rem")
    if chg is not None:
        expect_only(chg, {"registrant": (0, 1), "authInfo": (0, 1)}, DOMAIN)
        registrant = chg.find(q(DOMAIN, "registrant"))
        if registrant is not None:
            cmd.registrant = (registrant.text or "").strip()
        auth = chg.find(q(DOMAIN, "authInfo"))
        if auth is not None:
            cmd.auth_pw, cmd.auth_null = _auth_info(auth)
    if "autoRenew" in ext:
        flag = (ext["autoRenew"].text or "").strip()
        if flag not in ("true", "false"):
            raise err(2005, "value_syntax", field="dkhm:autoRenew",
                      detail=Detail("autorenew_true_false"))
        cmd.autorenew = flag == "true"
    if "orderconfirmationToken" in ext:
        cmd.token = ext["orderconfirmationToken"].text or ""
    if SECDNS_UPDATE in ext:
        cmd.ds = _secdns(ext[SECDNS_UPDATE])
    return cmd


def _add_rem(el: etree._Element, which: str) -> tuple[list[str], list[tuple[str, str]]]:
    expect_only(el, {"ns": (0, 1), "contact": (0, 20), "status": (0, 11)}, DOMAIN)
    if el.find(q(DOMAIN, "status")) is not None:
        raise err(2102, "unimplemented_option", field="domain:status",
                  detail=Detail("status_values_are_set_by"))
    ns: list[str] = []
    ns_el = el.find(q(DOMAIN, "ns"))
    if ns_el is not None:
        for i, h in enumerate(children(ns_el), 1):
            if ns_of(h) == DOMAIN and local(h) == "hostAttr":
                raise err(2303, f"update_ns_ip_{which}", field="domain:hostAttr", position=i,
                          detail=Detail("only_host_objects_domain_hostobj"))
            if ns_of(h) != DOMAIN or local(h) != "hostObj":
                raise err(2001, "syntax", field=element_name(h),
                          detail=Detail("domain_ns_holds_domain_hostobj"))
            ns.append(h.text or "")
    contacts = [(c.get("type", ""), (c.text or "").strip())
                for c in el.findall(q(DOMAIN, "contact"))]
    return ns, contacts


def _auth_info(auth: etree._Element) -> tuple[str | None, bool]:
    expect_only(auth, {"pw": (0, 1), "null": (0, 1), "ext": (0, 1)}, DOMAIN)
    if auth.find(q(DOMAIN, "ext")) is not None:
        raise err(2102, "unimplemented_option", field="domain:ext",
                  detail=Detail("authinfo_set_with_domain_pw"))
    pw = auth.find(q(DOMAIN, "pw"))
    null = auth.find(q(DOMAIN, "null")) is not None
    if pw is None and not null:
        raise err(2001, "syntax", field="domain:authInfo",
                  detail=Detail("domain_authinfo_holds_domain_pw"))
    return (None if pw is None else pw.text or ""), null


def _secdns(upd: etree._Element) -> DsUpdate:
    if upd.get("urgent", "false").strip() in ("true", "1"):
        raise err(2102, "unimplemented_option", field="secDNS:update/@urgent",
                  detail=Detail("ds_changes_are_published_with"))
    expect_only(upd, {"rem": (0, 1), "add": (0, 1), "chg": (0, 1)}, SECDNS)
    ds = DsUpdate()
    rem = upd.find(q(SECDNS, "rem"))
    if rem is not None:
        expect_only(rem, {"all": (0, 1), "dsData": (0, 100), "keyData": (0, 100)}, SECDNS)
        all_el = rem.find(q(SECDNS, "all"))
        if all_el is not None:
            value = (all_el.text or "").strip()
            if value not in ("true", "false", "1", "0"):
                raise err(2005, "value_syntax", field="secDNS:all",
                          detail=Detail("secdns_all_true_false"))
            ds.rem_all = value in ("true", "1")
        ds.rem = [ds_data(d) for d in rem.findall(q(SECDNS, "dsData"))]
        ds.key_data = rem.find(q(SECDNS, "keyData")) is not None
    add = upd.find(q(SECDNS, "add"))
    if add is not None:
        expect_only(add, {"maxSigLife": (0, 1), "dsData": (0, 100), "keyData": (0, 100)},
                    SECDNS)
        ds.add = [ds_data(d) for d in add.findall(q(SECDNS, "dsData"))]
        ds.key_data = ds.key_data or add.find(q(SECDNS, "keyData")) is not None
        ds.max_sig_life = add.find(q(SECDNS, "maxSigLife")) is not None
    chg = upd.find(q(SECDNS, "chg"))
    if chg is not None:
        expect_only(chg, {"maxSigLife": (0, 1)}, SECDNS)
        ds.max_sig_life = ds.max_sig_life or chg.find(q(SECDNS, "maxSigLife")) is not None
    return ds
