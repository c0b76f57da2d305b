"""Test support: clients, frames, reference files, shared constants."""

import socket

# the password every test service user gets (meets the registry rule: 3 of 4 classes)
PASSWORD = "Test-Passw0rd"


def free_ports(n: int) -> list[int]:
    """``n`` distinct free ports: all sockets stay open until every port is chosen, so
    the kernel cannot hand the same port out twice (a one-at-a-time helper can)."""
    socks = [socket.socket() for _ in range(n)]
    try:
        for s in socks:
            s.bind(("127.0.0.1", 0))
        return [s.getsockname()[1] for s in socks]
    finally:
        for s in socks:
            s.close()
