"""What a command handler receives, and helpers for reading dkhm extensions."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from lxml import etree

from dkreg.actions.context import Ctx
from dkreg.epp.codec.namespaces import DKHM_44, DKHM_45, DKHM_VERSIONS, EXTENSION_URIS, RGP
from dkreg.epp.codec.xml import Frame, element_name, local, ns_of
from dkreg.errors import err

if TYPE_CHECKING:
    from dkreg.epp.services import Services
    from dkreg.epp.session import Session


# elements that exist only from a given dkhm version on (SPEC-DIGEST §3)
INTRODUCED = {"vid": DKHM_44, "sole_proprietorship": DKHM_45, "contact_verification": DKHM_45}


@dataclass
class Request:
    frame: Frame
    ctx: Ctx
    session: Session
    services: Services
    raw: bytes

    @property
    def dkhm(self) -> str:
        """The dkhm namespace this session answers in (the newest one it announced)."""
        return self.session.dkhm_ns

    def extensions(self, allowed: set[str], *, secdns: bool = False,
                   rgp: bool = False) -> dict[str, etree._Element]:
        """dkhm extension elements of this command by local name.

        An extension in a namespace the server does not speak is 2103; a dkhm element
        that has no meaning for this command is 2001 naming it, rather than being
        silently ignored.
        """
        found: dict[str, etree._Element] = {}
        for el in self.frame.extensions:
            ns = ns_of(el)
            if ns in DKHM_VERSIONS:
                name = local(el)
                if name not in allowed:
                    raise err(2001, "syntax", field=element_name(el),
                              detail=f"<dkhm:{name}> is not allowed with this command")
                since = INTRODUCED.get(name)
                if since and DKHM_VERSIONS.index(ns) < DKHM_VERSIONS.index(since):
                    raise err(2001, "syntax", field=element_name(el),
                              detail=f"<dkhm:{name}> exists from {since} on, not in {ns}")
                if name in found:
                    raise err(2001, "syntax", field=element_name(el),
                              detail=f"<dkhm:{name}> given twice")
                found[name] = el
            elif (ns in EXTENSION_URIS and secdns) or (ns == RGP and rgp):
                found[f"{{{ns}}}{local(el)}"] = el
            elif ns in EXTENSION_URIS or ns == RGP:
                raise err(2001, "syntax", field=element_name(el),
                          detail=f"<{element_name(el)}> is not allowed with this command")
            else:
                raise err(2103, "unimplemented_extension", field=element_name(el),
                          detail=f"extension namespace {ns} is not supported")
        return found
