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


def format_amount(ore: int, lang: str) -> str:
    """An amount as a reader of ``lang`` writes it: ``102.175,50 kr.`` in Danish,
    ``DKK 102,175.50`` in English (a minus sign before either)."""
    sign = "-" if ore < 0 else ""
    kroner, rest = divmod(abs(ore), 100)
    grouped = f"{kroner:,}"
    if lang == "da":
        return f"{sign}{grouped.replace(',', '.')},{rest:02d} kr."
    return f"{sign}DKK {grouped}.{rest:02d}"


def parse_amount(text: str) -> int:
    """Øre from an amount typed in either language's form: ``102.175,50``, ``102175,50``,
    ``102,175.50``, ``102175.50``, ``1.000`` or ``1,000`` (thousands), with or without
    ``kr.``/``DKK``. Ambiguous input is refused, never guessed at: one separator followed
    by exactly three digits is a thousands separator; two different separators put the
    decimal one last."""
    raw = text.strip().replace("\u2212", "-")
    # the sign may stand before the unit (``-DKK 5.00``, as format_amount writes it) or
    # after it (``DKK -5.00``), once
    negative = raw.startswith("-")
    raw = raw[1:].strip() if negative else raw
    for unit in ("kr.", "kr", "dkk"):
        if raw.lower().endswith(unit):
            raw = raw[: -len(unit)].strip()
        if raw.lower().startswith(unit):
            raw = raw[len(unit):].strip()
    if raw.startswith("-") and not negative:
        negative, raw = True, raw[1:]
    raw = raw.replace(" ", "").replace("\u00a0", "")
    if not raw or any(c not in "0123456789.," for c in raw):
        raise ValueError(f"not an amount: {text!r}")
    seps = [c for c in raw if c in ".,"]
    if not seps:
        whole, frac = raw, ""
    elif len(set(seps)) == 2:
        decimal_sep = raw[max(raw.rfind("."), raw.rfind(","))]
        thousands = "," if decimal_sep == "." else "."
        if raw.count(decimal_sep) != 1 or raw.rfind(thousands) > raw.rfind(decimal_sep):
            raise ValueError(f"not an amount: {text!r}")
        whole, _, frac = raw.partition(decimal_sep)
        whole = _ungroup(whole, thousands, text)
    else:
        sep = seps[0]
        head, _, tail = raw.rpartition(sep)
        if len(seps) == 1 and len(tail) != 3:
            whole, frac = head, tail           # 12,5 / 12.50: the decimal separator
        else:
            whole, frac = _ungroup(raw, sep, text), ""
    if len(frac) > 2 or (not whole and not frac):
        raise ValueError(f"not an amount: {text!r}")
    ore = int(whole or "0") * 100 + int((frac + "00")[:2] or "0")
    return -ore if negative else ore


def _ungroup(whole: str, sep: str, text: str) -> str:
    groups = whole.split(sep)
    if not groups[0] or len(groups[0]) > 3 or any(len(g) != 3 for g in groups[1:]):
        raise ValueError(f"not an amount: {text!r}")
    return "".join(groups)
