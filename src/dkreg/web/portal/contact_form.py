"""The contact form's fields as EPP's create and update contact carry them.

One list of fields for the create and the edit page, one map from the fields the rules
name (``contact_rules.F_*``) to the form's, so an error from either action lands at the
field it is about. The address is sent as the ``loc`` block, which the registry uses for
any country (``contact_rules``), on create and update alike.
"""

from __future__ import annotations

from collections.abc import Collection

from dkreg.actions.contact.create import ContactCreate
from dkreg.actions.contact.info import ContactInfo
from dkreg.actions.contact.update import ContactUpdate, PostalChange
from dkreg.model import contact_rules as rules
from dkreg.model.contact_rules import ContactInput, PostalInfo

DATA_FIELDS = ("user_type", "name", "org", "street1", "street2", "street3", "city", "pc",
               "cc", "voice", "email", "cvr", "ean", "pnumber")
CREATE_FIELDS = (*DATA_FIELDS, "verified")
STREETS = ("street1", "street2", "street3")
ADDRESS = (*STREETS, "city", "pc", "cc")
ERRORS = {rules.F_USER_TYPE: "user_type", rules.F_NAME: "name", rules.F_ORG: "org",
          rules.F_STREET: "street1", rules.F_ADDR: "street1", rules.F_POSTAL: "street1",
          rules.F_CITY: "city", rules.F_PC: "pc", rules.F_CC: "cc", rules.F_VOICE: "voice",
          rules.F_EMAIL: "email", rules.F_CVR: "cvr", rules.F_EAN: "ean",
          rules.F_PNUMBER: "pnumber"}
# the stored column (what ``contact_editability`` locks) behind each form field
COLUMN = {"user_type": "user_type", "name": "name", "org": "org", "street1": "street",
          "street2": "street", "street3": "street", "city": "city", "pc": "pc", "cc": "cc",
          "cvr": "cvr", "ean": "ean", "voice": "voice", "email": "email",
          "pnumber": "pnumber"}


def _opt(v: dict[str, str], key: str) -> str | None:
    return v[key].strip() or None


def create_command(v: dict[str, str]) -> ContactCreate:
    """The form as EPP's create contact would carry it; empty fields are absent."""
    postal = PostalInfo(type="loc", name=_opt(v, "name"), org=_opt(v, "org"),
                        street=[v[k] for k in STREETS], city=v["city"].strip(), sp=None,
                        pc=_opt(v, "pc"), cc=v["cc"].strip())
    verified = True if v["verified"] else None
    return ContactCreate(id="auto", data=ContactInput(
        postal=[postal], voice=_opt(v, "voice"), fax=None, email=v["email"].strip(),
        user_type=_opt(v, "user_type"), cvr=_opt(v, "cvr"), ean=_opt(v, "ean"),
        pnumber=_opt(v, "pnumber"), mobilephone=None, secondary_email=None),
        verified_id=verified, verified_email=verified)


def current_values(info: ContactInfo) -> dict[str, str]:
    """The stored contact as the form shows it."""
    street = [*info.street, "", "", ""][:3]
    return {"user_type": info.user_type, "name": info.name or "", "org": info.org or "",
            "street1": street[0], "street2": street[1], "street3": street[2],
            "city": info.city, "pc": info.pc or "", "cc": info.cc, "voice": info.voice or "",
            "email": info.email, "cvr": info.cvr or "", "ean": info.ean or "",
            "pnumber": info.pnumber or ""}


def update_command(info: ContactInfo, v: dict[str, str], sent: Collection[str]
                   ) -> ContactUpdate:
    """EPP's update contact for the fields the form sent (a locked field is shown, not
    sent). Equal values are no change to the action, so the whole form may come back;
    an empty optional field clears it. The address travels whole, as ``contact:addr``
    does, with the state/province the form does not show kept as stored."""
    postal: dict[str, object] = {k: _opt(v, k) for k in ("name", "org") if k in sent}
    if any(k in sent for k in ADDRESS):
        mine = {**current_values(info), **{k: v[k] for k in ADDRESS if k in sent}}
        postal.update(street=[mine[k] for k in STREETS], city=mine["city"].strip(),
                      sp=info.sp, pc=mine["pc"].strip() or None, cc=mine["cc"].strip())
    fields = {k: _opt(v, k) for k in ("voice", "email", "user_type", "cvr", "ean", "pnumber")
              if k in sent}
    return ContactUpdate(id=info.handle, fields=fields,
                         postal=[PostalChange("loc", postal)] if postal else [])
