"""Amounts as people write them: ``102.175,50 kr.`` on a Danish page, ``DKK 102,175.50`` on
an English one, and either form read back in either language — never a guess where the
text could mean two amounts."""

from __future__ import annotations

import pytest

from dkreg.model.money import format_amount, parse_amount


@pytest.mark.parametrize(("ore", "da", "en"), [
    (10217550, "102.175,50 kr.", "DKK 102,175.50"),
    (0, "0,00 kr.", "DKK 0.00"),
    (5, "0,05 kr.", "DKK 0.05"),
    (4500, "45,00 kr.", "DKK 45.00"),
    (100000000, "1.000.000,00 kr.", "DKK 1,000,000.00"),
    (-9000, "-90,00 kr.", "-DKK 90.00"),
])
def test_each_language_writes_its_own_form(ore: int, da: str, en: str) -> None:
    assert format_amount(ore, "da") == da
    assert format_amount(ore, "en") == en


@pytest.mark.parametrize(("text", "ore"), [
    ("5000", 5000_00), ("5000,50", 5000_50), ("5000.50", 5000_50), ("5000,5", 5000_50),
    ("5.000,50", 5000_50), ("5,000.50", 5000_50), ("5.000", 5000_00), ("5,000", 5000_00),
    ("1.000.000,00", 1_000_000_00), ("1,000,000.00", 1_000_000_00),
    ("102.175,50 kr.", 10217550), ("DKK 102,175.50", 10217550), ("102175,50 kr", 10217550),
    ("kr. 45", 4500), ("45 DKK", 4500), ("dkk 45", 4500), (" 45,00 ", 4500),
    ("5 000,50", 5000_50), ("5\u00a0000,50", 5000_50),
    ("-90,00 kr.", -9000), ("-DKK 90.00", -9000), ("DKK -90.00", -9000),
    ("\u221290,00 kr.", -9000),
])
def test_either_form_is_read_in_either_language(text: str, ore: int) -> None:
    assert parse_amount(text) == ore


@pytest.mark.parametrize("ore", [0, 1, 99, 100, 4500, 10217550, 123456789, -1, -9000,
                                 -10217550])
@pytest.mark.parametrize("lang", ["da", "en"])
def test_what_is_written_reads_back_as_the_same_amount(ore: int, lang: str) -> None:
    assert parse_amount(format_amount(ore, lang)) == ore


@pytest.mark.parametrize("text", [
    "", " ", "abc", "kr.", "DKK", "1e3", "0x10", "1,2,3", "1.2.3", "1..0", "1,,0",
    "1.2345", "12,345.678", "1234.567", "1.000,000", "10.00.000", "1,000.5.0", "12,34.5",
    "1.23.456", "--5", "-", "5-", "+5", "5 kr. 50", "½",
])
def test_what_cannot_be_read_unambiguously_is_refused(text: str) -> None:
    with pytest.raises(ValueError):
        parse_amount(text)
