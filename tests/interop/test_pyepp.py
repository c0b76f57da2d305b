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
"""

from __future__ import annotations

from xml.sax.saxutils import escape

import pytest
from lxml import etree

pytest.importorskip("pyepp", reason="pyepp is not installed (pip install pyepp)")

from pyepp.base_command import BaseCommand
from pyepp.command_templates import CONTACT_CREATE_XML, DOMAIN_CREATE_XML
from pyepp.domain import Domain
from pyepp.epp import EppCommunicator, EppCommunicatorException
from pyepp.host import Host, HostData
from pyepp.poll import Poll

pytestmark = [
    pytest.mark.interop,
    # pyepp 0.3.x sets ssl.OP_NO_TLSv1* itself; the DeprecationWarning is the library's, not ours
    pytest.mark.filterwarnings("ignore:ssl.OP_NO_SSL:DeprecationWarning"),
]

EPP_NS = "urn:ietf:params:xml:ns:epp-1.0"
DOMAIN_NS = "urn:ietf:params:xml:ns:domain-1.0"
CONTACT_NS = "urn:ietf:params:xml:ns:contact-1.0"
HOST_NS = "urn:ietf:params:xml:ns:host-1.0"
DKHM_NS = "urn:dkhm:params:xml:ns:dkhm-4.3"
NS = {"epp": EPP_NS, "domain": DOMAIN_NS, "contact": CONTACT_NS, "dkhm": DKHM_NS}

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
          <extURI>{DKHM_NS}</extURI>
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


def _parse(raw: bytes | str) -> etree._Element:
    return etree.fromstring(raw.encode() if isinstance(raw, str) else raw)


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
        login = epp.execute(
            LOGIN_XML.format(
                clid=escape(s.clid), pw=escape(s.password), cltrid=f"pyepp-login-{s.token}"
            )
        )
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
