"""delete domain: decode (with the optional ``dkhm:delDate``) -> action -> 1001."""

from __future__ import annotations

import re
from datetime import date, datetime

from dkreg.actions.domain.delete import DomainDelete, domain_delete
from dkreg.clock import COPENHAGEN
from dkreg.details import Detail
from dkreg.epp.codec.namespaces import DOMAIN, q
from dkreg.epp.codec.response import Response
from dkreg.epp.codec.xml import expect_only
from dkreg.epp.request import Request
from dkreg.errors import err
from dkreg.messages import text

MUTATES = True

# xs:dateTime (time zone optional) or, leniently, a plain xs:date
_DATETIME = re.compile(
    r"\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})?")


def parse_datetime(raw: str, field: str) -> datetime:
    """An EPP date-time; without a time zone it is read as Copenhagen time."""
    value = raw.strip()
    try:
        if not _DATETIME.fullmatch(value):
            raise ValueError
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise err(2005, "value_syntax", field=field,
                  detail=Detail("not_date_time_such_as", value=value)
                  ) from None
    return moment if moment.tzinfo else moment.replace(tzinfo=COPENHAGEN)


def del_date(raw: str) -> date:
    """The Copenhagen calendar day a delDate falls on (the deletion starts at its 00:00)."""
    return parse_datetime(raw, "dkhm:delDate").astimezone(COPENHAGEN).date()


async def handle(req: Request) -> Response:
    el = req.obj
    expect_only(el, {"name": (1, 1)}, DOMAIN)
    ext = req.extensions({"delDate"})
    day = del_date(ext["delDate"].text or "") if "delDate" in ext else None
    result = await domain_delete(req.ctx, DomainDelete(
        name=el.findtext(q(DOMAIN, "name")) or "", del_date=day))
    req.ctx.notes["object"] = result.name
    return Response(code=1001, msg=text("pending"), reason="pending")
