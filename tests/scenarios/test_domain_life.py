"""A domain's life on the registry clock, driven the way a registrar drives it: EPP commands
for everything a registrar does, ``tick`` for the time that passes in between."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from epp.helpers import NS, setup_registrant
from support import frames

PRICE, FEE = 4500, 10000


def domain_work(report) -> int:  # type: ignore[no-untyped-def]
    """Items the domain lifecycle steps did (other sections' steps may have work of their
    own at the same moment)."""
    return sum(n for step, n in report.done.items() if step.startswith("domain_"))


async def info(c, name: str) -> tuple[list[str], str | None, str | None]:
    r = await c.request(frames.domain_info(name))
    assert r.code == 1000, r.msg
    return ([s.get("s") for s in r.findall(".//domain:status")], r.text(".//domain:exDate"),
            r.text(".//domain:clID"))


async def next_message(c) -> str:
    r = await c.request(frames.poll_req())
    assert r.code == 1301, r.msg
    assert (await c.request(frames.poll_ack(r.find(".//epp:msgQ").get("id")))).code == 1000
    return r.text(".//epp:msgQ/epp:msg")


async def balance(registry, handle: str) -> int:
    return await registry.scalar("select balance_ore from registrars where handle = :h",
                                 h=handle)


async def test_renewed_auto_renewed_deleted_and_restored(registry) -> None:
    c, handle = await registry.registrar_client()
    contact = await setup_registrant(c)
    r = await c.request(frames.domain_create("livet.dk", contact, NS, token=registry.token()))
    assert r.code == 1001, r.msg
    await registry.tick()
    assert await next_message(c) == "livet.dk has been registered and activated"
    assert await info(c, "livet.dk") == (["ok"], "2027-06-01T21:59:59.0Z", handle)

    r = await c.request(frames.domain_renew("livet.dk", "2027-06-01"))
    assert r.code == 1000, r.msg
    assert r.text(".//domain:exDate") == "2028-06-01T21:59:59.0Z"

    # a year later the paid period runs out; auto-renew pays the next year
    registry.clock.set(datetime(2028, 6, 1, 21, 59, 59, tzinfo=UTC))
    await registry.tick()
    assert await info(c, "livet.dk") == (["ok"], "2029-06-01T21:59:59.0Z", handle)

    registry.clock.set(datetime(2028, 7, 1, 9, 0, tzinfo=UTC))
    r = await c.request(frames.domain_delete("livet.dk"))
    assert r.code == 1001, r.msg
    statuses, _, _ = await info(c, "livet.dk")
    assert sorted(statuses) == ["pendingDelete", "serverDeleteProhibited", "serverHold"]
    r = await c.request(frames.domain_check("livet.dk"))
    assert (r.find(".//domain:name").get("avail"), r.text(".//domain:reason")) == ("0", "In use")

    registry.clock.advance(timedelta(days=20))
    await registry.tick()  # still within the redemption period
    r = await c.request(frames.domain_restore("livet.dk"))
    assert r.code == 1000, r.msg
    assert await info(c, "livet.dk") == (["ok"], "2030-06-01T21:59:59.0Z", handle)
    assert await next_message(c) == (
        "livet.dk has been restored, extended and cancellation stopped")

    # the old end of redemption passes: the domain stays
    registry.clock.advance(timedelta(days=15))
    assert domain_work(await registry.tick()) == 0
    assert (await info(c, "livet.dk"))[0] == ["ok"]
    assert await balance(registry, handle) == 10_000_00 - 3 * PRICE - (PRICE + FEE)
    assert (await c.request(frames.poll_req())).code == 1300


async def test_unpaid_expiry_released_and_registered_by_another(registry) -> None:
    a, a_handle = await registry.registrar_client(balance_ore=PRICE)
    a_contact = await setup_registrant(a)
    r = await a.request(frames.domain_create("mistet.dk", a_contact, NS, token=registry.token()))
    assert r.code == 1001, r.msg
    await registry.tick()
    assert await next_message(a) == "mistet.dk has been registered and activated"

    registry.clock.set(datetime(2027, 6, 2, 8, 0, tzinfo=UTC))  # the day after expiry
    await registry.tick()
    statuses, ex_date, _ = await info(a, "mistet.dk")
    assert (sorted(statuses), ex_date) == (
        ["pendingDelete", "serverDeleteProhibited", "serverHold"], "2027-06-01T21:59:59.0Z")
    r = await a.request(frames.domain_renew("mistet.dk", "2027-06-01"))
    assert r.code == 2105, r.msg
    r = await a.request(frames.domain_restore("mistet.dk"))
    assert r.code == 2104 and r.msg.startswith("Billing failure")

    # thirty days after the expiry the name is free
    registry.clock.set(datetime(2027, 7, 1, 21, 59, 59, tzinfo=UTC))
    await registry.tick()
    assert await next_message(a) == "mistet.dk has been deleted"
    assert (await a.request(frames.domain_info("mistet.dk"))).code == 2303
    assert await balance(registry, a_handle) == 0

    b, b_handle = await registry.registrar_client()
    b_contact = await setup_registrant(b, email="ny@example.dk")
    r = await b.request(frames.domain_check("mistet.dk"))
    assert r.find(".//domain:name").get("avail") == "1"
    r = await b.request(frames.domain_create("mistet.dk", b_contact, NS, token=registry.token()))
    assert r.code == 1001, r.msg
    await registry.tick()
    assert await next_message(b) == "mistet.dk has been registered and activated"
    assert await info(a, "mistet.dk") == (["ok"], "2028-07-01T21:59:59.0Z", b_handle)
    assert await registry.scalar("select count(*) from domains where name = 'mistet.dk'") == 2
