"""The Flow 2 acceptance mail: when a create without a token makes an application that
waits for the registrant's acceptance, the registrant is mailed a link to the
self-service page where the terms are accepted or declined — written by the domain
store in the create's own transaction, once the tracking number (in the link) is known."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from dkreg.clock import COPENHAGEN
from dkreg.mail.language import contact_language
from dkreg.mail.links import public_link
from dkreg.mail.outbox import mail_row
from dkreg.store.context import Ctx
from dkreg.store.domain_applications import MailFor

KIND = "flow2_accept"


def application_path(tracking_no: str) -> str:
    return f"/selfservice/applications/{tracking_no}"


def flow2_mail(ctx: Ctx, to: str, name: str, deadline: datetime, cc: str | None = None
               ) -> MailFor:
    """The outbox row of the acceptance mail, for the tracking number it is given, in the
    registrant's language (``cc``: its country, ``mail.language``)."""
    s = ctx.settings
    local = deadline.astimezone(COPENHAGEN)

    lang = contact_language(cc) if cc else s.mail_default_lang

    def row(tracking_no: str) -> Mapping[str, Any]:
        return mail_row(ctx, kind=KIND, to=to, lang=lang,
                        registrar_id=ctx.actor.registrar_id,
                        links={"link": public_link(s, application_path(tracking_no))},
                        context={"name": name, "tracking_no": tracking_no,
                                 "terms_url": s.registry_terms_url,
                                 "deadline": f"{local:%Y-%m-%d %H:%M}"})
    return row
