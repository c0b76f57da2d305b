"""The Danish FIK payment code for card type 71: ``+71<`` payment id ``+`` creditor ``<``.

The payment id is 15 digits: 14 identifying the invoice and a modulus-10 check digit
(weights 2, 1, 2, 1, ... from the right of the 14, digit sums of the products — the
Luhn scheme), so a bank rejects a mistyped id instead of booking it to someone else.
"""

from __future__ import annotations

PAYMENT_ID_DIGITS = 15


def check_digit(payload: str) -> int:
    """The modulus-10 check digit of a string of digits."""
    if not payload.isdigit():
        raise ValueError(f"a payment id is digits only, not {payload!r}")
    total = 0
    for i, ch in enumerate(reversed(payload)):
        product = int(ch) * (2 if i % 2 == 0 else 1)
        total += product // 10 + product % 10
    return (10 - total % 10) % 10


def payment_id(invoice_number: int) -> str:
    """The 15-digit payment id of an invoice number (zero-padded, check digit last)."""
    payload = f"{invoice_number:0{PAYMENT_ID_DIGITS - 1}d}"
    if len(payload) != PAYMENT_ID_DIGITS - 1:
        raise ValueError(f"invoice number {invoice_number} does not fit a FIK payment id")
    return payload + str(check_digit(payload))


def valid_payment_id(text: str) -> bool:
    return (len(text) == PAYMENT_ID_DIGITS and text.isdigit()
            and check_digit(text[:-1]) == int(text[-1]))


def fik_code(invoice_number: int, creditor: str) -> str:
    """``+71<PPPPPPPPPPPPPPP+CCCCCCCC<`` as printed on the invoice."""
    if not (len(creditor) == 8 and creditor.isdigit()):
        raise ValueError(f"a FIK creditor number is 8 digits, not {creditor!r}")
    return f"+71<{payment_id(invoice_number)}+{creditor}<"
