"""The portal's pages; each names the privilege it needs and calls one action."""

from __future__ import annotations

from collections.abc import Callable

from starlette.responses import Response
from starlette.routing import Route

from dkreg.actions.account.public_info import PublicInfo, public_info_get, public_info_update
from dkreg.errors import EppError
from dkreg.web import flash
from dkreg.web.i18n import language_of, translator
from dkreg.web.portal.guard import Call, portal_route

PUBLIC_INFO = "/administration/public-information/registrar-management"


def t(call: Call) -> Callable[..., str]:
    return translator(language_of(call.request))


@portal_route("public_info")
async def public_info(call: Call) -> Response:
    if call.form is None:
        async with call.tx() as ctx:
            info = await public_info_get(ctx, call.user)
        return call.page("portal/public_info.html", info=info, errors={})
    f = call.form
    typed = PublicInfo(
        offers_registrar_management=f.get("offers_registrar_management") == "yes",
        public_name=str(f.get("public_name", "")), website=str(f.get("website", "")),
        email=str(f.get("email", "")), logo_url=str(f.get("logo_url", "")),
        listed=f.get("listed") == "yes")
    try:
        async with call.tx() as ctx:
            await public_info_update(ctx, call.user, typed, call.ip)
    except EppError as e:
        if e.field not in ("public_name", "website", "email", "logo_url"):
            raise
        return call.page("portal/public_info.html", 400, info=typed,
                         errors={e.field: t(call)(f"invalid.{e.field}")})
    return flash.redirect(call.request, f"/portal{PUBLIC_INFO}",
                          flash.Flash("public_info.saved", {}))


ROUTES: list[Route] = [
    Route(PUBLIC_INFO, public_info, methods=["GET", "POST"]),
]
