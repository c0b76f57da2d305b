"""Typed EPP responses and their rendering.

Handlers return a ``Response`` holding resData/extension elements built with the small
builder ``E``; the session adds the trID and serialises once.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime

from lxml import etree

from dkreg.clock import epp_time
from dkreg.details import render_detail
from dkreg.epp.codec.namespaces import DKHM_45, EPP, PREFIX, q
from dkreg.errors import EppError
from dkreg.messages import reason_text as text

Element = etree._Element


@dataclass
class MsgQ:
    count: int
    id: int
    q_date: datetime | None = None
    msg: str | None = None


@dataclass(frozen=True)
class ExtValue:
    """RFC 5730 §2.6: the offending element (``<value>``) and why (``<reason>``).
    ``position`` (1-based, in a list such as domain:hostObj) goes on ``<value>`` as an
    attribute, which epp-1.0.xsd allows (``anyAttribute``) and clients skip."""

    element: Element
    reason: str
    position: int | None = None


# prefix of a field name -> its namespace; dkhm fields in the newest dkhm namespace
_FIELD_NS = {prefix: ns for ns, prefix in PREFIX.items()} | {"dkhm": DKHM_45}


def field_element(name: str, value: str | None) -> Element | None:
    """The element a field names (``domain:hostObj``, ``secDNS:create/dsData``,
    ``login/options``, ``poll/@op``), empty unless the error knows the offending value.
    A field that names no EPP element (a web form's ``email``) has none."""
    steps = [s for s in name.split("/") if s and not s.startswith("@")]
    if not steps:
        return None
    last = steps[-1].split("[", 1)[0]
    prefix, _, local = last.rpartition(":")
    ns = _FIELD_NS.get(prefix) if prefix else (EPP if "/" in name else None)
    if ns is None or not local.replace("_", "a").replace("-", "a").isalnum() \
            or not local[0].isalpha():
        return None
    el = etree.Element(q(ns, local), nsmap={prefix or None: ns} if prefix else None)
    if value is not None:
        el.text = xml_text(value)
    return el


@dataclass
class Response:
    code: int
    msg: str
    res_data: list[Element] = field(default_factory=list)
    extensions: list[Element] = field(default_factory=list)
    msgq: MsgQ | None = None
    cl_trid: str | None = None
    sv_trid: str | None = None
    values: list[Element] = field(default_factory=list)  # <value> for errors
    ext_values: list[ExtValue] = field(default_factory=list)  # <extValue> for errors
    reason: str = "ok"  # catalogue key, for audit and tests
    close: bool = False  # close the connection after sending

    @classmethod
    def from_error(cls, error: EppError) -> Response:
        ext: list[ExtValue] = []
        if error.field:
            element = field_element(error.field, error.value)
            if element is not None:
                detail = render_detail(error.detail, "en")
                ext.append(ExtValue(element, detail or text("en", error), error.position))
        return cls(code=error.code, msg=error.message(), reason=error.reason, ext_values=ext)


def obj(ns: str, tag: str, *kids: Element | None, text: str | None = None,
        **attrs: str) -> Element:
    """Build ``<prefix:tag>`` in namespace ``ns`` with the conventional prefix."""
    prefix = PREFIX.get(ns, "dkhm" if ns.startswith("urn:dkhm") else None)
    el = etree.Element(q(ns, tag), nsmap={prefix: ns} if prefix else None)
    for k, v in attrs.items():
        el.set(k, v)
    if text is not None:
        el.text = text
    for kid in kids:
        if kid is not None:
            el.append(kid)
    return el


def sub(parent: Element, ns: str, tag: str, text: str | None = None, **attrs: str) -> Element:
    el = etree.SubElement(parent, q(ns, tag))
    for k, v in attrs.items():
        el.set(k, v)
    if text is not None:
        el.text = text
    return el


# what XML 1.0 cannot carry (C0 controls but tab, newline, return; surrogates; U+FFFE/F)
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_text(text: str) -> str:
    """``text`` as XML can hold it. Messages may echo what a client sent (an encoding
    name, a value); a character XML cannot hold must not turn the answer into an
    exception that ends the session, so it becomes U+FFFD."""
    return _NOT_XML.sub("\ufffd", text)


def render(resp: Response) -> bytes:
    root = etree.Element(q(EPP, "epp"), nsmap={None: EPP})
    r = etree.SubElement(root, q(EPP, "response"))
    result = etree.SubElement(r, q(EPP, "result"), code=str(resp.code))
    etree.SubElement(result, q(EPP, "msg")).text = xml_text(resp.msg)
    for v in resp.values:
        value = etree.SubElement(result, q(EPP, "value"))
        value.append(v)
    for ev in resp.ext_values:
        ext_value = etree.SubElement(result, q(EPP, "extValue"))
        value = etree.SubElement(ext_value, q(EPP, "value"))
        if ev.position is not None:
            value.set("position", str(ev.position))
        value.append(ev.element)
        etree.SubElement(ext_value, q(EPP, "reason")).text = xml_text(ev.reason)
    if resp.msgq is not None:
        mq = etree.SubElement(r, q(EPP, "msgQ"), count=str(resp.msgq.count), id=str(resp.msgq.id))
        if resp.msgq.q_date is not None:
            etree.SubElement(mq, q(EPP, "qDate")).text = epp_time(resp.msgq.q_date)
        if resp.msgq.msg is not None:
            etree.SubElement(mq, q(EPP, "msg")).text = xml_text(resp.msgq.msg)
    if resp.res_data:
        rd = etree.SubElement(r, q(EPP, "resData"))
        for el in resp.res_data:
            rd.append(el)
    if resp.extensions:
        ext = etree.SubElement(r, q(EPP, "extension"))
        for el in resp.extensions:
            ext.append(el)
    tr = etree.SubElement(r, q(EPP, "trID"))
    if resp.cl_trid:
        etree.SubElement(tr, q(EPP, "clTRID")).text = resp.cl_trid
    etree.SubElement(tr, q(EPP, "svTRID")).text = resp.sv_trid or "DKREG-0"
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=False)


def render_greeting(sv_id: str, sv_date: datetime, obj_uris: tuple[str, ...],
                    ext_uris: tuple[str, ...]) -> bytes:
    root = etree.Element(q(EPP, "epp"), nsmap={None: EPP})
    g = etree.SubElement(root, q(EPP, "greeting"))
    etree.SubElement(g, q(EPP, "svID")).text = sv_id
    etree.SubElement(g, q(EPP, "svDate")).text = epp_time(sv_date)
    menu = etree.SubElement(g, q(EPP, "svcMenu"))
    etree.SubElement(menu, q(EPP, "version")).text = "1.0"
    etree.SubElement(menu, q(EPP, "lang")).text = "en"
    for uri in obj_uris:
        etree.SubElement(menu, q(EPP, "objURI")).text = uri
    ext = etree.SubElement(menu, q(EPP, "svcExtension"))
    for uri in ext_uris:
        etree.SubElement(ext, q(EPP, "extURI")).text = uri
    dcp = etree.SubElement(g, q(EPP, "dcp"))
    access = etree.SubElement(dcp, q(EPP, "access"))
    etree.SubElement(access, q(EPP, "personalAndOther"))
    st = etree.SubElement(dcp, q(EPP, "statement"))
    purpose = etree.SubElement(st, q(EPP, "purpose"))
    etree.SubElement(purpose, q(EPP, "admin"))
    etree.SubElement(purpose, q(EPP, "prov"))
    recipient = etree.SubElement(st, q(EPP, "recipient"))
    etree.SubElement(recipient, q(EPP, "other"))
    etree.SubElement(recipient, q(EPP, "unrelated"))
    retention = etree.SubElement(st, q(EPP, "retention"))
    etree.SubElement(retention, q(EPP, "legal"))
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=False)
