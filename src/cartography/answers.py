"""A member's answers as plain records, whatever they were typed into.

The template's five sections (the organisation's fields, then sites, services, client
counts and needs, as :mod:`cartography.template_spec` defines them) reach the validator as
records ``{field key: value}``. Each record keeps where the member typed it, so a problem
points at the place the member will look: a workbook's sheet, row and column, or the online
form's table, row (1 for the table's first row) and field. The workbook reader and the
online form both produce :class:`Answers`; neither has to imitate the other.

Pure: no file, no network, no streamlit.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field
from typing import Literal

from cartography.i18n import t
from cartography.template_spec import DATA_SHEETS, MAX_ROWS, ORGANISATION, Sheet

#: Characters no member types on purpose: C0/C1 controls (tab and line breaks excepted), DEL,
#: and U+FFFD, the mark of text that was damaged on its way (or of a control character a
#: workbook could not hold).
UNREADABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffd]")
_SHOWN = 100  # characters of a value repeated in a problem

#: Where answers were typed: an uploaded workbook or the app's online form.
Source = Literal["workbook", "form"]


@dataclass(frozen=True)
class Problem:
    """One thing to fix, located where the member will look for it.

    ``sheet`` is the section's title (a workbook sheet, or the form's table of the same
    name); ``row`` the row as the member counts it there (None for the whole section, or a
    form's organisation field); ``column`` the column's title, or a letter when the reader
    could not tell which column.
    """

    sheet: str
    row: int | None
    column: str | None
    value: str
    message_fr: str
    message_en: str
    suggestion_fr: str = ""
    suggestion_en: str = ""

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


def problem(
    sheet: str,
    row: int | None,
    column: str | None,
    value: object,
    key: str,
    suggestion: tuple[str, str] | None = None,
    /,
    **fields: object,
) -> Problem:
    """Build a located problem from a catalogue message.

    The value repeated to the member is cut to a hundred characters and cleared of control
    characters, so a hostile cell cannot flood the report or a terminal. ``suggestion`` is
    positional only, so a message's own fields can never be taken for it.
    """
    shown = "" if value is None else UNREADABLE.sub("\ufffd", str(value))
    if len(shown) > _SHOWN:
        shown = shown[:_SHOWN] + "…"
    fields.setdefault("value", shown)
    fr_sugg, en_sugg = suggestion or ("", "")
    return Problem(sheet, row, column, shown, t(key, "fr", **fields), t(key, "en", **fields), fr_sugg, en_sugg)


@dataclass(frozen=True)
class Record:
    """One row of a section, or the organisation's fields, with where the member typed it.

    ``row`` is the row the whole record sits on; ``field_rows`` gives a field its own row
    where fields are laid out one per row (the workbook's organisation sheet).
    """

    values: Mapping[str, object]
    row: int | None = None
    field_rows: Mapping[str, int] = field(default_factory=dict)

    def get(self, key: str) -> object:
        """The value typed for ``key``; None when the field was left out."""
        return self.values.get(key)

    def row_of(self, key: str) -> int | None:
        """The row the member sees field ``key`` on."""
        return self.field_rows.get(key, self.row)


@dataclass(frozen=True)
class Answers:
    """Everything a member answered: the organisation's record and each data section's records.

    ``problems`` are those found while reading (a damaged file, a moved column, too many
    rows), reported before any other. ``source`` says which wording locates a problem
    (a workbook's sheet and column, or the form's table and field).
    """

    organisation: Record = field(default_factory=lambda: Record({}))
    sections: Mapping[str, Sequence[Record]] = field(default_factory=dict)
    source: Source = "workbook"
    problems: Sequence[Problem] = ()

    def records(self, sheet: Sheet) -> Sequence[Record]:
        """The records of a data section, in the order the member typed them."""
        return self.sections.get(sheet.key, ())

    @property
    def empty(self) -> bool:
        """Whether nothing at all was read, not even an empty section (a file refused whole):
        there is nothing to check beyond the reading problems."""
        return not self.organisation.values and not self.sections


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def answers_from_form(answers: Mapping[str, object]) -> Answers:
    """Records from the online form's answers, located as the form shows them.

    ``answers`` holds the organisation's fields by key and, under each data section's key,
    the section table's rows in order (``{column key: value}``, blank cells None or "").
    A row is numbered by its place in the table (1 for the first), blank rows included,
    so the number is the one the member counts; blank rows are then left out. Like a
    workbook's sheet, a table is read up to :data:`~cartography.template_spec.MAX_ROWS`
    rows, with a problem saying so beyond.
    """
    organisation = Record({c.key: answers.get(c.key) for c in ORGANISATION.columns})
    sections: dict[str, list[Record]] = {}
    problems: list[Problem] = []
    for sheet in DATA_SHEETS:
        rows = answers.get(sheet.key) or []
        keys = [c.key for c in sheet.columns]
        records: list[Record] = []
        for number, cells in enumerate(rows if isinstance(rows, Sequence) else [], start=1):
            values = {k: cells.get(k) for k in keys} if isinstance(cells, Mapping) else {}
            if all(_blank(v) for v in values.values()):
                continue
            records.append(Record(values, number))
            if len(records) > MAX_ROWS:
                problems.append(
                    problem(sheet.title, number, None, f">{MAX_ROWS}", "records.too_many_rows", limit=MAX_ROWS)
                )
                break
        sections[sheet.key] = records
    return Answers(organisation, sections, "form", tuple(problems))
