"""Interop: the Perl Net::EPP client (Debian ``libnet-epp-perl``) against the dkreg EPP server.

The session runs in ``net_epp_client.pl`` (one Perl process, one EPP session). It reports each
step as a JSON line on stdout; after domain:create it waits on stdin so this driver can call
``epp_server.process_pending()`` before the poll. Set ``DKREG_INTEROP_DEBUG=1`` to have
Net::EPP::Simple print every frame on stderr (shown when a test fails).

The script has three flows: ``session`` (the basic registrar session), ``lifecycle`` (renew,
update domain, update/delete host, update contact, transfer to a second registrar, delete)
and ``echo`` (log in echoing the greeting's extURIs, as Net::DRI does), picked by ``flow``
in the configuration line.
"""

from __future__ import annotations

import contextlib
import json
import os
import queue
import shutil
import subprocess
import threading
from dataclasses import asdict
from pathlib import Path

import pytest

pytestmark = pytest.mark.interop

SCRIPT = Path(__file__).with_name("net_epp_client.pl")
DKHM_NS = "urn:dkhm:params:xml:ns:dkhm-4.3"
# the lifecycle flow needs a verified registrant: dkhm:contact_verification exists from 4.5
DKHM45_NS = "urn:dkhm:params:xml:ns:dkhm-4.5"
STEP_TIMEOUT = 60.0  # seconds to wait for the next JSON line


def _perl_or_skip() -> str:
    perl = shutil.which("perl")
    if perl is None:
        pytest.skip("perl is not installed (Net::EPP interop needs perl + libnet-epp-perl)")
    probe = subprocess.run(
        [perl, "-MNet::EPP::Simple", "-MNet::EPP::Frame", "-MJSON::PP", "-e1"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    if probe.returncode != 0:
        lines = probe.stderr.strip().splitlines()
        detail = lines[0].split(" (")[0] if lines else f"exit status {probe.returncode}"
        pytest.skip(f"Perl module Net::EPP is missing (apt-get install libnet-epp-perl): {detail}")
    return perl


class PerlSession:
    """The Perl client as a child process: JSON lines out, a 'go' line in."""

    def __init__(self, perl: str, config: dict) -> None:
        self.proc = subprocess.Popen(
            [perl, str(SCRIPT)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            bufsize=1,
        )
        self.lines: queue.Queue[str | None] = queue.Queue()
        self.stderr: list[str] = []
        self.seen: list[dict] = []
        self.readers = [
            threading.Thread(target=self._pump, daemon=True),
            threading.Thread(target=self._drain, daemon=True),
        ]
        for reader in self.readers:
            reader.start()
        self.proc.stdin.write(json.dumps(config) + "\n")
        self.proc.stdin.flush()

    def _pump(self) -> None:
        for line in self.proc.stdout:
            self.lines.put(line)
        self.lines.put(None)

    def _drain(self) -> None:
        for line in self.proc.stderr:
            self.stderr.append(line)

    def context(self) -> str:
        return (
            "steps so far:\n"
            + "\n".join(json.dumps(s) for s in self.seen)
            + "\nperl stderr:\n"
            + "".join(self.stderr[-200:])
        )

    def next(self, expected_step: str) -> dict:
        try:
            line = self.lines.get(timeout=STEP_TIMEOUT)
        except queue.Empty:
            pytest.fail(
                f"Net::EPP client silent for {STEP_TIMEOUT}s waiting for "
                f"{expected_step!r}\n{self.context()}"
            )
        if line is None:
            self.proc.wait(timeout=10)
            pytest.fail(
                f"Net::EPP client exited ({self.proc.returncode}) before "
                f"{expected_step!r}\n{self.context()}"
            )
        step = json.loads(line)
        self.seen.append(step)
        assert step.get("step") == expected_step, f"expected {expected_step!r}\n{self.context()}"
        return step

    def go(self) -> None:
        self.proc.stdin.write("go\n")
        self.proc.stdin.flush()

    def close(self) -> int:
        with contextlib.suppress(OSError):
            self.proc.stdin.close()
        try:
            rc = self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            rc = self.proc.wait()
        for reader in self.readers:
            reader.join(timeout=10)
        self.proc.stdout.close()
        self.proc.stderr.close()
        return rc


def _config(epp_server, scenario, ca_file: str, **more: object) -> dict:
    cfg = asdict(scenario)
    cfg.update(
        host=epp_server.host,
        port=int(epp_server.port),
        ca_file=ca_file,
        user=scenario.clid,
        **{"pass": scenario.password},
        debug=os.environ.get("DKREG_INTEROP_DEBUG") == "1",
        **more,
    )
    return cfg


def test_net_epp_full_session(epp_server, scenario):
    perl = _perl_or_skip()
    s = scenario
    session = PerlSession(perl, _config(epp_server, s, epp_server.ca_file))
    try:
        greeting = session.next("greeting")
        assert DKHM_NS in greeting["extURIs"], session.context()

        assert session.next("login")["code"] == 1000, session.context()
        assert session.next("hello")["ok"] is True, session.context()

        check = session.next("check")
        assert check["code"] == 1000, session.context()
        assert set(check["avail"]) == {s.domain, s.other_domain}, session.context()
        assert check["avail"][s.domain] is True, session.context()

        contact = session.next("contact_create")
        assert contact["code"] == 1000, session.context()
        handle = contact["id"]
        assert handle and handle != "auto" and handle.endswith("-DK"), session.context()

        for name in (s.ns1, s.ns2):
            host = session.next("host_create")
            assert host["name"] == name and host["ok"] is True, session.context()
            assert host["code"] == 1000, session.context()

        create = session.next("domain_create")
        assert create["code"] == 1001, session.context()
        assert (create["trackingNo"] or "").strip(), session.context()

        session.next("await_processing")
        epp_server.process_pending()
        session.go()

        poll = session.next("poll_req")
        assert poll["code"] == 1301, session.context()
        if poll["code"] == 1301:
            ack = session.next("poll_ack")
            assert ack["code"] == 1000 and ack["id"] == poll["id"], session.context()

        assert session.next("logout")["code"] == 1500, session.context()
        session.next("done")
    finally:
        rc = session.close()
    assert rc == 0, session.context()


def test_net_epp_rejects_untrusted_server_certificate(epp_server, scenario, untrusted_ca_file):
    perl = _perl_or_skip()
    session = PerlSession(perl, _config(epp_server, scenario, untrusted_ca_file))
    try:
        fatal = session.next("fatal")
    finally:
        rc = session.close()
    assert rc == 1
    assert fatal["at"] == "login"
    assert "certificate verify failed" in fatal["error"].lower(), session.context()


def _next_year(timestamp: str) -> str:
    return f"{int(timestamp[:4]) + 1}{timestamp[4:]}"


def test_net_epp_domain_lifecycle(epp_server, scenario, gaining):
    """renew, update (NS + AuthInfo token), transfer to a second registrar, delete; update and
    delete of a host under the domain and a contact's voice, all with Net::EPP."""
    perl = _perl_or_skip()
    s = scenario
    session = PerlSession(perl, _config(
        epp_server, s, epp_server.ca_file, flow="lifecycle", dkhm_ns=DKHM45_NS,
        gaining_user=gaining.clid, gaining_pass=gaining.password,
    ))
    try:
        assert DKHM45_NS in session.next("greeting")["extURIs"], session.context()
        assert session.next("login")["code"] == 1000, session.context()
        handle = session.next("contact_create")["id"]
        assert handle and handle.endswith("-DK"), session.context()
        for name in (s.ns1, s.ns2, s.ns3):
            host = session.next("host_create")
            assert (host["name"], host["code"]) == (name, 1000), session.context()
        assert session.next("domain_create")["code"] == 1001, session.context()
        session.next("await_processing")
        epp_server.process_pending()
        session.go()
        created = session.next("poll_created")
        assert created["code"] == 1301, session.context()
        assert created["qmsg"] == f"{s.domain} has been registered and activated"
        assert created["paResult"] in ("1", "true"), session.context()
        assert session.next("poll_created_ack")["code"] == 1000, session.context()

        info = session.next("info")
        losing_id, expiry = info["clID"], info["exDate"]
        assert losing_id and expiry, session.context()
        renew = session.next("renew")
        assert (renew["ok"], renew["code"]) == (True, 1000), session.context()
        update = session.next("update")
        assert (update["ok"], update["code"]) == (True, 1000), session.context()
        info = session.next("info_updated")
        assert info["exDate"] == _next_year(expiry), session.context()
        assert sorted(info["ns"]) == sorted([s.ns1, s.ns3]), session.context()
        assert [t["op"] for t in info["tokens"]] == ["transfer"], session.context()
        token = info["tokens"][0]
        assert token["token"].startswith("REG-TRANSFER-") and token["expdate"], session.context()

        for step in ("subhost_create", "subhost_update"):
            result = session.next(step)
            assert (result["ok"], result["code"]) == (True, 1000), session.context()
        addrs = session.next("subhost_info")["addrs"]
        assert {(a["addr"], a["version"]) for a in addrs} == {
            (s.glue_v4, "v4"), (s.glue_v6, "v6")}, session.context()
        deleted = session.next("subhost_delete")
        assert (deleted["ok"], deleted["code"]) == (True, 1000), session.context()
        voice = session.next("contact_update")
        assert (voice["ok"], voice["code"]) == (True, 1000), session.context()
        assert session.next("contact_info")["voice"] == s.new_voice, session.context()

        assert session.next("login_gaining")["code"] == 1000, session.context()
        transfer = session.next("transfer")
        assert transfer["code"] == 1000, session.context()
        trn = transfer["trnData"]
        assert (trn["name"], trn["trStatus"]) == (s.domain, "clientApproved"), session.context()
        assert trn["acID"] == losing_id and trn["reID"] not in (None, losing_id)
        assert trn["exDate"] == _next_year(expiry), session.context()
        for step, text in (("poll_gaining", "added to"), ("poll_losing", "removed from")):
            poll = session.next(step)
            assert poll["qmsg"] == f"{s.domain} has been {text} your portfolio", session.context()
            assert (poll["reID"], poll["trStatus"]) == (trn["reID"], "clientApproved")
            assert session.next(f"{step}_ack")["code"] == 1000, session.context()
        assert session.next("logout")["code"] == 1500, session.context()

        delete = session.next("delete")
        assert (delete["ok"], delete["code"]) == (True, 1001), session.context()
        info = session.next("info_deleted")
        assert info["clID"] == trn["reID"], session.context()
        assert "pendingDelete" in info["status"], session.context()
        assert session.next("logout_gaining")["code"] == 1500, session.context()
        session.next("done")
    finally:
        rc = session.close()
    assert rc == 0, session.context()


def test_net_epp_echoing_the_greeting_reads_dkhm_43(epp_server, scenario):
    """Net::DRI's DKHostmaster driver logs in with every extURI of the greeting (dkhm-4.3,
    4.4, 4.5 in the greeting's order) and reads answers in dkhm-4.3, the version it writes.
    Net::EPP::Simple echoes the greeting the same way when given no extensions."""
    perl = _perl_or_skip()
    s = scenario
    session = PerlSession(perl, _config(epp_server, s, epp_server.ca_file, flow="echo",
                                        org="Punktum dk A/S", cvr="24210375"))
    try:
        greeting = session.next("greeting")["extURIs"]
        assert {DKHM_NS, DKHM45_NS} <= set(greeting), session.context()
        assert session.next("login")["code"] == 1000, session.context()
        company = session.next("company_create")
        assert company["code"] == 1000, session.context()
        info = session.next("company_info")
        assert (info["code"], info["userType"], info["CVR"]) == (1000, "company", "24210375"), \
            session.context()
        assert session.next("contact_create")["code"] == 1000, session.context()
        for _name in (s.ns1, s.ns2):
            assert session.next("host_create")["code"] == 1000, session.context()
        create = session.next("domain_create")
        assert create["code"] == 1001 and (create["trackingNo"] or "").strip(), \
            session.context()
        session.next("await_processing")
        epp_server.process_pending()
        session.go()
        poll = session.next("poll_req")
        assert poll["code"] == 1301 and poll["risk_assessment"], session.context()
        assert session.next("update")["code"] == 1000, session.context()
        info = session.next("info")
        assert info["autoRenew"] == "true", session.context()
        assert [t["op"] for t in info["tokens"]] == ["transfer"], session.context()
        assert session.next("logout")["code"] == 1500, session.context()
        session.next("done")
    finally:
        rc = session.close()
    assert rc == 0, session.context()
    # the login really listed every dkhm version the greeting offers
    [login] = epp_server._call(epp_server.registry.rows(
        "select request from audit where command = 'login' and actor = :a", a=s.clid))
    assert all(ns.encode() in login.request.encode() for ns in greeting
               if ns.startswith("urn:dkhm:params:xml:ns:dkhm-4.")), login.request
