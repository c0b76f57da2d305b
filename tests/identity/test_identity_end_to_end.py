"""The issue's end to end: a registrar creates a domain over EPP for an unvalidated
registrant; the domain waits (serverHold, registrant_validated false); the registrant
verifies in self-service through a simulator (MitID, CVR, or a document staff approve);
the domain becomes active and the registrar polls "has been activated"."""

from __future__ import annotations

import pytest
from idsupport import IdWeb, csrf_of, drain, poll_msg
from test_identity_cvr import COMPANY
from test_identity_documents import FOREIGN, PDF, staff_login, upload
from test_identity_mitid import NAME, run_flow

from support import frames
from support.epp_objects import Agent


async def verify_by(w: IdWeb, method: str, handle: str) -> None:
    if method == "mitid":
        await run_flow(w, handle, person="jens", name=NAME)
    elif method == "cvr":
        c = await w.registrant(handle)
        page = await c.get("/selfservice/verification")
        await c.post(f"/selfservice/verification/{handle}/cvr",
                     data={"csrf": csrf_of(page.text)})
    else:
        assert (await upload(await w.registrant(handle), handle, PDF)).status_code == 303
        c = await staff_login(w)
        [doc] = await w.registry.rows("select id from identity_documents")  # type: ignore[attr-defined]
        page = await c.get(f"/staff/documents/{doc.id}")
        await c.post(f"/staff/documents/{doc.id}/decide",
                     data={"decision": "approve", "csrf": csrf_of(page.text)})


@pytest.mark.parametrize(("method", "contact"), [
    ("mitid", {"name": NAME}),
    ("cvr", {**COMPANY, "cvr": "10015081"}),
    ("document", FOREIGN),
])
async def test_verification_activates_the_waiting_domain(idweb: IdWeb, method: str,
                                                         contact: dict) -> None:  # type: ignore[type-arg]
    a = await Agent.new(idweb.registry, dkhm="4.5")  # type: ignore[arg-type]
    handle, name = await idweb.held(a, **contact)
    info = await a.send(frames.domain_info(name))
    assert info.dkhm("registrant_validated") == "0"
    assert await idweb.domain_statuses(name) == "serverHold"
    await drain(a)
    await verify_by(idweb, method, handle)
    assert await idweb.domain_statuses(name) == "ok"
    msgs = [poll_msg(m) for m in await drain(a)]
    assert f"{handle} has completed the mandatory ID check - registry" in msgs
    assert f"{name} has been activated" in msgs
    info = await a.send(frames.domain_info(name))
    assert info.dkhm("registrant_validated") == "1"
