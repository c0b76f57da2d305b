"""transfer domain: decode -> ``actions.domain_transfer`` -> 1000 with domain:trnData.

Only ``op="request"`` exists at .dk: a transfer completes in the command that requests
it, so there is never a pending transfer to query, approve, reject or cancel.
"""

from __future__ import annotations

from dkreg.actions.domain.transfer import DomainTransfer, TransferResult, domain_transfer
from dkreg.clock import epp_time
from dkreg.details import Detail
from dkreg.epp.codec.namespaces import DOMAIN, q
from dkreg.epp.codec.response import Element, Response, obj, sub
from dkreg.epp.codec.xml import expect_only
from dkreg.epp.request import Request
from dkreg.errors import err

MUTATES = True

NOT_OFFERED_OPS = ("query", "approve", "reject", "cancel")


def decode(req: Request) -> DomainTransfer:
    op = req.frame.verb_element.get("op") if req.frame.verb_element is not None else None
    if op is None:
        raise err(2001, "syntax", field="transfer/@op",
                  detail=Detail("transfer_needs_op_request"))
    if op in NOT_OFFERED_OPS:
        raise err(2102, "unimplemented_option", field=f'transfer op="{op}"',
                  detail=Detail("only_op_request_offered_dk"))
    if op != "request":
        raise err(2005, "value_syntax", field="transfer/@op",
                  detail=Detail("op_not_epp_transfer_operation", op=op))
    el = req.obj
    expect_only(el, {"name": (1, 1), "period": (0, 1), "authInfo": (0, 1)}, DOMAIN)
    req.extensions(set())
    if el.find(q(DOMAIN, "period")) is not None:
        raise err(2102, "unimplemented_option", field="domain:period",
                  detail=Detail("dk_transfer_does_not_extend"))
    token = None
    auth = el.find(q(DOMAIN, "authInfo"))
    if auth is not None:
        expect_only(auth, {"pw": (0, 1), "ext": (0, 1)}, DOMAIN)
        if auth.find(q(DOMAIN, "ext")) is not None:
            raise err(2102, "unimplemented_option", field="domain:authInfo/domain:ext",
                      detail=Detail("authinfo_token_goes_domain_pw"))
        token = auth.findtext(q(DOMAIN, "pw"))
    return DomainTransfer(name=el.findtext(q(DOMAIN, "name")) or "", token=token)


def render_trn(result: TransferResult) -> Element:
    """domain:trnData; also the answer to withdraw."""
    trn = obj(DOMAIN, "trnData")
    sub(trn, DOMAIN, "name", result.name)
    sub(trn, DOMAIN, "trStatus", result.status)
    sub(trn, DOMAIN, "reID", result.re_id)
    sub(trn, DOMAIN, "reDate", epp_time(result.re_date))
    sub(trn, DOMAIN, "acID", result.ac_id)
    sub(trn, DOMAIN, "acDate", epp_time(result.ac_date))
    if result.ex_date is not None:
        sub(trn, DOMAIN, "exDate", epp_time(result.ex_date))
    return trn


async def handle(req: Request) -> Response:
    cmd = decode(req)
    result = await domain_transfer(req.ctx, cmd)
    req.ctx.notes["object"] = result.name
    return Response(code=1000, msg="Command completed successfully",
                    res_data=[render_trn(result)])
