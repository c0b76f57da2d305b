"""The domain store on PostgreSQL: one asyncpg statement per operation.

Where a statement runs: while the command's connection is a lazy one that nothing has
opened yet (EPP, ``store/lazy_connection.py``), a statement that commits on its own (check,
info, what a create names, a Flow 1 create) runs in autocommit on a pooled asyncpg
connection — one round trip, no SQLAlchemy checkout, no BEGIN/COMMIT. Otherwise it runs on
the driver connection under ``ctx.conn``: SQLAlchemy begins its transaction at its own
first statement, so a door that has run none yet still gets autocommit there, and a door
that has (the portal) gets the statement inside its transaction. The rules come as
parameters from ``store/domain_applications.py``, never as literals here.
"""

from __future__ import annotations

import json
from contextlib import nullcontext
from typing import Any

import asyncpg

from dkreg.store.context import Ctx
from dkreg.store.domain_applications import (
    DOMAIN_STATE,
    DOMAIN_STATUSES,
    LEDGER_KIND,
    TRACKING_ID_DIGITS,
    UNUSABLE_HOST_PATTERNS,
    CreateRefs,
    MailFor,
    NewApplication,
    Registrant,
    occupied,
    unpaid,
)
from dkreg.store.domains import InfoRow, LookupRow, NameState
from dkreg.store.lazy_connection import LazyConnection, unstarted
from dkreg.store.schema import audit

_CHECK_SQL = ("SELECT name, state FROM domains WHERE name = ANY($1::text[]) "
              "AND released_at IS NULL")

_NAME_STATE_SQL = """
SELECT (SELECT state FROM domains WHERE name = $1 AND released_at IS NULL) AS state,
       EXISTS (SELECT 1 FROM reserved_names WHERE name = $1) AS reserved,
       EXISTS (SELECT 1 FROM waiting_list_offers WHERE name = $1 AND offered_until > $2)
           AS offered
"""

_INFO_SQL = """
SELECT d.*, c.handle AS registrant_handle, c.id_status, c.email_status,
       r.handle AS sponsor_handle,
       ARRAY(SELECT h.name FROM domain_ns dn JOIN hosts h ON h.id = dn.host_id
             WHERE dn.domain_id = d.id ORDER BY dn.position) AS x_ns,
       ARRAY(SELECT h.name FROM hosts h WHERE h.domain_id = d.id ORDER BY h.name) AS x_subs,
       ARRAY(SELECT ROW(dc.type, cc.handle) FROM domain_contacts dc
             JOIN contacts cc ON cc.id = dc.contact_id WHERE dc.domain_id = d.id
             ORDER BY dc.type, cc.handle) AS x_roles,
       (SELECT br.handle FROM registrars br WHERE br.id = d.billing_registrar_id) AS x_billing,
       ARRAY(SELECT ROW(s.key_tag, s.alg, s.digest_type, s.digest) FROM ds_records s
             WHERE s.domain_id = d.id ORDER BY s.id) AS x_ds,
       ARRAY(SELECT ROW(t.op, t.token, t.expires_at) FROM auth_tokens t
             WHERE t.domain_id = d.id AND t.used_at IS NULL AND t.retracted_at IS NULL
               AND t.expires_at > $2 ORDER BY t.op) AS x_tokens,
       -- domains_sql.hosts_in_use: hosts under d that serve other live domains
       ARRAY(SELECT ROW(h.name, o.uname) FROM hosts h
             JOIN domain_ns dn ON dn.host_id = h.id JOIN domains o ON o.id = dn.domain_id
             WHERE h.domain_id = d.id AND o.id <> d.id AND o.released_at IS NULL
             ORDER BY h.name, o.uname LIMIT 4) AS x_in_use
FROM domains d JOIN contacts c ON c.id = d.registrant_id
LEFT JOIN registrars r ON r.id = d.sponsor_id
WHERE d.name = $1 AND d.released_at IS NULL
"""

# actions.lookup.domain (WHOIS, RDAP, the lookup page): SqlDomainStore's two statements
# in one, the name servers and DS records as arrays
_LOOKUP_SQL = """
SELECT d.*, r.name AS rname, r.handle AS rhandle, p.public_name, p.website,
       p.email AS remail, p.listed, p.logo_url,
       (SELECT x.dnssec FROM domain_dns_checks x WHERE x.domain_id = d.id
        ORDER BY x.checked_at DESC, x.id DESC LIMIT 1) AS dnssec_checked,
       c.handle, c.user_type, c.name AS c_name, c.org, c.street, c.pc, c.city, c.cc,
       c.email, c.secondary_email, c.cvr, c.voice,
       ARRAY(SELECT h.name FROM domain_ns dn JOIN hosts h ON h.id = dn.host_id
             WHERE dn.domain_id = d.id ORDER BY dn.position) AS x_ns,
       ARRAY(SELECT ROW(s.key_tag, s.alg, s.digest_type, s.digest) FROM ds_records s
             WHERE s.domain_id = d.id ORDER BY s.id) AS x_ds,
       ARRAY(SELECT ROW(h.name, a.ip) FROM domain_ns dn
             JOIN hosts h ON h.id = dn.host_id AND h.domain_id = d.id
             JOIN host_addrs a ON a.host_id = h.id
             WHERE dn.domain_id = d.id ORDER BY h.name, a.ip) AS x_own
FROM domains d JOIN contacts c ON c.id = d.registrant_id
LEFT JOIN registrars r ON r.id = d.sponsor_id
LEFT JOIN registrar_public_info p ON p.registrar_id = d.sponsor_id
WHERE d.name = $1 AND d.released_at IS NULL
"""

_LOAD_SQL = """
SELECT r.default_management, r.default_autorenew,
       c.id AS cid, c.sponsor_id, c.management, c.id_status, c.cc, c.email,
       (SELECT json_object_agg(h.name, h.id) FROM hosts h WHERE h.name = ANY($3::text[])
        AND NOT h.statuses LIKE ANY($5::text[]))::text AS host_ids,
       (SELECT json_object_agg(x.handle, x.id) FROM contacts x WHERE x.handle = ANY($4::text[])
                                                  AND x.deleted_at IS NULL)::text
           AS role_ids
FROM registrars r LEFT JOIN contacts c ON c.handle = $2 AND c.deleted_at IS NULL
WHERE r.id = $1
"""

# audit columns after the 35 parameters below, in the table's order (sv_trid from t)
_AUDIT_COLUMNS = [c.name for c in audit.columns if c.name != "id"]
_AUDIT_PARAMS = [c for c in _AUDIT_COLUMNS if c != "sv_trid"]
_AUDIT_VALUES = ", ".join("$18::text || t.tn" if c == "sv_trid"  # the application's
                          else f"${36 + _AUDIT_PARAMS.index(c)}" for c in _AUDIT_COLUMNS)

# One atomic statement. The debit runs first (every later part depends on it through
# "go"): when the account cannot pay for a billed create nothing is inserted and the
# statement returns no id; a taken name fails the whole statement on the unique index.
_WRITE_SQL = f"""
WITH u AS (
  UPDATE registrars SET balance_ore = balance_ore - $21
  WHERE id = $15 AND $19::bool AND balance_ore >= $21
  RETURNING balance_ore),
go AS (SELECT (NOT $19::bool OR EXISTS (SELECT 1 FROM u)) AS ok),
d AS (
  INSERT INTO domains (name, uname, roid, state, statuses, registrant_id, sponsor_id,
                       management, autorenew, period_years, created_by, created_at)
  SELECT $1, $2, $3, $23, $24, $4, $5, $6, $7, $8, $9, $10
  FROM go WHERE go.ok
  RETURNING id),
t AS (
  SELECT id, $11::text || CASE WHEN length(id::text) < $25 THEN lpad(id::text, $25, '0')
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
  FROM t, unnest($32::int[], $33::int[], $34::int[], $35::text[]) WITH ORDINALITY
          AS r(key_tag, alg, digest_type, digest, pos)
  ORDER BY r.pos),
a AS (
  INSERT INTO applications (tracking_no, domain_id, registrar_id, user_login, cl_trid,
      sv_trid, flow, terms_accepted_at, period_years, price_ore, billed, state, due_at,
      accept_deadline, created_at)
  SELECT t.tn, t.id, $15, $16, $17, $18::text || t.tn, $20, $26, $8, $21, $19, $27, $28,
         $22, $10
  FROM t),
l AS (
  INSERT INTO ledger (registrar_id, amount_ore, balance_after_ore, kind, reference, created_at)
  SELECT $15, -$21, u.balance_ore, $29, $30::text || t.tn, $10 FROM u, t),
au AS (
  INSERT INTO audit ({", ".join(_AUDIT_COLUMNS)})
  SELECT {_AUDIT_VALUES}
  FROM t WHERE $31::bool)
SELECT t.tn FROM t
"""


class PgDomainStore:
    async def lookup(self, ctx: Ctx, alabel: str) -> LookupRow | None:
        row = await (await _driver(ctx)).fetchrow(_LOOKUP_SQL, alabel)
        if row is None:
            return None
        return LookupRow(row, list(row["x_ns"]), [tuple(r) for r in row["x_ds"]],
                         [tuple(r) for r in row["x_own"]])

    async def live_states(self, ctx: Ctx, alabels: list[str]) -> dict[str, str]:
        raw = await _driver(ctx)
        return {r["name"]: r["state"] for r in await raw.fetch(_CHECK_SQL, alabels)}

    async def name_state(self, ctx: Ctx, alabel: str) -> NameState:
        row = await (await _driver(ctx)).fetchrow(_NAME_STATE_SQL, alabel, ctx.now)
        return NameState(row["state"], row["reserved"], row["offered"])

    async def info(self, ctx: Ctx, alabel: str) -> InfoRow | None:
        row = await (await _driver(ctx)).fetchrow(_INFO_SQL, alabel, ctx.now)
        if row is None:
            return None
        return InfoRow(
            domain=row, registrant_handle=row["registrant_handle"],
            id_status=row["id_status"], email_status=row["email_status"],
            sponsor_handle=row["sponsor_handle"], ns=list(row["x_ns"]),
            subordinate=list(row["x_subs"]), roles=[tuple(r) for r in row["x_roles"]],
            billing=row["x_billing"], ds=[tuple(r) for r in row["x_ds"]],
            tokens=[tuple(r) for r in row["x_tokens"]],
            in_use=[tuple(r) for r in row["x_in_use"]])

    async def create_refs(self, ctx: Ctx, registrar_id: int, handle: str,
                          ns_names: list[str], role_handles: list[str]) -> CreateRefs:
        row = await (await _driver(ctx)).fetchrow(_LOAD_SQL, registrar_id, handle, ns_names,
                                                  role_handles, UNUSABLE_HOST_PATTERNS)
        reg = None if row["cid"] is None else Registrant(
            row["cid"], row["sponsor_id"], row["management"], row["id_status"], row["cc"],
            row["email"])
        return CreateRefs(row["default_management"], row["default_autorenew"], reg,
                          json.loads(row["host_ids"]) if row["host_ids"] else {},
                          json.loads(row["role_ids"]) if row["role_ids"] else {})

    async def write_application(self, ctx: Ctx, app: NewApplication,
                                mail: MailFor | None = None) -> str:
        # Flow 1 is one statement; Flow 2 adds its mail in the same transaction
        raw = await _driver(ctx, one_statement=mail is None)
        # Flow 2: the mail commits with the application (a transaction of its own when
        # the door has none open, else a savepoint in the door's)
        async with raw.transaction() if mail is not None else nullcontext():
            try:
                tn = await raw.fetchval(_WRITE_SQL, *_write_params(app))
            except asyncpg.UniqueViolationError:
                raise occupied(app) from None
            if tn is None:
                raise unpaid(app)
            if mail is not None:
                row = mail(tn)
                marks = ", ".join(f"${i}" for i in range(1, len(row) + 1))
                await raw.execute(f"INSERT INTO mail_outbox ({', '.join(row)}) "
                                  f"VALUES ({marks})", *row.values())
        return tn


async def _driver(ctx: Ctx, one_statement: bool = True) -> Any:
    """The asyncpg connection for the command's next statement (see the module's
    docstring)."""
    lazy = unstarted(ctx.conn)
    if lazy is not None and one_statement:
        return await lazy.autocommit_driver()
    conn: Any = ctx.conn  # an AsyncConnection, or the EPP door's LazyConnection
    if isinstance(conn, LazyConnection):
        conn = await conn.connection()
    # checked out already: read without ``get_raw_connection``'s greenlet hop
    return conn.sync_connection.connection.driver_connection


def _write_params(app: NewApplication) -> list[object]:
    audit_row = app.audit_row("")
    return [
        app.alabel, app.ulabel, app.roid, app.registrant_id, app.sponsor_id,
        app.management, app.autorenew, app.period, app.registrar_handle, app.now,
        app.tracking_day, app.ns_ids, [t for t, _ in app.roles], [c for _, c in app.roles],
        app.registrar_id, app.user_login, app.cl_trid, app.application_sv_trid(""),
        app.billed, app.flow, app.price_ore, app.accept_deadline,
        DOMAIN_STATE, DOMAIN_STATUSES, TRACKING_ID_DIGITS, app.accepted_at, app.state,
        app.due_at, LEDGER_KIND, app.ledger_reference(""), audit_row is not None,
        [r.key_tag for r in app.ds], [r.alg for r in app.ds],
        [r.digest_type for r in app.ds], [r.digest for r in app.ds],
        *[(audit_row or {}).get(c) for c in _AUDIT_PARAMS]]
