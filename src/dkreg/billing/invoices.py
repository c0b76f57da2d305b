"""Invoices the registry issues itself, their payment, and the lifecycle steps behind them.

What the registry bills directly (issue 5):

* **Renewals of registrant-managed domains** without a registrar as billing contact. A
  lifecycle step invoices the next year ``invoice_days_before_expiry`` days ahead, to the
  billing contact (the registrant when the domain has none), due at the expiry. Paying it
  extends the expiry at once. At the expiry an unpaid renewal invoice blocks the renewal:
  the domain enters redemption (cause ``nopay``) as an unpaid registrar renewal does, and
  paying during redemption still renews it (restored, expiry extended from the old one).
  When the name is released, or renewed another way, the open invoice is cancelled.
* **The registrar's monthly invoice** for its registrar-handled business. The prepaid
  account stays the way registrars pay: each charge was debited from it when it happened.
  On the 1st (Copenhagen; the first tick of a month) last month's charges from the ledger
  are invoiced, one line per kind of charge, every line marked as paid from the prepaid
  account; the invoice is issued *paid* (``payment_reference`` "prepaid account") and is
  the VAT document for that month. Its payment link does not pay it again: it offers a
  top-up of the prepaid account by the invoice's total (a ``topup`` invoice).
* **Top-ups** of the prepaid account: a ``topup`` invoice is a payment on account (no VAT
  of its own: the monthly invoice carries it); paying it credits the ledger. The portal's
  production top-up creates one and sends the user to its payment page.

Amounts are øre including 25 % VAT, the VAT share computed per invoice and shown
separately. Numbers come from one gapless series (``invoice_series``, bumped in the
issuing transaction). Every invoice mail ("invoice", and "receipt" when paid) carries the
invoice's signed payment link (``billing.links``).
"""

from __future__ import annotations

import json
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Protocol

from sqlalchemy import exists, func, insert, or_, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from dkreg.actions.balance.topup import parse_amount
from dkreg.actions.domain.delete import mark_subordinate_hosts
from dkreg.actions.domain.renew import extend, local_date
from dkreg.actions.portal.access import PortalUser, require
from dkreg.billing.links import payment_link
from dkreg.billing.recipients import recipients
from dkreg.clock import COPENHAGEN
from dkreg.details import Detail
from dkreg.errors import err
from dkreg.mail.language import contact_language
from dkreg.mail.outbox import queue_mail
from dkreg.model.verification import is_validated
from dkreg.store.context import Ctx
from dkreg.store.ledger import post_ledger
from dkreg.store.schema import (
    REGISTRY_INVOICED,
    contacts,
    domain_contacts,
    domains,
    invoice_lines,
    invoice_series,
    invoices,
    ledger,
    payments,
    registrars,
)


class Ready(Protocol):
    """The lifecycle's filter of items waiting for their retry (``lifecycle.runner.Run``):
    the ``due_*`` queries below are steps that ``lifecycle/invoicing.py`` schedules, and
    billing sits below the lifecycle that drives it."""

    def ready(self, column: Any) -> Any: ...


BATCH = 200
VAT_RATE_PERCENT = 25
PREPAID_REFERENCE = "prepaid account"
KIND_TEXT = {  # monthly invoice lines by ledger kind (da, en)
    "domain_create": ("Oprettelse af domænenavne", "Domain name registrations"),
    "domain_renew": ("Fornyelse af domænenavne", "Domain name renewals"),
    "domain_autorenew": ("Automatisk fornyelse", "Automatic renewals"),
    "domain_restore": ("Genoprettelse af domænenavne", "Domain name restores"),
    "domain_transfer": ("Overdragelse af domænenavne", "Domain name transfers"),
    "registrant_change": ("Registrantskifte", "Registrant changes"),
    "registrant_change_refund": ("Tilbageført registrantskifte", "Registrant change refunds"),
    "domain_create_refund": ("Tilbageførte registreringer", "Refunded registrations"),
}


@dataclass(frozen=True)
class Debtor:
    name: str
    address: str  # lines separated by "\n"
    email: str
    lang: str
    contact_id: int | None = None
    registrar_id: int | None = None


@dataclass(frozen=True)
class Line:
    description: str
    quantity: int
    amount_ore: int  # VAT included
    prepaid: bool = False


@dataclass(frozen=True)
class InvoiceView:
    id: int
    number: int
    kind: str
    status: str
    debtor_name: str
    debtor_address: str
    debtor_email: str
    debtor_contact_id: int | None
    debtor_registrar_id: int | None
    lang: str
    domain_id: int | None
    issued_at: datetime
    due_at: datetime
    total_ore: int
    vat_ore: int
    paid_at: datetime | None
    payment_reference: str | None
    lines: tuple[Line, ...] = ()

    @property
    def payable(self) -> bool:
        """What the payment page can pay: an open invoice, or (monthly) a top-up."""
        return self.status == "open" or (self.kind == "monthly" and self.total_ore > 0)


def vat_share(total_ore: int, kind: str) -> int:
    """The VAT contained in a VAT-inclusive total (a top-up carries none)."""
    if kind == "topup":
        return 0
    net = (total_ore * 100 * 2 + (100 + VAT_RATE_PERCENT)) // (2 * (100 + VAT_RATE_PERCENT))
    return total_ore - net


async def next_number(ctx: Ctx) -> int:
    """The next invoice number; the series row stays locked until commit (no gaps).
    The row is created on first use; concurrent first uses both find it afterwards."""
    dialect_insert = sqlite_insert if ctx.is_sqlite else pg_insert
    await ctx.conn.execute(dialect_insert(invoice_series).values(name="invoice", last_number=0)
                           .on_conflict_do_nothing())
    return int((await ctx.conn.execute(
        update(invoice_series).where(invoice_series.c.name == "invoice")
        .values(last_number=invoice_series.c.last_number + 1)
        .returning(invoice_series.c.last_number))).scalar_one())


async def issue(ctx: Ctx, *, kind: str, purpose_key: str, debtor: Debtor, lines: list[Line],
                due_at: datetime, domain_id: int | None = None,
                period: tuple[datetime | None, datetime | None] = (None, None),
                paid_reference: str | None = None, mail_to: list[str] | None = None) -> int:
    """Write an invoice (open, or paid when ``paid_reference`` is given) and queue its mail
    with the payment link to ``mail_to`` (default: the debtor; [] sends none)."""
    total = sum(line.amount_ore for line in lines)
    invoice_id = (await ctx.conn.execute(insert(invoices).values(
        number=await next_number(ctx), kind=kind, purpose_key=purpose_key,
        debtor_contact_id=debtor.contact_id, debtor_registrar_id=debtor.registrar_id,
        debtor_name=debtor.name[:255], debtor_address=debtor.address,
        debtor_email=debtor.email, lang=debtor.lang, domain_id=domain_id,
        period_start=period[0], period_end=period[1], issued_at=ctx.now, due_at=due_at,
        total_ore=total, vat_ore=vat_share(total, kind),
        status="paid" if paid_reference else "open",
        paid_at=ctx.now if paid_reference else None, payment_reference=paid_reference,
    ).returning(invoices.c.id))).scalar_one()
    await ctx.conn.execute(insert(invoice_lines), [
        {"invoice_id": invoice_id, "position": i, "description": line.description[:255],
         "quantity": line.quantity, "amount_ore": line.amount_ore, "prepaid": line.prepaid}
        for i, line in enumerate(lines, 1)])
    view = await load(ctx, invoice_id)
    for to in [debtor.email] if mail_to is None else mail_to:
        await mail(ctx, view, "invoice", to)
    return int(invoice_id)


async def mail(ctx: Ctx, inv: InvoiceView, kind: str, to: str) -> None:
    """An "invoice" or "receipt" mail, with the invoice's payment link."""
    tz = COPENHAGEN
    await queue_mail(ctx, kind=kind, to=to, lang=inv.lang,
                     registrar_id=inv.debtor_registrar_id,
                     links={"link": payment_link(ctx.settings, inv.id, ctx.now)}, context={
        "name": inv.debtor_name, "number": inv.number, "kind": inv.kind,
        "total_ore": inv.total_ore, "vat_ore": inv.vat_ore,
        "issued": inv.issued_at.astimezone(tz).date().isoformat(),
        "due": inv.due_at.astimezone(tz).date().isoformat(),
        "paid": inv.paid_at.astimezone(tz).date().isoformat() if inv.paid_at else "",
        "reference": inv.payment_reference or "",
        "lines": [{"description": li.description, "amount_ore": li.amount_ore}
                  for li in inv.lines]})


def _view(row: Any, lines: Sequence[Any]) -> InvoiceView:
    return InvoiceView(
        id=row.id, number=row.number, kind=row.kind, status=row.status,
        debtor_name=row.debtor_name, debtor_address=row.debtor_address,
        debtor_email=row.debtor_email, debtor_contact_id=row.debtor_contact_id,
        debtor_registrar_id=row.debtor_registrar_id, lang=row.lang, domain_id=row.domain_id,
        issued_at=row.issued_at, due_at=row.due_at, total_ore=row.total_ore,
        vat_ore=row.vat_ore, paid_at=row.paid_at, payment_reference=row.payment_reference,
        lines=tuple(Line(li.description, li.quantity, li.amount_ore, li.prepaid)
                    for li in lines))


async def load(ctx: Ctx, invoice_id: int, lock: bool = False) -> InvoiceView:
    query = select(invoices).where(invoices.c.id == invoice_id)
    row = (await ctx.conn.execute(ctx.for_update(query) if lock else query)).first()
    if row is None:
        raise err(2303, "object_not_exist", field="invoice", detail=Detail("no_such_invoice"))
    lines = (await ctx.conn.execute(select(invoice_lines)
                                    .where(invoice_lines.c.invoice_id == invoice_id)
                                    .order_by(invoice_lines.c.position))).all()
    return _view(row, lines)


async def list_for(ctx: Ctx, *, contact_ids: tuple[int, ...] = (),
                   registrar_id: int | None = None) -> list[InvoiceView]:
    """Invoices to these contacts, or to this registrar, newest first (without lines)."""
    cond = (invoices.c.debtor_registrar_id == registrar_id if registrar_id is not None
            else invoices.c.debtor_contact_id.in_(list(contact_ids) or [-1]))
    rows = (await ctx.conn.execute(select(invoices).where(cond)
                                   .order_by(invoices.c.number.desc()).limit(500))).all()
    return [_view(r, []) for r in rows]


# --- debtors -----------------------------------------------------------------------------

def _contact_debtor(row: Any) -> Debtor:
    street = [s for s in json.loads(row.street or "[]") if s]
    place = " ".join(p for p in (row.pc, row.city) if p)
    lines = [*([row.org] if row.org and row.name else []), *street, place, row.cc]
    return Debtor(name=row.name or row.org or row.handle, address="\n".join(lines),
                  email=row.email, lang=contact_language(row.cc), contact_id=row.id)


async def domain_debtor(ctx: Ctx, domain_id: int, registrant_id: int) -> Debtor:
    """The billing contact of a registrant-managed domain, else its registrant."""
    billing = (await ctx.conn.execute(
        select(domain_contacts.c.contact_id).where(domain_contacts.c.domain_id == domain_id,
                                                   domain_contacts.c.type == "billing")
    )).scalar()
    row = (await ctx.conn.execute(select(contacts).where(
        contacts.c.id == (billing or registrant_id)))).one()
    return _contact_debtor(row)


async def registrar_debtor(ctx: Ctx, registrar_id: int) -> Debtor:
    row = (await ctx.conn.execute(select(registrars).where(registrars.c.id == registrar_id))
           ).one()
    return Debtor(name=f"{row.name} ({row.handle})", address=row.handle, email=row.email,
                  lang=ctx.settings.mail_default_lang, registrar_id=row.id)


async def _exists(ctx: Ctx, purpose_key: str) -> bool:
    return (await ctx.conn.execute(select(invoices.c.id).where(
        invoices.c.purpose_key == purpose_key))).first() is not None


# --- renewals of registrant-managed domains ---------------------------------------------

def _invoiced_by_registry() -> Any:
    return REGISTRY_INVOICED


def _renewal_invoiced() -> Any:
    return exists().where(invoices.c.domain_id == domains.c.id, invoices.c.kind == "renewal",
                          invoices.c.period_start == domains.c.expires_at)


def renewal_decidable() -> Any:
    """The domain's renewal at expiry can be decided: a registrar pays it, or the
    registry's renewal invoice for this period exists, or the registrant turned auto-renew
    off (no invoice is made: the domain lapses). Without it (its invoicing failed and
    waits for a retry) the expiry waits too, rather than renew an unbilled year."""
    return or_(~_invoiced_by_registry(), domains.c.autorenew.is_(False), _renewal_invoiced())


def _to_invoice(ctx: Ctx) -> list[Any]:
    ahead = ctx.now + timedelta(days=ctx.settings.invoice_days_before_expiry)
    return [domains.c.state == "active", domains.c.expires_at <= ahead,
            domains.c.redemption_until.is_(None), domains.c.delete_at.is_(None),
            domains.c.released_at.is_(None), _invoiced_by_registry(),
            domains.c.autorenew.is_(True), ~_renewal_invoiced()]


async def due_renewal_invoices(ctx: Ctx, run: Ready, limit: int) -> list[Any]:
    return list((await ctx.conn.execute(ctx.skip_locked(
        select(domains.c.id, domains.c.uname, domains.c.registrant_id, domains.c.expires_at)
        .where(*_to_invoice(ctx), run.ready(domains.c.id))
        # the soonest expiry first, along ix_domains_registry_invoiced_expiry: in id
        # order PostgreSQL walked all of ``domains`` (0.2 s at 1.4 M, every interval)
        .order_by(domains.c.expires_at, domains.c.id).limit(limit), of=domains))).all())


async def oldest_renewal_invoice(ctx: Ctx) -> datetime | None:
    """A renewal is due for invoicing ``invoice_days_before_expiry`` before the expiry."""
    first = (await ctx.conn.execute(select(func.min(domains.c.expires_at))
                                    .where(*_to_invoice(ctx)))).scalar()
    return first - timedelta(days=ctx.settings.invoice_days_before_expiry) if first else None


async def issue_renewal_invoices(ctx: Ctx, rows: list[Any]) -> int:
    """Invoice next year's renewal ``invoice_days_before_expiry`` days ahead of expiry."""
    for row in rows:
        if await _exists(ctx, f"renewal:{row.id}:{row.expires_at.isoformat()}"):
            continue  # another worker issued it between our read and our lock
        debtor = await domain_debtor(ctx, row.id, row.registrant_id)
        end = extend(row.expires_at, 1)
        frm, to = local_date(row.expires_at), local_date(end)
        text = (f"{row.uname}: fornyelse 1 år ({frm} – {to})" if debtor.lang == "da" else
                f"{row.uname}: renewal 1 year ({frm} – {to})")
        await issue(ctx, kind="renewal",
                    purpose_key=f"renewal:{row.id}:{row.expires_at.isoformat()}",
                    debtor=debtor, lines=[Line(text, 1, ctx.settings.domain_price_ore)],
                    due_at=row.expires_at, domain_id=row.id, period=(row.expires_at, end))
    return len(rows)


async def renewal_unpaid(ctx: Ctx, domain_id: int, expires_at: datetime) -> bool:
    """An open renewal invoice for this expiry exists: the renewal must wait for it."""
    return (await ctx.conn.execute(select(exists().where(
        invoices.c.domain_id == domain_id, invoices.c.kind == "renewal",
        invoices.c.period_start == expires_at, invoices.c.status == "open")))).scalar() \
        is True


async def _renew_paid(ctx: Ctx, inv: InvoiceView) -> None:
    """A paid renewal goes through: extend from the invoiced expiry, restoring the domain
    when it is in redemption for non-payment. Nothing when the period is no longer the
    domain's (released, or renewed another way meanwhile)."""
    row = (await ctx.conn.execute(ctx.for_update(
        select(domains).where(domains.c.id == inv.domain_id)))).one()
    period_start = (await ctx.conn.execute(select(invoices.c.period_start)
                                           .where(invoices.c.id == inv.id))).scalar_one()
    if row.released_at is not None or row.expires_at != period_start:
        return
    values: dict[str, object] = {"expires_at": extend(row.expires_at, 1), "updated_at": ctx.now,
                                 "updated_by": ctx.actor.registrar_handle}
    if row.redemption_until is not None:
        if row.redemption_cause != "nopay":
            return  # deleted or suspended for another reason: payment does not undo that
        id_status = (await ctx.conn.execute(select(contacts.c.id_status).where(
            contacts.c.id == row.registrant_id))).scalar_one()
        values.update(statuses="ok" if is_validated(id_status) else "serverHold",
                      redemption_until=None, redemption_cause=None)
        await mark_subordinate_hosts(ctx, row.id, pending=False)
    await ctx.conn.execute(update(domains).where(domains.c.id == row.id).values(**values))


def _stale() -> list[Any]:
    return [invoices.c.kind == "renewal", invoices.c.status == "open",
            or_(domains.c.released_at.is_not(None),
                domains.c.expires_at > invoices.c.period_start)]


async def due_stale_renewals(ctx: Ctx, run: Ready, limit: int) -> list[Any]:
    return list((await ctx.conn.execute(ctx.skip_locked(
        select(invoices.c.id, invoices.c.number)
        .join(domains, domains.c.id == invoices.c.domain_id)
        .where(*_stale(), run.ready(invoices.c.id))
        .order_by(invoices.c.id).limit(limit), of=invoices))).all())


async def cancel_stale_renewals(ctx: Ctx, rows: list[Any]) -> int:
    """Open renewal invoices whose period is gone: the name was released, or the domain
    was renewed another way (e.g. a registrar became its billing contact)."""
    await ctx.conn.execute(update(invoices).where(invoices.c.id.in_([r.id for r in rows]))
                           .values(status="cancelled"))
    return len(rows)


async def oldest_stale_renewal(ctx: Ctx) -> datetime | None:
    """Since the name was released, or the domain last changed (renewed)."""
    return (await ctx.conn.execute(
        select(func.min(func.coalesce(domains.c.released_at, domains.c.updated_at)))
        .select_from(invoices.join(domains, domains.c.id == invoices.c.domain_id))
        .where(*_stale()))).scalar()


# --- the registrar's monthly invoice -----------------------------------------------------

def previous_month(now: datetime) -> tuple[str, datetime, datetime]:
    """(YYYY-MM, start, end) of the Copenhagen month before the one ``now`` is in."""
    local = now.astimezone(COPENHAGEN)
    end = local.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    start = (end - timedelta(days=1)).replace(day=1)
    return f"{start:%Y-%m}", start, end


def _charged(now: datetime, run: Ready | None = None) -> Any:
    """Registrars charged last month and not yet invoiced for it (``id``)."""
    _month, start, end = previous_month(now)
    done = exists().where(invoices.c.kind == "monthly", invoices.c.period_start == start,
                          invoices.c.debtor_registrar_id == ledger.c.registrar_id)
    query = (select(ledger.c.registrar_id.label("id"))
             .where(ledger.c.created_at >= start, ledger.c.created_at < end,
                    ledger.c.kind != "topup", ~done))
    if run is not None:
        query = query.where(run.ready(ledger.c.registrar_id))
    return query.group_by(ledger.c.registrar_id)


async def due_monthly_invoices(ctx: Ctx, run: Ready, limit: int) -> list[Any]:
    """Read without locks; ``issue_monthly_invoices`` locks each registrar in turn."""
    return list((await ctx.conn.execute(
        _charged(ctx.now, run).order_by(ledger.c.registrar_id).limit(limit))).all())


async def oldest_monthly_invoice(ctx: Ctx) -> datetime | None:
    """Due since the month ended, while a registrar charged in it waits for its invoice."""
    waiting = (await ctx.conn.execute(_charged(ctx.now).limit(1))).first()
    return previous_month(ctx.now)[2] if waiting is not None else None


async def issue_monthly_invoices(ctx: Ctx, charged: list[Any]) -> int:
    """Last month's prepaid charges, invoiced once per registrar in the month after."""
    month, start, end = previous_month(ctx.now)
    issued = 0
    for (rid,) in charged:
        # one worker per registrar: lock its row, then look again under the lock
        locked = (await ctx.conn.execute(ctx.skip_locked(
            select(registrars.c.id).where(registrars.c.id == rid)))).scalar()
        if locked is None or await _exists(ctx, f"monthly:{rid}:{month}"):
            continue
        issued += 1
        rows = (await ctx.conn.execute(
            select(ledger.c.kind, func.count().label("n"),
                   func.sum(ledger.c.amount_ore).label("total"))
            .where(ledger.c.registrar_id == rid, ledger.c.created_at >= start,
                   ledger.c.created_at < end, ledger.c.kind != "topup")
            .group_by(ledger.c.kind).order_by(ledger.c.kind))).all()
        debtor = await registrar_debtor(ctx, rid)
        da = debtor.lang == "da"
        lines = [Line(f"{KIND_TEXT.get(r.kind, (r.kind, r.kind))[0 if da else 1]} {month}",
                      int(r.n), -int(r.total), prepaid=True) for r in rows]
        email = (await ctx.conn.execute(select(registrars.c.email)
                                        .where(registrars.c.id == rid))).scalar_one()
        await issue(ctx, kind="monthly", purpose_key=f"monthly:{rid}:{month}", debtor=debtor,
                    lines=lines, due_at=ctx.now, period=(start, end),
                    paid_reference=PREPAID_REFERENCE,
                    mail_to=await recipients(ctx, rid, email))
    return issued


# --- top-ups -------------------------------------------------------------------------------

async def topup_invoice(ctx: Ctx, registrar_id: int, amount_ore: int,
                        purpose_key: str | None = None) -> int:
    """An open top-up invoice (no mail: the payer is on the payment page already). With a
    ``purpose_key`` (a monthly invoice's top-up) the same one is returned again."""
    if purpose_key is not None:
        found = (await ctx.conn.execute(select(invoices.c.id)
                                        .where(invoices.c.purpose_key == purpose_key))).scalar()
        if found is not None:
            return int(found)
    debtor = await registrar_debtor(ctx, registrar_id)
    text = ("Indbetaling på forudbetalt konto" if debtor.lang == "da" else
            "Top-up of the prepaid account")
    return await issue(ctx, kind="topup",
                       purpose_key=purpose_key or f"topup:{secrets.token_hex(16)}",
                       debtor=debtor, lines=[Line(text, 1, amount_ore)],
                       due_at=ctx.now + timedelta(days=ctx.settings.invoice_due_days),
                       mail_to=[])


# --- payment -------------------------------------------------------------------------------

async def pay(ctx: Ctx, invoice_id: int, reference: str) -> bool:
    """Mark an open invoice paid and carry out what it pays for; queue the receipt.
    False (nothing changed) when it was not open — a replayed or late callback."""
    inv = await load(ctx, invoice_id, lock=True)
    if inv.status != "open":
        return False
    await ctx.conn.execute(update(invoices).where(invoices.c.id == invoice_id).values(
        status="paid", paid_at=ctx.now, payment_reference=reference[:128]))
    if inv.kind == "renewal" and inv.domain_id is not None:
        await _renew_paid(ctx, inv)
    elif inv.kind == "topup" and inv.debtor_registrar_id is not None:
        await post_ledger(ctx, inv.debtor_registrar_id, inv.total_ore, "topup",
                          f"payment {reference} invoice {inv.number}"[:255])
    await mail(ctx, await load(ctx, invoice_id), "receipt", inv.debtor_email)
    return True


async def start_payment(ctx: Ctx, invoice_id: int, provider: str) -> tuple[str, int, int]:
    """A payment attempt for what the link's invoice pays: (reference, amount, invoice id
    paid). A monthly invoice (already paid from the prepaid account) pays a top-up."""
    inv = await load(ctx, invoice_id)
    if inv.kind == "monthly" and inv.debtor_registrar_id is not None:
        invoice_id = await topup_invoice(ctx, inv.debtor_registrar_id, inv.total_ore,
                                         purpose_key=monthly_topup_key(inv.id))
        inv = await load(ctx, invoice_id)
    if inv.status != "open":
        raise err(2304, "object_status", field="invoice",
                  detail=Detail("invoice_status", number=inv.number, status=inv.status))
    reference = secrets.token_hex(16)
    await ctx.conn.execute(insert(payments).values(
        invoice_id=invoice_id, reference=reference, provider=provider,
        amount_ore=inv.total_ore, status="pending", created_at=ctx.now))
    return reference, inv.total_ore, invoice_id


def monthly_topup_key(monthly_invoice_id: int) -> str:
    """The ``purpose_key`` of the top-up a monthly invoice's payment link pays."""
    return f"topup:monthly:{monthly_invoice_id}"


async def payment_status(ctx: Ctx, invoice_id: int, reference: str) -> tuple[str, int] | None:
    """(status, invoice id paid) of a payment attempt started from ``invoice_id``'s link:
    one for that invoice itself, or for the top-up its monthly invoice pays. None for any
    other reference — a payment link shows its own invoice only, so another invoice's
    reference (guessed, or copied from another payer's return URL) finds nothing."""
    row = (await ctx.conn.execute(
        select(payments.c.status, payments.c.invoice_id)
        .select_from(payments.join(invoices, invoices.c.id == payments.c.invoice_id))
        .where(payments.c.reference == reference,
               or_(invoices.c.id == invoice_id,
                   invoices.c.purpose_key == monthly_topup_key(invoice_id))))).first()
    return (row.status, row.invoice_id) if row else None


async def record_callback(ctx: Ctx, reference: str, status: str, amount_ore: int,
                          transaction: str) -> str:
    """Apply the provider's verified callback: "paid", "declined" or "replay" (a payment
    already decided: nothing changes). Unknown reference or a wrong amount: EppError."""
    row = (await ctx.conn.execute(ctx.for_update(
        select(payments).where(payments.c.reference == reference)))).first()
    if row is None:
        raise err(2303, "object_not_exist", field="reference", detail=Detail("no_such_payment"))
    if row.status != "pending":
        return "replay"
    if status == "approved" and amount_ore != row.amount_ore:
        raise err(2004, "value_range", field="amount",
                  detail=Detail("paid_re_payment", amount_ore=amount_ore,
                                amount_ore2=row.amount_ore))
    decided = "approved" if status == "approved" else "declined"
    await ctx.conn.execute(update(payments).where(payments.c.id == row.id).values(
        status=decided, provider_transaction=transaction[:128], completed_at=ctx.now))
    if decided == "declined":
        return "declined"
    await pay(ctx, row.invoice_id, f"{row.provider} {transaction}")
    return "paid"


async def request_topup(ctx: Ctx, user: PortalUser, amount_text: str) -> int:
    """The portal's top-up through the payment provider: an open top-up invoice whose
    payment page the user is sent to (the sandbox's direct top-up stays beside it)."""
    require(user, "account_topup")
    return await topup_invoice(ctx, user.registrar_id, parse_amount(amount_text))


async def registrar_invoice(ctx: Ctx, user: PortalUser, invoice_id: int) -> InvoiceView:
    """One of the user's registrar's invoices (2303 for anyone else's, as for none)."""
    require(user, "invoices")
    inv = await load(ctx, invoice_id)
    if inv.debtor_registrar_id != user.registrar_id:
        raise err(2303, "object_not_exist", field="invoice", detail=Detail("no_such_invoice"))
    return inv
