"""create host: 1000 with creData, or 1001 (no resData, as the registry answers) while
the host waits for a requested name-server administrator or the domain's registrant."""

from __future__ import annotations

from dkreg.actions.host.create import HostCreate, host_create
from dkreg.clock import epp_time
from dkreg.epp.codec.namespaces import HOST, q
from dkreg.epp.codec.response import Response, obj, sub
from dkreg.epp.codec.xml import expect_only
from dkreg.epp.request import Request
from dkreg.messages import text

MUTATES = True


async def handle(req: Request) -> Response:
    el = req.obj
    expect_only(el, {"name": (1, 1), "addr": (0, 100)}, HOST)
    ext = req.extensions({"requestedNsAdmin"})
    nsa = (ext["requestedNsAdmin"].text or "").strip() if "requestedNsAdmin" in ext else None
    cmd = HostCreate(name=el.findtext(q(HOST, "name")) or "",
                     addrs=[((a.text or "").strip(), a.get("ip"))
                            for a in el.findall(q(HOST, "addr"))],
                     requested_nsa=nsa)
    result = await host_create(req.ctx, cmd)
    req.ctx.notes["object"] = result.name
    if result.pending is not None:
        key = "host_pending_registrant" if result.pending == "registrant" else "host_pending_nsa"
        return Response(code=1001, msg=text(key), reason=key)
    cre = obj(HOST, "creData")
    sub(cre, HOST, "name", result.name)
    sub(cre, HOST, "crDate", epp_time(result.cr_date))
    return Response(code=1000, msg="Command completed successfully", res_data=[cre])
