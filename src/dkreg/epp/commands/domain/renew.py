"""renew domain: decode -> ``actions.domain_renew`` -> renData (name, new exDate)."""

from __future__ import annotations

import re
from datetime import date

from dkreg.actions.domain.renew import DomainRenew, domain_renew
from dkreg.clock import epp_time
from dkreg.details import Detail
from dkreg.epp.codec.namespaces import DOMAIN, q
from dkreg.epp.codec.response import Response, obj, sub
from dkreg.epp.codec.xml import expect_only
from dkreg.epp.commands.domain.period import decode_period
from dkreg.epp.request import Request
from dkreg.errors import err

MUTATES = True

# xs:date, optionally with a time zone, which a calendar day in Copenhagen does not need
_DATE = re.compile(r"(\d{4}-\d{2}-\d{2})(Z|[+-]\d{2}:\d{2})?")


def parse_date(raw: str, field: str) -> date:
    m = _DATE.fullmatch(raw.strip())
    try:
        if m is None:
            raise ValueError
        return date.fromisoformat(m.group(1))
    except ValueError:
        raise err(2005, "value_syntax", field=field,
                  detail=Detail("not_date_yyyy_mm_dd", raw=raw.strip())) from None


def decode(req: Request) -> DomainRenew:
    el = req.obj
    expect_only(el, {"name": (1, 1), "curExpDate": (1, 1), "period": (0, 1)}, DOMAIN)
    req.extensions(set())
    period, unit = decode_period(el)
    return DomainRenew(
        name=el.findtext(q(DOMAIN, "name")) or "",
        cur_exp_date=parse_date(el.findtext(q(DOMAIN, "curExpDate")) or "",
                                "domain:curExpDate"),
        period=period, period_unit=unit)


async def handle(req: Request) -> Response:
    result = await domain_renew(req.ctx, decode(req))
    req.ctx.notes["object"] = result.name
    ren = obj(DOMAIN, "renData")
    sub(ren, DOMAIN, "name", result.name)
    sub(ren, DOMAIN, "exDate", epp_time(result.ex_date))
    return Response(code=1000, msg="Command completed successfully", res_data=[ren])
