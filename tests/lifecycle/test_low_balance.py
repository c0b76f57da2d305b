"""Low-balance mails at 10,000, 5,000 and 0 DKK: each threshold announced once per fall,
whichever way the money left (an EPP create on the PostgreSQL one-statement path, a
renewal, a CLI-style ledger posting), re-armed by a top-up, delivered over real SMTP."""

from __future__ import annotations

from dkreg.actions.portal.users import portal_user_create
from dkreg.store.ledger import debit, post_ledger
from dkreg.store.schema import portal_users
from epp.helpers import NS, setup_registrant
from support import PASSWORD, frames


async def registrar_id(registry, handle: str) -> int:  # type: ignore[no-untyped-def]
    return await registry.scalar("select id from registrars where handle = :h", h=handle)


async def move(registry, handle: str, amount_ore: int) -> None:  # type: ignore[no-untyped-def]
    rid = await registrar_id(registry, handle)
    async with registry.db.begin() as conn:
        ctx = registry.ctx(conn)
        if amount_ore < 0:
            await debit(ctx, rid, -amount_ore, "domain_renew", "test")
        else:
            await post_ledger(ctx, rid, amount_ore, "topup", "test top-up")


async def alerts(registry, mailbox) -> list[tuple[str, str]]:  # type: ignore[no-untyped-def]
    """Run the lifecycle, deliver the outbox; the new mails as (to, subject)."""
    before = len(mailbox.messages)
    await registry.tick()
    await mailbox.deliver()
    return [(m["To"], m["Subject"]) for m in mailbox.messages[before:]]


async def test_each_threshold_is_announced_once_per_fall(registry, mailbox) -> None:
    epp, handle = await registry.registrar_client(balance_ore=10_030_00)
    rid = await registrar_id(registry, handle)
    async with registry.db.begin() as conn:
        await portal_user_create(registry.ctx(conn), handle, f"books@{handle}.example",
                                 "accounting", PASSWORD)
        await portal_user_create(registry.ctx(conn), handle, f"dev@{handle}.example",
                                 "portfolio", PASSWORD)
        # invited to Accounting, not joined yet: not told about the account
        await conn.execute(portal_users.insert().values(
            registrar_id=rid, email="invited@elsewhere.example",
            privilege_group="accounting", password_hash="!", invited=True,
            created_at=registry.clock.now()))
    assert await alerts(registry, mailbox) == []  # 10,030 DKK: above every threshold
    # an EPP create (45 DKK) takes it to 9,985: the 10,000 threshold
    contact = await setup_registrant(epp)
    r = await epp.request(frames.domain_create("lowbalance.dk", contact, NS,
                                               token=registry.token()))
    assert r.code in (1000, 1001), r.msg
    sent = await alerts(registry, mailbox)
    email = await registry.scalar("select email from registrars where handle = :h", h=handle)
    subject = f"Lav saldo på den forudbetalte konto for {handle}: DKK 9985.00"
    # the registrar's address and its Accounting user; not the Portfolio user
    assert sorted(sent) == sorted([(email, subject),
                                   (f"books@{handle.lower()}.example", subject)])
    assert "grænsen på DKK 10000.00" in mailbox.text(mailbox.messages[-1])
    assert await alerts(registry, mailbox) == []  # announced once
    await move(registry, handle, -1000_00)  # 8,985: same band, no new mail
    assert await alerts(registry, mailbox) == []
    await move(registry, handle, -4000_00)  # 4,985: the 5,000 threshold
    sent = await alerts(registry, mailbox)
    assert len(sent) == 2 and all("DKK 4985.00" in s for _, s in sent)
    await move(registry, handle, -4985_00)  # exactly 0
    sent = await alerts(registry, mailbox)
    assert len(sent) == 2 and all("DKK 0.00" in s for _, s in sent)
    # a top-up above every threshold re-arms them; the next fall is announced again
    await move(registry, handle, 12_000_00)
    assert await alerts(registry, mailbox) == []
    assert await registry.scalar("select low_balance_alert_ore from registrars "
                                 "where handle = :h", h=handle) is None
    await move(registry, handle, -2_500_00)  # 9,500
    assert len(await alerts(registry, mailbox)) == 2


async def test_a_fall_past_two_thresholds_sends_one_mail_for_the_lower(registry,
                                                                        mailbox) -> None:
    _epp, handle = await registry.registrar_client(balance_ore=20_000_00)
    await move(registry, handle, -16_000_00)  # 4,000: past 10,000 and 5,000 at once
    sent = await alerts(registry, mailbox)
    assert len(sent) == 1 and "DKK 4000.00" in sent[0][1]
    assert "DKK 5000.00" in mailbox.text(mailbox.messages[-1])
    # a partial top-up into the 10,000 band re-arms 5,000 but not 10,000
    await move(registry, handle, 3_000_00)  # 7,000
    assert await alerts(registry, mailbox) == []
    await move(registry, handle, -3_000_00)  # 4,000 again
    assert len(await alerts(registry, mailbox)) == 1


async def test_thresholds_are_configurable(registry_factory) -> None:
    async with registry_factory(low_balance_thresholds_dkk="500") as reg:
        _epp, handle = await reg.registrar_client(balance_ore=600_00)
        await move(reg, handle, -200_00)
        await reg.tick()
        [(to, subject, level)] = await reg.rows(
            "select m.to_addr, m.subject, r.low_balance_alert_ore from mail_outbox m "
            "join registrars r on r.id = m.registrar_id")
        assert "DKK 400.00" in subject and level == 500_00
