"""info domain: decode -> action (visibility rules live there) -> infData + dkhm.

A session that announced rgp-1.0 at login also gets RFC 3915 ``rgp:infData`` while the
domain is in a grace period (.dk: the redemption period); others get no rgp element,
as RFC 5730 allows only announced extensions in a response.
"""

from __future__ import annotations

from dkreg.actions.domain.info import DomainInfo, domain_info
from dkreg.clock import epp_time
from dkreg.details import Detail
from dkreg.epp.codec.namespaces import DKHM_43, DOMAIN, RGP, SECDNS, q
from dkreg.epp.codec.response import Element, Response, obj, sub
from dkreg.epp.codec.xml import expect_only
from dkreg.epp.request import Request
from dkreg.errors import err

MUTATES = False


async def handle(req: Request) -> Response:
    el = req.obj
    expect_only(el, {"name": (1, 1), "authInfo": (0, 1)}, DOMAIN)
    req.extensions(set())
    name_el = el.find(q(DOMAIN, "name"))
    assert name_el is not None  # expect_only asked for exactly one
    hosts_attr = name_el.get("hosts", "all")
    if hosts_attr not in ("all", "del", "sub", "none"):
        raise err(2005, "value_syntax", field="domain:name/@hosts",
                  detail=Detail("hosts_must_all_del_sub"))
    info = await domain_info(req.ctx, name_el.text or "")
    req.ctx.notes["object"] = info.name
    d, ext = render(info, req.dkhm, hosts_attr)
    if req.session.rgp and info.rgp_statuses:
        rgp = obj(RGP, "infData")
        for status in info.rgp_statuses:
            sub(rgp, RGP, "rgpStatus", s=status)
        ext.append(rgp)
    return Response(code=1000, msg="Command completed successfully", res_data=[d],
                    extensions=ext)


def render(info: DomainInfo, dkhm: str, hosts_attr: str = "all"
           ) -> tuple[Element, list[Element]]:
    """infData and dkhm extensions; also used for poll messages carrying domain:infData."""
    d = obj(DOMAIN, "infData")
    sub(d, DOMAIN, "name", info.name)
    sub(d, DOMAIN, "roid", info.roid)
    for s in info.statuses or ["ok"]:
        sub(d, DOMAIN, "status", s=s)
    sub(d, DOMAIN, "registrant", info.registrant)
    for ctype, handle in info.contacts:
        sub(d, DOMAIN, "contact", handle, type=ctype)
    if hosts_attr in ("all", "del") and info.ns:
        ns = sub(d, DOMAIN, "ns")
        for h in info.ns:
            sub(ns, DOMAIN, "hostObj", h)
    if hosts_attr in ("all", "sub") and info.hosts:
        for h in info.hosts:
            sub(d, DOMAIN, "host", h)
    sub(d, DOMAIN, "clID", info.cl_id)
    sub(d, DOMAIN, "crID", info.cr_id)
    sub(d, DOMAIN, "crDate", epp_time(info.cr_date))
    if info.up_id and info.up_date:
        sub(d, DOMAIN, "upID", info.up_id)
    if info.up_date:
        sub(d, DOMAIN, "upDate", epp_time(info.up_date))
    if info.ex_date:
        sub(d, DOMAIN, "exDate", epp_time(info.ex_date))
    if info.tr_date:
        sub(d, DOMAIN, "trDate", epp_time(info.tr_date))
    ext = [obj(dkhm, "registrant_validated", text="1" if info.registrant_validated else "0")]
    if info.ds:
        sec = obj(SECDNS, "infData")
        for r in info.ds:
            ds = sub(sec, SECDNS, "dsData")
            sub(ds, SECDNS, "keyTag", str(r.key_tag))
            sub(ds, SECDNS, "alg", str(r.alg))
            sub(ds, SECDNS, "digestType", str(r.digest_type))
            sub(ds, SECDNS, "digest", r.digest)
        ext.append(sec)
    for t in info.auth_tokens:
        ext.append(obj(dkhm, "authInfo", text=t.token, op=t.op, expdate=epp_time(t.expires_at)))
    if info.autorenew is not None:
        ext.append(obj(dkhm, "autoRenew", text="true" if info.autorenew else "false"))
    if dkhm != DKHM_43:  # dkhm:vid exists from 4.4 on
        ext.append(obj(dkhm, "vid", text="true" if info.vid else "false"))
    for advisory, when in info.advisories:
        attrs = {"domain": info.name, "advisory": advisory}
        if when is not None:
            attrs["date"] = epp_time(when)
        ext.append(obj(dkhm, "domainAdvisory", **attrs))
    return d, ext
