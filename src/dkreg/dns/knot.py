"""The sandbox's own authoritative name server for the .dk zone: Knot DNS (``knotd``).

Why Knot DNS (Debian package ``knot``) and not BIND 9:

- **Automatic DNSSEC signing with key management** in the server (``dnssec-signing: on``
  and a KASP policy): Knot generates the KSK and ZSK, signs the zone, re-signs before the
  signatures expire and rolls the ZSK by itself. The zone is signed by name-server
  software, never by dkreg's own crypto (issue 14, "Signing").
- **RFC 2136 dynamic updates with TSIG and incremental re-signing**: an UPDATE changes
  a few delegations and Knot re-signs only the changed NSEC3 chain and DS sets, so
  publication costs milliseconds, not a re-sign of 1.4 million delegations.
- **A journal holding the whole zone** (``journal-content: all``): a restart keeps every
  update dkreg published (the zone file is never rewritten, ``zonefile-sync: -1``), and
  a restart with a freshly generated zone file applies only the difference
  (``zonefile-load: difference-no-serial``).
- **``knotc`` and its configuration transactions** (``conf-begin`` / ``conf-set`` /
  ``conf-commit``) add and remove the sandbox's test zones while the server runs, with
  no restart and no signing interruption of the .dk zone.

How it is configured here (``_config``): listen on ``dns_host@port`` (port 0 picks a free
one and keeps it in ``workdir/port`` so a restart answers where it did); the zone file is
``workdir/zones/<origin>.zone``; UPDATE is allowed only with the TSIG key
(``dkreg.dns.tsig``); policy: ECDSA P-256 SHA-256 (algorithm 13), NSEC3 with opt-out (an
unsigned delegation gets no NSEC3 record: most of a TLD), 0 extra iterations and no salt
(RFC 9276); no CDS/CDNSKEY at the apex (the root does not scan for them).

The serial: the generator writes dkreg's serial into the file; on a zone's first load
Knot takes it, and from then on Knot owns the served serial (``difference-no-serial``
ignores the file's serial) with ``serial-policy: unixtime``: every change (an UPDATE,
a re-sign, a new generation's difference) gets the larger of the current time and the
old serial + 1. That keeps the served serial increasing whichever side caused a change,
and a date-based dkreg serial (YYYYMMDDnn, larger than today's Unix time) simply keeps
being incremented.

Keys: in the sandbox Knot generates them into ``workdir/keys`` (its KASP database). In
production dkreg does not run a KnotServer at all: it publishes to the operator's hidden
primary (``dns_server = "primary"``, ``dns_primary``), which signs with the operator's
keys, typically in an HSM through Knot's PKCS #11 keystore (``keystore: backend:
pkcs11``) or BIND's ``dnssec-policy`` with its key directory; see the README.

Blocking, synchronous calls (a start takes about a second): the app runs them in a
thread (``asyncio.to_thread``).
"""

from __future__ import annotations

import contextlib
import logging
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import dns.dnssec
import dns.exception
import dns.flags
import dns.message
import dns.name
import dns.query
import dns.rdataclass
import dns.rdatatype
import dns.rdtypes.ANY.DNSKEY
import dns.rdtypes.ANY.SOA
import dns.zone

from dkreg.config import Settings
from dkreg.dns.tsig import TsigKey, tsig_key

log = logging.getLogger(__name__)

START_TIMEOUT = 60.0  # seconds until the zone must answer SOA, plus START_PER_MIB
# ... seconds per MiB of zone file: Knot parses and signs .dk's 1.4 million delegations
# (204 MiB) in 73-80 s on two cores before it answers, over 200 s on a busy machine
START_PER_MIB = 2.0
STOP_TIMEOUT = 30.0  # seconds after SIGTERM before SIGKILL (1.4 M names flush slowly)
POLICY = "dkreg"
TEST_TEMPLATE = "test"
PORT_FILE = "port"
LOG_FILE = "knotd.log"
TRUST_ANCHOR_FILE = "trust-anchor.conf"
# sockaddr_un holds 108 bytes; a deep workdir (pytest's tmp_path) puts the control
# socket in a short temporary directory instead
_SOCKET_PATH_MAX = 100


class KnotError(RuntimeError):
    """knotd or knotc failed; the message names the log to read."""


def knotd_available() -> bool:
    """Whether Knot DNS is installed (``knotd`` and ``knotc`` on PATH or in /usr/sbin)."""
    return _tool("knotd") is not None and _tool("knotc") is not None


def _tool(name: str) -> str | None:
    # Debian installs them in /usr/sbin, which a non-root PATH often lacks
    return shutil.which(name) or shutil.which(name, path="/usr/sbin:/sbin")


def listening_port(settings: Settings, workdir: Path) -> int:
    """Where the sandbox's knotd listens (or last listened): the port it bound, kept in
    ``workdir/port`` by every start; ``dns_port`` before the first start."""
    try:
        return int((workdir / PORT_FILE).read_text().strip())
    except (OSError, ValueError):
        return settings.dns_port


def free_port(host: str) -> int:
    """A port free for both UDP and TCP on ``host`` right now (the kernel's choice)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    for _ in range(50):
        with socket.socket(family, socket.SOCK_STREAM) as tcp:
            tcp.bind((host, 0))
            port = int(tcp.getsockname()[1])
            with socket.socket(family, socket.SOCK_DGRAM) as udp:
                try:
                    udp.bind((host, port))
                except OSError:
                    continue
                return port
    raise KnotError(f"no free port on {host}")


class KnotServer:
    """One knotd serving the zone ``settings.zone_origin`` from ``workdir``.

    ``workdir`` holds everything: the configuration (``knot.conf`` and its imported
    database ``confdb``), ``zones/`` (the master file), ``testzones/``, ``storage/``
    (journal and timers), ``keys/`` (the KASP database with the generated keys),
    ``tsig.key``, ``port`` and ``knotd.log``.
    """

    def __init__(self, settings: Settings, workdir: Path, *, keep_port: bool = True,
                 strict_port: bool = False) -> None:
        self.settings = settings
        # absolute: knotd resolves relative paths against its rundir, not our cwd
        self.workdir = Path(workdir).resolve()
        self.keep_port = keep_port  # False: a brief server that must not move the kept port
        self.strict_port = strict_port  # True: the configured port or fail (others expect it)
        self.workdir.mkdir(parents=True, exist_ok=True)
        self.zone = settings.zone_origin.strip(".").lower()
        self.host = settings.dns_host
        self.port = settings.dns_port
        self.tsig: TsigKey = tsig_key(settings, self.workdir)
        self.log_file = self.workdir / LOG_FILE
        self._proc: subprocess.Popen[bytes] | None = None
        self._rundir: Path | None = None
        self._own_rundir = False
        self._log_offset = 0  # where this start's lines begin in knotd.log

    # --- paths -------------------------------------------------------------------------

    @property
    def zone_file(self) -> Path:
        """The master file knotd loads the zone from (written by ``start``)."""
        return self.workdir / "zones" / f"{self.zone}.zone"

    @property
    def _test_dir(self) -> Path:
        return self.workdir / "testzones"

    @property
    def _journal(self) -> Path:
        return self.workdir / "storage" / "journal"

    @property
    def socket_path(self) -> Path:
        if self._rundir is None:
            raise KnotError("knotd is not running")
        return self._rundir / "knot.sock"

    @property
    def running(self) -> bool:
        return self._proc is not None and self._proc.poll() is None

    # --- start and stop ----------------------------------------------------------------

    def start(self, zone_text: str | None = None, *, from_file: bool = False) -> None:
        """Write the configuration and the zone, start knotd and wait until the zone
        answers SOA (signed: Knot serves a zone once it has signed it).

        ``zone_text``: a full master file of the zone (the generator's); a server that
        ran before applies the difference to its journal. ``None``: serve what the
        journal holds (the updates of earlier runs); the zone file already there is not
        read again, which would undo those updates. ``from_file``: the caller wrote
        ``zone_file`` itself (a large zone streamed to disk); load it like a text.
        """
        if self.running:
            raise KnotError(f"knotd is already running on {self.host}@{self.port}")
        knotd, knotc = _tool("knotd"), _tool("knotc")
        if knotd is None or knotc is None:
            raise KnotError("Knot DNS is not installed (Debian: apt-get install knot)")
        for sub in ("zones", "testzones", "storage", "keys"):
            (self.workdir / sub).mkdir(exist_ok=True)
        if zone_text is not None:
            _write_atomically(self.zone_file, zone_text)
        elif not from_file and not self.zone_file.exists():
            raise KnotError(f"no zone text given and no zone file {self.zone_file} yet")
        new_text = zone_text is not None or from_file
        zonefile_load = ("difference-no-serial" if new_text or not self._journal_exists()
                         else "none")
        taken: list[int] = []
        for port in self._candidate_ports():
            self.port = port
            self._rundir = self._make_rundir()
            self._import_config(knotc, self._config(zonefile_load))
            try:
                self._spawn(knotd)
                self._wait_ready()
            except _PortTaken:
                self._cleanup_rundir()
                taken.append(port)
                log.warning("%s port %s is taken: the sandbox's name server tries another",
                            self.host, port)
                continue
            except BaseException:
                self.stop()
                raise
            if self.keep_port:
                (self.workdir / PORT_FILE).write_text(f"{self.port}\n")
            return
        raise KnotError(f"knotd could not bind {self.host} on port "
                        f"{', '.join(map(str, taken))}; see {self.log_file}")

    def _candidate_ports(self) -> Iterator[int]:
        """The configured port, then the one kept from the last start, then free ones:
        a second sandbox on the machine (or a port some other program holds) gets a
        port of its own instead of no DNS; ``dkreg serve`` prints where."""
        configured = self.settings.dns_port
        if configured:
            yield configured
            if self.strict_port:
                return
        kept = listening_port(self.settings, self.workdir) if self.keep_port else 0
        if kept and kept != configured:
            yield kept
        for _ in range(3):  # a free port may be taken again before knotd binds it
            yield free_port(self.host)

    def stop(self) -> None:
        """Terminate knotd and wait for it; SIGKILL when it has not ended in
        ``STOP_TIMEOUT``."""
        proc, self._proc = self._proc, None
        if proc is not None and proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(STOP_TIMEOUT)
            except subprocess.TimeoutExpired:
                log.warning("knotd (pid %s) ignored SIGTERM for %.0f s; killing it",
                            proc.pid, STOP_TIMEOUT)
                proc.kill()
                proc.wait()
        self._cleanup_rundir()

    def __enter__(self) -> KnotServer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def _journal_exists(self) -> bool:
        return (self._journal / "data.mdb").exists()

    def _make_rundir(self) -> Path:
        rundir = self.workdir / "run"
        if len(str(rundir / "knot.sock")) <= _SOCKET_PATH_MAX:
            rundir.mkdir(exist_ok=True)
            self._own_rundir = False
            return rundir
        self._own_rundir = True
        return Path(tempfile.mkdtemp(prefix="dkreg-knot-"))

    def _cleanup_rundir(self) -> None:
        if self._rundir is not None and self._own_rundir:
            shutil.rmtree(self._rundir, ignore_errors=True)
        self._rundir = None

    def _import_config(self, knotc: str, text: str) -> None:
        """knotc's live configuration transactions need a configuration database, not a
        text file: import the text into a fresh one before every start."""
        conf = self.workdir / "knot.conf"
        _write_atomically(conf, text)
        confdb = self.workdir / "confdb"
        shutil.rmtree(confdb, ignore_errors=True)
        result = subprocess.run([knotc, "-C", str(confdb), "conf-import", str(conf)],
                                capture_output=True, text=True, check=False)
        if result.returncode != 0:
            raise KnotError(f"knotc conf-import {conf} failed: "
                            f"{(result.stderr or result.stdout).strip()}")

    def _spawn(self, knotd: str) -> None:
        with self.log_file.open("ab") as out:
            out.write(f"--- dkreg: starting knotd on {self.host}@{self.port}\n".encode())
            out.flush()
            # where this run's output starts, taken before knotd runs: taken after, it
            # could lie past what a knotd that failed at once had already written (its
            # "address already in use" then went unread; CI, test_knot)
            self._log_offset = self.log_file.stat().st_size
            self._proc = subprocess.Popen(
                [knotd, "-C", str(self.workdir / "confdb")], stdin=subprocess.DEVNULL,
                stdout=out, stderr=subprocess.STDOUT, start_new_session=True)

    def _wait_ready(self) -> None:
        try:
            size_mib = self.zone_file.stat().st_size / 2**20
        except OSError:
            size_mib = 0.0
        budget = START_TIMEOUT + START_PER_MIB * size_mib
        deadline = time.monotonic() + budget
        while True:
            assert self._proc is not None
            code = self._proc.poll()
            if code is not None:
                tail = self._log_tail()
                self._proc = None
                if "address already in use" in tail:
                    raise _PortTaken
                raise KnotError(f"knotd ended at start (exit {code}); "
                                f"see {self.log_file}:\n{tail}")
            if self.socket_path.exists() and self._answers_soa():
                return
            # knotd keeps running without a zone it could not load: do not wait 60 s
            if f"[{self.zone}.] zone event 'load' failed" in self._log_tail(lines=200):
                raise KnotError(f"knotd could not load the zone {self.zone}.; see "
                                f"{self.log_file}:\n{self._log_tail()}")
            if time.monotonic() > deadline:
                raise KnotError(f"knotd did not serve {self.zone}. SOA within "
                                f"{budget:.0f} s; see {self.log_file}:\n"
                                f"{self._log_tail()}")
            time.sleep(0.05)

    def _log_tail(self, lines: int = 15) -> str:
        try:
            with self.log_file.open("rb") as f:
                f.seek(self._log_offset)
                text = f.read().decode(errors="replace")
        except OSError:
            return ""
        return "\n".join(text.splitlines()[-lines:])

    def _answers_soa(self) -> bool:
        try:
            response = self.query(self.zone, "SOA", timeout=0.5, tcp=False)
        except (OSError, dns.exception.DNSException):
            return False
        return bool(response.flags & dns.flags.AA) and response.rcode() == 0 and any(
            rrset.rdtype == dns.rdatatype.SOA for rrset in response.answer)

    # --- the configuration -------------------------------------------------------------

    def _config(self, zonefile_load: str) -> str:
        """Knot's YAML configuration (``knot.conf(5)``), quoted where paths may hold
        spaces."""
        assert self._rundir is not None
        w = self.workdir
        threads = max(1, min(4, os.cpu_count() or 1))
        test_zones = "".join(
            f"  - domain: {name}\n    template: {TEST_TEMPLATE}\n    file: \"{name}.zone\"\n"
            for name in self._stored_test_zones())
        return f"""\
# written by dkreg (dkreg.dns.knot) at every start; edits here are overwritten
server:
    rundir: "{self._rundir}"
    listen: {self.host}@{self.port}
    identity: ""
    version: ""

log:
  - target: stderr
    any: info

database:
    storage: "{w / 'storage'}"
    kasp-db: "{w / 'keys'}"

control:
    listen: "{self.socket_path}"
    timeout: 30

{self.tsig.knot_conf()}
acl:
  - id: dkreg-update
    key: {self.tsig.name.rstrip('.')}
    action: [update, transfer]  # transfer: `dkreg zone resync` reads the zone

policy:
  - id: {POLICY}
    algorithm: ecdsap256sha256
    nsec3: on
    nsec3-opt-out: on
    nsec3-iterations: 0
    nsec3-salt-length: 0
    cds-cdnskey-publish: none
    signing-threads: {threads}

template:
  - id: default
    storage: "{w / 'zones'}"
    semantic-checks: on
  - id: {TEST_TEMPLATE}
    storage: "{w / 'testzones'}"
    zonefile-sync: -1
    zonefile-load: whole
    journal-content: none

zone:
  - domain: {self.zone}
    file: "{self.zone_file.name}"
    zonefile-sync: -1
    zonefile-load: {zonefile_load}
    journal-content: all
    journal-max-usage: 4G
    journal-max-depth: 1000  # at the default 20 each update costs more with a large zone
    serial-policy: unixtime
    dnssec-signing: on
    dnssec-policy: {POLICY}
    acl: dkreg-update
{test_zones}"""

    # --- control and queries -----------------------------------------------------------

    def knotc(self, *args: str) -> str:
        """Run ``knotc`` against this server's control socket; its output, or
        KnotError with what knotc said."""
        knotc = _tool("knotc")
        if knotc is None:
            raise KnotError("knotc is not installed")
        result = subprocess.run([knotc, "-s", str(self.socket_path), "-t", "30", *args],
                                capture_output=True, text=True, check=False)
        if result.returncode != 0:
            raise KnotError(f"knotc {' '.join(args)}: "
                            f"{(result.stderr or result.stdout).strip()}")
        return result.stdout

    def query(self, name: str, rdtype: str, *, dnssec: bool = False, tcp: bool = True,
              timeout: float = 5.0) -> dns.message.Message:
        """One query to this server (no recursion wanted: it is authoritative)."""
        q = dns.message.make_query(_absolute(name), rdtype, want_dnssec=dnssec)
        q.flags &= ~dns.flags.RD
        send = dns.query.tcp if tcp else dns.query.udp
        return send(q, self.host, timeout=timeout, port=self.port)

    def serial(self) -> int:
        """The SOA serial the server answers with now."""
        response = self.query(self.zone, "SOA")
        for rrset in response.answer:
            for rdata in rrset:
                if isinstance(rdata, dns.rdtypes.ANY.SOA.SOA):
                    return int(rdata.serial)
        raise KnotError(f"{self.host}@{self.port} gave no SOA for {self.zone}.")

    def dnskeys(self) -> list[dns.rdtypes.ANY.DNSKEY.DNSKEY]:
        """The zone's DNSKEY set as served, its signature checked against itself."""
        return served_dnskeys(self.host, self.port, self.zone)

    def ds_for_parent(self) -> list[str]:
        """The DS records (SHA-256) the parent (the root) should publish: one per key
        with the SEP flag (the KSK, or a CSK) in the DNSKEY set the server serves, as
        DS rdata text ("tag alg 2 HEX")."""
        return served_ds(self.host, self.port, self.zone)

    def trust_anchor_file(self) -> Path:
        """A ``trust-anchors`` file for the zone (BIND 9.16+ syntax, which ``delv -a``
        and unbound's ``trust-anchor-file`` read), from ``ds_for_parent``."""
        path = self.workdir / TRUST_ANCHOR_FILE
        _write_atomically(path, trust_anchor_text(self.zone, self.ds_for_parent()))
        return path

    def answering(self) -> bool:
        """Whether a server answers for the zone where this one listens (the port kept
        in the workdir, or the configured one): ``dkreg serve`` running it."""
        if not self.running:
            self.port = listening_port(self.settings, self.workdir)
            if self.port == 0:
                return False
        return self._answers_soa()

    # --- test zones (a registrar's name servers, hosted by the sandbox) ----------------

    def add_test_zone(self, name: str, text: str) -> None:
        """Serve ``text`` as the unsigned zone ``name``, added live through a knotc
        configuration transaction (replacing a test zone of that name); returns once
        the server answers the zone's SOA with the text's serial."""
        name = _zone_name(name)
        if name == self.zone:
            raise KnotError(f"{name} is the registry's own zone, not a test zone")
        serial = _check_zone_text(name, text)
        if name in self.test_zones():
            self._conf_transaction(("conf-unset", f"zone[{name}]"))
        _write_atomically(self._test_dir / f"{name}.zone", text)
        self._conf_transaction(("conf-set", f"zone[{name}]"),
                               ("conf-set", f"zone[{name}].template", TEST_TEMPLATE),
                               ("conf-set", f"zone[{name}].file", f"{name}.zone"))
        self._wait_zone(name, serial)

    def remove_test_zone(self, name: str) -> None:
        """Stop serving the test zone ``name`` (live) and delete its file."""
        name = _zone_name(name)
        if name in self.test_zones():
            self._conf_transaction(("conf-unset", f"zone[{name}]"))
        (self._test_dir / f"{name}.zone").unlink(missing_ok=True)

    def test_zones(self) -> list[str]:
        """The test zones the running server has (stored ones when it is not running)."""
        if not self.running:
            return self._stored_test_zones()
        names = []
        for line in self.knotc("conf-read", "zone.domain").splitlines():
            value = line.partition("=")[2].strip().rstrip(".").lower()
            if value and value != self.zone:
                names.append(value)
        return sorted(names)

    def _stored_test_zones(self) -> list[str]:
        if not self._test_dir.is_dir():
            return []
        return sorted(p.name.removesuffix(".zone") for p in self._test_dir.glob("*.zone"))

    def _conf_transaction(self, *changes: tuple[str, ...]) -> None:
        self.knotc("conf-begin")
        try:
            for change in changes:
                self.knotc(*change)
            self.knotc("conf-commit")
        except BaseException:
            with contextlib.suppress(KnotError):
                self.knotc("conf-abort")
            raise

    def _wait_zone(self, name: str, serial: int, timeout: float = 10.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with contextlib.suppress(OSError, dns.exception.DNSException):
                r = self.query(name, "SOA", timeout=1.0)
                for rrset in r.answer:
                    if any(isinstance(rd, dns.rdtypes.ANY.SOA.SOA) and rd.serial == serial
                           for rd in rrset) and rrset.name == dns.name.from_text(name + "."):
                        return
            time.sleep(0.05)
        raise KnotError(f"test zone {name} (serial {serial}) was not served within "
                        f"{timeout:.0f} s; see {self.log_file}")


def sandbox_workdir(settings: Settings) -> Path:
    """Where the sandbox's name server keeps its state: ``data_dir/dns``."""
    return settings.data_dir / "dns"


def served_dnskeys(host: str, port: int, zone: str, timeout: float = 5.0
                   ) -> list[dns.rdtypes.ANY.DNSKEY.DNSKEY]:
    """The DNSKEY set ``host@port`` serves for ``zone``, validated against its own
    signature (a set that does not sign itself is no key set to give the parent)."""
    origin = dns.name.from_text(_absolute(zone))
    q = dns.message.make_query(origin, "DNSKEY", want_dnssec=True)
    q.flags &= ~dns.flags.RD
    response = dns.query.tcp(q, host, port=port, timeout=timeout)
    try:
        keys = response.find_rrset(response.answer, origin, dns.rdataclass.IN,
                                   dns.rdatatype.DNSKEY)
        sigs = response.find_rrset(response.answer, origin, dns.rdataclass.IN,
                                   dns.rdatatype.RRSIG, dns.rdatatype.DNSKEY)
    except KeyError:
        raise KnotError(f"{host}@{port} serves no signed DNSKEY set for {origin}") from None
    try:
        dns.dnssec.validate(keys, sigs, {origin: keys})
    except dns.dnssec.ValidationFailure as exc:
        raise KnotError(f"the DNSKEY set of {origin} at {host}@{port} does not validate "
                        f"against itself: {exc}") from exc
    return [k for k in keys if isinstance(k, dns.rdtypes.ANY.DNSKEY.DNSKEY)]


def served_ds(host: str, port: int, zone: str) -> list[str]:
    """The SHA-256 DS rdata ("tag alg 2 HEX") of every SEP key ``host@port`` serves."""
    origin = dns.name.from_text(_absolute(zone))
    out = []
    for key in served_dnskeys(host, port, zone):
        if key.flags & 0x0001:  # SEP: the KSK (or a CSK)
            ds = dns.dnssec.make_ds(origin, key, "SHA256")
            out.append(f"{ds.key_tag} {ds.algorithm} {ds.digest_type} "
                       f"{ds.digest.hex().upper()}")
    if not out:
        raise KnotError(f"{origin} at {host}@{port} serves no key with the SEP flag")
    return sorted(out)


def trust_anchor_text(zone: str, ds_list: list[str]) -> str:
    """A ``trust-anchors`` clause (BIND 9.16+; ``delv -a``, unbound) with ``zone``'s DS."""
    lines = []
    for ds in ds_list:
        tag, alg, digest_type, digest = ds.split()
        lines.append(f'    "{zone.rstrip(".")}." static-ds {tag} {alg} {digest_type} '
                     f'"{digest}";\n')
    return "trust-anchors {\n" + "".join(lines) + "};\n"


class _PortTaken(Exception):
    """knotd could not bind its port (another process took it first)."""


def _absolute(name: str) -> str:
    return name.rstrip(".") + "."


def _zone_name(name: str) -> str:
    return dns.name.from_text(_absolute(name.strip())).to_text().rstrip(".").lower()


def _check_zone_text(name: str, text: str) -> int:
    """Parse a test zone before Knot sees it (a bad text is an error here, with the
    line, rather than a zone that silently fails to load); its SOA serial."""
    try:
        zone = dns.zone.from_text(text, origin=_absolute(name), relativize=False,
                                  check_origin=True)
    except dns.exception.DNSException as exc:
        raise KnotError(f"test zone {name}: {exc}") from exc
    soa = zone.get_soa()
    return int(soa.serial)


def _write_atomically(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(text)
    os.replace(tmp, path)
