"""The TSIG key that signs dkreg's RFC 2136 updates to the name server (RFC 8945).

One key, two consumers: dnspython signs the UPDATE messages with it (``keyring``) and the
sandbox's Knot DNS accepts updates only when they carry it (``knot_conf``). In
production the operator gives the key (``dns_tsig_name``/``algorithm``/``secret``) that
its hidden primary trusts; the sandbox generates a secret once and keeps it in its
workdir (mode 0600), so a restart of ``dkreg serve`` finds the same key in the journal's
server and in dkreg.
"""

from __future__ import annotations

import base64
import binascii
import os
import secrets
from dataclasses import dataclass
from pathlib import Path

import dns.name
import dns.tsig
import dns.tsigkeyring

from dkreg.config import Settings

KEY_FILE = "tsig.key"
# the HMACs both Knot DNS and dnspython speak (RFC 8945 section 6)
ALGORITHMS = ("hmac-sha1", "hmac-sha224", "hmac-sha256", "hmac-sha384", "hmac-sha512")


@dataclass(frozen=True)
class TsigKey:
    """A TSIG key: its name (a domain name, as both sides must spell it), its HMAC
    algorithm and its secret in base64."""

    name: str
    algorithm: str
    secret: str

    def __post_init__(self) -> None:
        # a typo here would only show as BADKEY/BADSIG answers from the server; say it now
        if self.algorithm.lower() not in ALGORITHMS:
            raise ValueError(f"TSIG algorithm {self.algorithm!r} is not one of "
                             f"{', '.join(ALGORITHMS)}")
        try:
            base64.b64decode(self.secret, validate=True)
        except (binascii.Error, ValueError) as exc:
            raise ValueError(f"TSIG secret for {self.name!r} is not base64") from exc
        dns.name.from_text(self.name)  # raises on a malformed key name

    def keyring(self) -> dict[dns.name.Name, dns.tsig.Key]:
        """The key as dnspython's ``dns.update.UpdateMessage(keyring=...)`` wants it."""
        ring = dns.tsigkeyring.from_text({self.name: (self.algorithm.lower(), self.secret)})
        return {name: key for name, key in ring.items() if isinstance(key, dns.tsig.Key)}

    def knot_conf(self) -> str:
        """The ``key:`` section of a Knot DNS configuration holding this key."""
        return (f"key:\n  - id: {self.name.rstrip('.')}\n"
                f"    algorithm: {self.algorithm.lower()}\n"
                f"    secret: {self.secret}\n")

    def nsupdate_arg(self) -> str:
        """``nsupdate -y`` / ``dig -y`` form, for the README's commands and a terminal."""
        return f"{self.algorithm.lower()}:{self.name.rstrip('.')}:{self.secret}"


def tsig_key(settings: Settings, workdir: Path) -> TsigKey:
    """The configured key; without a configured secret, the one generated into
    ``workdir/tsig.key`` on first use (256 random bits, the size of the HMAC-SHA256
    output, as RFC 8945 section 6 recommends)."""
    name, algorithm = settings.dns_tsig_name, settings.dns_tsig_algorithm
    if settings.dns_tsig_secret:
        return TsigKey(name, algorithm, settings.dns_tsig_secret.strip())
    path = workdir / KEY_FILE
    if not path.exists():
        workdir.mkdir(parents=True, exist_ok=True)
        secret = base64.b64encode(secrets.token_bytes(32)).decode()
        try:  # created with its mode, never readable by others for a moment
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:  # a concurrent start wrote it first: use theirs
            pass
        else:
            with os.fdopen(fd, "w") as f:
                f.write(secret + "\n")
    return TsigKey(name, algorithm, path.read_text().strip())
