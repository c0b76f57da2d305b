"""The registrar's messages (``/portal/poll``): the poll queue EPP reads, as a page.

Each message shows its text in the reader's language, the domain, contact or host it is
about as a link, the application's tracking number and the risk assessment when it
carries one (``actions/portal/messages.py`` finds them). One message or all of them are
acknowledged through the poll actions; "all" asks first (a confirm page that works
without JavaScript, ``confirmed=1``) and stops at the newest message the confirm page
counted. Both answer with a redirect and a one-time summary (Post/Redirect/Get).
"""

from __future__ import annotations

from starlette.responses import Response
from starlette.routing import Route

from dkreg.actions.portal.messages import ack_all_messages, ack_message, message_queue
from dkreg.errors import EppError
from dkreg.poll_texts_da import poll_text_in
from dkreg.web import flash
from dkreg.web.i18n import language_of, translator
from dkreg.web.portal.guard import Call, form_int, portal_route

POLL = "/poll"


async def poll_page(call: Call, status_code: int = 200, error: str | None = None
                    ) -> Response:
    async with call.tx() as ctx:
        queue = await message_queue(ctx, call.user)
    lang = language_of(call.request)
    texts = {m.id: poll_text_in(lang, m.msg) for m in queue.messages}
    return call.page("portal/poll.html", status_code, queue=queue, texts=texts,
                     error=error)


@portal_route("poll")
async def poll(call: Call) -> Response:
    return await poll_page(call)


@portal_route("poll")
async def poll_ack_post(call: Call) -> Response:
    raw = str(call.form.get("id", "")) if call.form else ""
    try:
        async with call.tx() as ctx:
            msg_id = await ack_message(ctx, call.user, raw, call.ip)
    except EppError:
        t = translator(language_of(call.request))
        return await poll_page(call, 404, error=t("poll.not_found"))
    return flash.redirect(call.request, "/portal" + POLL,
                          flash.Flash("poll.flash.acked", {"id": str(msg_id)}))


@portal_route("poll")
async def poll_ack_all(call: Call) -> Response:
    """GET or an unconfirmed POST: the confirm page; a confirmed POST: acknowledge."""
    form = call.form
    upto = form_int(form.get("upto")) if form is not None else None
    if form is None or form.get("confirmed") != "1" or upto is None:
        async with call.tx() as ctx:
            queue = await message_queue(ctx, call.user, limit=0)
        return call.page("portal/poll_ack_all.html", queue=queue)
    async with call.tx() as ctx:
        acked = await ack_all_messages(ctx, call.user, upto, call.ip)
    done = (flash.Flash("poll.flash.acked", {"id": str(acked[0])}) if len(acked) == 1 else
            flash.Flash("poll.flash.acked_all", {"count": str(len(acked))}))
    return flash.redirect(call.request, "/portal" + POLL, done)


ROUTES: list[Route] = [
    Route(POLL, poll, methods=["GET"]),
    Route(POLL + "/ack", poll_ack_post, methods=["POST"]),
    Route(POLL + "/ack-all", poll_ack_all, methods=["GET", "POST"]),
]
