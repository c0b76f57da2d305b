"""Staff login throttling on both backends, like the portal's: failed logins counted per
submitted e-mail (whether or not it is a staff user's) and per client address within
``portal_login_window``; past a limit even the right password is refused (429) until
the window has passed. An unknown e-mail and a wrong password get the same answer, and
are throttled the same way. Every failure and refusal is audited (door "staff")."""

from __future__ import annotations

import asyncio
from collections import Counter
from datetime import timedelta

import httpx
from idsupport import IdWeb, csrf_of

from dkreg.identity import staff
from support import PASSWORD
from support.hash_watch import HashCount

STAFF = "reviewer@registry.example"


async def make_staff(w: IdWeb, email: str = STAFF) -> None:
    async with w.registry.db.begin() as conn:  # type: ignore[attr-defined]
        await staff.create(w.registry.ctx(conn), email, PASSWORD)  # type: ignore[attr-defined]


async def attempt(c: httpx.AsyncClient, email: str, password: str) -> httpx.Response:
    page = await c.get("/staff/login")
    return await c.post("/staff/login", data={"email": email, "password": password,
                                              "csrf": csrf_of(page.text)})


def answer(r: httpx.Response, email: str) -> tuple[int, str]:
    """What the page tells: status and body, without the echoed e-mail and CSRF value."""
    return r.status_code, r.text.replace(email, "E").replace(csrf_of(r.text), "C")


def limits(w: IdWeb, per_account: int, per_ip: int) -> None:
    s = w.registry.settings  # type: ignore[attr-defined]
    s.portal_login_max_failures_account, s.portal_login_max_failures_ip = per_account, per_ip


async def audited(w: IdWeb, command: str) -> int:
    return int(await w.registry.scalar(  # type: ignore[attr-defined]
        "select count(*) from audit where door = 'staff' and command = :c", c=command))


async def test_unknown_email_and_wrong_password_get_the_same_answer(idweb: IdWeb) -> None:
    await make_staff(idweb)
    c = idweb.client("192.0.2.31")
    wrong = await attempt(c, STAFF, "Wrong-Passw0rd")
    unknown = await attempt(c, "nobody@registry.example", PASSWORD)
    assert wrong.status_code == 401 and 'id="login-message"' in wrong.text
    assert answer(wrong, STAFF) == answer(unknown, "nobody@registry.example")
    assert "dkreg_staff" not in wrong.cookies and "dkreg_staff" not in unknown.cookies
    assert await audited(idweb, "staff_login_failed") == 2


async def test_failures_per_account_throttle_even_the_right_password_until_the_window_ends(
        idweb: IdWeb) -> None:
    await make_staff(idweb)
    limits(idweb, per_account=3, per_ip=100)
    for i in range(3):  # from different addresses: the account's count is what stops it
        r = await attempt(idweb.client(f"192.0.2.{40 + i}"), STAFF, f"Wrong-Passw0rd{i}")
        assert r.status_code == 401
    right = await attempt(idweb.client("192.0.2.50"), STAFF, PASSWORD)
    assert right.status_code == 429 and 'id="login-message"' in right.text
    assert "dkreg_staff" not in right.cookies
    assert await audited(idweb, "staff_login_throttled") == 1
    # an unknown e-mail is throttled alike: the refusal tells nothing about who exists
    ghost = "ghost@registry.example"
    for i in range(3):
        assert (await attempt(idweb.client(f"192.0.2.{60 + i}"), ghost, PASSWORD)
                ).status_code == 401
    refused = await attempt(idweb.client("192.0.2.70"), ghost, PASSWORD)
    assert answer(refused, ghost) == answer(right, STAFF)
    # another staff user is not affected; after the window the right password works
    await make_staff(idweb, "other@registry.example")
    assert (await attempt(idweb.client("192.0.2.71"), "other@registry.example", PASSWORD)
            ).status_code == 303
    window = idweb.registry.settings.portal_login_window  # type: ignore[attr-defined]
    idweb.registry.clock.advance(timedelta(seconds=window - 1))  # type: ignore[attr-defined]
    assert (await attempt(idweb.client("192.0.2.50"), STAFF, PASSWORD)).status_code == 429
    idweb.registry.clock.advance(timedelta(seconds=2))  # type: ignore[attr-defined]
    ok = await attempt(idweb.client("192.0.2.50"), STAFF, PASSWORD)
    assert ok.status_code == 303 and ok.headers["location"] == "/staff/"


async def test_failures_per_address_throttle_that_address_only(idweb: IdWeb) -> None:
    await make_staff(idweb)
    limits(idweb, per_account=100, per_ip=4)
    guesser = idweb.client("198.51.100.7")
    for i in range(4):
        r = await attempt(guesser, f"guess{i}@registry.example", "Wrong-Passw0rd")
        assert r.status_code == 401
    assert (await attempt(guesser, STAFF, PASSWORD)).status_code == 429
    assert await audited(idweb, "staff_login_throttled") == 1
    assert (await attempt(idweb.client("198.51.100.8"), STAFF, PASSWORD)).status_code == 303
    # a successful login does not count as a failure
    for _ in range(5):
        assert (await attempt(idweb.client("198.51.100.9"), STAFF, PASSWORD)
                ).status_code == 303


async def test_staff_failures_do_not_throttle_self_service_logins(idweb: IdWeb) -> None:
    limits(idweb, per_account=100, per_ip=2)
    c = idweb.client("203.0.113.5")
    for i in range(2):
        assert (await attempt(c, f"x{i}@registry.example", "Wrong-Passw0rd")).status_code == 401
    assert (await attempt(c, STAFF, PASSWORD)).status_code == 429
    page = await c.get("/selfservice/login")
    r = await c.post("/selfservice/login", data={"login": "nobody@example.dk",
                                                 "password": "Wrong-Passw0rd",
                                                 "csrf": csrf_of(page.text)})
    assert r.status_code == 401  # failed, not throttled: the counts are per kind


async def test_password_check_leaves_the_database_free(idweb: IdWeb, monkeypatch) -> None:
    """The argon2 check runs with no transaction open (on SQLite another writer takes
    the write lock meanwhile): right, wrong and unknown e-mail alike."""
    from support.hash_watch import HashWatch

    await make_staff(idweb)
    watch = HashWatch(idweb.registry.settings.url).install(monkeypatch)  # type: ignore[attr-defined]
    c = idweb.client("192.0.2.79")
    assert (await attempt(c, STAFF, "Wrong-Passw0rd")).status_code == 401
    assert (await attempt(c, "nobody@registry.example", PASSWORD)).status_code == 401
    assert (await attempt(c, STAFF, PASSWORD)).status_code == 303
    watch.assert_all_free(at_least=3)
    assert await audited(idweb, "staff_login_failed") == 2
    assert await audited(idweb, "staff_login") == 1


async def test_parallel_wrong_passwords_are_checked_at_most_the_limit(
        idweb: IdWeb, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """Issue 11, item 6: 40 at once, limit 5 — five passwords checked, 35 refused."""
    await make_staff(idweb)
    limits(idweb, per_account=5, per_ip=100)
    clients = []
    for n in range(40):
        c = idweb.client(f"198.51.100.{n}")
        clients.append((c, csrf_of((await c.get("/staff/login")).text)))
    hashes = HashCount().install(monkeypatch)
    answers = Counter(r.status_code for r in await asyncio.gather(*(
        c.post("/staff/login", data={"email": STAFF, "password": "Wrong-Passw0rd",
                                     "csrf": csrf}) for c, csrf in clients)))
    assert answers == {401: 5, 429: 35}
    assert hashes.verified == 5
    assert await audited(idweb, "staff_login_failed") == 5
