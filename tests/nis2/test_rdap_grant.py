"""The tiered RDAP answer end to end: an access request on the form, staff approve name
and e-mail, the token arrives by mail, and RDAP with ``Authorization: Bearer`` shows
those fields of the registrant (and no others) for the granted domain only, until the
grant ends; every answer is valid RDAP, and every use is audited."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

from nis2support import REQUEST, Nis2Web, token_in

from epp.update_support import ready_registrar
from support.rdap_schema import assert_valid

RDAP = {"Accept": "application/rdap+json"}


def registrant(body: dict[str, Any]) -> dict[str, list[Any]]:
    [entity] = [e for e in body["entities"] if "registrant" in e["roles"]]
    return {p[0]: p for p in entity["vcardArray"][1]}


async def test_a_grant_opens_its_fields_of_its_domain_for_its_time(web: Nis2Web,  # type: ignore[no-untyped-def]
                                                                   mailbox) -> None:
    reg = web.registry
    await ready_registrar(reg, "nis2-a.dk", "nis2-b.dk")
    r = await web.post_form("/nis2/access-request", REQUEST, lang="en")
    assert r.status_code == 200, r.text
    [row] = await reg.rows("select id from nis2_access_requests")
    s = await web.staff()
    until = reg.clock.now() + timedelta(days=7)
    decided = await web.staff_post(s, f"/staff/nis2/requests/{row.id}/decide", {
        "decision": "approve", "fields": ["name", "email"],
        "valid_until": until.strftime("%Y-%m-%dT%H:%M")})
    assert decided.status_code == 303, decided.text
    await mailbox.deliver()
    [mail] = mailbox.to("ida@brand.example")
    token = token_in(mailbox.text(mail))
    c = web.client()

    async def rdap(name: str, status: int = 200, bearer: str | None = token) -> dict[str, Any]:
        headers = {**RDAP, **({"Authorization": f"Bearer {bearer}"} if bearer else {})}
        answer = await c.get(f"/rdap/domain/{name}", headers=headers)
        assert answer.status_code == status, answer.text
        body = answer.json()
        assert_valid("error" if status >= 400 else "domain", body)
        if bearer and status == 200:
            assert answer.headers["cache-control"] == "private, no-store"
        return body

    public = registrant(await rdap("nis2-a.dk", bearer=None))
    assert public["fn"][3] == "" and "email" not in public  # a person: country only
    granted = registrant(await rdap("nis2-a.dk"))
    assert granted["fn"][3] == "Jens Hansen"
    assert granted["email"][3] == "jens@example.dk"
    assert "tel" not in granted  # the phone was not granted
    assert granted["adr"][3][2:6] == ["", "", "", ""]  # nor the address (only the country)
    assert granted["adr"][3][6] == "DK"
    body = await rdap("nis2-a.dk")
    assert any("Grant" in " ".join(x["description"]) for x in body["remarks"])

    await rdap("nis2-b.dk", 403)  # not among the grant's domains
    await rdap("nis2-a.dk", 403, bearer="no-such-token-at-all-0123456789abcdefghijkl")
    reg.clock.set(until)  # valid_until is exclusive
    await rdap("nis2-a.dk", 403)

    used = [a for a in await web.audit("nis2_grant_used")]
    assert [(u.object, u.door) for u in used] == [("nis2-a.dk", "rdap")] * 2
    assert json.loads(used[0].request)["fields"] == ["name", "email"]
    why = [json.loads(a.request)["why"] for a in await web.audit("nis2_grant_refused")]
    assert why == ["out_of_scope", "expired"]
