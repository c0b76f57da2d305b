"""restore domain: ``domain:update`` carrying an RFC 3915 ``rgp:update`` restore report.

The update command (``epp/commands/domain/update.py``) hands every update that carries
``rgp:update`` to this module. .dk offers only ``op="report"`` (restored at once, no
``pendingRestore``); the update itself must change nothing else. The answer is a plain
1000, as in the registry's own example and RFC 3915's report response: no
``rgp:upData``, even to a session that announced rgp-1.0 — it needs at least one
``rgpStatus``, and once restored the domain is in no grace period (``pendingRestore``
would be false: .dk restores at once). Info shows the RGP state (``redemptionPeriod``).
"""

from __future__ import annotations

from lxml import etree

from dkreg.actions.domain.restore import DomainRestore, RestoreReport, domain_restore
from dkreg.details import Detail
from dkreg.epp.codec.namespaces import DOMAIN, RGP, q
from dkreg.epp.codec.response import Response
from dkreg.epp.codec.xml import children, expect_only
from dkreg.epp.commands.domain.delete import parse_datetime
from dkreg.epp.request import Request
from dkreg.errors import err

MUTATES = True

REPORT = {"preData": (0, 1), "postData": (0, 1), "delTime": (0, 1), "resTime": (0, 1),
          "resReason": (0, 1), "statement": (0, 2), "other": (0, 1)}


def _text(el: etree._Element | None) -> str:
    return "" if el is None else "".join(el.itertext()).strip()


def decode_report(rgp_update: etree._Element) -> RestoreReport:
    expect_only(rgp_update, {"restore": (1, 1)}, RGP)
    restore = rgp_update.find(q(RGP, "restore"))
    assert restore is not None  # expect_only asked for exactly one
    op = restore.get("op", "")
    if op == "request":
        raise err(2102, "unimplemented_option", field="rgp:restore/@op",
                  detail=Detail("only_op_report_offered_dk"))
    if op != "report":
        raise err(2005, "value_syntax", field="rgp:restore/@op",
                  detail=Detail("op_must_report"))
    report = restore.find(q(RGP, "report"))
    if report is None:
        raise err(2003, "missing_parameter", field="rgp:report",
                  detail=Detail("op_report_needs_rgp_report"))
    expect_only(report, REPORT, RGP)
    times = {}
    for tag in ("delTime", "resTime"):
        raw = report.findtext(q(RGP, tag))
        if raw is None:
            raise err(2003, "missing_parameter", field=f"rgp:{tag}",
                      detail=Detail("rgp_mandatory_restore_report_rfc", tag=tag))
        times[tag] = parse_datetime(raw, f"rgp:{tag}")
    other = report.find(q(RGP, "other"))
    return RestoreReport(
        del_time=times["delTime"], res_time=times["resTime"],
        pre_data=_text(report.find(q(RGP, "preData"))),
        post_data=_text(report.find(q(RGP, "postData"))),
        res_reason=_text(report.find(q(RGP, "resReason"))),
        statements=tuple(_text(s) for s in report.findall(q(RGP, "statement"))),
        other=_text(other) if other is not None else None)


def decode(req: Request) -> DomainRestore:
    el = req.obj
    expect_only(el, {"name": (1, 1), "add": (0, 1), "rem": (0, 1), "chg": (0, 1)}, DOMAIN)
    for part in ("add", "rem", "chg"):
        p = el.find(q(DOMAIN, part))
        if p is not None and (children(p) or (p.text or "").strip()):
            raise err(2306, "policy", field=f"domain:{part}",
                      detail=Detail("restore_report_cannot_combined_with"))
    ext = req.extensions(set(), rgp=True)
    rgp_update = ext.get(q(RGP, "update"))
    if rgp_update is None:
        raise err(2003, "missing_parameter", field="rgp:update",
                  detail=Detail("restore_update_carrying_rgp_update"))
    return DomainRestore(name=el.findtext(q(DOMAIN, "name")) or "",
                         report=decode_report(rgp_update))


async def handle(req: Request) -> Response:
    result = await domain_restore(req.ctx, decode(req))
    req.ctx.notes["object"] = result.name
    return Response(code=1000, msg="Command completed successfully")
