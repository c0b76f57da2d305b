"""What the synthetic registry looks like: pure functions of a seeded ``random.Random``.

Why a module of its own: the benchmarks built on the demo registry (zone generation,
lookups, incentives) are only as telling as the data is like .dk's, so the proportions
are written down here, in one place, as named numbers a reader can argue with:

- portfolio sizes follow a Zipf law (weight 1/rank^1.1): with 60 registrars the largest
  six hold over half the domains, as at .dk, where a few large hosting registrars
  dominate and a long tail holds a few hundred each;
- registrants are Danish persons (about 60 %), Danish companies with a valid CVR number
  (modulus 11) and foreigners, some with cities that are not ASCII (Tromsø, Kraków):
  those use the ``loc`` postal block, as the registry's address rules require for text
  that is not 7-bit ASCII;
- names are Danish words, joined or hyphenated, some with æ, ø or å (IDN, stored as
  A-label in ``domains.name`` and U-label in ``domains.uname``, as ``model.names``
  makes them);
- about 65 % of domains carry DS (algorithm 13, digest type 2), a few with two (a key
  roll-over in progress);
- most delegations point at shared name servers of hosting companies (out of bailiwick
  for the customer, with glue only in the hosting company's own domain), some at name
  servers abroad, some at their own in-zone name servers with IPv4 and IPv6 glue;
- a few percent are on hold, suspended (NIS2), in redemption, waiting as applications
  (pendingCreate) or released, so that the zone's in/out rules have something to do.

Every value is built to pass the registry's own validation (``model.contact_rules``,
``model.names``, ``model.addresses``); ``tests/demo/test_generator.py`` checks that.
"""

from __future__ import annotations

import bisect
import itertools
import math
import random
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TypeVar

T = TypeVar("T")

# -- proportions -------------------------------------------------------------------------

ZIPF_EXPONENT = 1.1
DS_SHARE = 0.65
DOUBLE_DS_SHARE = 0.05  # of the signed ones: two DS during a key roll-over
REGISTRANT_MANAGED_SHARE = 0.15
CONTACT_REUSE_SHARE = 0.30  # a registrant holding more than one domain
PERSON_SHARE, COMPANY_SHARE = 0.60, 0.30  # the rest: foreign registrants
# where a delegation points (the rest: the registrar's own hosting company)
OWN_NS_SHARE, FOREIGN_NS_SHARE, OTHER_HOSTING_SHARE = 0.05, 0.07, 0.18
OWN_NS_V6_SHARE = 0.6
# a domain's situation: (name, share); "ok" takes what is left
SITUATIONS: tuple[tuple[str, float], ...] = (
    ("hold", 0.005),  # serverHold: the registrant's ID check is not done
    ("suspended", 0.01),  # NIS2 suspension: serverHold until deletion
    ("redemption", 0.015),  # deleted, restorable: pendingDelete serverHold
    # pendingCreate, queued for processing: a registry's queue is drained within
    # seconds, so a few (1 % made 14,000 due applications at .dk's size, a backlog that
    # kept the lifecycle busy for half an hour after every fresh demo)
    ("application", 0.001),
    ("released", 0.015),  # gone; the row stays as history
)
PERIODS = (1, 1, 1, 1, 1, 1, 1, 2, 3, 5)

# -- word lists --------------------------------------------------------------------------

_WORDS_TEXT = """
bager smed tømrer maler murer vvs el auto bil cykel fisk kød blomster frisør klinik
tand læge advokat revisor ejendom bolig hus have tag vindue dør køkken bad gulv lys
kaffe te vin øl mad pizza sushi burger grill café kro hotel camping ferie rejse
sol måne stjerne hav strand sø skov eng mark bakke dal fjord å ø bro havn
nord syd øst vest by land gård mølle kirke skole børn ungdom sport fodbold golf
tennis løb svøm dans musik kunst foto film bog avis radio data net web it soft
kode digital smart grøn blå rød gul hvid sort lille store gamle nye gode bedste
hansen jensen nielsen pedersen andersen christensen larsen sørensen rasmussen
jørgensen petersen madsen kristensen olsen thomsen poulsen johansen knudsen
mortensen møller holm lund berg dahl bach skov krog vang bruun hald friis
aarhus odense aalborg esbjerg randers kolding horsens vejle roskilde herning
silkeborg næstved viborg fredericia køge holstebro slagelse hillerød svendborg
hjørring frederikshavn thisted skive ribe tønder sønderborg nyborg bornholm
amager nørrebro vesterbro østerbro frederiksberg valby brønshøj hellerup lyngby
design byg montage service handel import eksport lager transport flyt taxa
energi solcelle varme køl vand miljø genbrug natur dyr hund kat hest zoo
mode tøj sko smykke ur guld sølv glas keramik træ metal sten papir print
shop butik marked torv center hus hjem liv sund krop yoga fitness spa pleje
konsulent partner gruppe team holding invest finans bank forsikring pension
"""
WORDS = _WORDS_TEXT.split()

_PERSON_FIRST_TEXT = """
anne mette hanne kirsten susanne lene maria marianne inge karen lone pia bente
camilla louise charlotte julie emma ida sofie freja clara laura peter jens
lars michael henrik søren thomas jan niels anders christian martin morten jesper
rasmus mads mikkel frederik oliver lucas william noah magnus emil victor åse
"""
PERSON_FIRST = _PERSON_FIRST_TEXT.split()

_PERSON_LAST_TEXT = """
hansen jensen nielsen pedersen andersen christensen larsen sørensen rasmussen
jørgensen petersen madsen kristensen olsen thomsen poulsen johansen knudsen
mortensen møller holm lund bach skov krog vang bruun friis dahl østergaard
"""
PERSON_LAST = _PERSON_LAST_TEXT.split()

COMPANY_SUFFIX = ("ApS", "A/S", "IVS", "I/S", "K/S")
_STREETS_TEXT = """
Vestergade Østergade Nørregade Søndergade Algade Storegade Bredgade Kirkevej
Skolevej Møllevej Stationsvej Åboulevard Strandvejen Hovedgaden Ringvejen Parkvej
Engvej Skovvej Bakkevej Fasanvej Rosenvænget Birkevej Egevej Kongevejen
"""
STREETS = _STREETS_TEXT.split()

# (postcode, city) in Denmark
DK_CITIES: tuple[tuple[str, str], ...] = (
    ("1050", "København K"), ("2100", "København Ø"), ("2200", "København N"),
    ("2300", "København S"), ("2450", "København SV"), ("2500", "Valby"),
    ("2800", "Kongens Lyngby"), ("2900", "Hellerup"), ("3400", "Hillerød"),
    ("4000", "Roskilde"), ("4600", "Køge"), ("4700", "Næstved"), ("5000", "Odense C"),
    ("5700", "Svendborg"), ("6000", "Kolding"), ("6700", "Esbjerg"), ("7100", "Vejle"),
    ("7400", "Herning"), ("8000", "Aarhus C"), ("8600", "Silkeborg"), ("8700", "Horsens"),
    ("8800", "Viborg"), ("8900", "Randers C"), ("9000", "Aalborg"), ("9800", "Hjørring"),
    ("3700", "Rønne"), ("6400", "Sønderborg"), ("7700", "Thisted"),
)

# (cc, calling code, postcode, city, street) abroad; several cities are not ASCII
FOREIGN: tuple[tuple[str, str, str, str, str], ...] = (
    ("DE", "49", "80331", "München", "Marienplatz"),
    ("DE", "49", "24937", "Flensburg", "Große Straße"),
    ("DE", "49", "10115", "Berlin", "Invalidenstraße"),
    ("SE", "46", "41101", "Göteborg", "Kungsgatan"),
    ("SE", "46", "21122", "Malmö", "Södergatan"),
    ("NO", "47", "9008", "Tromsø", "Storgata"),
    ("NO", "47", "0150", "Oslo", "Karl Johans gate"),
    ("PL", "48", "31-001", "Kraków", "Rynek Główny"),
    ("IS", "354", "101", "Reykjavík", "Laugavegur"),
    ("CH", "41", "8001", "Zürich", "Bahnhofstrasse"),
    ("FR", "33", "75001", "Paris", "Rue de Rivoli"),
    ("NL", "31", "1012", "Amsterdam", "Damrak"),
    ("GB", "44", "EC1A 1BB", "London", "King Street"),
    ("ES", "34", "28013", "Madrid", "Calle Mayor"),
)

MAIL_DOMAINS = ("mail.example", "post.example", "net.example", "firma.example")
REGISTRAR_KINDS = ("Hosting ApS", "Web A/S", "Domæner ApS", "IT ApS", "Net ApS",
                   "Online A/S", "Data ApS")
FOREIGN_DNS = ("nordicdns", "eurodns", "cloudhost", "anycastnet")

# public address prefixes (RIPE space; none in model.addresses' non-public list)
V4_FIRST = (5, 31, 37, 46, 62, 77, 80, 87, 91, 93, 109, 130, 185, 193, 194, 195, 212, 213)
V6_PREFIX = ("2a00", "2a01", "2a02", "2a03", "2a05", "2a06", "2a09", "2a10")

_ASCII_FOLD = str.maketrans({"æ": "ae", "ø": "oe", "å": "aa", "é": "e", "ü": "u", "ö": "o",
                             "ä": "a", "ß": "ss"})


def randint(rng: random.Random, low: int, high: int) -> int:
    """``rng.randint`` at a quarter of its cost (it is called millions of times)."""
    return low + int(rng.random() * (high - low + 1))


def pick(rng: random.Random, seq: Sequence[T]) -> T:
    """``rng.choice``, likewise."""
    return seq[int(rng.random() * len(seq))]


def ascii_fold(text: str) -> str:
    """For e-mail local parts and logins: Danish letters as the usual ASCII pairs."""
    return text.translate(_ASCII_FOLD)


# -- registrars --------------------------------------------------------------------------


def portfolio_weights(registrars: int) -> list[float]:
    """Cumulative Zipf weights for ``random.choices(..., cum_weights=...)``: registrar
    ``i`` (0-based) has weight 1/(i+1)^1.1."""
    return list(itertools.accumulate(1 / (i + 1) ** ZIPF_EXPONENT for i in range(registrars)))


def pick_weighted(rng: random.Random, cum: list[float]) -> int:
    return bisect.bisect(cum, rng.random() * cum[-1])


def registrar_name(rng: random.Random, i: int) -> str:
    word = pick(rng, WORDS)
    return f"{word.capitalize()} {REGISTRAR_KINDS[i % len(REGISTRAR_KINDS)]}"


# -- contacts ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ContactShape:
    """The fields of a ``contacts`` row that describe the person or company (the same
    fields as ``model.contact_rules.ValidContact``)."""

    user_type: str
    name: str | None
    org: str | None
    street: list[str]
    city: str
    pc: str | None
    cc: str
    postal_type: str
    voice: str
    email: str
    cvr: str | None


_CVR_WEIGHTS = (2, 7, 6, 5, 4, 3, 2, 1)


def cvr_number(rng: random.Random) -> str:
    """Eight digits passing the CVR modulus-11 check (``stdnum.dk.cvr``)."""
    while True:
        digits = [1 + int(rng.random() * 9)] + [int(rng.random() * 10) for _ in range(6)]
        partial = sum(d * w for d, w in zip(digits, _CVR_WEIGHTS, strict=False))
        last = (-partial) % 11
        if last < 10:
            return "".join(map(str, digits)) + str(last)


def _person_name(rng: random.Random) -> str:
    return f"{pick(rng, PERSON_FIRST).capitalize()} {pick(rng, PERSON_LAST).capitalize()}"


def contact(rng: random.Random, n: int) -> ContactShape:
    """A registrant; ``n`` (the contact's number) keeps e-mail addresses distinct."""
    r = rng.random()
    street = [f"{pick(rng, STREETS)} {randint(rng, 1, 180)}"]
    if r < PERSON_SHARE + COMPANY_SHARE:
        pc, city = pick(rng, DK_CITIES)
        voice = f"+45.{randint(rng, 20_000_000, 99_999_999)}"
        if r < PERSON_SHARE:
            name = _person_name(rng)
            local = ascii_fold(name.lower()).replace(" ", ".")
            return ContactShape("individual", name, None, street, city, pc, "DK", "loc",
                                voice, f"{local}{n}@{pick(rng, MAIL_DOMAINS)}", None)
        word = pick(rng, WORDS)
        org = f"{word.capitalize()} {pick(rng, PERSON_LAST).capitalize()} " \
              f"{pick(rng, COMPANY_SUFFIX)}"
        return ContactShape("company", _person_name(rng), org, street, city, pc, "DK", "loc",
                            voice, f"info{n}@{ascii_fold(word)}.example", cvr_number(rng))
    cc, calling, pc, city, road = pick(rng, FOREIGN)
    voice = f"+{calling}.{randint(rng, 10_000_000, 99_999_999)}"
    street = [f"{road} {randint(rng, 1, 90)}"]
    if rng.random() < 0.5:
        name = _person_name(rng)
        return ContactShape("individual", name, None, street, city, pc, cc, "loc", voice,
                            f"{ascii_fold(name.lower()).replace(' ', '.')}{n}@mail.example",
                            None)
    org = f"{pick(rng, WORDS).capitalize()} GmbH" if cc == "DE" else \
        f"{pick(rng, WORDS).capitalize()} Ltd"
    vat = f"{cc}{randint(rng, 100_000_000, 999_999_999)}"
    return ContactShape("company", None, org, street, city, pc, cc, "loc", voice,
                        f"contact{n}@company.example", vat)


# -- domain names ------------------------------------------------------------------------


# the words kept with their Danish letters in domain names; the others are written the
# way most Danes register them (tømrer -> toemrer), which gives about 8 % IDNs
IDN_WORDS = frozenset(("sø", "ø", "å", "køkken", "grøn", "blå", "rød", "mølle", "gård",
                       "tømrer", "læge", "frisør"))


class NameSpace:
    """Distinct second-level labels for domain numbers 0, 1, 2, ...

    A label is two words, joined (``solskin``) or hyphenated (``bager-hansen``), with a
    number after it once the pairs run out (``bager-hansen3``). Number ``i`` maps to a
    pair through a multiplicative permutation of the whole space, so consecutive domains
    do not share a first word and the seed changes which names appear. Joined pairs that
    spell the same text (``sol``+``skin`` and ``sols``+``kin``) are written with ``-og-``
    instead, so no two numbers give the same label, without a set of every name so far
    (1.4 million of them would be a few hundred MB).
    """

    def __init__(self, seed: int, size: int) -> None:
        rng = random.Random(f"names-{seed}")
        self.words = sorted({w if w in IDN_WORDS else ascii_fold(w) for w in WORDS})
        rng.shuffle(self.words)
        w = len(self.words)
        self.pairs = 2 * w * w  # joined and hyphenated
        self.space = self.pairs * max(1, math.ceil(size / self.pairs))
        self.mult = _coprime(self.space, rng.randrange(self.space // 3, self.space))
        self.offset = rng.randrange(self.space)
        joined: dict[str, int] = {}
        for a in self.words:
            for b in self.words:
                joined[a + b] = joined.get(a + b, 0) + 1
        self._ambiguous = {k for k, v in joined.items() if v > 1}

    def label(self, i: int) -> str:
        """The U-label of name number ``i`` (``0 <= i < space``)."""
        j = (i * self.mult + self.offset) % self.space
        form, r = j % 2, j // 2
        w = len(self.words)
        a, b, k = self.words[r % w], self.words[(r // w) % w], r // (w * w)
        if form:
            text = f"{a}-{b}"
        elif a + b in self._ambiguous:
            text = f"{a}-og-{b}"
        else:
            text = a + b
        return f"{text}{k + 1}" if k else text


def _coprime(n: int, start: int) -> int:
    m = start | 1
    while math.gcd(m, n) != 1:
        m += 2
    return m


def alabel(ulabel: str) -> str:
    """The A-label of a U-label that ``NameSpace`` made. Its labels are lower-case, NFC
    and only of letters IDNA 2008 allows, so the A-label is plain punycode (RFC 3492),
    which costs a tenth of a full ``idna.encode``; the tests hold every name to
    ``model.names.parse_domain_name``."""
    if ulabel.isascii():
        return ulabel
    return "xn--" + ulabel.encode("punycode").decode("ascii")


# -- DNS data ----------------------------------------------------------------------------


def ds_record(rng: random.Random) -> tuple[int, int, int, str]:
    """(key tag, algorithm 13 ECDSAP256SHA256, digest type 2 SHA-256, 64 hex digits)."""
    return randint(rng, 1, 65535), 13, 2, f"{rng.getrandbits(256):064X}"


def ipv4(rng: random.Random) -> str:
    return (f"{pick(rng, V4_FIRST)}.{randint(rng, 0, 255)}.{randint(rng, 0, 255)}."
            f"{randint(rng, 1, 254)}")


def ipv6(rng: random.Random) -> str:
    return (f"{pick(rng, V6_PREFIX)}:{rng.getrandbits(16):x}:{rng.getrandbits(16):x}::"
            f"{randint(rng, 1, 0xffff):x}")


def situation(rng: random.Random) -> str:
    r = rng.random()
    for name, share in SITUATIONS:
        if r < share:
            return name
        r -= share
    return "ok"


def expiry(rng: random.Random, now: datetime) -> datetime:
    """Spread over the coming year, at the whole second."""
    return (now + timedelta(seconds=randint(rng, 3600, 365 * 86400))).replace(microsecond=0)
