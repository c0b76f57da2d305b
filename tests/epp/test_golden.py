"""Golden request/response files: ``golden/<object>/<verb>[_variant].xml`` is sent as is
(after placeholder substitution) and the answer must equal ``..._response.xml``.

Steps named ``b:<file>`` are sent by a second registrar (REG-900002, login golden-b), who
takes eksempel.dk over with a transfer token the sponsor issued (the ``token`` step);
``verify`` is the registry completing the registrant's ID check, which lifts the hold on
its domains.

The same files must hold on SQLite and PostgreSQL. After an intended change of output,
regenerate with ``DKREG_UPDATE_GOLDEN=1 scripts/test.sh tests/epp/test_golden.py`` and
review the diff like code.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from lxml import etree

from dkreg.actions.account.registrars import registrar_create, user_create
from dkreg.actions.contact import verification as contact_verification
from dkreg.actions.domain import auth_tokens
from dkreg.store.context import Actor
from support.eppclient import EppClient

GOLDEN = Path(__file__).parent / "golden"
UPDATE = os.environ.get("DKREG_UPDATE_GOLDEN") == "1"
UUID = re.compile(rb"[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}")

# (request file, expected result code); "tick" runs due lifecycle work
SCENARIO: list[tuple[str, int | None]] = [
    ("session/login", 1000),
    ("contact/create", 1000),
    ("contact/create_missing_cvr", 2003),
    ("contact/check", 1000),
    ("contact/info", 1000),
    ("host/create_ns1", 1000),
    ("host/create_ns2", 1000),
    ("host/create_private_glue", 2004),
    ("host/check", 1000),
    ("domain/check", 1000),
    ("domain/create_no_token", 2003),
    ("domain/create_bad_token", 2005),
    ("domain/create_milliseconds", 2004),
    ("domain/create", 1001),
    ("tick", None),
    ("domain/info", 1000),
    ("host/info", 1000),
    ("poll/req", 1301),
    ("poll/ack", 1000),
    ("poll/ack_unknown", 2303),
    ("balance/info", 1000),
    # DS records on create (secDNS-1.1 create): maxSigLife refused, then accepted, and
    # shown by info once the application is processed
    ("domain/create_ds_max_sig_life", 2307),
    ("domain/create_ds", 1001),
    ("tick", None),
    ("domain/info_ds", 1000),
    # renew, update, delete, transfer and withdraw of the active domains
    ("domain/renew_suspended", 2105),  # the registrant's ID check is still pending
    ("verify", None),
    ("domain/renew", 1000),
    ("domain/renew_cur_exp_date", 2306),
    ("host/create_ns3", 1000),
    ("domain/update", 1000),
    ("domain/update_unknown_host", 2303),
    ("domain/delete", 1001),  # the redemption period starts
    ("token", None),
    # the second session sends the other 2303s: a session is cut at the third error of
    # one code (epp_error_limit)
    ("b:session/login_b", 1000),
    ("b:domain/transfer_bad_token", 2202),
    ("b:domain/transfer", 1000),
    ("b:domain/delete_unknown", 2303),
    ("b:domain/withdraw", 1000),
    ("b:domain/withdraw_unknown", 2303),
    ("b:session/logout_b", 1500),
    ("session/logout", 1500),
]
STEPS = {"tick", "token", "verify"}


async def transfer_token(registry, sponsor_id: int, name: str) -> str:  # type: ignore[no-untyped-def]
    """The sponsor issues a transfer token, as its portal or EPP authInfo "auto" would; the
    token is random, so it is only ever in a request, never in a compared response."""
    did = await registry.scalar("select id from domains where uname = :n", n=name)
    actor = Actor(registrar_id=sponsor_id, registrar_handle="REG-900001", login="golden-epp")
    async with registry.db.begin() as conn:
        return await auth_tokens.generate(registry.ctx(conn, actor), did, "transfer")


def normalise(data: bytes) -> str:
    data = UUID.sub(b"SVTRID", data)
    root = etree.fromstring(data, etree.XMLParser(remove_blank_text=True))
    return etree.tostring(root, pretty_print=True, encoding="unicode")


async def test_golden_scenario(registry) -> None:
    async with registry.db.begin() as conn:
        ctx = registry.ctx(conn)
        sponsor = await registrar_create(ctx, "REG-900001", "Golden Registrar",
                                         "golden@example.dk", 50_000_00)
        await user_create(ctx, "REG-900001", "golden-epp", "epp", "Golden-Passw0rd")
        await registrar_create(ctx, "REG-900002", "Golden Gainer", "gainer@example.dk",
                               50_000_00)
        await user_create(ctx, "REG-900002", "golden-b", "epp", "Golden-Passw0rd")
    clients = {}
    for who in ("a", "b"):
        clients[who] = await EppClient.connect("127.0.0.1", registry.port, registry.ca_file)
        registry.clients.append(clients[who])
    now = registry.token()
    subst = {"{LOGIN}": "golden-epp", "{PASSWORD}": "Golden-Passw0rd", "{TOKEN}": str(now),
             "{TOKEN_MS}": str(now * 1000)}
    mismatches = []
    for step, code in SCENARIO:
        if step == "tick":
            await registry.tick()
            continue
        if step == "verify":  # the registry completes the registrant's ID and data check
            async with registry.db.begin() as conn:
                await contact_verification.complete(registry.ctx(conn), subst["{CONTACT}"])
            continue
        if step == "token":
            subst["{AUTH}"] = await transfer_token(registry, sponsor, "eksempel.dk")
            continue
        who, _, name = step.rpartition(":")
        request = (GOLDEN / f"{name}.xml").read_text(encoding="utf-8")
        for key, value in subst.items():
            request = request.replace(key, value)
        assert "{" not in request, f"unfilled placeholder in {name}: {request}"
        reply = await clients[who or "a"].request(request.encode())
        assert reply.code == code, f"{name}: {reply.code} {reply.msg}"
        if name == "contact/create":
            subst["{CONTACT}"] = reply.text(".//contact:id")
        if name == "poll/req":
            subst["{MSGID}"] = reply.find(".//epp:msgQ").get("id")
        got = normalise(reply.raw)
        expected_file = GOLDEN / f"{name}_response.xml"
        if UPDATE:
            expected_file.write_text(got, encoding="utf-8")
            continue
        assert expected_file.exists(), f"missing {expected_file} (DKREG_UPDATE_GOLDEN=1)"
        if expected_file.read_text(encoding="utf-8") != got:
            mismatches.append(f"--- {name}\nexpected:\n{expected_file.read_text()}\ngot:\n{got}")
    assert not mismatches, "\n".join(mismatches)


def test_every_golden_request_is_in_the_scenario() -> None:
    used = {step.rpartition(":")[2] for step, _ in SCENARIO}
    files = {str(p.relative_to(GOLDEN).with_suffix("")) for p in GOLDEN.rglob("*.xml")
             if not p.stem.endswith("_response")}
    assert files == used - STEPS
