"""Self-service limits hold under parallel requests (issue 11, item 6): 40 wrong
passwords sent at once are checked exactly the limit's times (argon2 calls counted) and
40 link requests at once queue exactly the limit's mails; the rest get 429. Before, the
count was taken before the password check and the failure noted after it, so parallel
guesses all passed one count (21 of 40 evaluated against a limit of 5)."""

from __future__ import annotations

import asyncio
from collections import Counter

from selfservice.conftest import csrf_of
from support.hash_watch import HashCount

N = 40


async def forms(ss, ips: list[str]):  # type: ignore[no-untyped-def]
    out = []
    for ip in ips:
        c = ss.client(ip)
        out.append((c, csrf_of((await c.get("/selfservice/login")).text)))
    return out


async def test_parallel_wrong_passwords_are_checked_at_most_the_limit(
        ss, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    ss.registry.settings.selfservice_login_max_failures_account = 5
    handle = await ss.contact()
    await ss.give_password(handle)
    clients = await forms(ss, [f"198.51.100.{n}" for n in range(N)])
    hashes = HashCount().install(monkeypatch)
    answers = Counter(r.status_code for r in await asyncio.gather(*(
        c.post("/selfservice/login", data={"login": handle, "password": "Wrong-Passw0rd",
                                           "csrf": csrf}) for c, csrf in clients)))
    assert answers == {401: 5, 429: N - 5}
    assert hashes.verified == 5
    assert await ss.count("select count(*) from audit where command = "
                          "'selfservice_login_failed'") == 5
    # the right password, later and alone, is still refused: the limit was reached
    assert (await ss.attempt(ss.client("198.51.100.99"), handle,
                             "Selv-Betjening-7")).status_code == 429


async def test_parallel_link_requests_mail_at_most_the_limit(ss) -> None:  # type: ignore[no-untyped-def]
    s = ss.registry.settings
    s.selfservice_link_max_per_email, s.selfservice_link_max_per_ip = 3, 100
    email = "parallel.links@example.dk"
    await ss.contact(email=email)
    clients = await forms(ss, [f"198.51.100.{n}" for n in range(N)])
    answers = Counter(r.status_code for r in await asyncio.gather(*(
        c.post("/selfservice/login/link", data={"email": email, "csrf": csrf})
        for c, csrf in clients)))
    assert answers == {200: 3, 429: N - 3}
    assert await ss.count("select count(*) from mail_outbox where kind = "
                          "'selfservice_login_link' and to_addr = :e", e=email) == 3
