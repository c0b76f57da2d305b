"""Interop: the pyepp client (PyPI ``pyepp``, InternetNZ) against the dkreg EPP server.

How pyepp is driven (details in README.md):
* TLS: ``EppCommunicator.connect()`` builds ``ssl.create_default_context()`` itself and has no CA
  option, so the dev CA is handed to it through OpenSSL's ``SSL_CERT_FILE`` (and ``SSL_CERT_DIR``
  is pointed at an empty directory so nothing else is trusted). Verification stays ON.
* login: ``EppCommunicator.login()`` prefixes every extension with ``urn:ietf:params:xml:ns:`` and
  always adds secDNS-1.1, so it cannot announce ``urn:dkhm:params:xml:ns:dkhm-4.3``; the login frame
  is sent raw through ``EppCommunicator.execute()``.
* domain:check, host:create, poll req/ack, logout: pyepp's own high-level commands.
* contact:create and domain:create: pyepp's own templates (``command_templates``) with a dkhm
  ``<extension>`` spliced in before ``<clTRID>``, sent through ``BaseCommand.execute()`` (the
  library's template-rendering + clTRID facility). Leaving ``password`` unset renders an empty
  ``<domain:pw></domain:pw>`` (pyepp's ``Domain.create()`` would generate a random one).
* The lifecycle test (renew, update domain, transfer, delete, restore, update contact, update
  and delete host) uses pyepp's high-level commands only (``Domain.info/renew/update/transfer/
  delete/restore_report``, ``Contact.update/info``, ``Host.update/info/delete``); what pyepp does
  not parse (``renData``, ``trnData``, ``dkhm:authInfo``) is read with lxml from ``raw_response``.
"""

from __future__ import annotations

from datetime import UTC, date
from xml.sax.saxutils import escape

import pytest
from lxml import etree

pytest.importorskip("pyepp", reason="pyepp is not installed (pip install pyepp)")

from pyepp.base_command import BaseCommand
from pyepp.command_templates import CONTACT_CREATE_XML, DOMAIN_CREATE_XML
from pyepp.contact import Contact, ContactData
from pyepp.domain import Domain
from pyepp.epp import EppCommunicator, EppCommunicatorException
from pyepp.host import Host, HostData, IPAddressData
from pyepp.poll import Poll

pytestmark = [
    pytest.mark.interop,
    # pyepp 0.3.x sets ssl.OP_NO_TLSv1* itself; the DeprecationWarning is the library's, not ours
    pytest.mark.filterwarnings("ignore:ssl.OP_NO_SSL:DeprecationWarning"),
]

EPP_NS = "urn:ietf:params:xml:ns:epp-1.0"
DOMAIN_NS = "urn:ietf:params:xml:ns:domain-1.0"
SECDNS_NS = "urn:ietf:params:xml:ns:secDNS-1.1"
CONTACT_NS = "urn:ietf:params:xml:ns:contact-1.0"
HOST_NS = "urn:ietf:params:xml:ns:host-1.0"
DKHM_NS = "urn:dkhm:params:xml:ns:dkhm-4.3"
# the lifecycle test needs a verified registrant: dkhm:contact_verification exists from 4.5
DKHM45_NS = "urn:dkhm:params:xml:ns:dkhm-4.5"
NS = {"epp": EPP_NS, "domain": DOMAIN_NS, "contact": CONTACT_NS, "dkhm": DKHM_NS,
      "dkhm45": DKHM45_NS}

LOGIN_XML = f"""<?xml version="1.0" encoding="UTF-8" standalone="no"?>
<epp xmlns="{EPP_NS}">
  <command>
    <login>
      <clID>{{clid}}</clID>
      <pw>{{pw}}</pw>
      <options>
        <version>1.0</version>
        <lang>en</lang>
      </options>
      <svcs>
        <objURI>{DOMAIN_NS}</objURI>
        <objURI>{CONTACT_NS}</objURI>
        <objURI>{HOST_NS}</objURI>
        <svcExtension>
          <extURI>{{dkhm}}</extURI>
        </svcExtension>
      </svcs>
    </login>
    <clTRID>{{cltrid}}</clTRID>
  </command>
</epp>"""


def _with_extension(template: str, extension_xml: str) -> str:
    """One of pyepp's own command templates with an <extension> placed before <clTRID>."""
    assert template.count("<clTRID>") == 1
    return template.replace(
        "<clTRID>", f"<extension>\n      {extension_xml}\n    </extension>\n    <clTRID>"
    )


# Jinja templates (pyepp renders them with autoescape on): only the token is a parameter.
CONTACT_CREATE_DKHM_XML = _with_extension(
    CONTACT_CREATE_XML,
    f'<dkhm:userType xmlns:dkhm="{DKHM_NS}">individual</dkhm:userType>',
)
DOMAIN_CREATE_DKHM_XML = _with_extension(
    DOMAIN_CREATE_XML,
    f'<dkhm:orderconfirmationToken xmlns:dkhm="{DKHM_NS}">{{{{ token }}}}'
    "</dkhm:orderconfirmationToken>",
)
# dkhm-4.5: a registrant whose ID and e-mail the registrar vouches for, so the registry
# activates the domain at once (otherwise it stays on serverHold and cannot be transferred)
CONTACT_CREATE_VERIFIED_XML = _with_extension(
    CONTACT_CREATE_XML,
    f'<dkhm:userType xmlns:dkhm="{DKHM45_NS}">individual</dkhm:userType>'
    f'<dkhm:contact_verification xmlns:dkhm="{DKHM45_NS}">'
    "<dkhm:verified_id>true</dkhm:verified_id><dkhm:verified_email>true</dkhm:verified_email>"
    "</dkhm:contact_verification>",
)
DOMAIN_CREATE_DKHM45_XML = _with_extension(
    DOMAIN_CREATE_XML,
    f'<dkhm:orderconfirmationToken xmlns:dkhm="{DKHM45_NS}">{{{{ token }}}}'
    "</dkhm:orderconfirmationToken>",
)


# pyepp's own create template renders DS records (``dns_sec``) into a secDNS:create
# extension of its own; the token goes into that same <extension>
_SECDNS_END = "</secDNS:create>\n    </extension>"
assert DOMAIN_CREATE_XML.count(_SECDNS_END) == 1
DOMAIN_CREATE_DS_XML = DOMAIN_CREATE_XML.replace(
    _SECDNS_END,
    f'</secDNS:create>\n      <dkhm:orderconfirmationToken xmlns:dkhm="{DKHM_NS}">'
    "{{ token }}</dkhm:orderconfirmationToken>\n    </extension>",
)
LOGIN_SECDNS_XML = LOGIN_XML.replace(
    "<extURI>{dkhm}</extURI>", f"<extURI>{{dkhm}}</extURI>\n          <extURI>{SECDNS_NS}</extURI>"
)


def _parse(raw: bytes | str) -> etree._Element:
    return etree.fromstring(raw.encode() if isinstance(raw, str) else raw)


def _login(epp: EppCommunicator, clid: str, password: str, dkhm: str,
           template: str = LOGIN_XML):
    """Raw login frame: pyepp.login() cannot announce a non-IETF extension URI."""
    return epp.execute(template.format(clid=escape(clid), pw=escape(password), dkhm=dkhm,
                                       cltrid=f"pyepp-login-{clid}"))


def _explain(result) -> str:
    raw = result.raw_response
    return f"{result.code} {result.message!r}\n{raw.decode() if isinstance(raw, bytes) else raw}"


@pytest.fixture
def trust_only(monkeypatch, tmp_path):
    """Make OpenSSL's default verify paths (what pyepp uses) contain exactly one CA file."""

    def apply(ca_file: str) -> None:
        empty = tmp_path / "no-certs"
        empty.mkdir(exist_ok=True)
        monkeypatch.setenv("SSL_CERT_FILE", ca_file)
        monkeypatch.setenv("SSL_CERT_DIR", str(empty))

    return apply


def test_pyepp_full_session(epp_server, scenario, trust_only):
    s = scenario
    trust_only(epp_server.ca_file)
    epp = EppCommunicator(server=epp_server.host, port=str(epp_server.port))

    # connect + greeting
    greeting = _parse(epp.connect())
    assert greeting.find("epp:greeting", NS) is not None, greeting
    assert DKHM_NS in [e.text for e in greeting.iter(f"{{{EPP_NS}}}extURI")]

    try:
        # login (raw frame: pyepp.login() cannot announce a non-IETF extension URI)
        login = _login(epp, s.clid, s.password, DKHM_NS)
        assert login.code == 1000, _explain(login)

        # domain:check of two names (high level)
        check = Domain(epp).check([s.domain, s.other_domain])
        assert check.code == 1000, _explain(check)
        assert set(check.result_data) == {s.domain, s.other_domain}, check.result_data
        assert check.result_data[s.domain]["avail"] is True, check.result_data

        # contact:create id=auto + dkhm:userType (pyepp template + extension)
        contact = BaseCommand(epp).execute(
            CONTACT_CREATE_DKHM_XML,
            id="auto",
            type="loc",
            name=s.name,
            street_1=s.street,
            city=s.city,
            postal_code=s.pc,
            country_code=s.cc,
            phone=s.voice,
            email=s.email,
        )
        assert contact.code == 1000, _explain(contact)
        handle = _parse(contact.raw_response).findtext(
            "epp:response/epp:resData/contact:creData/contact:id", namespaces=NS
        )
        assert handle and handle != "auto" and handle.endswith("-DK"), _explain(contact)

        # host:create x2, no addresses (high level)
        for ns_name in (s.ns1, s.ns2):
            host = Host(epp).create(HostData(host_name=ns_name))
            assert host.code == 1000, _explain(host)

        # domain:create, 1 y, both hosts, registrant = handle, empty pw, orderconfirmationToken
        create = BaseCommand(epp).execute(
            DOMAIN_CREATE_DKHM_XML,
            domain_name=s.domain,
            period=1,
            host=[s.ns1, s.ns2],
            registrant=handle,
            token=s.token,
        )
        assert create.code == 1001, _explain(create)
        tracking = _parse(create.raw_response).findtext(
            "epp:response/epp:extension/dkhm:trackingNo", namespaces=NS
        )
        assert tracking and tracking.strip(), _explain(create)

        # let the registry process the application, then read the queue (high level)
        epp_server.process_pending()
        poll = Poll(epp).request()
        assert poll.code == 1301, _explain(poll)
        if poll.code == 1301:
            msg_id = poll.result_data.message_id  # pyepp int()s the msgQ id
            ack = Poll(epp).acknowledge(msg_id)
            assert ack.code == 1000, _explain(ack)

        # logout (high level); pyepp closes the socket afterwards
        logout = epp.logout()
        assert logout.code == 1500, _explain(logout)
    finally:
        epp.disconnect()


def test_pyepp_rejects_untrusted_server_certificate(epp_server, untrusted_ca_file, trust_only):
    trust_only(untrusted_ca_file)
    epp = EppCommunicator(server=epp_server.host, port=str(epp_server.port))
    with pytest.raises(EppCommunicatorException) as excinfo:
        epp.connect()
    cause = repr(excinfo.value.__cause__)
    assert "CERTIFICATE_VERIFY_FAILED" in cause, cause


def test_pyepp_create_with_ds(epp_server, scenario, trust_only):
    """DS records on create with pyepp's own ``dns_sec`` rendering (one of them carrying
    the DNSKEY inside its dsData, which .dk ignores); pyepp's Domain.info reads them back
    from the activated domain."""
    s = scenario
    trust_only(epp_server.ca_file)
    epp = EppCommunicator(server=epp_server.host, port=str(epp_server.port))
    try:
        epp.connect()
        login = _login(epp, s.clid, s.password, DKHM_NS, LOGIN_SECDNS_XML)
        assert login.code == 1000, _explain(login)
        contact = BaseCommand(epp).execute(
            CONTACT_CREATE_DKHM_XML, id="auto", type="loc", name=s.name, street_1=s.street,
            city=s.city, postal_code=s.pc, country_code=s.cc, phone=s.voice, email=s.email,
        )
        assert contact.code == 1000, _explain(contact)
        handle = _parse(contact.raw_response).findtext(".//contact:id", namespaces=NS)
        for ns_name in (s.ns1, s.ns2):
            assert Host(epp).create(HostData(host_name=ns_name)).code == 1000
        records = [
            {"key_tag": 12345, "algorithm": 13, "digest_type": 2, "digest": "E2D3C916F6DEEAC7"
             "3294E8268FB5885044A833FC5459588F4A9184CFC41A5766"},
            {"key_tag": 54321, "algorithm": 8, "digest_type": 1,
             "digest": "2BB183AF5F22588179A53B0A98631FAD1A292118",
             "dns_key": {"flag": 257, "protocol": 3, "algorithm": 8, "public_key": "AQID"}},
        ]
        create = BaseCommand(epp).execute(
            DOMAIN_CREATE_DS_XML, domain_name=s.domain, period=1, host=[s.ns1, s.ns2],
            registrant=handle, token=s.token, dns_sec=records,
        )
        assert create.code == 1001, _explain(create)
        epp_server.process_pending()
        info = Domain(epp).info(s.domain)
        assert info.code == 1000, _explain(info)
        got = [(int(d.key_tag), int(d.algorithm), int(d.digest_type), d.digest)
               for d in info.result_data.dns_sec or []]
        assert got == [(r["key_tag"], r["algorithm"], r["digest_type"], r["digest"])
                       for r in records], _explain(info)
        assert epp.logout().code == 1500
    finally:
        epp.disconnect()


def _queue_message(poll) -> str:
    """The text of the queued message (pyepp keeps every <msg> after the result's own)."""
    messages = poll.result_data.messages or []
    return messages[0].message if messages else ""


def _take_message(epp: EppCommunicator) -> tuple[str, etree._Element]:
    """poll req + ack of the message at the head of the queue: (text, parsed response)."""
    poll = Poll(epp).request()
    assert poll.code == 1301, _explain(poll)
    ack = Poll(epp).acknowledge(poll.result_data.message_id)
    assert ack.code == 1000, _explain(ack)
    return _queue_message(poll), _parse(poll.raw_response)


def test_pyepp_domain_lifecycle(epp_server, scenario, gaining, trust_only):
    """renew, update (NS + AuthInfo token), transfer to a second registrar, delete, restore;
    update/delete of a host under the domain and a contact's voice, all with pyepp."""
    s = scenario
    trust_only(epp_server.ca_file)
    epp = EppCommunicator(server=epp_server.host, port=str(epp_server.port))
    epp2 = EppCommunicator(server=epp_server.host, port=str(epp_server.port))
    try:
        epp.connect()
        assert _login(epp, s.clid, s.password, DKHM45_NS).code == 1000

        # a verified registrant, three external hosts, the domain; the registry activates it
        contact = BaseCommand(epp).execute(
            CONTACT_CREATE_VERIFIED_XML, id="auto", type="loc", name=s.name,
            street_1=s.street, city=s.city, postal_code=s.pc, country_code=s.cc,
            phone=s.voice, email=s.email,
        )
        assert contact.code == 1000, _explain(contact)
        handle = _parse(contact.raw_response).findtext(".//contact:id", namespaces=NS)
        for ns_name in (s.ns1, s.ns2, s.ns3):
            host = Host(epp).create(HostData(host_name=ns_name))
            assert host.code == 1000, _explain(host)
        create = BaseCommand(epp).execute(
            DOMAIN_CREATE_DKHM45_XML, domain_name=s.domain, period=1, host=[s.ns1, s.ns2],
            registrant=handle, token=s.token,
        )
        assert create.code == 1001, _explain(create)
        epp_server.process_pending()
        text, _ = _take_message(epp)
        assert text == f"{s.domain} has been registered and activated", text

        # renew by one year against the expiry date info domain shows
        info = Domain(epp).info(s.domain)
        assert info.code == 1000, _explain(info)
        losing_id = info.result_data.sponsoring_client_id
        expiry = info.result_data.expiry_date
        renew = Domain(epp).renew(s.domain, date.fromisoformat(expiry[:10]), period=1)
        assert renew.code == 1000, _explain(renew)
        ren_data = _parse(renew.raw_response).find(".//domain:renData", NS)
        assert ren_data.findtext("domain:name", namespaces=NS) == s.domain, _explain(renew)
        renewed = ren_data.findtext("domain:exDate", namespaces=NS)
        assert renewed == f"{int(expiry[:4]) + 1}{expiry[4:]}", _explain(renew)

        # one update: add ns3, remove ns2, ask for a transfer token ("auto" in chg/authInfo/pw)
        update = Domain(epp).update(
            s.domain, add_hosts=[s.ns3], remove_hosts=[s.ns2], password="auto"
        )
        assert update.code == 1000, _explain(update)
        info = Domain(epp).info(s.domain)
        assert info.code == 1000, _explain(info)
        assert sorted(info.result_data.host) == sorted([s.ns1, s.ns3]), _explain(info)
        assert info.result_data.expiry_date == renewed, _explain(info)
        tokens = _parse(info.raw_response).findall(".//dkhm45:authInfo", NS)
        assert [t.get("op") for t in tokens] == ["transfer"], _explain(info)
        token = tokens[0].text
        assert token.startswith("REG-TRANSFER-") and tokens[0].get("expdate"), _explain(info)

        # a host under the domain: create with glue, add an address, read it back, delete it
        glue = Host(epp).create(HostData(
            host_name=s.subhost, address=[IPAddressData(address=s.glue_v4, ip="v4")]
        ))
        assert glue.code == 1000, _explain(glue)
        added = Host(epp).update(
            s.subhost, add_ip_address=[IPAddressData(address=s.glue_v6, ip="v6")]
        )
        assert added.code == 1000, _explain(added)
        host_info = Host(epp).info(s.subhost)
        assert host_info.code == 1000, _explain(host_info)
        assert {(a.address, a.ip) for a in host_info.result_data.address} == {
            (s.glue_v4, "v4"), (s.glue_v6, "v6")}, _explain(host_info)
        deleted = Host(epp).delete(s.subhost)
        assert deleted.code == 1000, _explain(deleted)

        # the registrant's voice number (pyepp's Contact.update sends only what is set)
        voice = Contact(epp).update(ContactData(id=handle, phone=s.new_voice))
        assert voice.code == 1000, _explain(voice)
        contact_info = Contact(epp).info(handle)
        assert contact_info.code == 1000, _explain(contact_info)
        assert contact_info.result_data.phone == s.new_voice, _explain(contact_info)

        # the second registrar pulls the domain with the token; both queues are told
        epp2.connect()
        assert _login(epp2, gaining.clid, gaining.password, DKHM45_NS).code == 1000
        transfer = Domain(epp2).transfer(s.domain, token)
        assert transfer.code == 1000, _explain(transfer)
        trn = _parse(transfer.raw_response).find(".//domain:trnData", NS)
        assert trn.findtext("domain:name", namespaces=NS) == s.domain, _explain(transfer)
        assert trn.findtext("domain:trStatus", namespaces=NS) == "clientApproved"
        assert trn.findtext("domain:acID", namespaces=NS) == losing_id, _explain(transfer)
        gaining_id = trn.findtext("domain:reID", namespaces=NS)
        assert gaining_id not in (None, losing_id), _explain(transfer)
        assert trn.findtext("domain:exDate", namespaces=NS) == renewed, _explain(transfer)
        for conn, text in ((epp2, "added to"), (epp, "removed from")):
            msg, poll = _take_message(conn)
            assert msg == f"{s.domain} has been {text} your portfolio", msg
            assert poll.findtext(".//domain:trnData/domain:reID", namespaces=NS) == gaining_id
        assert epp.logout().code == 1500

        # the new sponsor deletes it (redemption period) and restores it with a report
        delete = Domain(epp2).delete(s.domain)
        assert delete.code == 1001, _explain(delete)
        now = epp_server.clock.now().astimezone(UTC).replace(tzinfo=None)
        restore = Domain(epp2).restore_report(
            s.domain, pre_data="interop pre", post_data="interop post",
            delete_datetime=now, restore_datetime=now, restore_reason="registrant error",
            statement_1="not restored for our own use", statement_2="the report is factual",
        )
        assert restore.code == 1000, _explain(restore)
        msg, _ = _take_message(epp2)
        assert msg == f"{s.domain} has been restored, extended and cancellation stopped", msg
        info = Domain(epp2).info(s.domain)
        assert info.code == 1000, _explain(info)
        assert info.result_data.sponsoring_client_id == gaining_id, _explain(info)
        assert info.result_data.status == ["ok"], _explain(info)
        assert info.result_data.expiry_date == f"{int(renewed[:4]) + 1}{renewed[4:]}"
        assert epp2.logout().code == 1500
    finally:
        epp.disconnect()
        epp2.disconnect()
