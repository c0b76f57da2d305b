"""Domain names under .dk and name-server host names.

Why this module exists: every door (EPP, REST, portals, WHOIS) must agree on what a
.dk name *is* before it touches the store, so the rules live here once and nowhere
else. The registry accepts a name either as a U-label (``æøå.dk``) or as its punycode
A-label (``xn--5cab8c.dk``) and answers in UTF-8 [SPEC §Encoding]; both forms are
kept in :class:`DomainName` so callers never re-derive one from the other.

.dk label rules [NS §Domain Names]:

* characters a–z, 0–9, hyphen and the IDN letters æ ø å ö ä ü é ß
  (ß has been allowed since 2021-01-01);
* no hyphen first or last;
* ``--`` in positions 3–4 only for IDN A-labels (``xn--``);
* 1–63 octets in A-label form (the registry states no maximum; 63 is the DNS limit);
* only second-level names (``example.dk``; not ``a.example.dk``).

IDNA 2008 (the ``idna`` package, no UTS #46 mapping, non-transitional) is used, so
``ß`` stays ``ß`` (``xn--zca``) instead of being folded to ``ss`` as IDNA 2003 did.

Decisions where the sources are silent:

* Input is stripped of surrounding whitespace, NFC-normalised and lower-cased, so
  ``Æblе.DK`` and a decomposed ``e`` + combining acute are accepted.
* A trailing dot (``example.dk.``) is rejected with an explicit detail rather than
  silently stripped: EPP names are written without the root label, and a client
  sending one almost certainly has a bug we should surface.
* Host names may be given as U-labels too; they are converted to A-labels.
* A host name with ``--`` in positions 3–4 that is not a valid ``xn--`` A-label is
  rejected (IDNA 2008 reserves such labels).
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

import idna

from dkreg.details import Detail
from dkreg.errors import EppError, err

# The letters a .dk label may contain besides a–z, 0–9 and hyphen. ß joined the set
# on 2021-01-01; it is PVALID in IDNA 2008, so it survives encoding as itself.
DK_IDN_LETTERS = frozenset("æøåöäüéß")
DK_ASCII = frozenset("abcdefghijklmnopqrstuvwxyz0123456789-")
DK_ALLOWED = DK_ASCII | DK_IDN_LETTERS
LDH = DK_ASCII

_ALLOWED_TEXT = "a–z, 0–9, hyphen and æ ø å ö ä ü é ß"
MAX_LABEL_OCTETS = 63
MAX_HOST_LENGTH = 253


@dataclass(frozen=True, slots=True)
class DomainName:
    """A validated .dk name in both its forms.

    ``ulabel`` is what people read and what EPP responses carry; ``alabel`` is what
    the DNS and uniqueness checks use. For an all-ASCII name both are equal.
    """

    ulabel: str
    alabel: str

    @property
    def roid(self) -> str:
        """Repository object id, derived from the A-label so it is pure ASCII.

        ``dk-hostmaster.dk`` -> ``DK_HOSTMASTER_DK-DK``.
        """
        return self.alabel.upper().replace(".", "_").replace("-", "_") + "-DK"

    @property
    def is_idn(self) -> bool:
        """True when the name needs punycode (its U- and A-label differ)."""
        return self.ulabel != self.alabel

    @property
    def label(self) -> str:
        """The second-level label in U-label form (``example`` for ``example.dk``)."""
        return self.ulabel[: -len(".dk")]

    def __str__(self) -> str:
        return self.ulabel


def _domain_error(field: str, detail: Detail) -> EppError:
    return err(2306, "invalid_domain_name", field=field, detail=detail)


def _prepare(text: str) -> str:
    """Strip, NFC-normalise and lower-case; the common first step for names."""
    return unicodedata.normalize("NFC", text.strip()).lower()


def _bad_chars(label: str, allowed: frozenset[str]) -> str:
    seen: list[str] = []
    for ch in label:
        if ch not in allowed and ch not in seen:
            seen.append(ch)
    return ", ".join(repr(c) for c in seen)


def _dk_ulabel_rules(label: str, field: str, origin: str = "") -> None:
    """Rules a .dk label must meet in U-label form.

    ``origin`` tells the client where the label came from when it sent an A-label,
    so the detail shows the decoded text it never typed.
    """
    if any(ch not in DK_ALLOWED for ch in label):
        raise _domain_error(
            field,
            Detail("label_contains_which_not_allowed", label=label, origin=origin,
                   label2=_bad_chars(label, DK_ALLOWED), allowed_text=_ALLOWED_TEXT),
        )
    if label.startswith("-"):
        raise _domain_error(field, Detail("label_must_not_begin_with", label=label, origin=origin))
    if label.endswith("-"):
        raise _domain_error(field, Detail("label_must_not_end_with", label=label, origin=origin))
    if label[2:4] == "--":
        raise _domain_error(
            field,
            Detail("label_has_positions_3_4", label=label, origin=origin),
        )


def _dk_label(label: str, field: str) -> tuple[str, str]:
    """Validate one .dk second-level label; return (U-label, A-label)."""
    if label.startswith("xn--"):
        if any(ch not in LDH for ch in label):
            raise _domain_error(
                field,
                Detail("label_contains_label_may_only", label=label, label2=_bad_chars(label, LDH)),
            )
        if len(label) > MAX_LABEL_OCTETS:
            raise _domain_error(
                field,
                Detail("label_octets_long_maximum_2", label=label, n_label=len(label),
                       max_label_octets=MAX_LABEL_OCTETS),
            )
        try:
            ulabel = idna.decode(label)
        except (idna.IDNAError, UnicodeError) as exc:
            raise _domain_error(
                field, Detail("not_valid_idn_label", label=label, exc=exc)
            ) from None
        _dk_ulabel_rules(ulabel, field, f" (decoded from '{label}')")
        try:
            again = idna.encode(ulabel, uts46=False, transitional=False).decode("ascii")
        except (idna.IDNAError, UnicodeError) as exc:  # pragma: no cover - decode checked it
            raise _domain_error(field, Detail("does_not_round_trip", label=label,
                                                     exc=exc)) from None
        if again != label or ulabel == label:
            raise _domain_error(
                field,
                Detail("label_not_canonical_encoding_expected", label=label, ulabel=ulabel,
                       again=again),
            )
        return ulabel, label

    _dk_ulabel_rules(label, field)
    if label.isascii():
        alabel = label
    else:
        try:
            alabel = idna.encode(label, uts46=False, transitional=False).decode("ascii")
        except (idna.IDNAError, UnicodeError) as exc:
            raise _domain_error(
                field, Detail("label_not_valid_idn_label", label=label, exc=exc)
            ) from None
    if len(alabel) > MAX_LABEL_OCTETS:
        raise _domain_error(
            field,
            Detail("label_octets_long_label_form", label=label, n_alabel=len(alabel),
                   alabel=alabel, max_label_octets=MAX_LABEL_OCTETS),
        )
    return label, alabel


def parse_domain_name(text: str, field: str = "domain:name") -> DomainName:
    """Parse a name a client wants to register or act on, under .dk only.

    Accepts U-label or A-label input in any case; returns both forms lower-cased.
    Every failure is 2306 ``invalid_domain_name`` (the registry's code for names that
    break .dk policy) with a detail naming the rule.
    """
    name = _prepare(text)
    if not name:
        raise _domain_error(field, Detail("domain_name_empty"))
    if name.endswith("."):
        raise _domain_error(
            field,
            Detail("domain_name_must_not_end", name=name, name2=name.rstrip('.')),
        )
    labels = name.split(".")
    if any(not lab for lab in labels):
        raise _domain_error(field, Detail("domain_name_contains_empty_label", name=name))
    if labels[-1] != "dk":
        raise _domain_error(
            field,
            Detail("not_under_dk_only_dk", name=name),
        )
    if len(labels) == 1:
        raise _domain_error(
            field, Detail("dk_top_level_domain_itself")
        )
    if len(labels) > 2:
        raise _domain_error(
            field,
            Detail("not_second_level_name_only", name=name, labels=labels[-2]),
        )
    ulabel, alabel = _dk_label(labels[0], field)
    return DomainName(ulabel=f"{ulabel}.dk", alabel=f"{alabel}.dk")


# ---------------------------------------------------------------------------------------
# Host names


def _host_error(field: str, detail: Detail) -> EppError:
    return err(2005, "invalid_host_name", field=field, detail=detail)


def _tld_error(field: str, detail: Detail) -> EppError:
    return err(2005, "invalid_host_tld", field=field, detail=detail)


def _host_label(label: str, field: str) -> str:
    """Validate one host-name label (any TLD's rules are LDH + IDNA); return A-label."""
    if not label.isascii():
        try:
            alabel = idna.encode(label, uts46=False, transitional=False).decode("ascii")
        except (idna.IDNAError, UnicodeError) as exc:
            raise _host_error(field, Detail("label_not_valid_idn_label", label=label,
                                                   exc=exc)) from None
    else:
        alabel = label
        if any(ch not in LDH for ch in label):
            raise _host_error(
                field,
                Detail("label_contains_host_name_labels", label=label,
                       label2=_bad_chars(label, LDH)),
            )
        if label.startswith("-"):
            raise _host_error(field, Detail("label_must_not_begin_with_2", label=label))
        if label.endswith("-"):
            raise _host_error(field, Detail("label_must_not_end_with_2", label=label))
        if label.startswith("xn--"):
            try:
                ulabel = idna.decode(label)
                again = idna.encode(ulabel, uts46=False, transitional=False).decode("ascii")
            except (idna.IDNAError, UnicodeError) as exc:
                raise _host_error(
                    field, Detail("not_valid_idn_label", label=label, exc=exc)
                ) from None
            if again != label:
                raise _host_error(
                    field, Detail("label_not_canonical_form_expected", label=label, again=again)
                )
        elif label[2:4] == "--":
            raise _host_error(
                field,
                Detail("label_has_positions_3_4_2", label=label),
            )
    if len(alabel) > MAX_LABEL_OCTETS:
        raise _host_error(
            field,
            Detail("label_octets_long_maximum", label=label, n_alabel=len(alabel),
                   max_label_octets=MAX_LABEL_OCTETS),
        )
    return alabel


def _host_tld(label: str, field: str) -> str:
    """The last label must look like a real TLD: letters only, or an IDN TLD."""
    if not label.isascii():
        try:
            return idna.encode(label, uts46=False, transitional=False).decode("ascii")
        except (idna.IDNAError, UnicodeError) as exc:
            raise _tld_error(field, Detail("top_level_domain_not_valid_2", label=label,
                                                  exc=exc)) from None
    if label.startswith("xn--"):
        try:
            ulabel = idna.decode(label)
            again = idna.encode(ulabel, uts46=False, transitional=False).decode("ascii")
        except (idna.IDNAError, UnicodeError) as exc:
            raise _tld_error(
                field, Detail("top_level_domain_not_valid_3", label=label, exc=exc)
            ) from None
        if again != label:
            raise _tld_error(field, Detail("top_level_domain_not_canonical", label=label))
        return label
    if not (label.isalpha() and len(label) >= 2):
        raise _tld_error(
            field,
            Detail("top_level_domain_not_valid", label=label),
        )
    if len(label) > MAX_LABEL_OCTETS:
        raise _tld_error(field, Detail("top_level_domain_longer_than", label=label))
    return label


def parse_host_name(text: str, field: str = "host:name") -> str:
    """Parse a name-server host name (any TLD) to its lower-case A-label form.

    Why so lenient about the TLD: name servers for .dk domains live under every TLD
    and the root zone changes; we only require the last label to be alphabetic (or an
    IDN TLD), which is what rules out IP addresses and typos such as ``ns1.example.c0m``.
    """
    name = _prepare(text)
    if not name:
        raise _host_error(field, Detail("host_name_empty"))
    if name.endswith("."):
        raise _host_error(
            field,
            Detail("host_name_must_not_end", name=name, name2=name.rstrip('.')),
        )
    labels = name.split(".")
    if any(not lab for lab in labels):
        raise _host_error(field, Detail("host_name_contains_empty_label", name=name))
    if len(labels) < 2:
        raise _host_error(
            field, Detail("host_name_must_have_at", name=name)
        )
    tld = _host_tld(labels[-1], field)
    alabels = [_host_label(lab, field) for lab in labels[:-1]]
    result = ".".join([*alabels, tld])
    if len(result) > MAX_HOST_LENGTH:
        raise _host_error(
            field,
            Detail("host_name_characters_long_label", n_result=len(result),
                   max_host_length=MAX_HOST_LENGTH),
        )
    return result


def _canonical(name: str) -> str:
    """Best-effort comparable form: lower-case A-labels, no trailing dot.

    Used by the pure relationship helpers below, which must not raise on input that
    was already validated elsewhere (or on junk: junk simply does not match).
    """
    name = _prepare(name).rstrip(".")
    if name.isascii():
        return name
    out = []
    for label in name.split("."):
        if label.isascii():
            out.append(label)
            continue
        try:
            out.append(idna.encode(label, uts46=False, transitional=False).decode("ascii"))
        except (idna.IDNAError, UnicodeError):
            out.append(label)
    return ".".join(out)


def superordinate_dk_domain(host: str) -> str | None:
    """The second-level .dk domain a host name lives under, or None.

    ``ns1.example.dk`` -> ``example.dk``. A host named exactly like a domain
    (``example.dk``) is in that domain's own zone, so it returns ``example.dk`` too.
    The result is in A-label form, like stored host names. Used to decide whether a
    host needs glue and whose registrant must approve it.
    """
    labels = _canonical(host).split(".")
    if len(labels) < 2 or labels[-1] != "dk" or not all(labels[-2:]):
        return None
    return ".".join(labels[-2:])


def is_in_bailiwick(host: str, domain: str) -> bool:
    """True when ``host`` is ``domain`` itself or a name below it.

    Why it matters: the narrow glue policy allows address records only for a name
    server that lies inside the zone it serves (``ns.example.dk`` for ``example.dk``).
    The comparison is label-wise (``ns.badexample.dk`` is not under ``example.dk``)
    and works on U- or A-label input alike.
    """
    h = _canonical(host)
    d = _canonical(domain)
    if not h or not d:
        return False
    return h == d or h.endswith("." + d)
