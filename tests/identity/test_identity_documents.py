"""Foreign registrants upload an identity document (type by magic bytes, size limit,
stored outside any web path); registry staff log in (CSRF), review the queue, open the
file and approve (the check completes, the domain activates) or reject with a reason.
Sessions of other doors are no staff session."""

from __future__ import annotations

import re

from idsupport import IdWeb, csrf_of

from dkreg.identity import staff
from support import PASSWORD
from support.epp_objects import Agent

FOREIGN = {"name": "Astrid Lindgren", "street": "Drottninggatan 1", "city": "Stockholm",
           "pc": "11151", "cc": "SE"}
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


async def upload(c, handle: str, data: bytes, name: str = "passport.pdf"):  # type: ignore[no-untyped-def]
    page = await c.get("/selfservice/verification")
    return await c.post(f"/selfservice/verification/{handle}/document",
                        data={"csrf": csrf_of(page.text)},
                        files={"document": (name, data, "application/pdf")})


async def staff_login(w: IdWeb, email: str = "reviewer@registry.example"):  # type: ignore[no-untyped-def]
    async with w.registry.db.begin() as conn:  # type: ignore[attr-defined]
        await staff.create(w.registry.ctx(conn), email, PASSWORD)  # type: ignore[attr-defined]
    c = w.client("192.0.2.99")
    page = await c.get("/staff/login")
    bad = await c.post("/staff/login", data={"email": email, "password": PASSWORD})
    assert bad.status_code == 403  # no CSRF value: refused before the password is looked at
    wrong = await c.post("/staff/login", data={"email": email, "password": "Wrong-Passw0rd",
                                               "csrf": csrf_of(page.text)})
    assert wrong.status_code == 401 and 'id="login-message"' in wrong.text
    ok = await c.post("/staff/login", data={"email": email, "password": PASSWORD,
                                            "csrf": csrf_of(page.text)})
    assert ok.status_code == 303
    return c


async def test_upload_checks_type_and_size(idweb: IdWeb) -> None:
    a = await Agent.new(idweb.registry, dkhm="4.5")  # type: ignore[arg-type]
    handle, _ = await idweb.held(a, **FOREIGN)
    c = await idweb.registrant(handle)
    idweb.registry.settings.document_max_bytes = 1000  # type: ignore[attr-defined]
    r = await upload(c, handle, b"<html><script>alert(1)</script>", "passport.pdf")
    assert r.status_code == 400 and f'id="document-{handle}-error"' in r.text
    r = await upload(c, handle, PDF + b"x" * 1000)
    assert r.status_code == 400 and f'id="document-{handle}-error"' in r.text
    assert await idweb.registry.scalar("select count(*) from identity_documents") == 0  # type: ignore[attr-defined]
    before = await c.get(f"/selfservice/verification/{handle}/result")
    assert "Upload" in before.text or "Upload et" in before.text
    done = await upload(c, handle, PNG, "scan.png")
    assert done.status_code == 303
    # the result page now says the document awaits review, not "upload a document"
    waiting = await c.get(done.headers["location"])
    assert "awaits the registry's review" in waiting.text \
        or "venter på registrets gennemgang" in waiting.text
    row = (await idweb.registry.rows(  # type: ignore[attr-defined]
        "select stored_name, content_type, status from identity_documents"))[0]
    assert row.content_type == "image/png" and row.status == "submitted"
    assert re.fullmatch(r"[0-9a-f]{32}\.png", row.stored_name)  # not the uploaded name
    stored = idweb.registry.settings.data_dir / "documents" / row.stored_name  # type: ignore[attr-defined]
    assert stored.read_bytes() == PNG
    assert (await c.get("/documents/" + row.stored_name)).status_code == 404


async def test_staff_approve_and_reject(idweb: IdWeb) -> None:
    a = await Agent.new(idweb.registry, dkhm="4.5")  # type: ignore[arg-type]
    good, good_domain = await idweb.held(a, **FOREIGN)
    bad, bad_domain = await idweb.held(a, **{**FOREIGN, "name": "Pippi Longstocking"})
    for handle in (good, bad):
        assert (await upload(await idweb.registrant(handle), handle, PDF)).status_code == 303
    ids = [r.id for r in await idweb.registry.rows(  # type: ignore[attr-defined]
        "select id from identity_documents order by id")]

    # neither a registrant's nor no session is a staff session
    registrant = await idweb.registrant(good)
    assert (await registrant.get("/staff/")).headers["location"] == "/staff/login"
    assert (await registrant.get(f"/staff/documents/{ids[0]}/file")).status_code == 303

    c = await staff_login(idweb)
    queue = await c.get("/staff/")
    assert good in queue.text and bad in queue.text
    doc = await c.get(f"/staff/documents/{ids[0]}")
    f = await c.get(f"/staff/documents/{ids[0]}/file")
    assert (f.content, f.headers["content-type"]) == (PDF, "application/pdf")
    assert "sandbox" in f.headers["content-security-policy"]

    no_csrf = await c.post(f"/staff/documents/{ids[0]}/decide", data={"decision": "approve"})
    assert no_csrf.status_code == 403
    assert (await idweb.contact_row(good)).id_status == "pending"
    r = await c.post(f"/staff/documents/{ids[0]}/decide",
                     data={"decision": "approve", "csrf": csrf_of(doc.text)})
    assert r.status_code == 303
    assert (await idweb.contact_row(good)).id_status == "completed"
    assert await idweb.domain_statuses(good_domain) == "ok"

    no_reason = await c.post(f"/staff/documents/{ids[1]}/decide",
                             data={"decision": "reject", "csrf": csrf_of(doc.text)})
    assert no_reason.status_code == 400 and 'id="reason-error"' in no_reason.text
    r = await c.post(f"/staff/documents/{ids[1]}/decide",
                     data={"decision": "reject", "reason": "the photo is unreadable",
                           "csrf": csrf_of(doc.text)})
    assert r.status_code == 303
    assert (await idweb.contact_row(bad)).id_status == "rejected"
    again = await c.post(f"/staff/documents/{ids[0]}/decide",
                         data={"decision": "reject", "reason": "x", "csrf": csrf_of(doc.text)})
    assert again.status_code == 400  # decided once
    audit = {tuple(r) for r in await idweb.registry.rows(  # type: ignore[attr-defined]
        "select door, command, actor from audit where door = 'staff'")}
    assert ("staff", "identity_document", "reviewer@registry.example") in audit
    assert ("staff", "staff_document_viewed", "reviewer@registry.example") in audit
    mine = await idweb.registrant(bad)
    page = await mine.get("/selfservice/verification")
    assert "the photo is unreadable" in page.text


def test_staff_user_cli(db_url: str, tmp_path) -> None:  # type: ignore[no-untyped-def]
    import subprocess
    import sys

    cmd = [sys.executable, "-m", "dkreg.cli", "staff-user", "create", "Staff@Registry.example",
           "--password", PASSWORD, "--data-dir", str(tmp_path), "--database-url", db_url]
    r = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
    assert r.returncode == 0 and "staff@registry.example" in r.stdout, r.stderr
    again = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
    assert again.returncode == 1 and "2302" in again.stderr
