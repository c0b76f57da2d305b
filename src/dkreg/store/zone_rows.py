"""Every delegation of the zone, read in windows of domain ids (``dns.generate``).

Why windows and not one query: 1.4 million domains must stream through in flat memory,
and a window of ids (``id > after AND id <= upto``) is a range scan of each table's
domain-id index on both backends, without a server-side cursor (which on PostgreSQL
needs a transaction held by its driver, and on SQLite is no different from stepping
through a statement). Each window is one statement: the window's domains (a
materialised CTE, evaluated once) joined to their NS hosts, DS records and candidate
glue, in UNION ALL branches, each branch bounded by the same id range so that the
planner reads a range of every index rather than joining whole tables.

Why id order and not name order: the file's order means nothing to a name server or to
``named-checkzone``, and at 1.4 million domains a walk in name order costs one random
heap read per domain and plans that join whole tables once a window (measured: 80 s
for the zone against 20 s in id order, ``bench/zone.py``). Sort the file to compare
two zones by eye.

One SQL text, two runners: SQLAlchemy on SQLite, and on PostgreSQL the connection's own
asyncpg driver with a prepared statement — SQLAlchemy's per-row result processing costs
more than the query itself at this size (the store's other PostgreSQL fast paths,
``domains_pg``, do the same). ``tests/dns/test_generate.py`` holds the generated zone
to ``dns.content.owner_records`` on both.

Rows: ``(domain id, owner, kind, o, t, u, n1, n2, n3)`` sorted by domain id, kind, o, t,
u, where kind is
- ``NS`` (0): o = position, t = host name;
- ``DS`` (1): o = row id, t = digest, n1..n3 = key tag, algorithm, digest type;
- ``GLUE`` (2): t = host name, u = address, n1 = 4 or 6 — a subordinate host of the
  domain that is in its NS set (the caller still checks the name lies inside);
- ``END`` (9): domain id = the window's upper bound, o = how many domains in the zone
  it held (whether or not they have name servers).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from typing import Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection

from dkreg.model.zone import EXCLUDING_STATUSES

NS, DS, GLUE, END = 0, 1, 2, 9

# model.zone.in_zone as SQL (the same rule as dns.content.in_zone_sql, which the tests
# hold to agreement through the generated zone)
IN_ZONE = " AND ".join(
    ["d.state = 'active'", "d.released_at IS NULL", "d.suspended_at IS NULL",
     "d.redemption_until IS NULL"]
    + [f"(' ' || d.statuses || ' ') NOT LIKE '% {s} %'" for s in EXCLUDING_STATUSES])

_RANGE = "{col} > :after AND {col} <= :upto"

_WINDOW = f"""
WITH w AS MATERIALIZED (
    SELECT d.id, d.name FROM domains d
    WHERE {IN_ZONE} AND {_RANGE.format(col="d.id")})
SELECT w.id AS d, w.name AS owner, {NS} AS kind, CAST(dn.position AS BIGINT) AS o,
       h.name AS t, CAST(NULL AS VARCHAR) AS u, CAST(NULL AS INTEGER) AS n1,
       CAST(NULL AS INTEGER) AS n2, CAST(NULL AS INTEGER) AS n3
  FROM w JOIN domain_ns dn ON dn.domain_id = w.id JOIN hosts h ON h.id = dn.host_id
 WHERE {_RANGE.format(col="dn.domain_id")}
UNION ALL
SELECT w.id, w.name, {DS}, s.id, s.digest, NULL, s.key_tag, s.alg, s.digest_type
  FROM w JOIN ds_records s ON s.domain_id = w.id
 WHERE {_RANGE.format(col="s.domain_id")}
UNION ALL
SELECT w.id, w.name, {GLUE}, 0, h.name, a.ip, CASE a.version WHEN 'v4' THEN 4 ELSE 6 END,
       NULL, NULL
  FROM w JOIN hosts h ON h.domain_id = w.id
  JOIN domain_ns dn ON dn.domain_id = w.id AND dn.host_id = h.id
  JOIN host_addrs a ON a.host_id = h.id
 WHERE {_RANGE.format(col="h.domain_id")} AND {_RANGE.format(col="dn.domain_id")}
UNION ALL
SELECT CAST(:upto AS BIGINT), NULL, {END}, count(*), NULL, NULL, NULL, NULL, NULL FROM w
ORDER BY 1, 3, 4, 5, 6
"""

_LAST_ID = "SELECT max(id) FROM domains"

_COUNT = f"SELECT count(*) FROM domains d WHERE {IN_ZONE}"


def _asyncpg(sql: str) -> str:
    return sql.replace(":after", "$1").replace(":upto", "$2")


async def in_zone_count(conn: AsyncConnection) -> int:
    """How many domains are in the zone by their status (with name servers or not)."""
    return int((await conn.execute(text(_COUNT))).scalar() or 0)


async def windows(conn: AsyncConnection, size: int = 20_000
                  ) -> AsyncIterator[Sequence[Sequence[Any]]]:
    """The zone's delegation rows, ``size`` domain ids a window, in id order, read in
    ``conn``'s transaction (on PostgreSQL a REPEATABLE READ one gives the whole zone
    one snapshot)."""
    if size < 1:
        raise ValueError("a window holds at least one domain")
    last = int((await conn.execute(text(_LAST_ID))).scalar() or 0)
    fetch = await _fetcher(conn)
    after = 0
    while after < last:
        upto = min(after + size, last)
        yield await fetch(after, upto)
        after = upto


async def _fetcher(conn: AsyncConnection) -> Any:
    """``fetch(after, size) -> rows`` on ``conn``'s backend."""
    if conn.dialect.name == "postgresql":
        # an SQLAlchemy statement first: it begins the caller's transaction, which the
        # driver's statements then share
        await conn.execute(text("SELECT 1"))
        raw = (await conn.get_raw_connection()).driver_connection
        assert raw is not None
        stmt = await raw.prepare(_asyncpg(_WINDOW))
        return stmt.fetch

    query = text(_WINDOW)

    async def fetch(after: int, upto: int) -> Sequence[Sequence[Any]]:
        return (await conn.execute(query, {"after": after, "upto": upto})).all()

    return fetch
