"""update host: decode -> ``actions.host_update`` -> 1000, or 1001 while a requested
name-server administrator has not answered (no resData either way)."""

from __future__ import annotations

from dkreg.actions.host.update import HostUpdate, host_update
from dkreg.epp.codec.namespaces import HOST, q
from dkreg.epp.codec.response import Response
from dkreg.epp.codec.xml import Element, expect_only
from dkreg.epp.request import Request
from dkreg.messages import text

MUTATES = True


def _addrs(part: Element | None) -> list[tuple[str, str | None]]:
    if part is None:
        return []
    return [((a.text or "").strip(), a.get("ip")) for a in part.findall(q(HOST, "addr"))]


def _statuses(part: Element | None) -> list[str]:
    return [] if part is None else [s.get("s", "") for s in part.findall(q(HOST, "status"))]


def decode(req: Request) -> HostUpdate:
    el = req.obj
    expect_only(el, {"name": (1, 1), "add": (0, 1), "rem": (0, 1), "chg": (0, 1)}, HOST)
    add, rem, chg = (el.find(q(HOST, t)) for t in ("add", "rem", "chg"))
    for part in (add, rem):
        if part is not None:
            expect_only(part, {"addr": (0, 100), "status": (0, 20)}, HOST)
    new_name = None
    if chg is not None:
        expect_only(chg, {"name": (1, 1)}, HOST)
        new_name = chg.findtext(q(HOST, "name")) or ""
    ext = req.extensions({"requestedNsAdmin"})
    nsa = ext["requestedNsAdmin"].text or "" if "requestedNsAdmin" in ext else None
    return HostUpdate(name=el.findtext(q(HOST, "name")) or "", add_addrs=_addrs(add),
                      rem_addrs=_addrs(rem), add_statuses=_statuses(add),
                      rem_statuses=_statuses(rem), new_name=new_name, requested_nsa=nsa)


async def handle(req: Request) -> Response:
    result = await host_update(req.ctx, decode(req))
    req.ctx.notes["object"] = result.name
    if result.pending:
        return Response(code=1001, msg=text("pending"), reason="pending")
    return Response(code=1000, msg="Command completed successfully")
