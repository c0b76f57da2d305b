"""info balance (VeriSign balance-1.0), amounts in DKK with '.' as decimal separator."""

from __future__ import annotations

from dkreg.actions.balance.info import balance_info
from dkreg.details import Detail
from dkreg.epp.codec.namespaces import BALANCE
from dkreg.epp.codec.response import Response, obj, sub
from dkreg.epp.codec.xml import children, element_name
from dkreg.epp.request import Request
from dkreg.errors import err
from dkreg.model.money import ore_to_dkk

MUTATES = False


async def handle(req: Request) -> Response:
    if children(req.obj):
        raise err(2001, "syntax", field=element_name(children(req.obj)[0]),
                  detail=Detail("balance_info_empty"))
    req.extensions(set())
    ore = await balance_info(req.ctx)
    d = obj(BALANCE, "infData")
    sub(d, BALANCE, "creditLimit", "0.00")
    sub(d, BALANCE, "balance", ore_to_dkk(ore))
    sub(d, BALANCE, "availableCredit", ore_to_dkk(max(ore, 0)))
    th = sub(d, BALANCE, "creditThreshold")
    sub(th, BALANCE, "fixed", "0.00")
    return Response(code=1000, msg="Command completed successfully", res_data=[d])
