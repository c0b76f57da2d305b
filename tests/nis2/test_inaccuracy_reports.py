"""An inaccuracy report restarts the registrant's NIS2 verification (the one in
``actions.contact.verification``) and the reporter is mailed the outcome: verified when
the check is completed, or suspended and then deleted when it is not."""

from __future__ import annotations

import json
from datetime import timedelta

from nis2support import REPORT, Nis2Web

from dkreg.actions.contact import verification
from epp.update_support import ready_registrar


async def contact(web: Nis2Web, handle: str):  # type: ignore[no-untyped-def]
    return (await web.registry.rows(
        "select id_status, email_status, verification_started_at from contacts "
        "where handle = :h", h=handle))[0]


async def report_row(web: Nis2Web):  # type: ignore[no-untyped-def]
    [row] = await web.registry.rows(
        "select id, state, outcome, restarted, contact_id from nis2_inaccuracy_reports")
    return row


async def test_report_restarts_the_check_and_the_reporter_hears_it_was_verified(
        web: Nis2Web, mailbox) -> None:  # type: ignore[no-untyped-def]
    reg = web.registry
    _c, _h, registrant = await ready_registrar(reg, "nis2-a.dk", "nis2-b.dk")
    assert (await contact(web, registrant)).id_status == "completed"
    r = await web.post_form("/nis2/report-inaccuracy", REPORT, lang="en")
    assert r.status_code == 200 and 'id="received"' in r.text, r.text
    c = await contact(web, registrant)
    assert (c.id_status, c.email_status) == ("pending", "pending")
    assert c.verification_started_at is not None
    rep = await report_row(web)
    assert (rep.state, rep.restarted) == ("verifying", True)
    assert rep.contact_id == await reg.scalar("select id from contacts where handle = :h",
                                              h=registrant)
    # the verification's own consequences: the contact is mailed its confirmation link
    assert await web.mails("email_verification") != []
    await reg.tick()
    assert (await report_row(web)).state == "verifying"  # nothing decided yet

    s = await web.staff()
    listed = await s.get("/staff/nis2/reports")
    assert f'data-report="{rep.id}" data-state="verifying"' in listed.text

    async with reg.db.begin() as conn:  # the ID control completes the check
        await verification.complete(reg.ctx(conn), registrant, "id_data")
    report = await reg.tick()
    assert report.done["nis2_inaccuracy_outcomes"] == 1
    rep = await report_row(web)
    assert (rep.state, rep.outcome) == ("closed", "verified")
    await mailbox.deliver()
    [mail] = mailbox.to("watcher@example.org")
    assert mail["Subject"] == "Your report about nis2-a.dk: the data is verified"
    assert (await reg.tick()).done["nis2_inaccuracy_outcomes"] == 0  # told once
    for command in ("nis2_inaccuracy_report", "nis2_verification_restarted",
                    "nis2_inaccuracy_outcome"):
        assert len(await web.audit(command)) == 1, command
    [restarted] = await web.audit("nis2_verification_restarted")
    assert restarted.object == registrant and json.loads(restarted.request)["restarted"]


async def test_unverified_registrant_suspended_then_deleted(web: Nis2Web) -> None:
    reg = web.registry
    _c, _h, registrant = await ready_registrar(reg, "nis2-a.dk")
    r = await web.post_form("/nis2/report-inaccuracy", REPORT)
    assert r.status_code == 200, r.text
    reg.clock.advance(timedelta(days=reg.settings.nis2_verification_days, minutes=1))
    await reg.tick()
    assert (await contact(web, registrant)).id_status == "expired"
    statuses = await reg.scalar("select statuses from domains where name = 'nis2-a.dk'")
    assert "serverHold" in str(statuses)
    rep = await report_row(web)
    assert (rep.state, rep.outcome) == ("suspended", "suspended")
    [mail] = await web.mails("nis2_inaccuracy_outcome", "watcher@example.org")
    assert mail.lang == "da" and "suspenderet" in mail.subject
    reg.clock.advance(timedelta(days=reg.settings.nis2_suspension_days, minutes=1))
    await reg.tick()
    assert await reg.scalar("select state from domains where name = 'nis2-a.dk'") \
        == "released"
    rep = await report_row(web)
    assert (rep.state, rep.outcome) == ("closed", "deleted")
    mails = await web.mails("nis2_inaccuracy_outcome", "watcher@example.org")
    assert len(mails) == 2 and "slettet" in mails[1].subject
    outcomes = [json.loads(a.request)["outcome"] for a in
                await web.audit("nis2_inaccuracy_outcome")]
    assert outcomes == ["suspended", "deleted"]
