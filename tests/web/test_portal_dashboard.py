"""The portal's dashboard after log-in (issue 13 §2): balance, unread messages,
applications waiting (linked to their pages), domains expiring within 30 days and
domains on hold with the reason in words — each panel only for the privilege groups that
may open the page it links to."""

from __future__ import annotations

import html
import re
from datetime import timedelta

from epp.helpers import NS, setup_registrant
from support import frames
from web.test_portal_portfolio import registrar_epp


def panels(page: str) -> list[str]:
    return re.findall(r'<section class="card dkreg-panel" id="panel-([a-z]+)"', page)


async def test_login_lands_on_the_dashboard_with_every_panel(web) -> None:
    c, handle, email = await web.logged_in("administration")
    epp, verified = await registrar_epp(web, handle)
    unverified = await setup_registrant(epp, verified=False, email="ny@example.dk")
    for name, registrant in (("aktiv.dk", verified), ("venter.dk", unverified)):
        r = await epp.request(frames.domain_create(name, registrant, NS,
                                                   token=web.registry.token()))
        assert r.code == 1001, r.msg
    page = await c.get("/portal/")
    assert page.status_code == 200
    assert "<h1>Overblik</h1>" in page.text and f'id="who">{email}' in page.text
    assert panels(page.text) == ["balance", "poll", "waiting", "expiring", "hold"]
    assert 'id="balance">9.910,00 kr.<' in page.text  # 10.000 kr. less two creates
    assert 'id="unread">0<' in page.text
    tracking = await web.registry.rows(
        "select a.tracking_no, d.name from applications a join domains d on d.id = a.domain_id "
        "order by a.id")
    for app in tracking:
        assert (f'<tr data-application="{app.tracking_no}"><td><a href="/portal/applications/'
                f'{app.tracking_no}">{app.tracking_no}</a></td><td>{app.name}</td>') in page.text
    assert "Ingen domæner er på hold." in page.text

    await web.registry.tick()
    page = await c.get("/portal/")
    waiting = await web.registry.scalar(
        "select count(*) from poll_messages p join registrars r on r.id = p.registrar_id "
        "where r.handle = :h and p.acked_at is null", h=handle)
    assert waiting >= 2  # the two outcomes (and the ID check the registrant must make)
    assert f'id="unread">{waiting}<' in page.text and "Ingen ansøgninger venter." in page.text
    held = re.findall(r'<tr data-domain="([^"]+)" data-reason="([^"]+)">', page.text)
    assert held == [("venter.dk", "id_check")]
    assert "Venter på registrantens ID-kontrol" in page.text
    assert 'href="/portal/poll"' in page.text

    # eleven months on (a new session: the old one has expired meanwhile)
    web.registry.clock.advance(timedelta(days=350))
    c = await web.login(email)
    page = await c.get("/portal/")
    expiring = re.findall(r'<tr data-domain="([^"]+)"><td><a href="/portal/domains/',
                          page.text.split('id="panel-expiring"', 1)[1].split("</section>")[0])
    assert expiring == ["aktiv.dk", "venter.dk"]
    assert "fornyes automatisk" in page.text
    await c.get("/lang/en?next=%2F")
    page = html.unescape((await c.get("/portal/")).text)
    assert "<h1>Dashboard</h1>" in page and "Expiring within 30 days" in page
    assert "Waiting for the registrant's ID check" in page


async def test_each_group_sees_only_the_panels_of_its_pages(web) -> None:
    admin, handle, _email = await web.logged_in("administration")
    c, _handle, _email = await web.logged_in("accounting", handle=handle)
    page = await c.get("/portal/")
    assert page.status_code == 200
    assert panels(page.text) == ["balance"]
    assert 'href="/portal/poll"' not in page.text
    p, _handle, _email = await web.logged_in("portfolio", handle=handle)
    assert panels((await p.get("/portal/")).text) == ["balance", "poll", "waiting",
                                                      "expiring", "hold"]
    assert (await admin.get("/portal/")).status_code == 200

