"""The lifecycle never stalls: an item that fails is recorded, skipped with back-off and
retried; the rest of its step and every later step go on; ``dkreg lifecycle status``
and ``/healthz`` show it. And the incident behind it: contacts whose names look like
HTML or URLs get their mail.

Failures are injected through the database itself: a trigger that refuses to update one
row (as a constraint or a damaged row would), or a row with an address no mail can go
to. Nothing of ours is mocked.
"""

from __future__ import annotations

import asyncio
import html
import logging
import subprocess
import sys
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import timedelta
from pathlib import Path

import httpx
import pytest
import pytest_asyncio
from sqlalchemy import select, text

from dkreg.app import Running
from dkreg.store.schema import lifecycle_failures
from dkreg.web.asgi import build_app
from epp.helpers import NS, setup_registrant
from epp.test_contact_verification import domain as domain_by_uname
from lifecycle.test_domain_expiry import EXPIRES, active, domain
from support import frames
from support.epp_objects import Agent, unique

SECOND = timedelta(seconds=1)
Refuse = Callable[[str, int], Awaitable[None]]
ODD_NAMES = ("Eve <img src=x onerror=alert(1)>", "Ole https://shop.example",
             "Anne src=x Hansen")


@pytest_asyncio.fixture
async def refuse(registry) -> AsyncIterator[Refuse]:  # type: ignore[no-untyped-def]
    """``await refuse(table, row_id)``: the database refuses every update of that row
    until ``refuse.fix()``-ed (the trigger is dropped at the end in any case)."""
    made: list[tuple[str, str]] = []

    async def make(table: str, row_id: int) -> None:
        name = f"test_refuse_{table}_{row_id}"
        async with registry.db.begin() as conn:
            if registry.db.is_sqlite:
                await conn.execute(text(
                    f"CREATE TRIGGER {name} BEFORE UPDATE ON {table} WHEN OLD.id = {row_id} "
                    "BEGIN SELECT RAISE(ABORT, 'refused by a test trigger'); END"))
            else:
                await conn.execute(text(
                    "CREATE OR REPLACE FUNCTION test_refuse() RETURNS trigger LANGUAGE plpgsql "
                    "AS $$ BEGIN RAISE EXCEPTION 'refused by a test trigger'; END $$"))
                await conn.execute(text(
                    f"CREATE TRIGGER {name} BEFORE UPDATE ON {table} FOR EACH ROW "
                    f"WHEN (OLD.id = {row_id}) EXECUTE FUNCTION test_refuse()"))
        made.append((name, table))

    async def fix() -> None:
        async with registry.db.begin() as conn:
            while made:
                name, table = made.pop()
                on = "" if registry.db.is_sqlite else f" ON {table}"
                await conn.execute(text(f"DROP TRIGGER IF EXISTS {name}{on}"))

    make.fix = fix  # type: ignore[attr-defined]
    try:
        yield make
    finally:
        await fix()


async def failures(registry) -> list:  # type: ignore[no-untyped-def,type-arg]
    async with registry.db.read() as conn:  # typed columns: datetimes on both backends
        return list(await conn.execute(select(lifecycle_failures).order_by(
            lifecycle_failures.c.step, lifecycle_failures.c.item_id)))


def tracebacks(caplog: pytest.LogCaptureFixture, what: str) -> int:
    return sum(1 for r in caplog.records if r.name == "dkreg.lifecycle" and r.exc_info
               and what in r.getMessage())


async def three_expiring(registry, refuse: Refuse):  # type: ignore[no-untyped-def]
    """Three auto-renewing domains expiring at EXPIRES, the middle one refused by the
    database; an unused contact that becomes deletable by then (a later step's work)."""
    c, handle = await registry.registrar_client()
    contact = await setup_registrant(c)
    names = [unique("exp") + ".dk" for _ in range(3)]
    await active(registry, c, contact, *names)
    r = await c.request(frames.contact_create(email="unused@example.dk"))
    assert r.code == 1000, r.msg
    bad = await domain(registry, names[1])
    await refuse("domains", bad.id)
    registry.clock.set(EXPIRES)
    return c, names, bad, r.text(".//contact:id")


async def test_a_failing_item_holds_back_neither_its_step_nor_later_steps(
        registry, refuse, caplog) -> None:  # type: ignore[no-untyped-def]
    caplog.set_level(logging.INFO, logger="dkreg.lifecycle")
    _c, names, bad, unused = await three_expiring(registry, refuse)
    report = await registry.tick()
    assert (report.done["domain_expiry"], report.failed["domain_expiry"]) == (2, 1)
    assert report.done["contact_autodelete"] == 1  # a later step went on
    assert await registry.scalar("select deleted_at from contacts where handle = :h",
                                 h=unused) is not None
    for name, renewed in zip(names, (True, False, True), strict=True):
        assert ((await domain(registry, name)).expires_at > EXPIRES) is renewed
    [f] = await failures(registry)
    now = registry.clock.now()
    assert (f.step, f.item_id, f.item, f.attempts) == (
        "domain_expiry", bad.id, f"domain {bad.id} ({names[1]})", 1)
    assert "refused by a test trigger" in f.message
    assert (f.first_failed_at, f.next_attempt_at) == (now, now + 30 * SECOND)
    # back-off: not retried every tick, only when its time has come, then doubled
    for _ in range(3):
        assert (await registry.tick()).failed["domain_expiry"] == 0
    registry.clock.advance(29 * SECOND)
    assert (await registry.tick()).failed["domain_expiry"] == 0
    registry.clock.advance(SECOND)
    assert (await registry.tick()).failed["domain_expiry"] == 1
    [f] = await failures(registry)
    assert (f.attempts, f.first_failed_at, f.last_failed_at, f.next_attempt_at) == (
        2, now, now + 30 * SECOND, now + 90 * SECOND)
    registry.clock.advance(60 * SECOND)
    await registry.tick()
    assert tracebacks(caplog, names[1]) == 1  # once per item and kind, not per attempt
    # mended: the next retry renews it and the record is gone
    await refuse.fix()
    registry.clock.advance(120 * SECOND)
    report = await registry.tick()
    assert (report.done["domain_expiry"], report.failed["domain_expiry"]) == (1, 0)
    assert (await domain(registry, names[1])).expires_at > EXPIRES
    assert await failures(registry) == []
    assert (await registry.tick()).total == 0


async def test_a_batched_step_falls_back_to_item_by_item(registry, refuse) -> None:  # type: ignore[no-untyped-def]
    """process_applications writes a batch in three statements; one refused row makes it
    redo the batch item by item, and only that application waits."""
    a = await Agent.new(registry, dkhm="4.5")
    owner = await a.contact(email="owner@example.dk")
    names = [unique("app") + ".dk" for _ in range(3)]
    for name in names:
        await a.domain(name, registrant=owner, tick=False)
    bad = await domain_by_uname(registry, names[0])
    await refuse("domains", bad.id)
    report = await registry.tick()
    assert (report.done["process_applications"], report.failed["process_applications"]) \
        == (2, 1)
    states = [(await domain_by_uname(registry, n)).state for n in names]
    assert states[1:] == ["active", "active"] and states[0] != "active"
    [f] = await failures(registry)
    assert (f.step, f.item.endswith(f"({names[0]})")) == ("process_applications", True)
    await refuse.fix()
    registry.clock.advance(30 * SECOND)
    assert (await registry.tick()).done["process_applications"] == 1
    assert (await domain_by_uname(registry, names[0])).state == "active"
    assert await failures(registry) == []


async def test_nis2_deadlines_go_on_past_a_failing_contact(registry, refuse) -> None:  # type: ignore[no-untyped-def]
    a = await Agent.new(registry, dkhm="4.5")
    held = []
    for _ in range(2):
        handle = await a.contact(verified=False, email=f"{unique('held')}@example.dk")
        name = unique("held") + ".dk"
        await a.domain(name, registrant=handle)
        held.append((handle, name))
    bad_id = await registry.scalar("select id from contacts where handle = :h", h=held[0][0])
    await refuse("contacts", bad_id)
    registry.clock.advance(timedelta(days=25))
    report = await registry.tick()
    assert (report.done["nis2_expire_checks"], report.failed["nis2_expire_checks"]) == (1, 1)
    assert report.done["nis2_suspend_domains"] == 1  # the next step suspended the other
    assert (await domain_by_uname(registry, held[1][1])).suspended_at is not None
    assert (await domain_by_uname(registry, held[0][1])).suspended_at is None
    await refuse.fix()
    registry.clock.advance(30 * SECOND)
    report = await registry.tick()
    assert (report.done["nis2_expire_checks"], report.done["nis2_suspend_domains"]) == (1, 1)
    assert (await domain_by_uname(registry, held[0][1])).suspended_at is not None
    assert await failures(registry) == []


async def test_a_bookmarked_step_comes_back_for_its_failed_item(registry, refuse) -> None:  # type: ignore[no-untyped-def]
    """contact_autodelete looks only at contacts that changed since its last sweep; a
    contact it failed on is looked at again at its retry time all the same."""
    a = await Agent.new(registry, dkhm="4.5")
    handles = [await a.contact(email=f"{unique('gone')}@example.dk") for _ in range(2)]
    bad_id = await registry.scalar("select id from contacts where handle = :h", h=handles[0])
    await refuse("contacts", bad_id)
    registry.clock.advance(timedelta(days=15))
    report = await registry.tick()
    assert (report.done["contact_autodelete"], report.failed["contact_autodelete"]) == (1, 1)
    await refuse.fix()
    registry.clock.advance(10 * SECOND)
    assert (await registry.tick()).done["contact_autodelete"] == 0  # still backing off
    registry.clock.advance(20 * SECOND)
    assert (await registry.tick()).done["contact_autodelete"] == 1
    assert await registry.scalar("select count(*) from contacts where deleted_at is null "
                                 "and handle in (:a, :b)", a=handles[0], b=handles[1]) == 0
    assert await failures(registry) == []


async def test_a_registrar_no_mail_can_reach_does_not_stop_the_others(registry,
                                                                      mailbox) -> None:  # type: ignore[no-untyped-def]
    """A real bad row: a registrar whose stored address is no e-mail address. Its low
    balance mail cannot be queued; the other registrar's is, and later steps run."""
    broken, _l, _p = await registry.new_registrar(balance_ore=100_00)
    fine, _l, _p = await registry.new_registrar(balance_ore=100_00)
    async with registry.db.begin() as conn:
        await conn.execute(text("update registrars set email = 'accounts-department' "
                                "where handle = :h"), {"h": broken})
    report = await registry.tick()
    assert (report.done["low_balance_alerts"], report.failed["low_balance_alerts"]) == (1, 1)
    [f] = await failures(registry)
    assert f.step == "low_balance_alerts" and broken in f.item
    assert (f.error_kind, "not a single e-mail address" in f.message) == ("ValueError", True)
    await mailbox.deliver()
    fine_mail = await registry.scalar("select email from registrars where handle = :h", h=fine)
    assert len(mailbox.to(fine_mail)) == 1 and len(mailbox.messages) == 1
    async with registry.db.begin() as conn:
        await conn.execute(text("update registrars set email = 'accounts@example.dk' "
                                "where handle = :h"), {"h": broken})
    registry.clock.advance(30 * SECOND)
    assert (await registry.tick()).done["low_balance_alerts"] == 1
    await mailbox.deliver()
    assert len(mailbox.to("accounts@example.dk")) == 1
    assert await failures(registry) == []


MGMT = ('<dkhm:management xmlns:dkhm="urn:dkhm:params:xml:ns:dkhm-4.5">registrant'
        "</dkhm:management>")


async def registrant_managed(registry, c, name: str, domain_name: str,  # type: ignore[no-untyped-def]
                             email: str, street: str = "Vesterbrogade 1") -> str:
    r = await c.request(frames.contact_create(name=name, street=street, email=email,
                                              verified=True, dkhm="4.5", extra_ext=MGMT))
    assert r.code == 1000, r.msg
    r = await c.request(frames.domain_create(domain_name, r.text(".//contact:id"), NS,
                                             token=registry.token(),
                                             extra_ext=MGMT.replace("4.5", "4.3")))
    assert r.code == 1001, r.msg
    return domain_name


async def test_a_renewal_invoice_that_cannot_be_mailed_stops_no_renewal(registry,
                                                                       mailbox) -> None:  # type: ignore[no-untyped-def]
    """The incident's second half: the renewal-invoice step failing on one registrant
    left every registrar's auto-renewal undone. Now the others are invoiced and renewed."""
    c, _handle = await registry.registrar_client()
    await setup_registrant(c)
    bad = await registrant_managed(registry, c, "Rita Registrant", unique("inv") + ".dk",
                                   "rita@example.dk")
    good = await registrant_managed(registry, c, "Per Registrant", unique("inv") + ".dk",
                                    "per@example.dk")
    contact = await setup_registrant(c, hosts=False)
    renewed = unique("reg") + ".dk"
    await active(registry, c, contact, renewed)  # registrar-managed: charged at expiry
    async with registry.db.begin() as conn:
        await conn.execute(text("update contacts set email = 'rita at example' "
                                "where email = 'rita@example.dk'"))
    registry.clock.set(EXPIRES - timedelta(days=30))
    report = await registry.tick()
    assert (report.done["renewal_invoices"], report.failed["renewal_invoices"]) == (1, 1)
    await mailbox.deliver()
    assert len(mailbox.to("per@example.dk")) == 1
    [f] = await failures(registry)
    assert (f.step, f.item) == ("renewal_invoices",
                                f"domain {f.item_id} ({bad})")
    registry.clock.set(EXPIRES)
    report = await registry.tick()
    assert report.done["domain_expiry"] == 2  # the registrar's renewal, the unpaid invoice
    assert (await domain(registry, renewed)).expires_at > EXPIRES
    assert (await domain(registry, good)).redemption_cause == "nopay"
    # the domain whose invoicing failed waits, unbilled year not given away; it shows
    assert ((await domain(registry, bad)).expires_at,
            (await domain(registry, bad)).redemption_until) == (EXPIRES, None)
    async with registry.db.begin() as conn:
        await conn.execute(text("update contacts set email = 'rita@example.dk' "
                                "where email = 'rita at example'"))
    registry.clock.advance(timedelta(hours=2))  # past its retry time
    report = await registry.tick()
    assert (report.done["renewal_invoices"], report.done["domain_expiry"]) == (1, 1)
    assert (await domain(registry, bad)).redemption_cause == "nopay"
    await mailbox.deliver()
    assert len(mailbox.to("rita@example.dk")) == 1
    assert await failures(registry) == []


@pytest.mark.parametrize("name", ODD_NAMES)
async def test_a_contact_named_like_html_or_a_url_gets_its_nis2_mail(registry, mailbox,
                                                                     name: str) -> None:  # type: ignore[no-untyped-def]
    a = await Agent.new(registry, dkhm="4.5")
    email = f"{unique('odd')}@example.dk"
    handle = await a.contact(name=name, verified=False, email=email)
    await a.domain(unique("odd") + ".dk", registrant=handle)
    report = await registry.tick()
    assert sum(report.failed.values()) == 0 and await failures(registry) == []
    await mailbox.deliver()
    [msg] = mailbox.to(email)
    assert f"Hej {name}" in mailbox.text(msg) or f"Hello {name}" in mailbox.text(msg)
    body = mailbox.html(msg)
    assert body is not None and "<img" not in body.split("<body>", 1)[1].split("</p>", 1)[0]
    assert html.escape(name, quote=False) in body
    base = registry.settings.public_base_url
    assert any(link.startswith(base + "/selfservice/") for link in mailbox.links(msg))


@pytest.mark.parametrize("name", ODD_NAMES)
async def test_a_registrant_named_like_html_or_a_url_gets_its_renewal_invoice(
        registry, mailbox, name: str) -> None:  # type: ignore[no-untyped-def]
    c, _handle = await registry.registrar_client()
    await setup_registrant(c)
    email = f"{unique('odd')}@example.dk"
    await registrant_managed(registry, c, name, unique("odd") + ".dk", email,
                             street="Shop https://shop.example src=x 1")
    await registry.tick()
    registry.clock.set(EXPIRES - timedelta(days=30))
    report = await registry.tick()
    assert (report.done["renewal_invoices"], sum(report.failed.values())) == (1, 0)
    await mailbox.deliver()
    [msg] = mailbox.to(email)
    assert name in mailbox.text(msg)
    base = registry.settings.public_base_url
    assert any(link.startswith(base + "/") for link in mailbox.links(msg))


# --- visible: dkreg lifecycle status and /healthz -----------------------------------------

async def healthz(registry) -> httpx.Response:  # type: ignore[no-untyped-def]
    running = Running(services=registry.services, epp=registry.server, tasks=[],
                      ca_file=str(registry.ca_file))
    transport = httpx.ASGITransport(app=build_app(running))  # type: ignore[arg-type]
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as web:
        return await web.get("/healthz")


def cli(registry, tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:  # type: ignore[no-untyped-def]
    return subprocess.run([sys.executable, "-m", "dkreg.cli", *args, "--data-dir",
                           str(tmp_path), "--database-url", registry.settings.url],
                          capture_output=True, text=True, timeout=120)


async def test_failures_and_lag_are_visible_in_status_and_healthz(registry, refuse, mailbox,
                                                                  tmp_path) -> None:  # type: ignore[no-untyped-def]
    _c, names, bad, _unused = await three_expiring(registry, refuse)
    await registry.tick()
    await mailbox.deliver()
    r = await healthz(registry)  # failing, but not for long yet
    assert r.status_code == 200 and r.json()["status"] == "ok"
    registry.clock.advance(timedelta(minutes=11))
    r = await healthz(registry)
    assert r.status_code == 503
    body = r.json()
    assert body["status"] == "degraded" and body["steps"] == ["domain_expiry"]
    assert any(names[1] in p and "failed for 11 min" in p for p in body["problems"])
    # the command line tells the same, in registry time (the sandbox clock is stored)
    now = registry.clock.now()
    assert (await asyncio.to_thread(cli, registry, tmp_path, "clock", "set",
                                    now.isoformat())).returncode == 0
    out = await asyncio.to_thread(cli, registry, tmp_path, "lifecycle", "status")
    assert out.returncode == 1, out.stderr
    lines = out.stdout.splitlines()
    [row] = [line for line in lines if line.startswith("domain_expiry ")]
    assert row.split()[-1] == "1" and "(11 min)" in row
    assert any(line.startswith("flow2_timeout ") and line.split()[1] == "-" for line in lines)
    assert any(line.startswith("mail_outbox ") for line in lines)
    assert f"  domain_expiry: domain {bad.id} ({names[1]}): " in out.stdout
    assert "refused by a test trigger" in out.stdout and "1 attempt(s)" in out.stdout
    assert "status: degraded" in out.stdout and "domain_expiry: domain" in out.stdout
    # mended and retried: healthy again
    await refuse.fix()
    await registry.tick()
    r = await healthz(registry)
    assert r.status_code == 200 and r.json()["status"] == "ok"
    out = await asyncio.to_thread(cli, registry, tmp_path, "lifecycle", "status")
    assert out.returncode == 0 and "status: ok" in out.stdout
    assert "failing items" not in out.stdout


async def test_a_step_that_lags_is_degraded_without_any_failure(registry, mailbox) -> None:  # type: ignore[no-untyped-def]
    c, _handle = await registry.registrar_client()
    contact = await setup_registrant(c)
    await active(registry, c, contact, unique("lag") + ".dk")
    await mailbox.deliver()
    r = await healthz(registry)
    assert r.status_code == 200 and r.json()["status"] == "ok", r.json()
    registry.clock.set(EXPIRES + timedelta(minutes=9))  # due, not yet done: fine so far
    assert (await healthz(registry)).status_code == 200
    registry.clock.set(EXPIRES + timedelta(minutes=11))
    r = await healthz(registry)
    assert r.status_code == 503 and r.json()["steps"] == ["domain_expiry"]
    assert "oldest due item has waited 11 min" in r.json()["problems"][0]
    await registry.tick()
    assert (await healthz(registry)).json()["status"] == "ok"


async def test_two_workers_share_the_work_and_record_a_failure_once(registry, refuse) -> None:  # type: ignore[no-untyped-def]
    from dkreg.lifecycle.tick import tick

    c, handle = await registry.registrar_client()
    contact = await setup_registrant(c)
    names = [unique("two") + ".dk" for _ in range(6)]
    await active(registry, c, contact, *names)
    bad = await domain(registry, names[2])
    await refuse("domains", bad.id)
    registry.clock.set(EXPIRES)
    before = await registry.scalar("select balance_ore from registrars where handle = :h",
                                   h=handle)
    reports = await asyncio.gather(*(tick(registry.db, registry.settings, EXPIRES)
                                     for _ in range(2)))
    assert sum(r.done["domain_expiry"] for r in reports) == 5
    assert sum(r.failed["domain_expiry"] for r in reports) == 1
    [f] = await failures(registry)
    assert (f.item_id, f.attempts) == (bad.id, 1)
    after = await registry.scalar("select balance_ore from registrars where handle = :h",
                                  h=handle)
    assert before - after == 5 * 4500  # each renewal charged once, the refused one not


async def test_a_step_whose_own_query_fails_is_skipped_until_its_retry(registry,
                                                                       caplog) -> None:  # type: ignore[no-untyped-def]
    """A damaged bookmark row makes contact_autodelete's due query itself raise: the step
    is recorded as item 0, skipped until its retry, and the steps after it run."""
    caplog.set_level(logging.INFO, logger="dkreg.lifecycle")
    await registry.tick()  # the first sweep writes the bookmark
    async with registry.db.begin() as conn:
        await conn.execute(text("update registry_state set value = 'not a time' "
                                "where key = 'contact_autodelete_swept_until'"))
    await registry.new_registrar(balance_ore=100_00)  # work for a later step
    report = await registry.tick()
    assert report.failed["contact_autodelete"] == 1
    assert report.done["low_balance_alerts"] == 1  # a later step went on
    [f] = await failures(registry)
    assert (f.step, f.item_id, f.item, f.error_kind) == (
        "contact_autodelete", 0, "the step's due query", "ValueError")
    registry.clock.advance(10 * SECOND)
    assert (await registry.tick()).failed["contact_autodelete"] == 0  # skipped meanwhile
    async with registry.db.begin() as conn:
        await conn.execute(text("update registry_state set value = '' "
                                "where key = 'contact_autodelete_swept_until'"))
    registry.clock.advance(20 * SECOND)
    assert (await registry.tick()).failed["contact_autodelete"] == 0
    assert await failures(registry) == []
    assert tracebacks(caplog, "the step's due query") == 1
