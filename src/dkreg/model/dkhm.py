"""The dkhm extension versions the registry speaks, oldest first.

The EPP door turns them into namespaces (``epp/codec/namespaces.py``); the portal offers
them as the version a service user may pin (``actions/account/service_users.py``), so both read
the one list.
"""

from __future__ import annotations

DKHM_VERSIONS = ("4.3", "4.4", "4.5")
