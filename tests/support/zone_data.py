"""Registry rows for zone tests, written straight into the tables (both backends).

``load_cases`` writes one domain per rule of the zone (hold, suspension, redemption,
application, release, no name servers, narrow glue, IDN, ...) with the records the zone
must then hold in ``CASES_EXPECTED``; ``load_random`` adds a seeded mix of a few thousand
domains in every state with shared, in-zone and own name servers, glue and DS, for the
generator's parity with ``dns.content.owner_records``.
"""

from __future__ import annotations

import random
from datetime import UTC, datetime

import idna
from sqlalchemy import insert
from sqlalchemy.ext.asyncio import AsyncConnection

from dkreg.store.schema import contacts, domain_ns, domains, ds_records, host_addrs, hosts

NOW = datetime(2026, 6, 1, tzinfo=UTC)
SHA256 = "E2D3C916F6DEEAC73294E8268FB5885044A833FC5459588F4A9184CFC41A5766"
SHA384 = ("72D7B62976CE06438E9C0BF319013CF801F09ECC84B8D7E9495F27E305C6A9B0"
          "563A9B5F4D288405C3008A946DF983D6")

ROE = idna.encode("rødby.dk").decode()  # xn--rdby-gra.dk
AERO = idna.encode("ærø.dk").decode()  # xn--r-3fa9c.dk


class Rows:
    """Inserts with the ids they were given, so that later rows can refer to them."""

    def __init__(self, conn: AsyncConnection) -> None:
        self.conn = conn
        self.contact = 0
        self.domain: dict[str, int] = {}
        self.host: dict[str, int] = {}

    async def start(self) -> None:
        self.contact = (await self.conn.execute(insert(contacts).values(
            handle="ZONE1-DK", management="registrar", user_type="individual",
            street="[]", city="Zone", cc="DK", postal_type="loc", email="zone@example.dk",
            id_status="completed", email_status="completed", match_key="zone",
            created_by="test", created_at=NOW))).inserted_primary_key[0]

    async def add_domain(self, name: str, state: str = "active", statuses: str = "ok",
                         **dates: datetime | None) -> int:
        uname = idna.decode(name) if "xn--" in name else name
        did = (await self.conn.execute(insert(domains).values(
            name=name, uname=uname, roid=f"R{len(self.domain) + 1}-DK", state=state,
            statuses=statuses, registrant_id=self.contact, management="registrar",
            autorenew=True, period_years=1, created_by="test", created_at=NOW,
            **dates))).inserted_primary_key[0]
        if dates.get("released_at") is None:
            self.domain[name] = did
        return int(did)

    async def add_host(self, name: str, *ips: str, domain: str | None = None) -> int:
        hid = (await self.conn.execute(insert(hosts).values(
            name=name, domain_id=self.domain.get(domain) if domain else None,
            created_by="test", created_at=NOW))).inserted_primary_key[0]
        self.host[name] = int(hid)
        if ips:
            await self.conn.execute(insert(host_addrs), [
                {"host_id": hid, "ip": ip, "version": "v6" if ":" in ip else "v4"}
                for ip in ips])
        return int(hid)

    async def delegate(self, domain: str | int, *ns: str) -> None:
        did = self.domain[domain] if isinstance(domain, str) else domain
        await self.conn.execute(insert(domain_ns), [
            {"domain_id": did, "host_id": self.host[h], "position": i}
            for i, h in enumerate(ns)])

    async def add_ds(self, domain: str, *records: tuple[int, int, int, str]) -> None:
        await self.conn.execute(insert(ds_records), [
            {"domain_id": self.domain[domain], "key_tag": kt, "alg": alg, "digest_type": dt,
             "digest": digest, "created_at": NOW} for kt, alg, dt, digest in records])


# what the zone holds for the cases, owner -> records (sorted); every other name of the
# cases holds nothing
CASES_EXPECTED: dict[str, list[tuple[str, str]]] = {
    "plain.dk": [("NS", "ns1.example.net."), ("NS", "ns2.example.net.")],
    "limvej.dk": [("DS", f"12345 13 2 {SHA256}"), ("DS", f"54321 14 4 {SHA384}"),
                  ("NS", "ns1.example.net."), ("NS", "ns1.limvej.dk."),
                  ("NS", "ns2.limvej.dk.")],
    "ns1.limvej.dk": [("A", "192.0.2.10"), ("AAAA", "2001:db8::10")],
    "ns2.limvej.dk": [("A", "192.0.2.11")],
    # ns3.limvej.dk serves only andet.dk: no glue (narrow glue), though limvej.dk is
    # delegated and the host has an address
    "andet.dk": [("NS", "ns2.limvej.dk."), ("NS", "ns3.limvej.dk.")],
    ROE: [("NS", f"ns1.{ROE}."), ("NS", f"ns2.{ROE}.")],
    f"ns1.{ROE}": [("A", "192.0.2.20")],
    f"ns2.{ROE}": [("AAAA", "2001:db8::20")],
    AERO: [("DS", f"11111 8 2 {SHA256}"), ("NS", "ns1.example.net."),
           ("NS", "ns2.example.net.")],
    "again.dk": [("NS", "ns2.example.net.")],
    "ok-signed.dk": [("DS", f"22222 13 2 {SHA256}"), ("NS", "ns1.example.net."),
                     ("NS", "ns2.example.net.")],
}

OUT_OF_ZONE = ["hold.dk", "clienthold.dk", "suspended.dk", "redemption.dk", "application.dk",
               "released.dk", "inactive.dk"]
CASES_ABSENT = [*OUT_OF_ZONE, *[f"ns1.{d}" for d in OUT_OF_ZONE], "tom.dk", "ns3.limvej.dk",
                "ns1.example.net", "ns2.example.net"]


async def load_cases(conn: AsyncConnection) -> Rows:
    r = Rows(conn)
    await r.start()
    await r.add_host("ns1.example.net", "198.51.100.1")  # outside .dk: never glue
    await r.add_host("ns2.example.net")
    await r.add_domain("plain.dk")
    await r.delegate("plain.dk", "ns1.example.net", "ns2.example.net")
    await r.add_domain("limvej.dk", statuses="ok serverUpdateProhibited")
    await r.add_host("ns1.limvej.dk", "192.0.2.10", "2001:db8::10", domain="limvej.dk")
    await r.add_host("ns2.limvej.dk", "192.0.2.11", domain="limvej.dk")
    await r.add_host("ns3.limvej.dk", "192.0.2.12", domain="limvej.dk")
    await r.delegate("limvej.dk", "ns1.limvej.dk", "ns2.limvej.dk", "ns1.example.net")
    await r.add_ds("limvej.dk", (12345, 13, 2, SHA256), (54321, 14, 4, SHA384))
    await r.add_domain("andet.dk")
    await r.delegate("andet.dk", "ns2.limvej.dk", "ns3.limvej.dk")
    # out of the zone, each with name servers (and glue, and DS) that must not show
    held = {
        "hold.dk": {"statuses": "serverHold"},
        "clienthold.dk": {"statuses": "clientHold"},
        "inactive.dk": {"statuses": "inactive"},
        "suspended.dk": {"statuses": "serverHold", "suspended_at": NOW},
        "redemption.dk": {"statuses": "pendingDelete", "redemption_until": NOW},
        "application.dk": {"state": "application", "statuses": "pendingCreate"},
        "released.dk": {"state": "released", "released_at": NOW},
    }
    for name, kw in held.items():
        did = await r.add_domain(name, **kw)  # type: ignore[arg-type]
        r.domain.setdefault(name, did)
        await r.add_host(f"ns1.{name}", "192.0.2.30", domain=name)
        await r.delegate(name, f"ns1.{name}", "ns1.example.net", "ns2.example.net")
        await r.add_ds(name, (33333, 13, 2, SHA256))
    # no name servers: not delegated, its DS unpublished
    await r.add_domain("tom.dk")
    await r.add_ds("tom.dk", (44444, 13, 2, SHA256))
    # IDN: A-labels, own name servers with v4 and v6 glue
    await r.add_domain(ROE)
    await r.add_host(f"ns1.{ROE}", "192.0.2.20", domain=ROE)
    await r.add_host(f"ns2.{ROE}", "2001:db8::20", domain=ROE)
    await r.delegate(ROE, f"ns1.{ROE}", f"ns2.{ROE}")
    await r.add_domain(AERO)
    await r.delegate(AERO, "ns1.example.net", "ns2.example.net")
    await r.add_ds(AERO, (11111, 8, 2, SHA256))
    # a released row and a live one of the same name: only the live one's NS set
    old = await r.add_domain("again.dk", state="released", released_at=NOW)
    await r.delegate(old, "ns1.example.net")
    await r.add_domain("again.dk")
    await r.delegate("again.dk", "ns2.example.net")
    await r.add_domain("ok-signed.dk")
    await r.delegate("ok-signed.dk", "ns2.example.net", "ns1.example.net")
    await r.add_ds("ok-signed.dk", (22222, 13, 2, SHA256))
    return r


WORDS = ["skov", "hav", "æble", "bøg", "ålborg", "fisk", "kaffe", "byg", "sø", "mølle",
         "tømrer", "bager", "cykel", "hus", "vej"]
STATES: list[tuple[str, dict[str, object]]] = [
    ("active", {"statuses": "ok"})] * 8 + [
    ("active", {"statuses": "serverHold"}),
    ("active", {"statuses": "serverHold", "suspended_at": NOW}),
    ("active", {"statuses": "pendingDelete", "redemption_until": NOW}),
    ("application", {"statuses": "pendingCreate"}),
    ("released", {"statuses": "ok", "released_at": NOW}),
    ("active", {"statuses": "ok clientHold"}),
]


async def load_random(conn: AsyncConnection, rows: Rows, n: int, seed: int = 1,
                      held_hoster: bool = True) -> None:
    """``n`` domains in a seeded mix of states and name-server set-ups. ``held_hoster``:
    one hosting company's domain is on hold while its customers' delegations still name
    its name servers — lame, and published as registered (the rules admit it), but
    named-checkzone's integrity check calls an in-zone name server without an address
    an error."""
    rnd = random.Random(seed)
    external = [f"ns{i}.hoster{i % 5}.net" for i in range(12)]
    for h in external:
        await rows.add_host(h)
    # hosting companies' own .dk domains whose name servers serve many customers: glue
    # only in the hoster's own delegation (and none while the hoster is held)
    in_zone: list[str] = []
    for k in range(6):
        name = f"hoster{k}.dk"
        state, kw = (("active", {"statuses": "serverHold"}) if k == 5 and held_hoster
                     else STATES[0])
        await rows.add_domain(name, state, **kw)  # type: ignore[arg-type]
        for i in (1, 2):
            h = f"ns{i}.{name}"
            await rows.add_host(h, f"198.51.100.{10 * k + i}", f"2001:db8:{k}::{i}",
                                domain=name)
            in_zone.append(h)
        await rows.delegate(name, f"ns1.{name}", f"ns2.{name}", external[k])
    for i in range(n):
        word = WORDS[i % len(WORDS)]
        name = idna.encode(f"{word}{i}.dk").decode()
        state, kw = rnd.choice(STATES)
        did = await rows.add_domain(name, state, **kw)  # type: ignore[arg-type]
        if state == "released":
            rows.domain[name] = did
        setup = rnd.random()
        ns: list[str] = []
        if setup < 0.1:
            ns = []
        elif setup < 0.45:
            ns = rnd.sample(external, rnd.randint(2, 3))
        elif setup < 0.7:
            ns = rnd.sample(in_zone, 2)
        else:
            own = [f"ns1.{name}", f"ns2.{name}"]
            for h in own:
                # a host inside .dk has an address (EPP refuses one without)
                ips = rnd.choice([[f"192.0.2.{i % 250}"], [f"2001:db8:ff::{i:x}"],
                                  [f"192.0.2.{i % 250}", f"2001:db8:fe::{i:x}"]])
                await rows.add_host(h, *ips, domain=name)
            if rnd.random() < 0.2:  # an own host that serves another domain only
                await rows.add_host(f"spare.{name}", "192.0.2.254", domain=name)
            ns = own + rnd.sample(external, 1)
        if ns:
            await rows.delegate(did, *ns)
        if rnd.random() < 0.65:
            rows.domain.setdefault(name, did)
            await rows.conn.execute(insert(ds_records), [
                {"domain_id": did, "key_tag": rnd.randint(1, 65535), "alg": 13,
                 "digest_type": 2, "digest": f"{rnd.getrandbits(256):064X}",
                 "created_at": NOW} for _ in range(rnd.choice([1, 1, 2]))])
