"""delete host: decode -> ``actions.host_delete`` -> 1000 (no resData)."""

from __future__ import annotations

from dkreg.actions.host.delete import host_delete
from dkreg.epp.codec.namespaces import HOST, q
from dkreg.epp.codec.response import Response
from dkreg.epp.codec.xml import expect_only
from dkreg.epp.request import Request

MUTATES = True


async def handle(req: Request) -> Response:
    el = req.obj
    expect_only(el, {"name": (1, 1)}, HOST)
    req.extensions(set())
    name = el.findtext(q(HOST, "name")) or ""
    await host_delete(req.ctx, name)
    req.ctx.notes["object"] = name.strip()
    return Response(code=1000, msg="Command completed successfully")
