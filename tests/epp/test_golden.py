"""Golden request/response files: ``golden/<object>/<verb>[_variant].xml`` is sent as is
(after placeholder substitution) and the answer must equal ``..._response.xml``.

The same files must hold on SQLite and PostgreSQL. After an intended change of output,
regenerate with ``DKREG_UPDATE_GOLDEN=1 scripts/test.sh tests/epp/test_golden.py`` and
review the diff like code.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from lxml import etree

from dkreg.actions.accounts import registrar_create, user_create
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
    ("session/logout", 1500),
]


def normalise(data: bytes) -> str:
    data = UUID.sub(b"SVTRID", data)
    root = etree.fromstring(data, etree.XMLParser(remove_blank_text=True))
    return etree.tostring(root, pretty_print=True, encoding="unicode")


async def test_golden_scenario(registry) -> None:
    async with registry.db.begin() as conn:
        ctx = registry.ctx(conn)
        await registrar_create(ctx, "REG-900001", "Golden Registrar", "golden@example.dk",
                               50_000_00)
        await user_create(ctx, "REG-900001", "golden-epp", "epp", "Golden-Passw0rd")
    client = await EppClient.connect("127.0.0.1", registry.port, registry.ca_file)
    registry.clients.append(client)
    now = registry.token()
    subst = {"{LOGIN}": "golden-epp", "{PASSWORD}": "Golden-Passw0rd", "{TOKEN}": str(now),
             "{TOKEN_MS}": str(now * 1000)}
    mismatches = []
    for name, code in SCENARIO:
        if name == "tick":
            await registry.tick()
            continue
        request = (GOLDEN / f"{name}.xml").read_text(encoding="utf-8")
        for key, value in subst.items():
            request = request.replace(key, value)
        assert "{" not in request, f"unfilled placeholder in {name}: {request}"
        reply = await client.request(request.encode())
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
    used = {name for name, _ in SCENARIO}
    files = {str(p.relative_to(GOLDEN).with_suffix("")) for p in GOLDEN.rglob("*.xml")
             if not p.stem.endswith("_response")}
    assert files == used - {"tick"}
