"""Rows of the synthetic registry, table by table, a chunk of domains at a time.

Why rows and not actions: creating 1.4 million domains through ``domain_create`` and
lifecycle activation takes hours; the demo writes what those actions would have left
behind, row for row, with every invariant they keep (handles, match keys, the live-name
index, glue only in bailiwick, the ledger's running balance, an application row for
each pendingCreate domain). Ids are assigned here, so that a chunk's rows can refer to
each other without a round trip; the loader sets the sequences past them afterwards.

Memory stays flat: the only state carried between chunks is per registrar (a few recent
contacts to reuse, the running balance) and the counters; a chunk's rows are dropped
once written. The same seed gives the same rows whatever the chunk size, since the one
``random.Random`` is drawn from in domain order.
"""

from __future__ import annotations

import json
import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from dkreg.actions.contact.create import match_key
from dkreg.demo import shapes
from dkreg.model.contact_rules import ValidContact, initials_for
from dkreg.model.names import DomainName
from dkreg.store.domain_applications import tracking_number

Row = tuple[Any, ...]

# the columns written per table (the rest take their defaults)
COLUMNS: dict[str, tuple[str, ...]] = {
    "registrars": ("id", "handle", "name", "email", "balance_ore", "default_management",
                   "default_autorenew", "verification_responsible", "created_at"),
    "users": ("id", "registrar_id", "login", "service", "password_hash", "roles", "disabled",
              "created_at"),
    "portal_users": ("id", "registrar_id", "email", "privilege_group", "password_hash",
                     "disabled", "created_at", "invited"),
    "registrar_public_info": ("registrar_id", "offers_registrar_management", "public_name",
                              "website", "email", "listed", "updated_at", "updated_by"),
    "contacts": ("id", "handle", "sponsor_id", "management", "user_type", "name", "org",
                 "street", "city", "pc", "cc", "postal_type", "voice", "email", "cvr",
                 "sole_proprietorship", "id_status", "email_status",
                 "verification_responsible", "verification_due", "verification_started_at",
                 "match_key", "created_by", "created_at"),
    "domains": ("id", "name", "uname", "roid", "state", "statuses", "registrant_id",
                "sponsor_id", "management", "autorenew", "period_years", "created_by",
                "created_at", "expires_at", "released_at", "billing_registrar_id", "vid",
                "redemption_until", "redemption_cause", "suspended_at"),
    "hosts": ("id", "name", "sponsor_id", "nsa_id", "domain_id", "statuses", "created_by",
              "created_at"),
    "host_addrs": ("id", "host_id", "ip", "version"),
    "domain_ns": ("domain_id", "host_id", "position"),
    "ds_records": ("id", "domain_id", "key_tag", "alg", "digest_type", "digest", "created_at"),
    "applications": ("id", "tracking_no", "domain_id", "registrar_id", "user_login", "flow",
                     "terms_accepted_at", "period_years", "price_ore", "billed", "state",
                     "due_at", "created_at"),
    "ledger": ("id", "registrar_id", "amount_ore", "balance_after_ore", "kind", "reference",
               "created_at"),
}
# the order a chunk is written in: every foreign key points backwards
TABLE_ORDER = ("registrars", "users", "portal_users", "registrar_public_info", "contacts",
               "domains", "hosts", "host_addrs", "domain_ns", "ds_records", "applications",
               "ledger")

REGISTRAR_BASE = 500_000  # handles REG-500001 ... (the sandbox's own demo is REG-100001)
CONTACT_POOL = 64  # recent registrants per registrar and management, for re-use
OPENING_BALANCE_ORE = 100_000_00
NIS2_CAUSE = "nis2"


@dataclass
class Batch:
    """Rows of one table; ``domains_done`` is how many domains the batches so far hold."""

    table: str
    rows: list[Row]
    domains_done: int = 0

    @property
    def columns(self) -> tuple[str, ...]:
        return COLUMNS[self.table]


@dataclass
class Plan:
    """What to make: ``domains`` in all (the hosting companies' own included)."""

    domains: int
    registrars: int = 60
    seed: int = 1
    now: datetime = datetime(2026, 1, 1, tzinfo=UTC)
    password_hash: str = ""
    price_ore: int = 4500

    @property
    def hosting_companies(self) -> int:
        return max(1, min(self.registrars // 4, self.domains // 20))

    def login(self, reg: int) -> str:
        """The EPP service user of registrar number ``reg`` (0-based)."""
        return f"demo-epp-{reg + 1}"


@dataclass
class _Chunk:
    rows: dict[str, list[Row]] = field(default_factory=lambda: {t: [] for t in COLUMNS})

    def add(self, table: str, row: Row) -> None:
        self.rows[table].append(row)

    def batches(self, done: int) -> Iterator[Batch]:
        for t in TABLE_ORDER:
            if self.rows[t]:
                yield Batch(t, self.rows[t], done)


class Generator:
    """Iterate to get the batches; counts per table are in ``counts`` afterwards."""

    def __init__(self, plan: Plan, chunk: int = 10_000) -> None:
        self.plan = plan
        self.chunk = chunk
        self.rng = random.Random(plan.seed)
        self.names = shapes.NameSpace(plan.seed, plan.domains)
        self.cum = shapes.portfolio_weights(plan.registrars)
        self.counts: dict[str, int] = dict.fromkeys(COLUMNS, 0)
        self._ids: dict[str, int] = dict.fromkeys(COLUMNS, 0)
        self.handles = [f"REG-{REGISTRAR_BASE + i + 1}" for i in range(plan.registrars)]
        self.balance = [0] * plan.registrars
        self._pool: dict[tuple[int, str], list[int]] = {}
        self._provider_hosts: list[tuple[int, int]] = []
        self._foreign_hosts: list[tuple[int, int]] = []
        self._name_no = 0

    def _id(self, table: str) -> int:
        self._ids[table] += 1
        return self._ids[table]

    def __iter__(self) -> Iterator[Batch]:
        first = _Chunk()
        self._registrars(first)
        done = self._infrastructure(first)
        yield from self._count(first.batches(done))
        while done < self.plan.domains:
            chunk = _Chunk()
            for _ in range(min(self.chunk, self.plan.domains - done)):
                self._customer_domain(chunk)
                done += 1
            yield from self._count(chunk.batches(done))

    def _count(self, batches: Iterator[Batch]) -> Iterator[Batch]:
        for b in batches:
            self.counts[b.table] += len(b.rows)
            yield b

    # -- registrars and their accounts ---------------------------------------------------

    def _registrars(self, c: _Chunk) -> None:
        p, rng, now = self.plan, self.rng, self.plan.now
        created = now - timedelta(days=3650)
        for i, handle in enumerate(self.handles):
            rid = i + 1
            name = shapes.registrar_name(rng, i)
            slug = f"registrar-{i + 1}.example"
            c.add("registrars", (rid, handle, name, f"hostmaster@{slug}", 0,
                                 "registrant" if i % 6 == 5 else "registrar", True,
                                 "registry", created))
            c.add("users", (self._id("users"), rid, p.login(i), "epp", p.password_hash,
                            "registrar proxy payer nsa", False, created))
            c.add("portal_users", (self._id("portal_users"), rid, f"admin@{slug}",
                                   "administration", p.password_hash, False, created, False))
            c.add("registrar_public_info", (rid, True, name, f"https://www.{slug}",
                                            f"kundeservice@{slug}", True, created,
                                            "demo data"))
            share = (self.cum[i] - (self.cum[i - 1] if i else 0)) / self.cum[-1]
            self._ledger(c, i, OPENING_BALANCE_ORE + int(share * p.domains) * p.price_ore,
                         "topup", "opening balance", created)

    def _ledger(self, c: _Chunk, reg: int, amount: int, kind: str, reference: str,
                at: datetime) -> None:
        self.balance[reg] += amount
        c.add("ledger", (self._id("ledger"), reg + 1, amount, self.balance[reg], kind,
                         reference, at))

    # -- hosting companies and name servers abroad ----------------------------------------

    def _infrastructure(self, c: _Chunk) -> int:
        """Each hosting company's own domain, delegated to its own two name servers (the
        only glue these hosts get), and name servers abroad (no glue at all)."""
        rng, now = self.rng, self.plan.now
        for hp in range(self.plan.hosting_companies):
            reg = hp % self.plan.registrars
            cid = self._contact(c, reg, "registrar", "completed", company=True)
            uname = f"hosting-{hp + 1}.dk"
            did = self._domain_row(c, uname, uname, cid, reg, "registrar", "ok",
                                   shapes.expiry(rng, now))
            ids = []
            for n in (1, 2):
                hid = self._host(c, f"ns{n}.{uname}", reg, did, "ok")
                c.add("host_addrs", (self._id("host_addrs"), hid, shapes.ipv4(rng), "v4"))
                c.add("host_addrs", (self._id("host_addrs"), hid, shapes.ipv6(rng), "v6"))
                ids.append(hid)
            self._provider_hosts.append((ids[0], ids[1]))
            self._ns(c, did, ids)
            self._ds(c, did, now, force=True)
        for f, label in enumerate(shapes.FOREIGN_DNS):
            reg = f % self.plan.registrars
            a = self._host(c, f"ns1.{label}.example.net", reg, None, "ok")
            b = self._host(c, f"ns2.{label}.example.com", reg, None, "ok")
            self._foreign_hosts.append((a, b))
        return self.plan.hosting_companies

    def _host(self, c: _Chunk, name: str, reg: int, domain_id: int | None,
              statuses: str) -> int:
        hid = self._id("hosts")
        c.add("hosts", (hid, name, reg + 1, reg + 1, domain_id, statuses, self.handles[reg],
                        self.plan.now - timedelta(days=400)))
        return hid

    def _ns(self, c: _Chunk, domain_id: int, host_ids: list[int] | tuple[int, ...]) -> None:
        for pos, hid in enumerate(host_ids):
            c.add("domain_ns", (domain_id, hid, pos))

    def _ds(self, c: _Chunk, domain_id: int, at: datetime, force: bool = False) -> None:
        rng = self.rng
        if not force and rng.random() >= shapes.DS_SHARE:
            return
        for _ in range(2 if rng.random() < shapes.DOUBLE_DS_SHARE else 1):
            tag, alg, dtype, digest = shapes.ds_record(rng)
            c.add("ds_records", (self._id("ds_records"), domain_id, tag, alg, dtype, digest, at))

    # -- contacts ------------------------------------------------------------------------

    def _contact(self, c: _Chunk, reg: int, management: str, id_status: str,
                 company: bool = False) -> int:
        rng, now = self.rng, self.plan.now
        cid = self._id("contacts")
        s = shapes.contact(rng, cid)
        while company and s.user_type != "company":
            s = shapes.contact(rng, cid)
        sponsor = reg + 1 if management == "registrar" else None
        valid = ValidContact(
            user_type=s.user_type, name=s.name, org=s.org, street=s.street, city=s.city,
            sp=None, pc=s.pc, cc=s.cc, postal_type=s.postal_type, voice=s.voice, fax=None,
            email=s.email, cvr=s.cvr, ean=None, pnumber=None, mobilephone=None,
            secondary_email=None)
        due = started = None
        if id_status == "pending":
            started, due = now - timedelta(days=5), now + timedelta(days=20)
        created = now - timedelta(days=shapes.randint(rng, 30, 3000))
        c.add("contacts", (
            cid, f"{initials_for(s.name, s.org)}{cid}-DK", sponsor, management, s.user_type,
            s.name, s.org, _json_lines(s.street), s.city, s.pc, s.cc,
            s.postal_type, s.voice, s.email, s.cvr, False, id_status,
            "completed" if id_status == "completed" else id_status, "registry", due, started,
            match_key(valid, sponsor, management), self.handles[reg], created))
        return cid

    def _registrant(self, c: _Chunk, reg: int, management: str) -> int:
        """A registrant in good standing: often one the registrar already has."""
        pool = self._pool.setdefault((reg, management), [])
        if pool and self.rng.random() < shapes.CONTACT_REUSE_SHARE:
            return pool[self.rng.randrange(len(pool))]
        cid = self._contact(c, reg, management, "completed")
        pool.append(cid)
        if len(pool) > CONTACT_POOL:
            del pool[0]
        return cid

    # -- domains -------------------------------------------------------------------------

    def _domain_row(self, c: _Chunk, uname: str, name: str, registrant: int, reg: int,
                    management: str, situation: str, expiry: datetime, period: int = 1,
                    ) -> int:
        rng, now = self.rng, self.plan.now
        did = self._id("domains")
        expires: datetime | None = expiry
        created = expiry - timedelta(days=365 * period)
        state, statuses = "active", "ok"
        released = redemption = cause = suspended = None
        if situation == "hold":
            statuses = "serverHold"
        elif situation == "suspended":
            statuses, cause = "serverHold", NIS2_CAUSE
            suspended = now - timedelta(days=shapes.randint(rng, 1, 29))
            redemption = suspended + timedelta(days=30)
        elif situation == "redemption":
            statuses = "pendingDelete serverHold"
            redemption = now + timedelta(days=shapes.randint(rng, 1, 30))
            cause = shapes.pick(rng, ("delete", "expiry"))
        elif situation == "application":
            state, statuses, expires = "application", "pendingCreate", None
            created = now - timedelta(seconds=shapes.randint(rng, 1, 60))
        elif situation == "released":
            state, statuses = "released", ""
            released = now - timedelta(days=shapes.randint(rng, 1, 300))
            expires = released - timedelta(days=30)
            created = released - timedelta(days=30 + 365 * period)
        sponsor = reg + 1 if management == "registrar" else None
        billing = None if management == "registrar" else reg + 1
        c.add("domains", (
            did, name, uname, DomainName(uname, name).roid, state, statuses, registrant,
            sponsor, management, True, period, self.handles[reg], created, expires, released,
            billing, False, redemption, cause, suspended))
        if situation == "application":
            self._application(c, did, uname, reg, period, created)
        return did

    def _application(self, c: _Chunk, did: int, uname: str, reg: int, period: int,
                     created: datetime) -> None:
        """A Flow 1 create waiting for processing: billed, as the create was."""
        price = self.plan.price_ore * period
        tn = tracking_number(created, did)
        c.add("applications", (self._id("applications"), tn, did, reg + 1,
                               self.plan.login(reg), 1, created, period, price, True,
                               "queued", created, created))
        self._ledger(c, reg, -price, "domain_create", f"{uname} {tn}", created)

    def _customer_domain(self, c: _Chunk) -> None:
        rng, now = self.rng, self.plan.now
        reg = shapes.pick_weighted(rng, self.cum)
        management = ("registrant" if rng.random() < shapes.REGISTRANT_MANAGED_SHARE
                      else "registrar")
        situation = shapes.situation(rng)
        if situation in ("hold", "suspended"):
            registrant = self._contact(c, reg, management,
                                       "pending" if situation == "hold" else "expired")
        else:
            registrant = self._registrant(c, reg, management)
        ulabel = self.names.label(self._name_no)
        self._name_no += 1
        uname = f"{ulabel}.dk"
        name = f"{shapes.alabel(ulabel)}.dk"
        expires = shapes.expiry(rng, now)
        period = shapes.pick(rng, shapes.PERIODS)
        did = self._domain_row(c, uname, name, registrant, reg, management, situation,
                               expires, period)
        if situation == "released":
            return
        r = rng.random()
        if r < shapes.OWN_NS_SHARE and situation != "application":
            status = "pendingDelete" if situation == "redemption" else "ok"
            ids = []
            for n in (1, 2):
                hid = self._host(c, f"ns{n}.{name}", reg, did, status)
                c.add("host_addrs", (self._id("host_addrs"), hid, shapes.ipv4(rng), "v4"))
                if rng.random() < shapes.OWN_NS_V6_SHARE:
                    c.add("host_addrs", (self._id("host_addrs"), hid, shapes.ipv6(rng), "v6"))
                ids.append(hid)
            self._ns(c, did, ids)
        elif r < shapes.OWN_NS_SHARE + shapes.FOREIGN_NS_SHARE:
            self._ns(c, did, self._foreign_hosts[rng.randrange(len(self._foreign_hosts))])
        elif r < shapes.OWN_NS_SHARE + shapes.FOREIGN_NS_SHARE + shapes.OTHER_HOSTING_SHARE:
            self._ns(c, did, self._provider_hosts[rng.randrange(len(self._provider_hosts))])
        else:
            self._ns(c, did, self._provider_hosts[reg % len(self._provider_hosts)])
        self._ds(c, did, min(now, expires - timedelta(days=365 * period - 1)))


def _json_lines(lines: list[str]) -> str:
    """``json.dumps(lines, ensure_ascii=False)``, as ``contact_create`` stores a street,
    without the encoder's cost for lines that need no escaping."""
    if any('"' in x or "\\" in x for x in lines):
        return json.dumps(lines, ensure_ascii=False)
    return "[" + ", ".join(f'"{x}"' for x in lines) + "]"
