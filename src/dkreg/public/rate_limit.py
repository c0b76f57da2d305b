"""The public lookups' rate limit, as the registry's: so many requests a second and so
many open connections per network — an IPv4 /24 or an IPv6 /48 by default — with an
allow-list of networks that are not limited (a registrar's monitoring, loopback in a
benchmark).

Kept in the process, not the database: a lookup must cost no write, and the limit is a
guard against scraping, not an accounting. Several processes behind a load balancer
each keep their own buckets (an operator divides the rate by the process count, or
limits at the balancer); the limit is then per process, and said so in the README.

A token bucket per network: ``rate`` tokens a second up to ``burst``; a request takes
one or is refused with the seconds until the next token (``Retry-After``).
"""

from __future__ import annotations

import ipaddress
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network


def parse_networks(text: str | Iterable[str]) -> tuple[IPNetwork, ...]:
    """An allow-list from configuration: networks or addresses, comma- or space-separated;
    a bad entry is an error naming it (a typo must not silently open nothing)."""
    items = text.replace(",", " ").split() if isinstance(text, str) else list(text)
    out = []
    for item in items:
        try:
            out.append(ipaddress.ip_network(item.strip(), strict=False))
        except ValueError:
            raise ValueError(f"not a network or address: {item!r}") from None
    return tuple(out)


@dataclass
class _Bucket:
    tokens: float
    stamp: float
    connections: int = 0


@dataclass
class RateLimit:
    """Per-network request rate and concurrent connections.

    ``rate`` <= 0 turns the request limit off, ``max_connections`` <= 0 the connection
    limit. ``clock`` is monotonic seconds (a test passes its own)."""

    rate: float = 1.0
    burst: float = 1.0
    max_connections: int = 1
    v4_prefix: int = 24
    v6_prefix: int = 48
    allow: tuple[IPNetwork, ...] = ()
    clock: Callable[[], float] = time.monotonic
    _buckets: dict[str, _Bucket] = field(default_factory=dict)
    _last_sweep: float = 0.0

    def network(self, address: str) -> str | None:
        """The key an address is counted under; None when it is allowed (or not an
        address: a Unix socket in a test)."""
        try:
            ip = ipaddress.ip_address(address.split("%", 1)[0])
        except ValueError:
            return None
        if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
            ip = ip.ipv4_mapped
        if any(ip in net for net in self.allow):
            return None
        prefix = self.v4_prefix if ip.version == 4 else self.v6_prefix
        return str(ipaddress.ip_network(f"{ip}/{prefix}", strict=False))

    def _bucket(self, key: str, now: float) -> _Bucket:
        b = self._buckets.get(key)
        if b is None:
            b = self._buckets[key] = _Bucket(self.burst, now)
        else:
            b.tokens = min(self.burst, b.tokens + (now - b.stamp) * self.rate)
            b.stamp = now
        return b

    def request(self, address: str) -> float:
        """Take a request for ``address``: 0.0 when admitted, else the seconds to wait."""
        key = self.network(address)
        if key is None or self.rate <= 0:
            return 0.0
        now = self.clock()
        self._sweep(now)
        b = self._bucket(key, now)
        if b.tokens >= 1.0:
            b.tokens -= 1.0
            return 0.0
        return (1.0 - b.tokens) / self.rate

    def connect(self, address: str) -> bool:
        """Open a connection for ``address``; False when its network has its share open.
        Every True must be paired with ``disconnect``."""
        key = self.network(address)
        if key is None or self.max_connections <= 0:
            return True
        b = self._bucket(key, self.clock())
        if b.connections >= self.max_connections:
            return False
        b.connections += 1
        return True

    def disconnect(self, address: str) -> None:
        key = self.network(address)
        if key is None or self.max_connections <= 0:
            return
        b = self._buckets.get(key)
        if b is not None and b.connections > 0:
            b.connections -= 1

    def _sweep(self, now: float) -> None:
        """Forget full, idle buckets now and then, so a scan from many networks does not
        grow the table without bound."""
        if now - self._last_sweep < 60.0:
            return
        self._last_sweep = now
        full = self.burst / self.rate if self.rate > 0 else 0.0
        for key in [k for k, b in self._buckets.items()
                    if b.connections == 0 and now - b.stamp >= full]:
            del self._buckets[key]
