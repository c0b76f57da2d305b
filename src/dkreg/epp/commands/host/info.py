"""info host."""

from __future__ import annotations

from dkreg.actions.host.info import HostInfo, host_info
from dkreg.clock import epp_time
from dkreg.epp.codec.namespaces import HOST, q
from dkreg.epp.codec.response import Element, Response, obj, sub
from dkreg.epp.codec.xml import expect_only
from dkreg.epp.request import Request

MUTATES = False


async def handle(req: Request) -> Response:
    el = req.obj
    expect_only(el, {"name": (1, 1)}, HOST)
    req.extensions(set())
    h = await host_info(req.ctx, el.findtext(q(HOST, "name")) or "")
    req.ctx.notes["object"] = h.name
    # the administrator, for related registrars only, in the dkhm "host contact" element
    ext = [obj(req.dkhm, "contact", text=h.nsa)] if h.nsa else []
    return Response(code=1000, msg="Command completed successfully", res_data=[render(h)],
                    extensions=ext)


def render(h: HostInfo) -> Element:
    """infData; also used for poll messages carrying host:infData."""
    d = obj(HOST, "infData")
    sub(d, HOST, "name", h.name)
    sub(d, HOST, "roid", h.roid)
    for s in h.statuses:
        sub(d, HOST, "status", s=s)
    for ip, version in h.addrs:
        sub(d, HOST, "addr", ip, ip=version)
    sub(d, HOST, "clID", h.cl_id)
    sub(d, HOST, "crID", h.cr_id)
    sub(d, HOST, "crDate", epp_time(h.cr_date))
    if h.up_id and h.up_date:
        sub(d, HOST, "upID", h.up_id)
        sub(d, HOST, "upDate", epp_time(h.up_date))
    return d
