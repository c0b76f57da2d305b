"""What every action receives: a transaction, the time, who is acting, and the rules."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any, TypeVar

from sqlalchemy import Table
from sqlalchemy.ext.asyncio import AsyncConnection
from sqlalchemy.sql.selectable import GenerativeSelect

from dkreg.config import Settings
from dkreg.policy import DEFAULT_POLICY, Policy
from dkreg.store.password_check import PasswordChecks

_Lockable = TypeVar("_Lockable", bound=GenerativeSelect)

if TYPE_CHECKING:
    from dkreg.store.domains import DomainStore


@dataclass(frozen=True)
class Actor:
    """A logged-in service user acting for a registrar (or the registry itself)."""

    registrar_id: int | None
    registrar_handle: str
    login: str
    roles: frozenset[str] = frozenset({"registrar", "proxy", "payer", "nsa"})

    @property
    def is_registry(self) -> bool:
        return self.registrar_id is None


REGISTRY_ACTOR = Actor(registrar_id=None, registrar_handle="DKHM1-DK", login="DKHM1-DK")


@dataclass
class Ctx:
    conn: AsyncConnection
    now: datetime
    settings: Settings
    actor: Actor = REGISTRY_ACTOR
    policy: Policy = DEFAULT_POLICY
    is_sqlite: bool = False
    cl_trid: str | None = None
    sv_trid: str | None = None
    door: str = "epp"
    notes: dict[str, object] = field(default_factory=dict)
    # check, info and create domain's reads and writes (store/domains.py): the doors
    # pass the one their services chose at start-up; the SQLAlchemy one works everywhere
    domains: DomainStore = field(default_factory=lambda: _sql_domain_store())
    # The audit event of the command being run (EPP fills it in). An action that commits
    # in a single statement writes it itself and sets this to None.
    audit: Any = None
    # argon2 work (a login's password check, a new password's hash): a door that runs
    # the action under ``run_checking_passwords`` gets it done outside the transaction;
    # elsewhere it is done in place
    passwords: PasswordChecks = field(default_factory=lambda: PasswordChecks(last_pass=True))

    def for_update(self, stmt: _Lockable) -> _Lockable:
        return stmt if self.is_sqlite else stmt.with_for_update()

    def skip_locked(self, stmt: _Lockable, of: Table | None = None) -> _Lockable:
        return stmt if self.is_sqlite else stmt.with_for_update(skip_locked=True, of=of)


def _sql_domain_store() -> DomainStore:
    from dkreg.store.domains_sql import SqlDomainStore

    return SqlDomainStore()
