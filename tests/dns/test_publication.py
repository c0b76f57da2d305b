"""Incremental publication end to end: EPP commands and lifecycle steps change the
registry, the journal triggers record the names, the publisher sends RFC 2136 updates to
a real Knot DNS, and the answers Knot gives are what the registry's rules say."""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import pytest
import pytest_asyncio
from pub_support import OwnKnot, own_knot, served
from sqlalchemy import text

from dkreg.actions.contact import verification as contact_verification
from dkreg.dns.publisher import Publisher
from dkreg.dns.update import Outcome
from dkreg.store import zone_journal
from epp.update_support import SHA256, ready_registrar
from support import frames

NS_SET = ["ns1.example.net.", "ns2.example.net."]  # ready_registrar's domains
NS_34 = ["ns3.example.net.", "ns4.example.net."]
V4, V6 = "91.208.105.10", "2a01:4f8::10"


@dataclass
class Pub:
    registry: object
    knot: OwnKnot
    publisher: Publisher

    async def publish(self) -> int:
        """Rounds until the journal is empty; the names published."""
        total = 0
        for _ in range(20):
            total += await self.publisher.publish_once()
            if await journal_depth(self.registry) == 0:
                return total
        raise AssertionError(f"journal not drained: {self.publisher.last_error}")

    def ns(self, name: str) -> list[str]:
        return served(self.knot, name, "NS")


async def journal_depth(registry) -> int:  # type: ignore[no-untyped-def]
    async with registry.db.read() as conn:
        return (await zone_journal.depth(conn))[0]


async def stopped(task: asyncio.Task[None]) -> None:
    """Cancel a run loop and see it end (not ``await task`` under a suppress, which would
    swallow the test's own cancellation as well)."""
    task.cancel()
    done, _pending = await asyncio.wait({task}, timeout=10)
    assert done, "the run loop did not stop when cancelled"
    if not task.cancelled() and task.exception() is not None:
        raise task.exception()  # type: ignore[misc]


def publisher_for(registry, knot: OwnKnot, **settings: object) -> Publisher:  # type: ignore[no-untyped-def]
    s = registry.settings
    s.dns_server = "primary"
    s.dns_publish_delay = 4.0
    s.dns_refused_retry = 0.2
    for k, v in settings.items():
        setattr(s, k, v)
    return Publisher(registry.db, s, knot.target(), registry.clock)


@pytest_asyncio.fixture
async def pub(registry, tmp_path: Path) -> AsyncIterator[Pub]:  # type: ignore[no-untyped-def]
    with own_knot(tmp_path / "knot") as knot:
        yield Pub(registry, knot, publisher_for(registry, knot))


async def test_activation_publishes_the_ns_set_and_in_bailiwick_glue(pub: Pub) -> None:
    r = pub.registry
    c, _handle, contact = await ready_registrar(r)
    res = await c.request(frames.domain_create("limvej.dk", contact,
                                               ["ns3.example.net", "ns4.example.net"],
                                               token=r.token()))
    assert res.code == 1001, res.msg
    await pub.publish()
    assert pub.ns("limvej.dk") == []  # an application is not in the zone
    await r.tick()
    before = time.time()
    await pub.publish()
    assert pub.ns("limvej.dk") == NS_34
    assert before <= (pub.publisher.last_success_unix or 0) <= time.time()
    assert pub.publisher.last_serial == int(served(pub.knot, "dk", "SOA")[0].split()[2])

    # NS change, with a name server inside the domain: glue for it, and only for it
    assert (await c.request(frames.host_create("ns1.limvej.dk", V4, V6))).code == 1000
    res = await c.request(frames.domain_update("limvej.dk", add_ns=["ns1.limvej.dk"],
                                               rem_ns=["ns4.example.net"]))
    assert res.code == 1000, res.msg
    await pub.publish()
    assert pub.ns("limvej.dk") == ["ns1.limvej.dk.", "ns3.example.net."]
    assert served(pub.knot, "ns1.limvej.dk", "A") == [V4]
    assert served(pub.knot, "ns1.limvej.dk", "AAAA") == [V6]

    # a host address change follows into the glue
    res = await c.request(frames.host_update("ns1.limvej.dk", add=("91.208.105.11",),
                                             rem=(V4,)))
    assert res.code == 1000, res.msg
    await pub.publish()
    assert served(pub.knot, "ns1.limvej.dk", "A") == ["91.208.105.11"]


async def test_ds_add_and_remove(pub: Pub) -> None:
    r = pub.registry
    c, _handle, _contact = await ready_registrar(r, "signeret.dk")
    await pub.publish()
    assert pub.ns("signeret.dk") == NS_SET
    assert served(pub.knot, "signeret.dk", "DS") == []
    res = await c.request(frames.domain_update("signeret.dk", ext=frames.secdns_update(
        add=[frames.ds_data(12345, 13, 2, SHA256)])))
    assert res.code == 1000, res.msg
    await pub.publish()
    assert served(pub.knot, "signeret.dk", "DS") == [f"12345 13 2 {SHA256.lower()}"]
    res = await c.request(frames.domain_update("signeret.dk", ext=frames.secdns_update(
        rem_all=True)))
    assert res.code == 1000, res.msg
    await pub.publish()
    assert served(pub.knot, "signeret.dk", "DS") == []
    assert pub.ns("signeret.dk") == NS_SET


async def test_nis2_suspension_takes_the_delegation_out(pub: Pub) -> None:
    r = pub.registry
    c, _handle, contact = await ready_registrar(r, "suspenderet.dk")
    await pub.publish()
    assert pub.ns("suspenderet.dk") == NS_SET
    async with r.db.begin() as conn:
        result = await contact_verification.reject(r.ctx(conn), contact)
    assert result.domains == ["suspenderet.dk"]
    await pub.publish()
    assert pub.ns("suspenderet.dk") == []


async def test_redemption_restore_and_release(pub: Pub) -> None:
    r = pub.registry
    c, _handle, _contact = await ready_registrar(r, "fortryd.dk", "forsvind.dk")
    assert (await c.request(frames.host_create("ns1.forsvind.dk", V4))).code == 1000
    res = await c.request(frames.domain_update("forsvind.dk", add_ns=["ns1.forsvind.dk"]))
    assert res.code == 1000, res.msg
    await pub.publish()
    assert pub.ns("fortryd.dk") == NS_SET
    assert served(pub.knot, "ns1.forsvind.dk", "A") == [V4]

    for name in ("fortryd.dk", "forsvind.dk"):
        res = await c.request(frames.domain_delete(name))
        assert res.code == 1001, res.msg
    await pub.publish()
    assert pub.ns("fortryd.dk") == [] and pub.ns("forsvind.dk") == []
    assert served(pub.knot, "ns1.forsvind.dk", "A") == []  # glue leaves with the domain

    r.clock.advance(timedelta(days=10))
    res = await c.request(frames.domain_restore("fortryd.dk"))
    assert res.code == 1000, res.msg
    await pub.publish()
    assert pub.ns("fortryd.dk") == NS_SET

    # the end of redemption releases forsvind.dk: it stays out
    r.clock.advance(timedelta(days=25))
    await r.tick()
    assert await r.scalar("select count(*) from domains where name = 'forsvind.dk' "
                          "and released_at is not null") == 1
    await pub.publish()
    assert pub.ns("forsvind.dk") == []
    assert pub.ns("fortryd.dk") == NS_SET


class CrashAfterSend(Publisher):
    """Dies the moment the server said NOERROR, before the journal rows are deleted
    (as a process killed there would)."""

    async def _settle(self, rows, refused):  # type: ignore[no-untyped-def]
        raise SystemExit("killed")


async def test_a_crash_between_noerror_and_forget_resends_harmlessly(pub: Pub) -> None:
    r = pub.registry
    await ready_registrar(r, "genstart.dk")
    crashing = CrashAfterSend(r.db, r.settings, pub.knot.target(), r.clock)
    with pytest.raises(SystemExit):
        await crashing.publish_once()
    assert pub.ns("genstart.dk") == NS_SET  # the server has it ...
    assert await journal_depth(r) > 0  # ... and the journal still lists it
    serial = served(pub.knot, "dk", "SOA")
    # a fresh publisher (the restarted process) sends the same names again: the server
    # applies the deletions and additions, finds the zone as it was and keeps its serial
    await pub.publish()
    assert pub.publisher.messages_total == 1 and pub.publisher.published_total == 1
    assert pub.ns("genstart.dk") == NS_SET
    assert await journal_depth(r) == 0
    assert served(pub.knot, "dk", "SOA") == serial


class ChangeWhileInFlight(Publisher):
    """Makes a change (its journal row committed) while the round's UPDATE is on its
    way, before the round forgets what it read."""

    change: object = None

    async def _settle(self, rows, refused):  # type: ignore[no-untyped-def]
        if self.change is not None:
            change, self.change = self.change, None
            await change()  # type: ignore[operator]
        await super()._settle(rows, refused)


async def test_a_change_journalled_during_a_round_is_published_by_the_next(pub: Pub) -> None:
    r = pub.registry
    c, _handle, _contact = await ready_registrar(r, "flyvende.dk")
    p = ChangeWhileInFlight(r.db, r.settings, pub.knot.target(), r.clock)

    async def change() -> None:
        res = await c.request(frames.domain_update("flyvende.dk", rem_ns=["ns2.example.net"],
                                                   add_ns=["ns3.example.net"]))
        assert res.code == 1000, res.msg

    p.change = change
    await p.publish_once()
    assert pub.ns("flyvende.dk") == NS_SET  # what was read before the change
    async with r.db.read() as conn:  # the change's own rows are still there
        assert {n for _i, n in await zone_journal.pending(conn, 10)} == {"flyvende.dk"}
    await p.publish_once()
    assert pub.ns("flyvende.dk") == ["ns1.example.net.", "ns3.example.net."]
    assert await journal_depth(r) == 0


async def test_the_run_loop_publishes_within_the_delay(pub: Pub) -> None:
    r = pub.registry
    task = asyncio.create_task(pub.publisher.run())
    try:
        await ready_registrar(r, "loebende.dk")
        for _ in range(int(r.settings.dns_publish_delay / 0.1)):
            if pub.ns("loebende.dk") == NS_SET:
                break
            await asyncio.sleep(0.1)
        assert pub.ns("loebende.dk") == NS_SET
        for _ in range(100):
            if not await journal_depth(r):
                break
            await asyncio.sleep(0.05)
        assert await journal_depth(r) == 0
    finally:
        await stopped(task)
    assert pub.publisher.published_total >= 1


async def test_the_run_loop_stops_when_cancelled_as_it_is_woken(pub: Pub) -> None:
    """A cancel that arrives as the wake-up event is set must still end the loop:
    Python 3.11's ``asyncio.wait_for`` returns the inner result then and drops the
    cancellation (gh-86296), which left ``dkreg serve``'s shutdown and a CI run
    waiting for ever."""
    p = pub.publisher
    for _ in range(3):
        task = asyncio.create_task(p.run())
        await asyncio.sleep(0.2)  # idle: waiting for a wake-up or the poll interval
        p.wake()
        task.cancel()
        done, _pending = await asyncio.wait({task}, timeout=5)
        assert done, "the cancellation was swallowed"
        assert task.cancelled()


class DroppingRound(Publisher):
    """A round whose exchange drops a cancel, as 3.11's ``asyncio.wait_for`` (inside
    dnspython's queries) does when its awaitable finishes as the cancel comes."""

    out: asyncio.Event

    async def _send(self, changes):  # type: ignore[no-untyped-def]
        self.out.set()
        with contextlib.suppress(asyncio.CancelledError):  # dropped
            await asyncio.sleep(30)
        return Outcome(), set(), None


async def test_the_run_loop_stops_when_a_round_drops_the_cancel(pub: Pub) -> None:
    """The loop waits for the round that is out without handing its own cancel to it:
    a round that dropped it used to end normally and leave the loop running for ever."""
    r = pub.registry
    await ready_registrar(r, "tabt.dk")
    p = DroppingRound(r.db, r.settings, pub.knot.target(), r.clock)
    p.out = asyncio.Event()
    task = asyncio.create_task(p.run())
    async with asyncio.timeout(10):
        await p.out.wait()
    await asyncio.sleep(0.1)  # the loop is waiting for the round now
    task.cancel()
    done, _pending = await asyncio.wait({task}, timeout=5)
    assert done, "the loop ran on after its cancel"
    assert task.cancelled()


async def test_the_server_away_keeps_the_journal_and_backs_off(registry, tmp_path) -> None:  # type: ignore[no-untyped-def]
    with own_knot(tmp_path / "knot") as knot:
        target_port = knot.port
        p = publisher_for(registry, knot)
    # the server is stopped now: nothing answers on its port
    assert p.target.port == target_port
    await ready_registrar(registry, "vent.dk")
    depth = await journal_depth(registry)
    assert await p.publish_once() == 0
    assert await journal_depth(registry) == depth
    assert p.failures_total == 1 and p.backoff == 1.0 and p.last_error
    assert await p.publish_once() == 0
    assert p.backoff == 2.0
    # it comes back (on the same port): the journal drains
    with own_knot(tmp_path / "knot2") as knot2:
        p.target = knot2.target()
        p.updater.target = p.target
        assert await p.publish_once() == 1
        assert served(knot2, "vent.dk", "NS") == NS_SET
        assert p.backoff == 0.0
    assert await journal_depth(registry) == 0


async def test_one_refused_name_does_not_hold_back_the_others(registry, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """The server may update every name but one (an operator's primary with a rule of its
    own): that name is refused in a batch with the others, the batch is split until it
    stands alone, and everything else is published."""
    c, _handle, _contact = await ready_registrar(registry, "a-god.dk", "b-ond.dk", "c-god.dk")
    with own_knot(tmp_path / "knot", only=["a-god.dk", "c-god.dk"]) as knot:
        p = publisher_for(registry, knot)
        assert await p.publish_once() == 2
        assert served(knot, "a-god.dk", "NS") == NS_SET
        assert served(knot, "c-god.dk", "NS") == NS_SET
        assert served(knot, "b-ond.dk", "NS") == []
        assert p.refused_total == 1 and "b-ond.dk" in (p.last_error or "")
        assert p.messages_total >= 3  # the batch, and its halves
        async with registry.db.read() as conn:
            left = [n for _i, n in await zone_journal.pending(conn, 100)]
        assert left == ["b-ond.dk"]  # kept, to be tried again
        # held back for a while: the next round leaves it out, then tries it again
        assert await p.publish_once() == 0
        assert p.refused_total == 1
        await asyncio.sleep(0.25)
        assert await p.publish_once() == 0
        assert p.refused_total == 2


async def test_records_that_cannot_be_dns_are_set_aside(pub: Pub) -> None:
    """A DS digest written behind the actions' back that is not hex: its domain waits in
    the journal, every other change goes out."""
    r = pub.registry
    c, _handle, _contact = await ready_registrar(r, "skaev.dk", "lige.dk")
    async with r.db.begin() as conn:
        await conn.execute(text(
            "insert into ds_records (domain_id, key_tag, alg, digest_type, digest, created_at) "
            "select id, 1, 13, 2, 'not-hex', created_at from domains where name = 'skaev.dk'"))
    assert await pub.publisher.publish_once() == 1
    assert pub.ns("lige.dk") == NS_SET
    assert pub.ns("skaev.dk") == []
    assert pub.publisher.refused_total == 1
    async with r.db.read() as conn:
        assert {n for _i, n in await zone_journal.pending(conn, 100)} == {"skaev.dk"}


class HeldFirstRound(Publisher):
    """The first round's messages wait at a gate: what the run loop does meanwhile."""

    gate: asyncio.Event
    sent: list[list[str]]
    prepared: list[list[str]]

    async def _send(self, changes):  # type: ignore[no-untyped-def]
        self.sent.append(sorted(c.name for c in changes))
        if len(self.sent) == 1:
            await self.gate.wait()
        return await super()._send(changes)

    async def _prepare(self, busy=frozenset()):  # type: ignore[no-untyped-def]
        prepared = await super()._prepare(busy)
        if prepared is not None:
            self.prepared.append(sorted({n for _i, n in prepared.rows}))
        return prepared


async def test_the_run_loop_reads_the_next_round_while_one_is_out(pub: Pub) -> None:
    """At 1.4 million names the server takes seconds a round and so does reading the
    next one: the loop overlaps them, and a name of the round that is out waits for the
    round after, so an older state of it can never overtake a newer one."""
    r = pub.registry
    c, _handle, _contact = await ready_registrar(r, "foerste.dk", "anden.dk")
    await pub.publish()
    p = HeldFirstRound(r.db, r.settings, pub.knot.target(), r.clock)
    p.settings.dns_publish_round = 1
    p.gate, p.sent, p.prepared = asyncio.Event(), [], []
    for name in ("foerste.dk", "anden.dk"):
        res = await c.request(frames.domain_update(name, rem_ns=["ns2.example.net"],
                                                   add_ns=["ns3.example.net"]))
        assert res.code == 1000, res.msg
    task = asyncio.create_task(p.run())
    try:
        for _ in range(200):
            if len(p.prepared) == 2:
                break
            await asyncio.sleep(0.02)
        # foerste.dk is with the server, held; anden.dk is read and built meanwhile
        assert p.sent == [["foerste.dk"]] and p.prepared == [["foerste.dk"], ["anden.dk"]]
        res = await c.request(frames.domain_update("foerste.dk", rem_ns=["ns3.example.net"],
                                                   add_ns=["ns4.example.net"]))
        assert res.code == 1000, res.msg
        await asyncio.sleep(0.3)
        assert p.prepared == [["foerste.dk"], ["anden.dk"]]  # not while it is out
        p.gate.set()
        for _ in range(200):
            if await journal_depth(r) == 0 and len(p.sent) >= 3:
                break
            await asyncio.sleep(0.05)
    finally:
        await stopped(task)
    assert p.sent[:3] == [["foerste.dk"], ["anden.dk"], ["foerste.dk"]]
    assert pub.ns("foerste.dk") == ["ns1.example.net.", "ns4.example.net."]
    assert pub.ns("anden.dk") == ["ns1.example.net.", "ns3.example.net."]
    assert await journal_depth(r) == 0
