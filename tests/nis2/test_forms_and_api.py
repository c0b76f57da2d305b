"""The public NIS2 forms refuse bad input field by field in the reader's language and
write nothing; they are throttled per client address; the authorities' API takes a
standing grant's token and answers in JSON."""

from __future__ import annotations

import re
from datetime import timedelta

from nis2support import REPORT, REQUEST, Nis2Web, csrf_of, token_in

from dkreg.actions.nis2 import grants
from epp.update_support import ready_registrar


def field_errors(html: str) -> dict[str, str]:
    return {m.group(1): re.sub(r"<[^>]+>", "", m.group(2)).strip()
            for m in re.finditer(r'<li data-field="([a-z_]+)"><a [^>]*>(.*?)</a></li>', html,
                                 re.S)}


async def count(web: Nis2Web, table: str) -> int:
    return int(await web.registry.scalar(f"select count(*) from {table}"))  # type: ignore[arg-type]


async def test_bad_access_request_names_each_field_and_writes_nothing(web: Nis2Web) -> None:
    await ready_registrar(web.registry, "nis2-a.dk")
    empty = await web.post_form("/nis2/access-request", {}, lang="en")
    assert empty.status_code == 400
    errors = field_errors(empty.text)
    assert set(errors) == {"name", "org", "email", "requester_type", "domains", "fields",
                           "legal_basis"}
    assert errors["email"] == "E-mail: This field is required."
    bad = await web.post_form("/nis2/access-request", {
        **REQUEST, "email": "not an address", "requester_type": "spy",
        "domains": "nis2-a.dk nobody-holds-this.dk", "fields": ["name", "cpr"]})
    assert bad.status_code == 400
    errors = field_errors(bad.text)  # Danish: the site's default language
    assert set(errors) == {"email", "requester_type", "domains", "fields"}
    assert "gyldig e-mailadresse" in errors["email"]
    assert "nobody-holds-this.dk er ikke et registreret .dk-domænenavn" in errors["domains"]
    assert 'value="Ida Jensen"' in bad.text  # what was typed stays
    bad_name = await web.post_form("/nis2/access-request", {**REQUEST, "domains": "-x-.dk"},
                                   lang="en")
    assert "domains" in field_errors(bad_name.text)
    stale = await web.client().post("/nis2/access-request", data=REQUEST)
    assert stale.status_code == 403
    assert await count(web, "nis2_access_requests") == 0
    assert await web.audit("nis2_access_request") == []


async def test_bad_inaccuracy_report_writes_nothing(web: Nis2Web) -> None:
    await ready_registrar(web.registry, "nis2-a.dk")
    r = await web.post_form("/nis2/report-inaccuracy", {
        "domain": "free-name.dk", "wrong_fields": [], "description": " ",
        "reporter_email": "x@"}, lang="en")
    assert r.status_code == 400
    errors = field_errors(r.text)
    assert set(errors) == {"domain", "wrong_fields", "description", "reporter_email"}
    assert "free-name.dk is not a registered .dk domain name" in errors["domain"]
    assert await count(web, "nis2_inaccuracy_reports") == 0
    status = await web.registry.scalar("select id_status from contacts")
    assert status == "completed"  # no check restarted


async def test_forms_are_throttled_per_address(web: Nis2Web) -> None:
    web.registry.settings.nis2_form_max_per_ip = 2
    await ready_registrar(web.registry, "nis2-a.dk")
    for _ in range(2):
        assert (await web.post_form("/nis2/access-request", REQUEST,
                                    ip="192.0.2.40")).status_code == 200
    third = await web.post_form("/nis2/access-request", REQUEST, ip="192.0.2.40",
                                lang="en")
    assert third.status_code == 429 and "too many forms" in third.text
    # another address is not held back; the report form counts apart
    assert (await web.post_form("/nis2/access-request", REQUEST,
                                ip="192.0.2.41")).status_code == 200
    assert (await web.post_form("/nis2/report-inaccuracy", REPORT,
                                ip="192.0.2.40")).status_code == 200
    assert await count(web, "nis2_access_requests") == 3
    web.registry.clock.advance(timedelta(seconds=web.registry.settings.nis2_form_window + 1))
    assert (await web.post_form("/nis2/access-request", REQUEST,
                                ip="192.0.2.40")).status_code == 200


async def test_authority_api(web: Nis2Web) -> None:
    reg = web.registry
    await ready_registrar(reg, "nis2-a.dk")
    await web.staff_user()
    async with reg.db.begin() as conn:
        ctx = reg.ctx(conn)
        await grants.create_standing(
            ctx, staff_id=1, staff_email="disclosure@registry.example", name="CERT desk",
            org="CFCS", email="desk@cert.example", requester_type="cert",
            fields=["name", "email"], valid_from=None,
            valid_until=ctx.now + timedelta(days=30))
    [mail] = await web.mails("nis2_access_granted", "desk@cert.example")
    token = token_in(mail.body_text)
    c = web.client()
    url = "/nis2/api/access-requests"
    body = {"domains": ["nis2-a.dk"], "fields": ["name", "phone"],
            "legal_basis": "Phishing incident 2026-117 (NIS2 law § 11)"}
    none = await c.post(url, json=body)
    assert none.status_code == 401 and none.headers["www-authenticate"].startswith("Bearer")
    wrong = await c.post(url, json=body, headers={"Authorization": "Bearer nope"})
    assert wrong.status_code == 401
    auth = {"Authorization": f"Bearer {token}"}
    form = await c.post(url, data=body, headers=auth)
    assert form.status_code == 415
    junk = await c.post(url, content=b"{", headers={**auth,
                                                    "Content-Type": "application/json"})
    assert junk.status_code == 400 and junk.json()["error"]["code"] == 2001
    bad = await c.post(url, json={**body, "domains": ["nobody.dk"]}, headers=auth)
    assert bad.status_code == 400
    assert (bad.json()["error"]["reason"], bad.json()["error"]["field"]) == (
        "nis2_unknown_domain", "domains")
    ok = await c.post(url, json=body, headers=auth)
    assert ok.status_code == 201, ok.text
    got = ok.json()
    row = (await reg.rows("select requester_org, requester_type, channel, fields from "
                          "nis2_access_requests where id = :i", i=got["id"]))[0]
    assert tuple(row) == ("CFCS", "cert", "api", "name phone")
    [event] = await web.audit("nis2_access_request")
    assert event.actor == "desk@cert.example" and event.door == "nis2api"
    # a request's own grant is no key to the API: only a standing grant is
    s = await web.staff("second@registry.example")
    page = await s.get(f"/staff/nis2/requests/{got['id']}")
    r = await s.post(f"/staff/nis2/requests/{got['id']}/decide", data={
        "decision": "approve", "fields": ["name"], "csrf": csrf_of(page.text)})
    assert r.status_code == 303
    mails = await web.mails("nis2_access_granted", "desk@cert.example")
    request_token = token_in(mails[-1].body_text)
    assert (await c.post(url, json=body, headers={
        "Authorization": f"Bearer {request_token}"})).status_code == 401
    # a CERT's disclosure is not told to the registrant
    assert await web.mails("nis2_registrant_told") == []
