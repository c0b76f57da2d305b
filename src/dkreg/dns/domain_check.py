"""The name-server check of a domain the registry holds: its listed servers, their glue,
its DS records and (sandbox) its test zone read from the store, the check run, the result
kept in ``domain_dns_checks`` so that the portal can show it after the poll message is
acked.

The check runs inside the caller's transaction (the application's activation, the
update's NS change) so that what is checked is exactly what is committed; its budget
(``ns_check_budget``) bounds how long that transaction can wait for name servers.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.ext.asyncio import AsyncConnection

from dkreg.config import Settings
from dkreg.dns.check import DelegationCheck, Server, check_delegation, servers_of
from dkreg.model.dnssec import DsRecord
from dkreg.store.schema import domain_dns_checks, domain_ns, ds_records, hosts, sandbox_test_zones

# checks asked at once by ``ask_all`` (each with its own ``ns_check_concurrency``)
PARALLEL_CHECKS = 32


def enabled(settings: Settings) -> bool:
    return settings.ns_check_mode in ("dns", "sandbox")


async def listed_servers(conn: AsyncConnection, domain_id: int) -> list[str]:
    return [r.name for r in await conn.execute(
        select(hosts.c.name).join(domain_ns, domain_ns.c.host_id == hosts.c.id)
        .where(domain_ns.c.domain_id == domain_id).order_by(domain_ns.c.position))]


async def ds_of(conn: AsyncConnection, domain_id: int) -> list[DsRecord]:
    return [DsRecord(r.key_tag, r.alg, r.digest_type, r.digest.upper()) for r in
            await conn.execute(select(ds_records).where(ds_records.c.domain_id == domain_id)
                               .order_by(ds_records.c.id))]


async def test_zone_version(conn: AsyncConnection, name: str) -> str | None:
    """The stored test zone's version (its update time and id), part of the cache key so
    that a changed test zone is asked afresh; None when there is none."""
    row = (await conn.execute(select(sandbox_test_zones.c.id, sandbox_test_zones.c.updated_at)
                              .where(sandbox_test_zones.c.name == name))).first()
    return None if row is None else f"{row.id}@{row.updated_at.isoformat()}"


@dataclass(frozen=True)
class Question:
    """What a check asks, read from the store (so that many can be asked at once without
    the connection, which runs one statement at a time)."""

    name: str
    servers: tuple[Server, ...]
    ds: tuple[DsRecord, ...]
    test_zone: str | None


async def question_for(conn: AsyncConnection, settings: Settings, domain_id: int, name: str,
                       servers: Sequence[str] | None = None) -> Question:
    """``name`` (A-label) with its stored name servers (or ``servers``, the set an update
    is about to commit)."""
    listed = list(servers) if servers is not None else await listed_servers(conn, domain_id)
    zone = (await test_zone_version(conn, name)
            if settings.ns_check_mode == "sandbox" else None)
    return Question(name, tuple(await servers_of(conn, name, listed)),
                    tuple(await ds_of(conn, domain_id)), zone)


async def ask(settings: Settings, q: Question) -> DelegationCheck:
    return await check_delegation(settings, q.name, q.servers, ds=q.ds, test_zone=q.test_zone)


async def ask_all(settings: Settings, questions: Sequence[Question]) -> list[DelegationCheck]:
    """Many checks at once, ``PARALLEL_CHECKS`` at a time: a batch of applications takes
    about one budget per group, not one per application."""
    out: list[DelegationCheck] = []
    for i in range(0, len(questions), PARALLEL_CHECKS):
        out += await asyncio.gather(*(ask(settings, q)
                                      for q in questions[i:i + PARALLEL_CHECKS]))
    return out


async def check_domain(conn: AsyncConnection, settings: Settings, domain_id: int, name: str,
                       servers: Sequence[str] | None = None) -> DelegationCheck:
    return await ask(settings, await question_for(conn, settings, domain_id, name, servers))


async def record(conn: AsyncConnection, check: DelegationCheck, *, domain_id: int,
                 occasion: str, now: datetime, application_id: int | None = None,
                 registrar_id: int | None = None) -> int:
    return (await conn.execute(insert(domain_dns_checks).values(
        domain_id=domain_id, application_id=application_id, registrar_id=registrar_id,
        occasion=occasion, checked_at=now, mode=check.mode, passed=check.passed,
        reason=check.reason, dnssec=check.dnssec.whois if check.dnssec else None,
        result=json.dumps(check.as_json(), separators=(",", ":")),
    ).returning(domain_dns_checks.c.id))).scalar_one()


async def latest(conn: AsyncConnection, *, domain_id: int | None = None,
                 application_id: int | None = None) -> tuple[datetime, DelegationCheck] | None:
    """The most recent stored check of a domain or of an application, with its time."""
    q = select(domain_dns_checks.c.checked_at, domain_dns_checks.c.result)
    if application_id is not None:
        q = q.where(domain_dns_checks.c.application_id == application_id)
    else:
        q = q.where(domain_dns_checks.c.domain_id == domain_id)
    row = (await conn.execute(q.order_by(domain_dns_checks.c.id.desc()).limit(1))).first()
    if row is None:
        return None
    data: dict[str, Any] = json.loads(row.result)
    return row.checked_at, DelegationCheck.from_json(data)
