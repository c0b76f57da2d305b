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
* The lifecycle test uses the high-level ``domain.info/renew/update/transfer/delete/restore``,
  ``contact.update/info`` and ``host.create/update/info/delete`` and reads the answers with
  ``Response``'s own accessors; only ``dkhm:authInfo`` (no accessor) is read from ``.root``.
  epptools' ``domain.restore()`` can only send ``op="request"``, which .dk does not offer: the
  test checks the registry's 2102 for it (the restore report is covered by the pyepp test).
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
# the lifecycle test needs a verified registrant: dkhm:contact_verification exists from 4.5
DKHM45_NS = "urn:dkhm:params:xml:ns:dkhm-4.5"
SECDNS_NS = "urn:ietf:params:xml:ns:secDNS-1.1"

DkhmValue = str | dict[str, str]  # text, or child elements (local name -> text)


class DkhmClient(Client):
    """epptools ``Client`` that can put dkhm elements into the next command's <extension>."""

    _dkhm: list[tuple[str, DkhmValue]] | None = None

    def __init__(self, config: Config, dkhm_ns: str = DKHM_NS) -> None:
        super().__init__(config)
        self.dkhm_ns = dkhm_ns

    @contextmanager
    def dkhm(self, **elements: DkhmValue) -> Iterator[None]:
        self._dkhm = list(elements.items())
        try:
            yield
        finally:
            leftover, self._dkhm = self._dkhm, None
            assert not leftover, f"dkhm elements were never sent: {leftover}"

    def request(self, frame):  # type: ignore[override]
        if self._dkhm and isinstance(frame, Frame):
            ext = frame.extension()
            for local, value in self._dkhm:
                if isinstance(value, dict):
                    parent = frame.ns(ext, self.dkhm_ns, f"dkhm:{local}")
                    for child, text in value.items():
                        frame.ns(parent, self.dkhm_ns, f"dkhm:{child}", text)
                else:
                    frame.ns(ext, self.dkhm_ns, f"dkhm:{local}", value)
            self._dkhm = []
        return super().request(frame)


def _config(epp_server, scenario, ca_file: str, *, dkhm_ns: str = DKHM_NS,
            login: tuple[str, str] | None = None, secdns: bool = False) -> Config:
    clid, password = login or (scenario.clid, scenario.password)
    return Config(
        host=epp_server.host,
        port=epp_server.port,
        clid=clid,
        password=password,
        ca_file=ca_file,
        obj_uris=[DOMAIN_NS, CONTACT_NS, HOST_NS],
        ext_uris=[dkhm_ns, SECDNS_NS] if secdns else [dkhm_ns],
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


def test_epptools_create_with_ds(epp_server, scenario):
    """DS records on create with epptools' own ``sec_dns`` option: a maxSigLife is refused
    (2307), the plain records are accepted and ``Response.ds_records()`` reads them back
    from the activated domain."""
    s = scenario
    client = DkhmClient(_config(epp_server, s, epp_server.ca_file, secdns=True))
    client.throw_on_failure(False)
    try:
        client.connect()
        assert client.login().code() == 1000
        with client.dkhm(userType="individual"):
            contact = client.contact.create(
                "auto", type="loc", name=s.name, street=[s.street], city=s.city, pc=s.pc,
                cc=s.cc, voice=s.voice, email=s.email,
            )
        assert contact.code() == 1000, _explain(contact)
        for ns_name in (s.ns1, s.ns2):
            assert client.host.create(ns_name).code() == 1000
        records = [
            {"keyTag": 52378, "alg": 13, "digestType": 4,
             "digest": "ED3EF3E1787F797A538ABF130FD90D7499713976F7DA7C05E51826554560FD42"
                       "BBA5E66DBD2F573A75D77EB0B05124C4"},
            {"keyTag": 12345, "alg": 8, "digestType": 2,
             "digest": "E2D3C916F6DEEAC73294E8268FB5885044A833FC5459588F4A9184CFC41A5766"},
        ]
        ds_data = [{"key_tag": r["keyTag"], "alg": r["alg"], "digest_type": r["digestType"],
                    "digest": r["digest"]} for r in records]
        with client.dkhm(orderconfirmationToken=s.token):
            refused = client.domain.create(
                s.domain, years=1, registrant=contact.object_name(),
                nameservers=[s.ns1, s.ns2],
                sec_dns={"max_sig_life": 604800, "ds_data": ds_data},
            )
        assert refused.code() == 2307, _explain(refused)
        assert refused.message().startswith("maxSigLife not supported"), _explain(refused)
        with client.dkhm(orderconfirmationToken=s.token):
            create = client.domain.create(
                s.domain, years=1, registrant=contact.object_name(),
                nameservers=[s.ns1, s.ns2], sec_dns={"ds_data": ds_data},
            )
        assert create.code() == 1001, _explain(create)
        epp_server.process_pending()
        info = client.domain.info(s.domain)
        assert info.code() == 1000, _explain(info)
        assert info.is_signed() and info.ds_records() == records, _explain(info)
        assert client.logout().code() == 1500
    finally:
        client.disconnect()


def _take_message(client: DkhmClient):
    """poll req + ack of the message at the head of the queue; returns the poll response."""
    poll = client.poll.request()
    assert poll.code() == 1301, _explain(poll)
    ack = client.poll.ack(poll.message_id())
    assert ack.code() == 1000, _explain(ack)
    return poll


def _next_year(timestamp: str) -> str:
    return f"{int(timestamp[:4]) + 1}{timestamp[4:]}"


def test_epptools_domain_lifecycle(epp_server, scenario, gaining):
    """renew, update (NS + AuthInfo token), transfer to a second registrar, delete; update and
    delete of a host under the domain and a contact's voice, all with epptools."""
    s = scenario
    client = DkhmClient(_config(epp_server, s, epp_server.ca_file, dkhm_ns=DKHM45_NS),
                        dkhm_ns=DKHM45_NS)
    gainer = DkhmClient(_config(epp_server, s, epp_server.ca_file, dkhm_ns=DKHM45_NS,
                                login=(gaining.clid, gaining.password)), dkhm_ns=DKHM45_NS)
    for c in (client, gainer):
        c.throw_on_failure(False)
    try:
        client.connect()
        assert client.login().code() == 1000

        # a verified registrant, three external hosts, the domain; the registry activates it
        verified = {"verified_id": "true", "verified_email": "true"}
        with client.dkhm(userType="individual", contact_verification=verified):
            contact = client.contact.create(
                "auto", type="loc", name=s.name, street=[s.street], city=s.city, pc=s.pc,
                cc=s.cc, voice=s.voice, email=s.email,
            )
        assert contact.code() == 1000, _explain(contact)
        handle = contact.object_name()
        for ns_name in (s.ns1, s.ns2, s.ns3):
            assert client.host.create(ns_name).code() == 1000
        with client.dkhm(orderconfirmationToken=s.token):
            create = client.domain.create(
                s.domain, years=1, registrant=handle, nameservers=[s.ns1, s.ns2]
            )
        assert create.code() == 1001, _explain(create)
        epp_server.process_pending()
        activated = _take_message(client)
        assert activated.queue_message() == f"{s.domain} has been registered and activated"
        assert activated.pending_action_data()["success"] is True, _explain(activated)

        # renew by one year; epptools cuts exDate down to the curExpDate date itself
        info = client.domain.info(s.domain)
        assert info.code() == 1000, _explain(info)
        losing_id, expiry = info.sponsor(), info.expiry_date()
        renew = client.domain.renew(s.domain, expiry, years=1)
        assert renew.code() == 1000, _explain(renew)
        assert renew.object_name() == s.domain, _explain(renew)
        renewed = renew.expiry_date()
        assert renewed == _next_year(expiry), _explain(renew)

        # one update: add ns3, remove ns2, ask for a transfer token ("auto" in chg/authInfo/pw)
        update = client.domain.update(
            s.domain, add={"ns": [s.ns3]}, remove={"ns": [s.ns2]}, change={"auth_info": "auto"}
        )
        assert update.code() == 1000, _explain(update)
        info = client.domain.info(s.domain)
        assert sorted(info.nameservers()) == sorted([s.ns1, s.ns3]), _explain(info)
        assert info.expiry_date() == renewed, _explain(info)
        tokens = list(info.root.iter(f"{{{DKHM45_NS}}}authInfo"))
        assert [t.get("op") for t in tokens] == ["transfer"], _explain(info)
        token = tokens[0].text
        assert token.startswith("REG-TRANSFER-") and tokens[0].get("expdate"), _explain(info)

        # a host under the domain: create with glue, add an address, read it back, delete it
        assert client.host.create(s.subhost, [s.glue_v4]).code() == 1000
        added = client.host.update(s.subhost, add_addresses=[s.glue_v6])
        assert added.code() == 1000, _explain(added)
        host_info = client.host.info(s.subhost)
        assert {(a["ip"], a["version"]) for a in host_info.host_addresses()} == {
            (s.glue_v4, "v4"), (s.glue_v6, "v6")}, _explain(host_info)
        deleted = client.host.delete(s.subhost)
        assert deleted.code() == 1000, _explain(deleted)

        # the registrant's voice number
        voice = client.contact.update(handle, change={"voice": s.new_voice})
        assert voice.code() == 1000, _explain(voice)
        contact_info = client.contact.info(handle)
        assert contact_info.value("voice") == s.new_voice, _explain(contact_info)

        # the second registrar pulls the domain with the token; both queues are told
        gainer.connect()
        assert gainer.login().code() == 1000
        transfer = gainer.domain.transfer("request", s.domain, auth_info=token)
        assert transfer.code() == 1000, _explain(transfer)
        assert transfer.object_name() == s.domain, _explain(transfer)
        assert transfer.transfer_status() == "clientApproved", _explain(transfer)
        assert transfer.value("acID") == losing_id, _explain(transfer)
        gaining_id = transfer.value("reID")
        assert gaining_id not in (None, losing_id), _explain(transfer)
        assert transfer.expiry_date() == renewed, _explain(transfer)
        for c, text in ((gainer, "added to"), (client, "removed from")):
            poll = _take_message(c)
            assert poll.queue_message() == f"{s.domain} has been {text} your portfolio"
            assert poll.transfer_status() == "clientApproved", _explain(poll)
            assert poll.value("reID") == gaining_id, _explain(poll)
        assert client.logout().code() == 1500

        # the new sponsor deletes it: pending deletion (redemption period)
        delete = gainer.domain.delete(s.domain)
        assert delete.code() == 1001 and delete.is_pending(), _explain(delete)
        # epptools' restore() sends op="request"; .dk restores only on op="report"
        restore = gainer.domain.restore(s.domain)
        assert restore.code() == 2102, _explain(restore)
        assert restore.message().startswith("Unimplemented option"), _explain(restore)
        info = gainer.domain.info(s.domain)
        assert info.sponsor() == gaining_id, _explain(info)
        assert "pendingDelete" in info.statuses(), _explain(info)
        assert gainer.logout().code() == 1500
    finally:
        client.disconnect()
        gainer.disconnect()
