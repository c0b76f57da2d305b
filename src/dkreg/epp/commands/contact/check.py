"""check contact."""

from __future__ import annotations

from dkreg.actions.contact.check import contact_check
from dkreg.epp.codec.namespaces import CONTACT, q
from dkreg.epp.codec.response import Response, obj, sub
from dkreg.epp.codec.xml import expect_only
from dkreg.epp.request import Request

MUTATES = False


async def handle(req: Request) -> Response:
    el = req.obj
    expect_only(el, {"id": (1, 10_000)}, CONTACT)
    req.extensions(set())
    chk = obj(CONTACT, "chkData")
    for handle, avail, reason in await contact_check(
            req.ctx, [i.text or "" for i in el.findall(q(CONTACT, "id"))]):
        cd = sub(chk, CONTACT, "cd")
        sub(cd, CONTACT, "id", handle, avail="1" if avail else "0")
        if reason:
            sub(cd, CONTACT, "reason", reason)
    return Response(code=1000, msg="Command completed successfully", res_data=[chk])
