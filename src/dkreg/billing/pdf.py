"""Invoice PDFs, written by a small PDF 1.4 generator of our own (no dependency).

The generator knows just what an invoice needs: pages of text lines in Helvetica and
Helvetica-Bold (WinAnsiEncoding, so æ, ø and å print), right-aligned amounts and thin
rules. Content streams are left uncompressed: the file stays readable by ``pdftotext``
and by a test that reads the stream itself. Right alignment uses the standard Helvetica
glyph widths (AFM), enough for digits, amounts and short labels.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from dkreg.billing.fik import fik_code, payment_id
from dkreg.clock import COPENHAGEN
from dkreg.model.money import ore_to_dkk

if TYPE_CHECKING:
    from dkreg.billing.invoices import InvoiceView
    from dkreg.config import Settings

A4 = (595, 842)
MARGIN = 56
# Helvetica advance widths (1/1000 em) for what amounts and labels use; others ~556
_WIDTHS = {**dict.fromkeys("0123456789", 556), " ": 278, ".": 278, ",": 278, "-": 333,
           ":": 278, "%": 889, "K": 667, "D": 722, "+": 584, "<": 584}


def text_width(text: str, size: float) -> float:
    return sum(_WIDTHS.get(ch, 556) for ch in text) * size / 1000


def _pdf_string(text: str) -> bytes:
    raw = text.encode("cp1252", errors="replace")
    return b"(" + raw.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)") + b")"


@dataclass
class Document:
    """Pages of drawing operations; ``render`` writes the PDF file."""

    pages: list[list[bytes]] = field(default_factory=lambda: [[]])

    def new_page(self) -> None:
        self.pages.append([])

    def text(self, x: float, y: float, text: str, size: float = 10, bold: bool = False,
             right: bool = False) -> None:
        if right:
            x -= text_width(text, size)
        font = b"/F2" if bold else b"/F1"
        self.pages[-1].append(b"BT %s %.1f Tf %.2f %.2f Td %s Tj ET" % (
            font, size, x, y, _pdf_string(text)))

    def rule(self, x1: float, y: float, x2: float, width: float = 0.5) -> None:
        self.pages[-1].append(b"%.2f w %.2f %.2f m %.2f %.2f l S" % (width, x1, y, x2, y))

    def render(self, title: str = "") -> bytes:
        objects: list[bytes] = []  # object n is objects[n - 1]
        n_pages = len(self.pages)
        first_page = 5  # 1 catalog, 2 pages, 3 font, 4 bold font, then page/content pairs
        kids = b" ".join(b"%d 0 R" % (first_page + 2 * i) for i in range(n_pages))
        objects.append(b"<< /Type /Catalog /Pages 2 0 R >>")
        objects.append(b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, n_pages))
        for name in (b"Helvetica", b"Helvetica-Bold"):
            objects.append(b"<< /Type /Font /Subtype /Type1 /BaseFont /" + name +
                           b" /Encoding /WinAnsiEncoding >>")
        for i, ops in enumerate(self.pages):
            content = b"\n".join(ops)
            objects.append(b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %d %d] "
                           b"/Resources << /Font << /F1 3 0 R /F2 4 0 R >> >> "
                           b"/Contents %d 0 R >>" % (A4[0], A4[1], first_page + 2 * i + 1))
            objects.append(b"<< /Length %d >>\nstream\n%s\nendstream" % (len(content), content))
        objects.append(b"<< /Title %s /Producer (dkreg) >>" % _pdf_string(title))
        info = len(objects)
        out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
        offsets = []
        for number, body in enumerate(objects, 1):
            offsets.append(len(out))
            out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
        xref = len(out)
        out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
        for offset in offsets:
            out += b"%010d 00000 n \n" % offset
        out += b"trailer\n<< /Size %d /Root 1 0 R /Info %d 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
            len(objects) + 1, info, xref)
        return bytes(out)


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
    y = A4[1] - MARGIN

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
        doc.text(MARGIN, y, text[:90])
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
    return doc.render(title=f"{lab['invoice']} {inv.number}")
