"""The presentation template as a real Excel workbook (openpyxl): write it, read it back.

Writing: French titles with English help, drop-down validation on every controlled column
(municipalities included), required columns marked, an example row, frozen headers.
Reading: size, format and password checks first, then a bounded read of the cell values
(:mod:`cartography.io.workbook_reader`) into a :class:`~cartography.validation.RawWorkbook`,
and from it the member's answers as records (:func:`read_answers`) for the pure validator,
which checks the online form's records the same way. Nothing is evaluated: formulas are
read as the text the member typed.
Text is written and read exactly as typed; formulas are neutralised only in exports
(:mod:`cartography.io.formula_safety`).
"""

from __future__ import annotations

import datetime
import io
from collections.abc import Mapping, Sequence
from pathlib import Path

from openpyxl import Workbook, load_workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet

from cartography.answers import Answers
from cartography.i18n import t
from cartography.incidents import record
from cartography.io.formula_safety import FORMULA_START
from cartography.io.workbook_reader import BoundedWorkbook, Limits, SheetInfo, WorkbookReadError
from cartography.model import SERVICE_STATUSES, SubmissionContent
from cartography.template_spec import (
    ALL_TITLES,
    DATA_SHEETS,
    EXAMPLE_MARKER,
    EXAMPLE_ROW,
    FIRST_DATA_ROW,
    HEADER_ROW,
    HELP_ROW,
    INSTRUCTIONS_TITLE,
    LISTS_TITLE,
    MAX_BYTES,
    MAX_ROWS,
    ORGANISATION,
    Column,
    Sheet,
)
from cartography.validation import Problem, RawWorkbook, problem, records_from_workbook
from cartography.vocabulary import (
    ALL_VOCABULARIES,
    CLIENT_PROFILES,
    NEED_STATUSES,
    REGIONS,
    SERVICE_CATEGORIES,
    SERVICE_LANGUAGES,
    SERVICE_MODES,
    SEVERITIES,
    Vocabulary,
    fold,
)

_HEADER_FILL = PatternFill("solid", fgColor="1F4E79")
_REQUIRED_FILL = PatternFill("solid", fgColor="C00000")
_EXAMPLE_FILL = PatternFill("solid", fgColor="EDEDED")
_WHITE_BOLD = Font(bold=True, color="FFFFFF")
_HELP_FONT = Font(italic=True, color="595959", size=9)
_EXAMPLE_FONT = Font(italic=True, color="7F7F7F")
_DATA_ROWS = 500


def _put(ws: Worksheet, row: int, column: int, value: object) -> Cell:
    """Write ``value`` into a cell exactly as given: text always as a text cell.

    A text cell is never a formula, whatever its first character, so a phone number
    ``+1 519 555 0100`` or a name starting with ``=`` is written (and read back) unchanged,
    with no apostrophe added. Characters a workbook cannot hold (control characters) become
    U+FFFD, which the validator then points out to the member.
    """
    cell = ws.cell(row=row, column=column)
    assert isinstance(cell, Cell)  # the template merges no cell it writes to
    if not (value is None or isinstance(value, str | int | float | datetime.date)):
        value = str(value)  # anything else is written as the text it reads as
    if isinstance(value, str):
        text = ILLEGAL_CHARACTERS_RE.sub("\ufffd", value)
        cell.value = text
        cell.data_type = "s"
        if text[:1] in FORMULA_START:
            cell.quotePrefix = True  # Excel keeps it text even after the member edits it
    else:
        cell.value = value
    return cell


def _lists_sheet(wb: Workbook, municipalities: list[str], vocabularies: list[Vocabulary]) -> dict[str, str]:
    """Write the Lists sheet; return the range formula of each list by name."""
    ws = wb.create_sheet(LISTS_TITLE)
    ranges: dict[str, str] = {}
    area_values = municipalities + [r.fr for r in REGIONS if r.code != "london"]
    columns: list[tuple[str, str, list[str]]] = [
        ("municipality", "Municipalités / Municipalities", municipalities),
        ("area", "Municipalités et régions / Municipalities and regions", area_values),
    ] + [(v.name, f"{v.fr} / {v.en}", v.labels("fr")) for v in vocabularies]
    for index, (name, title, values) in enumerate(columns, start=1):
        letter = get_column_letter(index)
        ws.cell(row=1, column=index, value=title).font = Font(bold=True)
        for row, value in enumerate(values, start=2):
            ws.cell(row=row, column=index, value=value)
        ws.column_dimensions[letter].width = max(22, min(60, max(len(v) for v in values) + 2))
        ranges[name] = f"{quote_sheetname(LISTS_TITLE)}!${letter}$2:${letter}${len(values) + 1}"
    ws.freeze_panes = "A2"
    _print_setup(ws, "1:1")
    return ranges


#: Excel's limits on a validation's texts (longer ones make Excel "repair" the file).
_DV_TITLE_MAX, _DV_TEXT_MAX = 32, 255


def _dv_title(key: str) -> str:
    """``français / English`` when it fits Excel's 32 characters, else the French alone."""
    title = f"{t(key, 'fr')} / {t(key, 'en')}"
    return title if len(title) <= _DV_TITLE_MAX else t(key, "fr")[:_DV_TITLE_MAX]


def _dv_text(key: str, **fields: object) -> str:
    """French, then English on its own line, within Excel's 255 characters."""
    text = f"{t(key, 'fr', **fields)}\n{t(key, 'en', **fields)}"
    return text if len(text) <= _DV_TEXT_MAX else t(key, "fr", **fields)[:_DV_TEXT_MAX]


def _validation_for(col: Column, ranges: dict[str, str]) -> DataValidation | None:
    """The cell rule of a column: whole numbers or a drop-down, each with a message that says
    what is expected (never a message with an empty « » where the typed value would go)."""
    if col.kind == "vocab" and col.vocabulary is not None:
        formula = ranges[col.vocabulary.name]
    elif col.kind in ("municipality", "area"):
        formula = ranges[col.kind]
    elif col.kind == "int":
        dv = DataValidation(type="whole", operator="greaterThanOrEqual", formula1="0", allow_blank=True)
        dv.errorStyle = "stop"
        dv.error = _dv_text("tpl.dv.whole_message")
        dv.errorTitle = _dv_title("template.dv.whole")
        dv.prompt = _dv_text("tpl.dv.whole_message")
        dv.promptTitle = _dv_title("template.dv.whole")
        dv.showErrorMessage = dv.showInputMessage = True
        return dv
    else:
        return None
    dv = DataValidation(type="list", formula1=f"={formula}", allow_blank=not col.required)
    dv.errorStyle = "stop"
    dv.error = _dv_text("tpl.dv.list_message", list=col.title_fr)
    dv.errorTitle = _dv_title("template.dv.not_allowed")
    dv.showErrorMessage = True
    return dv


def _lines(text: str, width: float, size: float = 11) -> int:
    """Lines a wrapped cell takes: Excel's column width counts characters of the 11-point
    default font; 10 % kept for wider letters. Used to set row heights, since neither Excel
    nor LibreOffice grows a row written by openpyxl to fit its wrapped text."""
    per_line = max(1, int(width * 0.9 * 11 / size))
    return sum(max(1, -(-len(part) // per_line)) for part in str(text).split("\n"))


def _fit_row(ws: Worksheet, row: int, cells: Sequence[tuple[str, float, float]]) -> None:
    """Set ``row``'s height to hold its tallest wrapped cell (text, column width, font size)."""
    height = max((_lines(text, width, size) * size * 1.35 for text, width, size in cells if text), default=15)
    ws.row_dimensions[row].height = max(15.0, round(height + 3, 1))


def _print_setup(ws: Worksheet, title_rows: str | None = None) -> None:
    """Landscape, one page wide and as many long as needed, headers repeated on each page."""
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_LETTER
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    if ws.sheet_properties.pageSetUpPr is None:
        ws.sheet_properties.pageSetUpPr = PageSetupProperties()
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.page_margins.top = ws.page_margins.bottom = 0.5
    ws.print_options.gridLines = True
    if title_rows:
        ws.print_title_rows = title_rows


def _header(ws: Worksheet, sheet: Sheet) -> None:
    for index, col in enumerate(sheet.columns, start=1):
        title = ws.cell(row=HEADER_ROW, column=index, value=col.title)
        title.font = _WHITE_BOLD
        title.fill = _REQUIRED_FILL if col.required else _HEADER_FILL
        title.alignment = Alignment(wrap_text=True, vertical="center")
        help_cell = ws.cell(row=HELP_ROW, column=index, value=col.help)
        help_cell.font = _HELP_FONT
        help_cell.alignment = Alignment(wrap_text=True, vertical="top")
        example = _put(ws, EXAMPLE_ROW, index, col.example if col.example != "" else None)
        example.font = _EXAMPLE_FONT
        example.fill = _EXAMPLE_FILL
        ws.column_dimensions[get_column_letter(index)].width = col.width
    _fit_row(ws, HEADER_ROW, [(c.title, c.width, 11) for c in sheet.columns])
    _fit_row(ws, HELP_ROW, [(c.help, c.width, 9) for c in sheet.columns])
    ws.freeze_panes = f"B{FIRST_DATA_ROW}"
    _print_setup(ws, f"{HEADER_ROW}:{HELP_ROW}")


def _rows_of(sheet: Sheet, content: SubmissionContent, names: dict[str, str]) -> list[list[object]]:
    """The rows of a data sheet holding ``content``, as a member would type them (labels and
    names, not codes), the N° column counting from 1."""
    writer = {"sites": _site_rows, "services": _service_rows, "clients": _client_rows, "needs": _need_rows}[sheet.key]
    return [[number, *cells] for number, cells in enumerate(writer(content, names), 1)]


def _area_name(code: str, names: dict[str, str]) -> str:
    return REGIONS.label(code) if code in REGIONS else names.get(code, code)


def _site_rows(content: SubmissionContent, names: dict[str, str]) -> list[list[object]]:
    return [
        [
            s.site_code,
            s.name,
            s.address,
            names.get(s.csduid, ""),
            s.postal_code or None,
            s.latitude if s.precision == "coordinates" else None,
            s.longitude if s.precision == "coordinates" else None,
        ]
        for s in content.sites
    ]


def _service_rows(content: SubmissionContent, names: dict[str, str]) -> list[list[object]]:
    return [
        [
            s.service_code,
            s.name,
            SERVICE_CATEGORIES.label(s.category),
            s.site_code or None,
            SERVICE_LANGUAGES.label(s.language),
            SERVICE_MODES.label(s.mode),
            "; ".join(_area_name(a, names) for a in s.areas_served) or None,
            s.capacity,
            s.description or None,
            SERVICE_STATUSES.label(s.status),
        ]
        for s in content.services
    ]


def _client_rows(content: SubmissionContent, names: dict[str, str]) -> list[list[object]]:
    return [
        [
            names.get(c.csduid, ""),
            CLIENT_PROFILES.label(c.profile),
            c.count,
            SERVICE_CATEGORIES.label(c.category) if c.category else None,
        ]
        for c in content.clients
    ]


def _need_rows(content: SubmissionContent, names: dict[str, str]) -> list[list[object]]:
    return [
        [
            SERVICE_CATEGORIES.label(n.category),
            _area_name(n.area, names),
            n.clients,
            SEVERITIES.label(n.severity),
            NEED_STATUSES.label(n.status),
            n.comment or None,
        ]
        for n in content.needs
    ]


def write_template(
    target: Path | io.BytesIO,
    municipalities: dict[str, str],
    *,
    cycle: str = "",
    content: SubmissionContent | None = None,
    prefilled_from: tuple[str, int] | None = None,
    communities: Sequence[str] = (),
) -> None:
    """Write the template; with ``content``, pre-filled with those answers.

    ``municipalities`` maps CSDUID to official name (the drop-down and the pre-fill).
    ``communities`` ("Komoka (Middlesex Centre)"...) follow the municipalities in the
    drop-down list: members know their village's name better than its township's, and each
    label geocodes back to its municipality.
    """
    wb = Workbook()
    intro = wb.active
    assert isinstance(intro, Worksheet)  # a new workbook's one sheet
    _instructions(intro, cycle, prefilled_from)
    names = [municipalities[k] for k in sorted(municipalities, key=lambda c: municipalities[c])]
    names += [c for c in sorted(communities) if c not in set(names)]
    org_ws = wb.create_sheet(ORGANISATION.title)
    data_ws = {sheet.key: wb.create_sheet(sheet.title) for sheet in DATA_SHEETS}
    lists = [v for v in ALL_VOCABULARIES if v.name not in ("region", "submission_status")]
    ranges = _lists_sheet(wb, names, [*lists, SERVICE_STATUSES])
    _organisation_sheet(org_ws, content, ranges)
    for sheet in DATA_SHEETS:
        ws = data_ws[sheet.key]
        _header(ws, sheet)
        last = FIRST_DATA_ROW + _DATA_ROWS
        for index, col in enumerate(sheet.columns, start=1):
            dv = _validation_for(col, ranges)
            if dv is not None:
                ws.add_data_validation(dv)
                letter = get_column_letter(index)
                dv.add(f"{letter}{FIRST_DATA_ROW}:{letter}{last}")
        if content is not None:
            for offset, values in enumerate(_rows_of(sheet, content, municipalities)):
                for index, value in enumerate(values, start=1):
                    _put(ws, FIRST_DATA_ROW + offset, index, value)
    wb.save(target)


def _instructions(intro: Worksheet, cycle: str, prefilled_from: tuple[str, int] | None) -> None:
    """The Instructions sheet: French in column A, English beside in B; the pre-fill's origin in red."""
    intro.title = INSTRUCTIONS_TITLE
    lines_fr = t("template.instructions", "fr", cycle=cycle or "—").split("|")
    lines_en = t("template.instructions", "en", cycle=cycle or "—").split("|")
    for column, (text, font) in enumerate(
        (
            (lines_fr[0], Font(bold=True, size=16, color="1F4E79")),
            (lines_en[0], Font(bold=True, size=12, color="595959")),
        ),
        start=1,
    ):
        cell = intro.cell(row=1, column=column, value=text)
        cell.font, cell.alignment = font, Alignment(wrap_text=True, vertical="top")
    _fit_row(intro, 1, [(lines_fr[0], 90, 16), (lines_en[0], 70, 12)])
    for row, (fr, en) in enumerate(zip(lines_fr[1:], lines_en[1:], strict=True), start=3):
        intro.cell(row=row, column=1, value=fr).alignment = Alignment(wrap_text=True, vertical="top")
        cell = intro.cell(row=row, column=2, value=en)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        cell.font = _HELP_FONT
        _fit_row(intro, row, [(fr, 90, 11), (en, 70, 9)])
    if prefilled_from:
        note = intro.cell(
            row=len(lines_fr) + 3,
            column=1,
            value=t("template.prefilled", "fr", cycle=prefilled_from[0], version=prefilled_from[1]),
        )
        note.font = Font(bold=True, color="C00000")
    intro.column_dimensions["A"].width = 90
    intro.column_dimensions["B"].width = 70
    _print_setup(intro)


def _organisation_sheet(org_ws: Worksheet, content: SubmissionContent | None, ranges: dict[str, str]) -> None:
    """The organisation as a vertical form (field, value, help), pre-filled from ``content``."""
    for index, key in enumerate(("template.field", "template.value", "template.help"), start=1):
        title = f"{t(key, 'fr')} / {t(key, 'en')}"
        cell = org_ws.cell(row=1, column=index, value=title)
        cell.font, cell.fill = _WHITE_BOLD, _HEADER_FILL
    org = content.organisation if content else None
    for row, col in enumerate(ORGANISATION.columns, start=2):
        label = org_ws.cell(row=row, column=1, value=col.title)
        label.font = Font(bold=True, color="C00000" if col.required else "000000")
        value: object = None
        if org is not None:
            value = getattr(org, col.key)
            if col.vocabulary is not None:
                value = col.vocabulary.label(str(value))
        _put(org_ws, row, 2, value if value else None)
        help_cell = org_ws.cell(row=row, column=3, value=col.help)
        help_cell.font, help_cell.alignment = _HELP_FONT, Alignment(wrap_text=True, vertical="top")
        _fit_row(org_ws, row, [(col.help, 45, 9), (col.title, 28, 11)])
        dv = _validation_for(col, ranges)
        if dv is not None:
            org_ws.add_data_validation(dv)
            dv.add(f"B{row}")
    org_ws.column_dimensions["A"].width = 28
    org_ws.column_dimensions["B"].width = 50
    org_ws.column_dimensions["C"].width = 45
    org_ws.freeze_panes = "A2"
    _print_setup(org_ws, "1:1")


# -- reading ------------------------------------------------------------------------------


def _file_problem(key: str, value: object = "", **fields: object) -> RawWorkbook:
    return RawWorkbook(problems=[problem("", None, None, value, key, **fields)])


def _located(error: WorkbookReadError) -> Problem:
    return problem(error.sheet, error.row, error.column, error.value, error.key, **error.fields)


def read_template(source: Path | bytes, *, max_bytes: int = MAX_BYTES, limits: Limits | None = None) -> RawWorkbook:
    """Read a filled template's cells; file-level problems come back as problems, never raised.

    Reading is bounded (see :mod:`cartography.io.workbook_reader`): the first limit reached
    stops it with a located problem. An unexpected failure is logged with an error id and
    reported as a problem carrying that id, so no traceback reaches a member.
    """
    if isinstance(source, bytes):
        data = source
    else:
        path = Path(source)
        if not path.is_file():
            return _file_problem("validation.file_not_found", str(path))
        size = path.stat().st_size
        if size > max_bytes:
            return _file_problem("validation.file_too_large", round(size / 1e6, 1), limit=round(max_bytes / 1e6, 1))
        data = path.read_bytes()
    if len(data) > max_bytes:
        return _file_problem("validation.file_too_large", round(len(data) / 1e6, 1), limit=round(max_bytes / 1e6, 1))
    if not data:
        return _file_problem("validation.file_empty")
    if data[:8] == bytes.fromhex("D0CF11E0A1B11AE1"):  # OLE: encrypted xlsx or legacy xls
        return _file_problem("validation.file_encrypted")
    if data[:2] != b"PK":
        return _file_problem("validation.file_not_workbook")
    try:
        return _read_cells(data, limits)
    except WorkbookReadError as error:
        if error.key in ("workbook.not_zip", "workbook.not_workbook"):
            return _file_problem("validation.file_not_workbook")
        return RawWorkbook(problems=[_located(error)])
    except Exception as error:  # a defect of this reader, not the member's: logged, never shown raw
        error_id = record(error, "reading an uploaded workbook").reference
        return _file_problem("workbook.unexpected", error_id, error_id=error_id)


def read_answers(source: Path | bytes, *, max_bytes: int = MAX_BYTES, limits: Limits | None = None) -> Answers:
    """A filled template's answers as records, each located by sheet and row (see :func:`read_template`)."""
    return records_from_workbook(read_template(source, max_bytes=max_bytes, limits=limits))


def _same(value: object, expected: object) -> bool:
    """True when a cell still shows what the template wrote there (numbers or folded text)."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return True
    if isinstance(expected, int | float) and isinstance(value, int | float) and not isinstance(value, bool):
        return float(value) == float(expected)
    return fold(str(value).strip()) == fold(str(expected).strip())


def _holds_template_text(sheet: Sheet, cells: list[object], number: int) -> bool:
    """Whether row ``number`` is the example row still holding only the template's example.

    The example row is ignored only while its marker and its values are the template's
    own; a member who typed over it is read like any other row, so nothing is dropped.
    """
    if number == EXAMPLE_ROW:
        marker = cells[0]
        if not (isinstance(marker, str) and fold(marker.strip()) == fold(EXAMPLE_MARKER)):
            return False
        return all(_same(cell, col.example) for col, cell in zip(sheet.columns, cells, strict=True))
    return False


def _as_typed(value: object) -> object:
    """The text the member typed: undo the apostrophe older pre-filled templates put before + - = @."""
    if isinstance(value, str) and len(value) > 1 and value[0] == "'" and value[1] in FORMULA_START:
        return value[1:]
    return value


def _blank_row(cells: list[object]) -> bool:
    return all(v is None or (isinstance(v, str) and not v.strip()) for v in cells)


def _read_cells(data: bytes, limits: Limits | None) -> RawWorkbook:
    book = BoundedWorkbook(data, limits)
    raw = RawWorkbook()
    wanted = {fold(title) for title in ALL_TITLES[1:-1]}
    found: dict[str, SheetInfo] = {}
    for info in book.sheets:
        key = fold(info.name)
        if key in found and key in wanted:
            raw.problems.append(problem(info.name, None, None, info.name, "workbook.duplicate_sheet"))
        found.setdefault(key, info)
    for title in ALL_TITLES[1:-1]:
        listed = found.get(fold(title))
        if listed is None:
            raw.problems.append(problem(title, None, None, title, "validation.missing_sheet"))
        elif listed.kind != "worksheet":
            raw.problems.append(problem(listed.name, None, None, listed.name, "workbook.not_a_table"))
    if raw.problems:
        return raw

    last_field_row = 1 + len(ORGANISATION.columns) + 5
    for number, (label, value) in book.rows(found[fold(ORGANISATION.title)], 2):
        if number > last_field_row:
            break
        if number < 2 or label is None:
            continue
        col = next((c for c in ORGANISATION.columns if fold(str(label).rstrip(" *")) == fold(c.title_fr)), None)
        if col is not None:
            raw.organisation[col.key] = (number, _as_typed(value))

    for sheet in DATA_SHEETS:
        raw.rows[sheet.key] = _read_sheet(book, found[fold(sheet.title)], sheet, raw)
    return raw


def _header_problems(sheet: Sheet, header: list[object]) -> list[Problem]:
    problems = []
    for index, col in enumerate(sheet.columns):
        value = header[index]
        if col.added and (value is None or not str(value).strip()):
            continue  # a workbook from before this column existed: read it, the column is blank
        if fold(str(value or "")).rstrip(" *") != fold(col.title_fr):
            letter = get_column_letter(index + 1)
            problems.append(
                problem(
                    sheet.title, HEADER_ROW, letter, value, "validation.bad_header", letter=letter, expected=col.title
                )
            )
    return problems


def _read_sheet(
    book: BoundedWorkbook, info: SheetInfo, sheet: Sheet, raw: RawWorkbook
) -> list[tuple[int, dict[str, object]]]:
    """Every row with content below the header, the help and example rows while they are the template's."""
    width = len(sheet.columns)
    rows: list[tuple[int, dict[str, object]]] = []
    header_checked = False
    for number, cells in book.rows(info, width):
        if not header_checked:
            header_checked = True
            header: list[object] = cells if number == HEADER_ROW else [None] * width
            bad = _header_problems(sheet, header)
            if bad:
                raw.problems.extend(bad)
                return []
            if number == HEADER_ROW:
                continue
        if number == HELP_ROW:  # help texts left in place are not data; anything typed over them is
            cells = [
                None if _same(cell, col.help) or _same(cell, col.help_en) else cell
                for col, cell in zip(sheet.columns, cells, strict=True)
            ]
        if _blank_row(cells) or _holds_template_text(sheet, cells, number):
            continue
        rows.append((number, {c.key: _as_typed(cells[i]) for i, c in enumerate(sheet.columns)}))
        if len(rows) > MAX_ROWS:
            raw.problems.append(
                problem(sheet.title, number, None, f">{MAX_ROWS}", "validation.too_many_rows", limit=MAX_ROWS)
            )
            break
    if not header_checked:
        raw.problems.extend(_header_problems(sheet, [None] * width))
    return rows


def content_to_answers(content: SubmissionContent, municipalities: dict[str, str]) -> dict[str, object]:
    """The answers a member would type to reproduce ``content`` (labels, names): the online form's pre-fill."""
    org = content.organisation
    answers: dict[str, object] = {col.key: getattr(org, col.key) for col in ORGANISATION.columns}
    for sheet in DATA_SHEETS:
        answers[sheet.key] = [
            {col.key: value for col, value in zip(sheet.columns, row, strict=True) if col.key != "line"}
            for row in _rows_of(sheet, content, municipalities)
        ]
    return answers


def answers_to_workbook(answers: dict[str, object], municipalities: dict[str, str], cycle: str = "") -> bytes:
    """A filled template, in memory, from answers as the online form holds them.

    The form's answers are checked as records (:func:`cartography.answers.answers_from_form`);
    this workbook is for a member who wants to carry them on in Excel, and for tests that
    check both paths give the same content.
    """
    blank = io.BytesIO()
    write_template(blank, municipalities, cycle=cycle)
    filled = io.BytesIO()
    fill_template(blank, answers, target=filled)
    return filled.getvalue()


def _answered_rows(answers: Mapping[str, object], sheet: Sheet) -> list[Mapping[str, object]]:
    """The rows answered for a data sheet (``answers[sheet.key]``), each a mapping of column keys."""
    rows = answers.get(sheet.key) or []
    return [row for row in rows if isinstance(row, Mapping)] if isinstance(rows, Sequence) else []


def fill_template(path: Path | io.BytesIO, answers: dict[str, object], target: Path | io.BytesIO | None = None) -> None:
    """Type ``answers`` into a blank template at ``path``, as a member would.

    ``answers`` holds the organisation's fields and, under ``sites``, ``services``,
    ``clients`` and ``needs``, lists of rows keyed by column key. Codes of controlled
    lists are written as their French labels, exactly what the drop-downs offer.
    """
    if isinstance(path, io.BytesIO):
        path.seek(0)
    wb = load_workbook(path)
    org_ws = wb[ORGANISATION.title]
    for row, col in enumerate(ORGANISATION.columns, start=2):
        value = answers.get(col.key)
        if col.vocabulary is not None and value in col.vocabulary:
            value = col.vocabulary.label(str(value))
        _put(org_ws, row, 2, value)
    for sheet in DATA_SHEETS:
        ws = wb[sheet.title]
        for offset, cells in enumerate(_answered_rows(answers, sheet)):
            for index, col in enumerate(sheet.columns, start=1):
                value = offset + 1 if col.key == "line" else cells.get(col.key)
                if col.vocabulary is not None and value in col.vocabulary:
                    value = col.vocabulary.label(str(value))
                _put(ws, FIRST_DATA_ROW + offset, index, value)
    wb.save(target if target is not None else path)
