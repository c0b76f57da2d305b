"""update domain, DNSSEC (secDNS-1.1 update, dsData only): add, remove, replace, the
registry's texts for every refusal, and the order NS-before-DS within one command."""

from __future__ import annotations

import pytest

from dkreg.actions.domain.update import DomainUpdate, DsUpdate
from epp.helpers import NS
from epp.update_support import (
    MORE_NS,
    SHA1,
    SHA256,
    SHA384,
    drain,
    ds_of,
    fingerprint,
    ns_of,
    ready_registrar,
    update_as_registry,
)
from support import frames

A = (12345, 13, 2, SHA256)
B = (54321, 8, 1, SHA1)
C = (52378, 13, 4, SHA384)


def ds(rec: tuple, **kw) -> str:
    return frames.ds_data(*rec, **kw)


def upd(**kw) -> str:
    return frames.domain_update("signeret.dk", ext=frames.secdns_update(**kw))


@pytest.fixture
async def ready(registry):
    c, handle, _ = await ready_registrar(registry, "signeret.dk")
    return registry, c


async def test_add_stores_upper_case_digests(ready) -> None:
    registry, c = ready
    lower = (A[0], A[1], A[2], A[3].lower())
    r = await c.request(upd(add=[ds(lower), ds(B)]))
    assert (r.code, r.msg) == (1000, "Command completed successfully")
    assert await ds_of(registry, "signeret.dk") == [A, B]


async def test_remove_one_then_replace_all(ready) -> None:
    registry, c = ready
    assert (await c.request(upd(add=[ds(A), ds(B)]))).code == 1000
    r = await c.request(upd(rem=[ds((B[0], B[1], B[2], B[3].lower()))]))
    assert r.code == 1000, r.msg
    assert await ds_of(registry, "signeret.dk") == [A]
    # the registry's own "replace" example: rem all + add
    r = await c.request(upd(rem_all=True, add=[ds(C)]))
    assert r.code == 1000, r.msg
    assert await ds_of(registry, "signeret.dk") == [C]
    r = await c.request(upd(rem_all=True))
    assert r.code == 1000, r.msg
    assert await ds_of(registry, "signeret.dk") == []


async def test_embedded_key_data_is_ignored(ready) -> None:
    registry, c = ready
    r = await c.request(upd(add=[ds(A, key_data=True)]))
    assert r.code == 1000, r.msg
    assert await ds_of(registry, "signeret.dk") == [A]


@pytest.mark.parametrize(("kw", "code", "msg"), [
    ({"rem_all": True, "rem": [ds(A)]}, 2306,
     'Remove "all" and specific keys not allowed in same operation.'),
    ({"rem": [ds(C)]}, 2303, "DS set not found"),
    ({"add": [ds(A)]}, 2302, "DS set already exists"),
    ({"add": [ds((1, 13, 2, SHA1))]}, 2004, "Bad digest length"),
    ({"add": [ds((1, 13, 2, SHA256[:-2] + "ZZ"))]}, 2005, "Parameter value syntax error"),
    ({"add": [ds((1, 1, 2, SHA256))]}, 2004, "Parameter value range error"),
    ({"add": [ds((70000, 13, 2, SHA256))]}, 2004, "Parameter value range error"),
    ({"add": [ds(C), ds(C)]}, 2306, "Parameter error. the same DS record is listed twice"),
    ({"chg": "<secDNS:maxSigLife>604800</secDNS:maxSigLife>"}, 2307,
     "maxSigLife not supported"),
    ({"add": [ds(C)], "add_extra": "<secDNS:maxSigLife>604800</secDNS:maxSigLife>"}, 2307,
     "maxSigLife not supported"),
    ({"add_extra": "<secDNS:keyData><secDNS:flags>257</secDNS:flags><secDNS:protocol>3"
                   "</secDNS:protocol><secDNS:alg>13</secDNS:alg><secDNS:pubKey>AQID"
                   "</secDNS:pubKey></secDNS:keyData>"}, 2306,
     "Parameter error. only dsData is supported"),
    ({"add": [ds(C)], "urgent": True}, 2102, "Unimplemented option"),
])
async def test_refusals_change_nothing(ready, kw: dict, code: int, msg: str) -> None:
    registry, c = ready
    assert (await c.request(upd(add=[ds(A)]))).code == 1000
    before = await fingerprint(registry, "signeret.dk")
    r = await c.request(upd(**kw))
    assert r.code == code
    assert r.msg.startswith(msg), r.msg
    assert await fingerprint(registry, "signeret.dk") == before


async def test_remove_all_without_records_is_2303(ready) -> None:
    registry, c = ready
    r = await c.request(upd(rem_all=True))
    assert r.code == 2303
    assert r.msg.startswith("No DS records for domain"), r.msg


async def test_at_most_max_ds_records(registry_factory) -> None:
    async with registry_factory(max_ds=2) as registry:
        c, _, _ = await ready_registrar(registry, "signeret.dk")
        assert (await c.request(upd(add=[ds(A), ds(B)]))).code == 1000
        r = await c.request(upd(add=[ds(C)]))
        assert r.code == 2308
        assert r.msg.startswith("Data management policy violation"), r.msg
        assert "at most 2 DS records" in r.msg
        # replacing keeps within the limit
        assert (await c.request(upd(rem=[ds(B)], add=[ds(C)]))).code == 1000
        assert await ds_of(registry, "signeret.dk") == [A, C]


async def test_a_failing_ds_part_rolls_back_the_name_server_part(ready) -> None:
    registry, c = ready
    assert (await c.request(upd(add=[ds(A)]))).code == 1000
    before = await fingerprint(registry, "signeret.dk")
    r = await c.request(frames.domain_update(
        "signeret.dk", add_ns=MORE_NS, rem_ns=NS,
        ext=frames.secdns_update(rem=[ds(C)])))
    assert r.code == 2303 and r.msg.startswith("DS set not found"), r.msg
    assert await fingerprint(registry, "signeret.dk") == before
    assert await ns_of(registry, "signeret.dk") == NS


async def test_ns_change_then_ds_parts_in_the_same_command(ready) -> None:
    registry, c = ready
    assert (await c.request(upd(add=[ds(A), ds(B)]))).code == 1000
    # removing a record the name-server change already removed is what the client asked
    r = await c.request(frames.domain_update(
        "signeret.dk", add_ns=MORE_NS, rem_ns=NS,
        ext=frames.secdns_update(rem=[ds(A)], add=[ds(C)])))
    assert r.code == 1000, r.msg
    assert await ns_of(registry, "signeret.dk") == MORE_NS
    assert await ds_of(registry, "signeret.dk") == [C]


async def test_a_ds_change_by_the_registry_is_told_to_the_sponsor(ready) -> None:
    registry, c = ready
    await update_as_registry(registry, DomainUpdate(
        name="signeret.dk", ds=DsUpdate(add=[tuple(map(str, A))])))
    messages = await drain(c)
    assert [m for m, _ in messages] == ["DS records has been changed for signeret.dk"]
    assert await ds_of(registry, "signeret.dk") == [A]
