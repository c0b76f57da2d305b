"""Every delegation of the zone, read in windows of domain names (``dns.generate``).

Why windows and not one query: 1.4 million domains must stream through in flat memory,
and a keyset window (``name > last ORDER BY name LIMIT n``) walks the live-name index
``uq_domains_live_name`` in name order on both backends, without a server-side cursor
(which on PostgreSQL needs a transaction held by its driver, and on SQLite is no
different from stepping through a statement). Each window is one statement: the window's
domains (a materialised CTE, evaluated once) joined to their NS hosts, DS records and
candidate glue, in UNION ALL branches sorted by owner, so a window costs one round trip.

One SQL text, two runners: SQLAlchemy on SQLite, and on PostgreSQL the connection's own
asyncpg driver with a prepared statement — SQLAlchemy's per-row result processing costs
more than the query itself at this size (the store's other PostgreSQL fast paths,
``domains_pg``, do the same). ``tests/dns/test_generate.py`` holds the generated zone
to ``dns.content.owner_records`` on both.

Rows: ``(owner, kind, o, t, u, n1, n2, n3)`` sorted by owner, kind, o, t, u, where kind is
- ``NS`` (0): o = position, t = host name;
- ``DS`` (1): o = row id, t = digest, n1..n3 = key tag, algorithm, digest type;
- ``GLUE`` (2): t = host name, u = address, n1 = 4 or 6 — a subordinate host of the
  domain that is in its NS set (the caller still checks the name lies inside);
- ``END`` (9): owner = the window's last domain name, o = how many domains it held
  (the next window starts after it, whether or not that domain has name servers).
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

_WINDOW = f"""
WITH w AS MATERIALIZED (
    SELECT d.id, d.name FROM domains d
    WHERE {IN_ZONE} AND d.name > :after
    ORDER BY d.name LIMIT :n)
SELECT w.name AS owner, {NS} AS kind, CAST(dn.position AS BIGINT) AS o, h.name AS t,
       CAST(NULL AS VARCHAR) AS u, CAST(NULL AS INTEGER) AS n1, CAST(NULL AS INTEGER) AS n2,
       CAST(NULL AS INTEGER) AS n3
  FROM w JOIN domain_ns dn ON dn.domain_id = w.id JOIN hosts h ON h.id = dn.host_id
UNION ALL
SELECT w.name, {DS}, s.id, s.digest, NULL, s.key_tag, s.alg, s.digest_type
  FROM w JOIN ds_records s ON s.domain_id = w.id
UNION ALL
SELECT w.name, {GLUE}, 0, h.name, a.ip, CASE a.version WHEN 'v4' THEN 4 ELSE 6 END, NULL, NULL
  FROM w JOIN hosts h ON h.domain_id = w.id
  JOIN domain_ns dn ON dn.domain_id = w.id AND dn.host_id = h.id
  JOIN host_addrs a ON a.host_id = h.id
UNION ALL
SELECT max(w.name), {END}, count(*), NULL, NULL, NULL, NULL, NULL FROM w
ORDER BY 1, 2, 3, 4, 5
"""

_COUNT = f"SELECT count(*) FROM domains d WHERE {IN_ZONE}"


def _asyncpg(sql: str) -> str:
    return sql.replace(":after", "$1").replace(":n", "$2")


async def in_zone_count(conn: AsyncConnection) -> int:
    """How many domains are in the zone by their status (with name servers or not)."""
    return int((await conn.execute(text(_COUNT))).scalar() or 0)


async def windows(conn: AsyncConnection, size: int = 20_000
                  ) -> AsyncIterator[Sequence[Sequence[Any]]]:
    """The zone's delegation rows, ``size`` domains a window, in name order, read in
    ``conn``'s transaction (on PostgreSQL a REPEATABLE READ one gives the whole zone
    one snapshot)."""
    if size < 1:
        raise ValueError("a window holds at least one domain")
    fetch = await _fetcher(conn)
    after = ""
    while True:
        rows = await fetch(after, size)
        # the END row: its owner sorts last, or first when NULL on SQLite (no domains left)
        end = rows[-1] if rows[-1][1] == END else rows[0]
        yield rows
        if end[0] is None or end[2] < size:
            return
        after = end[0]


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

    async def fetch(after: str, size: int) -> Sequence[Sequence[Any]]:
        return (await conn.execute(query, {"after": after, "n": size})).all()

    return fetch
