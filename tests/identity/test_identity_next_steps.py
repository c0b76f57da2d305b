"""A failed ID check is never a dead end (over HTTP, both backends): each result page —
MitID cancelled, refused or mismatched, a CVR mismatch, a rejected document — says why
and offers the next steps (try again, another method, the contact's registrar); a MitID
flow that is unknown or spent offers to start again; the e-mail link's page leads back."""

from __future__ import annotations

import re

import pytest
from idsupport import IdWeb, csrf_of
from test_identity_cvr import COMPANY
from test_identity_documents import FOREIGN, PDF, staff_login, upload
from test_identity_mitid import NAME, run_flow

from dkreg.web.dev.sim_cvr import FIXTURES
from support.epp_objects import Agent


def steps(page: str, handle: str) -> list[str]:
    box = page.split(f'id="help-{handle}"', 1)[1].split("</ol>", 1)[0]
    return re.findall(r'data-step="([a-z]+)"', box)


def reason(page: str, handle: str) -> str:
    found = re.search(rf'id="help-{handle}" data-reason="([a-z_]+)"', page)
    assert found, f"no help for {handle}"
    return found.group(1)


@pytest.mark.parametrize(("choice", "why", "offered"), [
    ({"cancel": "1"}, "mitid_cancelled", ["retry", "document"]),
    ({"person": "jens"}, "name_mismatch", ["registrar", "retry", "document"]),
    ({"person": "invalid", "name": NAME}, "invalid_cpr", ["retry", "document", "registrar"]),
    ({"person": "jens", "name": NAME, "scenario": "broker_error"}, "service_error",
     ["retry", "document"]),
])
async def test_a_failed_mitid_login_offers_the_next_steps(idweb: IdWeb, choice: dict,  # type: ignore[type-arg]
                                                         why: str, offered: list[str]) -> None:
    a = await Agent.new(idweb.registry, dkhm="4.5")  # type: ignore[arg-type]
    handle, _name = await idweb.held(a, name=NAME)
    c, result = await run_flow(idweb, handle, **choice)
    page = result.text
    assert result.status_code == 200 and 'id="outcome"' in page
    assert reason(page, handle) == why and steps(page, handle) == offered
    assert f'action="/selfservice/verification/{handle}/mitid"' in page  # try again, here
    assert f'action="/selfservice/verification/{handle}/document"' in page  # another way
    registrar = await idweb.registry.scalar(  # type: ignore[attr-defined]
        "select r.handle from registrars r join contacts c on c.sponsor_id = r.id "
        "where c.handle = :h", h=handle)
    if "registrar" in offered:
        assert f"({registrar})" in page
    # the overview says the same, and the other way works: a document for a Dane too
    overview = (await c.get("/selfservice/verification")).text
    assert reason(overview, handle) == why
    r = await c.post(f"/selfservice/verification/{handle}/document",
                     files={"document": ("id.pdf", PDF, "application/pdf")},
                     data={"csrf": csrf_of(overview)})
    assert r.status_code == 303
    waiting = (await c.get(r.headers["location"])).text
    assert reason(waiting, handle) == "document_waiting" and steps(waiting, handle) == ["wait"]


async def test_a_cvr_mismatch_sends_the_person_to_the_registrar(idweb: IdWeb) -> None:
    mismatch = next(f for f in FIXTURES if f.outcome == "name_mismatch")
    a = await Agent.new(idweb.registry, dkhm="4.5")  # type: ignore[arg-type]
    handle, _name = await idweb.held(a, cvr=mismatch.cvr, **COMPANY)
    c = await idweb.registrant(handle)
    page = await c.get("/selfservice/verification")
    r = await c.post(f"/selfservice/verification/{handle}/cvr", data={"csrf": csrf_of(page.text)})
    result = (await c.get(r.headers["location"])).text
    assert reason(result, handle) == "name_mismatch"
    assert steps(result, handle) == ["registrar", "retry", "document"]
    assert f'action="/selfservice/verification/{handle}/cvr"' in result


async def test_a_rejected_document_names_who_to_ask(idweb: IdWeb) -> None:
    """The registry's reviewer rejecting the document rejects the check: the person is
    told so and whom to ask (the registry's support, the registrar), not left with
    "rejected"."""
    a = await Agent.new(idweb.registry, dkhm="4.5")  # type: ignore[arg-type]
    handle, _ = await idweb.held(a, **FOREIGN)
    me = await idweb.registrant(handle)
    assert (await upload(me, handle, PDF)).status_code == 303
    [doc_id] = [r.id for r in await idweb.registry.rows(  # type: ignore[attr-defined]
        "select id from identity_documents")]
    staff = await staff_login(idweb)
    doc = await staff.get(f"/staff/documents/{doc_id}")
    r = await staff.post(f"/staff/documents/{doc_id}/decide",
                         data={"decision": "reject", "reason": "the photo is unreadable",
                               "csrf": csrf_of(doc.text)})
    assert r.status_code == 303
    result = (await me.get(f"/selfservice/verification/{handle}/result")).text
    assert reason(result, handle) == "check_rejected"
    assert steps(result, handle) == ["registry", "registrar"]
    registrar = await idweb.registry.scalar(  # type: ignore[attr-defined]
        "select r.handle from registrars r join contacts c on c.sponsor_id = r.id "
        "where c.handle = :h", h=handle)
    assert f"({registrar})" in result
    overview = (await me.get("/selfservice/verification")).text
    assert reason(overview, handle) == "check_rejected" and "the photo is unreadable" in overview


async def test_an_unknown_mitid_flow_and_a_dead_email_link_lead_back(idweb: IdWeb) -> None:
    a = await Agent.new(idweb.registry, dkhm="4.5")  # type: ignore[arg-type]
    handle, _name = await idweb.held(a, name=NAME)
    c = await idweb.registrant(handle)
    r = await c.get("/selfservice/verification/mitid/callback?state=nope&code=x")
    assert r.status_code == 400 and 'id="start-again"' in r.text
    dead = await idweb.client().get("/selfservice/verification/email/not-a-token")
    assert dead.status_code == 400 and 'id="email-invalid"' in dead.text
    assert 'id="to-selfservice"' in dead.text and 'id="to-login"' in dead.text
