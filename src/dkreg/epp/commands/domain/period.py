"""``<domain:period unit="y">N</domain:period>``, shared by create and renew.

Only the syntax is read here (2005 for a non-number); the range and the unit are the
actions' rules, so that the portal's forms get the same answers.
"""

from __future__ import annotations

from lxml import etree

from dkreg.details import Detail
from dkreg.epp.codec.namespaces import DOMAIN, q
from dkreg.errors import err


def decode_period(el: etree._Element) -> tuple[int | None, str]:
    """(years or None when absent, unit)."""
    period_el = el.find(q(DOMAIN, "period"))
    if period_el is None:
        return None, "y"
    raw = (period_el.text or "").strip()
    if not raw.isdigit():
        raise err(2005, "value_syntax", field="domain:period",
                  detail=Detail("period_must_whole_number_years"))
    return int(raw), period_el.get("unit", "")
