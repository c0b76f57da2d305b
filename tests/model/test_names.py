"""Rules for .dk domain names and name-server host names (dkreg.model.names)."""

from __future__ import annotations

import idna
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from dkreg.errors import EppError
from dkreg.model.names import (
    DK_ALLOWED,
    DomainName,
    is_in_bailiwick,
    parse_domain_name,
    parse_host_name,
    superordinate_dk_domain,
)


def _rejected(text: str, field: str = "domain:name") -> EppError:
    with pytest.raises(EppError) as info:
        parse_domain_name(text, field=field)
    error = info.value
    assert (error.code, error.reason, error.field) == (2306, "invalid_domain_name", field)
    assert error.detail
    return error


def _host_rejected(text: str, reason: str = "invalid_host_name") -> EppError:
    with pytest.raises(EppError) as info:
        parse_host_name(text)
    error = info.value
    assert (error.code, error.reason, error.field) == (2005, reason, "host:name")
    assert error.detail
    return error


# --------------------------------------------------------------------------- domain names


@pytest.mark.parametrize(
    ("text", "ulabel", "alabel"),
    [
        ("example.dk", "example.dk", "example.dk"),
        ("Example.DK", "example.dk", "example.dk"),
        ("  example.dk\t", "example.dk", "example.dk"),
        ("dk-hostmaster.dk", "dk-hostmaster.dk", "dk-hostmaster.dk"),
        ("a.dk", "a.dk", "a.dk"),
        ("0.dk", "0.dk", "0.dk"),
        ("123.dk", "123.dk", "123.dk"),
        ("æøå.dk", "æøå.dk", "xn--5cab8c.dk"),
        ("ÆØÅ.DK", "æøå.dk", "xn--5cab8c.dk"),
        ("xn--5cab8c.dk", "æøå.dk", "xn--5cab8c.dk"),
        ("XN--5CAB8C.DK", "æøå.dk", "xn--5cab8c.dk"),
        ("münchen.dk", "münchen.dk", "xn--mnchen-3ya.dk"),
        ("xn--mnchen-3ya.dk", "münchen.dk", "xn--mnchen-3ya.dk"),
        ("café.dk", "café.dk", "xn--caf-dma.dk"),
        ("cafe\u0301.dk", "café.dk", "xn--caf-dma.dk"),  # decomposed é is NFC-normalised
        ("öl-och-äpple.dk", "öl-och-äpple.dk", idna.encode("öl-och-äpple").decode() + ".dk"),
        # ß is allowed since 2021 and is kept (IDNA 2008), not folded to "ss".
        ("straße.dk", "straße.dk", "xn--strae-oqa.dk"),
        ("xn--strae-oqa.dk", "straße.dk", "xn--strae-oqa.dk"),
        ("a" * 63 + ".dk", "a" * 63 + ".dk", "a" * 63 + ".dk"),
    ],
)
def test_accepted_names(text: str, ulabel: str, alabel: str) -> None:
    name = parse_domain_name(text)
    assert name == DomainName(ulabel=ulabel, alabel=alabel)


def test_sharp_s_is_a_different_name_from_ss() -> None:
    assert parse_domain_name("strasse.dk") != parse_domain_name("straße.dk")


def test_each_idn_letter_is_allowed() -> None:
    for letter in "æøåöäüéß":
        name = parse_domain_name(f"x{letter}y.dk")
        assert name.ulabel == f"x{letter}y.dk"
        assert name.alabel.startswith("xn--")
        assert name.is_idn


def test_roid() -> None:
    assert parse_domain_name("dk-hostmaster.dk").roid == "DK_HOSTMASTER_DK-DK"
    assert parse_domain_name("æøå.dk").roid == "XN__5CAB8C_DK-DK"


def test_properties() -> None:
    name = parse_domain_name("æble.dk")
    assert name.label == "æble"
    assert str(name) == "æble.dk"
    assert not parse_domain_name("example.dk").is_idn


def test_field_is_passed_through() -> None:
    _rejected("foo-.dk", field="domain:ns")


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "example.dk.",  # trailing dot: explicitly rejected
        ".dk",
        "dk",
        "example..dk",
        "example",
        "example.com",
        "example.de",
        "example.dk.com",
        "a.example.dk",  # third level
        "www.example.dk",
        "-example.dk",
        "example-.dk",
        "-.dk",
        "ab--cd.dk",  # "--" in positions 3-4 without xn--
        "xx--cd.dk",
        "ex_ample.dk",
        "exa mple.dk",
        "example!.dk",
        "çava.dk",  # ç is not among the .dk letters
        "ñandú.dk",
        "ÿ.dk",
        "☃.dk",
        "a" * 64 + ".dk",  # 64 octets
        "æ" * 62 + ".dk",  # short in U-label form, too long in A-label form
        "xn--.dk",
        "xn--abc.dk",  # punycode garbage
        "xn--zz-.dk",
        "xn--n3h.dk",  # ☃ encoded: valid punycode but not a .dk letter
        "xn--ls8h.dk",  # emoji
        "xn--cafe-yvc.dk",  # not canonical / not NFC (e + combining acute)
        "example.xn--p1ai",
        "ex\u00a0ample.dk",
        "ex\u200dample.dk",  # zero-width joiner
        "exam.ple.dk",
    ],
)
def test_rejected_names(text: str) -> None:
    _rejected(text)


def test_rejected_a_label_with_disallowed_letter_names_decoded_text() -> None:
    encoded = idna.encode("ça").decode()
    error = _rejected(f"{encoded}.dk")
    assert "ça" in (error.detail or "")


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("foo-.dk", "end with a hyphen"),
        ("-foo.dk", "begin with a hyphen"),
        ("ab--c.dk", "positions 3–4"),
        ("example.dk.", "dot"),
        ("a.b.dk", "second-level"),
        ("example.com", ".dk"),
        ("a" * 64 + ".dk", "63"),
    ],
)
def test_detail_names_the_rule(text: str, fragment: str) -> None:
    assert fragment in (_rejected(text).detail or "")


# --------------------------------------------------------------------------- properties

_ALPHABET = sorted(DK_ALLOWED) + list("_.AÆçñ ☃x-n") + ["\u0301", "ẞ"]


@given(st.text(alphabet=_ALPHABET, max_size=30))
def test_anything_accepted_round_trips(label: str) -> None:
    try:
        name = parse_domain_name(label + ".dk")
    except EppError as error:
        assert (error.code, error.reason) == (2306, "invalid_domain_name")
        return
    u = name.ulabel[: -len(".dk")]
    assert name.ulabel.endswith(".dk") and name.alabel.endswith(".dk")
    assert set(u) <= DK_ALLOWED
    assert name.alabel.isascii()
    assert name.alabel == name.alabel.lower() and name.ulabel == name.ulabel.lower()
    assert parse_domain_name(name.alabel) == name
    assert parse_domain_name(name.ulabel) == name
    a = name.alabel[: -len(".dk")]
    assert (idna.decode(a) if a.startswith("xn--") else a) == u
    assert 1 <= len(a) <= 63


@given(st.text(max_size=80))
def test_arbitrary_text_never_crashes(text: str) -> None:
    try:
        parse_domain_name(text)
    except EppError as error:
        assert (error.code, error.reason) == (2306, "invalid_domain_name")


_INNER = sorted(DK_ALLOWED)
_EDGE = sorted(DK_ALLOWED - {"-"})


@st.composite
def _valid_labels(draw: st.DrawFn) -> str:
    first = draw(st.sampled_from(_EDGE))
    middle = draw(st.text(alphabet=_INNER, max_size=18))
    last = draw(st.sampled_from(_EDGE))
    label = first + middle + last if draw(st.booleans()) else first
    assume(label[2:4] != "--")
    return label


@given(_valid_labels())
def test_every_well_formed_label_is_accepted(label: str) -> None:
    name = parse_domain_name(label + ".dk")
    assert name.ulabel == label + ".dk"
    assert parse_domain_name(name.alabel.upper()) == name


# --------------------------------------------------------------------------- host names


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("ns1.example.dk", "ns1.example.dk"),
        ("NS1.Example.COM", "ns1.example.com"),
        (" ns.example.org ", "ns.example.org"),
        ("example.dk", "example.dk"),
        ("a.b.c.d.example.net", "a.b.c.d.example.net"),
        ("ns1.æøå.dk", "ns1.xn--5cab8c.dk"),
        ("ns1.xn--5cab8c.dk", "ns1.xn--5cab8c.dk"),
        ("ns.xn--p1ai", "ns.xn--p1ai"),  # IDN TLD as A-label
        ("ns.рф", "ns.xn--p1ai"),  # IDN TLD as U-label
        ("1.2.3.example.com", "1.2.3.example.com"),  # numeric labels are fine below the TLD
        ("ns-1.ex-ample.co.uk", "ns-1.ex-ample.co.uk"),
        ("ns.münchen.de", "ns.xn--mnchen-3ya.de"),
        ("a" * 63 + ".example.com", "a" * 63 + ".example.com"),
    ],
)
def test_accepted_host_names(text: str, expected: str) -> None:
    assert parse_host_name(text) == expected


def test_host_name_max_length() -> None:
    label = "a" * 61
    name = ".".join([label] * 4) + ".dk"  # 4*62 + 2 = 250
    assert len(name) == 250
    assert parse_host_name(name) == name
    _host_rejected(".".join([label] * 4) + ".abcdef")  # 254


@pytest.mark.parametrize(
    "text",
    [
        "",
        "localhost",
        "dk",
        "ns1.example.dk.",
        "ns1..example.dk",
        ".example.dk",
        "ns_1.example.dk",
        "-ns.example.dk",
        "ns-.example.dk",
        "ns 1.example.dk",
        "ab--cd.example.dk",
        "xn--abc.example.dk",
        "ns.☃.com",
        "a" * 64 + ".example.com",
        "ns.example!.com",
    ],
)
def test_rejected_host_names(text: str) -> None:
    _host_rejected(text)


@pytest.mark.parametrize(
    "text",
    [
        "1.2.3.4",
        "ns.example.123",
        "ns.example.c0m",
        "ns.example.c-m",
        "ns.example.a",
        "ns.example.xn--zz",
        "ns.example._tld",
    ],
)
def test_rejected_tlds(text: str) -> None:
    _host_rejected(text, reason="invalid_host_tld")


def test_host_field_is_passed_through() -> None:
    with pytest.raises(EppError) as info:
        parse_host_name("localhost", field="domain:hostObj")
    assert info.value.field == "domain:hostObj"


@given(st.text(max_size=80))
def test_host_arbitrary_text_never_crashes(text: str) -> None:
    try:
        result = parse_host_name(text)
    except EppError as error:
        assert error.code == 2005
        assert error.reason in {"invalid_host_name", "invalid_host_tld"}
        return
    assert result.isascii() and result == result.lower()
    assert len(result) <= 253 and result.count(".") >= 1
    assert parse_host_name(result) == result


# --------------------------------------------------------------------------- relationships


@pytest.mark.parametrize(
    ("host", "expected"),
    [
        ("ns1.example.dk", "example.dk"),
        ("a.b.c.example.dk", "example.dk"),
        ("NS1.Example.DK", "example.dk"),
        ("example.dk", "example.dk"),
        ("ns1.æøå.dk", "xn--5cab8c.dk"),
        ("ns1.xn--5cab8c.dk", "xn--5cab8c.dk"),
        ("ns1.example.com", None),
        ("ns1.example.dk.com", None),
        ("dk", None),
        ("", None),
    ],
)
def test_superordinate_dk_domain(host: str, expected: str | None) -> None:
    assert superordinate_dk_domain(host) == expected


@pytest.mark.parametrize(
    ("host", "domain", "expected"),
    [
        ("ns.example.dk", "example.dk", True),
        ("a.b.example.dk", "example.dk", True),
        ("example.dk", "example.dk", True),
        ("NS.EXAMPLE.DK", "example.dk", True),
        ("ns.xn--5cab8c.dk", "æøå.dk", True),
        ("ns.æøå.dk", "xn--5cab8c.dk", True),
        ("ns.badexample.dk", "example.dk", False),
        ("ns.example.dk", "other.dk", False),
        ("ns.example.com", "example.dk", False),
        ("example.dk", "ns.example.dk", False),
        ("", "example.dk", False),
    ],
)
def test_is_in_bailiwick(host: str, domain: str, expected: bool) -> None:
    assert is_in_bailiwick(host, domain) is expected
