"""check domain: decode names -> action -> chkData."""

from __future__ import annotations

from dkreg.actions.domain.check import domain_check
from dkreg.epp.codec.namespaces import DOMAIN, q
from dkreg.epp.codec.response import Response, obj, sub
from dkreg.epp.codec.xml import expect_only
from dkreg.epp.request import Request

MUTATES = False


async def handle(req: Request) -> Response:
    el = req.obj
    expect_only(el, {"name": (1, 10_000)}, DOMAIN)
    req.extensions(set())
    names = [(n.text or "") for n in el.findall(q(DOMAIN, "name"))]
    results = await domain_check(req.ctx, names)
    chk = obj(DOMAIN, "chkData")
    for r in results:
        cd = sub(chk, DOMAIN, "cd")
        sub(cd, DOMAIN, "name", r.name, avail="1" if r.avail else "0")
        if r.reason:
            sub(cd, DOMAIN, "reason", r.reason)
    req.ctx.notes["object"] = ",".join(names)[:255]
    return Response(code=1000, msg="Command completed successfully", res_data=[chk])
