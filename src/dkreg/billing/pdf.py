"""Invoice PDFs, laid out with ``fpdf2`` in an embedded Unicode font.

The font is DejaVu Sans from Debian's ``fonts-dejavu-core`` (``scripts/bootstrap.sh``
installs it), embedded as a subset with a ToUnicode map: any name prints, not only
WinAnsi's, and a PDF reader extracts æ, ø and å as they were written. Without the font
file the document falls back to the PDF core font Helvetica, which has Latin-1 only.

``Document`` keeps the drawing vocabulary invoices use (text lines, right-aligned
amounts, thin rules) in PDF's own coordinates, points from the bottom-left corner; the
statements and charts to come can use the ``fpdf`` object underneath directly. The
file is deterministic: its creation date is the caller's (the invoice's issue time),
never the wall clock, so the same invoice always makes the same bytes.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from fpdf import FPDF

from dkreg.billing.fik import fik_code, payment_id
from dkreg.clock import COPENHAGEN
from dkreg.model.money import ore_to_dkk

if TYPE_CHECKING:
    from dkreg.billing.invoices import InvoiceView
    from dkreg.config import Settings

A4 = (595, 842)
MARGIN = 56
FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")  # Debian's fonts-dejavu-core
FONT_FILES = {"": "DejaVuSans.ttf", "B": "DejaVuSans-Bold.ttf"}
FAMILY = "DejaVuSans"
FALLBACK = "Helvetica"


def unicode_font(font_dir: Path = FONT_DIR) -> dict[str, Path] | None:
    """The regular and bold TTF files by fpdf2 style, when both are installed."""
    files = {style: font_dir / name for style, name in FONT_FILES.items()}
    return files if all(path.is_file() for path in files.values()) else None


class Document:
    """Pages of text and rules on A4; ``render`` writes the PDF file."""

    def __init__(self, font_dir: Path = FONT_DIR) -> None:
        self.pdf = FPDF(unit="pt", format="A4")
        self.pdf.set_auto_page_break(False)
        self.pdf.set_margin(0)
        self.pdf.set_producer("dkreg")
        self.pdf.set_creator("dkreg")
        fonts = unicode_font(font_dir)
        self.family = FAMILY if fonts else FALLBACK
        for style, path in (fonts or {}).items():
            self.pdf.add_font(FAMILY, style, str(path))
        self.pdf.add_page()

    def new_page(self) -> None:
        self.pdf.add_page()

    def _printable(self, text: str) -> str:
        if self.family == FALLBACK:  # the core font has Latin-1 only
            return text.encode("latin-1", errors="replace").decode("latin-1")
        return text

    def text_width(self, text: str, size: float, bold: bool = False) -> float:
        self.pdf.set_font(self.family, "B" if bold else "", size)
        return self.pdf.get_string_width(self._printable(text))

    def wrap(self, text: str, width: float, size: float, bold: bool = False) -> list[str]:
        """``text`` in lines no wider than ``width`` points, broken between words (a word
        wider than the column, such as a long domain name, is broken where it must)."""
        lines: list[str] = []
        current = ""
        for word in text.split():
            candidate = f"{current} {word}" if current else word
            if self.text_width(candidate, size, bold) <= width:
                current = candidate
                continue
            if current:
                lines.append(current)
            current = word
            while self.text_width(current, size, bold) > width and len(current) > 1:
                cut = len(current) - 1
                while cut > 1 and self.text_width(current[:cut], size, bold) > width:
                    cut -= 1
                lines.append(current[:cut])
                current = current[cut:]
        return [*lines, current] if current or not lines else lines

    def text(self, x: float, y: float, text: str, size: float = 10, bold: bool = False,
             right: bool = False) -> None:
        """``text`` with its baseline at ``y`` points from the bottom, starting at ``x``
        (ending there when ``right``)."""
        text = self._printable(text)
        self.pdf.set_font(self.family, "B" if bold else "", size)
        if right:
            x -= self.pdf.get_string_width(text)
        self.pdf.text(x, A4[1] - y, text)

    def rule(self, x1: float, y: float, x2: float, width: float = 0.5) -> None:
        self.pdf.set_line_width(width)
        self.pdf.line(x1, A4[1] - y, x2, A4[1] - y)

    def render(self, title: str = "", created: datetime | None = None,
               lang: str = "da") -> bytes:
        self.pdf.set_title(title)
        self.pdf.set_lang(lang)
        if created is not None:
            self.pdf.set_creation_date(created)
        return bytes(self.pdf.output())


LABELS = {
    "da": {"invoice": "Faktura", "number": "Fakturanummer", "issued": "Fakturadato",
           "due": "Betalingsfrist", "debtor": "Faktureres til", "description": "Beskrivelse",
           "qty": "Antal", "amount": "Beløb (DKK)", "net": "Beløb uden moms",
           "vat": "Moms 25 %", "total": "I alt (DKK)", "prepaid": "betalt fra forudbetalt konto",
           "paid": "Betalt", "cancelled": "Annulleret", "open": "Ubetalt",
           "fik": "Betal med FIK (kortart 71)", "status": "Status", "topup_vat":
           "Indbetaling på konto: moms faktureres på månedsfakturaen"},
    "en": {"invoice": "Invoice", "number": "Invoice number", "issued": "Invoice date",
           "due": "Due date", "debtor": "Bill to", "description": "Description",
           "qty": "Qty", "amount": "Amount (DKK)", "net": "Amount excl. VAT",
           "vat": "VAT 25 %", "total": "Total (DKK)", "prepaid": "paid from the prepaid account",
           "paid": "Paid", "cancelled": "Cancelled", "open": "Unpaid",
           "fik": "Pay by FIK (card type 71)", "status": "Status", "topup_vat":
           "Payment on account: VAT is invoiced on the monthly invoice"},
}


def invoice_pdf(inv: InvoiceView, settings: Settings) -> bytes:
    """The invoice as a PDF in the invoice's language."""
    lab = LABELS.get(inv.lang, LABELS["en"])
    doc = Document()
    right = A4[0] - MARGIN
    y: float = A4[1] - MARGIN

    def line(text: str, size: float = 10, bold: bool = False, step: float = 14) -> None:
        nonlocal y
        doc.text(MARGIN, y, text, size, bold)
        y -= step

    line(settings.registry_name, 16, True, 18)
    line(settings.registry_address, 9, step=28)
    line(f"{lab['invoice']} {inv.number}", 14, True, 20)
    local = COPENHAGEN
    for key, value in ((lab["number"], str(inv.number)),
                       (lab["issued"], inv.issued_at.astimezone(local).date().isoformat()),
                       (lab["due"], inv.due_at.astimezone(local).date().isoformat()),
                       (lab["status"], lab[inv.status])):
        doc.text(MARGIN, y, f"{key}:", 10, True)
        doc.text(MARGIN + 120, y, value)
        y -= 14
    y -= 10
    line(f"{lab['debtor']}:", 10, True)
    for text in [inv.debtor_name, *inv.debtor_address.splitlines(), inv.debtor_email]:
        line(text)
    y -= 12
    doc.text(MARGIN, y, lab["description"], 10, True)
    doc.text(right - 110, y, lab["qty"], 10, True, right=True)
    doc.text(right, y, lab["amount"], 10, True, right=True)
    y -= 6
    doc.rule(MARGIN, y, right)
    y -= 14
    for item in inv.lines:
        if y < MARGIN + 140:
            doc.new_page()
            y = A4[1] - MARGIN
        text = item.description + (f" ({lab['prepaid']})" if item.prepaid else "")
        for i, part in enumerate(doc.wrap(text, right - 150 - MARGIN, 10)[:4]):
            doc.text(MARGIN, y, part)  # wrapped clear of the Qty column
            if i == 0:
                doc.text(right - 110, y, str(item.quantity), right=True)
                doc.text(right, y, ore_to_dkk(item.amount_ore), right=True)
            y -= 14
    doc.rule(MARGIN, y + 6, right)
    y -= 8
    for key, amount, bold in ((lab["net"], inv.total_ore - inv.vat_ore, False),
                              (lab["vat"], inv.vat_ore, False),
                              (lab["total"], inv.total_ore, True)):
        doc.text(right - 150, y, key, 10, bold, right=True)
        doc.text(right, y, ore_to_dkk(amount), 10, bold, right=True)
        y -= 14
    if inv.kind == "topup":
        line(lab["topup_vat"], 9)
    y -= 20
    doc.rule(MARGIN, y + 12, right, 1.0)
    line(lab["fik"], 10, True)
    line(fik_code(inv.number, settings.fik_creditor_number), 12, True)
    line(f"Payment ID {payment_id(inv.number)}", 9)
    return doc.render(title=f"{lab['invoice']} {inv.number}", created=inv.issued_at,
                      lang=inv.lang if inv.lang in LABELS else "en")
