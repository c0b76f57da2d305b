"""Access requests: submitted by a legitimate access seeker, decided by staff within
72 hours.

A request names its requester (name, organisation, e-mail, type), the domains, the data
(``model.nis2.FIELDS``) and the legal basis. It gets ``due_at`` = received +
``nis2_access_answer_hours`` and ``alarm_at`` = received + ``nis2_access_alarm_hours``
(the lifecycle mails staff then, once: ``alarm_due`` / ``send_alarms``). Staff approve —
a grant for the named domains, the fields they allow (at most those asked for) and a
validity window, whose token is mailed to the requester — or refuse with a reason,
which is mailed. The registrant of each disclosed domain is told, unless the requester
is one the rules keep it from (``model.nis2.REGISTRANT_NOT_TOLD``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import insert, select, update

from dkreg.actions.nis2 import grants
from dkreg.actions.nis2.common import (
    audit,
    choices_problem,
    email_problem,
    staff_recipients,
    text_problem,
)
from dkreg.details import Detail
from dkreg.errors import EppError, err
from dkreg.mail.language import contact_language
from dkreg.mail.outbox import queue_mail
from dkreg.model.names import parse_domain_name
from dkreg.model.nis2 import (
    FIELDS,
    MAX_DOMAINS,
    REGISTRANT_NOT_TOLD,
    REQUESTER_TYPES,
    words,
)
from dkreg.store.context import Ctx
from dkreg.store.schema import contacts, domains, nis2_access_requests

R = nis2_access_requests.c


@dataclass(frozen=True)
class AccessRequestInput:
    """What a requester submits (the form's or the API's fields, as typed)."""

    name: str
    org: str
    email: str
    requester_type: str
    domains: str  # names separated by spaces, commas or lines; U- or A-labels
    fields: list[str]
    legal_basis: str
    lang: str = "da"


@dataclass(frozen=True)
class Checked:
    problems: list[EppError]
    alabels: list[str] = field(default_factory=list)


def split_names(text: str) -> list[str]:
    return [n for n in text.replace(",", " ").split() if n]


async def check(ctx: Ctx, form: AccessRequestInput) -> Checked:
    """Every field's problem at once (a form shows them together; the API answers the
    first), and the domains as A-labels. A named domain must be registered: a request
    about a name nobody holds can be answered by WHOIS."""
    problems: list[EppError] = []
    for p in (text_problem(form.name, "name", most=255),
              text_problem(form.org, "org", most=255),
              email_problem(form.email, "email"),
              choices_problem([form.requester_type] if form.requester_type else [],
                              REQUESTER_TYPES, "requester_type"),
              choices_problem(form.fields, FIELDS, "fields"),
              text_problem(form.legal_basis, "legal_basis")):
        if p is not None:
            problems.append(p)
    names = split_names(form.domains)
    alabels: list[str] = []
    if not names:
        problems.append(err(2003, "nis2_required", field="domains"))
    elif len(names) > MAX_DOMAINS:
        problems.append(err(2306, "nis2_too_many_domains", field="domains",
                            detail=Detail("nis2_max_domains", most=MAX_DOMAINS)))
    else:
        for position, text in enumerate(names, 1):
            try:
                alabel = parse_domain_name(text, "domains").alabel
            except EppError as e:
                e.position = position
                problems.append(e)
                break
            if not await live_domain(ctx, alabel):
                problems.append(err(2303, "nis2_unknown_domain", field="domains",
                                    position=position,
                                    detail=Detail("nis2_domain_unknown", name=text)))
                break
            if alabel not in alabels:
                alabels.append(alabel)
    return Checked(problems, alabels)


async def live_domain(ctx: Ctx, alabel: str) -> Any:
    return (await ctx.conn.execute(select(domains.c.id, domains.c.name, domains.c.uname,
                                          domains.c.registrant_id).where(
        domains.c.name == alabel, domains.c.released_at.is_(None)))).first()


async def submit(ctx: Ctx, form: AccessRequestInput, *, channel: str = "web",
                 client_ip: str | None = None) -> int:
    """Record a request (first problem raised, nothing written) and audit it."""
    checked = await check(ctx, form)
    if checked.problems:
        raise checked.problems[0]
    s = ctx.settings
    values: dict[str, Any] = dict(
        requester_name=form.name.strip(), requester_org=form.org.strip(),
        requester_email=form.email.strip(), requester_type=form.requester_type,
        domains=" ".join(checked.alabels),
        fields=" ".join(f for f in FIELDS if f in form.fields),
        legal_basis=form.legal_basis.strip(), lang=form.lang if form.lang in ("da", "en")
        else "da", channel=channel, client_ip=client_ip, received_at=ctx.now,
        due_at=ctx.now + timedelta(hours=s.nis2_access_answer_hours),
        alarm_at=ctx.now + timedelta(hours=s.nis2_access_alarm_hours))
    request_id = int((await ctx.conn.execute(insert(nis2_access_requests).values(**values)
                                             .returning(R.id))).scalar_one())
    await audit(ctx, "nis2_access_request", values["requester_email"],
                f"access-request:{request_id}", client_ip=client_ip, channel=channel,
                requester_type=form.requester_type, org=values["requester_org"],
                domains=checked.alabels, fields=values["fields"].split())
    return request_id


async def load(ctx: Ctx, request_id: int, *, lock: bool = False) -> Any:
    stmt = select(nis2_access_requests).where(R.id == request_id)
    row = (await ctx.conn.execute(ctx.for_update(stmt) if lock else stmt)).first()
    if row is None:
        raise err(2303, "nis2_request_not_found", field="request")
    return row


@dataclass(frozen=True)
class Decision:
    request_id: int
    decision: str
    grant_id: int | None = None


async def approve(ctx: Ctx, request_id: int, *, staff_id: int, staff_email: str,
                  fields: list[str], valid_from: datetime | None = None,
                  valid_until: datetime | None = None) -> Decision:
    """Grant the request: the fields staff allow (a subset of those asked for: a partial
    grant), for the named domains, from ``valid_from`` (now) until ``valid_until`` (now +
    ``nis2_access_grant_days``). The token goes to the requester by mail, only there."""
    row = await load(ctx, request_id, lock=True)
    if row.decided_at is not None:
        raise err(2304, "nis2_request_decided", field="request")
    asked = words(row.fields)
    problem = choices_problem(fields, tuple(asked), "fields")
    if problem is not None:
        raise problem
    start = valid_from or ctx.now
    end = valid_until or start + timedelta(days=ctx.settings.nis2_access_grant_days)
    grants.check_window(ctx, start, end)
    await ctx.conn.execute(update(nis2_access_requests).where(R.id == row.id).values(
        decided_at=ctx.now, decision="approved", decided_by=staff_id))
    grant_id = await grants.issue(
        ctx, request_id=row.id, name=row.requester_name, org=row.requester_org,
        email=row.requester_email, requester_type=row.requester_type, standing=False,
        alabels=words(row.domains), fields=fields, valid_from=start, valid_until=end,
        staff_id=staff_id, staff_email=staff_email, lang=row.lang)
    await audit(ctx, "nis2_access_approved", staff_email, f"access-request:{row.id}",
                grant=grant_id, fields=[f for f in FIELDS if f in fields],
                valid_from=start, valid_until=end, in_time=ctx.now <= row.due_at)
    if row.requester_type not in REGISTRANT_NOT_TOLD:
        await _tell_registrants(ctx, row, fields, staff_email)
    return Decision(row.id, "approved", grant_id)


async def refuse(ctx: Ctx, request_id: int, *, staff_id: int, staff_email: str,
                 reason: str) -> Decision:
    """Refuse with a reason (required): the requester is mailed it."""
    row = await load(ctx, request_id, lock=True)
    if row.decided_at is not None:
        raise err(2304, "nis2_request_decided", field="request")
    if not reason.strip():
        raise err(2003, "reason_required", field="reason")
    problem = text_problem(reason, "reason")
    if problem is not None:
        raise problem
    await ctx.conn.execute(update(nis2_access_requests).where(R.id == row.id).values(
        decided_at=ctx.now, decision="refused", decided_by=staff_id, reason=reason.strip()))
    await queue_mail(ctx, kind="nis2_access_refused", to=row.requester_email, lang=row.lang,
                     context={"name": row.requester_name, "request_id": row.id,
                              "domains": " ".join(words(row.domains)),
                              "reason": reason.strip()})
    await audit(ctx, "nis2_access_refused", staff_email, f"access-request:{row.id}",
                reason=reason.strip(), in_time=ctx.now <= row.due_at)
    return Decision(row.id, "refused")


async def _tell_registrants(ctx: Ctx, row: Any, fields: list[str], staff_email: str
                            ) -> None:
    """Each registrant whose data was disclosed is told who asked and what they see."""
    for alabel in words(row.domains):
        d = await live_domain(ctx, alabel)
        if d is None:
            continue
        c = (await ctx.conn.execute(select(contacts.c.handle, contacts.c.email,
                                           contacts.c.cc).where(
            contacts.c.id == d.registrant_id))).first()
        if c is None:
            continue
        lang = contact_language(c.cc)
        await queue_mail(ctx, kind="nis2_registrant_told", to=c.email, lang=lang,
                         context={"domain": d.uname, "org": row.requester_org,
                                  "fields": [f for f in FIELDS if f in fields]})
        await audit(ctx, "nis2_registrant_told", staff_email, c.handle,
                    request_id=row.id, domain=alabel)


# -- the staff's lists and the 48-hour alarm ----------------------------------------------


async def listing(ctx: Ctx, *, open_only: bool = False, limit: int = 200) -> list[Any]:
    """Undecided requests first (earliest deadline first), then the latest decided."""
    undecided = list((await ctx.conn.execute(
        select(nis2_access_requests).where(R.decided_at.is_(None))
        .order_by(R.due_at, R.id).limit(limit))).all())
    if open_only:
        return undecided
    decided = list((await ctx.conn.execute(
        select(nis2_access_requests).where(R.decided_at.is_not(None))
        .order_by(R.decided_at.desc(), R.id.desc()).limit(limit))).all())
    return undecided + decided


async def overdue(ctx: Ctx) -> list[Any]:
    """Undecided requests past their 72-hour deadline."""
    return list((await ctx.conn.execute(
        select(nis2_access_requests).where(R.decided_at.is_(None), R.due_at <= ctx.now)
        .order_by(R.due_at, R.id))).all())


def alarm_query(now: datetime) -> list[Any]:
    return [R.decided_at.is_(None), R.alarm_sent_at.is_(None), R.alarm_at <= now]


async def send_alarms(ctx: Ctx, rows: list[Any]) -> int:
    """Mail the disclosure staff about requests undecided 48 hours after receipt; once
    per request (``alarm_sent_at``)."""
    to = await staff_recipients(ctx)
    for row in rows:
        for address in to:
            await queue_mail(ctx, kind="nis2_access_alarm", to=address,
                             lang=ctx.settings.mail_default_lang,
                             context={"request_id": row.id, "org": row.requester_org,
                                      "requester_type": row.requester_type,
                                      "received_at": row.received_at.strftime(
                                          "%Y-%m-%d %H:%M UTC"),
                                      "due_at": row.due_at.strftime("%Y-%m-%d %H:%M UTC")},
                             links={"request_link": ctx.settings.public_base_url.rstrip("/")
                                    + f"/staff/nis2/requests/{row.id}"})
        await ctx.conn.execute(update(nis2_access_requests).where(R.id == row.id)
                               .values(alarm_sent_at=ctx.now))
        await audit(ctx, "nis2_access_alarm", None, f"access-request:{row.id}",
                    to=to, due_at=row.due_at)
    return len(rows)
