"""E-mail address verification by link: when a registrant's check starts, the contact is
mailed a one-time link (over real SMTP). Opening it (GET, as a mail scanner would) uses
nothing; the page's POST confirms without login or password; the link then fails, as
does an expired one."""

from __future__ import annotations

from datetime import timedelta

from idsupport import IdWeb

from support.epp_objects import Agent, unique


async def test_link_confirms_the_email_part_once(idweb: IdWeb, mailbox) -> None:  # type: ignore[no-untyped-def]
    a = await Agent.new(idweb.registry, dkhm="4.5")  # type: ignore[arg-type]
    email = f"{unique('mail')}@example.dk"
    handle, _ = await idweb.held(a, email=email)
    await mailbox.deliver()
    [msg] = mailbox.to(email)
    assert handle in msg["Subject"]
    link = mailbox.link(msg)
    assert link.startswith(idweb.base + "/selfservice/verification/email/")
    assert "password" not in mailbox.text(msg).lower()
    c = idweb.client()
    for _ in range(2):  # scanners and previews: GET shows the button, uses nothing
        page = await c.get(link)
        assert page.status_code == 200 and 'id="confirm-email"' in page.text
        assert page.headers["referrer-policy"] == "no-referrer"
    assert (await idweb.contact_row(handle)).email_status == "pending"
    done = await c.post(link)
    assert done.status_code == 200 and 'id="email-confirmed"' in done.text
    row = await idweb.contact_row(handle)
    assert (row.email_status, row.id_status) == ("completed", "pending")
    assert (await c.post(link)).status_code == 400  # used
    assert (await c.get(link)).status_code == 400
    outcomes = await idweb.registry.rows(  # type: ignore[attr-defined]
        "select method, outcome from identity_checks where contact_id = :c", c=row.id)
    assert [tuple(o) for o in outcomes] == [("email", "matched")]


async def test_an_expired_link_is_refused(idweb: IdWeb, mailbox) -> None:  # type: ignore[no-untyped-def]
    a = await Agent.new(idweb.registry, dkhm="4.5")  # type: ignore[arg-type]
    email = f"{unique('late')}@example.dk"
    handle, _ = await idweb.held(a, email=email)
    await mailbox.deliver()
    link = mailbox.link(mailbox.to(email)[0])
    hours = idweb.registry.settings.email_verification_hours  # type: ignore[attr-defined]
    idweb.registry.clock.advance(timedelta(hours=hours, seconds=1))  # type: ignore[attr-defined]
    c = idweb.client()
    assert (await c.get(link)).status_code == 400
    assert (await c.post(link)).status_code == 400
    assert (await idweb.contact_row(handle)).email_status == "pending"
