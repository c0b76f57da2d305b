"""Login and reset limits hold under parallel requests (issue 11, item 6): 40 requests
sent at once get exactly the limit's worth of evaluations — passwords checked (argon2
calls counted), reset mails queued — and the rest are refused with 429. Before, each
request counted the failures noted so far and noted its own only after its password was
checked, so parallel guesses all passed the same count (the portal evaluated 9 of 40
against a limit of 5)."""

from __future__ import annotations

import asyncio
from collections import Counter

import httpx

from support.hash_watch import HashCount
from web.conftest import csrf_of
from web.test_portal_reset import FORGOT

N = 40


async def forms(web, path: str, ips: list[str]) -> list[tuple[httpx.AsyncClient, str]]:  # type: ignore[no-untyped-def]
    """A client per address with its login-form CSRF value, fetched one by one."""
    out = []
    for ip in ips:
        c = web.client(ip)
        out.append((c, csrf_of((await c.get(path)).text)))
    return out


async def at_once(posts) -> Counter[int]:  # type: ignore[no-untyped-def]
    return Counter(r.status_code for r in await asyncio.gather(*posts))


async def audited(web, command: str) -> int:  # type: ignore[no-untyped-def]
    return int(await web.registry.scalar(
        "select count(*) from audit where command = :c", c=command))


async def test_parallel_wrong_passwords_for_one_account_are_checked_at_most_the_limit(
        web, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    web.registry.settings.portal_login_max_failures_account = 5
    handle = await web.registrar()
    email = await web.user(handle)
    clients = await forms(web, "/portal/login", [f"198.51.100.{n}" for n in range(N)])
    hashes = HashCount().install(monkeypatch)
    answers = await at_once(c.post("/portal/login", data={
        "email": email, "password": "Wrong-Passw0rd", "csrf": csrf}) for c, csrf in clients)
    assert answers == {401: 5, 429: N - 5}
    assert hashes.verified == 5
    assert await audited(web, "portal_login_failed") == 5
    assert await audited(web, "portal_login_throttled") == N - 5


async def test_parallel_guesses_from_one_address_are_checked_at_most_its_limit(
        web, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """Unknown e-mails, one address: the same limit, the same work (the dummy hash)."""
    web.registry.settings.portal_login_max_failures_ip = 5
    clients = await forms(web, "/portal/login", ["203.0.113.9"] * N)
    hashes = HashCount().install(monkeypatch)
    answers = await at_once(c.post("/portal/login", data={
        "email": f"guess{n}@nowhere.example", "password": "Wrong-Passw0rd", "csrf": csrf})
        for n, (c, csrf) in enumerate(clients))
    assert answers == {401: 5, 429: N - 5}
    assert hashes.verified == 5


async def test_a_success_gives_its_attempt_back(web) -> None:  # type: ignore[no-untyped-def]
    """Only failures count, as before: an attempt in flight holds a place under the
    limit (so parallel guesses cannot pass it), a successful one gives it back."""
    web.registry.settings.portal_login_max_failures_account = 2
    handle = await web.registrar()
    email = await web.user(handle)
    for n in range(6):
        await web.login(email, client=web.client(f"198.51.100.{n}"))
    assert await web.registry.scalar("select count(*) from portal_login_failures") == 0
    assert (await web.attempt(web.client(), email, "Wrong-Passw0rd")).status_code == 401
    assert await web.registry.scalar("select count(*) from portal_login_failures") == 1


async def test_parallel_reset_requests_mail_at_most_the_limit(web) -> None:  # type: ignore[no-untyped-def]
    s = web.registry.settings
    s.portal_reset_max_per_email, s.portal_reset_max_per_ip = 3, 100
    handle = await web.registrar()
    email = await web.user(handle)
    clients = await forms(web, FORGOT, [f"198.51.100.{n}" for n in range(N)])
    answers = await at_once(c.post(FORGOT, data={"email": email, "csrf": csrf})
                            for c, csrf in clients)
    assert answers == {200: 3, 429: N - 3}
    assert await web.registry.scalar(
        "select count(*) from mail_outbox where kind = 'portal_password_reset' "
        "and to_addr = :e", e=email) == 3
    assert await audited(web, "portal_password_reset_throttled") == N - 3
