"""WHOIS on port 43 (RFC 3912) in the .dk registry's layout (WHOIS 5.0): ``query`` reads
a query line, ``render`` turns the lookup read models into the registry's text (pure, no
I/O), ``server`` is the asyncio server with the registry's per-network limits."""
