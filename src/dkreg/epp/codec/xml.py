"""The one safe XML parser, and helpers for reading commands.

Every byte a client sends is hostile until parsed here: no DTD, no entity expansion,
no network, no huge trees. Helpers raise 2001 errors that name the element, so a
registrar's developer sees *which* element is wrong rather than "syntax error".
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from lxml import etree

from dkreg.details import Detail
from dkreg.epp.codec.namespaces import EPP, q
from dkreg.errors import err


class ExternalResourceRefused(Exception):
    """The parser was asked to open a URL (DTD, entity, XInclude): never allowed."""


class _RefuseEveryUrl(etree.Resolver):
    """Refuses every URL libxml2 asks for.

    ``load_dtd=False`` and ``no_network=True`` are not enough: libxml2 still opens a
    ``file://`` external subset or parameter entity the document names (issue 11 saw
    ``/etc/shadow`` opened). lxml asks its resolvers before libxml2's own loader, so
    raising here stops the open before any system call, and the same exception for
    every URL means a missing and an existing file cannot be told apart.
    """

    def resolve(self, system_url: str | None, public_id: str | None, context: object) -> None:
        raise ExternalResourceRefused()


def _safe_parser() -> etree.XMLParser:
    parser = etree.XMLParser(
        encoding="UTF-8",  # never let libxml2 guess (UTF-16 without a BOM) or obey a declaration
        resolve_entities=False, no_network=True, load_dtd=False, dtd_validation=False,
        attribute_defaults=False, huge_tree=False, remove_comments=True, remove_pis=True,
        collect_ids=False,
    )
    parser.resolvers.add(_RefuseEveryUrl())
    return parser


_PARSER = _safe_parser()

# Any markup declaration, wherever it stands (after comments, PIs, 5 KB of padding) and in
# any case: XML only knows the upper-case forms, but refusing the rest costs nothing.
_DECLARATION = re.compile(r"<!\s*(DOCTYPE|ENTITY|ELEMENT|ATTLIST|NOTATION)", re.IGNORECASE)
# the encoding pseudo-attribute of an XML declaration at the start of the frame
_ENCODING = re.compile(r"""\A\ufeff?<\?xml\s[^>]*?\bencoding\s*=\s*(["'])(.*?)\1""", re.DOTALL)

_ENC_NAME = re.compile(r"[A-Za-z][A-Za-z0-9._-]*")

Element = etree._Element


def decode_text(data: bytes) -> str:
    """The frame as text, or a 2001 naming the rule: EPP frames are UTF-8 (RFC 5730 §2.4).

    A UTF-16/UTF-32 frame, with or without a byte order mark, either is not valid UTF-8
    or (without a BOM) is "valid" UTF-8 full of NUL characters, which XML forbids; both
    are refused here, before libxml2 could auto-detect the encoding and read past the
    declaration check below. A UTF-8 byte order mark is allowed.
    """
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise err(2001, "syntax", field="encoding",
                  detail=Detail("frame_not_valid_utf_8", start=exc.start)) from None
    nul = text.find("\x00")
    if nul >= 0:
        raise err(2001, "syntax", field="encoding",
                  detail=Detail("frame_contains_nul_character_byte",
                                n_text=len(text[:nul].encode())))
    declared = _ENCODING.match(text)
    if declared and declared.group(2).strip().upper() != "UTF-8":
        name = declared.group(2)
        # echo the name only when it is one (XML's EncName): control characters in it
        # would make the answer itself impossible to write as XML
        shown = f'"{name[:40]}"' if _ENC_NAME.fullmatch(name) else "an invalid encoding name"
        raise err(2001, "syntax", field="encoding",
                  detail=Detail("xml_declaration_names_epp_frames", shown=shown))
    return text


def parse_frame(data: bytes) -> Element:
    """Parse one EPP frame body; any problem is a 2001 naming what was wrong.

    Checks run on the decoded text, so no encoding trick hides a declaration; the parser
    itself is built so that it cannot open anything should one still get through.
    """
    text = decode_text(data)
    if _DECLARATION.search(text):
        raise err(2001, "syntax", field="DOCTYPE",
                  detail=Detail("document_type_declarations_entities_are"))
    root = _parse(data)
    if root.getroottree().docinfo.doctype:
        raise err(2001, "syntax", field="DOCTYPE",
                  detail=Detail("document_type_declarations_are_not"))
    if root.tag != q(EPP, "epp"):
        raise err(2001, "syntax", field=_name(root),
                  detail=Detail("root_element_must_epp_namespace", epp=EPP))
    return root


def _parse(data: bytes) -> Element:
    """libxml2 with the safe parser; the last line of defence behind ``parse_frame``'s checks."""
    try:
        return etree.fromstring(data, _PARSER)
    except ExternalResourceRefused:
        raise err(2001, "syntax", field="DOCTYPE",
                  detail=Detail("references_external_resources_are_not")) from None
    except etree.XMLSyntaxError as exc:
        line = Detail("xml_at_line", lineno=exc.lineno) if exc.lineno else ""
        raise err(2001, "syntax",
                  detail=Detail("xml_not_well_formed", line=line, msg=exc.msg)) from None


def _name(el: Element) -> str:
    tag = el.tag if isinstance(el.tag, str) else "?"
    if tag.startswith("{"):
        ns, local = tag[1:].split("}", 1)
        prefix = ns.rsplit(":", 1)[-1].split("-")[0].split("/")[-1]
        return f"{prefix}:{local}"
    return tag


def local(el: Element) -> str:
    return etree.QName(el).localname


def ns_of(el: Element) -> str:
    return etree.QName(el).namespace or ""


def children(el: Element) -> list[Element]:
    return [c for c in el if isinstance(c.tag, str)]


@dataclass
class Frame:
    """A decoded EPP frame: hello, or a command with its object element and extensions."""

    kind: str  # "hello" | "command"
    verb: str = ""  # login, logout, check, info, create, poll, ...
    command: Element | None = None  # the <command> element
    verb_element: Element | None = None  # e.g. <create>
    obj: Element | None = None  # e.g. <domain:create>
    extensions: list[Element] = field(default_factory=list)
    cl_trid: str | None = None


def decode_frame(root: Element) -> Frame:
    kids = children(root)
    if len(kids) != 1:
        raise err(2001, "syntax", field="epp",
                  detail=Detail("epp_must_contain_exactly_one"))
    top = kids[0]
    if top.tag == q(EPP, "hello"):
        return Frame(kind="hello")
    if top.tag == q(EPP, "extension"):
        # extension commands (dkhm:command/withdraw) arrive here
        return _extension_command(Frame(kind="command", verb="extension", command=top,
                                        extensions=children(top)))
    if top.tag != q(EPP, "command"):
        raise err(2000, "unknown_command", field=_name(top),
                  detail=Detail("not_epp_command", top=_name(top)))
    frame = Frame(kind="command", command=top)
    parts = children(top)
    if not parts:
        raise err(2000, "no_command", field="command")
    verb_el = parts[0]
    if ns_of(verb_el) != EPP:
        raise err(2001, "bad_command_name", field=_name(verb_el),
                  detail=Detail("first_element_command_must_epp"))
    frame.verb = local(verb_el)
    frame.verb_element = verb_el
    for extra in parts[1:]:
        if extra.tag == q(EPP, "extension"):
            frame.extensions = children(extra)
        elif extra.tag == q(EPP, "clTRID"):
            text = (extra.text or "").strip()
            if not (3 <= len(text) <= 64):
                raise err(2001, "syntax", field="clTRID",
                          detail=Detail("cltrid_must_3_64_characters"))
            frame.cl_trid = text
        else:
            raise err(2001, "syntax", field=_name(extra),
                      detail=Detail("unexpected_command", extra=_name(extra)))
    if frame.verb not in ("login", "logout", "poll"):
        objs = children(verb_el)
        if len(objs) != 1:
            raise err(2001, "syntax", field=frame.verb,
                      detail=Detail("must_contain_exactly_one_object", verb=frame.verb))
        frame.obj = objs[0]
    return frame


def _extension_command(frame: Frame) -> Frame:
    """``<extension><dkhm:command>``: a Norid-style extension command.

    ``dkhm:command`` holds the operation (``dkhm:withdraw``), optional extensions and the
    clTRID, which sits here rather than in an EPP ``<command>``. The frame gets
    ``command`` = dkhm:command, ``verb_element`` = the operation, ``obj`` = the
    operation's object element and ``extensions`` = dkhm:extension's children; anything
    else stays as it is and the session answers 2000 naming it.
    """
    kids = frame.extensions
    if len(kids) != 1 or local(kids[0]) != "command" or not ns_of(kids[0]).startswith(
            "urn:dkhm:params:xml:ns:dkhm-"):
        return frame
    cmd = kids[0]
    ns = ns_of(cmd)
    parts = children(cmd)
    if not parts or ns_of(parts[0]) != ns or local(parts[0]) in ("extension", "clTRID"):
        raise err(2000, "no_command", field=_name(cmd),
                  detail=Detail("must_start_with_operation_e", cmd=_name(cmd)))
    frame.command, frame.verb_element, frame.extensions = cmd, parts[0], []
    objs = children(parts[0])
    frame.obj = objs[0] if len(objs) == 1 else None
    for extra in parts[1:]:
        if extra.tag == q(ns, "extension") and not frame.extensions:
            frame.extensions = children(extra)
        elif extra.tag == q(ns, "clTRID") and frame.cl_trid is None:
            text = (extra.text or "").strip()
            if not (3 <= len(text) <= 64):
                raise err(2001, "syntax", field="clTRID",
                          detail=Detail("cltrid_must_3_64_characters"))
            frame.cl_trid = text
        else:
            raise err(2001, "syntax", field=_name(extra),
                      detail=Detail("unexpected", extra=_name(extra), cmd=_name(cmd)))
    return frame


def child(parent: Element, ns: str, name: str, *, required: bool = True,
          where: str | None = None) -> Element | None:
    el = parent.find(q(ns, name))
    if el is None and required:
        raise err(2001, "syntax", field=f"{where or _name(parent)}/{_prefix(ns)}:{name}",
                  detail=Detail("element_missing", ns=_prefix(ns), name=name))
    return el


def text_of(parent: Element, ns: str, name: str, *, required: bool = True,
            strip: bool = True) -> str | None:
    el = child(parent, ns, name, required=required)
    if el is None:
        return None
    value = el.text or ""
    return value.strip() if strip else value


def all_text(parent: Element, ns: str, name: str) -> list[str]:
    return [(e.text or "").strip() for e in parent.findall(q(ns, name))]


def expect_only(parent: Element, allowed: dict[str, tuple[int, int]], ns: str) -> None:
    """Check a command element's children: known names in ``ns`` with (min, max) counts."""
    seen: dict[str, int] = {}
    for c in children(parent):
        name = local(c)
        if ns_of(c) != ns or name not in allowed:
            raise err(2001, "syntax", field=_name(c),
                      detail=Detail("not_allowed", c=_name(c), parent=_name(parent)))
        seen[name] = seen.get(name, 0) + 1
    for name, (lo, hi) in allowed.items():
        n = seen.get(name, 0)
        if n < lo:
            raise err(2001, "syntax", field=f"{_prefix(ns)}:{name}",
                      detail=Detail("element_missing_2", ns=_prefix(ns), name=name,
                                    parent=_name(parent)))
        if n > hi:
            raise err(2001, "syntax", field=f"{_prefix(ns)}:{name}",
                      detail=Detail("may_appear_at_most_times", ns=_prefix(ns), name=name, hi=hi))


def _prefix(ns: str) -> str:
    from dkreg.epp.codec.namespaces import PREFIX

    if ns in PREFIX:
        return PREFIX[ns]
    if ns.startswith("urn:dkhm"):
        return "dkhm"
    if ns == EPP:
        return "epp"
    return ns


def element_name(el: Element) -> str:
    return _name(el)

