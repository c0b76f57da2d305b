"""The portal's "register a domain": one form that may also create the registrant and the
missing name-server hosts, then the domain — each through the action EPP uses.

The form judges every field first, with the model's own rules (domain name, name-server
list, host names and glue addresses, the contact's fields, the acceptance time, which
here may not be in the future), and asks EPP's check commands whether the name is free
and which name servers are not hosts yet. Only when nothing is wrong does it act, in
EPP's order and each step its own command with its own audit event (``actions_door``):
``contact:create`` for a new registrant, ``host:create`` for each missing host the
person ticked for creation (glue for a host under a .dk domain, as host:create demands,
none for the others), then ``domain:create`` with the acceptance time as the
``dkhm:orderconfirmationToken``. A step the registry refuses stops the ones after it;
what was made before stays made and the page says so (the new registrant's kontakt-ID
is then filled in), so a second try does not make it again. Success answers 303 to the
application's page with a summary shown once there (Post/Redirect/Get).
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from urllib.parse import quote

from starlette.datastructures import FormData
from starlette.responses import Response
from starlette.routing import Route

from dkreg.actions.balance.prices import price_list
from dkreg.actions.contact.create import ContactCreate, ContactCreateResult, contact_create
from dkreg.actions.domain.create import DomainCreate, domain_create
from dkreg.actions.host.create import HostCreate, HostCreateResult, host_create
from dkreg.actions.portal.registration import preflight, registrant_candidates
from dkreg.errors import EppError
from dkreg.model import contact_rules as rules
from dkreg.model.addresses import parse_ip, require_public
from dkreg.model.contact_rules import ContactInput, PostalInfo, contact_problems
from dkreg.model.money import format_amount
from dkreg.model.names import parse_domain_name, parse_host_name, superordinate_dk_domain
from dkreg.model.nameservers import check_ns_list
from dkreg.model.numbers import bounded_int
from dkreg.model.token import FIELD as TOKEN_FIELD
from dkreg.model.token import check_not_future, check_token
from dkreg.store.context import Ctx
from dkreg.web import flash
from dkreg.web.error_text import error_text
from dkreg.web.i18n import language_of, translator
from dkreg.web.portal.actions_door import run_action
from dkreg.web.portal.guard import Call, portal_route
from dkreg.web.portal.portfolio import epoch_of, local_input

REGISTER = "/domains/register"
APPLICATION = "/portal/applications/"
PERIODS = tuple(range(1, 11))
MAX_LEN = 4000

NEW_CONTACT = ("new_user_type", "new_name", "new_org", "new_street1", "new_street2",
               "new_pc", "new_city", "new_cc", "new_voice", "new_email", "new_cvr")
FIELDS = ("name", "registrant_source", "registrant", *NEW_CONTACT, "ns", "create_hosts",
          "period", "accepted_at")
DEFAULTS = {"registrant_source": "existing", "period": "1", "new_user_type": "individual",
            "new_cc": "DK"}
# EPP's field -> the form's
DOMAIN_ERRORS = {"domain:name": "name", "domain:registrant": "registrant", "domain:ns": "ns",
                 "domain:hostObj": "ns", "domain:period": "period",
                 TOKEN_FIELD: "accepted_at"}
CONTACT_ERRORS = {rules.F_USER_TYPE: "new_user_type", rules.F_NAME: "new_name",
                  rules.F_ORG: "new_org", rules.F_STREET: "new_street1",
                  rules.F_CITY: "new_city", rules.F_PC: "new_pc", rules.F_CC: "new_cc",
                  rules.F_VOICE: "new_voice", rules.F_EMAIL: "new_email",
                  rules.F_CVR: "new_cvr"}
_GLUE_SPLIT = re.compile(r"[\s,;]+")


def glue_field(host: str) -> str:
    return "glue-" + host


def t(call: Call) -> Callable[..., str]:
    return translator(language_of(call.request))


def create_price(call: Call) -> int:
    """A year of a new domain, from the price list the account pages show (what
    ``domain_create`` debits per year)."""
    return next(p.ore for p in price_list(call.services.settings)
                if p.command == "domain_create")


@dataclass
class Made:
    """What a refused registration made before the refusal: it exists now."""

    contact: str | None = None
    contact_reused: bool = False
    hosts: list[str] = field(default_factory=list)
    pending_hosts: list[str] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.contact or self.hosts or self.pending_hosts)


@dataclass
class Checked:
    """The form judged on its own: errors by form field, and what the actions get."""

    errors: dict[str, str] = field(default_factory=dict)
    name: str | None = None  # as typed, when it parses
    ns: list[str] = field(default_factory=list)  # A-labels, when the list is good
    period: int | None = None
    epoch: int | None = None
    contact: ContactCreate | None = None
    missing: list[str] = field(default_factory=list)  # name servers that are no host yet
    typed_ns: list[str] = field(default_factory=list)  # the lines, lower case
    glue: dict[str, list[tuple[str, str | None]]] = field(default_factory=dict)

    def add(self, name: str, text: str) -> None:
        self.errors.setdefault(name, text)

    @property
    def glue_hosts(self) -> list[str]:
        """The missing hosts that need glue: under a .dk domain (EPP's host:create rule)."""
        return [h for h in self.missing if superordinate_dk_domain(h) is not None]


def read_form(form: FormData) -> tuple[dict[str, str], dict[str, str]]:
    """The form's values (bounded) and its glue fields by host name."""
    values = {k: str(form.get(k, ""))[:MAX_LEN] for k in FIELDS}
    glue = {k[len("glue-"):]: str(v)[:MAX_LEN] for k, v in form.multi_items()
            if k.startswith("glue-") and len(k) < 300}
    return values, glue


def contact_command(v: dict[str, str]) -> ContactCreate:
    """The inline registrant as EPP's create contact ("auto") would carry it; the address
    goes in the loc block, which the registry uses for any country."""
    def opt(key: str) -> str | None:
        return v[key].strip() or None

    postal = PostalInfo(type="loc", name=opt("new_name"), org=opt("new_org"),
                        street=[v["new_street1"], v["new_street2"]],
                        city=v["new_city"].strip(), sp=None, pc=opt("new_pc"),
                        cc=v["new_cc"].strip())
    return ContactCreate(id="auto", data=ContactInput(
        postal=[postal], voice=opt("new_voice"), fax=None, email=v["new_email"].strip(),
        user_type=opt("new_user_type"), cvr=opt("new_cvr"), ean=None, pnumber=None,
        mobilephone=None, secondary_email=None))


def parse_glue(raw: str) -> list[tuple[str, str | None]]:
    """The addresses typed for ``host`` (spaces, commas or lines between them), each
    checked as host:create checks it; raises its EppError."""
    out: list[tuple[str, str | None]] = []
    for i, text in enumerate((a for a in _GLUE_SPLIT.split(raw.strip()) if a), 1):
        version = "v6" if ":" in text else "v4"
        require_public(parse_ip(text, version, position=i), position=i)
        out.append((text, version))
    return out


def judge(call: Call, values: dict[str, str], glue_raw: dict[str, str]) -> Checked:
    """Every field's rule that needs no database, at once."""
    tr = t(call)
    c = Checked()

    def refused(name: str, e: EppError) -> None:
        c.add(name, error_text(e, call.request))

    try:
        parse_domain_name(values["name"])
        c.name = values["name"].strip()
    except EppError as e:
        refused("name", e)

    if values["registrant_source"] == "new":
        c.contact = contact_command(values)
        for problem in contact_problems(c.contact.data):
            refused(CONTACT_ERRORS.get(problem.field or "", "new_name"), problem)
    elif not values["registrant"].strip():
        c.add("registrant", tr("register.registrant_required"))

    lines = [line.strip() for line in values["ns"].splitlines() if line.strip()]
    c.typed_ns = [line.lower().rstrip(".") for line in lines]
    try:
        c.ns = check_ns_list([parse_host_name(line, "domain:hostObj") for line in lines],
                             call.services.settings.min_ns, call.services.settings.max_ns)
    except EppError as e:
        refused("ns", e)

    c.period = bounded_int(values["period"].strip(), 3)
    if c.period not in PERIODS:
        c.add("period", tr("register.invalid_period"))

    raw = values["accepted_at"]
    if not raw.strip():
        c.add("accepted_at", tr("register.accepted_at_required"))
    elif (epoch := epoch_of(raw)) is None:
        c.add("accepted_at", tr("register.invalid_accepted_at"))
    else:
        s, now = call.services.settings, call.services.clock.now()
        try:
            accepted = check_token(str(epoch), now, max_future_hours=s.token_max_future_hours,
                                   max_age_days=s.token_max_age_days)
            check_not_future(accepted, now, str(epoch))
            c.epoch = epoch
        except EppError as e:
            refused("accepted_at", e)
    for host, text in glue_raw.items():
        if host in c.ns and text.strip():
            try:
                c.glue[host] = parse_glue(text)
            except EppError as e:
                refused(glue_field(host), e)
    return c


async def look_up(call: Call, c: Checked, create_hosts: bool,
                  glue_raw: dict[str, str]) -> None:
    """The checks that read the registry: the name free, the name servers hosts."""
    if c.name is None and not c.ns:
        return
    async with call.tx() as ctx:
        found = await preflight(ctx, call.user, c.name, c.ns)
    if found.taken is not None:
        c.add("name", error_text(found.taken, call.request))
    if not c.ns:
        # the name servers could not be judged: keep the glue fields the form had
        c.missing = [h for h in glue_raw if h in c.typed_ns]
        return
    c.missing = found.missing_hosts
    tr = t(call)
    if c.missing and not create_hosts:
        c.add("ns", tr("register.hosts_missing", hosts=", ".join(c.missing)))
    elif c.missing:
        for host in c.glue_hosts:
            if host not in c.glue:
                c.add(glue_field(host), tr("register.glue_required", host=host))


def ordered(errors: dict[str, str], glue_hosts: list[str]) -> dict[str, str]:
    """The errors in the order of the form's fields, as the summary lists them."""
    order = [*FIELDS[:FIELDS.index("create_hosts")], *(glue_field(h) for h in glue_hosts),
             *FIELDS[FIELDS.index("create_hosts"):]]
    return {k: errors[k] for k in sorted(errors, key=lambda k: order.index(k)
                                         if k in order else len(order))}


async def form_page(call: Call, values: dict[str, str], status_code: int = 200,
                    errors: dict[str, str] | None = None, glue_hosts: list[str] | None = None,
                    glue: dict[str, str] | None = None, made: Made | None = None) -> Response:
    q = call.request.query_params
    search = q.get("registrant_q", "")[:255] if call.form is None else ""
    async with call.tx() as ctx:
        candidates = await registrant_candidates(ctx, call.user, search)
    lang = language_of(call.request)
    price = create_price(call)
    period = bounded_int(values["period"], 3)
    hosts = glue_hosts or []
    return call.page(
        "portal/domain_register.html", status_code, values=values,
        errors=ordered(errors or {}, hosts), glue_hosts=hosts, glue=glue or {},
        made=made, candidates=candidates, search=search, searched="registrant_q" in q,
        periods=[(p, price * p) for p in PERIODS],
        price=price * period if period in PERIODS else None,
        prices={str(p): format_amount(price * p, lang) for p in PERIODS},
        max_accepted=local_input(call.services.clock.now()),
        user_types=rules.USER_TYPES, tz="Europe/Copenhagen")


def audit_request(values: dict[str, str], keys: tuple[str, ...]) -> str:
    return " ".join(f"{k}={values[k]}" for k in keys if values[k])


@portal_route("domain_create")
async def register(call: Call) -> Response:
    if call.form is None:
        q = call.request.query_params
        values = {k: "" for k in FIELDS} | DEFAULTS
        values.update({k: q[k][:255] for k in ("name", "registrant") if k in q})
        return await form_page(call, values)
    values, glue_raw = read_form(call.form)
    if values["registrant_source"] not in ("existing", "new"):
        values["registrant_source"] = "existing"
    c = judge(call, values, glue_raw)
    await look_up(call, c, bool(values["create_hosts"]), glue_raw)
    if c.errors:
        return await form_page(call, values, 400, c.errors, c.glue_hosts, glue_raw)

    made = Made()
    tr = t(call)

    async def refused(errors: dict[str, str]) -> Response:
        return await form_page(call, values, 400, errors, c.glue_hosts, glue_raw, made)

    if c.contact is not None:
        cmd = c.contact
        try:
            created = await run_action(
                call, "contact_create", "contact:create", "",
                audit_request(values, NEW_CONTACT),
                lambda ctx: _contact(ctx, cmd), code=1000)
        except EppError as e:
            return await refused({CONTACT_ERRORS.get(e.field or "", "form"):
                                  error_text(e, call.request)})
        made.contact, made.contact_reused = created.handle, not created.created
        # from here on the registrant exists: a second try picks it, never makes another
        values.update({k: DEFAULTS.get(k, "") for k in NEW_CONTACT})
        values["registrant"], values["registrant_source"] = created.handle, "existing"

    if c.missing:
        host_errors: dict[str, str] = {}
        for host in c.missing:
            hcmd = HostCreate(name=host, addrs=c.glue.get(host, []))
            try:
                made_host = await run_action(
                    call, "host_create", "host:create", host,
                    f"name={host} addrs={','.join(a for a, _ in hcmd.addrs)}",
                    _host(hcmd), code=lambda r: 1001 if r.pending else 1000)
            except EppError as e:
                slot = glue_field(host) if host in c.glue_hosts else "ns"
                host_errors.setdefault(slot, error_text(e, call.request))
                continue
            (made.pending_hosts if made_host.pending else made.hosts).append(host)
        if host_errors:
            return await refused(host_errors)
        values["create_hosts"] = ""

    assert c.epoch is not None and c.name is not None
    registrant = values["registrant"].strip()
    dcmd = DomainCreate(name=c.name, registrant=registrant, ns=c.ns, period=c.period,
                        token=str(c.epoch))
    try:
        result = await run_action(
            call, "domain_create", "domain:create", dcmd.name,
            f"name={dcmd.name} registrant={registrant} ns={','.join(c.ns)} "
            f"period={dcmd.period} token={c.epoch}",
            lambda ctx: domain_create(ctx, dcmd), code=1001)
    except EppError as e:
        return await refused({DOMAIN_ERRORS.get(e.field or "", "form"):
                              error_text(e, call.request)})
    call.services.lifecycle_wakeup.set()  # as EPP create does: process the application
    lang = language_of(call.request)
    amount = format_amount(create_price(call) * (dcmd.period or 1), lang)
    summary = flash.Flash("register.flash", {
        "name": result.name, "tracking_no": result.tracking_no, "amount": amount,
        "made": made_text(tr, made)})
    return flash.redirect(call.request, APPLICATION + quote(result.tracking_no), summary)


async def _contact(ctx: Ctx, cmd: ContactCreate) -> ContactCreateResult:
    result = await contact_create(ctx, cmd)
    ctx.notes["object"] = result.handle  # the audit event names the new kontakt-ID
    return result


def _host(cmd: HostCreate) -> Callable[[Ctx], Awaitable[HostCreateResult]]:
    return lambda ctx: host_create(ctx, cmd)


def made_text(tr: Callable[..., str], made: Made) -> str:
    """What the registration made on the way, as one sentence for the summary (or "")."""
    parts = []
    if made.contact:
        parts.append(tr("register.made_contact_reused" if made.contact_reused
                        else "register.made_contact", handle=made.contact))
    if made.hosts:
        parts.append(tr("register.made_hosts", hosts=", ".join(made.hosts)))
    return (" " + " ".join(parts)) if parts else ""


ROUTES: list[Route] = [
    Route(REGISTER, register, methods=["GET", "POST"]),
]
