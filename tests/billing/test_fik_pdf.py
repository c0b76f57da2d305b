"""The FIK +71 check digit and the invoice PDF (fpdf2 writes it, pypdf reads it back)."""

from __future__ import annotations

import io
from datetime import UTC, datetime
from pathlib import Path

import pytest
from pypdf import PdfReader

from dkreg.billing.fik import check_digit, fik_code, payment_id, valid_payment_id
from dkreg.billing.invoices import InvoiceView, Line, vat_share
from dkreg.billing.pdf import A4, MARGIN, Document, invoice_pdf, unicode_font
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


def pdf_text(pdf: bytes) -> str:
    """The text a PDF reader extracts (pypdf), page after page."""
    reader = PdfReader(io.BytesIO(pdf), strict=True)
    return "\n".join(page.extract_text() for page in reader.pages)


def test_the_pdf_is_well_formed_and_carries_the_invoice(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path)
    pdf = invoice_pdf(sample(), settings)
    assert pdf.startswith(b"%PDF-1.4\n") and pdf.rstrip().endswith(b"%%EOF")
    reader = PdfReader(io.BytesIO(pdf), strict=True)  # strict: a broken xref raises
    assert len(reader.pages) == 1
    assert reader.metadata is not None and reader.metadata.title == "Faktura 4711"
    # the same invoice makes the same bytes: the creation date is its issue time
    assert reader.metadata.creation_date == datetime(2027, 5, 2, 10, 0, tzinfo=UTC)
    assert invoice_pdf(sample(), settings) == pdf
    text = pdf_text(pdf)
    for expected in ("Punktum dk A/S", "Faktura 4711", "2027-05-02", "2027-06-01",
                     "Rita Ærø (Å)", "8000 Aarhus C", "rødgrød.dk: fornyelse 1 år",
                     "(2027-06-01 – 2028-06-01)", "Moms 25 %", "9.00", "36.00", "45.00"):
        assert expected in text, expected
    assert fik_code(4711, settings.fik_creditor_number) in text
    assert f"+71<{payment_id(4711)}+85500001<" in text
    english = pdf_text(invoice_pdf(sample("en"), settings))
    assert "Invoice 4711" in english and "VAT 25 %" in english


def embedded_fonts(pdf: bytes) -> set[str]:
    """The base font names of the fonts the pages use whose program is in the file."""
    names = set()
    for page in PdfReader(io.BytesIO(pdf)).pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            for descendant in font.get("/DescendantFonts", [font]):
                descriptor = descendant.get_object().get("/FontDescriptor")
                if descriptor is not None and "/FontFile2" in descriptor.get_object():
                    names.add(str(font["/BaseFont"]).split("+")[-1])
    return names


def test_a_unicode_font_is_embedded_and_any_name_extracts(tmp_path: Path) -> None:
    """Names beyond WinAnsi (Polish, Greek) print and read back as written."""
    assert unicode_font() is not None, "Debian's fonts-dejavu-core is not installed"
    inv = sample()
    name = "Łukasz Żółć · Ελένη"
    pdf = invoice_pdf(InvoiceView(**{**inv.__dict__, "debtor_name": name}),
                      Settings(data_dir=tmp_path))
    assert embedded_fonts(pdf) == {"DejaVuSansBook", "DejaVuSansBold"}
    text = pdf_text(pdf)
    assert name in text and "Rita" not in text and "Vestergade 1" in text


def test_without_the_font_file_helvetica_prints_latin_1(tmp_path: Path) -> None:
    doc = Document(font_dir=tmp_path)  # no TTF files here
    doc.text(MARGIN, 700, "Rita Ærø – Łukasz", bold=True)
    pdf = doc.render(title="x")
    assert embedded_fonts(pdf) == set()
    assert "Rita Ærø ? ?ukasz" in pdf_text(pdf)


def test_a_long_description_wraps_clear_of_the_quantity_column(tmp_path: Path) -> None:
    inv = sample()
    long_name = "et-meget-langt-domænenavn-" * 2 + "med-æøå.dk"
    description = f"{long_name}: fornyelse 1 år (2027-06-01 – 2028-06-01)"
    pdf = invoice_pdf(InvoiceView(**{**inv.__dict__, "lines": (Line(description, 1, 4500),)}),
                      Settings(data_dir=tmp_path))
    doc = Document()
    width = A4[0] - 2 * MARGIN - 150
    lines = doc.wrap(description, width, 10)
    text = pdf_text(pdf)
    assert all(line in text for line in lines) and "æøå.dk: fornyelse 1 år" in text
    assert len(lines) >= 2 and "".join(lines).replace(" ", "") == description.replace(" ", "")
    assert all(doc.text_width(line, 10) <= width for line in lines)
    assert doc.wrap("kort", width, 10) == ["kort"] and doc.wrap("", width, 10) == [""]


def test_many_lines_flow_onto_more_pages(tmp_path: Path) -> None:
    inv = sample()
    long = InvoiceView(**{**inv.__dict__, "lines": tuple(
        Line(f"linje {i}", 1, 100) for i in range(120)), "total_ore": 12000, "vat_ore": 2400})
    pdf = invoice_pdf(long, Settings(data_dir=tmp_path))
    assert len(PdfReader(io.BytesIO(pdf)).pages) >= 2
    text = pdf_text(pdf)
    assert "linje 0" in text and "linje 119" in text and "+71<" in text
