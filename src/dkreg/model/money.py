"""Money is integer øre; DKK text is only produced at the edges."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation


def dkk_to_ore(text: str | int | float | Decimal) -> int:
    try:
        amount = Decimal(str(text).replace(",", ".").strip())
    except InvalidOperation:
        raise ValueError(f"not an amount in DKK: {text!r}") from None
    return int((amount * 100).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def ore_to_dkk(ore: int) -> str:
    """``123456`` -> ``"1234.56"`` (the balance mapping uses '.' as decimal separator)."""
    sign = "-" if ore < 0 else ""
    ore = abs(ore)
    return f"{sign}{ore // 100}.{ore % 100:02d}"
