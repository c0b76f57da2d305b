"""MitID through the broker simulator, over HTTP: the self-service page redirects to the
broker, the tester's choice comes back to the callback, the adapter exchanges the code
and verifies the id_token; each outcome is recorded, only a match completes the check.
Also: id_tokens with a wrong signature, audience, nonce or expiry are refused, and no
CPR number is left anywhere in the database afterwards."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from cryptography.hazmat.primitives.asymmetric import rsa
from idsupport import IdWeb, csrf_of
from sqlalchemy import select

from dkreg.identity import mitid
from dkreg.identity.http import ProviderError
from dkreg.identity.jwt import jwk, sign, verify
from dkreg.identity.sim_mitid import PEOPLE, signing_key
from dkreg.store.schema import metadata
from support.epp_objects import Agent

NAME = "Karen Blixen"


async def run_flow(w: IdWeb, handle: str, **choice: str):  # type: ignore[no-untyped-def]
    """Start MitID for ``handle`` in self-service and answer the broker's page."""
    c = await w.registrant(handle)
    page = await c.get("/selfservice/verification")
    assert page.status_code == 200
    r = await c.post(f"/selfservice/verification/{handle}/mitid",
                     data={"csrf": csrf_of(page.text)})
    assert r.status_code == 303
    authorize = r.headers["location"]
    assert authorize.startswith(w.base + "/dev/mitid/authorize?")
    q = {k: v[0] for k, v in parse_qs(urlsplit(authorize).query).items()}
    assert q["code_challenge_method"] == "S256" and q["state"] and q["nonce"]
    broker = await c.get(authorize)
    assert broker.status_code == 200 and 'name="person"' in broker.text
    r = await c.post("/dev/mitid/authorize", data={**q, **choice})
    assert r.status_code == 303
    back = await c.get(r.headers["location"])
    assert back.status_code == 303, back.text
    return c, await c.get(back.headers["location"])


@pytest.mark.parametrize(("choice", "outcome"), [
    ({"person": "jens", "name": NAME}, "matched"),
    ({"person": "jens"}, "name_mismatch"),  # MitID says Jens Hansen
    ({"person": "invalid", "name": NAME}, "invalid_cpr"),
    ({"cancel": "1"}, "cancelled"),
    ({"person": "jens", "name": NAME, "scenario": "broker_error"}, "error"),
])
async def test_each_mitid_outcome(idweb: IdWeb, choice: dict, outcome: str) -> None:  # type: ignore[type-arg]
    a = await Agent.new(idweb.registry, dkhm="4.5")  # type: ignore[arg-type]
    handle, name = await idweb.held(a, name=NAME)
    _c, result = await run_flow(idweb, handle, **choice)
    assert result.status_code == 200
    row = await idweb.contact_row(handle)
    checks = await idweb.registry.rows(  # type: ignore[attr-defined]
        "select method, outcome from identity_checks where contact_id = :c", c=row.id)
    assert [tuple(x) for x in checks] == [("mitid", outcome)]
    if outcome == "matched":
        assert row.id_status == "completed" and row.register_locked
        assert await idweb.domain_statuses(name) == "ok"
    else:
        assert row.id_status == "pending"
        assert await idweb.domain_statuses(name) == "serverHold"
    # no CPR number anywhere: every table, every column (the audit trail included)
    everything = []
    async with idweb.registry.db.read() as conn:  # type: ignore[attr-defined]
        for table in metadata.sorted_tables:
            everything += [str(tuple(r)) for r in (await conn.execute(select(table))).all()]
    dump = "\n".join(everything)
    for person in PEOPLE:
        assert person.cpr not in dump and f"{person.cpr[:6]}-{person.cpr[6:]}" not in dump
    assert "identity_mitid" in dump  # the attempt is audited, without the number


async def test_a_state_works_once_and_only_for_its_holder(idweb: IdWeb) -> None:
    a = await Agent.new(idweb.registry, dkhm="4.5")  # type: ignore[arg-type]
    handle, _ = await idweb.held(a, name=NAME)
    c, _result = await run_flow(idweb, handle, person="jens", name=NAME)
    replay = await c.get("/selfservice/verification/mitid/callback?state=x&code=y")
    assert replay.status_code == 400 and 'id="problem"' in replay.text
    other, _ = await idweb.held(a, name="Someone Else")
    stranger = await idweb.registrant(other)
    page = await stranger.get("/selfservice/verification")
    r = await stranger.post(f"/selfservice/verification/{handle}/mitid",
                            data={"csrf": csrf_of(page.text)})
    assert r.status_code == 404  # not a handle this person holds


def _claims(now: int, **over: object) -> dict:  # type: ignore[type-arg]
    return {"iss": "https://broker.example", "aud": "dkreg", "exp": now + 300, "iat": now,
            "nonce": "n-1", "name": NAME, "dk.cpr": PEOPLE[0].cpr, **over}


def test_id_tokens_are_verified(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from datetime import UTC, datetime

    key = signing_key(tmp_path)
    assert signing_key(tmp_path).private_numbers() == key.private_numbers()  # kept
    public = {"keys": [jwk(key.public_key())]}
    kid = public["keys"][0]["kid"]
    now = datetime(2026, 6, 1, tzinfo=UTC)
    ts = int(now.timestamp())

    def check(token: str, nonce: str = "n-1") -> dict:  # type: ignore[type-arg]
        return mitid.check_claims(verify(token, public), "https://broker.example", "dkreg",
                                  nonce, now)

    assert check(sign(_claims(ts), key, kid))["name"] == NAME
    other = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    cases = {
        "signature": sign(_claims(ts), other, kid),
        "audience": sign(_claims(ts, aud="someone-else"), key, kid),
        "issuer": sign(_claims(ts, iss="https://evil.example"), key, kid),
        "expired": sign(_claims(ts - 3600, exp=ts - int(timedelta(minutes=5).seconds)),
                        key, kid),
    }
    for why, token in cases.items():
        with pytest.raises(ProviderError):
            check(token)
        assert why
    with pytest.raises(ProviderError):
        check(sign(_claims(ts), key, kid), nonce="n-2")
    head, body, sig = sign(_claims(ts), key, kid).split(".")
    with pytest.raises(ProviderError):  # alg "none" and friends
        verify(f"eyJhbGciOiJub25lIn0.{body}.", public)
    with pytest.raises(ProviderError):  # tampered claims
        verify(f"{head}.{sign(_claims(ts, name='X'), key, kid).split('.')[1]}.{sig}", public)
