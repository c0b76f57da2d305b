"""update domain: AuthInfo keywords, dkhm:autoRenew, no client statuses, the states
that forbid updates, and who may change what."""

from __future__ import annotations

import re

import pytest

from dkreg.actions.domain.update import DomainUpdate
from dkreg.errors import EppError
from epp.helpers import NS, setup_registrant
from epp.update_support import (
    MORE_NS,
    SHA256,
    client_with_roles,
    fingerprint,
    ready_registrar,
    sql,
    update_as_registry,
)
from support import frames

TOKEN = re.compile(r"REG-(TRANSFER|REDEL)-[0-9a-f]{32}")  # lower-case, as in the spec


@pytest.fixture
async def ready(registry):
    c, handle, contact = await ready_registrar(registry, "diverse.dk")
    return registry, c, handle


async def tokens(registry) -> list[tuple]:
    return [tuple(r) for r in await registry.rows(
        "select op, role, token, retracted_at is null from auth_tokens order by id")]


# -- authInfo ----------------------------------------------------------------------------

async def test_keywords_generate_tokens_and_null_retracts_them(ready) -> None:
    registry, c, _ = ready
    for keyword in ("autotransfer", "autoredel", "AUTO"):
        r = await c.request(frames.domain_update("diverse.dk", auth_pw=keyword))
        assert (r.code, r.msg) == (1000, "Command completed successfully")
    got = await tokens(registry)
    assert [(op, role, live) for op, role, _, live in got] == [
        ("transfer", "REG", False), ("redel", "REG", True), ("transfer", "REG", True)]
    assert all(TOKEN.fullmatch(t) and op.upper() in t for op, _, t, _ in got)
    # the response carries no token: the registry shows it in info domain only
    assert "REG-" not in r.raw.decode()
    r = await c.request(frames.domain_update("diverse.dk", auth_null=True))
    assert r.code == 1000, r.msg
    assert [live for *_, live in await tokens(registry)] == [False, False, False]


@pytest.mark.parametrize(("kw", "code", "msg"), [
    # not a keyword: a REDEL token, which only goes with a name-server change
    ({"auth_pw": "my-secret"}, 2306, "Nameserver changes required when specifying authinfo"),
    ({"auth_pw": "autotransfer", "auth_null": True}, 2002, "Command use error"),
    ({"auth_pw": " "}, 2003, "Value required for authinfo.pw"),
])
async def test_authinfo_syntax(ready, kw: dict, code: int, msg: str) -> None:
    registry, c, _ = ready
    r = await c.request(frames.domain_update("diverse.dk", **kw))
    assert r.code == code
    assert r.msg.startswith(msg), r.msg
    if code == 2306:
        assert "autotransfer" in r.msg and "autoredel" in r.msg
    assert await tokens(registry) == []


async def test_authinfo_privileges(ready) -> None:
    registry, c, handle = ready
    other, _ = await registry.registrar_client()
    r = await other.request(frames.domain_update("diverse.dk", auth_pw="autotransfer"))
    assert r.code == 2201
    assert r.msg.startswith("No privilege. You are not authorized to set authinfo"), r.msg
    r = await other.request(frames.domain_update("diverse.dk", auth_null=True))
    assert r.code == 2201
    assert r.msg.startswith("No privilege. You are not authorized to unset authinfo"), r.msg
    proxy_only = await client_with_roles(registry, handle, "proxy")
    r = await proxy_only.request(frames.domain_update("diverse.dk", auth_pw="autoredel"))
    assert r.code == 2201 and "Name Server Administrator meta-role" in r.msg, r.msg
    r = await proxy_only.request(frames.domain_update("diverse.dk", auth_pw="autotransfer"))
    assert r.code == 1000, r.msg
    assert [op for op, *_ in await tokens(registry)] == ["transfer"]


# -- autoRenew ---------------------------------------------------------------------------

async def test_autorenew_is_changed_by_the_sponsor(ready) -> None:
    registry, c, _ = ready
    r = await c.request(frames.domain_update("diverse.dk", ext=frames.autorenew_ext(False)))
    assert r.code == 1000, r.msg
    info = await c.request(frames.domain_info("diverse.dk"))
    assert info.dkhm("autoRenew") == "false"
    r = await c.request(frames.domain_update("diverse.dk", ext=frames.autorenew_ext("maybe")))
    assert r.code == 2005
    assert "dkhm:autoRenew" in r.msg
    other, _ = await registry.registrar_client()
    r = await other.request(frames.domain_update("diverse.dk", ext=frames.autorenew_ext(True)))
    assert r.code == 2201
    assert r.msg.startswith("No privilege. You are not authorized to change auto_renew")
    assert await registry.scalar(
        "select autorenew from domains where uname = 'diverse.dk'") in (False, 0)


async def test_autorenew_false_is_refused_for_a_registrant_managed_domain(ready) -> None:
    registry, c, _ = ready
    await sql(registry, "update domains set sponsor_id = null, management = 'registrant' "
                        "where uname = 'diverse.dk'")
    with pytest.raises(EppError) as e:
        await update_as_registry(registry, DomainUpdate(name="diverse.dk", autorenew=False))
    assert (e.value.code, e.value.reason) == (2004, "autorenew_registrant")
    assert e.value.message().startswith(
        "dkhm.autorenew 'N' not allowed with dkhm:management choice \"registrant\"")
    r = await c.request(frames.domain_update("diverse.dk", ext=frames.autorenew_ext(True)))
    assert r.code == 2201 and "registrant-managed" in r.msg, r.msg


# -- the request ---------------------------------------------------------------------------

@pytest.mark.parametrize(("kw", "code", "msg"), [
    ({"add_status": "clientHold"}, 2102, "Unimplemented option; domain:status"),
    ({"rem_status": "clientHold"}, 2102, "Unimplemented option; domain:status"),
    ({"ext": f'<dkhm:delDate xmlns:dkhm="{frames.dkhm_ns()}">2027-01-01T00:00:00.0Z'
             "</dkhm:delDate>"}, 2001, "Command syntax error"),
    ({"ext": frames.order_token_ext(0), "add_ns": MORE_NS[:1]}, 2306,
     "Parameter error. dkhm:orderconfirmationToken belongs to a change of registrant"),
])
async def test_request_refusals(ready, kw: dict, code: int, msg: str) -> None:
    registry, c, _ = ready
    before = await fingerprint(registry, "diverse.dk")
    r = await c.request(frames.domain_update("diverse.dk", **kw))
    assert r.code == code
    assert r.msg.startswith(msg), r.msg
    assert await fingerprint(registry, "diverse.dk") == before


async def test_an_empty_update_is_a_no_op_but_one_without_add_rem_chg_is_not(ready) -> None:
    registry, c, _ = ready
    audited = ("select count(*) from audit where object = 'diverse.dk' and command = :c "
               "and result_code = :code")
    before = await fingerprint(registry, "diverse.dk")
    done = await registry.scalar(audited, c="domain:update", code=1000)
    # the registry's published skeleton: <domain:add/><domain:rem/><domain:chg/>
    r = await c.request(frames.domain_update("diverse.dk"))
    assert (r.code, r.msg) == (1000, "Command completed successfully")
    assert await fingerprint(registry, "diverse.dk") == before  # not even updated_at
    assert await registry.scalar(audited, c="domain:update", code=1000) == done + 1
    # none of the elements: RFC 5731 §3.2.5's MUST is not met
    r = await c.request(frames.command(
        f"<update><domain:update {frames.DOMAIN}><domain:name>diverse.dk</domain:name>"
        "</domain:update></update>"))
    assert r.code == 2003
    assert r.msg.startswith("Required parameter missing; domain:update: an update needs at "
                            "least one of domain:add, domain:rem or domain:chg"), r.msg
    assert await fingerprint(registry, "diverse.dk") == before


async def test_an_empty_update_still_checks_the_domain_and_who_asks(ready) -> None:
    registry, c, _ = ready
    other, other_handle = await registry.registrar_client()
    r = await other.request(frames.domain_update("diverse.dk"))
    assert r.code == 2201
    assert r.msg.startswith("No privilege.;") and "not in the portfolio" in r.msg, r.msg
    r = await c.request(frames.domain_update("findes-ikke.dk"))
    assert r.code == 2303
    assert r.msg.startswith("Domain not found"), r.msg
    # registrant-managed, other as billing registrar: other is related, c no longer
    await sql(registry, "update domains set sponsor_id = null, management = 'registrant', "
                        "billing_registrar_id = (select id from registrars where handle = :h) "
                        "where uname = 'diverse.dk'", h=other_handle)
    before = await fingerprint(registry, "diverse.dk")
    assert (await other.request(frames.domain_update("diverse.dk"))).code == 1000
    r = await c.request(frames.domain_update("diverse.dk"))
    assert r.code == 2201 and "registrant-managed" in r.msg, r.msg
    assert await fingerprint(registry, "diverse.dk") == before
    await sql(registry, "update domains set statuses = 'serverUpdateProhibited' "
                        "where uname = 'diverse.dk'")
    r = await other.request(frames.domain_update("diverse.dk"))
    assert r.code == 2304
    assert r.msg.startswith("Domain status prohibits operation"), r.msg


async def test_an_rgp_update_is_a_restore(ready) -> None:
    registry, c, _ = ready
    r = await c.request(frames.domain_restore("diverse.dk", op="request"))
    assert r.code == 2102
    assert "rgp:restore/@op" in r.msg


async def test_unknown_domain(ready) -> None:
    _, c, _ = ready
    r = await c.request(frames.domain_update("findes-ikke.dk", add_ns=MORE_NS))
    assert r.code == 2303
    assert r.msg.startswith("Domain not found"), r.msg


@pytest.mark.parametrize("change", [
    "statuses = 'pendingDelete redemptionPeriod'", "statuses = 'serverUpdateProhibited'",
    "redemption_until = '2026-07-01 10:00:00'", "state = 'application'"])
async def test_states_that_forbid_updates(ready, change: str) -> None:
    registry, c, _ = ready
    await sql(registry, f"update domains set {change} where uname = 'diverse.dk'")
    before = await fingerprint(registry, "diverse.dk")
    r = await c.request(frames.domain_update("diverse.dk", add_ns=MORE_NS))
    assert r.code == 2304
    assert r.msg.startswith("Domain status prohibits operation"), r.msg
    assert await fingerprint(registry, "diverse.dk") == before


async def test_an_application_cannot_be_updated(registry) -> None:
    c, _ = await registry.registrar_client()
    contact = await setup_registrant(c)
    assert (await c.request(frames.domain_create("ansoegt.dk", contact, NS,
                                                 token=registry.token()))).code == 1001
    r = await c.request(frames.domain_update("ansoegt.dk", ext=frames.autorenew_ext(False)))
    assert r.code == 2304
    assert "pendingCreate" in r.msg


# -- privileges --------------------------------------------------------------------------

DS = frames.secdns_update(add=[frames.ds_data(1, 13, 2, SHA256)])


@pytest.mark.parametrize("kw", [{"add_ns": MORE_NS[:1]}, {"ext": DS}])
async def test_name_servers_and_ds_need_the_sponsor_with_the_nsa_role(ready, kw: dict) -> None:
    registry, c, handle = ready
    other, _ = await registry.registrar_client()
    proxy_only = await client_with_roles(registry, handle, "proxy payer")
    before = await fingerprint(registry, "diverse.dk")
    r = await other.request(frames.domain_update("diverse.dk", **kw))
    assert r.code == 2201
    assert r.msg.startswith("No privilege.;") and "not in the portfolio" in r.msg, r.msg
    r = await proxy_only.request(frames.domain_update("diverse.dk", **kw))
    assert r.code == 2201
    assert "Name Server Administrator meta-role" in r.msg, r.msg
    assert await fingerprint(registry, "diverse.dk") == before
    nsa_only = await client_with_roles(registry, handle, "nsa")
    assert (await nsa_only.request(frames.domain_update("diverse.dk", **kw))).code == 1000


async def test_a_registrant_managed_domain_is_changed_by_its_registrant(ready) -> None:
    registry, c, handle = ready
    await sql(registry, "update domains set sponsor_id = null, management = 'registrant' "
                        "where uname = 'diverse.dk'")
    c2 = await client_with_roles(registry, handle, "registrar proxy payer nsa")
    # (a third 2201 in one session would close it)
    for client, kw in ((c, {"add_ns": MORE_NS[:1]}), (c, {"ext": DS}),
                       (c2, {"auth_pw": "autotransfer"})):
        r = await client.request(frames.domain_update("diverse.dk", **kw))
        assert r.code == 2201
        assert "diverse.dk is registrant-managed: only its registrant may" in r.msg, r.msg
