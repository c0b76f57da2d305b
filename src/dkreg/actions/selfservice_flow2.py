"""The Flow 2 acceptance mail: when a create without a token makes an application that
waits for the registrant's acceptance, the registrant is mailed a link to the
self-service page where the terms are accepted or declined — queued in the create's own
transaction (on PostgreSQL's one-statement create path, the raw connection's)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from dkreg.actions.context import Ctx
from dkreg.clock import COPENHAGEN
from dkreg.mail.links import public_link
from dkreg.mail.outbox import mail_row, queue_mail
from dkreg.store.schema import contacts

KIND = "flow2_accept"


def application_path(tracking_no: str) -> str:
    return f"/selfservice/applications/{tracking_no}"


async def queue_flow2_mail(ctx: Ctx, registrant_id: int, tracking_no: str, name: str,
                           deadline: datetime) -> None:
    if ctx.raw is not None:
        to = await ctx.raw.fetchval("select email from contacts where id = $1", registrant_id)
    else:
        to = (await ctx.conn.execute(select(contacts.c.email)
                                     .where(contacts.c.id == registrant_id))).scalar_one()
    s = ctx.settings
    local = deadline.astimezone(COPENHAGEN)
    mail = dict(kind=KIND, to=to,
                lang=s.mail_default_lang, registrar_id=ctx.actor.registrar_id,
                links={"link": public_link(s, application_path(tracking_no))}, context={
                    "name": name,
                    "tracking_no": tracking_no, "terms_url": s.registry_terms_url,
                    "deadline": f"{local:%Y-%m-%d %H:%M}"})
    if ctx.raw is None:
        await queue_mail(ctx, **mail)
        return
    values = mail_row(ctx, **mail)
    cols = ", ".join(values)
    marks = ", ".join(f"${i}" for i in range(1, len(values) + 1))
    await ctx.raw.execute(f"insert into mail_outbox ({cols}) values ({marks})",
                          *values.values())
