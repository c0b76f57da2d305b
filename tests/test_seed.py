"""The demo data of a fresh sandbox (issue 10, section 1): credentials that RFC-strict
EPP clients can send (the public registrar list: tests/web/test_portal_pages.py)."""

from __future__ import annotations

import asyncio
import shutil
from pathlib import Path

import pytest

from dkreg.model.passwords import check_password_rule
from dkreg.seed import seed_if_empty
from support import frames
from support.reference import validate_frame

NET_EPP_LOGIN = r"""
use strict; use warnings;
use Net::EPP::Simple;
my ($host, $port, $user, $pass, $ca) = @ARGV;
my $epp = Net::EPP::Simple->new(host => $host, port => $port, user => $user, pass => $pass,
    verify => 1, ca_file => $ca, timeout => 30, reconnect => 0, load_config => 0,
    objects => ['urn:ietf:params:xml:ns:domain-1.0', 'urn:ietf:params:xml:ns:contact-1.0',
                'urn:ietf:params:xml:ns:host-1.0'],
    extensions => ['urn:dkhm:params:xml:ns:dkhm-4.3']);
if (!defined $epp) { print "refused $Net::EPP::Simple::Code $Net::EPP::Simple::Message\n"; exit 1 }
print "logged in $Net::EPP::Simple::Code\n";
$epp->logout;
"""


async def seeded(registry, data_dir: Path):  # type: ignore[no-untyped-def]
    async with registry.db.begin() as conn:
        return await seed_if_empty(registry.ctx(conn), data_dir)


async def test_demo_passwords_fit_rfc_5730_and_the_registry_rule(registry, tmp_path: Path
                                                                 ) -> None:
    creds = await seeded(registry, tmp_path)
    for password in (creds.password, creds.portal_password):
        assert 6 <= len(password) <= 16, password  # RFC 5730 pwType
        check_password_rule(password)  # 8-64 characters, 3 of 4 classes
    # the login frame an RFC-strict client builds validates against epp-1.0.xsd
    validate_frame(frames.login(creds.login, creds.password).encode())
    c = await registry.client(creds.login, creds.password)  # asserts 1000
    assert (await c.request(frames.logout())).code == 1500


@pytest.mark.interop
async def test_net_epp_logs_in_with_the_demo_credentials(registry, tmp_path: Path) -> None:
    perl = shutil.which("perl")
    if perl is None:
        pytest.skip("perl is not installed (apt-get install libnet-epp-perl)")
    creds = await seeded(registry, tmp_path)
    proc = await asyncio.create_subprocess_exec(
        perl, "-e", NET_EPP_LOGIN, "127.0.0.1", str(registry.port), creds.login,
        creds.password, str(registry.ca_file),
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
    out, err = await asyncio.wait_for(proc.communicate(), 60)
    assert proc.returncode == 0 and out.decode().startswith("logged in 1000"), (out, err)
