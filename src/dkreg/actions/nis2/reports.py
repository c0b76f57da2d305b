"""Reports of inaccurate registration data (.dk executive order §15, PLATFORM.md N14).

A report names a registered domain, what is wrong and the reporter's address. It
restarts the NIS2 check of the domain's registrant through the one verification there
is (``actions.contact.verification.start``): the ID and data check is pending again
with its deadline (``nis2_verification_days``), the sponsor is told by poll message and
the contact gets the e-mail confirmation link; not completed in time, the check expires,
the registrant's domains are suspended (``lifecycle.verification``) and deleted after
``nis2_suspension_days``. A contact whose check already expired or was rejected is not
restarted: its domains are on that road already.

The report follows the domain (``outcomes_due`` / ``tell_outcomes``, a lifecycle step):
``verifying`` until the check is completed (outcome ``verified``), the domain is
suspended (``suspended``, then followed on) or deleted (``deleted``), or the domain got
another registrant (``registrant_changed``); the reporter is mailed each outcome.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, and_, insert, not_, or_, select, update

from dkreg.actions.contact import verification
from dkreg.actions.nis2.common import audit, choices_problem, email_problem, text_problem
from dkreg.details import Detail
from dkreg.errors import EppError, err
from dkreg.mail.outbox import queue_mail
from dkreg.model.names import parse_domain_name
from dkreg.model.nis2 import WRONG_FIELDS
from dkreg.model.verification import blocks_domains
from dkreg.store.context import Ctx
from dkreg.store.schema import contacts, domains, nis2_inaccuracy_reports

N = nis2_inaccuracy_reports.c


@dataclass(frozen=True)
class ReportInput:
    domain: str
    wrong_fields: list[str]
    description: str
    reporter_email: str
    lang: str = "da"


async def check(ctx: Ctx, form: ReportInput) -> tuple[list[EppError], Any]:
    """Every field's problem, and the live domain row when the name is right."""
    problems: list[EppError] = []
    row = None
    if not form.domain.strip():
        problems.append(err(2003, "nis2_required", field="domain"))
    else:
        try:
            alabel = parse_domain_name(form.domain, "domain").alabel
        except EppError as e:
            problems.append(e)
        else:
            row = (await ctx.conn.execute(select(domains).where(
                domains.c.name == alabel, domains.c.released_at.is_(None),
                domains.c.state == "active"))).first()
            if row is None:
                problems.append(err(2303, "nis2_unknown_domain", field="domain",
                                    detail=Detail("nis2_domain_unknown",
                                                  name=form.domain.strip())))
    for p in (choices_problem(form.wrong_fields, WRONG_FIELDS, "wrong_fields"),
              text_problem(form.description, "description"),
              email_problem(form.reporter_email, "reporter_email")):
        if p is not None:
            problems.append(p)
    return problems, row


async def submit(ctx: Ctx, form: ReportInput, *, client_ip: str | None = None) -> int:
    """Record the report and restart the registrant's verification (first problem
    raised, nothing written)."""
    problems, dom = await check(ctx, form)
    if problems:
        raise problems[0]
    contact = (await ctx.conn.execute(select(contacts).where(
        contacts.c.id == dom.registrant_id))).one()
    restarted = False
    if not blocks_domains(contact.id_status, contact.email_status):
        restarted = await verification.start(ctx, contact.handle, "id_data")
    email = form.reporter_email.strip()
    report_id = int((await ctx.conn.execute(insert(nis2_inaccuracy_reports).values(
        domain_id=dom.id, domain_name=dom.uname,
        wrong_fields=" ".join(f for f in WRONG_FIELDS if f in form.wrong_fields),
        description=form.description.strip(), reporter_email=email,
        lang=form.lang if form.lang in ("da", "en") else "da", client_ip=client_ip,
        received_at=ctx.now, contact_id=contact.id, restarted=restarted,
        state="verifying").returning(N.id))).scalar_one())
    await audit(ctx, "nis2_inaccuracy_report", email, dom.name, client_ip=client_ip,
                report=report_id, wrong=form.wrong_fields)
    await audit(ctx, "nis2_verification_restarted", email, contact.handle,
                1000 if restarted else 1001, client_ip, report=report_id,
                restarted=restarted, id_status=contact.id_status,
                email_status=contact.email_status)
    return report_id


async def listing(ctx: Ctx, limit: int = 500) -> list[Any]:
    return list((await ctx.conn.execute(
        select(nis2_inaccuracy_reports, contacts.c.handle, contacts.c.id_status,
               contacts.c.email_status, contacts.c.verification_due)
        .join(contacts, contacts.c.id == N.contact_id)
        .order_by(N.id.desc()).limit(limit))).all())


# -- following the outcome (a lifecycle step) --------------------------------------------


def _validated(c: Any) -> ColumnElement[bool]:
    return and_(c.id_status.in_(("completed", "notRequired")),
                c.email_status.in_(("completed", "notRequired")))


def _outcome_case() -> list[tuple[str, ColumnElement[bool]]]:
    """(outcome, condition) in order of precedence, over the report, its domain and
    contact joined."""
    d, c = domains.c, contacts.c
    gone = or_(d.released_at.is_not(None), d.state != "active")
    other = d.registrant_id != N.contact_id
    return [
        ("deleted", gone),
        ("registrant_changed", and_(not_(gone), other)),
        ("verified", and_(_validated(c), d.suspended_at.is_(None))),
        ("suspended", and_(N.state == "verifying", d.suspended_at.is_not(None))),
    ]


def _open_and_changed() -> list[Any]:
    return [N.state.in_(("verifying", "suspended")),
            or_(*(cond for _o, cond in _outcome_case()))]


async def outcomes_due(ctx: Ctx, limit: int, ready: Any = None) -> list[Any]:
    """Open reports whose domain or contact reached an outcome not yet told."""
    where = _open_and_changed() + ([ready] if ready is not None else [])
    return list((await ctx.conn.execute(ctx.skip_locked(
        select(nis2_inaccuracy_reports)
        .join(domains, domains.c.id == N.domain_id)
        .join(contacts, contacts.c.id == N.contact_id)
        .where(*where).order_by(N.id).limit(limit), of=nis2_inaccuracy_reports))).all())


async def oldest_outcome(ctx: Ctx) -> datetime | None:
    from sqlalchemy import func

    return (await ctx.conn.execute(
        select(func.min(N.received_at)).select_from(nis2_inaccuracy_reports)
        .join(domains, domains.c.id == N.domain_id)
        .join(contacts, contacts.c.id == N.contact_id)
        .where(*_open_and_changed()))).scalar()


async def tell_outcomes(ctx: Ctx, rows: list[Any]) -> int:
    """Record each report's outcome and mail it to the reporter; a suspended domain's
    report stays open until the domain is deleted or reactivated."""
    done = 0
    for row in rows:
        outcome = await _outcome_of(ctx, row)
        if outcome is None:
            continue
        state = "suspended" if outcome == "suspended" else "closed"
        await ctx.conn.execute(update(nis2_inaccuracy_reports).where(N.id == row.id).values(
            state=state, outcome=outcome, outcome_at=ctx.now))
        await queue_mail(ctx, kind="nis2_inaccuracy_outcome", to=row.reporter_email,
                         lang=row.lang, context={"domain": row.domain_name,
                                                 "outcome": outcome, "report_id": row.id})
        await audit(ctx, "nis2_inaccuracy_outcome", None, f"inaccuracy-report:{row.id}",
                    outcome=outcome, state=state, to=row.reporter_email)
        done += 1
    return done


async def _outcome_of(ctx: Ctx, row: Any) -> str | None:
    for outcome, cond in _outcome_case():
        hit = (await ctx.conn.execute(
            select(N.id).select_from(nis2_inaccuracy_reports)
            .join(domains, domains.c.id == N.domain_id)
            .join(contacts, contacts.c.id == N.contact_id)
            .where(N.id == row.id, cond))).first()
        if hit is not None:
            return outcome
    return None
