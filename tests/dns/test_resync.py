"""A full resync repairs a zone changed behind dkreg's back, sends only differences and
is idempotent; against a real Knot DNS, on both backends."""

from __future__ import annotations

from pathlib import Path

import dns.asyncquery
import dns.rcode
import dns.update
from pub_support import OwnKnot, own_knot, served
from sqlalchemy import text

from dkreg.dns.publisher import Publisher, resync
from dkreg.store import zone_journal
from epp.update_support import ready_registrar
from support import frames

NS_SET = ["ns1.example.net.", "ns2.example.net."]
V4 = "91.208.105.10"


async def behind_dkregs_back(knot: OwnKnot, *edits: tuple[str, str, str, str]) -> None:
    """An operator's own UPDATE: (op, name, type, rdata) with op "add" or "delete"."""
    upd = dns.update.UpdateMessage("dk")
    for op, name, rdtype, rdata in edits:
        if op == "add":
            upd.add(name + ".", 3600, rdtype, rdata)
        else:
            upd.delete(name + ".", rdtype)
    tsig = knot.tsig
    upd.use_tsig(tsig.keyring(), keyname=tsig.name, algorithm=tsig.algorithm)
    r = await dns.asyncquery.tcp(upd, knot.host, port=knot.port, timeout=5)
    assert r.rcode() == dns.rcode.NOERROR


async def test_resync_repairs_the_zone_and_is_idempotent(registry, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    c, _handle, _contact = await ready_registrar(registry, "rigtig.dk", "slettet.dk",
                                                 "limet.dk")
    assert (await c.request(frames.host_create("ns1.limet.dk", V4))).code == 1000
    assert (await c.request(frames.domain_update("limet.dk", add_ns=["ns1.limet.dk"]))
            ).code == 1000
    with own_knot(tmp_path / "knot") as knot:
        registry.settings.dns_server = "primary"
        target = knot.target()
        p = Publisher(registry.db, registry.settings, target, registry.clock)
        while await p.publish_once():
            pass
        assert served(knot, "slettet.dk", "NS") == NS_SET
        # the served zone drifts: a delegation removed, one that the registry does not
        # have, wrong glue, and a record type dkreg does not manage (left alone)
        await behind_dkregs_back(
            knot, ("delete", "slettet.dk", "NS", ""),
            ("add", "fremmed.dk", "NS", "ns.fremmed.example."),
            ("delete", "ns1.limet.dk", "A", ""), ("add", "ns1.limet.dk", "A", "10.9.9.9"),
            ("add", "info.dk", "TXT", '"the operator\'s own"'))
        assert served(knot, "slettet.dk", "NS") == []
        async with registry.db.begin() as conn:
            await conn.execute(text("delete from zone_changes"))  # nothing journalled

        stats = await resync(registry.db, registry.settings, target)
        assert (stats.updated, stats.removed, stats.refused) == (3, 1, 0)
        assert stats.messages == 1
        assert stats.registry_names >= 4  # three domains and the in-zone host
        assert served(knot, "slettet.dk", "NS") == NS_SET
        assert served(knot, "fremmed.dk", "NS") == []
        assert served(knot, "ns1.limet.dk", "A") == [V4]
        assert served(knot, "info.dk", "TXT") == ['"the operator\'s own"']
        assert served(knot, "rigtig.dk", "NS") == NS_SET
        # the names it changed are journalled, for the publisher to send their state now
        async with registry.db.read() as conn:
            assert {n for _i, n in await zone_journal.pending(conn, 100)} == {
                "slettet.dk", "fremmed.dk", "ns1.limet.dk"}

        again = await resync(registry.db, registry.settings, target)
        assert (again.updated, again.messages) == (0, 0)
        # fremmed.dk is gone, slettet.dk is back
        assert again.served_names == stats.served_names == 4


async def test_resync_fills_an_empty_zone(registry, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """A name server that lost everything (a new one, a restored empty one): one resync
    brings every delegation back without the journal."""
    await ready_registrar(registry, "en.dk", "to.dk")
    async with registry.db.begin() as conn:
        await conn.execute(text("delete from zone_changes"))
    with own_knot(tmp_path / "knot") as knot:
        stats = await resync(registry.db, registry.settings, knot.target())
        assert (stats.served_names, stats.updated, stats.removed) == (0, 2, 0)
        assert served(knot, "en.dk", "NS") == NS_SET == served(knot, "to.dk", "NS")
