"""Demo data for a fresh sandbox: one registrar with money, an EPP user, a portal
administrator, a verified registrant and two name servers, so a developer can create a
domain at once and look at the registrar portal; the registrar is on the public list.
As the registry's own sandbox, ``punktum.dk`` is reserved (unavailable in DAS and
WHOIS) and ``waiting-list.dk`` is offered to its waiting list (simulated)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from sqlalchemy import func, insert, select

from dkreg.actions.account.public_info import PublicInfo, public_info_store
from dkreg.actions.account.registrars import registrar_create, user_create
from dkreg.actions.portal.users import portal_user_create
from dkreg.model.passwords import generate_password
from dkreg.store.context import Ctx
from dkreg.store.schema import (
    contacts,
    hosts,
    registrars,
    reserved_names,
    waiting_list_offers,
)

DEMO_REGISTRAR = "REG-100001"
DEMO_LOGIN = "demo-epp"
DEMO_PORTAL_EMAIL = "admin@demo-registrar.example"
DEMO_NAME = "Demo Registrar ApS"
DEMO_EMAIL = "hostmaster@demo-registrar.example"


@dataclass
class DemoCredentials:
    registrar: str
    login: str
    password: str
    registrant: str
    hosts: list[str]
    # credentials files written before the portal existed have no portal user
    portal_email: str | None = None
    portal_password: str | None = None


async def seed_if_empty(ctx: Ctx, data_dir: Path) -> DemoCredentials | None:
    cred_file = data_dir / "demo-credentials.json"
    count = (await ctx.conn.execute(select(func.count()).select_from(registrars))).scalar_one()
    if count:
        if cred_file.exists():
            return DemoCredentials(**json.loads(cred_file.read_text()))
        return None
    rid = await registrar_create(ctx, DEMO_REGISTRAR, DEMO_NAME, DEMO_EMAIL,
                                 balance_ore=100_000_00)
    # listed, so the public registrar list (/registrars) of a fresh sandbox is not empty
    await public_info_store(ctx, rid, PublicInfo(
        offers_registrar_management=True, public_name=DEMO_NAME,
        website="https://www.demo-registrar.example", email=DEMO_EMAIL, logo_url=None,
        listed=True), by="sandbox demo data")
    # 16 characters: the registry allows 64, but RFC 5730's pwType (6-16) is all that
    # RFC-strict clients (Net::DRI) send at login
    password = generate_password(16)
    await user_create(ctx, DEMO_REGISTRAR, DEMO_LOGIN, "epp", password)
    portal_password = generate_password()
    await portal_user_create(ctx, DEMO_REGISTRAR, DEMO_PORTAL_EMAIL, "administration",
                             portal_password)
    handle = "DEMO1-DK"
    await ctx.conn.execute(insert(contacts).values(
        handle=handle, sponsor_id=rid, management="registrar", user_type="individual",
        name="Demo Registrant", org=None, street=json.dumps(["Demovej 1"]), city="København",
        sp=None, pc="2300", cc="DK", postal_type="loc", voice="+45.12345678",
        email="registrant@demo-registrar.example", id_status="completed",
        email_status="completed", match_key="demo", created_by=DEMO_REGISTRAR,
        created_at=ctx.now))
    names = ["ns1.demo-dns.net", "ns2.demo-dns.net"]
    await ctx.conn.execute(insert(hosts), [
        {"name": n, "sponsor_id": rid, "nsa_id": rid, "statuses": "ok",
         "created_by": DEMO_REGISTRAR, "created_at": ctx.now} for n in names])
    await ctx.conn.execute(insert(reserved_names).values(
        name="punktum.dk", uname="punktum.dk", reason="the registry's own name",
        created_at=ctx.now))
    await ctx.conn.execute(insert(waiting_list_offers).values(
        name="waiting-list.dk", uname="waiting-list.dk", offered_at=ctx.now,
        offered_until=ctx.now + timedelta(days=3650)))
    creds = DemoCredentials(DEMO_REGISTRAR, DEMO_LOGIN, password, handle, names,
                            DEMO_PORTAL_EMAIL, portal_password)
    cred_file.write_text(json.dumps(creds.__dict__, indent=2))
    cred_file.chmod(0o600)
    return creds
