"""Replaying the registry's own example requests against dkreg.

The examples name objects that exist at Punktum dk (``eksempel.dk``, ``DKHM1-DK``,
``ns1.dk-hostmaster.dk``), carry tokens that were valid on the day they were written and
message ids of someone else's queue. A replay therefore builds a small world in which
the request makes sense, then sends the example byte-for-byte except for an explicit
substitution table: every key of the table must occur in the file (so a table cannot
silently stop matching when the reference changes) and everything else is left alone.

The examples are read from ``../shared/reference`` (``support.reference``); tests skip
with a visible reason when it is absent.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from lxml import etree

from support import frames
from support.epp_objects import Agent, unique
from support.eppclient import EppClient, Reply
from support.reference import REFERENCE_DIR, reference_path

if TYPE_CHECKING:
    from pathlib import Path

    from conftest import Registry

# collection -> (folder under the reference directory, which of its files are replayed).
# In spec-5.3.1 the requests are the files named ``*-request*``; the dkhm-4.3 folder mixes
# requests and responses, told apart by :func:`is_request`. From the registry's XSD
# samples only the withdraw forms are taken (4.4 and 4.5; the 4.3 form is in dkhm-4.3,
# the other samples duplicate dkhm-4.3).
COLLECTIONS: dict[str, tuple[tuple[str, ...], str]] = {
    "spec-5.3.1": (("dkhm", "examples", "spec-5.3.1"), "*-request*.xml"),
    "dkhm-4.3": (("epp", "examples", "dkhm-4.3"), "*.xml"),
    "epp-xsd-files-xml": (("dkhm", "examples", "epp-xsd-files-xml"), "withdraw_*.xml"),
}
EPP_NS = "urn:ietf:params:xml:ns:epp-1.0"
DKHM_45 = "urn:dkhm:params:xml:ns:dkhm-4.5"
PUBLIC_V4 = ("193.163.102.58", "193.163.102.59")  # Punktum dk's own public range
DS_SHA256 = "2BB183AF5F22588179A53B0A98631FAD1A292118"  # padded below to 64 hex digits


# -- the example files --------------------------------------------------------------------


def example_dir(collection: str) -> Path:
    return reference_path(*COLLECTIONS[collection][0])


def candidates(collection: str) -> list[Path]:
    """The files of a collection that may be requests (skips when the reference is absent)."""
    return sorted(example_dir(collection).glob(COLLECTIONS[collection][1]))


def listed(collection: str) -> list[str]:
    """Like :func:`candidates` but usable at collection time: no skip, maybe empty."""
    parts, pattern = COLLECTIONS[collection]
    folder = REFERENCE_DIR.joinpath(*parts)
    return sorted(p.name for p in folder.glob(pattern)) if folder.is_dir() else []


def read_example(collection: str, name: str) -> str:
    return (example_dir(collection) / name).read_text(encoding="utf-8")


def parse(data: bytes) -> etree._Element | None:
    """The document, or None when it is not well-formed XML."""
    try:
        return etree.fromstring(data, etree.XMLParser(resolve_entities=False, no_network=True))
    except etree.XMLSyntaxError:
        return None


def is_request(root: etree._Element) -> bool:
    """A command (``<epp><command>``) or an extension command (``<epp><extension><command>``
    such as withdraw); everything else (response, greeting) is not replayed."""
    top = [c for c in root if isinstance(c.tag, str)]
    if len(top) != 1:
        return False
    if top[0].tag == f"{{{EPP_NS}}}command":
        return True
    if top[0].tag == f"{{{EPP_NS}}}extension":
        return any(isinstance(c.tag, str) and etree.QName(c).localname == "command"
                   for c in top[0])
    return False


def dkhm_version(text: str) -> str:
    """The dkhm namespace version the example uses (4.3 when it uses none): the replay
    logs in announcing that one, as a client written from the example would."""
    for version in ("4.5", "4.4", "4.3"):
        if f"dkhm-{version}" in text:
            return version
    return "4.3"


def substitute(text: str, table: dict[str, str]) -> str:
    """Replace each key of ``table`` in one pass (longest key first, so ``eksempel.dk``
    does not eat into ``ns1.eksempel.dk``); every key must occur in the text."""
    missing = [k for k in table if k not in text]
    assert not missing, f"substitution keys not found in the example: {missing}"
    if not table:
        return text
    pattern = re.compile("|".join(re.escape(k) for k in sorted(table, key=len, reverse=True)))
    return pattern.sub(lambda m: table[m.group(0)], text)


def expect(r: Reply, code: int, msg: str | None = None, *, exact: bool = False) -> None:
    """Assert the result code and, when given, the registry's text (a prefix: dkreg may
    append "; detail" after the registry's own words)."""
    assert r.code == code, f"expected {code}, got {r.code}: {r.msg}"
    if msg is not None:
        if exact:
            assert r.msg == msg, r.msg
        else:
            assert r.msg.startswith(msg), r.msg


# -- the world a replay runs in -----------------------------------------------------------


@dataclass
class World:
    """Objects created through EPP for one replay (fresh for every test)."""

    registry: Registry
    agents: list[Agent] = field(default_factory=list)

    async def registrar(self, dkhm: str = "4.3") -> Agent:
        agent = await Agent.new(self.registry, dkhm=dkhm)
        self.agents.append(agent)
        return agent

    async def bare_client(self) -> EppClient:
        """A connection that has not logged in (for the login examples)."""
        return await self.registry.client()

    async def replay(self, agent: Agent, text: str, table: dict[str, str]) -> Reply:
        return await agent.send(substitute(text, table))

    # contacts
    async def contact(self, agent: Agent, *, verified: bool = True, management: str | None = None,
                      **kw: object) -> str:
        """A Danish individual (ID and data checked unless told otherwise)."""
        extra = ""
        if management is not None:
            extra = (f'<dkhm:management xmlns:dkhm="{DKHM_45}">{management}'
                     "</dkhm:management>")
        kw.setdefault("email", f"{unique('c')}@example.dk")
        return await agent.contact(verified=verified, dkhm="4.5", extra_ext=extra, **kw)

    # hosts
    async def out_of_zone_hosts(self, agent: Agent, n: int = 2) -> list[str]:
        zone = unique("dns")
        names = [f"ns{i}.{zone}.net" for i in range(1, n + 1)]
        for h in names:
            await agent.host(h)
        return names

    async def glue_host(self, agent: Agent, name: str, *addrs: str) -> str:
        """A host under one of the agent's .dk domains, with glue."""
        await agent.host(name, *(addrs or PUBLIC_V4[:1]))
        return name

    # domains
    async def domain(self, agent: Agent, *, registrant: str | None = None,
                     ns: list[str] | None = None, management: str | None = None,
                     contacts: list[tuple[str, str]] | None = None,
                     name: str | None = None) -> str:
        """An active domain (created with a token, then processed by the registry)."""
        name = name or f"{unique('eks')}.dk"
        if registrant is None:
            registrant = await self.contact(agent, management=management)
        if ns is None:
            ns = await self.out_of_zone_hosts(agent)
        extra = ""
        if management is not None:
            extra = (f'<dkhm:management xmlns:dkhm="{frames.dkhm_ns("4.3")}">{management}'
                     "</dkhm:management>")
        r = await agent.send(frames.domain_create(name, registrant, ns, contacts=contacts,
                                                  token=self.registry.token(), extra_ext=extra))
        assert r.code == 1001, r.msg
        await self.registry.tick()
        state = await self.registry.scalar(
            "select statuses from domains where name = :n and released_at is null", n=name)
        assert state == "ok", f"{name} is {state!r} after processing"
        return name

    async def info(self, agent: Agent, name: str) -> Reply:
        r = await agent.send(frames.domain_info(name))
        assert r.code == 1000, r.msg
        return r

    async def ex_date(self, agent: Agent, name: str) -> str:
        """The current expiry date as renew's curExpDate wants it (YYYY-MM-DD)."""
        ex = (await self.info(agent, name)).text(".//domain:exDate")
        assert ex, "info domain shows no exDate"
        return ex[:10]

    async def add_ds(self, agent: Agent, name: str, key_tag: int = 12345) -> None:
        r = await agent.send(update_frame(name, ext=secdns_add(key_tag)))
        assert r.code == 1000, r.msg

    async def transfer_token(self, agent: Agent, name: str) -> str:
        """Generate a transfer token the way the spec shows (``autotransfer``) and read it
        back from info domain's ``dkhm:authInfo``."""
        r = await agent.send(update_frame(name, chg="<domain:authInfo><domain:pw>autotransfer"
                                          "</domain:pw></domain:authInfo>"))
        assert r.code == 1000, r.msg
        return token_of(await self.info(agent, name), "transfer")

    async def poll_ids(self, agent: Agent) -> list[str]:
        """Message ids waiting in the agent's queue (oldest first), without acking."""
        rows = await self.registry.rows(
            "select p.id from poll_messages p join registrars r on r.id = p.registrar_id "
            "where r.handle = :h and p.acked_at is null order by p.id", h=agent.handle)
        return [str(row[0]) for row in rows]


def token_of(info: Reply, op: str) -> str:
    for ns in ("urn:dkhm:params:xml:ns:dkhm-4.3", "urn:dkhm:params:xml:ns:dkhm-4.4",
               DKHM_45):
        for el in info.root.iter(f"{{{ns}}}authInfo"):
            if el.get("op") == op:
                return (el.text or "").strip()
    raise AssertionError(f"info domain shows no dkhm:authInfo op={op!r}")


def update_frame(name: str, *, add: str = "", rem: str = "", chg: str = "",
                 ext: str = "") -> str:
    parts = "".join(f"<domain:{tag}>{body}</domain:{tag}>"
                    for tag, body in (("add", add), ("rem", rem), ("chg", chg)) if body)
    return frames.command(f"<update><domain:update {frames.DOMAIN}><domain:name>{name}"
                          f"</domain:name>{parts}</domain:update></update>", ext)


def secdns_add(key_tag: int, alg: int = 13, digest_type: int = 2) -> str:
    digest = (DS_SHA256 * 2)[:64]
    return ('<secDNS:update xmlns:secDNS="urn:ietf:params:xml:ns:secDNS-1.1"><secDNS:add>'
            f"<secDNS:dsData><secDNS:keyTag>{key_tag}</secDNS:keyTag><secDNS:alg>{alg}"
            f"</secDNS:alg><secDNS:digestType>{digest_type}</secDNS:digestType>"
            f"<secDNS:digest>{digest}</secDNS:digest></secDNS:dsData></secDNS:add>"
            "</secDNS:update>")


def ns_of(info: Reply) -> list[str]:
    return sorted((e.text or "").strip() for e in info.findall(".//domain:hostObj"))


def statuses_of(info: Reply) -> list[str]:
    return sorted(e.get("s") or "" for e in info.findall(".//domain:status"))
