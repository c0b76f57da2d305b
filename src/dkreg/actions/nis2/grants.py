"""Access grants: what a legitimate access seeker may see, for how long, and the check
the RDAP door runs for each authenticated request (``grant_for``).

A grant is a random bearer token, kept only as its SHA-256 (``model.secret_tokens``) and
mailed once to the requester; the registry cannot show it again. It covers the domains
of its request or, for an authority's standing grant, every domain; it allows some of
``model.nis2.FIELDS``, inside ``[valid_from, valid_until)``. Staff may suspend a grant
(and lift the suspension) or revoke it for good.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import insert, select, update

from dkreg.actions.nis2.common import (
    audit,
    choices_problem,
    email_problem,
    text_problem,
)
from dkreg.errors import err
from dkreg.mail.outbox import queue_mail
from dkreg.model.nis2 import AUTHORITY_TYPES, FIELDS, words
from dkreg.model.public_view import PublicContact
from dkreg.model.secret_tokens import new_token, token_hash
from dkreg.store.context import Ctx
from dkreg.store.schema import nis2_access_grants

G = nis2_access_grants.c


@dataclass(frozen=True)
class Grant:
    """A grant as the door that discloses needs it."""

    id: int
    requester_name: str
    requester_org: str
    requester_email: str
    requester_type: str
    standing: bool
    domains: frozenset[str]  # A-labels; empty for a standing grant (every domain)
    fields: frozenset[str]
    valid_from: datetime
    valid_until: datetime

    def covers(self, alabel: str) -> bool:
        return self.standing or alabel in self.domains

    def allows(self, field: str) -> bool:
        return field in self.fields

    @classmethod
    def of(cls, row: Any) -> Grant:
        return cls(row.id, row.requester_name, row.requester_org, row.requester_email,
                   row.requester_type, bool(row.standing), frozenset(words(row.domains)),
                   frozenset(words(row.fields)), row.valid_from, row.valid_until)


def check_window(ctx: Ctx, start: datetime, end: datetime) -> None:
    if end <= start or end <= ctx.now:
        raise err(2306, "nis2_bad_window", field="valid_until")


async def issue(ctx: Ctx, *, request_id: int | None, name: str, org: str, email: str,
                requester_type: str, standing: bool, alabels: list[str], fields: list[str],
                valid_from: datetime, valid_until: datetime, staff_id: int,
                staff_email: str, lang: str) -> int:
    """A new grant and its token, mailed to ``email`` in the caller's transaction."""
    token = new_token()
    ordered = [f for f in FIELDS if f in fields]
    grant_id = int((await ctx.conn.execute(insert(nis2_access_grants).values(
        request_id=request_id, requester_name=name, requester_org=org,
        requester_email=email, requester_type=requester_type,
        token_hash=token_hash(token), standing=standing,
        domains="" if standing else " ".join(alabels), fields=" ".join(ordered),
        valid_from=valid_from, valid_until=valid_until, created_at=ctx.now,
        created_by=staff_id).returning(G.id))).scalar_one())
    await queue_mail(ctx, kind="nis2_access_granted", to=email, lang=lang, context={
        "name": name, "token": token, "standing": standing, "domains": " ".join(alabels),
        "fields": ordered, "request_id": request_id,
        "valid_from": valid_from.strftime("%Y-%m-%d %H:%M UTC"),
        "valid_until": valid_until.strftime("%Y-%m-%d %H:%M UTC")})
    await audit(ctx, "nis2_grant_created", staff_email, f"grant:{grant_id}",
                request_id=request_id, standing=standing, requester=email,
                domains=alabels, fields=ordered, valid_from=valid_from,
                valid_until=valid_until)
    return grant_id


async def create_standing(ctx: Ctx, *, staff_id: int, staff_email: str, name: str,
                          org: str, email: str, requester_type: str, fields: list[str],
                          valid_from: datetime | None, valid_until: datetime,
                          lang: str = "da") -> int:
    """A standing grant for an authority (police, CERT, another public authority): every
    domain, the given fields, inside the window."""
    for p in (text_problem(name, "name", most=255), text_problem(org, "org", most=255),
              email_problem(email, "email"), choices_problem(fields, FIELDS, "fields")):
        if p is not None:
            raise p
    if requester_type not in AUTHORITY_TYPES:
        raise err(2306, "nis2_not_authority", field="requester_type")
    start = valid_from or ctx.now
    check_window(ctx, start, valid_until)
    return await issue(ctx, request_id=None, name=name.strip(), org=org.strip(),
                       email=email.strip(), requester_type=requester_type, standing=True,
                       alabels=[], fields=fields, valid_from=start, valid_until=valid_until,
                       staff_id=staff_id, staff_email=staff_email,
                       lang=lang if lang in ("da", "en") else "da")


async def _load(ctx: Ctx, grant_id: int) -> Any:
    row = (await ctx.conn.execute(ctx.for_update(
        select(nis2_access_grants).where(G.id == grant_id)))).first()
    if row is None:
        raise err(2303, "nis2_grant_not_found", field="grant")
    if row.revoked_at is not None:
        raise err(2304, "nis2_grant_revoked", field="grant")
    return row


async def suspend(ctx: Ctx, grant_id: int, *, staff_id: int, staff_email: str) -> bool:
    """Stop the grant opening anything until resumed. False when already suspended."""
    row = await _load(ctx, grant_id)
    if row.suspended_at is not None:
        return False
    await ctx.conn.execute(update(nis2_access_grants).where(G.id == row.id).values(
        suspended_at=ctx.now, suspended_by=staff_id))
    await audit(ctx, "nis2_grant_suspended", staff_email, f"grant:{row.id}")
    return True


async def resume(ctx: Ctx, grant_id: int, *, staff_id: int, staff_email: str) -> bool:
    """Lift a suspension. False when the grant was not suspended."""
    row = await _load(ctx, grant_id)
    if row.suspended_at is None:
        return False
    await ctx.conn.execute(update(nis2_access_grants).where(G.id == row.id).values(
        suspended_at=None, suspended_by=None))
    await audit(ctx, "nis2_grant_resumed", staff_email, f"grant:{row.id}",
                by=staff_id)
    return True


async def revoke(ctx: Ctx, grant_id: int, *, staff_id: int, staff_email: str) -> None:
    """End the grant for good (2304 when it already was)."""
    row = await _load(ctx, grant_id)
    await ctx.conn.execute(update(nis2_access_grants).where(G.id == row.id).values(
        revoked_at=ctx.now, revoked_by=staff_id))
    await audit(ctx, "nis2_grant_revoked", staff_email, f"grant:{row.id}")


async def listing(ctx: Ctx, limit: int = 500, request_id: int | None = None) -> list[Any]:
    """The newest grants first; ``request_id``: only the grants of that request."""
    stmt = select(nis2_access_grants)
    if request_id is not None:
        stmt = stmt.where(G.request_id == request_id)
    return list((await ctx.conn.execute(stmt.order_by(G.id.desc()).limit(limit))).all())


def refusal(row: Any, now: datetime, alabel: str | None) -> str | None:
    """Why a known grant opens nothing now (None: it is live and covers ``alabel``;
    ``alabel`` None asks only whether it is live)."""
    if row.revoked_at is not None:
        return "revoked"
    if row.suspended_at is not None:
        return "suspended"
    if now < row.valid_from:
        return "not_yet_valid"
    if now >= row.valid_until:
        return "expired"
    if alabel is not None and not row.standing and alabel not in words(row.domains):
        return "out_of_scope"
    return None


async def live_grant(ctx: Ctx, token: str) -> Any:
    """The grant row of a bearer token that is live now, whatever its scope (the
    authorities' API authenticates with it); None otherwise."""
    if not token:
        return None
    row = (await ctx.conn.execute(select(nis2_access_grants).where(
        G.token_hash == token_hash(token)))).first()
    if row is None or refusal(row, ctx.now, None) is not None:
        return None
    return row


async def grant_for(ctx: Ctx, token: str, domain_alabel: str, *,
                    client_ip: str | None = None) -> Grant | None:
    """The grant that lets the bearer of ``token`` see ``domain_alabel``'s non-public
    registrant data now, or None.

    This is what a door that discloses (RDAP with ``Authorization: Bearer <token>``)
    calls before it shows anything beyond the public view: it then shows only
    ``Grant.fields`` of ``DomainFacts.registrant_contact``. None when the token is
    unknown, when ``ctx.now`` is outside ``[valid_from, valid_until)`` (the registry
    clock, so the sandbox can move it), when the grant is suspended or revoked, or when
    the domain is not among its objects (a standing grant covers every domain).

    Every use of a known token is audited in ``ctx``'s transaction — "nis2_grant_used"
    (who: the grant and its requester; what: the domain and the fields; when: ctx.now)
    or "nis2_grant_refused" with why — so ``ctx`` must be a *write* transaction on the
    primary (``runner.transaction(services, "rdap")``), not the read replica: the record
    of a disclosure commits with the request that made it. An unknown token is not
    audited (anyone can send garbage); the door answers it as an unauthenticated
    request. ``domain_alabel`` is the A-label, lower-case.
    """
    if not token:
        return None
    row = (await ctx.conn.execute(select(nis2_access_grants).where(
        G.token_hash == token_hash(token)))).first()
    if row is None:
        return None
    alabel = domain_alabel.strip().lower()
    why = refusal(row, ctx.now, alabel)
    actor = f"grant:{row.id} {row.requester_email}"
    if why is not None:
        await audit(ctx, "nis2_grant_refused", actor, alabel, 2201, client_ip,
                    grant=row.id, why=why)
        return None
    grant = Grant.of(row)
    await audit(ctx, "nis2_grant_used", actor, alabel, 1000, client_ip, grant=row.id,
                org=row.requester_org, requester_type=row.requester_type,
                fields=[f for f in FIELDS if f in grant.fields])
    return grant


def default_until(ctx: Ctx) -> datetime:
    return ctx.now + timedelta(days=ctx.settings.nis2_access_grant_days)


def granted_contact(grant: Grant, contact: PublicContact) -> PublicContact:
    """``contact`` with only what ``grant`` allows beyond the public view: the name
    (person's name, company name), the postal address, the e-mail, the telephone. The
    country and the kind of registrant are public anyway; the handle identifies the
    object the grant names."""
    named = grant.allows("name")
    address = grant.allows("address")
    return replace(
        contact,
        name=contact.name if named else None,
        org=contact.org if named else None,
        street=contact.street if address else (),
        pc=contact.pc if address else None,
        city=contact.city if address else "",
        email=contact.email if grant.allows("email") else "",
        secondary_email=contact.secondary_email if grant.allows("email") else None,
        voice=contact.voice if grant.allows("phone") else None,
        cvr=contact.cvr if named else None)
