"""A WHOIS query line as the .dk registry reads it (WHOIS 5.0, reference
OTHER-SERVICES.md §WHOIS): one name, with options anywhere in the line.

* ``--charset=latin-1`` (the default, ISO-8859-1 as the registry) or ``--charset=utf-8``
  (``iso-8859-1``, ``latin1``, ``utf8`` are read as the same; case does not matter);
* ``--show-handles``: add the registrant block;
* ``HELP`` alone: the syntax;
* ``--accesscode=...`` is accepted and ignored: the registry documents the option but
  not what it does.

Decoding: the bytes are tried as UTF-8 first and read as ISO-8859-1 when they are not
valid UTF-8 (every byte string is valid ISO-8859-1), the way the registry's DSU reads
its input; so both a UTF-8 terminal and a Latin-1 one can ask for ``æøå.dk``.

A bad line is a ``QueryError`` with a one-line reason (an unknown option, two names,
a bad charset, nothing asked): the server answers it and closes.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Charset = Literal["latin-1", "utf-8"]

CHARSETS: dict[str, Charset] = {
    "latin-1": "latin-1", "latin1": "latin-1", "iso-8859-1": "latin-1",
    "iso8859-1": "latin-1", "utf-8": "utf-8", "utf8": "utf-8",
}


class QueryError(ValueError):
    """A query the server cannot answer; ``reason`` is the one line it gets."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class Query:
    name: str  # as given (the lookup parses it); "" for HELP
    charset: Charset = "latin-1"
    show_handles: bool = False
    help: bool = False


def decode(raw: bytes) -> str:
    """The query line as text: UTF-8 when it is, else ISO-8859-1."""
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("latin-1")


def parse_query(line: str) -> Query:
    """Read one query line (without its CRLF)."""
    charset: Charset = "latin-1"
    show_handles = False
    names: list[str] = []
    for word in line.split():
        low = word.lower()
        if low.startswith("--charset="):
            value = low.split("=", 1)[1]
            if value not in CHARSETS:
                raise QueryError(f"Error: unknown charset {value!r} in --charset; use "
                                 "--charset=latin-1 or --charset=utf-8")
            charset = CHARSETS[value]
        elif low == "--show-handles":
            show_handles = True
        elif low.startswith("--accesscode="):
            continue
        elif low.startswith("--"):
            raise QueryError(f"Error: unknown option {word!r}; the options are "
                             "--charset=latin-1|utf-8 and --show-handles (query HELP)")
        else:
            names.append(word)
    if len(names) == 1 and names[0].upper() == "HELP":
        return Query("", charset, show_handles, help=True)
    if not names:
        raise QueryError("Error: no domain or name server in the query (query HELP for "
                         "the syntax)")
    if len(names) > 1:
        raise QueryError("Error: one domain or name server per query, not "
                         f"{len(names)} ({' '.join(names)})")
    return Query(names[0], charset, show_handles)
