"""What a create domain reads and writes, and the registry's rules for writing it.

The rules live here once, and both store implementations (``store/domains_sql.py``
and the PostgreSQL one-statement path in ``store/domains_pg.py``) take them from here
as values or parameters: which hosts may serve, what an application starts as, when the
registrar is billed and what the ledger row says, the tracking number and the svTRID of
the audit row. The parity test (``tests/store/test_domain_store_parity.py``) shows the
two write the same rows.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from dkreg.details import Detail
from dkreg.errors import EppError, err
from dkreg.model.dnssec import DsRecord
from dkreg.store.audit import AuditEvent

# a host waiting for approval (pendingCreate) or going away with its domain (pendingDelete)
# cannot be a name server yet/any more: "Invalid or inactive nameserver"
UNUSABLE_HOST_STATUSES = ("pendingCreate", "pendingDelete")
UNUSABLE_HOST_PATTERNS = [f"%{s}%" for s in UNUSABLE_HOST_STATUSES]

# the domain row an application holds until activation
DOMAIN_STATE = "application"
DOMAIN_STATUSES = "pendingCreate"

# the application's first state: Flow 1 is billed and due now, Flow 2 waits for the
# registrant (lifecycle/applications.py moves both on)
STATE_QUEUED = "queued"
STATE_AWAITING_ACCEPTANCE = "awaiting_acceptance"

LEDGER_KIND = "domain_create"
AUDIT_RESULT = 1001

# tracking number: the day of the create and the domain row's id, at least five digits
TRACKING_DAY_FORMAT = "%Y%m%d"
TRACKING_ID_DIGITS = 5

# a Flow 2 mail row, made once the tracking number is known (it is in the mail)
MailFor = Callable[[str], Mapping[str, Any]]


@dataclass(frozen=True)
class Registrant:
    id: int
    sponsor_id: int | None
    management: str
    id_status: str
    cc: str
    email: str


@dataclass(frozen=True)
class CreateRefs:
    default_management: str
    default_autorenew: bool
    registrant: Registrant | None
    hosts: dict[str, int]  # name -> id, only those that exist and may serve (not pending)
    contacts: dict[str, int]  # handle -> id, only those that exist


@dataclass(frozen=True)
class NewApplication:
    alabel: str
    ulabel: str
    roid: str
    registrant_id: int
    sponsor_id: int | None
    management: str
    autorenew: bool
    period: int
    registrar_id: int
    registrar_handle: str
    user_login: str
    now: datetime
    ns_ids: list[int]
    roles: list[tuple[str, int]]
    cl_trid: str | None
    sv_trid: str | None
    flow: int
    accepted_at: datetime | None
    price_ore: int
    accept_deadline: datetime | None
    ds: list[DsRecord]  # secDNS:create, on the application's domain row
    audit: AuditEvent | None  # written with the application, result code 1001

    @property
    def billed(self) -> bool:
        """Flow 1 is paid for at create; Flow 2 only once the registrant accepts."""
        return self.flow == 1

    @property
    def state(self) -> str:
        return STATE_QUEUED if self.billed else STATE_AWAITING_ACCEPTANCE

    @property
    def due_at(self) -> datetime | None:
        return self.now if self.billed else None

    @property
    def tracking_day(self) -> str:
        return f"{self.now:{TRACKING_DAY_FORMAT}}"

    def ledger_reference(self, tracking_no: str) -> str:
        return f"{self.ulabel} {tracking_no}"

    def application_sv_trid(self, tracking_no: str) -> str | None:
        return f"{self.sv_trid}-{tracking_no}" if self.sv_trid else None

    def audit_row(self, tracking_no: str) -> dict[str, object] | None:
        """The create's audit row (columns of ``audit``), or None when the door writes it."""
        if self.audit is None:
            return None
        # a copy: should the write fail (name taken, no credit), the door audits its
        # refusal with the command's own event, unchanged
        return replace(self.audit, result_code=AUDIT_RESULT, object=self.ulabel,
                       sv_trid=self.application_sv_trid(tracking_no)).row()


def tracking_number(now: datetime, domain_id: int) -> str:
    return f"{now:{TRACKING_DAY_FORMAT}}{domain_id:0{TRACKING_ID_DIGITS}d}"


def occupied(app: NewApplication) -> EppError:
    return err(2302, "domain_occupied", field="domain:name",
               detail=Detail("registered_applied", ulabel=app.ulabel))


def unpaid(app: NewApplication) -> EppError:
    return err(2104, "insufficient_credit",
               detail=Detail("price_dkk", value=app.price_ore / 100))
