"""A full resync: make the served zone hold exactly what the registry says, whatever
happened to it (an operator's hand edit, a restored backup of the name server, a journal
that was emptied by hand), by sending updates for the differences only.

How: transfer the zone from the target (AXFR, signed with the same TSIG key), keep for
every owner name below the apex a digest of its dkreg-managed records (NS, DS, A, AAAA;
the signer's RRSIG/NSEC/NSEC3 and anything else are not dkreg's); then stream what the
registry holds (``dns.content.owner_records`` over the delegated domains in chunks) and
compare name by name. A name whose records differ is sent whole, like the publisher does;
a name served but no longer in the registry gets its managed records deleted. A second
run finds nothing to send.

The digest of a name is the XOR of one hash per record, so the order in which a
transfer delivers a name's records (or splits them across messages) does not matter and
only 16 bytes per name are kept, not the records: the served side of 1.4 million
delegations stays in a few hundred MB. The registry side is never held whole.

A change committed while the resync runs is journalled and goes out through the
publisher; the names the resync changed are journalled again too, so that whatever
the resync sent from an older read is overwritten by the current state.
"""

from __future__ import annotations

import asyncio
import hashlib
import time
from dataclasses import dataclass

import dns.name
import dns.query
import dns.rdatatype
from sqlalchemy import insert, select

from dkreg.config import Settings
from dkreg.dns.content import in_zone_sql, owner_records
from dkreg.dns.update import Change, Target, Unavailable, Updater, apex_owned
from dkreg.model.zone import MANAGED_TYPES, in_bailiwick
from dkreg.store.db import Database
from dkreg.store.schema import domains, zone_changes

_MANAGED = {int(dns.rdatatype.from_text(t)) for t in MANAGED_TYPES}


@dataclass
class ResyncStats:
    served_names: int = 0  # owner names below the apex with managed records, as served
    registry_names: int = 0  # owner names the registry was asked about
    updated: int = 0  # names sent because their records differed
    removed: int = 0  # of these, names the registry no longer has anything at
    refused: int = 0  # names the server refused (journalled: the publisher retries)
    messages: int = 0
    transfer_seconds: float = 0.0
    seconds: float = 0.0


def _record_hash(rdtype: int, text: str) -> int:
    h = hashlib.blake2b(f"{rdtype} {text.lower()}".encode(), digest_size=16)
    return int.from_bytes(h.digest(), "big")


def _digest(change: Change) -> int:
    out = 0
    for rdtype, rd in change.rdatas:
        out ^= _record_hash(rdtype, rd.to_text())
    return out


def served_digests(target: Target) -> dict[str, int]:
    """AXFR the zone: {owner name: digest of its managed records} below the apex.
    Blocking (dnspython's transfer); run in a thread."""
    origin = target.origin
    tsig = target.tsig
    out: dict[str, int] = {}
    for msg in dns.query.xfr(target.host, origin, port=target.port, relativize=False,
                             keyring=tsig.keyring(), keyname=tsig.name,
                             keyalgorithm=tsig.algorithm, timeout=target.timeout,
                             lifetime=max(600.0, target.timeout)):
        for rrset in msg.answer:
            if rrset.rdtype not in _MANAGED or rrset.name == origin:
                continue
            name = rrset.name.to_text().rstrip(".").lower()
            acc = out.get(name, 0)
            for rd in rrset:
                acc ^= _record_hash(rrset.rdtype, rd.to_text())
            out[name] = acc
    return out


async def resync(db: Database, settings: Settings, target: Target) -> ResyncStats:
    """Bring the served zone to the registry's state; idempotent."""
    started = time.monotonic()
    stats = ResyncStats()
    served = await asyncio.to_thread(served_digests, target)
    apex = apex_owned(settings)
    for name in apex:
        served.pop(name, None)
    stats.transfer_seconds = time.monotonic() - started
    stats.served_names = len(served)
    origin = target.zone.lower().rstrip(".")
    updater = Updater(target, settings.zone_ttl)
    batch = max(1, settings.dns_publish_batch)
    pending: list[Change] = []
    bad: list[str] = []
    sent: list[str] = []

    async def flush() -> None:
        if not pending:
            return
        out = await updater.publish(pending)
        stats.messages += out.messages
        stats.refused += len(out.refused)
        bad.extend(out.refused)
        sent.extend(out.published)
        pending.clear()

    # the registry's side, a chunk of delegated domains (and their hosts) at a time, in
    # name order (keyset paging: no offset scans, never a list of every domain)
    chunk_size = batch
    after = ""
    while True:
        async with db.read() as conn:
            names = [r[0] for r in await conn.execute(
                select(domains.c.name).where(in_zone_sql(), domains.c.name > after)
                .order_by(domains.c.name).limit(chunk_size))]
            if not names:
                break
            records = (await owner_records(conn, names)).records
        after = names[-1]
        for name, recs in records.items():
            if name == origin or not in_bailiwick(name, origin) or name in apex:
                continue
            stats.registry_names += 1
            try:
                change = Change.build(name, recs)
            except ValueError:
                bad.append(name)
                stats.refused += 1
                served.pop(name, None)
                continue
            if served.pop(name, 0) != _digest(change):
                pending.append(change)
                stats.updated += 1
                if len(pending) >= batch:
                    await flush()
    # what is served but the registry no longer delegates
    for name in sorted(served):
        pending.append(Change.build(name, []))
        stats.updated += 1
        stats.removed += 1
        if len(pending) >= batch:
            await flush()
    await flush()
    await _journal(db, sent + bad)
    stats.seconds = time.monotonic() - started
    return stats


async def _journal(db: Database, names: list[str]) -> None:
    """Journal the names the resync touched, so the publisher sends their current state
    after whatever the resync read (and retries the refused ones)."""
    if not names:
        return
    ms = int(time.time() * 1000)  # the journal's wall clock (as the triggers' database's)
    async with db.begin() as conn:
        for i in range(0, len(names), 1000):
            await conn.execute(insert(zone_changes), [
                {"name": n, "created_ms": ms} for n in names[i:i + 1000]])


__all__ = ["ResyncStats", "Unavailable", "resync", "served_digests"]
