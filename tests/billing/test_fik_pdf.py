"""The FIK +71 check digit and the invoice PDF our own generator writes."""

from __future__ import annotations

import re
import shutil
import subprocess
from datetime import UTC, datetime
from pathlib import Path

import pytest

from dkreg.billing.fik import check_digit, fik_code, payment_id, valid_payment_id
from dkreg.billing.invoices import InvoiceView, Line, vat_share
from dkreg.billing.pdf import invoice_pdf
from dkreg.config import Settings


def test_check_digit_is_modulus_10_with_weights_2_1_from_the_right() -> None:
    assert check_digit("7992739871") == 3  # the textbook modulus-10 (Luhn) example
    assert check_digit("00000000000001") == 8  # 1×2 = 2 → 10 − 2
    assert check_digit("00000000000005") == 9  # 5×2 = 10 → digit sum 1 → 9
    assert check_digit("00000000000010") == 9  # 1×1 + 0×2 = 1 → 9
    # the FIK card printers' published examples: payment ID 1 is printed 18, 2 is 26
    assert payment_id(1) == "000000000000018"
    assert payment_id(2) == "000000000000026"
    assert payment_id(12345) == "00000000012345" + str(check_digit("00000000012345"))
    pid = payment_id(987654321)
    assert len(pid) == 15 and valid_payment_id(pid)
    for i in range(14):  # any single mistyped digit is caught
        wrong = pid[:i] + str((int(pid[i]) + 3) % 10) + pid[i + 1:]
        assert not valid_payment_id(wrong)
    with pytest.raises(ValueError):
        check_digit("12a4")
    assert fik_code(1, "85500001") == "+71<000000000000018+85500001<"
    with pytest.raises(ValueError):
        fik_code(1, "1234")


def test_vat_is_the_25_percent_share_of_the_total() -> None:
    assert vat_share(4500, "renewal") == 900  # DKK 45.00 = 36.00 + 9.00
    assert vat_share(12500, "monthly") == 2500
    assert vat_share(1, "renewal") == 0
    assert vat_share(4500, "topup") == 0


def sample(lang: str = "da") -> InvoiceView:
    at = datetime(2027, 5, 2, 10, 0, tzinfo=UTC)
    return InvoiceView(
        id=7, number=4711, kind="renewal", status="open", debtor_name="Rita Ærø (Å)",
        debtor_address="Vestergade 1\n8000 Aarhus C\nDK", debtor_email="rita@example.dk",
        debtor_contact_id=1, debtor_registrar_id=None, lang=lang, domain_id=1, issued_at=at,
        due_at=datetime(2027, 6, 1, 21, 59, 59, tzinfo=UTC), total_ore=4500, vat_ore=900,
        paid_at=None, payment_reference=None,
        lines=(Line("rødgrød.dk: fornyelse 1 år (2027-06-01 – 2028-06-01)", 1, 4500),))


def pdf_text(pdf: bytes, tmp_path: Path) -> str:
    """pdftotext (Debian poppler-utils) when installed, else the content stream's strings."""
    if shutil.which("pdftotext"):
        path = tmp_path / "invoice.pdf"
        path.write_bytes(pdf)
        return subprocess.run(["pdftotext", "-layout", str(path), "-"], check=True,
                              capture_output=True).stdout.decode()
    streams = re.findall(rb"stream\n(.*?)\nendstream", pdf, re.S)
    assert streams
    strings = re.findall(rb"\(((?:\\.|[^\\)])*)\) Tj", b"\n".join(streams))
    return "\n".join(re.sub(rb"\\(.)", rb"\1", s).decode("cp1252") for s in strings)


def test_the_pdf_is_well_formed_and_carries_the_invoice(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path)
    pdf = invoice_pdf(sample(), settings)
    assert pdf.startswith(b"%PDF-1.4\n") and pdf.rstrip().endswith(b"%%EOF")
    # every xref entry points at its object, and startxref at the table
    start = int(re.search(rb"startxref\n(\d+)\n", pdf).group(1))  # type: ignore[union-attr]
    assert pdf[start:start + 4] == b"xref"
    entries = re.findall(rb"(\d{10}) 00000 n ", pdf[start:])
    for number, offset in enumerate(entries, 1):
        assert pdf[int(offset):].startswith(b"%d 0 obj" % number)
    # each stream's /Length is its byte length
    for length, body in re.findall(rb"<< /Length (\d+) >>\nstream\n(.*?)\nendstream", pdf, re.S):
        assert int(length) == len(body)
    text = pdf_text(pdf, tmp_path)
    for expected in ("Punktum dk A/S", "Faktura 4711", "2027-05-02", "2027-06-01",
                     "Rita Ærø (Å)", "8000 Aarhus C", "rødgrød.dk: fornyelse 1 år",
                     "Moms 25 %", "9.00", "36.00", "45.00"):
        assert expected in text, expected
    assert fik_code(4711, settings.fik_creditor_number) in text
    assert f"+71<{payment_id(4711)}+85500001<" in text
    english = pdf_text(invoice_pdf(sample("en"), settings), tmp_path)
    assert "Invoice 4711" in english and "VAT 25 %" in english


def test_many_lines_flow_onto_more_pages(tmp_path: Path) -> None:
    inv = sample()
    long = InvoiceView(**{**inv.__dict__, "lines": tuple(
        Line(f"linje {i}", 1, 100) for i in range(120)), "total_ore": 12000, "vat_ore": 2400})
    pdf = invoice_pdf(long, Settings(data_dir=tmp_path))
    assert int(re.search(rb"/Count (\d+)", pdf).group(1)) >= 2  # type: ignore[union-attr]
    text = pdf_text(pdf, tmp_path)
    assert "linje 0" in text and "linje 119" in text and "+71<" in text
