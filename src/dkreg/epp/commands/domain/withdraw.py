"""withdraw: ``<extension><dkhm:command><dkhm:withdraw>`` -> ``actions.domain_withdraw``.

Two published shapes, both accepted in every dkhm version a session may use:
dkhm-4.3/4.4 wrap ``dkhm-domain:withdraw/dkhm-domain:name`` (namespace
``urn:dkhm:params:xml:ns:dkhm-domain-4.3`` or ``-4.4``); dkhm-4.5 moved it into its own
namespace, ``dkhm:withdraw/dkhm:withdraw/dkhm:name``. The registry's own 5.2 example mixes
the two (a 4.5 command around a dkhm-domain-4.4 withdraw), so the inner element may be
either. The answer is domain:trnData, as for a transfer.
"""

from __future__ import annotations

from dkreg.actions.domain.withdraw import DomainWithdraw, domain_withdraw
from dkreg.details import Detail
from dkreg.epp.codec.namespaces import DKHM_DOMAIN_43, DKHM_DOMAIN_44, DKHM_VERSIONS, q
from dkreg.epp.codec.response import Response
from dkreg.epp.codec.xml import element_name, expect_only, local, ns_of
from dkreg.epp.commands.domain.transfer import render_trn
from dkreg.epp.request import Request
from dkreg.errors import err

MUTATES = True


def decode(req: Request) -> DomainWithdraw:
    frame = req.frame
    assert frame.command is not None  # <dkhm:command>: the session dispatched it
    ns = ns_of(frame.command)
    if ns not in DKHM_VERSIONS:
        raise err(2103, "unimplemented_extension", field=element_name(frame.command),
                  detail=Detail("extension_namespace_not_supported", ns=ns))
    inner = frame.obj
    shapes = (DKHM_DOMAIN_43, DKHM_DOMAIN_44, ns)
    if inner is None or local(inner) != "withdraw" or ns_of(inner) not in shapes:
        raise err(2001, "syntax", field="dkhm:withdraw",
                  detail=Detail("dkhm_withdraw_holds_one_withdraw", dkhm_domain_43=DKHM_DOMAIN_43,
                                dkhm_domain_44=DKHM_DOMAIN_44, ns=ns))
    expect_only(inner, {"name": (1, 1)}, ns_of(inner))
    req.extensions(set())
    return DomainWithdraw(name=inner.findtext(q(ns_of(inner), "name")) or "")


async def handle(req: Request) -> Response:
    cmd = decode(req)
    result = await domain_withdraw(req.ctx, cmd)
    req.ctx.notes["object"] = result.name
    return Response(code=1000, msg="Command completed successfully",
                    res_data=[render_trn(result)])
