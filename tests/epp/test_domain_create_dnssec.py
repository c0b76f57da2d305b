"""create domain with DS records (secDNS-1.1 ``create``, RFC 5910 §5.2.1; SPEC-DIGEST §5.2,
§6): accepted by update domain's rules, written with the application, shown by info while
pending and after activation, in Flow 1 and Flow 2; every refusal writes nothing."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from epp.helpers import NS, setup_registrant
from epp.update_support import SHA1, SHA256, SHA384, client_with_roles, ds_of
from support import frames
from support.eppclient import NS as XNS
from support.ext_value import ext_field

A = (12345, 13, 2, SHA256)
B = (54321, 8, 1, SHA1)
C = (52378, 13, 4, SHA384)
MAX_SIG_LIFE = "<secDNS:maxSigLife>604800</secDNS:maxSigLife>"
KEY_DATA = ("<secDNS:keyData><secDNS:flags>257</secDNS:flags><secDNS:protocol>3"
            "</secDNS:protocol><secDNS:alg>13</secDNS:alg><secDNS:pubKey>AQID</secDNS:pubKey>"
            "</secDNS:keyData>")


def ds(rec: tuple, **kw) -> str:
    return frames.ds_data(*rec, **kw)


def create(registry, name: str, contact: str, records: list[str], *, extra: str = "",
           token: bool = True) -> str:
    return frames.domain_create(name, contact, NS, token=registry.token() if token else None,
                                extra_ext=frames.secdns_create(records, extra=extra))


def shown(reply) -> list[tuple]:
    """The DS records info domain shows (secDNS:infData), in its order."""
    return [(int(d.findtext("secDNS:keyTag", namespaces=XNS)),
             int(d.findtext("secDNS:alg", namespaces=XNS)),
             int(d.findtext("secDNS:digestType", namespaces=XNS)),
             d.findtext("secDNS:digest", namespaces=XNS))
            for d in reply.findall(".//secDNS:infData/secDNS:dsData")]


async def written(registry) -> tuple:
    """Everything a create writes, for "a refusal leaves nothing behind"."""
    return tuple([await registry.scalar(f"select count(*) from {t}") for t in (
        "domains", "applications", "ds_records", "ledger", "domain_ns")]
        + [await registry.scalar("select sum(balance_ore) from registrars")])


@pytest.fixture
async def ready(registry):
    c, _ = await registry.registrar_client()
    contact = await setup_registrant(c)
    return registry, c, contact


async def test_ds_on_create_is_shown_pending_and_after_activation(ready) -> None:
    registry, c, contact = ready
    lower = (B[0], B[1], B[2], B[3].lower())
    r = await c.request(create(registry, "signed.dk", contact, [ds(A), ds(lower)]))
    assert (r.code, r.msg) == (1001, "Create domain pending for signed.dk")
    assert await ds_of(registry, "signed.dk") == [A, B]
    # the pending application's info shows them, in the order they were sent
    info = await c.request(frames.domain_info("signed.dk"))
    assert [s.get("s") for s in info.findall(".//domain:status")] == [
        "pendingCreate", "serverDeleteProhibited"]
    assert shown(info) == [A, B]
    await registry.tick()
    info = await c.request(frames.domain_info("signed.dk"))
    assert [s.get("s") for s in info.findall(".//domain:status")] == ["ok"]
    assert shown(info) == [A, B]
    # DS records are public: another registrar sees them too
    other, _ = await registry.registrar_client()
    assert shown(await other.request(frames.domain_info("signed.dk"))) == [A, B]
    # and the activated domain's DS set is update domain's to change
    r = await c.request(frames.domain_update("signed.dk", ext=frames.secdns_update(
        rem=[ds(B)], add=[ds(C)])))
    assert r.code == 1000, r.msg
    assert shown(await c.request(frames.domain_info("signed.dk"))) == [A, C]


async def test_embedded_key_data_is_ignored(ready) -> None:
    registry, c, contact = ready
    r = await c.request(create(registry, "embedded.dk", contact, [ds(C, key_data=True)]))
    assert r.code == 1001, r.msg
    assert await ds_of(registry, "embedded.dk") == [C]


async def test_a_create_without_secdns_has_no_ds(ready) -> None:
    registry, c, contact = ready
    r = await c.request(frames.domain_create("unsigned.dk", contact, NS,
                                             token=registry.token()))
    assert r.code == 1001, r.msg
    info = await c.request(frames.domain_info("unsigned.dk"))
    assert info.find(".//secDNS:infData") is None


@pytest.mark.parametrize(("records", "extra", "code", "msg"), [
    ([ds((1, 1, 2, SHA256))], "", 2004, "Parameter value range error"),  # RSA/MD5
    ([ds((1, 12, 2, SHA256))], "", 2004, "Parameter value range error"),  # GOST
    ([ds((1, 13, 3, SHA256))], "", 2004, "Parameter value range error"),  # GOST digest
    ([ds((1, 13, 2, SHA1))], "", 2004, "Bad digest length"),
    ([ds((1, 13, 4, SHA256))], "", 2004, "Bad digest length"),
    ([ds(A), ds((1, 8, 1, SHA256))], "", 2004, "Bad digest length"),  # the second of two
    ([ds((1, 13, 2, SHA256[:-2] + "ZZ"))], "", 2005, "Parameter value syntax error"),
    ([ds((70000, 13, 2, SHA256))], "", 2004, "Parameter value range error"),
    ([ds(A), ds(A)], "", 2306, "Parameter error. the same DS record is listed twice"),
    ([ds(A)], MAX_SIG_LIFE, 2307, "maxSigLife not supported"),
    ([], KEY_DATA, 2306, "Parameter error. only dsData is supported"),
    ([], "", 2003, "Required parameter missing"),
])
async def test_refusals_write_nothing(ready, records: list[str], extra: str, code: int,
                                      msg: str) -> None:
    registry, c, contact = ready
    before = await written(registry)
    r = await c.request(create(registry, "refused.dk", contact, records, extra=extra))
    assert r.code == code, r.msg
    assert r.msg.startswith(msg), r.msg
    assert await written(registry) == before
    assert (await c.request(frames.domain_check("refused.dk"))).find(
        ".//domain:name").get("avail") == "1"


async def test_the_refusal_names_the_record(ready) -> None:
    registry, c, contact = ready
    r = await c.request(create(registry, "second.dk", contact,
                               [ds(A), ds((1, 8, 1, SHA256))]))
    assert r.code == 2004
    assert r.msg == ("Bad digest length; secDNS:digest[2]: digest type 1 has 40 hex digits, "
                     "this one has 64"), r.msg
    assert ext_field(r) == ("secDNS:digest", 2)


async def test_update_extension_on_create_is_2001(ready) -> None:
    registry, c, contact = ready
    before = await written(registry)
    r = await c.request(frames.domain_create(
        "wrong-ext.dk", contact, NS, token=registry.token(),
        extra_ext=frames.secdns_update(add=[ds(A)])))
    assert r.code == 2001
    assert "secDNS:update" in r.msg
    assert await written(registry) == before


async def test_at_most_max_ds_records(registry_factory) -> None:
    async with registry_factory(max_ds=2) as registry:
        c, _ = await registry.registrar_client()
        contact = await setup_registrant(c)
        before = await written(registry)
        r = await c.request(create(registry, "many.dk", contact, [ds(A), ds(B), ds(C)]))
        assert r.code == 2308
        assert r.msg.startswith("Data management policy violation"), r.msg
        assert "at most 2 DS records; the create gives it 3" in r.msg
        assert await written(registry) == before
        r = await c.request(create(registry, "enough.dk", contact, [ds(A), ds(B)]))
        assert r.code == 1001, r.msg


async def test_a_refused_write_leaves_no_ds(registry) -> None:
    """Refusals found only when writing (the name taken, the account short) roll the DS
    records back with the rest: on PostgreSQL the one statement, on SQLite the
    transaction."""
    c, _ = await registry.registrar_client()
    contact = await setup_registrant(c)
    assert (await c.request(create(registry, "taken.dk", contact, [ds(A)]))).code == 1001
    rival, _ = await registry.registrar_client()
    rival_contact = await setup_registrant(rival, email="rival@example.dk")
    poor, _ = await registry.registrar_client(
        balance_ore=registry.settings.domain_price_ore - 1)
    poor_contact = await setup_registrant(poor, email="poor@example.dk")
    before = await written(registry)
    r = await rival.request(create(registry, "TAKEN.dk", rival_contact, [ds(B)]))
    assert r.code == 2302, r.msg
    r = await poor.request(create(registry, "poor.dk", poor_contact, [ds(B)]))
    assert r.code == 2104, r.msg
    assert await written(registry) == before
    assert await ds_of(registry, "taken.dk") == [A]


async def test_the_registrar_meta_role_suffices(registry) -> None:
    """DS records on create are part of the create (like its name servers): the Registrar
    meta-role that may create may sign; changing them later is the NSA's (update)."""
    c, handle = await registry.registrar_client()
    contact = await setup_registrant(c)
    creator = await client_with_roles(registry, handle, "registrar")
    r = await creator.request(create(registry, "by-role.dk", contact, [ds(A)]))
    assert r.code == 1001, r.msg
    assert await ds_of(registry, "by-role.dk") == [A]


async def test_flow2_ds_waits_for_acceptance_and_is_kept(registry) -> None:
    from dkreg.actions.domain.application_accept import application_accept

    registry.clock.set(datetime(2025, 1, 10, 9, 0, tzinfo=UTC))
    c, _ = await registry.registrar_client()
    contact = await setup_registrant(c)
    r = await c.request(create(registry, "flow2-signed.dk", contact, [ds(C), ds(A)],
                               token=False))
    assert r.code == 1001, r.msg
    assert r.dkhm("domain_confirmed") == "0"
    assert shown(await c.request(frames.domain_info("flow2-signed.dk"))) == [C, A]
    async with registry.db.begin() as conn:
        await application_accept(registry.ctx(conn), r.dkhm("trackingNo"))
    await registry.tick()
    info = await c.request(frames.domain_info("flow2-signed.dk"))
    assert [s.get("s") for s in info.findall(".//domain:status")] == ["ok"]
    assert shown(info) == [C, A]


async def test_flow2_cancelled_ds_do_not_come_back_with_the_name(registry) -> None:
    registry.clock.set(datetime(2025, 1, 10, 9, 0, tzinfo=UTC))
    c, _ = await registry.registrar_client()
    contact = await setup_registrant(c)
    r = await c.request(create(registry, "late-signed.dk", contact, [ds(A)], token=False))
    assert r.code == 1001, r.msg
    registry.clock.set(datetime(2025, 1, 15, tzinfo=UTC))  # past the acceptance deadline
    await registry.tick()
    assert (await c.request(frames.domain_info("late-signed.dk"))).code == 2303
    r = await c.request(frames.domain_create("late-signed.dk", contact, NS,
                                             token=registry.token()))
    assert r.code == 1001, r.msg
    await registry.tick()
    info = await c.request(frames.domain_info("late-signed.dk"))
    assert [s.get("s") for s in info.findall(".//domain:status")] == ["ok"]
    assert shown(info) == []
