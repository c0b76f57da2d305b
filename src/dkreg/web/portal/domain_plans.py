"""What each form on a domain's page does: the EPP command it is, and what to tell the
user once it is done.

A form's values become a :class:`Plan` — EPP's command name, the request the audit
records, the call of the action EPP uses for the same command, and which EPP fields are
which form fields — or a :class:`FormError` when a value cannot become a command at all
(nothing reaches the action then). Running a plan gives :class:`Done`: the result code
the audit records and the summary the page shows after the redirect, made from what the
action reports (the new expiry date, the amount it debited, the scheduled day), never
from what the form asked for.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from dkreg.actions.domain.delete import DomainDelete, domain_delete
from dkreg.actions.domain.info import domain_info
from dkreg.actions.domain.renew import DomainRenew, domain_renew, local_date
from dkreg.actions.domain.restore import DomainRestore, RestoreReport, domain_restore
from dkreg.actions.domain.update import DomainUpdate, DsUpdate, domain_update
from dkreg.model.dnssec import DIGEST_NAMES
from dkreg.model.ds_from_dnskey import DIGESTS, DnskeyProblem, ds_from_dnskey
from dkreg.model.money import format_amount
from dkreg.model.numbers import bounded_int
from dkreg.model.token import FIELD as TOKEN_FIELD
from dkreg.store.context import Ctx
from dkreg.web.flash import Flash
from dkreg.web.portal.portfolio import epoch_of

FORM_FIELDS = ("renew_period", "cur_exp_date", "del_date", "restore_reason", "ns", "key_tag",
               "alg", "digest_type", "digest", "dnskey", "dnskey_digest", "new_registrant",
               "accepted_at", "rem_key_tag", "rem_alg", "rem_digest_type", "rem_digest",
               "confirmed")
DS_FIELDS = {"secDNS:keyTag": "key_tag", "secDNS:alg": "alg",
             "secDNS:digestType": "digest_type", "secDNS:digest": "digest"}
NS_FIELDS = {"domain:ns": "ns", "domain:hostObj": "ns", "domain:add/hostObj": "ns",
             "domain:rem/hostObj": "ns"}
MINUS = "\u2212"


class FormError(Exception):
    """A value the form could not turn into a command (never reaches the action)."""

    def __init__(self, field: str, key: str, **args: Any) -> None:
        super().__init__(field, key)
        self.field, self.key, self.params = field, key, args


@dataclass(frozen=True)
class Form:
    """One submitted form: the domain (U-label and A-label), its values, the reader's
    language (the summary's amounts are written in it)."""

    name: str
    alabel: str
    values: dict[str, str]
    lang: str

    def money(self, ore: int) -> str:
        return format_amount(ore, self.lang)


@dataclass(frozen=True)
class Done:
    """A plan that ran: the result code for the audit, the summary for the next page."""

    code: int
    flash: Flash


@dataclass
class Plan:
    """One form's command: EPP's command name, what the audit records, how to run it,
    and which EPP fields are which form fields (the rest go to the form's own slot)."""

    command: str
    request: str
    run: Callable[[Ctx], Awaitable[Done]]
    fields: dict[str, str] = field(default_factory=dict)
    slot: str | None = None  # the form's own error slot; default: the action's name


def done(key: str, code: int = 1000, kind: str = "success", **args: str) -> Done:
    return Done(code, Flash(f"dompage.done.{key}", args, kind))


def _years(values: dict[str, str]) -> int:
    years = bounded_int(values["renew_period"].strip(), 3)
    if years is None:
        raise FormError("renew_period", "register.invalid_period")
    return years


def day_of(raw: str, field_name: str) -> date:
    try:
        return date.fromisoformat(raw.strip())
    except ValueError:
        raise FormError(field_name, "domain.invalid_date") from None


def delete_day(values: dict[str, str]) -> date | None:
    """The form's deletion day; None: the deletion starts now."""
    raw = values["del_date"].strip()
    return day_of(raw, "del_date") if raw else None


def renew(form: Form) -> Plan:
    years, cur = _years(form.values), day_of(form.values["cur_exp_date"], "cur_exp_date")

    async def run(ctx: Ctx) -> Done:
        result = await domain_renew(ctx, DomainRenew(name=form.name, cur_exp_date=cur,
                                                     period=years))
        return done("renew_stopped" if result.deletion_stopped else "renew",
                    date=local_date(result.ex_date).isoformat(),
                    amount=form.money(result.price_ore))

    return Plan("domain:renew", f"name={form.name} curExpDate={cur} period={years}", run,
                {"domain:curExpDate": "cur_exp_date", "domain:period": "renew_period"})


def delete(form: Form) -> Plan:
    day = delete_day(form.values)

    async def run(ctx: Ctx) -> Done:
        result = await domain_delete(ctx, DomainDelete(name=form.name, del_date=day))
        if result.delete_at is not None:
            return done("delete_on", 1001, date=local_date(result.delete_at).isoformat())
        assert result.redemption_until is not None
        return done("delete_now", 1001, domain=form.name,
                    date=local_date(result.redemption_until).isoformat())

    return Plan("domain:delete", f"name={form.name} delDate={day or ''}", run,
                {"dkhm:delDate": "del_date"})


def restore(form: Form) -> Plan:
    reason = form.values["restore_reason"].strip()[:1000]

    async def run(ctx: Ctx) -> Done:
        report = RestoreReport(del_time=ctx.now, res_time=ctx.now, res_reason=reason,
                               other="restored in the registrar portal")
        result = await domain_restore(ctx, DomainRestore(name=form.name, report=report))
        return done("restore_hold" if "serverHold" in result.statuses else "restore",
                    date=local_date(result.ex_date).isoformat(),
                    amount=form.money(result.price_ore))

    return Plan("domain:update", f"name={form.name} rgp:restore op=report resReason={reason}",
                run)


def change_ns(form: Form) -> Plan:
    wanted: list[str] = []
    for line in form.values["ns"].splitlines():
        host = line.strip().lower().rstrip(".")
        if host and host not in wanted:
            wanted.append(host)

    async def run(ctx: Ctx) -> Done:
        current = (await domain_info(ctx, form.name)).ns
        add = [h for h in wanted if h not in current]
        rem = [h for h in current if h not in wanted]
        await domain_update(ctx, DomainUpdate(name=form.name, add_ns=add, rem_ns=rem,
                                              containers=True))
        if not add and not rem:
            return done("ns_same")
        return done("ns", changes=", ".join([f"+{h}" for h in add] +
                                            [f"{MINUS}{h}" for h in rem]))

    return Plan("domain:update", f"name={form.name} ns={','.join(wanted)}", run, NS_FIELDS)


def _ds(values: dict[str, str], prefix: str = "") -> tuple[str, str, str, str]:
    return tuple(values.get(prefix + k, "").strip()[:1000]  # type: ignore[return-value]
                 for k in ("key_tag", "alg", "digest_type", "digest"))


def _update(form: Form, request: str, cmd: DomainUpdate, then: Callable[[], Done],
            fields: dict[str, str] | None = None, slot: str | None = None) -> Plan:
    async def run(ctx: Ctx) -> Done:
        await domain_update(ctx, cmd)
        return then()

    return Plan("domain:update", f"name={form.name} {request}", run, fields or {}, slot)


def ds_add(form: Form) -> Plan:
    ds = _ds(form.values)
    return _update(form, f"secDNS:add {' '.join(ds)}", DomainUpdate(
        name=form.name, ds=DsUpdate(add=[ds]), containers=True),
        lambda: done("ds_add", key_tag=ds[0]), DS_FIELDS, "ds")


def ds_from_key(form: Form) -> Plan:
    """The DS record dkreg computes from the pasted DNSKEY, added as ``ds_add`` adds one."""
    digest_type = bounded_int(form.values["dnskey_digest"].strip(), 1)
    if digest_type not in DIGESTS:
        raise FormError("dnskey_digest", "dompage.invalid_choice")
    try:
        ds = ds_from_dnskey(form.values["dnskey"], form.alabel, digest_type)
    except DnskeyProblem as e:
        facts = e.facts | ({"domain": form.name} if e.problem == "owner" else {})
        raise FormError("dnskey", f"dompage.dnskey.{e.problem}", **facts) from None
    values = (str(ds.key_tag), str(ds.alg), str(ds.digest_type), ds.digest)
    return _update(form, f"secDNS:add {' '.join(values)} (from DNSKEY)", DomainUpdate(
        name=form.name, ds=DsUpdate(add=[values]), containers=True),
        lambda: done("ds_dnskey", key_tag=values[0], digest=DIGEST_NAMES[digest_type]),
        {f: "dnskey" for f in DS_FIELDS}, "dnskey")


def ds_rem(form: Form) -> Plan:
    ds = _ds(form.values, "rem_")
    return _update(form, f"secDNS:rem {' '.join(ds)}", DomainUpdate(
        name=form.name, ds=DsUpdate(rem=[ds]), containers=True),
        lambda: done("ds_remove", key_tag=ds[0]), slot="ds")


def ds_rem_all(form: Form) -> Plan:
    return _update(form, "secDNS:rem all", DomainUpdate(
        name=form.name, ds=DsUpdate(rem_all=True), containers=True),
        lambda: done("ds_remove_all"), slot="ds")


def token(form: Form) -> Plan:
    async def run(ctx: Ctx) -> Done:
        await domain_update(ctx, DomainUpdate(name=form.name, auth_pw="auto"))
        live = [t.expires_at for t in (await domain_info(ctx, form.name)).auth_tokens
                if t.op == "transfer"]
        return done("token", date=local_date(max(live)).isoformat())

    return Plan("domain:update", f"name={form.name} authInfo pw=auto", run)


def retract(form: Form) -> Plan:
    return _update(form, "authInfo null", DomainUpdate(name=form.name, auth_null=True),
                   lambda: done("retract"))


def registrant(form: Form) -> Plan:
    epoch = epoch_of(form.values["accepted_at"])
    if epoch is None:
        raise FormError("accepted_at", "register.invalid_accepted_at")
    handle = form.values["new_registrant"].strip()

    async def run(ctx: Ctx) -> Done:
        result = await domain_update(ctx, DomainUpdate(name=form.name, registrant=handle,
                                                       token=str(epoch)))
        key = "registrant_pending" if result.pending else "registrant"
        args = {"handle": handle.upper()}
        if result.debited_ore:
            key, args["amount"] = key + "_fee", form.money(result.debited_ore)
        return done(key, 1001 if result.pending else 1000,
                    "info" if result.pending else "success", **args)

    return Plan("domain:update", f"name={form.name} registrant={handle} token={epoch}", run,
                {"domain:registrant": "new_registrant", TOKEN_FIELD: "accepted_at"},
                "new_registrant")


ACTIONS: dict[str, Callable[[Form], Plan]] = {
    "renew": renew, "delete": delete, "restore": restore, "ns": change_ns,
    "ds-add": ds_add, "ds-dnskey": ds_from_key, "ds-remove": ds_rem,
    "ds-remove-all": ds_rem_all, "token": token, "retract": retract,
    "registrant": registrant,
}
