"""CVR through the data-service simulator, over HTTP: the registry looks up the CVR
number already on the contact; each fixture company gives its outcome, the contact's
P-number must be one of the company's production units and its EAN a valid GLN."""

from __future__ import annotations

import pytest
from idsupport import IdWeb, csrf_of

from dkreg.identity import cvr
from dkreg.web.dev.sim_cvr import FIXTURES, SANDBOX, UNKNOWN_CVR
from support.epp_objects import Agent

COMPANY = {"user_type": "company", "name": SANDBOX["name"], "street": SANDBOX["street"],
           "city": SANDBOX["city"], "pc": SANDBOX["pc"]}


async def check(w: IdWeb, handle: str) -> str:
    c = await w.registrant(handle)
    page = await c.get("/selfservice/verification")
    assert page.status_code == 200 and "/cvr" in page.text
    r = await c.post(f"/selfservice/verification/{handle}/cvr",
                     data={"csrf": csrf_of(page.text)})
    assert r.status_code == 303
    result = await c.get(r.headers["location"])
    assert result.status_code == 200
    return str(await w.registry.scalar(  # type: ignore[attr-defined]
        "select outcome from identity_checks order by id desc limit 1"))


@pytest.mark.parametrize(("number", "extra", "outcome"), [
    *[(f.cvr, {}, f.outcome) for f in FIXTURES],
    (UNKNOWN_CVR, {}, "unknown_cvr"),
    (FIXTURES[0].cvr, {"pnumber": "1012345678"}, "matched"),  # one of its P-units
    (FIXTURES[0].cvr, {"ean": "5790000000005"}, "matched"),
    (FIXTURES[0].cvr, {"ean": "5790000000006"}, "ean_invalid"),  # check digit
])
async def test_each_cvr_outcome(idweb: IdWeb, number: str, extra: dict,  # type: ignore[type-arg]
                                outcome: str) -> None:
    a = await Agent.new(idweb.registry, dkhm="4.5")  # type: ignore[arg-type]
    handle, name = await idweb.held(a, cvr=number, **COMPANY)
    pnumber = "1012345678" if FIXTURES[4].cvr == number else None
    await idweb.set_contact(handle, **{"pnumber": pnumber, **extra})
    assert await check(idweb, handle) == outcome
    row = await idweb.contact_row(handle)
    expected = ("completed", "ok") if outcome == "matched" else ("pending", "serverHold")
    assert (row.id_status, await idweb.domain_statuses(name)) == expected


async def test_credentials_and_outside_failures(idweb: IdWeb) -> None:
    settings = idweb.registry.settings  # type: ignore[attr-defined]
    c = idweb.client()
    refused = await c.post(cvr.SIMULATOR_PATH, json=cvr.query(FIXTURES[0].cvr),
                           auth=("sandbox", "wrong"))
    assert refused.status_code == 401
    company = await cvr.lookup(settings, FIXTURES[0].cvr)
    assert company is not None and company.name == SANDBOX["name"] and company.active
    assert "1012345678" in company.pnumbers
    assert await cvr.lookup(settings, UNKNOWN_CVR) is None
    # "real" mode against a URL that does not answer as the service does: an error outcome
    settings.identity_provider_mode = "real"
    settings.cvr_url = idweb.base + "/dev/cvr/nothing-here/_search"
    try:
        outcome = await cvr.check(settings, type("C", (), {"cvr": FIXTURES[0].cvr})())
    finally:
        settings.identity_provider_mode = ""
    assert (outcome.outcome, outcome.detail) == ("error",
                                                 "the CVR service answered HTTP 404")
