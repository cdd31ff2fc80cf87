"""The one place where member text is made harmless for spreadsheet programs.

Text a member typed is stored exactly as typed (a phone number ``+1 519 555 0100`` stays
that). Only when text leaves the tool in a file that a spreadsheet program will open — CSV
and Excel exports — could a cell starting with ``=``, ``+``, ``-`` or ``@`` be taken for a
formula (CSV/formula injection), so exports pass every value through
:func:`neutralise_formula`. Workbooks written cell by cell with openpyxl (the template, the
pre-filled template) need no prefix: they store text as text cells, which no spreadsheet
program evaluates.
"""

from __future__ import annotations

#: First characters that make a spreadsheet program read a CSV field as a formula.
FORMULA_START: tuple[str, ...] = ("=", "+", "-", "@", "\t", "\r")


def neutralise_formula(value: object) -> object:
    """``value`` with a leading apostrophe if it is text a spreadsheet would run as a formula.

    For CSV and spreadsheet exports only, never for what is stored. Numbers and other
    values are returned unchanged.
    """
    if isinstance(value, str) and value[:1] in FORMULA_START:
        return "'" + value
    return value
