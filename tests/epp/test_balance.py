"""info balance (VeriSign balance-1.0) in DKK."""

from __future__ import annotations

from support import frames


async def test_balance_follows_the_ledger(registry) -> None:
    c, _handle = await registry.registrar_client(balance_ore=1234_56)
    r = await c.request(frames.balance_info())
    assert r.code == 1000
    assert r.text(".//balance:balance") == "1234.56"
    assert r.text(".//balance:creditLimit") == "0.00"
    assert r.text(".//balance:creditThreshold/balance:fixed") == "0.00"


async def test_balance_needs_payer_role(registry) -> None:
    from sqlalchemy import text

    _, login, pw = await registry.new_registrar()
    async with registry.db.begin() as conn:
        await conn.execute(text("update users set roles = 'registrar' where login = :l"),
                           {"l": login})
    c = await registry.client(login, pw)
    r = await c.request(frames.balance_info())
    assert r.code == 2201
