"""Storage for create domain: what a create refers to, and the application it writes.

Two implementations of the same two operations. The generic one (SQLAlchemy Core) runs
on every backend inside the caller's transaction. The PostgreSQL one is what production
runs: one statement to load and one to write, the write being a single atomic statement
(domain, name servers, roles, DS records, application, debit, ledger row and audit
row), so the registrar's account row is locked only while that statement commits.
bench/README.md has the figures that made this worth a second implementation; the tests
run every create on both.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import insert, select
from sqlalchemy.exc import IntegrityError

from dkreg.actions.audit import AuditEvent, write
from dkreg.actions.context import Ctx
from dkreg.actions.ledger import debit
from dkreg.details import Detail
from dkreg.errors import EppError, err
from dkreg.model.dnssec import DsRecord
from dkreg.store.schema import (
    applications,
    contacts,
    domain_contacts,
    domain_ns,
    domains,
    ds_records,
    hosts,
    registrars,
)

# a host waiting for approval (pendingCreate) or going away with its domain (pendingDelete)
# cannot be a name server yet/any more: "Invalid or inactive nameserver"
_usable = (hosts.c.statuses.notlike("%pendingCreate%"),
           hosts.c.statuses.notlike("%pendingDelete%"))


@dataclass(frozen=True)
class Registrant:
    id: int
    sponsor_id: int | None
    management: str
    id_status: str
    cc: str


@dataclass(frozen=True)
class CreateRefs:
    default_management: str
    default_autorenew: bool
    registrant: Registrant | None
    hosts: dict[str, int]  # name -> id, only those that exist and may serve (not pending)
    contacts: dict[str, int]  # handle -> id, only those that exist


@dataclass(frozen=True)
class NewApplication:
    alabel: str
    ulabel: str
    roid: str
    registrant_id: int
    sponsor_id: int | None
    management: str
    autorenew: bool
    period: int
    registrar_id: int
    registrar_handle: str
    user_login: str
    now: datetime
    ns_ids: list[int]
    roles: list[tuple[str, int]]
    cl_trid: str | None
    sv_trid: str | None
    flow: int
    accepted_at: datetime | None
    price_ore: int
    accept_deadline: datetime | None
    ds: list[DsRecord]  # secDNS:create, on the application's domain row
    audit: AuditEvent | None  # written with the application, result code 1001


def tracking_number(now: datetime, domain_id: int) -> str:
    return f"{now:%Y%m%d}{domain_id:05d}"


async def load_refs(ctx: Ctx, registrar_id: int, handle: str, ns_names: list[str],
                    role_handles: list[str]) -> CreateRefs:
    if ctx.raw is not None:
        return await _load_pg(ctx, registrar_id, handle, ns_names, role_handles)
    reg = (await ctx.conn.execute(
        select(registrars.c.default_management, registrars.c.default_autorenew)
        .where(registrars.c.id == registrar_id))).one()
    row = (await ctx.conn.execute(
        select(contacts.c.id, contacts.c.sponsor_id, contacts.c.management,
               contacts.c.id_status, contacts.c.cc)
        .where(contacts.c.handle == handle, contacts.c.deleted_at.is_(None)))).first()
    host_ids = {r.name: r.id for r in await ctx.conn.execute(
        select(hosts.c.name, hosts.c.id).where(hosts.c.name.in_(ns_names), *_usable))}
    role_ids = {r.handle: r.id for r in await ctx.conn.execute(
        select(contacts.c.handle, contacts.c.id)
        .where(contacts.c.handle.in_(role_handles), contacts.c.deleted_at.is_(None)))
    } if role_handles else {}
    return CreateRefs(reg.default_management, reg.default_autorenew,
                      Registrant(row.id, row.sponsor_id, row.management, row.id_status, row.cc)
                      if row else None, host_ids, role_ids)


async def write_application(ctx: Ctx, app: NewApplication) -> str:
    """Write the application; return its tracking number. 2302 when the name is taken,
    2104 when a Flow 1 create cannot be paid for; nothing is written in either case."""
    if ctx.raw is not None:
        return await _write_pg(ctx, app)
    try:
        domain_id = (await ctx.conn.execute(insert(domains).values(
            name=app.alabel, uname=app.ulabel, roid=app.roid, state="application",
            statuses="pendingCreate", registrant_id=app.registrant_id, sponsor_id=app.sponsor_id,
            management=app.management, autorenew=app.autorenew, period_years=app.period,
            created_by=app.registrar_handle, created_at=app.now,
        ).returning(domains.c.id))).scalar_one()
    except IntegrityError:
        raise _occupied(app) from None
    await ctx.conn.execute(insert(domain_ns), [
        {"domain_id": domain_id, "host_id": h, "position": i} for i, h in enumerate(app.ns_ids)])
    if app.roles:
        await ctx.conn.execute(insert(domain_contacts), [
            {"domain_id": domain_id, "type": t, "contact_id": c} for t, c in app.roles])
    if app.ds:
        await ctx.conn.execute(insert(ds_records), [
            {"domain_id": domain_id, "key_tag": r.key_tag, "alg": r.alg,
             "digest_type": r.digest_type, "digest": r.digest, "created_at": app.now}
            for r in app.ds])
    tn = tracking_number(app.now, domain_id)
    sv_trid = f"{app.sv_trid}-{tn}" if app.sv_trid else None
    await ctx.conn.execute(insert(applications).values(
        tracking_no=tn, domain_id=domain_id, registrar_id=app.registrar_id,
        user_login=app.user_login, cl_trid=app.cl_trid, sv_trid=sv_trid, flow=app.flow,
        terms_accepted_at=app.accepted_at, period_years=app.period, price_ore=app.price_ore,
        billed=app.flow == 1, state="queued" if app.flow == 1 else "awaiting_acceptance",
        due_at=app.now if app.flow == 1 else None, accept_deadline=app.accept_deadline,
        created_at=app.now))
    if app.audit is not None:
        await write(ctx.conn, _audited(app.audit, app, sv_trid))
    if app.flow == 1:
        # last statement before commit: the account row lock is held for the shortest time
        await debit(ctx, app.registrar_id, app.price_ore, "domain_create", f"{app.ulabel} {tn}")
    return tn


def _occupied(app: NewApplication) -> EppError:
    return err(2302, "domain_occupied", field="domain:name",
               detail=Detail("registered_applied", ulabel=app.ulabel))


def _audited(event: AuditEvent, app: NewApplication, sv_trid: str | None) -> AuditEvent:
    event.result_code, event.object, event.sv_trid = 1001, app.ulabel, sv_trid
    return event


# -- PostgreSQL -------------------------------------------------------------------------

_LOAD_SQL = """
SELECT r.default_management, r.default_autorenew,
       c.id AS cid, c.sponsor_id, c.management, c.id_status, c.cc,
       (SELECT json_object_agg(h.name, h.id) FROM hosts h WHERE h.name = ANY($3::text[])
        AND h.statuses NOT LIKE '%pendingCreate%' AND h.statuses NOT LIKE '%pendingDelete%')
           AS host_ids,
       (SELECT json_object_agg(x.handle, x.id) FROM contacts x WHERE x.handle = ANY($4::text[])
                                                  AND x.deleted_at IS NULL)
           AS role_ids
FROM registrars r LEFT JOIN contacts c ON c.handle = $2 AND c.deleted_at IS NULL
WHERE r.id = $1
"""

# One atomic statement. The debit runs first (every later part depends on it through
# "go"): when the account cannot pay for a Flow 1 create nothing is inserted and the
# statement returns no id; a taken name fails the whole statement on the unique index.
_WRITE_SQL = """
WITH u AS (
  UPDATE registrars SET balance_ore = balance_ore - $21
  WHERE id = $15 AND $19 = 1 AND balance_ore >= $21
  RETURNING balance_ore),
go AS (SELECT ($19 = 2 OR EXISTS (SELECT 1 FROM u)) AS ok),
d AS (
  INSERT INTO domains (name, uname, roid, state, statuses, registrant_id, sponsor_id,
                       management, autorenew, period_years, created_by, created_at)
  SELECT $1, $2, $3, 'application', 'pendingCreate', $4, $5, $6, $7, $8, $9, $10
  FROM go WHERE go.ok
  RETURNING id),
t AS (
  SELECT id, $11::text || CASE WHEN id < 100000 THEN lpad(id::text, 5, '0')
                               ELSE id::text END AS tn
  FROM d),
ns AS (
  INSERT INTO domain_ns (domain_id, host_id, position)
  SELECT t.id, h.host_id, h.pos - 1
  FROM t, unnest($12::bigint[]) WITH ORDINALITY AS h(host_id, pos)),
dc AS (
  INSERT INTO domain_contacts (domain_id, type, contact_id)
  SELECT t.id, c.type, c.cid FROM t, unnest($13::text[], $14::bigint[]) AS c(type, cid)),
ds AS (
  INSERT INTO ds_records (domain_id, key_tag, alg, digest_type, digest, created_at)
  SELECT t.id, r.key_tag, r.alg, r.digest_type, r.digest, $10
  FROM t, unnest($29::int[], $30::int[], $31::int[], $32::text[]) WITH ORDINALITY
          AS r(key_tag, alg, digest_type, digest, pos)
  ORDER BY r.pos),
a AS (
  INSERT INTO applications (tracking_no, domain_id, registrar_id, user_login, cl_trid,
      sv_trid, flow, terms_accepted_at, period_years, price_ore, billed, state, due_at,
      accept_deadline, created_at)
  SELECT t.tn, t.id, $15, $16, $17, $18::text || '-' || t.tn, $19, $20, $8, $21, $19 = 1,
         CASE WHEN $19 = 1 THEN 'queued' ELSE 'awaiting_acceptance' END,
         CASE WHEN $19 = 1 THEN $10::timestamptz END, $22, $10
  FROM t),
l AS (
  INSERT INTO ledger (registrar_id, amount_ore, balance_after_ore, kind, reference, created_at)
  SELECT $15, -$21, u.balance_ore, 'domain_create', $2 || ' ' || t.tn, $10 FROM u, t),
au AS (
  INSERT INTO audit (at, door, registrar_id, actor, command, object, cl_trid, sv_trid,
                     result_code, client_ip, request)
  SELECT $10, $23, $15, $24, $25, $2, $17, $18::text || '-' || t.tn, 1001, $26, $27
  FROM t WHERE $28)
SELECT t.tn FROM t
"""


async def _load_pg(ctx: Ctx, registrar_id: int, handle: str, ns_names: list[str],
                   role_handles: list[str]) -> CreateRefs:
    row = await ctx.raw.fetchrow(_LOAD_SQL, registrar_id, handle, ns_names, role_handles)
    reg = None if row["cid"] is None else Registrant(
        row["cid"], row["sponsor_id"], row["management"], row["id_status"], row["cc"])
    return CreateRefs(row["default_management"], row["default_autorenew"], reg,
                      json.loads(row["host_ids"]) if row["host_ids"] else {},
                      json.loads(row["role_ids"]) if row["role_ids"] else {})


async def _write_pg(ctx: Ctx, app: NewApplication) -> str:
    import asyncpg

    a = app.audit
    try:
        tn = await ctx.raw.fetchval(
            _WRITE_SQL, app.alabel, app.ulabel, app.roid, app.registrant_id, app.sponsor_id,
            app.management, app.autorenew, app.period, app.registrar_handle, app.now,
            f"{app.now:%Y%m%d}", app.ns_ids, [t for t, _ in app.roles],
            [c for _, c in app.roles], app.registrar_id, app.user_login, app.cl_trid,
            app.sv_trid, app.flow, app.accepted_at, app.price_ore, app.accept_deadline,
            a.door if a else None, a.actor if a else None, a.command if a else None,
            a.client_ip if a else None, a.request if a else None, a is not None,
            [r.key_tag for r in app.ds], [r.alg for r in app.ds],
            [r.digest_type for r in app.ds], [r.digest for r in app.ds])
    except asyncpg.UniqueViolationError:
        raise _occupied(app) from None
    if tn is None:
        raise err(2104, "insufficient_credit", detail=Detail("price_dkk",
                                                             value=app.price_ore / 100))
    return tn
