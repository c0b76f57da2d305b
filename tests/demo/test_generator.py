"""The synthetic registry (``dkreg demo``): its shape, its determinism, and that the
registry it leaves behind is one the rest of dkreg works on — EPP creates and the
lifecycle go on, the journal is empty and its triggers are back, balances add up.

Both backends (the ``registry`` fixture); 2,000 domains keep the proportions
measurable (a binomial share of 65 % over ~1,950 domains has a standard deviation of
about 1.1 points) and the load under a second.
"""

from __future__ import annotations

import json
from collections import Counter
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select, text
from stdnum.dk import cvr as dk_cvr

from dkreg import cli
from dkreg.demo.generator import Generator, Plan
from dkreg.demo.load import DemoStats, RegistryNotEmpty, build
from dkreg.dns.content import in_zone_sql, owner_records
from dkreg.model.contact_rules import ContactInput, PostalInfo, initials_for, validate_contact
from dkreg.model.names import parse_domain_name
from dkreg.store.ledger import verify_all
from dkreg.store.schema import domains
from support import frames

N = 2000
SEED = 7


@pytest.fixture
async def demo(registry):  # type: ignore[no-untyped-def]
    stats = await build(registry.db, N, registrars=60, seed=SEED, now=registry.clock.now())
    return registry, stats


async def test_counts_are_what_it_says(demo) -> None:  # type: ignore[no-untyped-def]
    registry, stats = demo
    assert stats.domains == N
    for table, n in stats.counts.items():
        assert await registry.scalar(f"select count(*) from {table}") == n, table
    assert stats.counts["registrars"] == 60


async def test_a_few_registrars_hold_most_domains(demo) -> None:  # type: ignore[no-untyped-def]
    registry, _ = demo
    sizes = sorted((r[0] for r in await registry.rows(
        "select count(*) from domains group by coalesce(sponsor_id, billing_registrar_id)")),
        reverse=True)
    assert sum(sizes) == N and len(sizes) == 60
    assert sum(sizes[:6]) / N > 0.45  # the largest tenth holds about half
    assert sizes[0] >= 10 * sizes[30]  # and the median registrar a few dozen


async def test_about_65_percent_carry_ds(demo) -> None:  # type: ignore[no-untyped-def]
    registry, _ = demo
    live = await registry.scalar("select count(*) from domains where state <> 'released'")
    signed = await registry.scalar(
        "select count(distinct domain_id) from ds_records d join domains m on m.id = d.domain_id"
        " where m.state <> 'released'")
    assert 0.60 < signed / live < 0.70
    assert await registry.scalar(
        "select count(*) from ds_records where alg <> 13 or digest_type <> 2 "
        "or length(digest) <> 64") == 0
    # a key roll-over in progress here and there: two DS on one domain
    assert await registry.scalar(
        "select count(*) from (select domain_id from ds_records group by domain_id "
        "having count(*) = 2) x") > 0


async def test_both_management_models_are_consistent(demo) -> None:  # type: ignore[no-untyped-def]
    registry, _ = demo
    by_model = dict(await registry.rows(
        "select management, count(*) from domains group by management"))
    assert 0.10 < by_model["registrant"] / N < 0.20
    # registrar-managed: sponsored, with the registrar's own registrant contact;
    # registrant-managed: no sponsor, a registrar paying, a registrant-managed contact
    assert await registry.scalar(
        "select count(*) from domains d join contacts c on c.id = d.registrant_id where "
        "d.management <> c.management "
        "or (d.management = 'registrar' and (d.sponsor_id is null "
        "    or d.sponsor_id <> c.sponsor_id or d.billing_registrar_id is not null)) "
        "or (d.management = 'registrant' and (d.sponsor_id is not null "
        "    or c.sponsor_id is not null or d.billing_registrar_id is null "
        "    or not d.autorenew))") == 0


async def test_glue_only_in_bailiwick_and_shared_servers(demo) -> None:  # type: ignore[no-untyped-def]
    registry, _ = demo
    rows = await registry.rows(
        "select h.name, d.name from host_addrs a join hosts h on h.id = a.host_id "
        "left join domains d on d.id = h.domain_id")
    assert rows
    assert all(d is not None and h.endswith("." + d) for h, d in rows)
    assert {v for (v,) in await registry.rows("select distinct version from host_addrs")} == \
        {"v4", "v6"}
    # every host under a .dk domain has an address (the zone cannot delegate to it else)
    assert await registry.scalar(
        "select count(*) from hosts h where h.domain_id is not null and not exists "
        "(select 1 from host_addrs a where a.host_id = h.id)") == 0
    # shared: the hosting companies' servers serve many domains, out of bailiwick
    shared = await registry.scalar(
        "select count(*) from domain_ns n join hosts h on h.id = n.host_id "
        "where h.name = 'ns1.hosting-1.dk'")
    assert shared > 50
    own = await registry.scalar(
        "select count(distinct n.domain_id) from domain_ns n join hosts h on h.id = n.host_id"
        " where h.domain_id = n.domain_id and h.name not like '%.hosting-%'")
    assert own > 0
    async with registry.db.read() as conn:
        customer = (await conn.execute(text(
            "select d.name from domains d join domain_ns n on n.domain_id = d.id "
            "join hosts h on h.id = n.host_id where h.name = 'ns1.hosting-1.dk' "
            "and d.name <> 'hosting-1.dk' and d.state = 'active' and d.statuses = 'ok' "
            "order by d.id limit 1"))).scalar_one()
        zone = await owner_records(conn, ["hosting-1.dk", customer])
    types = Counter(t for t, _ in zone.records["ns1.hosting-1.dk"])
    assert types == {"A": 1, "AAAA": 1}  # glue in the hosting company's own delegation
    assert ("NS", "ns1.hosting-1.dk.") in zone.records[customer]
    assert {t for t, _ in zone.records[customer]} <= {"NS", "DS"}  # and none in theirs


async def test_names_are_stored_as_the_registry_stores_them(demo) -> None:  # type: ignore[no-untyped-def]
    registry, _ = demo
    rows = await registry.rows("select name, uname, roid from domains")
    assert len({n for n, _, _ in rows}) == N
    idn = 0
    for name, uname, roid in rows:
        parsed = parse_domain_name(uname)
        assert (parsed.alabel, parsed.ulabel, parsed.roid) == (name, uname, roid)
        idn += parsed.is_idn
    assert 0.03 * N < idn < 0.15 * N


async def test_contacts_pass_the_registrys_own_validation(demo) -> None:  # type: ignore[no-untyped-def]
    registry, _ = demo
    rows = await registry.rows("select * from contacts")
    foreign_non_ascii = companies = 0
    for r in rows:
        valid = validate_contact(ContactInput(
            postal=[PostalInfo(r.postal_type, r.name, r.org, json.loads(r.street), r.city,
                               r.sp, r.pc, r.cc)],
            voice=r.voice, fax=r.fax, email=r.email, user_type=r.user_type, cvr=r.cvr,
            ean=r.ean, pnumber=r.pnumber, mobilephone=r.mobilephone,
            secondary_email=r.secondary_email))
        assert (valid.user_type, valid.name, valid.org, valid.city, valid.pc, valid.cc,
                valid.postal_type, valid.voice, valid.email, valid.cvr) == \
            (r.user_type, r.name, r.org, r.city, r.pc, r.cc, r.postal_type, r.voice,
             r.email, r.cvr)
        assert r.handle == f"{initials_for(r.name, r.org)}{r.id}-DK"
        foreign_non_ascii += r.cc != "DK" and not r.city.isascii()
        if r.cc == "DK" and r.user_type == "company":
            companies += 1
            assert dk_cvr.is_valid(r.cvr)
    assert foreign_non_ascii > 0 and companies > 0
    # a registrant may hold several domains
    assert await registry.scalar("select count(*) from contacts") < 0.9 * N


async def test_situations_and_expiry_dates(demo) -> None:  # type: ignore[no-untyped-def]
    registry, _ = demo
    now = registry.clock.now()
    async with registry.db.read() as conn:  # through the schema: datetimes on SQLite too
        rows = (await conn.execute(select(domains))).all()
    kinds = Counter((r.state, r.statuses) for r in rows)
    for kind in [("active", "ok"), ("active", "serverHold"),
                 ("active", "pendingDelete serverHold"), ("application", "pendingCreate"),
                 ("released", "")]:
        assert kinds[kind] > 0, kind
    assert kinds[("active", "ok")] / N > 0.9
    assert any(r.suspended_at is not None for r in rows)
    months = {r.expires_at.strftime("%Y-%m") for r in rows if r.state == "active"}
    assert len(months) >= 12
    assert all(now < r.expires_at <= now + timedelta(days=366)
               for r in rows if r.state == "active")
    assert await registry.scalar("select count(*) from applications where state = 'queued'") \
        == kinds[("application", "pendingCreate")]
    async with registry.db.read() as conn:
        delegated = (await conn.execute(
            select(func.count()).select_from(domains).where(in_zone_sql()))).scalar_one()
    assert 0.9 < delegated / N < 0.97


async def test_balances_are_the_sum_of_the_ledger(demo) -> None:  # type: ignore[no-untyped-def]
    registry, _ = demo
    async with registry.db.read() as conn:
        assert await verify_all(registry.ctx(conn)) == []
    assert await registry.scalar("select min(balance_ore) from registrars") > 0


def test_the_same_seed_gives_the_same_rows_whatever_the_chunk() -> None:
    def rows(seed: int, chunk: int) -> dict[str, list[tuple[object, ...]]]:
        out: dict[str, list[tuple[object, ...]]] = {}
        for b in Generator(Plan(domains=700, registrars=20, seed=seed), chunk=chunk):
            out.setdefault(b.table, []).extend(b.rows)
        return out

    first = rows(3, 100)
    assert rows(3, 333) == first
    other = rows(4, 100)
    assert other["domains"] != first["domains"]
    assert len(first["domains"]) == 700


async def test_refuses_a_registry_that_is_not_empty(demo) -> None:  # type: ignore[no-untyped-def]
    registry, stats = demo
    with pytest.raises(RegistryNotEmpty, match="--force"):
        await build(registry.db, 300, now=registry.clock.now())
    assert await registry.scalar("select count(*) from domains") == N
    again: DemoStats = await build(registry.db, 300, registrars=10, now=registry.clock.now(),
                                   force=True)
    assert await registry.scalar("select count(*) from domains") == 300
    assert await registry.scalar("select count(*) from registrars") == 10
    assert await registry.scalar("select count(*) from zone_changes") == 0
    assert again.password != stats.password


async def test_epp_create_works_on_the_demo_registry(demo) -> None:  # type: ignore[no-untyped-def]
    """A demo registrar logs in over EPP, creates a contact and a domain on a hosting
    company's name servers, and the lifecycle activates it: ids continue after the
    loaded ones, and the activation is journalled (the triggers are on again)."""
    registry, stats = demo
    assert await registry.scalar("select count(*) from zone_changes") == 0
    c = await registry.client(stats.logins[0], stats.password)
    r = await c.request(frames.contact_create(verified=True, dkhm="4.5",
                                              email="ny@kunde.example"))
    assert r.code == 1000, r.msg
    handle = r.text(".//contact:id")
    ns = ["ns1.hosting-2.dk", "ns2.hosting-2.dk"]
    r = await c.request(frames.domain_create("efter-demo.dk", handle, ns,
                                             token=registry.token()))
    assert r.code == 1001, r.msg
    await registry.tick()
    r = await c.request(frames.domain_info("efter-demo.dk"))
    assert r.code == 1000
    assert "ok" in {s.get("s") for s in r.findall(".//domain:status")}
    assert await registry.scalar("select id from domains where name = 'efter-demo.dk'") > N
    journal = [n for (n,) in await registry.rows("select name from zone_changes")]
    assert "efter-demo.dk" in journal
    # and a demo application is processed by the same tick
    assert await registry.scalar(
        "select count(*) from applications where state = 'queued'") == 0


def test_cli_loads_and_refuses_a_second_time(db_url: str, tmp_path: Path,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    args = ["demo", "--data-dir", str(tmp_path), "--database-url", db_url,
            "--domains", "300", "--registrars", "12", "--seed", "5"]
    assert cli.main(args) == 0
    out = capsys.readouterr().out
    assert "300 domains" in out and "REG-500001" in out and "demo-epp-12" in out
    assert cli.main(args) == 2
    assert "--force" in capsys.readouterr().err
    assert cli.main([*args, "--force"]) == 0


SCHEMA_SQL = (
    "select 'index ' || indexname || ' ' || indexdef from pg_indexes "
    "where schemaname = current_schema() union all "
    "select 'constraint ' || conrelid::regclass::text || ' ' || conname || ' ' || "
    "pg_get_constraintdef(oid) || ' ' || convalidated::text from pg_constraint "
    "where connamespace = current_schema()::regnamespace union all "
    "select 'trigger ' || tgname || ' ' || tgenabled::text from pg_trigger where not tgisinternal "
    "order by 1")


async def test_postgres_schema_is_as_it_was_after_the_load(registry, backend: str) -> None:  # type: ignore[no-untyped-def]
    """The load sets indexes, foreign keys and the journal triggers aside
    (``demo/pg_bulk.py``): every one is back, validated and enabled, under its name."""
    if backend != "postgres":
        pytest.skip("PostgreSQL's bulk path")
    before = [r[0] for r in await registry.rows(SCHEMA_SQL)]
    await build(registry.db, 300, registrars=10, now=registry.clock.now())
    after = [r[0] for r in await registry.rows(SCHEMA_SQL)]
    assert after == before
    assert any(x.startswith("constraint domain_ns fk_") for x in after)
    assert any("uq_domains_live_name" in x for x in after)
