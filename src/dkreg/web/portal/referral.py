"""``/portal/administration/referral``: join or leave the registry's referral programme.

Its own module so that the referral page changes without touching the portal's other
pages; joining needs the terms accepted, leaving does not.
"""

from __future__ import annotations

from collections.abc import Callable

from starlette.responses import Response
from starlette.routing import Route

from dkreg.actions.account.referral import referral_get, referral_set
from dkreg.web import flash
from dkreg.web.i18n import language_of, translator
from dkreg.web.portal.guard import Call, portal_route

REFERRAL = "/administration/referral"


def t(call: Call) -> Callable[..., str]:
    return translator(language_of(call.request))


@portal_route("referral")
async def referral(call: Call) -> Response:
    errors: dict[str, str] = {}
    status_code = 200
    if call.form is not None:
        join = call.form.get("action") == "join"
        if join and call.form.get("accept_terms") != "yes":
            errors, status_code = {"accept_terms": t(call)("referral.must_accept")}, 400
        else:
            async with call.tx() as ctx:
                await referral_set(ctx, call.user, join, call.ip)
            return flash.redirect(call.request, "/portal" + REFERRAL, flash.Flash(
                "referral.joined" if join else "referral.left", {}))
    async with call.tx() as ctx:
        current = await referral_get(ctx, call.user)
    return call.page("portal/referral.html", status_code, referral=current, errors=errors,
                     terms_version=call.services.settings.referral_terms_version)


ROUTES: list[Route] = [
    Route(REFERRAL, referral, methods=["GET", "POST"]),
]
