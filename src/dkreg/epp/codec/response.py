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
from dkreg.epp.codec.namespaces import DKHM_45, DKHM_PREFIX, EPP, PREFIX, q
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


def _steps(name: str) -> list[str]:
    """The element steps of a field, an unprefixed step taking the namespace of the
    step above it (``secDNS:create/dsData`` is secDNS:dsData; ``login/options`` stays
    in the EPP namespace)."""
    out: list[str] = []
    prefix = ""
    for step in name.split("/"):
        if not step or step.startswith("@"):
            continue
        if ":" in step.split("[", 1)[0]:
            prefix = step.split(":", 1)[0]
        elif prefix:
            step = f"{prefix}:{step}"
        out.append(step)
    return out


def field_element(name: str, value: str | None) -> Element | None:
    """The element a field names (``domain:hostObj``, ``secDNS:create/dsData``,
    ``login/options``, ``poll/@op``), empty unless the error knows the offending value.
    A field that names no EPP element (a web form's ``email``) has none."""
    steps = _steps(name)
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


def _step_matches(el: Element, step: str) -> bool:
    """Whether ``el`` is the element a field step names, in any version of its
    namespace family (a dkhm field matches dkhm-4.3 as well as dkhm-4.5)."""
    name, _, predicate = step.partition("[")
    prefix, _, local = name.rpartition(":")
    if not isinstance(el.tag, str) or etree.QName(el).localname != local:
        return False
    ns = etree.QName(el).namespace or ""
    if prefix == "dkhm":
        if not ns.startswith(DKHM_PREFIX):
            return False
    elif ns != (_FIELD_NS.get(prefix) if prefix else EPP):
        return False
    attr = re.fullmatch(r"@([\w-]+)='([^']*)'\]", predicate)
    return attr is None or el.get(attr.group(1)) == attr.group(2)


def offending_element(request: Element | None, name: str,
                      position: int | None) -> Element | None:
    """RFC 5730 §2.6: ``<value>`` holds the client-provided element that caused the
    error, so the one the field names is copied from the request as the client sent it
    (its namespace and version, its text). ``position`` counts within one list (the
    hostObj of one ``domain:add``); when more than one element could be meant (an add
    and a rem both long enough, or a check of several names without a position) none is
    copied: an empty ``<value>`` is better than the wrong one."""
    if request is None:
        return None
    steps = _steps(name)
    if not steps:
        return None
    found = [el for el in request.iter() if _path_matches(el, steps)]
    if position is not None:
        # keyed by the parent itself: an lxml proxy keeps its identity only while alive
        groups: dict[Element | None, list[Element]] = {}
        for el in found:
            groups.setdefault(el.getparent(), []).append(el)
        found = [g[position - 1] for g in groups.values() if 0 < position <= len(g)]
    if len(found) != 1:
        return None
    # serialised and parsed again: the copy declares only the namespaces it uses
    copy = etree.fromstring(etree.tostring(found[0], with_tail=False))
    for secret in copy.iter():
        # a password or token goes no further than the request (replies are logged)
        if isinstance(secret.tag, str) and etree.QName(secret).localname in _SECRET:
            secret.text = None
    return copy


_SECRET = {"pw", "newPW"}


def _path_matches(el: Element, steps: list[str]) -> bool:
    """``el`` is the last step and its ancestors the steps before it, nearest first
    (``domain:add/hostObj`` is a hostObj whose parent is an add)."""
    node: Element | None = el
    for step in reversed(steps):
        if node is None or not _step_matches(node, step):
            return False
        node = node.getparent()
    return True


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
    def from_error(cls, error: EppError, request: Element | None = None) -> Response:
        """``request``: the parsed frame, from which ``<value>`` copies the offending
        element when the error names a field but carries no value of its own."""
        ext: list[ExtValue] = []
        if error.field:
            element = field_element(error.field, error.value)
            if element is not None and error.value is None:
                sent = offending_element(request, error.field, error.position)
                element = element if sent is None else sent
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
