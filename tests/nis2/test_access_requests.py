"""NIS2 access requests end to end: the public form, the staff's decision in /staff/,
the grant's token mailed over real SMTP, ``grant_for`` (the RDAP door's check) inside
and outside the grant's objects and window, suspension and revocation, refusal, the
48-hour alarm, the overdue list and the statistics — every step audited."""

from __future__ import annotations

import json
from datetime import timedelta

from nis2support import REQUEST, STAFF, Nis2Web, token_in
from sqlalchemy import select

from dkreg.actions.nis2 import grants, requests
from dkreg.actions.nis2.statistics import statistics
from dkreg.store.schema import nis2_access_grants, nis2_access_requests
from epp.update_support import ready_registrar


async def grant_for(web: Nis2Web, token: str, alabel: str):  # type: ignore[no-untyped-def]
    async with web.registry.db.begin() as conn:
        return await grants.grant_for(web.registry.ctx(conn), token, alabel,
                                      client_ip="198.51.100.7")


async def submit(web: Nis2Web, **changes: object) -> int:
    data = {**REQUEST, **changes}
    async with web.registry.db.begin() as conn:
        return await requests.submit(web.registry.ctx(conn), requests.AccessRequestInput(
            name=str(data["name"]), org=str(data["org"]), email=str(data["email"]),
            requester_type=str(data["requester_type"]), domains=str(data["domains"]),
            fields=list(data["fields"]), legal_basis=str(data["legal_basis"]), lang="en"))  # type: ignore[call-overload]


async def request_row(web: Nis2Web, request_id: int):  # type: ignore[no-untyped-def]
    async with web.registry.db.read() as conn:
        return (await conn.execute(select(nis2_access_requests).where(
            nis2_access_requests.c.id == request_id))).one()


async def test_form_staff_approval_mailed_token_and_grant_for(web: Nis2Web, mailbox) -> None:  # type: ignore[no-untyped-def]
    reg = web.registry
    _c, _handle, registrant = await ready_registrar(reg, "nis2-a.dk", "nis2-b.dk")
    received = reg.clock.now()
    r = await web.post_form("/nis2/access-request", REQUEST, lang="en")
    assert r.status_code == 200 and 'id="received"' in r.text, r.text
    [row] = [r for r in await reg.rows("select id from nis2_access_requests")]
    req = await request_row(web, row.id)
    assert req.due_at == received + timedelta(hours=72)
    assert req.alarm_at == received + timedelta(hours=48)
    assert (req.domains, req.fields, req.requester_type) == ("nis2-a.dk", "name email",
                                                             "rights_holder")
    [submitted] = await web.audit("nis2_access_request")
    assert submitted.actor == "ida@brand.example" and submitted.door == "web"

    s = await web.staff()
    listed = await s.get("/staff/nis2/")
    assert f'data-request="{req.id}" data-state="open"' in listed.text
    one = await s.get(f"/staff/nis2/requests/{req.id}")
    assert "nis2-a.dk" in one.text and "Trademark infringement" in one.text
    until = reg.clock.now() + timedelta(days=7)
    decided = await web.staff_post(s, f"/staff/nis2/requests/{req.id}/decide", {
        "decision": "approve", "fields": ["name", "email"],
        "valid_until": until.strftime("%Y-%m-%dT%H:%M")})
    assert decided.status_code == 303, decided.text
    req = await request_row(web, req.id)
    assert req.decision == "approved" and req.decided_at == reg.clock.now()
    shown = await s.get(f"/staff/nis2/requests/{req.id}")
    assert 'data-state="live"' in shown.text and "decision-approve" not in shown.text

    await mailbox.deliver()
    [mail] = mailbox.to("ida@brand.example")
    token = token_in(mailbox.text(mail))
    async with reg.db.read() as conn:  # only the token's hash is stored
        stored = (await conn.execute(select(nis2_access_grants.c.token_hash))).scalar_one()
    assert token not in stored and len(stored) == 64
    # the registrant of the disclosed domain is told (a rights holder is no police)
    [told] = mailbox.to("jens@example.dk")
    assert "nis2-a.dk" in told["Subject"] and "Brand Owner A/S" in mailbox.text(told)

    g = await grant_for(web, token, "nis2-a.dk")
    assert g is not None and g.fields == {"name", "email"} and not g.allows("phone")
    assert await grant_for(web, token, "nis2-b.dk") is None  # not among its objects
    assert await grant_for(web, "not-a-token", "nis2-a.dk") is None
    reg.clock.set(until)  # valid_until is exclusive
    assert await grant_for(web, token, "nis2-a.dk") is None

    used = await web.audit("nis2_grant_used")
    assert [(u.object, u.actor.split()[1]) for u in used] == [("nis2-a.dk",
                                                               "ida@brand.example")]
    assert json.loads(used[0].request)["fields"] == ["name", "email"]
    refused = [json.loads(a.request)["why"] for a in await web.audit("nis2_grant_refused")]
    assert refused == ["out_of_scope", "expired"]
    for command in ("nis2_access_approved", "nis2_grant_created", "nis2_registrant_told"):
        [event] = await web.audit(command)
        assert event.actor in (STAFF,) and event.door == "staff", command
    assert registrant


async def test_standing_grant_suspend_resume_revoke(web: Nis2Web) -> None:
    reg = web.registry
    await ready_registrar(reg, "nis2-a.dk")
    s = await web.staff()
    until = reg.clock.now() + timedelta(days=365)
    bad = await web.staff_post(s, "/staff/nis2/grants/new", {
        "name": "Duty officer", "org": "Rigspolitiet", "email": "nc3@politi.example",
        "requester_type": "rights_holder", "fields": ["name"],
        "valid_until": until.strftime("%Y-%m-%dT%H:%M")}, page="/staff/nis2/grants")
    assert bad.status_code == 400 and 'data-field="requester_type"' in bad.text
    ok = await web.staff_post(s, "/staff/nis2/grants/new", {
        "name": "Duty officer", "org": "Rigspolitiet", "email": "nc3@politi.example",
        "requester_type": "police", "fields": ["name", "address", "email", "phone"],
        "valid_until": until.strftime("%Y-%m-%dT%H:%M")}, page="/staff/nis2/grants")
    assert ok.status_code == 303, ok.text
    [mail] = await web.mails("nis2_access_granted", "nc3@politi.example")
    token = token_in(mail.body_text)
    grant_id = int(await reg.scalar("select id from nis2_access_grants"))  # type: ignore[arg-type]

    g = await grant_for(web, token, "nis2-a.dk")
    assert g is not None and g.standing and g.covers("any-other.dk")
    assert await grant_for(web, token, "nis2-other.dk") is not None  # every domain

    async def change(op: str) -> int:
        r = await web.staff_post(s, f"/staff/nis2/grants/{grant_id}/{op}", {},
                                 page="/staff/nis2/grants")
        return r.status_code

    assert await change("suspend") == 303
    assert await grant_for(web, token, "nis2-a.dk") is None
    listed = await s.get("/staff/nis2/grants")
    assert f'data-grant="{grant_id}" data-state="suspended"' in listed.text
    assert await change("resume") == 303
    assert await grant_for(web, token, "nis2-a.dk") is not None
    assert await change("revoke") == 303
    assert await grant_for(web, token, "nis2-a.dk") is None
    assert await change("resume") == 400  # revocation is final
    assert await change("nonsense") == 404
    why = [json.loads(a.request)["why"] for a in await web.audit("nis2_grant_refused")]
    assert why == ["suspended", "revoked"]
    for command in ("nis2_grant_created", "nis2_grant_suspended", "nis2_grant_resumed",
                    "nis2_grant_revoked"):
        [event] = await web.audit(command)
        assert event.actor == STAFF and event.object == f"grant:{grant_id}", command


async def test_refusal_needs_a_reason_and_is_mailed(web: Nis2Web) -> None:
    reg = web.registry
    await ready_registrar(reg, "nis2-a.dk")
    request_id = await submit(web)
    s = await web.staff()
    page = f"/staff/nis2/requests/{request_id}"
    no_reason = await web.staff_post(s, page + "/decide", {"decision": "refuse"}, page=page)
    assert no_reason.status_code == 400 and 'data-field="reason"' in no_reason.text
    assert (await request_row(web, request_id)).decided_at is None
    r = await web.staff_post(s, page + "/decide", {
        "decision": "refuse", "reason": "No legal basis was documented."}, page=page)
    assert r.status_code == 303
    row = await request_row(web, request_id)
    assert (row.decision, row.reason) == ("refused", "No legal basis was documented.")
    [mail] = await web.mails("nis2_access_refused", "ida@brand.example")
    assert "No legal basis was documented." in mail.body_text and mail.lang == "en"
    assert await web.mails("nis2_access_granted") == []
    again = await web.staff_post(s, page + "/decide", {"decision": "approve",
                                                       "fields": ["name"]}, page="/staff/nis2/")
    assert again.status_code == 404 or again.status_code == 400
    assert (await request_row(web, request_id)).decision == "refused"
    [event] = await web.audit("nis2_access_refused")
    assert event.actor == STAFF and json.loads(event.request)["in_time"] is True


async def test_alarm_at_48_hours_once_and_the_overdue_list(web: Nis2Web) -> None:
    reg = web.registry
    await ready_registrar(reg, "nis2-a.dk")
    await web.staff_user()  # the staff user the alarm goes to
    start = reg.clock.now()
    request_id = await submit(web)
    reg.clock.set(start + timedelta(hours=47, minutes=59))
    await reg.tick()
    assert await web.mails("nis2_access_alarm") == []
    reg.clock.set(start + timedelta(hours=48))
    report = await reg.tick()
    assert report.done["nis2_access_alarms"] == 1
    [alarm] = await web.mails("nis2_access_alarm", STAFF)
    assert str(request_id) in alarm.subject
    assert f"/staff/nis2/requests/{request_id}" in alarm.body_text
    reg.clock.advance(timedelta(hours=1))
    assert (await reg.tick()).done["nis2_access_alarms"] == 0
    assert len(await web.mails("nis2_access_alarm")) == 1  # once per request
    [event] = await web.audit("nis2_access_alarm")
    assert event.object == f"access-request:{request_id}"

    async with reg.db.read() as conn:
        assert await requests.overdue(reg.ctx(conn)) == []
    reg.clock.set(start + timedelta(hours=72))
    async with reg.db.read() as conn:
        assert [r.id for r in await requests.overdue(reg.ctx(conn))] == [request_id]
    s = await web.staff(create=False)
    listed = await s.get("/staff/nis2/")
    assert 'id="overdue"' in listed.text and 'data-state="overdue"' in listed.text
    # decided late: no longer overdue, counted as answered late
    r = await web.staff_post(s, f"/staff/nis2/requests/{request_id}/decide",
                             {"decision": "approve", "fields": ["name"]})
    assert r.status_code == 303
    async with reg.db.read() as conn:
        assert await requests.overdue(reg.ctx(conn)) == []


async def test_statistics_by_requester_type(web: Nis2Web) -> None:
    reg = web.registry
    await ready_registrar(reg, "nis2-a.dk")
    start = reg.clock.now()
    police = await submit(web, requester_type="police")
    cert = await submit(web, requester_type="cert")
    holder = await submit(web, requester_type="rights_holder")
    late = await submit(web, requester_type="rights_holder")
    _open = await submit(web, requester_type="other")

    async def decide(request_id: int, data: dict[str, object]) -> None:
        s = await web.staff(f"s{request_id}@registry.example")  # sessions idle out
        r = await web.staff_post(s, f"/staff/nis2/requests/{request_id}/decide", data)
        assert r.status_code == 303, r.text

    await decide(police, {"decision": "approve", "fields": ["name"]})
    await decide(cert, {"decision": "refuse", "reason": "Not an incident."})
    reg.clock.advance(timedelta(hours=10))
    await decide(holder, {"decision": "approve", "fields": ["email"]})
    reg.clock.advance(timedelta(hours=70))  # past the 72 h of the last two
    await decide(late, {"decision": "refuse", "reason": "Too vague."})

    async with reg.db.read() as conn:
        st = await statistics(reg.ctx(conn), start, start + timedelta(days=1))
    t = st.total
    assert (t.received, t.answered, t.answered_in_time, t.approved, t.refused, t.open,
            t.overdue) == (5, 4, 3, 2, 2, 1, 2)
    rh = st.by_type["rights_holder"]
    assert (rh.received, rh.answered_in_time, rh.refused, rh.overdue) == (2, 1, 1, 1)
    assert (st.by_type["cert"].refused, st.by_type["police"].approved) == (1, 1)
    async with reg.db.read() as conn:  # another period: nothing
        assert (await statistics(reg.ctx(conn), start - timedelta(days=2),
                                 start)).total.received == 0
    s = await web.staff("stats@registry.example")
    page = await s.get("/staff/nis2/statistics", params={
        "from": start.strftime("%Y-%m-%d"), "to": start.strftime("%Y-%m-%d")})
    assert page.status_code == 200
    assert '<tr data-type="total"><th scope="row">' in page.text
    assert '<td data-count="received">5</td>' in page.text
    bad = await s.get("/staff/nis2/statistics", params={"from": "yesterday"})
    assert bad.status_code == 400 and 'data-field="from"' in bad.text
    # the registrant is not told of a disclosure to the police
    assert await web.mails("nis2_registrant_told") != []  # the rights holder's was told
    told = await web.audit("nis2_registrant_told")
    assert [json.loads(a.request)["request_id"] for a in told] == [holder]


async def test_approval_rules(web: Nis2Web) -> None:
    """Staff may narrow the data asked for, never widen it; the window must end in the
    future; a grant not yet valid opens nothing."""
    reg = web.registry
    await ready_registrar(reg, "nis2-a.dk")
    request_id = await submit(web)
    s = await web.staff()
    page = f"/staff/nis2/requests/{request_id}"

    async def decide(data: dict[str, object]):  # type: ignore[no-untyped-def]
        return await web.staff_post(s, page + "/decide", data, page=page)

    wider = await decide({"decision": "approve", "fields": ["name", "phone"]})
    assert wider.status_code == 400 and 'data-field="fields"' in wider.text
    past = await decide({"decision": "approve", "fields": ["name"],
                         "valid_until": (reg.clock.now() - timedelta(hours=1)).strftime(
                             "%Y-%m-%dT%H:%M")})
    assert past.status_code == 400 and 'data-field="valid_until"' in past.text
    garbled = await decide({"decision": "approve", "fields": ["name"],
                            "valid_until": "next week"})
    assert garbled.status_code == 400 and 'data-field="valid_until"' in garbled.text
    nothing = await decide({"decision": "maybe"})
    assert nothing.status_code == 400
    assert (await request_row(web, request_id)).decided_at is None
    assert await web.mails("nis2_access_granted") == []
    ok = await decide({"decision": "approve", "fields": ["email"]})  # a partial grant
    assert ok.status_code == 303
    async with reg.db.read() as conn:
        g = (await conn.execute(select(nis2_access_grants))).one()
    assert g.fields == "email"
    assert g.valid_until == reg.clock.now() + timedelta(days=reg.settings.nis2_access_grant_days)

    async with reg.db.begin() as conn:
        ctx = reg.ctx(conn)
        await grants.create_standing(
            ctx, staff_id=1, staff_email=STAFF, name="Officer", org="Politiet",
            email="later@politi.example", requester_type="police", fields=["name"],
            valid_from=ctx.now + timedelta(days=1), valid_until=ctx.now + timedelta(days=2))
    [mail] = await web.mails("nis2_access_granted", "later@politi.example")
    token = token_in(mail.body_text)
    assert await grant_for(web, token, "nis2-a.dk") is None
    reg.clock.advance(timedelta(days=1))
    assert await grant_for(web, token, "nis2-a.dk") is not None
    why = [json.loads(a.request)["why"] for a in await web.audit("nis2_grant_refused")]
    assert why == ["not_yet_valid"]
