"""The disclosure rule of public lookups: what WHOIS/RDAP show of a domain and its
registrant (a person by country only; an organisation by name and address, and its
e-mail once the 2025 rule applies; never a handle or a phone number)."""

from __future__ import annotations

from datetime import UTC, datetime

from dkreg.model.public_view import (
    PublicContact,
    PublicDomain,
    domain_view,
    public_status,
    public_view,
    registrant_view,
)

CREATED = datetime(2024, 3, 4, 10, 0, tzinfo=UTC)
EXPIRES = datetime(2026, 3, 31, 22, 0, tzinfo=UTC)


def person(**kw: object) -> PublicContact:
    values: dict = dict(handle="PER1-DK", user_type="individual", name="Per Hansen",
                        org=None, street=("Vej 1",), pc="2100", city="København Ø", cc="DK",
                        email="per@example.dk", voice="+45.12345678")
    return PublicContact(**{**values, **kw})


def firm(**kw: object) -> PublicContact:
    values: dict = dict(handle="FIRM1-DK", user_type="company", name="Ida Jensen",
                        org="Firma ApS", street=("Gade 2", "3. sal"), pc="8000", city="Aarhus C",
                        cc="DK", email="ida@firma.dk", secondary_email="info@firma.dk",
                        cvr="12345678", voice="+45.87654321")
    return PublicContact(**{**values, **kw})


def domain(**kw: object) -> PublicDomain:
    values: dict = dict(uname="æble.dk", state="active", statuses="ok", management="registrar",
                        created_at=CREATED, expires_at=EXPIRES, period_years=1,
                        registrar="Reg A/S (REG-1)", nameservers=("ns1.example.dk",
                                                                  "ns2.example.dk"))
    return PublicDomain(**{**values, **kw})


def test_a_person_is_shown_by_country_only() -> None:
    shown = registrant_view(person(), publish_org_email=True)
    assert shown.shown == {"country": "DK"}
    assert set(shown.withheld) == {"handle", "name", "address", "postal_code", "city",
                                   "email", "phone"}


def test_an_organisation_is_shown_with_name_address_and_its_public_email() -> None:
    shown = registrant_view(firm(), publish_org_email=True).shown
    assert shown == {"name": "Firma ApS", "address": "Gade 2, 3. sal", "postal_code": "8000",
                     "city": "Aarhus C", "country": "DK", "email": "info@firma.dk"}
    without_cvr = registrant_view(firm(cvr=None), publish_org_email=True).shown
    assert without_cvr["email"] == "ida@firma.dk"  # secondary e-mail only for CVR contacts
    before = registrant_view(firm(), publish_org_email=False)
    assert "email" not in before.shown and "email" in before.withheld
    assert before.withheld == ("handle", "email", "phone")
    assert registrant_view(firm(), publish_org_email=True).withheld == ("handle", "phone")


def test_the_domain_shows_its_registrar_only_when_registrar_managed() -> None:
    shown = domain_view(domain()).shown
    assert shown == {"domain": "æble.dk", "status": "active", "registered": "2024-03-04",
                     "expires": "2026-03-31", "period": "1", "registrar": "Reg A/S (REG-1)",
                     "vid": "no", "dnssec": "unsigned",
                     "nameservers": "ns1.example.dk, ns2.example.dk"}
    assert domain_view(domain()).withheld == ()  # a field with no value is not "withheld"
    own = domain_view(domain(management="registrant", registrar="Payer (REG-2)"))
    assert "registrar" not in own.shown and own.withheld == ("registrar",)
    assert domain_view(domain(signed=True)).shown["dnssec"] == "signed"


def test_public_status_words() -> None:
    assert public_status(domain(statuses="serverHold")) == "inactive"
    assert public_status(domain(state="application", statuses="pendingCreate")) == "inactive"
    out = domain(statuses="pendingDelete serverHold", redemption_until=EXPIRES)
    assert public_status(out) == "pending delete"
    assert domain_view(out).shown["delete_date"] == "2026-03-31"


def test_public_view_combines_both() -> None:
    view = public_view(domain(), person(), publish_org_email=True)
    assert view.domain.shown["domain"] == "æble.dk" and view.registrant.shown == {"country": "DK"}
