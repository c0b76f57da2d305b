"""The zone-change journal's triggers: every write that can change a delegation adds the
owner name to ``zone_changes`` in its own transaction.

Why triggers and not a call in each action: the zone follows domains, name servers, DS
records and host addresses, which a dozen actions, several lifecycle steps, the demo
bulk loader and an operator's hand-written SQL all change. A trigger cannot be forgotten
by the next action, and it commits or rolls back with the change that caused it. What
the triggers record is only *which* name to look at again; what the zone holds there is
worked out by ``dkreg.dns.content`` when it is published, from the committed rows.

The DDL exists once per backend here; migration 0020 installs it, and
``tests/store/test_zone_journal.py`` checks at the head revision that every trigger is in
place (SQLite's batch migrations recreate a table and drop its triggers: a later
migration that batch-alters one of these tables calls ``install`` again).
"""

from __future__ import annotations

from collections.abc import Iterator

from sqlalchemy import delete, func, select
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import AsyncConnection

from dkreg.store.schema import zone_changes

# (table, event, WHEN condition with {old}/{new} placeholders or "", which name(s) to journal)
# the name is an SQL expression over NEW/OLD; a SELECT yields no row when nothing applies
_NOW = {
    "postgresql": "(extract(epoch from clock_timestamp()) * 1000)::bigint",
    "sqlite": "CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER)",
}
_DISTINCT = {"postgresql": "IS DISTINCT FROM", "sqlite": "IS NOT"}

_DOMAIN_COLUMNS = ("name", "state", "statuses", "released_at", "suspended_at",
                   "redemption_until")

# trigger name -> (table, timing event, condition template, list of SELECT sources)
TRIGGERS: dict[str, tuple[str, str, str, list[str]]] = {
    "zone_journal_domain_insert": (
        "domains", "INSERT", "NEW.state = 'active'", ["SELECT NEW.name"]),
    "zone_journal_domain_update": (
        "domains", "UPDATE",
        " OR ".join(f"OLD.{c} {{distinct}} NEW.{c}" for c in _DOMAIN_COLUMNS),
        ["SELECT NEW.name", "SELECT OLD.name WHERE OLD.name <> NEW.name"]),
    "zone_journal_ns_insert": (
        "domain_ns", "INSERT", "",
        ["SELECT name FROM domains WHERE id = NEW.domain_id AND state = 'active'"]),
    "zone_journal_ns_delete": (
        "domain_ns", "DELETE", "",
        ["SELECT name FROM domains WHERE id = OLD.domain_id AND state = 'active'"]),
    "zone_journal_ds_insert": (
        "ds_records", "INSERT", "",
        ["SELECT name FROM domains WHERE id = NEW.domain_id AND state = 'active'"]),
    "zone_journal_ds_delete": (
        "ds_records", "DELETE", "",
        ["SELECT name FROM domains WHERE id = OLD.domain_id AND state = 'active'"]),
    "zone_journal_addr_insert": (
        "host_addrs", "INSERT", "", ["SELECT name FROM hosts WHERE id = NEW.host_id"]),
    "zone_journal_addr_delete": (
        "host_addrs", "DELETE", "", ["SELECT name FROM hosts WHERE id = OLD.host_id"]),
    "zone_journal_host_update": (
        "hosts", "UPDATE", "OLD.name <> NEW.name OR OLD.domain_id {distinct} NEW.domain_id",
        ["SELECT NEW.name", "SELECT OLD.name WHERE OLD.name <> NEW.name"]),
    "zone_journal_host_delete": ("hosts", "DELETE", "", ["SELECT OLD.name"]),
}


def _inserts(dialect: str, sources: list[str]) -> str:
    now = _NOW[dialect]
    out = []
    for src in sources:
        # "SELECT x [FROM ...] [WHERE ...]" -> "INSERT ... SELECT x, <now> [FROM ...]"
        head, sep, rest = src.partition(" FROM ")
        if not sep:
            head, sep, rest = src.partition(" WHERE ")
        out.append(f"INSERT INTO zone_changes (name, created_ms) {head}, {now}"
                   + (f"{sep}{rest}" if sep else "") + ";")
    return " ".join(out)


def ddl(dialect: str) -> Iterator[str]:
    """CREATE statements for ``dialect`` ("postgresql" or "sqlite")."""
    distinct = _DISTINCT[dialect]
    for name, (table, event, condition, sources) in TRIGGERS.items():
        when = condition.format(distinct=distinct)
        body = _inserts(dialect, sources)
        if dialect == "postgresql":
            yield (f"CREATE OR REPLACE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS "
                   f"$$ BEGIN {body} RETURN NULL; END $$")
            yield (f"CREATE TRIGGER {name} AFTER {event} ON {table} FOR EACH ROW"
                   + (f" WHEN ({when})" if when else "") + f" EXECUTE FUNCTION {name}()")
        else:
            yield (f"CREATE TRIGGER {name} AFTER {event} ON {table} FOR EACH ROW"
                   + (f" WHEN {when}" if when else "") + f" BEGIN {body} END")


def drop_ddl(dialect: str) -> Iterator[str]:
    for name, (table, *_rest) in TRIGGERS.items():
        if dialect == "postgresql":
            yield f"DROP TRIGGER IF EXISTS {name} ON {table}"
            yield f"DROP FUNCTION IF EXISTS {name}()"
        else:
            yield f"DROP TRIGGER IF EXISTS {name}"


def install(conn: Connection) -> None:
    """(Re)create every trigger on a synchronous connection (a migration's)."""
    dialect = conn.dialect.name
    for stmt in drop_ddl(dialect):
        conn.exec_driver_sql(stmt)
    for stmt in ddl(dialect):
        conn.exec_driver_sql(stmt)


def installed_names(conn: Connection) -> set[str]:
    """The journal triggers present in the database."""
    if conn.dialect.name == "postgresql":
        rows = conn.exec_driver_sql(
            "SELECT tgname FROM pg_trigger WHERE NOT tgisinternal AND tgname LIKE 'zone_journal_%'")
    else:
        rows = conn.exec_driver_sql(
            "SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'zone_journal_%'")
    return {r[0] for r in rows}


async def pending(conn: AsyncConnection, limit: int) -> list[tuple[int, str]]:
    """The oldest ``limit`` journal rows (id, name). Published rows are deleted, not
    passed by a position: a transaction that commits after a later one has its row
    published in the next round instead of being skipped."""
    rows = await conn.execute(select(zone_changes.c.id, zone_changes.c.name)
                              .order_by(zone_changes.c.id).limit(limit))
    return [(r.id, r.name) for r in rows]


async def forget(conn: AsyncConnection, ids: list[int]) -> None:
    for i in range(0, len(ids), 500):
        await conn.execute(delete(zone_changes).where(zone_changes.c.id.in_(ids[i:i + 500])))


async def depth(conn: AsyncConnection) -> tuple[int, int | None]:
    """How many rows wait, and the oldest one's ``created_ms`` (None when none wait)."""
    row = (await conn.execute(select(func.count(), func.min(zone_changes.c.created_ms)))).one()
    return int(row[0]), row[1]
