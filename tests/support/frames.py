"""EPP request frames for tests, written out as a client would send them."""

from __future__ import annotations

from collections.abc import Sequence
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


def login(user: str, pw: str, *, dkhm: str | Sequence[str] = "4.3",
          new_pw: str | None = None) -> str:
    """login; ``dkhm`` is one version or the versions to list, in order (may be empty)."""
    new = f"<newPW>{escape(new_pw)}</newPW>" if new_pw is not None else ""
    versions = [dkhm] if isinstance(dkhm, str) else list(dkhm)
    ext_uris = "".join(f"<extURI>{dkhm_ns(v)}</extURI>" for v in versions)
    return command(
        f"<login><clID>{escape(user)}</clID><pw>{escape(pw)}</pw>{new}"
        "<options><version>1.0</version><lang>en</lang></options><svcs>"
        "<objURI>urn:ietf:params:xml:ns:domain-1.0</objURI>"
        "<objURI>urn:ietf:params:xml:ns:contact-1.0</objURI>"
        "<objURI>urn:ietf:params:xml:ns:host-1.0</objURI>"
        "<objURI>http://www.verisign.com/epp/balance-1.0</objURI>"
        "<svcExtension><extURI>urn:ietf:params:xml:ns:secDNS-1.1</extURI>"
        f"{ext_uris}</svcExtension></svcs></login>")


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


# --- host update / delete / requestedNsAdmin


def requested_nsa(handle: str, dkhm: str = "4.3") -> str:
    """The ``dkhm:requestedNsAdmin`` extension element (for host create/update)."""
    return (f'<dkhm:requestedNsAdmin xmlns:dkhm="{dkhm_ns(dkhm)}">{escape(handle)}'
            "</dkhm:requestedNsAdmin>")


def _host_addrs(addrs: tuple[str, ...] | list[str]) -> str:
    return "".join(f'<host:addr ip="{"v6" if ":" in x else "v4"}">{escape(x)}</host:addr>'
                   for x in addrs)


def host_update(name: str, *, add: tuple[str, ...] | list[str] = (),
                rem: tuple[str, ...] | list[str] = (), add_status: str | None = None,
                rem_status: str | None = None, new_name: str | None = None,
                nsa: str | None = None, dkhm: str = "4.3", cl_trid: str | None = None) -> str:
    add_st = f'<host:status s="{add_status}"/>' if add_status else ""
    rem_st = f'<host:status s="{rem_status}"/>' if rem_status else ""
    add_el = f"<host:add>{_host_addrs(add)}{add_st}</host:add>" if add or add_st else ""
    rem_el = f"<host:rem>{_host_addrs(rem)}{rem_st}</host:rem>" if rem or rem_st else ""
    chg = (f"<host:chg><host:name>{escape(new_name)}</host:name></host:chg>"
           if new_name is not None else "")
    ext = requested_nsa(nsa, dkhm) if nsa is not None else ""
    return command(f"<update><host:update {HOST}><host:name>{escape(name)}</host:name>"
                   f"{add_el}{rem_el}{chg}</host:update></update>", ext, cl_trid=cl_trid)


def host_delete(name: str) -> str:
    return command(f"<delete><host:delete {HOST}><host:name>{escape(name)}</host:name>"
                   "</host:delete></delete>")


# --- renew, delete, restore ------------------------------------------------


def domain_renew(name: str, cur_exp_date: str, *, period: str | int | None = 1,
                 unit: str = "y", cl_trid: str | None = None) -> str:
    per = f'<domain:period unit="{unit}">{period}</domain:period>' if period is not None else ""
    return command(f"<renew><domain:renew {DOMAIN}><domain:name>{escape(name)}</domain:name>"
                   f"<domain:curExpDate>{cur_exp_date}</domain:curExpDate>{per}"
                   "</domain:renew></renew>", cl_trid=cl_trid)


def domain_delete(name: str, *, del_date: str | None = None, dkhm: str = "4.3",
                  cl_trid: str | None = None) -> str:
    ext = (f'<dkhm:delDate xmlns:dkhm="{dkhm_ns(dkhm)}">{del_date}</dkhm:delDate>'
           if del_date is not None else "")
    return command(f"<delete><domain:delete {DOMAIN}><domain:name>{escape(name)}"
                   "</domain:name></domain:delete></delete>", ext, cl_trid=cl_trid)


RGP = 'xmlns:rgp="urn:ietf:params:xml:ns:rgp-1.0"'


def domain_restore(name: str, *, op: str = "report", report: str | None = None,
                   changes: str = "<domain:add/><domain:rem/><domain:chg/>",
                   cl_trid: str | None = None) -> str:
    """update domain with an RFC 3915 restore report, as in the registry's example."""
    if report is None:
        report = ("<rgp:preData/><rgp:postData/>"
                  "<rgp:delTime>1900-01-01T00:00:00.0Z</rgp:delTime>"
                  "<rgp:resTime>1900-01-01T00:00:00.0Z</rgp:resTime>"
                  "<rgp:resReason/><rgp:statement/>")
    body = f"<rgp:report>{report}</rgp:report>" if report != "" else ""
    return command(f"<update><domain:update {DOMAIN}><domain:name>{escape(name)}</domain:name>"
                   f"{changes}</domain:update></update>",
                   f'<rgp:update {RGP}><rgp:restore op="{op}">{body}</rgp:restore>'
                   "</rgp:update>", cl_trid=cl_trid)


# -- transfer domain, withdraw ----------------------------------------------------------------

def domain_transfer(name: str, pw: str | None = None, *, op: str = "request",
                    period: int | None = None, auth: bool = True, ext: str = "") -> str:
    """transfer domain; ``pw`` None with ``auth`` sends an empty domain:pw, ``auth=False``
    leaves domain:authInfo out."""
    per = f'<domain:period unit="y">{period}</domain:period>' if period is not None else ""
    info = ""
    if auth:
        info = (f"<domain:authInfo><domain:pw>{escape(pw)}</domain:pw></domain:authInfo>"
                if pw is not None else "<domain:authInfo><domain:pw/></domain:authInfo>")
    return command(f'<transfer op="{op}"><domain:transfer {DOMAIN}><domain:name>{escape(name)}'
                   f"</domain:name>{per}{info}</domain:transfer></transfer>", ext)


def withdraw(name: str, *, dkhm: str = "4.3", form: str | None = None,
             cl_trid: str | None = None) -> str:
    """The withdraw extension command. ``form`` "domain" wraps dkhm-domain:withdraw (the
    4.3/4.4 shape, dkhm-domain-4.4 inside 4.5 as in the registry's 5.2 example); "dkhm" is
    the 4.5 shape; default: the shape of the ``dkhm`` version."""
    form = form or ("dkhm" if dkhm == "4.5" else "domain")
    if form == "dkhm":
        inner = f"<withdraw><name>{escape(name)}</name></withdraw>"
    else:
        dom_ns = f"urn:dkhm:params:xml:ns:dkhm-domain-{'4.4' if dkhm == '4.5' else dkhm}"
        inner = (f'<domain:withdraw xmlns:domain="{dom_ns}"><domain:name>{escape(name)}'
                 "</domain:name></domain:withdraw>")
    trid = cl_trid or f"TEST-{next(_trid):06d}"
    return (f'{HEAD}<extension><command xmlns="{dkhm_ns(dkhm)}"><withdraw>{inner}</withdraw>'
            f"<clTRID>{trid}</clTRID></command></extension></epp>")


# --- update domain (name servers, contacts, DNSSEC, authInfo, registrant) ---

SECDNS = 'xmlns:secDNS="urn:ietf:params:xml:ns:secDNS-1.1"'


def domain_update(name: str, *, add_ns: list[str] | None = None,
                  rem_ns: list[str] | None = None,
                  add_contacts: list[tuple[str, str]] | None = None,
                  rem_contacts: list[tuple[str, str]] | None = None,
                  add_status: str | None = None, rem_status: str | None = None,
                  registrant: str | None = None, auth_pw: str | None = None,
                  auth_null: bool = False, add_host_attr: str | None = None,
                  rem_host_attr: str | None = None, ext: str = "",
                  cl_trid: str | None = None) -> str:
    """domain:update with add/rem/chg written as the registry's examples do (empty
    elements included)."""
    def part(tag: str, ns: list[str] | None, contacts: list[tuple[str, str]] | None,
             status: str | None, attr: str | None) -> str:
        hosts = "".join(f"<domain:hostObj>{escape(h)}</domain:hostObj>" for h in ns or [])
        if attr is not None:
            hosts += (f"<domain:hostAttr><domain:hostName>{escape(attr)}</domain:hostName>"
                      "</domain:hostAttr>")
        inner = f"<domain:ns>{hosts}</domain:ns>" if hosts else ""
        inner += "".join(f'<domain:contact type="{t}">{escape(h)}</domain:contact>'
                         for t, h in contacts or [])
        inner += f'<domain:status s="{status}"/>' if status else ""
        return f"<domain:{tag}>{inner}</domain:{tag}>"

    chg = f"<domain:registrant>{escape(registrant)}</domain:registrant>" \
        if registrant is not None else ""
    if auth_pw is not None or auth_null:
        pw = f"<domain:pw>{escape(auth_pw)}</domain:pw>" if auth_pw is not None else ""
        chg += f"<domain:authInfo>{pw}{'<domain:null/>' if auth_null else ''}</domain:authInfo>"
    return command(
        f"<update><domain:update {DOMAIN}><domain:name>{escape(name)}</domain:name>"
        f"{part('add', add_ns, add_contacts, add_status, add_host_attr)}"
        f"{part('rem', rem_ns, rem_contacts, rem_status, rem_host_attr)}"
        f"<domain:chg>{chg}</domain:chg></domain:update></update>", ext, cl_trid=cl_trid)


def ds_data(key_tag: int | str, alg: int | str, digest_type: int | str, digest: str,
            key_data: bool = False) -> str:
    kd = ("<secDNS:keyData><secDNS:flags>257</secDNS:flags><secDNS:protocol>3"
          "</secDNS:protocol><secDNS:alg>13</secDNS:alg><secDNS:pubKey>AQID</secDNS:pubKey>"
          "</secDNS:keyData>") if key_data else ""
    return (f"<secDNS:dsData><secDNS:keyTag>{key_tag}</secDNS:keyTag><secDNS:alg>{alg}"
            f"</secDNS:alg><secDNS:digestType>{digest_type}</secDNS:digestType>"
            f"<secDNS:digest>{digest}</secDNS:digest>{kd}</secDNS:dsData>")


def secdns_update(*, rem_all: bool | None = None, rem: list[str] | None = None,
                  add: list[str] | None = None, add_extra: str = "", chg: str = "",
                  urgent: bool = False) -> str:
    """secDNS:update extension; ``rem``/``add`` hold ``ds_data`` (or keyData) strings."""
    rem_inner = (f"<secDNS:all>{'true' if rem_all else 'false'}</secDNS:all>"
                 if rem_all is not None else "") + "".join(rem or [])
    body = f"<secDNS:rem>{rem_inner}</secDNS:rem>" if rem_inner else ""
    if add or add_extra:
        body += f"<secDNS:add>{add_extra}{''.join(add or [])}</secDNS:add>"
    body += f"<secDNS:chg>{chg}</secDNS:chg>" if chg else ""
    attr = ' urgent="true"' if urgent else ""
    return f"<secDNS:update {SECDNS}{attr}>{body}</secDNS:update>"


def secdns_create(ds: list[str], *, extra: str = "") -> str:
    """secDNS:create extension (RFC 5910 §5.2.1); ``ds`` holds ``ds_data`` strings,
    ``extra`` goes first (maxSigLife, keyData)."""
    return f"<secDNS:create {SECDNS}>{extra}{''.join(ds)}</secDNS:create>"


def autorenew_ext(value: str | bool, dkhm: str = "4.3") -> str:
    text = value if isinstance(value, str) else ("true" if value else "false")
    return f'<dkhm:autoRenew xmlns:dkhm="{dkhm_ns(dkhm)}">{text}</dkhm:autoRenew>'


def order_token_ext(token: str | int, dkhm: str = "4.3") -> str:
    return (f'<dkhm:orderconfirmationToken xmlns:dkhm="{dkhm_ns(dkhm)}">{token}'
            "</dkhm:orderconfirmationToken>")


# --- update contact, NIS2 contact verification -------------------------------


def dkhm_el(name: str, value: str, dkhm: str = "4.5") -> str:
    """One dkhm extension element (``<dkhm:EAN/>`` when ``value`` is empty)."""
    if value == "":
        return f'<dkhm:{name} xmlns:dkhm="{dkhm_ns(dkhm)}"/>'
    return f'<dkhm:{name} xmlns:dkhm="{dkhm_ns(dkhm)}">{escape(value)}</dkhm:{name}>'


def contact_verification(verified_id: bool | str | None = None,
                         verified_email: bool | str | None = None, *, extra: str = "",
                         dkhm: str = "4.5") -> str:
    """``dkhm:contact_verification`` with the flags given (bools or raw text)."""
    def flag(v: bool | str) -> str:
        return v if isinstance(v, str) else ("true" if v else "false")

    inner = extra
    if verified_id is not None:
        inner += f"<dkhm:verified_id>{flag(verified_id)}</dkhm:verified_id>"
    if verified_email is not None:
        inner += f"<dkhm:verified_email>{flag(verified_email)}</dkhm:verified_email>"
    return (f'<dkhm:contact_verification xmlns:dkhm="{dkhm_ns(dkhm)}">{inner}'
            "</dkhm:contact_verification>")


def contact_chg_postal(kind: str = "loc", *, name: str | None = None, org: str | None = None,
                       street: list[str] | None = None, city: str | None = None,
                       sp: str | None = None, pc: str | None = None,
                       cc: str | None = None) -> str:
    """A ``contact:chg/contact:postalInfo``; the address is sent when ``city`` is given."""
    inner = f"<contact:name>{escape(name)}</contact:name>" if name is not None else ""
    inner += f"<contact:org>{escape(org)}</contact:org>" if org is not None else ""
    if city is not None:
        inner += "<contact:addr>" + "".join(
            f"<contact:street>{escape(s)}</contact:street>" for s in street or [])
        inner += f"<contact:city>{escape(city)}</contact:city>"
        inner += f"<contact:sp>{escape(sp)}</contact:sp>" if sp is not None else ""
        inner += f"<contact:pc>{escape(pc)}</contact:pc>" if pc is not None else ""
        inner += f"<contact:cc>{escape(cc or '')}</contact:cc></contact:addr>"
    return f'<contact:postalInfo type="{kind}">{inner}</contact:postalInfo>'


def contact_update(handle: str, *, chg: str | None = "", email: str | None = None,
                   voice: str | None = None, add: str = "", rem: str = "", ext: str = "",
                   cl_trid: str | None = None) -> str:
    """update contact; ``chg`` holds contact:chg children (postalInfo first), ``email`` and
    ``voice`` are appended to it in schema order, ``chg=None`` leaves contact:chg out."""
    body = ""
    if add:
        body += f"<contact:add>{add}</contact:add>"
    if rem:
        body += f"<contact:rem>{rem}</contact:rem>"
    if chg is not None:
        inner = chg
        inner += f"<contact:voice>{escape(voice)}</contact:voice>" if voice is not None else ""
        inner += f"<contact:email>{escape(email)}</contact:email>" if email is not None else ""
        body += f"<contact:chg>{inner}</contact:chg>"
    return command(f"<update><contact:update {CONTACT}><contact:id>{escape(handle)}"
                   f"</contact:id>{body}</contact:update></update>", ext, cl_trid=cl_trid)
