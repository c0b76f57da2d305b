"""poll: req returns the oldest message (1300/1301), ack dequeues it (1000/2303)."""

from __future__ import annotations

from dkreg.actions.poll.poll import poll_ack, poll_req
from dkreg.details import Detail
from dkreg.epp.codec.namespaces import EPP, q
from dkreg.epp.codec.response import MsgQ, Response
from dkreg.epp.commands.poll.render import render_message
from dkreg.epp.request import Request
from dkreg.errors import err

MUTATES = True  # ack writes; req is cheap enough to share the path


async def handle(req: Request) -> Response:
    el = req.verb_element
    req.extensions(set())
    op = el.get("op")
    if el.tag != q(EPP, "poll") or op not in ("req", "ack"):
        raise err(2005, "value_syntax", field="poll/@op", detail=Detail("op_must_req_ack"))
    if op == "req":
        count, m = await poll_req(req.ctx)
        if m is None:
            return Response(code=1300, msg="Command completed successfully; no messages",
                            reason="no_messages")
        res, ext = render_message(m, req.dkhm)
        req.ctx.notes["object"] = str(m.id)
        return Response(code=1301, msg="Command completed successfully; ack to dequeue",
                        msgq=MsgQ(count=count, id=m.id, q_date=m.q_date, msg=m.msg),
                        res_data=res, extensions=ext, reason="ack_to_dequeue")
    msg_id = el.get("msgID")
    if msg_id is None:
        raise err(2003, "missing_parameter", field="poll/@msgID",
                  detail=Detail("poll_ack_needs_msgid_attribute"))
    count, acked = await poll_ack(req.ctx, msg_id)
    req.ctx.notes["object"] = str(acked)
    return Response(code=1000, msg="Command completed successfully",
                    msgq=MsgQ(count=count, id=acked))
