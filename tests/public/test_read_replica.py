"""``read_database_url``: the public doors read from the replica, not the primary.

The "replica" here is a copy of the SQLite primary's file taken at one moment — what a
streaming replica is while it lags. A domain created on the primary after the copy is
not known to WHOIS REST, RDAP, DAS or the lookup page until the copy is taken again,
while EPP (on the primary) sees it at once. (Issue 18 starts a real PostgreSQL streaming
replica; this shows the doors' wiring, which is the same for either engine.)"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import httpx
import pytest

from dkreg.app import Running
from dkreg.store.db import Database
from dkreg.web.asgi import build_app
from epp.update_support import active_domains, ready_registrar
from support import frames

pytestmark = pytest.mark.parametrize("backend", ["sqlite"], indirect=True)


def copy_of(primary: Path, replica: Path) -> None:
    """An online copy of the SQLite file (its backup API), as a replica has it."""
    src, dst = sqlite3.connect(primary), sqlite3.connect(replica)
    try:
        src.backup(dst)
    finally:
        src.close()
        dst.close()


async def test_the_public_doors_read_the_replica(registry, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    c, _handle, contact = await ready_registrar(registry, "foer-kopi.dk")
    primary = Path(registry.db.url.split("///", 1)[1])
    replica = tmp_path / "replica.sqlite3"
    copy_of(primary, replica)
    registry.services.read_db = Database(f"sqlite+aiosqlite:///{replica}")
    try:
        await active_domains(registry, c, contact, "efter-kopi.dk")  # the primary only
        r = await c.request(frames.domain_info("efter-kopi.dk"))
        assert r.code == 1000  # EPP reads the primary
        app = build_app(Running(services=registry.services, epp=registry.server, tasks=[],
                                ca_file=str(registry.ca_file)))
        transport = httpx.ASGITransport(app=app, client=("192.0.2.77", 40000))
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as web:
            async def seen() -> dict[str, int]:
                rest = await web.get("/whois-api/domain/efter-kopi.dk",
                                     headers={"Accept": "application/json"})
                rdap = await web.get("/rdap/domain/efter-kopi.dk",
                                     headers={"Accept": "application/rdap+json"})
                page = await web.get("/lookup?q=efter-kopi.dk")
                return {"rest": rest.status_code, "rdap": rdap.status_code,
                        "page_free": int('id="available"' in page.text)}

            before = await seen()
            assert before == {"rest": 404, "rdap": 404, "page_free": 1}
            old = await web.get("/rdap/domain/foer-kopi.dk",
                                headers={"Accept": "application/rdap+json"})
            assert old.status_code == 200  # what the replica has, it answers
            await registry.services.read_db.dispose()
            copy_of(primary, replica)  # the replica catches up
            registry.services.read_db = Database(f"sqlite+aiosqlite:///{replica}")
            after = await seen()
            assert after == {"rest": 200, "rdap": 200, "page_free": 0}
    finally:
        await registry.services.read_db.dispose()
        registry.services.read_db = registry.db
