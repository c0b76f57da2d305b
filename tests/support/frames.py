"""EPP request frames for tests, written out as a client would send them."""

from __future__ import annotations

from itertools import count
from xml.sax.saxutils import escape

_trid = count(1)

HEAD = '<?xml version="1.0" encoding="UTF-8"?>\n<epp xmlns="urn:ietf:params:xml:ns:epp-1.0">'
DOMAIN = 'xmlns:domain="urn:ietf:params:xml:ns:domain-1.0"'
CONTACT = 'xmlns:contact="urn:ietf:params:xml:ns:contact-1.0"'
HOST = 'xmlns:host="urn:ietf:params:xml:ns:host-1.0"'


def dkhm_ns(version: str = "4.3") -> str:
    return f"urn:dkhm:params:xml:ns:dkhm-{version}"


def command(body: str, ext: str = "", cl_trid: str | None = None) -> str:
    trid = cl_trid or f"TEST-{next(_trid):06d}"
    extension = f"<extension>{ext}</extension>" if ext else ""
    return f"{HEAD}<command>{body}{extension}<clTRID>{trid}</clTRID></command></epp>"


def hello() -> str:
    return f"{HEAD}<hello/></epp>"


def login(user: str, pw: str, *, dkhm: str = "4.3", new_pw: str | None = None) -> str:
    new = f"<newPW>{escape(new_pw)}</newPW>" if new_pw is not None else ""
    return command(
        f"<login><clID>{escape(user)}</clID><pw>{escape(pw)}</pw>{new}"
        "<options><version>1.0</version><lang>en</lang></options><svcs>"
        "<objURI>urn:ietf:params:xml:ns:domain-1.0</objURI>"
        "<objURI>urn:ietf:params:xml:ns:contact-1.0</objURI>"
        "<objURI>urn:ietf:params:xml:ns:host-1.0</objURI>"
        "<objURI>http://www.verisign.com/epp/balance-1.0</objURI>"
        "<svcExtension><extURI>urn:ietf:params:xml:ns:secDNS-1.1</extURI>"
        f"<extURI>{dkhm_ns(dkhm)}</extURI></svcExtension></svcs></login>")


def logout() -> str:
    return command("<logout/>")


def domain_check(*names: str) -> str:
    inner = "".join(f"<domain:name>{escape(n)}</domain:name>" for n in names)
    return command(f"<check><domain:check {DOMAIN}>{inner}</domain:check></check>")


def domain_info(name: str) -> str:
    return command(f"<info><domain:info {DOMAIN}><domain:name>{escape(name)}</domain:name>"
                   "</domain:info></info>")


def domain_create(name: str, registrant: str, ns: list[str], *, token: str | int | None = None,
                  period: str | int | None = 1, unit: str = "y", dkhm: str = "4.3",
                  contacts: list[tuple[str, str]] | None = None, extra_ext: str = "",
                  cl_trid: str | None = None) -> str:
    per = f'<domain:period unit="{unit}">{period}</domain:period>' if period is not None else ""
    hosts = "".join(f"<domain:hostObj>{escape(h)}</domain:hostObj>" for h in ns)
    ns_el = f"<domain:ns>{hosts}</domain:ns>" if ns else ""
    cts = "".join(f'<domain:contact type="{t}">{h}</domain:contact>' for t, h in contacts or [])
    ext = extra_ext
    if token is not None:
        ext += (f'<dkhm:orderconfirmationToken xmlns:dkhm="{dkhm_ns(dkhm)}">{token}'
                "</dkhm:orderconfirmationToken>")
    return command(
        f"<create><domain:create {DOMAIN}><domain:name>{escape(name)}</domain:name>{per}"
        f"{ns_el}<domain:registrant>{registrant}</domain:registrant>{cts}"
        "<domain:authInfo><domain:pw/></domain:authInfo></domain:create></create>",
        ext, cl_trid=cl_trid)


def contact_create(*, id_: str = "auto", name: str | None = "Jens Hansen",
                   org: str | None = None, user_type: str = "individual", cc: str = "DK",
                   street: str = "Vesterbrogade 1", city: str = "København V",
                   pc: str = "1620", email: str = "jens@example.dk",
                   voice: str | None = "+45.12345678", cvr: str | None = None,
                   postal_type: str | None = None, verified: bool | None = None,
                   dkhm: str = "4.3", extra_ext: str = "") -> str:
    ptype = postal_type or ("loc" if cc == "DK" else "int")
    n = f"<contact:name>{escape(name)}</contact:name>" if name is not None else ""
    o = f"<contact:org>{escape(org)}</contact:org>" if org is not None else ""
    v = f"<contact:voice>{voice}</contact:voice>" if voice else ""
    ns = dkhm_ns(dkhm)
    ext = f'<dkhm:userType xmlns:dkhm="{ns}">{user_type}</dkhm:userType>' if user_type else ""
    if cvr is not None:
        ext += f'<dkhm:CVR xmlns:dkhm="{ns}">{cvr}</dkhm:CVR>'
    if verified is not None:
        flag = "true" if verified else "false"
        ext += (f'<dkhm:contact_verification xmlns:dkhm="{ns}"><dkhm:verified_id>{flag}'
                f"</dkhm:verified_id><dkhm:verified_email>{flag}</dkhm:verified_email>"
                "</dkhm:contact_verification>")
    ext += extra_ext
    return command(
        f"<create><contact:create {CONTACT}><contact:id>{id_}</contact:id>"
        f'<contact:postalInfo type="{ptype}">{n}{o}<contact:addr>'
        f"<contact:street>{escape(street)}</contact:street><contact:city>{escape(city)}"
        f"</contact:city><contact:pc>{pc}</contact:pc><contact:cc>{cc}</contact:cc>"
        f"</contact:addr></contact:postalInfo>{v}<contact:email>{escape(email)}</contact:email>"
        "<contact:authInfo><contact:pw/></contact:authInfo></contact:create></create>", ext)


def contact_check(*ids: str) -> str:
    inner = "".join(f"<contact:id>{i}</contact:id>" for i in ids)
    return command(f"<check><contact:check {CONTACT}>{inner}</contact:check></check>")


def contact_info(handle: str) -> str:
    return command(f"<info><contact:info {CONTACT}><contact:id>{handle}</contact:id>"
                   "</contact:info></info>")


def host_create(name: str, *addrs: str, ext: str = "") -> str:
    a = "".join(f'<host:addr ip="{"v6" if ":" in x else "v4"}">{x}</host:addr>' for x in addrs)
    return command(f"<create><host:create {HOST}><host:name>{escape(name)}</host:name>{a}"
                   "</host:create></create>", ext)


def host_check(*names: str) -> str:
    inner = "".join(f"<host:name>{escape(n)}</host:name>" for n in names)
    return command(f"<check><host:check {HOST}>{inner}</host:check></check>")


def host_info(name: str) -> str:
    return command(f"<info><host:info {HOST}><host:name>{escape(name)}</host:name>"
                   "</host:info></info>")


def poll_req() -> str:
    return command('<poll op="req"/>')


def poll_ack(msg_id: str | int) -> str:
    return command(f'<poll op="ack" msgID="{msg_id}"/>')


def balance_info() -> str:
    return command('<info><balance:info xmlns:balance="http://www.verisign.com/epp/balance-1.0"/>'
                   "</info>")
