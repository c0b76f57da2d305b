"""Building blocks for the update domain tests: an active domain, extra
hosts, the poll queue, and a fingerprint of everything an update may write."""

from __future__ import annotations

from itertools import count

from epp.helpers import NS, setup_registrant
from support import frames
from support.eppclient import EppClient

MORE_NS = ["ns3.example.net", "ns4.example.net"]
SHA256 = "E2D3C916F6DEEAC73294E8268FB5885044A833FC5459588F4A9184CFC41A5766"
SHA1 = "2BB183AF5F22588179A53B0A98631FAD1A292118"
SHA384 = ("ED3EF3E1787F797A538ABF130FD90D7499713976F7DA7C05E51826554560FD42"
          "BBA5E66DBD2F573A75D77EB0B05124C4")
_users = count(1)


async def create_hosts(c: EppClient, *names: str) -> None:
    for name in names:
        r = await c.request(frames.host_create(name))
        assert r.code == 1000, r.msg


async def active_domains(registry, c: EppClient, registrant: str, *names: str,
                         ns: list[str] | None = None, ext: str = "") -> None:
    """Create and activate domains (one tick for all of them); their create results are
    left in the poll queue."""
    for name in names:
        r = await c.request(frames.domain_create(name, registrant, ns or NS,
                                                 token=registry.token(), extra_ext=ext))
        assert r.code == 1001, r.msg
    await registry.tick()
    for name in names:
        state = await registry.scalar("select state from domains where uname = :n", n=name)
        assert state == "active", (name, state)


async def ready_registrar(registry, *names: str, balance_ore: int = 10_000_00
                          ) -> tuple[EppClient, str, str]:
    """A registrar with a verified registrant, NS hosts ns1-ns4 and active domains."""
    c, handle = await registry.registrar_client(balance_ore=balance_ore)
    contact = await setup_registrant(c)
    await create_hosts(c, *MORE_NS)
    await active_domains(registry, c, contact, *names)
    await drain(c)
    return c, handle, contact


async def drain(c: EppClient) -> list[tuple[str, object]]:
    """Read and acknowledge every queued poll message: (text, reply) in queue order."""
    got = []
    while True:
        r = await c.request(frames.poll_req())
        if r.code == 1300:
            return got
        assert r.code == 1301, r.msg
        got.append((r.text(".//epp:msgQ/epp:msg"), r))
        ack = await c.request(frames.poll_ack(r.find(".//epp:msgQ").get("id")))
        assert ack.code == 1000, ack.msg


async def ns_of(registry, name: str) -> list[str]:
    return [r.name for r in await registry.rows(
        "select h.name from domain_ns dn join hosts h on h.id = dn.host_id "
        "join domains d on d.id = dn.domain_id where d.uname = :n order by dn.position",
        n=name)]


async def ds_of(registry, name: str) -> list[tuple]:
    return [tuple(r) for r in await registry.rows(
        "select key_tag, alg, digest_type, digest from ds_records r join domains d "
        "on d.id = r.domain_id where d.uname = :n order by key_tag, digest", n=name)]


async def fingerprint(registry, name: str) -> tuple:
    """Everything an update domain may change, for "nothing was half-written" checks."""
    dom = tuple((await registry.rows(
        "select registrant_id, statuses, autorenew, billing_registrar_id, updated_at, "
        "updated_by from domains where uname = :n", n=name))[0])
    roles = [tuple(r) for r in await registry.rows(
        "select dc.type, dc.contact_id from domain_contacts dc join domains d "
        "on d.id = dc.domain_id where d.uname = :n order by dc.type", n=name)]
    counts = tuple([await registry.scalar(f"select count(*) from {t}") for t in (
        "auth_tokens", "pending_requests", "poll_messages", "ledger")])
    balances = [tuple(r) for r in await registry.rows(
        "select id, balance_ore from registrars order by id")]
    return (dom, await ns_of(registry, name), await ds_of(registry, name), roles, counts,
            balances)


async def client_with_roles(registry, registrar_handle: str, roles: str) -> EppClient:
    """A second service user of the same registrar holding only ``roles``."""
    from dkreg.actions.account.registrars import user_create
    from support import PASSWORD

    login = f"{registrar_handle[4:]}r{next(_users)}"
    async with registry.db.begin() as conn:
        await user_create(registry.ctx(conn), registrar_handle, login, "epp", PASSWORD,
                          roles=roles)
    return await registry.client(login, PASSWORD)


async def sql(registry, statement: str, **params: object) -> None:
    """A direct write, standing in for the registry's own processes in a test."""
    from sqlalchemy import text

    async with registry.db.begin() as conn:
        await conn.execute(text(statement), params)


async def update_as_registry(registry, cmd) -> object:  # type: ignore[no-untyped-def]
    """Run the update action as the registry itself (CLI; later self-service)."""
    from dkreg.actions.domain.update import domain_update

    async with registry.db.begin() as conn:
        return await domain_update(registry.ctx(conn), cmd)
