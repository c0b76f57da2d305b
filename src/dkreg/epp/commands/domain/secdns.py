"""secDNS-1.1 elements (RFC 5910) shared by create and update domain.

Only the shape is read here; the values and what .dk does not offer (``maxSigLife``,
``keyData``) are judged by the actions through ``model.dnssec``, so create and update
give the same answers.
"""

from __future__ import annotations

from lxml import etree

from dkreg.actions.domain.create import DsCreate
from dkreg.epp.codec.namespaces import SECDNS, q
from dkreg.epp.codec.xml import expect_only
from dkreg.model.dnssec import DsInput


def ds_data(d: etree._Element) -> DsInput:
    """The four DS values as text; an embedded keyData (optional in RFC 5910) is ignored,
    the registry publishes only the DS record."""
    expect_only(d, {"keyTag": (1, 1), "alg": (1, 1), "digestType": (1, 1), "digest": (1, 1),
                    "keyData": (0, 1)}, SECDNS)
    return (d.findtext(q(SECDNS, "keyTag")) or "", d.findtext(q(SECDNS, "alg")) or "",
            d.findtext(q(SECDNS, "digestType")) or "", d.findtext(q(SECDNS, "digest")) or "")


def decode_create(el: etree._Element) -> DsCreate:
    """``<secDNS:create>``: maxSigLife?, then dsData+ or keyData+ (RFC 5910 §5.2.1)."""
    expect_only(el, {"maxSigLife": (0, 1), "dsData": (0, 100), "keyData": (0, 100)}, SECDNS)
    return DsCreate(records=[ds_data(d) for d in el.findall(q(SECDNS, "dsData"))],
                    max_sig_life=el.find(q(SECDNS, "maxSigLife")) is not None,
                    key_data=el.find(q(SECDNS, "keyData")) is not None)
