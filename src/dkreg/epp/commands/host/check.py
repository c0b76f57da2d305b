"""check host."""

from __future__ import annotations

from dkreg.actions.host.check import host_check
from dkreg.epp.codec.namespaces import HOST, q
from dkreg.epp.codec.response import Response, obj, sub
from dkreg.epp.codec.xml import expect_only
from dkreg.epp.request import Request

MUTATES = False


async def handle(req: Request) -> Response:
    el = req.obj
    expect_only(el, {"name": (1, 10_000)}, HOST)
    req.extensions(set())
    chk = obj(HOST, "chkData")
    for name, avail, reason in await host_check(
            req.ctx, [n.text or "" for n in el.findall(q(HOST, "name"))]):
        cd = sub(chk, HOST, "cd")
        sub(cd, HOST, "name", name, avail="1" if avail else "0")
        if reason:
            sub(cd, HOST, "reason", reason)
    return Response(code=1000, msg="Command completed successfully", res_data=[chk])
