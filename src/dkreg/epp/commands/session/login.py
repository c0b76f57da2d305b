"""login: authenticate a service user; optional password change; pick the dkhm version."""

from __future__ import annotations

import time

from dkreg.actions.account.registrars import AddressRefused, login
from dkreg.actions.account.service_users import pinned_dkhm_version
from dkreg.details import Detail
from dkreg.epp.codec.namespaces import (
    ANNOUNCED_EXTENSION_URIS,
    DKHM_PREFIX,
    DKHM_VERSIONS,
    EPP,
    OBJECT_URIS,
    RGP,
    q,
)
from dkreg.epp.codec.response import Response
from dkreg.epp.codec.xml import children, element_name, local
from dkreg.epp.request import Request
from dkreg.errors import err
from dkreg.store.audit import AuditEvent

MUTATES = True


def session_dkhm(listed: list[str], pinned: str | None, default: str) -> str:
    """The dkhm version of answers to requests that carry no dkhm element, and of poll
    messages (a request with dkhm elements is answered in theirs, ``Request.dkhm``).

    The version pinned for the service user in the portal, unless the client listed
    dkhm versions at login without it: a client is never answered in a version it said
    it does not speak. Otherwise the first version listed (Net::DRI echoes the greeting,
    whose first is 4.3, the version it writes); with none listed, the server's default.
    """
    if pinned in DKHM_VERSIONS and (not listed or pinned in listed):
        return pinned
    return listed[0] if listed else default


async def handle(req: Request) -> Response:
    el = req.frame.verb_element
    assert el is not None
    allowed = {"clID", "pw", "newPW", "options", "svcs"}
    for c in children(el):
        if c.tag != q(EPP, local(c)) or local(c) not in allowed:
            raise err(2001, "syntax", field=element_name(c),
                      detail=Detail("not_allowed_login", c=element_name(c)))
    cl_id = (el.findtext(q(EPP, "clID")) or "").strip()
    pw = el.findtext(q(EPP, "pw"))
    if not cl_id or pw is None or pw == "":
        raise err(2003, "login_missing", field="clID" if not cl_id else "pw")
    new_pw = el.findtext(q(EPP, "newPW"))
    options = el.find(q(EPP, "options"))
    if options is None:
        raise err(2001, "syntax", field="login/options", detail=Detail("element_options_missing"))
    if (options.findtext(q(EPP, "version")) or "").strip() != "1.0":
        raise err(2100, "unimplemented_version", field="options/version",
                  detail=Detail("only_epp_version_1_0"))
    if (options.findtext(q(EPP, "lang")) or "").strip() != "en":
        raise err(2102, "unimplemented_option", field="options/lang",
                  detail=Detail("service_answers_english_only_lang"))
    svcs = el.find(q(EPP, "svcs"))
    if svcs is None:
        raise err(2001, "syntax", field="login/svcs", detail=Detail("element_svcs_missing"))
    for uri_el in svcs.findall(q(EPP, "objURI")):
        uri = (uri_el.text or "").strip()
        if uri not in OBJECT_URIS:
            raise err(2307, "unimplemented_object", field="svcs/objURI",
                      detail=Detail("object_service_not_offered", uri=uri))
    ext_uris = [(u.text or "").strip() for u in svcs.findall(q(EPP, "svcExtension") + "/"
                                                              + q(EPP, "extURI"))]
    for uri in ext_uris:
        if uri not in ANNOUNCED_EXTENSION_URIS:
            raise err(2103, "unimplemented_extension", field="svcExtension/extURI",
                      detail=Detail("extension_not_offered", uri=uri))
    try:
        actor = await login(req.ctx, cl_id, pw, new_pw, client_ip=req.session.client_ip)
    except AddressRefused as refused:
        # the failed command is audited anonymously (nobody is logged in); this names the
        # registrar and the service user tried from an address its allow-list does not
        # admit, with the reason the client is not told (the portal shows it)
        if req.services.audit is not None:
            req.services.audit.add(AuditEvent(
                at=req.ctx.now, door="epp", command="login_address_refused",
                result_code=2200, registrar_id=refused.registrar_id, actor=refused.login,
                object=req.session.client_ip, cl_trid=req.ctx.cl_trid,
                sv_trid=req.ctx.sv_trid, client_ip=req.session.client_ip,
                request=refused.why))
        raise
    session = req.session
    pinned = await pinned_dkhm_version(req.ctx, actor.login)
    session.dkhm_ns = session_dkhm([u for u in ext_uris if u in DKHM_VERSIONS],
                                   DKHM_PREFIX + pinned if pinned else None, session.dkhm_ns)
    session.actor = actor
    session.login_at = time.monotonic()
    session.login_time = req.ctx.now  # registry time: compared with password_changed_at
    session.rgp = RGP in ext_uris
    req.ctx.notes["object"] = cl_id
    return Response(code=1000, msg=f"User {cl_id} logged in.")

