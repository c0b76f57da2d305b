"""What a command handler receives, and helpers for reading dkhm extensions."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from lxml import etree

from dkreg.details import Detail
from dkreg.epp.codec.namespaces import DKHM_44, DKHM_45, DKHM_VERSIONS, EXTENSION_URIS, RGP
from dkreg.epp.codec.xml import Frame, element_name, local, ns_of
from dkreg.errors import err
from dkreg.store.context import Ctx

if TYPE_CHECKING:
    from dkreg.epp.session import Session
    from dkreg.services import Services


# elements that exist only from a given dkhm version on (SPEC-DIGEST §3)
INTRODUCED = {"vid": DKHM_44, "sole_proprietorship": DKHM_45, "contact_verification": DKHM_45}


def request_dkhm(frame: Frame) -> str | None:
    """The dkhm namespace of the request's own dkhm elements, None when it has none.

    The elements are the top-level children of ``<extension>`` and, for an extension
    command, ``<dkhm:command>`` itself. A request that mixes versions (a 4.3 token beside
    a 4.5 ``management``) gets the newest of them: only that one can carry every element
    the answer may need, and the client has shown it writes it.
    """
    found = {ns_of(el) for el in frame.extensions}
    if frame.verb == "extension" and frame.command is not None:
        found.add(ns_of(frame.command))
    versions = [ns for ns in DKHM_VERSIONS if ns in found]
    return versions[-1] if versions else None


@dataclass
class Request:
    frame: Frame
    ctx: Ctx
    session: Session
    services: Services
    raw: bytes

    @property
    def dkhm(self) -> str:
        """The dkhm namespace this response is written in.

        A client reads answers in the namespace it writes (Net::DRI announces every
        extURI of the greeting but parses only its own version), so a request with dkhm
        elements is answered in their namespace; one without any (info, check, poll) in
        the session's version (``Session.dkhm_ns``: the service user's pinned version,
        else the first one listed at login).
        """
        return request_dkhm(self.frame) or self.session.dkhm_ns

    @property
    def obj(self) -> etree._Element:
        """The object element (``<domain:create>``, ...), for the handlers of verbs that
        have one: ``decode_frame`` refuses such a command without exactly one, so a
        missing one here is a dispatch bug, not a client's error."""
        if self.frame.obj is None:
            raise RuntimeError(f"<{self.frame.verb}> dispatched without an object element")
        return self.frame.obj

    @property
    def verb_element(self) -> etree._Element:
        """The verb element (``<poll>``, ``<transfer>``): every command frame has one."""
        if self.frame.verb_element is None:
            raise RuntimeError(f"<{self.frame.verb}> dispatched without a verb element")
        return self.frame.verb_element

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
                              detail=Detail("dkhm_not_allowed_with_this", name=name))
                since = INTRODUCED.get(name)
                if since and DKHM_VERSIONS.index(ns) < DKHM_VERSIONS.index(since):
                    raise err(2001, "syntax", field=element_name(el),
                              detail=Detail("dkhm_exists_from_not", name=name, since=since, ns=ns))
                if name in found:
                    raise err(2001, "syntax", field=element_name(el),
                              detail=Detail("dkhm_given_twice", name=name))
                found[name] = el
            elif (ns in EXTENSION_URIS and secdns) or (ns == RGP and rgp):
                found[f"{{{ns}}}{local(el)}"] = el
            elif ns in EXTENSION_URIS or ns == RGP:
                raise err(2001, "syntax", field=element_name(el),
                          detail=Detail("not_allowed_with_this_command", el=element_name(el)))
            else:
                raise err(2103, "unimplemented_extension", field=element_name(el),
                          detail=Detail("extension_namespace_not_supported", ns=ns))
        return found
