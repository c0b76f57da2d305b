"""The portal's pages; each names the privilege it needs and calls one action."""

from __future__ import annotations

from collections.abc import Callable

from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from dkreg.actions.account.public_info import PublicInfo, public_info_get, public_info_update
from dkreg.actions.account.referral import referral_get, referral_set
from dkreg.actions.poll.poll import poll_ack, poll_list
from dkreg.actions.portal.login import portal_audit
from dkreg.errors import EppError
from dkreg.poll_texts_da import poll_text_in
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
        return call.page("portal/public_info.html", info=info, errors={},
                         saved="saved" in call.request.query_params)
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
    return RedirectResponse(f"/portal{PUBLIC_INFO}?saved=1", 303)


@portal_route("referral")
async def referral(call: Call) -> Response:
    error = None
    status_code = 200
    if call.form is not None:
        join = call.form.get("action") == "join"
        if join and call.form.get("accept_terms") != "yes":
            error, status_code = t(call)("referral.must_accept"), 400
        else:
            async with call.tx() as ctx:
                await referral_set(ctx, call.user, join, call.ip)
            return RedirectResponse("/portal/administration/referral", 303)
    async with call.tx() as ctx:
        current = await referral_get(ctx, call.user)
    return call.page("portal/referral.html", status_code, referral=current, error=error,
                     terms_version=call.services.settings.referral_terms_version)


async def poll_page(call: Call, status_code: int = 200, notice: str | None = None,
                    error: str | None = None) -> Response:
    async with call.tx() as ctx:
        count, messages = await poll_list(ctx)
    lang = language_of(call.request)
    texts = {m.id: poll_text_in(lang, m.msg) for m in messages}
    return call.page("portal/poll.html", status_code, count=count, messages=messages,
                     texts=texts, notice=notice, error=error)


@portal_route("poll")
async def poll(call: Call) -> Response:
    acked = call.request.query_params.get("acked", "")
    return await poll_page(call, notice=t(call)("poll.acked", id=acked) if acked else None)


@portal_route("poll")
async def poll_ack_post(call: Call) -> Response:
    raw = str(call.form.get("id", "")) if call.form else ""
    try:
        async with call.tx() as ctx:
            _left, msg_id = await poll_ack(ctx, raw)
            await portal_audit(ctx, "poll_ack", call.user.email, call.user.registrar_id,
                               call.ip, obj=str(msg_id))
    except EppError:
        return await poll_page(call, 404, error=t(call)("poll.not_found"))
    return RedirectResponse(f"/portal/poll?acked={msg_id}", 303)


ROUTES: list[Route] = [
    Route(PUBLIC_INFO, public_info, methods=["GET", "POST"]),
    Route("/administration/referral", referral, methods=["GET", "POST"]),
    Route("/poll", poll, methods=["GET"]),
    Route("/poll/ack", poll_ack_post, methods=["POST"]),
]
