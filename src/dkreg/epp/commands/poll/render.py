"""Poll message resData, by type (data conventions in ``actions/poll/queue.py``).

infData messages carry a snapshot of the object and are drawn by the info command's own
renderer, so a poll message and an ``info`` answer can never disagree on shape.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from dkreg.actions.poll.poll import PollMessage
from dkreg.actions.poll.snapshots import from_json
from dkreg.epp.codec.namespaces import CONTACT, DOMAIN, EPP, HOST
from dkreg.epp.codec.response import Element, obj, sub
from dkreg.epp.commands.contact import info as contact_info
from dkreg.epp.commands.domain import info as domain_info
from dkreg.epp.commands.host import info as host_info

Renderer = Callable[[dict[str, Any], str], tuple[list[Element], list[Element]]]


def _pan(ns: str, key: str) -> Renderer:
    def render(d: dict[str, Any], dkhm: str) -> tuple[list[Element], list[Element]]:
        pan = obj(ns, "panData")
        sub(pan, ns, key, d[key], paResult=d["paResult"])
        trid = sub(pan, ns, "paTRID")
        if d.get("clTRID"):
            sub(trid, EPP, "clTRID", d["clTRID"])
        sub(trid, EPP, "svTRID", d.get("svTRID") or "DKHM1-DK")
        sub(pan, ns, "paDate", d["paDate"])
        return [pan], []
    return render


def _domain_inf(d: dict[str, Any], dkhm: str) -> tuple[list[Element], list[Element]]:
    res, ext = domain_info.render(from_json("domain", d), dkhm)
    return [res], ext


def _contact_inf(d: dict[str, Any], dkhm: str) -> tuple[list[Element], list[Element]]:
    res, ext = contact_info.render(from_json("contact", d), dkhm)
    return [res], ext


def _host_inf(d: dict[str, Any], dkhm: str) -> tuple[list[Element], list[Element]]:
    return [host_info.render(from_json("host", d))], []


def _domain_trn(d: dict[str, Any], dkhm: str) -> tuple[list[Element], list[Element]]:
    trn = obj(DOMAIN, "trnData")
    sub(trn, DOMAIN, "name", d["name"])
    for tag in ("trStatus", "reID", "reDate", "acID", "acDate", "exDate"):
        if d.get(tag):
            sub(trn, DOMAIN, tag, d[tag])
    return [trn], []


RENDERERS: dict[str, Renderer] = {
    "domain:panData": _pan(DOMAIN, "name"),
    "host:panData": _pan(HOST, "name"),
    "contact:panData": _pan(CONTACT, "id"),
    "domain:infData": _domain_inf,
    "contact:infData": _contact_inf,
    "host:infData": _host_inf,
    "domain:trnData": _domain_trn,
}


def render_message(m: PollMessage, dkhm: str) -> tuple[list[Element], list[Element]]:
    res, ext = RENDERERS[m.kind](m.data, dkhm)
    if m.data.get("risk_assessment"):
        ext = [*ext, obj(dkhm, "risk_assessment", text=m.data["risk_assessment"])]
    return res, ext
