"""Interop: the epptools client (PyPI ``epptools``) against the dkreg EPP server.

How epptools is driven (details in README.md):
* TLS: ``Config(ca_file=...)`` -> ``SSLContext.load_verify_locations``; peer and host name are
  verified (``verify_peer`` / ``verify_peer_name`` stay True).
* login: ``Client.login()`` with ``Config.obj_uris`` / ``Config.ext_uris`` pinned (by default it
  mirrors every URI the greeting offers) and ``login_security=False``.
* Every command is the library's high-level one (``client.domain.check/create``,
  ``client.contact.create``, ``client.host.create``, ``client.poll.request/ack``, ``logout``).
  The dkhm elements are added with the library's own frame API (``Frame.extension()`` +
  ``Frame.ns()``) by a small ``Client`` subclass that decorates the next frame passed to
  ``Client.request()`` — every high-level command ends in that call with its ``Frame``.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import pytest

pytest.importorskip("epptools", reason="epptools is not installed (pip install epptools)")

from epptools import Client, Config, Frame
from epptools.exceptions import ConnectionException

pytestmark = pytest.mark.interop

DOMAIN_NS = "urn:ietf:params:xml:ns:domain-1.0"
CONTACT_NS = "urn:ietf:params:xml:ns:contact-1.0"
HOST_NS = "urn:ietf:params:xml:ns:host-1.0"
DKHM_NS = "urn:dkhm:params:xml:ns:dkhm-4.3"


class DkhmClient(Client):
    """epptools ``Client`` that can put dkhm-4.3 elements into the next command's <extension>."""

    _dkhm: list[tuple[str, str]] | None = None

    @contextmanager
    def dkhm(self, **elements: str) -> Iterator[None]:
        self._dkhm = list(elements.items())
        try:
            yield
        finally:
            leftover, self._dkhm = self._dkhm, None
            assert not leftover, f"dkhm elements were never sent: {leftover}"

    def request(self, frame):  # type: ignore[override]
        if self._dkhm and isinstance(frame, Frame):
            ext = frame.extension()
            for local, text in self._dkhm:
                frame.ns(ext, DKHM_NS, f"dkhm:{local}", text)
            self._dkhm = []
        return super().request(frame)


def _config(epp_server, scenario, ca_file: str) -> Config:
    return Config(
        host=epp_server.host,
        port=epp_server.port,
        clid=scenario.clid,
        password=scenario.password,
        ca_file=ca_file,
        obj_uris=[DOMAIN_NS, CONTACT_NS, HOST_NS],
        ext_uris=[DKHM_NS],
        login_security=False,
        cltrid_prefix="EPPTOOLS",
        read_timeout=30.0,
    )


def _explain(resp) -> str:
    return f"{resp.code()} {resp.message()!r}\n{resp.raw}"


def test_epptools_full_session(epp_server, scenario):
    s = scenario
    client = DkhmClient(_config(epp_server, s, epp_server.ca_file))
    client.throw_on_failure(False)  # assert on codes here, with the raw frame in the message
    try:
        greeting = client.connect()
        assert greeting.is_greeting(), greeting.raw
        assert DKHM_NS in greeting.service_ext_uris(), greeting.raw

        login = client.login()  # raises on anything but 1000
        assert login.code() == 1000, _explain(login)

        check = client.domain.check([s.domain, s.other_domain])
        assert check.code() == 1000, _explain(check)
        avail = check.availability()
        assert set(avail) == {s.domain, s.other_domain}, _explain(check)
        assert avail[s.domain] is True, _explain(check)

        with client.dkhm(userType="individual"):
            contact = client.contact.create(
                "auto",
                type="loc",
                name=s.name,
                street=[s.street],
                city=s.city,
                pc=s.pc,
                cc=s.cc,
                voice=s.voice,
                email=s.email,
            )
        assert contact.code() == 1000, _explain(contact)
        handle = contact.object_name()
        assert handle and handle != "auto" and handle.endswith("-DK"), _explain(contact)

        for ns_name in (s.ns1, s.ns2):
            host = client.host.create(ns_name)
            assert host.code() == 1000, _explain(host)

        # auth_info omitted -> epptools sends <domain:authInfo><domain:pw/></domain:authInfo>
        with client.dkhm(orderconfirmationToken=s.token):
            create = client.domain.create(
                s.domain, years=1, registrant=handle, nameservers=[s.ns1, s.ns2]
            )
        assert create.code() == 1001, _explain(create)
        assert create.is_pending()
        assert (create.value("trackingNo") or "").strip(), _explain(create)

        epp_server.process_pending()
        poll = client.poll.request()
        assert poll.code() == 1301, _explain(poll)
        if poll.code() == 1301:
            msg_id = poll.message_id()
            assert msg_id, _explain(poll)
            ack = client.poll.ack(msg_id)
            assert ack.code() == 1000, _explain(ack)

        logout = client.logout()
        assert logout.code() == 1500, _explain(logout)
    finally:
        client.disconnect()


def test_epptools_rejects_untrusted_server_certificate(epp_server, scenario, untrusted_ca_file):
    client = Client(_config(epp_server, scenario, untrusted_ca_file))
    try:
        with pytest.raises(ConnectionException, match="CERTIFICATE_VERIFY_FAILED"):
            client.connect()
    finally:
        client.disconnect()
