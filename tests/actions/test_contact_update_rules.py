"""update contact applies create's field rules to the merged contact: the matrix at the
action. tests/epp/test_contact_update.py keeps one case over the wire."""

from __future__ import annotations

import pytest

from actions.world import Refusal, World
from dkreg.actions.contact.update import ContactUpdate, PostalChange, contact_update

PUNKTUM_CVR = "24210375"
ADDR = "contact:postalInfo/contact:addr/contact:"


def addr(kind: str, street: str, city: str, pc: str, cc: str) -> PostalChange:
    return PostalChange(kind, {"street": [street], "city": city, "sp": None, "pc": pc,
                               "cc": cc})


@pytest.mark.parametrize(("postal", "fields", "code", "reason", "field", "position"), [
    ([], {"cvr": PUNKTUM_CVR}, 2306, "policy", "dkhm:CVR", None),
    ([], {"ean": "123"}, 2306, "policy", "dkhm:EAN", None),
    ([PostalChange("loc", {"org": "Firma"})], {}, 2306, "policy", "contact:org", None),
    ([addr("loc", "Vej 1", "Aarhus", "80000", "DK")], {}, 2005, "value_syntax", ADDR + "pc",
     None),
    # the street line's position counts from 0 (model/contact_rules.py), where name
    # servers and contacts count from 1
    ([addr("int", "Østergade 1", "Berlin", "10117", "DE")], {}, 2005, "value_syntax",
     ADDR + "street", 0),
    ([], {"voice": "+45.1234"}, 2005, "value_syntax", "contact:voice", None),
    ([], {"email": "not-an-address"}, 2005, "value_syntax", "contact:email", None),
    ([], {"mobilephone": "12345678"}, 2005, "value_syntax", "dkhm:mobilephone", None),
    ([], {"user_type": "company"}, 2003, "cvr_required", "dkhm:CVR", None),
])
async def test_same_field_rules_as_create(world: World, postal: list[PostalChange],
                                          fields: dict, code: int, reason: str,
                                          field: str, position: int | None) -> None:
    handle = await world.contact()
    before = await world.rows("select * from contacts")
    cmd = ContactUpdate(id=handle, postal=postal, fields=fields)
    assert await world.refusal(contact_update, cmd) == Refusal(code, reason, field, position)
    assert await world.rows("select * from contacts") == before
