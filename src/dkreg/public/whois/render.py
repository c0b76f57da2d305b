"""The text of a WHOIS answer in the .dk registry's layout (WHOIS 5.0, reference
OTHER-SERVICES.md §WHOIS): pure functions from the lookup read models to text, so the
layout is tested without a socket and no other door depends on the server.

The layout, as the registry's:

* a header of ``#`` comment lines: the session-logging notice with the client's
  address, the copyright, ``Version: 5.0.0`` and the terms of use;
* a domain: ``Field:`` names padded to one column (22 characters), in the registry's
  order — ``Domain``, ``DNS`` (the A-label), ``Registered``, ``Expires`` (dates in
  Europe/Copenhagen), ``Registrar`` (registrar-managed domains only), ``Delete date``
  (only when one is set), ``Registration period``, ``VID``, ``DNSSEC``, ``Status``; a
  blank line, then with ``--show-handles`` the ``Registrant`` block (handle always
  ``***N/A***``, then only the fields the disclosure rule shows), then ``Nameservers``
  with a ``Hostname:`` line each;
* a waiting-list offer: ``***N/A***`` for the dates, period, VID and DNSSEC; a reserved
  name: its name and ``Status: Reserved``;
* a name server: ``Nameserver:`` and ``Glue: Being spooled|Not being spooled``;
* otherwise one line: ``No entries found for the selected source.``

Clients parse this by field name and position (asyncwhois's ``RegexDK`` reads the
registrant's fields by their line offset after ``Registrant``), so the order is fixed
here and the header avoids the words clients take for "not found" or for a referral.
"""

from __future__ import annotations

from datetime import datetime

from dkreg.actions.lookup.domain import DomainFacts
from dkreg.actions.lookup.host import HostFacts
from dkreg.clock import COPENHAGEN

VERSION = "5.0.0"
NA = "***N/A***"
WIDTH = 22  # "Registration period:  " — the registry's value column
NOT_FOUND = "No entries found for the selected source."
RATE_LIMITED = "Your connection limit exceeded. Please slow down and try again later."
TOO_MANY_CONNECTIONS = ("Too many connections from your network: one connection at a "
                        "time. Please try again later.")
TOO_LONG = "Error: query line too long (at most {limit} bytes)."
FAILED = "Error: the lookup failed; please try again later."
TIMED_OUT = "Error: no query received in time; closing."


def field(name: str, value: str) -> str:
    return f"{name}:".ljust(WIDTH) + value


def header(address: str, now: datetime, registry_name: str) -> str:
    """The comment block every answer starts with."""
    lines = [
        f"Hello {address}. Your session has been logged.",
        "",
        f"Copyright (c) 2002 - {now.astimezone(COPENHAGEN).year} by {registry_name}",
        "",
        f"Version: {VERSION}",
        "",
        f"The data in this WHOIS service is provided by {registry_name} for",
        "information about the registration of .dk domain names only. Its",
        "accuracy is not guaranteed. Access may be withdrawn without notice",
        "from anyone who abuses the service or the data.",
        "",
        "Any use of the data for advertising or similar purposes is forbidden.",
        "Personal data of individuals and sole proprietorships is not disclosed.",
    ]
    return "".join(f"# {line}".rstrip() + "\n" for line in lines) + "\n"


def _date(moment: datetime | None) -> str:
    return moment.astimezone(COPENHAGEN).date().isoformat() if moment is not None else NA


def _period(years: int) -> str:
    return f"{years} year" if years == 1 else f"{years} years"


def domain(facts: DomainFacts, *, show_handles: bool = False) -> str:
    """A domain, a reserved name or a waiting-list offer."""
    name = facts.name
    lines = [field("Domain", name.ulabel), field("DNS", name.alabel)]
    if facts.kind == "reserved":
        lines.append(field("Status", facts.status))
        return "\n".join(lines) + "\n"
    d = facts.domain
    if facts.kind == "waiting_list" or d is None:
        lines += [field("Registered", NA), field("Expires", NA),
                  field("Registration period", NA), field("VID", NA),
                  field("DNSSEC", NA), field("Status", facts.status)]
        return "\n".join(lines) + "\n"
    lines += [field("Registered", _date(d.created_at)), field("Expires", _date(d.expires_at))]
    if facts.registrar is not None:
        lines.append(field("Registrar", facts.registrar.name))
    delete = d.delete_at or d.redemption_until
    if delete is not None:
        lines.append(field("Delete date", _date(delete)))
    lines += [field("Registration period", _period(d.period_years)),
              field("VID", "yes" if d.vid else "no"),
              field("DNSSEC", facts.dnssec or NA),
              field("Status", facts.status)]
    if show_handles and facts.registrant is not None:
        shown = facts.registrant.shown
        lines += ["", "Registrant", field("Handle", NA)]
        for key, label in (("name", "Name"), ("address", "Address"),
                           ("postal_code", "Postalcode"), ("city", "City"),
                           ("country", "Country"), ("email", "Email")):
            if shown.get(key):
                lines.append(field(label, shown[key]))
    if facts.nameservers:
        lines += ["", "Nameservers"]
        lines += [field("Hostname", host) for host in facts.nameservers]
    return "\n".join(lines) + "\n"


def host(facts: HostFacts) -> str:
    return "\n".join([field("Nameserver", facts.name),
                      field("Glue", "Being spooled" if facts.glue else "Not being spooled")
                      ]) + "\n"


def footer(*, show_handles: bool) -> str:
    """The hints after a domain answer."""
    hint = "" if show_handles else "# Use option --show-handles to get handle information.\n"
    return f"\n{hint}# Whois HELP for more help.\n"


def help_text() -> str:
    """The answer to ``HELP``."""
    lines = [
        "Queries: a .dk domain name (U-label or A-label) or a name server host name.",
        "",
        "Options, anywhere in the query:",
        "  --charset=latin-1   answer in ISO-8859-1 (the default)",
        "  --charset=utf-8     answer in UTF-8",
        "  --show-handles      add the registrant (only what may be disclosed)",
        "",
        "Unix whois clients need the query quoted when it has options:",
        '  whois -h HOST " --show-handles --charset=utf-8 eksempel.dk"',
        "",
        "Limits: 1 query a second and 1 connection at a time per IPv4 /24",
        "(IPv6 /48). Contact (handle) queries are not supported.",
    ]
    return "".join(f"# {line}".rstrip() + "\n" for line in lines)


def encode(text: str, charset: str) -> bytes:
    """The answer's bytes, CRLF line ends (RFC 3912). In ISO-8859-1 a character it cannot
    hold (a registrant's name in another script) becomes ``?``: the .dk letters æøåöäüéß
    all fit, so a domain's U-label is always exact; ``--charset=utf-8`` shows the rest."""
    return text.replace("\n", "\r\n").encode(charset, errors="replace")
