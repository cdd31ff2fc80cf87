"""One home for formatting numbers for people to read, in French or English.

French writes a decimal comma and groups thousands with a narrow no-break space
(``0,54``; ``7 583``); English writes ``0.54`` and ``7,583``. Every screen, legend,
tooltip, table, slide and workbook label formats through here so the two never mix.
Machine files (CSV, GeoPackage) keep raw numbers and are not formatted here.
"""

from __future__ import annotations

import math
from numbers import Integral, Real
from typing import SupportsFloat, SupportsIndex, SupportsInt

from cartography.i18n import Lang

#: Narrow no-break space: the French thousands separator (and before « % » in French).
THIN_NBSP = "\u202f"
#: Shown for a value that does not exist (no data, not enumerated, suppressed without bound).
MISSING = "—"


def as_int(value: object) -> int:
    """``int(value)`` of a frame cell or a metadata entry (a number, or its text).

    Cells come out of frames typed as any scalar; this says which ones ``int`` takes, so the
    type checker can follow, and fails as ``int`` would on anything else.
    """
    if isinstance(value, str | bytes | SupportsInt | SupportsIndex):
        return int(value)
    raise TypeError(f"int() argument must be a string or a real number, not '{type(value).__name__}'")


def as_float(value: object) -> float:
    """``float(value)`` of a frame cell or a metadata entry (a number, or its text); see :func:`as_int`."""
    if isinstance(value, str | bytes | SupportsFloat | SupportsIndex):
        return float(value)
    raise TypeError(f"float() argument must be a string or a real number, not '{type(value).__name__}'")


def _is_missing(value: object) -> bool:
    if value is None:
        return True
    try:
        import pandas as pd

        if value is pd.NA or value is pd.NaT:
            return True
    except ImportError:  # pragma: no cover - pandas is a dependency
        pass
    return isinstance(value, Real) and not isinstance(value, Integral) and not math.isfinite(float(value))


def format_number(value: object, lang: Lang = "fr", digits: int = 1) -> str:
    """``value`` written for a reader in ``lang``; whole numbers keep no decimals.

    Parameters
    ----------
    value
        An int, float, numpy scalar, ``None``/NaN/``pd.NA`` (shown as ``MISSING``), or
        anything else (shown with ``str``: already text).
    lang
        ``"fr"`` or ``"en"``.
    digits
        Decimals for non-integers; integers (including numpy integers) never get decimals,
        because counts of people or services are whole.
    """
    if _is_missing(value):
        return MISSING
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, Integral):
        text = f"{int(value):,}"
    elif isinstance(value, Real):
        text = f"{float(value):,.{digits}f}"
        if text.startswith("-") and float(text.replace(",", "")) == 0:
            text = text[1:]  # "-0.0" reads as a sign error
    else:
        return str(value)
    if lang == "fr":
        return text.replace(",", THIN_NBSP).replace(".", ",")
    return text


def format_integer(value: object, lang: Lang = "fr") -> str:
    """A count: rounded to a whole number, grouped by thousands."""
    if _is_missing(value):
        return MISSING
    if isinstance(value, Real) and not isinstance(value, bool):
        return format_number(round(float(value)), lang)
    return str(value)


def format_percent(share: object, lang: Lang = "fr", digits: int = 0) -> str:
    """A share in [0, 1] as a percentage: ``42 %`` (French, no-break space) or ``42%``."""
    if _is_missing(share) or not isinstance(share, Real):
        return MISSING
    number = format_number(float(share) * 100, lang, digits)
    return f"{number}{THIN_NBSP}%" if lang == "fr" else f"{number}%"


__all__ = ["MISSING", "THIN_NBSP", "as_float", "as_int", "format_integer", "format_number", "format_percent"]
