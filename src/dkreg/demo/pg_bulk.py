"""PostgreSQL bulk load: secondary indexes and foreign keys set aside while COPY runs.

Why: measured on 100,000 demo domains, COPY spent most of its time not writing rows but
keeping up indexes on random keys (contacts' match key and e-mail, domains' dates) and
checking a foreign key per row (two for each ``domain_ns`` row, every one of them
locking the same few hosting-company hosts again). Building an index once over the
loaded rows is a sort; validating a foreign key once is one anti-join. Both are done
in the load's own transaction, so the schema is never without them for anyone else
(their DROP takes the table's exclusive lock until commit) and a failed load rolls
back to the schema as it was.

What is put back is what was there: each index from ``pg_get_indexdef`` and each
foreign key from ``pg_get_constraintdef``, under its own name. Primary keys and
unique constraints stay in place during the load (they are what catches a generator
bug as it happens); unique indexes that back no constraint (the live-name index) are
rebuilt like the others, which checks them just as well.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy.ext.asyncio import AsyncConnection

# sorting and index builds of a large load; SET LOCAL ends with the transaction
MAINTENANCE_WORK_MEM = "256MB"


async def set_aside(conn: AsyncConnection, tables: Iterable[str]) -> list[str]:
    """Drop the secondary indexes and the foreign keys of ``tables``; return the
    statements that put them back, in the order to run them (indexes first, so that
    the foreign keys' checks may use them)."""
    names = list(tables)
    rows: Any = await conn.exec_driver_sql(
        "SELECT c.conrelid::regclass::text, c.conname, pg_get_constraintdef(c.oid) "
        "FROM pg_constraint c WHERE c.contype = 'f' "
        "AND c.conrelid = ANY(SELECT to_regclass(t) FROM unnest($1::text[]) t) "
        "ORDER BY 1, 2", (names,))
    fks = [(r[0], r[1], r[2]) for r in rows]
    rows = await conn.exec_driver_sql(
        "SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid) "
        "FROM pg_index i WHERE NOT i.indisprimary "
        "AND i.indrelid = ANY(SELECT to_regclass(t) FROM unnest($1::text[]) t) "
        "AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid) "
        "ORDER BY 1", (names,))
    indexes = [(r[0], r[1]) for r in rows]
    for table, name, _definition in fks:
        await conn.exec_driver_sql(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
    for name, _definition in indexes:
        await conn.exec_driver_sql(f"DROP INDEX {name}")
    return ([definition for _name, definition in indexes]
            + [f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}'
               for table, name, definition in fks])


async def put_back(conn: AsyncConnection, statements: list[str]) -> None:
    await conn.exec_driver_sql(f"SET LOCAL maintenance_work_mem = '{MAINTENANCE_WORK_MEM}'")
    for stmt in statements:
        await conn.exec_driver_sql(stmt)
