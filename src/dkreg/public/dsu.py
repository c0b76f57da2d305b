"""DSU, DS Update (reference OTHER-SERVICES.md "DSU"), mounted at ``/dsu``: ``POST
/dsu/1.0`` with form variables ``userid``, ``password``, ``domain`` and one to five
numbered DS sets ``keytagN``, ``algorithmN``, ``digest_typeN``, ``digestN`` (contiguous
from 1) replaces *all* DS records of the domain with the sets sent; set 1 ``DELETE_DS`` in
all four fields (and no other set) deletes them all. The whole request is one transaction.

The change is EPP's own: ``actions.domain.update.domain_update`` with a secDNS update
"remove all, add these", run through the runner with its audit event, as the DSU
service user. So the DS rules (algorithms, digest types and lengths, duplicates, the most
DS a domain may have), who may change a domain's DS (its sponsor, with the Name Server
Administrator meta-role; a registrant-managed domain's only in self-service), the
name-server DNSSEC check and the zone journal (the database's triggers on
``ds_records``) are EPP's by construction. This door only reads the form, logs the user
in (``service_login``: the lockout of DAS, the credential cache) and translates: every
refusal the action raises becomes an HTTP status and the ``X-DSU`` sub-code through one
table, ``ERRORS``.

The form is read from the raw body: values that are not UTF-8 are read as ISO-8859-1, as
the specification says (the web's guard, which refuses such bytes elsewhere, leaves
``/dsu`` to do this). The domain is an A-label as the specification has it; a U-label
(``æble.dk``, in either encoding) is read as the same name.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from urllib.parse import unquote_to_bytes

from starlette.datastructures import UploadFile
from starlette.formparsers import MultiPartException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from dkreg import runner
from dkreg.actions.account.registrars import LOGIN
from dkreg.actions.domain.update import DomainUpdate, DomainUpdateResult, DsUpdate, domain_update
from dkreg.errors import EppError
from dkreg.model.names import DomainName, parse_domain_name
from dkreg.public.service_login import ServiceLogin
from dkreg.store.context import Ctx

log = logging.getLogger("dkreg.dsu")

SERVICE = "dsu"
MAX_SETS = 5
FIELDS = ("keytag", "algorithm", "digest_type", "digest")
DELETE = "DELETE_DS"
BODY_MOST = 65536

# the specification's sub-codes and their texts (HTTP status, text)
CODES: dict[int, tuple[int, str]] = {
    480: (400, "Userid not specified"),
    481: (400, "Password not specified"),
    482: (400, "Missing a parameter"),
    483: (400, "Domain name not specified"),
    484: (400, "Invalid domain name"),
    485: (400, "Invalid userid"),
    486: (400, "Invalid digest and digest_type combination"),
    487: (400, "The contents of at least one parameter is syntactically wrong"),
    488: (400, "At least one DS key has an invalid algorithm"),
    489: (400, "Invalid sequence of sets"),
    495: (400, "Unknown parameter given"),
    496: (400, "Unknown userid"),
    497: (400, "Unknown domain name"),
    531: (530, "Authentication failed"),
    532: (530, "Authorisation failed"),
    533: (530, "Authenticating using this password type is not supported"),
}

# The action's refusals as X-DSU sub-codes, the one place they are translated: keyed by
# (reason, field) — a None field matches any field of that reason — else by (code, field),
# else by the code alone. Anything else is 487 (a value the registry's rules refuse).
ERRORS: dict[tuple[str | int, str | None], int] = {
    ("domain_not_found", None): 497,
    ("ds_bad_digest_length", None): 486,
    ("ds_parameter", None): 487,  # the same DS twice
    ("ds_too_many", None): 487,
    ("update_no_privilege", None): 532,  # not the sponsor, or without the NSA meta-role
    ("update_status", None): 532,  # an application, pendingDelete, locked, redemption
    (2004, "secDNS:alg"): 488,  # an algorithm .dk does not publish
    (2005, "secDNS:alg"): 487,
    (2004, "secDNS:digestType"): 486,  # a digest type .dk does not publish
    (2005, "secDNS:digestType"): 487,
    (2004, "secDNS:keyTag"): 487,
    (2005, "secDNS:keyTag"): 487,
    (2005, "secDNS:digest"): 487,
    (2201, None): 532,
}


def sub_code(e: EppError) -> int:
    for key in ((e.reason, e.field), (e.reason, None), (e.code, e.field), (e.code, None)):
        if key in ERRORS:
            return ERRORS[key]
    return 487


def reply(code: int) -> Response:
    """The specification's reply: the HTTP status, the ``X-DSU`` sub-code (0 = OK, no
    header) and the short text."""
    if code == 0:
        return Response("OK\n", status_code=200, media_type="text/plain; charset=utf-8")
    status, text = CODES[code]
    return Response(f"{text}\n", status_code=status, media_type="text/plain; charset=utf-8",
                    headers={"X-DSU": str(code)})


class Refused(Exception):
    def __init__(self, code: int) -> None:
        super().__init__(code)
        self.code = code


def decoded(raw: bytes) -> str:
    """Non-ASCII tried as UTF-8, then ISO-8859-1 (which reads any byte)."""
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("iso-8859-1")


def parse_urlencoded(body: bytes) -> list[tuple[str, str]]:
    pairs = []
    for part in body.split(b"&"):
        if not part.strip():
            continue
        name, _, value = part.replace(b"+", b" ").partition(b"=")
        pairs.append((decoded(unquote_to_bytes(name)), decoded(unquote_to_bytes(value))))
    return pairs


async def read_form(request: Request) -> list[tuple[str, str]]:
    ctype = request.headers.get("content-type", "").lower()
    if ctype.startswith("multipart/form-data"):
        try:
            form = await request.form(max_files=0, max_fields=64)
        except (MultiPartException, Exception) as e:  # a broken body is the client's
            log.info("unreadable multipart DSU request: %s", e)
            raise Refused(482) from None
        try:
            pairs = []
            for k, v in form.multi_items():
                if isinstance(v, UploadFile):
                    raise Refused(487)
                pairs.append((k, v))
            return pairs
        finally:
            await form.close()
    if ctype.startswith("application/x-www-form-urlencoded") or not ctype:
        body = b""
        async for chunk in request.stream():
            body += chunk
            if len(body) > BODY_MOST:
                raise Refused(487)
        return parse_urlencoded(body)
    raise Refused(482)


_SET_FIELD = re.compile(r"(keytag|algorithm|digest_type|digest)([1-9][0-9]*)")


@dataclass(frozen=True)
class DsuRequest:
    userid: str
    password: str
    domain: DomainName
    sets: list[tuple[str, str, str, str]]  # empty: DELETE_DS


def check(pairs: list[tuple[str, str]]) -> DsuRequest:
    """The form, judged on its own (no database): the sub-code of the first problem."""
    values: dict[str, str] = {}
    for field, value in pairs:
        if field not in ("userid", "password", "domain") and not _SET_FIELD.fullmatch(field):
            raise Refused(495)
        if field in values or "\x00" in value:
            raise Refused(487)  # a field twice, or a NUL
        values[field] = value
    userid = values.get("userid", "").strip()
    if not userid:
        raise Refused(480)
    if not values.get("password"):
        raise Refused(481)
    domain_text = values.get("domain", "").strip()
    if not domain_text:
        raise Refused(483)
    if not LOGIN.fullmatch(userid):
        raise Refused(485)
    try:
        name = parse_domain_name(domain_text)
    except EppError:
        raise Refused(484) from None
    numbers = sorted({int(m.group(2)) for k in values if (m := _SET_FIELD.fullmatch(k))})
    if not numbers:
        raise Refused(482)
    if numbers != list(range(1, len(numbers) + 1)) or len(numbers) > MAX_SETS:
        raise Refused(489)
    sets = []
    for n in numbers:
        got = [values.get(f"{f}{n}") for f in FIELDS]
        if any(v is None or not v.strip() for v in got):
            raise Refused(482)
        sets.append(tuple(str(v).strip() for v in got))
    deleting = [v == DELETE for v in sets[0]]
    if any(deleting):
        if not all(deleting):
            raise Refused(487)
        if len(sets) > 1:
            raise Refused(489)  # "no further sets are allowed"
        return DsuRequest(userid, values["password"], name, [])
    if any(DELETE in s for s in sets[1:]):
        raise Refused(487)
    return DsuRequest(userid, values["password"], name,
                      [(a, b, c, d) for a, b, c, d in sets])


def routes() -> list[BaseRoute]:
    """DSU's route table, with one credential cache for this app."""
    logins = ServiceLogin(SERVICE)

    async def update(request: Request) -> Response:
        services = request.app.state.services
        with runner.measure(services.metrics, SERVICE, "ds_update") as codes:
            resp = await _update(request, services, logins)
            codes[0] = runner.web_code(resp.status_code if resp.status_code != 530 else 401)
            return resp

    return [Route("/1.0", update, methods=["POST"])]


async def _update(request: Request, services: runner.Services,
                  logins: ServiceLogin) -> Response:
    try:
        req = check(await read_form(request))
    except Refused as r:
        return reply(r.code)
    client_ip = request.client.host if request.client else None
    verdict = await logins.check(services, req.userid, req.password, client_ip)
    if verdict.refusal == "unknown":
        return reply(496)
    if verdict.refusal == "other_service":
        return reply(533)  # an EPP or DAS password is not a DSU one
    if verdict.actor is None:
        return reply(531)  # wrong password, disabled, or locked out
    actor = verdict.actor
    cmd = DomainUpdate(name=req.domain.alabel, containers=True,
                       ds=DsUpdate(rem_all=True, add=list(req.sets)))

    async def action(ctx: Ctx) -> DomainUpdateResult:
        result = await domain_update(ctx, cmd)
        ctx.notes["object"] = result.name
        return result

    sets = "; ".join(" ".join(s) for s in req.sets) or DELETE
    try:
        await runner.run(services, SERVICE, "domain:update", action, actor=actor,
                         obj=req.domain.alabel, client_ip=client_ip,
                         request=f"domain={req.domain.alabel} ds={sets}")
    except EppError as e:
        if e.reason == "update_ds_none":
            return reply(0)  # "delete all" of a domain without DS: what was asked holds
        return reply(sub_code(e))
    return reply(0)


__all__ = ["CODES", "ERRORS", "SERVICE", "check", "parse_urlencoded", "reply", "routes",
           "sub_code"]
