"""MitID through the broker simulator, over HTTP: the self-service page redirects to the
broker, the tester's choice comes back to the callback, the adapter exchanges the code
and verifies the id_token; each outcome is recorded, only a match completes the check.
Also: id_tokens with a wrong signature, audience, nonce or expiry are refused, and no
CPR number is left anywhere in the database afterwards. The simulator accepts only the
registered redirect_uri of a known client (an error page of its own, no redirect,
otherwise); the adapter accepts a callback only at the redirect_uri its flow sent."""

from __future__ import annotations

import base64
import hashlib
import hmac
import html
import json
from datetime import timedelta
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
from cryptography.hazmat.primitives.asymmetric import rsa
from idsupport import IdWeb, csrf_of
from sqlalchemy import select

from dkreg.identity import mitid
from dkreg.identity.http import ProviderError
from dkreg.identity.jwt import jwk, sign, verify
from dkreg.store.schema import metadata
from dkreg.web.dev.sim_mitid import PEOPLE, signing_key
from support.epp_objects import Agent

NAME = "Karen Blixen"


async def start_flow(w: IdWeb, handle: str):  # type: ignore[no-untyped-def]
    """Start MitID for ``handle`` in self-service: (browser, authorization request)."""
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
    return c, q


async def run_flow(w: IdWeb, handle: str, **choice: str):  # type: ignore[no-untyped-def]
    """Start MitID for ``handle`` in self-service and answer the broker's page."""
    c, q = await start_flow(w, handle)
    authorize = w.base + "/dev/mitid/authorize?" + urlencode(q)
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
            "sub": "person-1", "nonce": "n-1", "name": NAME, "dk.cpr": PEOPLE[0].cpr,
            **over}


def _b64(data: object) -> str:
    raw = data if isinstance(data, bytes) else json.dumps(data).encode()
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def test_id_tokens_are_verified(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from datetime import UTC, datetime

    key = signing_key(tmp_path)
    assert signing_key(tmp_path).private_numbers() == key.private_numbers()  # kept
    public = {"keys": [jwk(key.public_key())]}
    now = datetime(2026, 6, 1, tzinfo=UTC)
    ts = int(now.timestamp())

    def check(token: str, nonce: str = "n-1") -> dict:  # type: ignore[type-arg]
        return mitid.check_claims(verify(token, public), "https://broker.example", "dkreg",
                                  nonce, now)

    assert check(sign(_claims(ts), key))["name"] == NAME
    other = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    head, body, sig = sign(_claims(ts), key).split(".")
    forged = sign(_claims(ts), other).split(".")[2]
    cases = {
        "signature": f"{head}.{body}.{forged}",  # another key's signature, our key id
        "audience": sign(_claims(ts, aud="someone-else"), key),
        "issuer": sign(_claims(ts, iss="https://evil.example"), key),
        "expired": sign(_claims(ts - 3600, exp=ts - int(timedelta(minutes=5).seconds)),
                        key),
    }
    for why, token in cases.items():
        with pytest.raises(ProviderError):
            check(token)
        assert why
    with pytest.raises(ProviderError):
        check(sign(_claims(ts), key), nonce="n-2")
    with pytest.raises(ProviderError):  # alg "none" and friends
        verify(f"eyJhbGciOiJub25lIn0.{body}.", public)
    with pytest.raises(ProviderError):  # tampered claims
        verify(f"{head}.{sign(_claims(ts, name='X'), key).split('.')[1]}.{sig}", public)


def test_id_token_refusals_beyond_the_signature(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """The checks the library adds: algorithm allow-list, key id and key use, the time
    claims with leeway, required claims, and OpenID Connect's azp and nonce rules."""
    from datetime import UTC, datetime

    key = signing_key(tmp_path)
    mine = jwk(key.public_key())
    public = {"keys": [mine]}
    now = datetime(2026, 6, 1, tzinfo=UTC)
    ts = int(now.timestamp())

    def check(claims: dict, keys: dict = public) -> dict:  # type: ignore[type-arg]
        return mitid.check_claims(verify(sign(claims, key), keys),
                                  "https://broker.example", "dkreg", "n-1", now)

    # accepted: inside the 60 s leeway, several audiences with us as authorised party,
    # an issuer with a trailing slash
    assert check(_claims(ts, exp=ts - 30))["sub"] == "person-1"
    assert check(_claims(ts, iat=ts + 30, nbf=ts + 30))["sub"] == "person-1"
    assert check(_claims(ts, aud=["dkreg", "other"], azp="dkreg"))
    assert check(_claims(ts, iss="https://broker.example/"))
    refused = {
        "expired beyond the leeway": _claims(ts, exp=ts - 61),
        "not valid yet": _claims(ts, nbf=ts + 120),
        "issued in the future": _claims(ts, iat=ts + 120),
        "no expiry": {k: v for k, v in _claims(ts).items() if k != "exp"},
        "no issue time": {k: v for k, v in _claims(ts).items() if k != "iat"},
        "no subject": {k: v for k, v in _claims(ts).items() if k != "sub"},
        "no nonce": {k: v for k, v in _claims(ts).items() if k != "nonce"},
        "nonce in a list": _claims(ts, nonce=["n-1", "n-2"]),
        "an expiry that is not a number": _claims(ts, exp=str(ts + 300)),
        "several audiences, no azp": _claims(ts, aud=["dkreg", "other"]),
        "azp someone else": _claims(ts, azp="other"),
        "audience only in a longer string": _claims(ts, aud="dkreg-other"),
    }
    for why, claims in refused.items():
        with pytest.raises(ProviderError):
            check(claims)
        assert why
    good = sign(_claims(ts), key)
    head, body, _sig = good.split(".")
    secret = json.dumps(mine).encode()  # the public key as an HMAC secret (alg confusion)
    hs_head = _b64({"alg": "HS256", "typ": "JWT", "kid": mine["kid"]})
    hs_sig = _b64(hmac.new(secret, f"{hs_head}.{body}".encode(), hashlib.sha256).digest())
    with pytest.raises(ProviderError, match="algorithm"):
        verify(f"{hs_head}.{body}.{hs_sig}", public)
    with pytest.raises(ProviderError, match="key id"):  # a kid the broker does not publish
        other = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        verify(sign(_claims(ts), other), public)
    with pytest.raises(ProviderError):  # the key is published for encryption only
        verify(good, {"keys": [{**mine, "use": "enc"}]})
    with pytest.raises(ProviderError):  # no keys at all, or not a JWKS
        verify(good, {"keys": []})
    with pytest.raises(ProviderError):
        verify(good, {"nothing": 1})
    for broken in ("", "a.b", "a.b.c", f"{head}.{body}", f"{head}..{_sig}", "x" * 100):
        with pytest.raises(ProviderError):
            verify(broken, public)
    # the key id is found among several keys (rotation); the signature decides
    rotated = {"keys": [jwk(rsa.generate_private_key(public_exponent=65537,
                                                     key_size=2048).public_key()), mine]}
    assert verify(good, rotated)["sub"] == "person-1"


async def test_the_simulator_redirects_only_to_a_registered_redirect_uri(
        idweb: IdWeb) -> None:
    a = await Agent.new(idweb.registry, dkhm="4.5")  # type: ignore[arg-type]
    handle, _ = await idweb.held(a, name=NAME)
    c, q = await start_flow(idweb, handle)
    registered = q["redirect_uri"]
    assert registered == idweb.base + "/selfservice/verification/mitid/callback"
    assert registered == mitid.redirect_uri(idweb.registry.settings)  # type: ignore[attr-defined]
    elsewhere = ["https://evil.example/cb", registered + "/", registered + "?next=x",
                 registered + "#x", registered.upper(), registered.replace("http", "https", 1),
                 registered + "evil", registered.rsplit("/", 1)[0], " " + registered, ""]
    cases = [({"redirect_uri": uri}, "redirect_uri") for uri in elsewhere]
    cases += [({"client_id": "someone-else"}, "client"), ({"client_id": ""}, "client"),
              ({"client_id": "someone-else", "redirect_uri": "https://evil.example/cb"},
               "client")]
    for change, problem in cases:
        asked = {**q, **change}
        for r in (await c.get("/dev/mitid/authorize?" + urlencode(asked)),
                  await c.post("/dev/mitid/authorize",
                               data={**asked, "person": "jens", "name": NAME})):
            assert r.status_code == 400, (change, r.status_code, r.headers)
            assert "location" not in r.headers, change
            assert f'id="authorize-refused" data-problem="{problem}"' in r.text, change
    # with the registered one: the broker's page; other errors go back to the client
    assert (await c.get("/dev/mitid/authorize?" + urlencode(q))).status_code == 200
    r = await c.get("/dev/mitid/authorize?" + urlencode({**q, "code_challenge_method": "plain"}))
    assert r.status_code == 303
    assert r.headers["location"] == registered + "?" + urlencode(
        {"error": "invalid_request", "state": q["state"]})
    r = await c.post("/dev/mitid/authorize", data={**q, "person": "jens", "name": NAME})
    assert r.status_code == 303 and r.headers["location"].startswith(registered + "?code=")
    english = await c.get("/lang/en?next=%2F")
    assert english.status_code == 303
    r = await c.get("/dev/mitid/authorize?" + urlencode({**q, "redirect_uri": elsewhere[0]}))
    assert "(redirect_uri) is not registered for the client" in html.unescape(r.text)


async def test_the_callback_must_arrive_at_the_redirect_uri_the_flow_sent(
        idweb: IdWeb) -> None:
    """The state is bound to the redirect_uri of its authorization request: a callback
    arriving at another one (here: the app's public URL changed meanwhile) is refused
    before any code is exchanged, and the code is exchanged with the flow's own."""
    a = await Agent.new(idweb.registry, dkhm="4.5")  # type: ignore[arg-type]
    handle, _ = await idweb.held(a, name=NAME)
    c, q = await start_flow(idweb, handle)
    r = await c.post("/dev/mitid/authorize", data={**q, "person": "jens", "name": NAME})
    assert r.status_code == 303
    callback = r.headers["location"]
    settings = idweb.registry.settings  # type: ignore[attr-defined]
    settings.public_base_url = "https://moved.example"
    try:
        back = await c.get(callback)
    finally:
        settings.public_base_url = idweb.base
    assert back.status_code == 303
    row = await idweb.contact_row(handle)
    checks = await idweb.registry.rows(  # type: ignore[attr-defined]
        "select outcome, detail from identity_checks where contact_id = :c", c=row.id)
    assert [tuple(x) for x in checks] == [
        ("error", "the callback did not come back to the redirect_uri the authorization "
                  "request sent")]
    assert row.id_status == "pending"
    # the flow is spent; a fresh one under the same URL matches
    again, result = await run_flow(idweb, handle, person="jens", name=NAME)
    assert result.status_code == 200
    assert (await idweb.contact_row(handle)).id_status == "completed"
