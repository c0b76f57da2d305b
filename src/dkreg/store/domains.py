"""The domain store: the reads and writes of check, info and create domain.

One interface, two implementations, chosen once where the services are built
(:func:`domain_store_for`) and handed to every action through ``Ctx.domains``:

- ``SqlDomainStore`` (``store/domains_sql.py``): SQLAlchemy Core, every backend.
- ``PgDomainStore`` (``store/domains_pg.py``): PostgreSQL, one statement per operation
  on the asyncpg connection under ``ctx.conn``; a create is one atomic statement, so the
  registrar's account row is locked only while that statement commits (bench/README.md
  has the figures that made this worth a second implementation).

Actions never ask which one they have. The rules both apply come from
``store/domain_applications.py``; ``tests/store/test_domain_store_parity.py`` runs the
same commands through both and compares every row written and every answer.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any, Protocol

from dkreg.store.domain_applications import CreateRefs, MailFor, NewApplication

if TYPE_CHECKING:
    from dkreg.store.context import Ctx
    from dkreg.store.db import Database


@dataclass(frozen=True)
class InfoRow:
    """What info domain shows, before the visibility rules pick from it."""

    domain: Mapping[str, Any]  # the ``domains`` row
    registrant_handle: str
    id_status: str
    email_status: str
    sponsor_handle: str | None
    ns: list[str]  # in the order given
    subordinate: list[str]  # hosts under the domain, by name
    roles: list[tuple[str, str]]  # (type, handle) by type, handle
    billing: str | None  # handle of the billing registrar (registrant-managed)
    ds: list[tuple[int, int, int, str]]  # (key_tag, alg, digest_type, digest) by id
    tokens: list[tuple[str, str, datetime]]  # live (op, token, expires_at) by op
    in_use: list[tuple[str, str]]  # (host, domain it serves): domains_sql.hosts_in_use


@dataclass(frozen=True)
class LookupRow:
    """What the public lookups read of a live domain (``actions.lookup.domain``): the
    ``domains`` row with its sponsor (``rname``, ``rhandle``), the sponsor's public
    listing (``public_name``, ``website``, ``remail``, ``listed``, ``logo_url``), the
    latest name-server check's DNSSEC verdict (``dnssec_checked``) and the registrant's
    columns (``handle``, ``user_type``, ``c_name``, ``org``, ``street``, ``pc``,
    ``city``, ``cc``, ``email``, ``secondary_email``, ``cvr``, ``voice``)."""

    domain: Mapping[str, Any]
    ns: list[str]  # in the order given
    ds: list[tuple[int, int, int, str]]  # (key_tag, alg, digest_type, digest)
    # (host, address) of each of its name servers that is its own subordinate host: the
    # candidates for the delegation's glue, which the zone's rule picks from
    own_addresses: list[tuple[str, str]] = field(default_factory=list)


@dataclass(frozen=True)
class NameState:
    state: str | None  # the live domain's (or application's) state; None: no live domain
    reserved: bool
    offered: bool  # offered to its waiting list now


class DomainStore(Protocol):
    async def lookup(self, ctx: Ctx, alabel: str) -> LookupRow | None:
        """The live domain ``alabel`` as the public lookups read it (WHOIS, RDAP: many
        thousands a second, so one round trip where the backend allows)."""
        ...

    async def live_states(self, ctx: Ctx, alabels: list[str]) -> dict[str, str]:
        """name -> state of the live (not released) domains among ``alabels``."""
        ...

    async def name_state(self, ctx: Ctx, alabel: str) -> NameState:
        """What decides a name's availability (DAS, thousands a second): its live
        domain's state, whether it is reserved, whether it is offered to its waiting
        list now; one statement."""
        ...

    async def info(self, ctx: Ctx, alabel: str) -> InfoRow | None:
        """The live domain ``alabel``, with live auth tokens as of ``ctx.now``."""
        ...

    async def create_refs(self, ctx: Ctx, registrar_id: int, handle: str,
                          ns_names: list[str], role_handles: list[str]) -> CreateRefs:
        """The registrar's defaults and what a create names, if it exists and may serve."""
        ...

    async def write_application(self, ctx: Ctx, app: NewApplication,
                                mail: MailFor | None = None) -> str:
        """Write the application (and ``mail(tracking_no)`` to the outbox) in one
        transaction; return the tracking number. 2302 when the name is taken, 2104 when
        a billed create cannot be paid for; nothing is written in either case."""
        ...


def domain_store_for(db: Database) -> DomainStore:
    """The implementation for this database, chosen once at start-up."""
    if db.is_sqlite:
        from dkreg.store.domains_sql import SqlDomainStore

        return SqlDomainStore()
    from dkreg.store.domains_pg import PgDomainStore

    return PgDomainStore()
