"""Shared helpers for the third-party client interop tests.

The ``epp_server`` fixture itself comes from ``tests/conftest.py`` (a registry in a thread);
it provides ``host``, ``port``, ``ca_file``, ``login``, ``password``, ``make_login()``,
``process_pending()``, ``token()`` and ``clock`` (the registry's clock: order tokens and the
times of a restore report must be "now" by the registry, not by the wall). Everything here only
builds on that contract.
"""

from __future__ import annotations

import datetime as dt
import secrets
import time
from dataclasses import dataclass
from pathlib import Path

import pytest


@dataclass(frozen=True)
class Scenario:
    """Everything one client's session needs; unique per test so runs never collide."""

    client: str
    clid: str
    password: str
    domain: str  # the name that gets created
    other_domain: str  # a second name, only checked
    ns1: str
    ns2: str
    ns3: str  # a third external host, added to the domain by the lifecycle tests
    subhost: str  # ns1.<domain>: a host under the domain (glue), for update/delete host
    token: str  # dkhm:orderconfirmationToken, UNIX epoch seconds
    # contact data (userType individual, postalInfo type loc, Danish address)
    name: str = "Interop Testperson"
    street: str = "Testvej 1"
    city: str = "Koebenhavn K"
    pc: str = "1050"
    cc: str = "DK"
    voice: str = "+45.12345678"
    email: str = "interop@example.dk"
    new_voice: str = "+45.33445566"  # what the lifecycle tests change the voice to
    # glue for the subordinate host: public addresses (documentation ranges are refused)
    glue_v4: str = "193.163.102.58"
    glue_v6: str = "2a01:4f8:c0c:1234::1"


@dataclass(frozen=True)
class Login:
    """A second registrar's EPP credentials: the gaining side of a transfer."""

    clid: str
    password: str


def _order_token(epp_server) -> str:
    """Epoch seconds "now" by the REGISTRY's clock when the fixture tells it (``token()`` or
    ``clock.now()``), so a server under a fixed or shifted clock still sees a token inside its
    accepted window; otherwise the wall clock."""
    token = getattr(epp_server, "token", None)
    if callable(token):
        return str(int(token()))
    clock = getattr(epp_server, "clock", None)
    now = getattr(clock, "now", None)
    if callable(now):
        value = now()
        if isinstance(value, dt.datetime):
            return str(int(value.timestamp()))
    return str(int(time.time()))


@pytest.fixture
def scenario(request, epp_server) -> Scenario:
    """A fresh registrar (own poll queue) plus unique names, for the calling test's client."""
    client = request.module.__name__.rsplit(".", 1)[-1].removeprefix("test_").replace("_", "")
    clid, password = epp_server.make_login()
    tag = secrets.token_hex(5)
    return Scenario(
        client=client,
        clid=clid,
        password=password,
        domain=f"{client}-{tag}.dk",
        other_domain=f"{client}-{tag}-b.dk",
        ns1=f"ns1.{client}-{tag}.net",
        ns2=f"ns2.{client}-{tag}.net",
        ns3=f"ns3.{client}-{tag}.net",
        subhost=f"ns1.{client}-{tag}.dk",
        token=_order_token(epp_server),
    )


@pytest.fixture
def gaining(epp_server) -> Login:
    """Another fresh registrar (own poll queue, funds for a transfer and a restore)."""
    clid, password = epp_server.make_login()
    return Login(clid=clid, password=password)


@pytest.fixture(scope="session")
def untrusted_ca_file(tmp_path_factory) -> str:
    """A PEM CA that did NOT sign the server certificate: proves each client really verifies."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "interop untrusted CA")])
    start = dt.datetime.now(dt.UTC) - dt.timedelta(days=1)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(start)
        .not_valid_after(start + dt.timedelta(days=30))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .sign(key, hashes.SHA256())
    )
    path: Path = tmp_path_factory.mktemp("untrusted-ca") / "ca.pem"
    path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    return str(path)
