"""The development CA and server certificate that ``dkreg serve`` generates (SPEC-DIGEST §1)."""

from __future__ import annotations

import ipaddress
import ssl
import stat
from pathlib import Path

from cryptography import x509
from cryptography.x509.oid import ExtendedKeyUsageOID

from dkreg.tls import ensure_dev_certificates, server_context


def test_dev_certificates_are_generated_into_the_directory(tmp_path: Path) -> None:
    target = tmp_path / "data" / "tls"
    ca_file, cert_file, key_file = ensure_dev_certificates(target)
    assert {ca_file.parent, cert_file.parent, key_file.parent} == {target}
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600

    ca = x509.load_pem_x509_certificate(ca_file.read_bytes())
    cert = x509.load_pem_x509_certificate(cert_file.read_bytes())
    assert ca.extensions.get_extension_for_class(x509.BasicConstraints).value.ca
    assert not cert.extensions.get_extension_for_class(x509.BasicConstraints).value.ca
    cert.verify_directly_issued_by(ca)

    san = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    assert "localhost" in san.get_values_for_type(x509.DNSName)
    assert ipaddress.ip_address("127.0.0.1") in san.get_values_for_type(x509.IPAddress)
    eku = cert.extensions.get_extension_for_class(x509.ExtendedKeyUsage).value
    assert ExtendedKeyUsageOID.SERVER_AUTH in eku
    assert cert.not_valid_after_utc > cert.not_valid_before_utc


def test_dev_certificates_are_kept_on_restart(tmp_path: Path) -> None:
    first = [p.read_bytes() for p in ensure_dev_certificates(tmp_path)]
    second = [p.read_bytes() for p in ensure_dev_certificates(tmp_path)]
    assert first == second  # a client that pinned the CA keeps working


def test_python_client_verifies_the_dev_certificate(tmp_path: Path) -> None:
    """The files load into a server context and a stock client context trusts them."""
    ca_file, cert_file, key_file = ensure_dev_certificates(tmp_path)
    ctx = server_context(cert_file, key_file)
    assert ctx.minimum_version == ssl.TLSVersion.TLSv1_2
    client = ssl.create_default_context(cafile=str(ca_file))
    assert client.verify_mode == ssl.CERT_REQUIRED and client.check_hostname
