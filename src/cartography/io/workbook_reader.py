"""A bounded reader of .xlsx cell values: refuses what it cannot read cheaply, before reading it.

Why not openpyxl for reading: openpyxl builds an object for every style, an element tree for
every row and trusts the row count a sheet declares; a 0.7 MB upload whose styles part
decompresses to hundreds of megabytes cost 4.7 GB of memory, a shared-strings bomb ran for
minutes and a stale ``<dimension>`` tag silently dropped rows. Uploads come from outside, so
this reader:

- checks the zip directory first (number of parts, declared size of each part, compression
  ratio, encrypted entries, duplicated names, macros) without decompressing anything;
- decompresses only the parts it needs (workbook, relationships, shared strings, styles and
  the sheets asked for), counting the bytes as they stream, never past a part's limit;
- parses them with expat event handlers, keeping no element tree: memory stays at one chunk
  plus the values kept; a DOCTYPE or ENTITY declaration is refused before any entity could be
  expanded, and external entities are never fetched;
- reads every ``<row>`` present, whatever the sheet declares about its size, and checks a
  time budget as it goes.

Every refusal is a :class:`WorkbookReadError` carrying a catalogue key and where it happened
(sheet, row, column) so the caller can show a located, bilingual message. Nothing is ever
evaluated: a formula comes back as its text, ``"=" + formula``.
"""

from __future__ import annotations

import contextlib
import posixpath
import re
import time
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import NoReturn
from xml.parsers import expat

from openpyxl.styles.numbers import BUILTIN_FORMATS, is_date_format
from openpyxl.utils.datetime import CALENDAR_MAC_1904, CALENDAR_WINDOWS_1900, from_excel, from_ISO8601

MB = 1024 * 1024
#: Excel's own limits: a cell holds at most 32,767 characters; a sheet 1,048,576 rows × 16,384 columns.
EXCEL_MAX_CHARS = 32_767
EXCEL_MAX_ROW = 1_048_576
EXCEL_MAX_COLUMN = 16_384
_CHUNK = 64 * 1024
_CHECK_EVERY = 2048  # elements between two looks at the clock
_MAX_DEPTH = 64  # element nesting in a worksheet (Excel's is under 10)


@dataclass(frozen=True)
class Limits:
    """What one upload may cost. A filled template is a few dozen KB and a dozen parts.

    The limits sit far above any real template (a sheet of 2,000 full rows is about 2 MB,
    its shared strings less than 1 MB) and far below what hurts the server: at these sizes a
    whole workbook is read in a few seconds (the time budget caps it) and a few hundred MB at worst.
    """

    max_parts: int = 300
    max_sheet_bytes: int = 8 * MB
    max_shared_strings_bytes: int = 16 * MB
    max_styles_bytes: int = 4 * MB
    max_other_part_bytes: int = 4 * MB
    #: Sum of the declared sizes of every part (parsed or not).
    max_total_bytes: int = 64 * MB
    #: A part over ``ratio_floor`` bytes may not decompress to more than this many times its size.
    max_ratio: int = 250
    ratio_floor: int = 1 * MB
    max_shared_strings: int = 200_000
    max_styles: int = 100_000
    max_sheets: int = 255
    #: Seconds for reading the whole workbook.
    time_budget: float = 8.0


class WorkbookReadError(Exception):
    """The workbook cannot be read within the limits, or is damaged; located where it stopped."""

    def __init__(
        self,
        key: str,
        *,
        sheet: str = "",
        row: int | None = None,
        column: str | None = None,
        value: object = "",
        **fields: object,
    ) -> None:
        super().__init__(key)
        self.key = key
        self.sheet = sheet
        self.row = row
        self.column = column
        self.value = value
        self.fields = fields


@dataclass(frozen=True)
class SheetInfo:
    """One sheet as the workbook lists it: ``kind`` is worksheet, chartsheet, dialogsheet, macrosheet…"""

    name: str
    kind: str
    state: str
    path: str


_REL_NS_TAIL = "/relationships"


def _local(name: str) -> str:
    return name.rsplit(" ", 1)[-1]


def column_index(letters: str) -> int:
    """1 for A, 27 for AA; 0 when ``letters`` is not a column name."""
    number = 0
    for char in letters:
        if not "A" <= char <= "Z":
            return 0
        number = number * 26 + ord(char) - 64
    return number


def column_letter(index: int) -> str:
    letters = ""
    while index > 0:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


_REF = re.compile(r"^\$?([A-Za-z]{1,3})\$?(\d{1,7})$")


class _Stop(Exception):
    """Raised inside expat handlers to abandon a parse; carries the located error."""

    def __init__(self, error: WorkbookReadError) -> None:
        super().__init__(error.key)
        self.error = error


class _Doctype(Exception):
    pass


class BoundedWorkbook:
    """An uploaded workbook opened for bounded reading.

    Construction checks the archive (nothing decompressed yet), then reads the workbook
    part, its relationships, the shared strings and the date styles; :meth:`rows` streams a
    sheet. Raises :class:`WorkbookReadError` at the first limit.
    """

    def __init__(self, data: bytes, limits: Limits | None = None) -> None:
        import io

        self.limits = limits or Limits()
        self._deadline = time.monotonic() + self.limits.time_budget
        try:
            self._zip = zipfile.ZipFile(io.BytesIO(data))
        except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError) as exc:
            raise WorkbookReadError("workbook.not_zip") from exc
        self._infos: dict[str, zipfile.ZipInfo] = {}
        self._check_directory()
        self.epoch = CALENDAR_WINDOWS_1900
        self.sheets: list[SheetInfo] = []
        self._read_structure()
        self.shared_strings: list[str] = []
        self._date_styles: frozenset[int] = frozenset()
        if self._shared_strings_path:
            self.shared_strings = self._read_shared_strings(self._shared_strings_path)
        if self._styles_path:
            self._date_styles = self._read_date_styles(self._styles_path)

    # -- the archive --------------------------------------------------------------------
    def _check_directory(self) -> None:
        limits = self.limits
        infos = self._zip.infolist()
        if len(infos) > limits.max_parts:
            raise WorkbookReadError("workbook.too_many_parts", value=len(infos), limit=limits.max_parts)
        total = 0
        for info in infos:
            name = info.filename
            if name in self._infos:
                raise WorkbookReadError("workbook.damaged_part", value=name, part=name)
            self._infos[name] = info
            if info.flag_bits & 0x1:
                raise WorkbookReadError("workbook.encrypted_part", value=name, part=name)
            if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
                raise WorkbookReadError("workbook.damaged_part", value=name, part=name)
            if name.lower().endswith("vbaproject.bin"):
                raise WorkbookReadError("workbook.macros", value=name)
            limit = self._limit_for(name)
            if info.file_size > limit:
                raise WorkbookReadError(
                    "workbook.part_too_large", value=name, part=name, size=_mb(info.file_size), limit=_mb(limit)
                )
            if info.file_size > limits.ratio_floor and info.file_size > limits.max_ratio * max(info.compress_size, 1):
                raise WorkbookReadError(
                    "workbook.ratio",
                    value=name,
                    part=name,
                    ratio=info.file_size // max(info.compress_size, 1),
                    limit=limits.max_ratio,
                )
            total += info.file_size
        if total > limits.max_total_bytes:
            raise WorkbookReadError("workbook.total_too_large", size=_mb(total), limit=_mb(limits.max_total_bytes))

    def _limit_for(self, name: str) -> int:
        lower = name.lower()
        if lower.endswith("sharedstrings.xml"):
            return self.limits.max_shared_strings_bytes
        if lower.endswith("styles.xml"):
            return self.limits.max_styles_bytes
        if "/worksheets/" in lower or "/chartsheets/" in lower:
            return self.limits.max_sheet_bytes
        return self.limits.max_other_part_bytes

    def _stream(self, name: str, sheet: str = "") -> Iterator[bytes]:
        """Decompressed chunks of one part, never more than its limit even if the directory lies."""
        info = self._infos.get(name)
        if info is None:
            raise WorkbookReadError("workbook.damaged_part", value=name, part=name)
        limit = self._limit_for(name)
        seen = 0
        try:
            with self._zip.open(info) as handle:
                while True:
                    chunk = handle.read(_CHUNK)
                    if not chunk:
                        return
                    seen += len(chunk)
                    if seen > limit:
                        raise WorkbookReadError(
                            "workbook.part_too_large", value=name, part=name, size=_mb(seen), limit=_mb(limit)
                        )
                    self._check_time(sheet or name, sheet=sheet)
                    yield chunk
        except WorkbookReadError:
            raise
        except (zipfile.BadZipFile, OSError, EOFError, ValueError, RuntimeError, NotImplementedError) as exc:
            raise WorkbookReadError("workbook.damaged_part", value=name, part=name) from exc
        except Exception as exc:  # zlib.error and friends on a corrupt stream
            raise WorkbookReadError("workbook.damaged_part", value=name, part=name) from exc

    def _check_time(self, where: str, row: int | None = None, sheet: str = "") -> None:
        """Stop once the workbook's time budget is spent; ``sheet`` locates it when reading a sheet."""
        if time.monotonic() > self._deadline:
            raise WorkbookReadError(
                "workbook.time_budget", sheet=sheet, row=row, value=where, seconds=self.limits.time_budget
            )

    def _parse(
        self,
        name: str,
        start: Callable[[str, dict[str, str]], None],
        end: Callable[[str], None] | None = None,
        text: Callable[[str], None] | None = None,
        sheet: str = "",
        after_chunk: Callable[[], None] | None = None,
    ) -> Iterator[None]:
        """Run expat over one part; yields after each chunk so callers can stream results."""
        parser = expat.ParserCreate(namespace_separator=" ")
        parser.buffer_text = True
        parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)

        def refuse(*_args: object) -> NoReturn:
            raise _Doctype

        parser.StartDoctypeDeclHandler = refuse
        parser.EntityDeclHandler = refuse
        parser.ExternalEntityRefHandler = refuse
        parser.StartElementHandler = start
        if end is not None:
            parser.EndElementHandler = end
        if text is not None:
            parser.CharacterDataHandler = text
        where = sheet or name
        try:
            for chunk in self._stream(name, sheet):
                parser.Parse(chunk, False)
                yield
            parser.Parse(b"", True)
            yield
        except _Stop as stop:
            raise stop.error from None
        except _Doctype:
            raise WorkbookReadError("workbook.dtd", sheet=sheet, value=where, part=name) from None
        except expat.ExpatError as exc:
            raise WorkbookReadError(
                "workbook.damaged_xml", sheet=sheet, value=where, part=name, line=exc.lineno
            ) from None

    def _run(
        self,
        name: str,
        start: Callable[[str, dict[str, str]], None],
        end: Callable[[str], None] | None = None,
        text: Callable[[str], None] | None = None,
    ) -> None:
        """Parse one whole part (:meth:`_parse` without stopping between chunks)."""
        for _ in self._parse(name, start, end, text):
            pass

    # -- workbook structure -------------------------------------------------------------
    def _rels(self, part: str) -> dict[str, tuple[str, str]]:
        """Relationship id -> (type tail, part path) for ``part``; external targets dropped."""
        folder, base = posixpath.split(part)
        rels_name = posixpath.join(folder, "_rels", base + ".rels")
        found: dict[str, tuple[str, str]] = {}
        if rels_name not in self._infos:
            return found

        def start(tag: str, attrs: dict[str, str]) -> None:
            if _local(tag) != "Relationship" or attrs.get("TargetMode", "").lower() == "external":
                return
            target = attrs.get("Target", "")
            path = target.lstrip("/") if target.startswith("/") else posixpath.join(folder, target)
            path = posixpath.normpath(path)
            found[attrs.get("Id", "")] = (attrs.get("Type", "").rsplit("/", 1)[-1], path)

        self._run(rels_name, start)
        return found

    def _read_structure(self) -> None:
        workbook_part = "xl/workbook.xml"
        for kind, path in self._rels("").values():
            if kind == "officeDocument":
                workbook_part = path
        if workbook_part not in self._infos:
            raise WorkbookReadError("workbook.not_workbook")
        self._check_content_type(workbook_part)
        rels = self._rels(workbook_part)
        listed: list[tuple[str, str, str]] = []

        def start(tag: str, attrs: dict[str, str]) -> None:
            local = _local(tag)
            if local == "workbookPr" and attrs.get("date1904", "").lower() in ("1", "true"):
                self.epoch = CALENDAR_MAC_1904
            elif local == "sheet":
                if len(listed) >= self.limits.max_sheets:
                    raise _Stop(WorkbookReadError("workbook.too_many_sheets", limit=self.limits.max_sheets))
                rid = next((v for k, v in attrs.items() if k.endswith(_REL_NS_TAIL + " id")), "")
                listed.append((attrs.get("name", ""), attrs.get("state", "visible"), rid))

        self._run(workbook_part, start)
        for name, state, rid in listed:
            kind, path = rels.get(rid, ("missing", ""))
            self.sheets.append(SheetInfo(name=name, kind=kind, state=state, path=path))
        self._shared_strings_path = next((p for k, p in rels.values() if k == "sharedStrings"), "")
        self._styles_path = next((p for k, p in rels.values() if k == "styles"), "")
        for path in (self._shared_strings_path, self._styles_path):
            if path and path not in self._infos:
                raise WorkbookReadError("workbook.damaged_part", value=path, part=path)

    def _check_content_type(self, workbook_part: str) -> None:
        """Refuse macro-enabled workbooks: their macros never run here, but they are not templates."""
        if "[Content_Types].xml" not in self._infos:
            raise WorkbookReadError("workbook.not_workbook")
        types: dict[str, str] = {}

        def start(tag: str, attrs: dict[str, str]) -> None:
            if _local(tag) == "Override":
                types[attrs.get("PartName", "").lstrip("/")] = attrs.get("ContentType", "")

        self._run("[Content_Types].xml", start)
        content_type = types.get(workbook_part, "")
        if "macroenabled" in content_type.lower():
            raise WorkbookReadError("workbook.macros", value=workbook_part)
        if any("vbaproject" in t.lower() or "macrosheet" in t.lower() for t in types.values()):
            raise WorkbookReadError("workbook.macros", value=workbook_part)

    def _read_shared_strings(self, path: str) -> list[str]:
        strings: list[str] = []
        state = {"depth": 0, "text": False, "phonetic": 0, "chars": 0}
        parts: list[str] = []
        limit = self.limits.max_shared_strings
        count = [0]

        def start(tag: str, _attrs: dict[str, str]) -> None:
            local = _local(tag)
            count[0] += 1
            if count[0] % _CHECK_EVERY == 0:
                self._check_time(path)
            if local == "si":
                parts.clear()
                state["chars"] = 0
            elif local == "rPh":
                state["phonetic"] += 1
            elif local == "t" and not state["phonetic"]:
                state["text"] = True

        def end(tag: str) -> None:
            local = _local(tag)
            if local == "si":
                if len(strings) >= limit:
                    raise _Stop(WorkbookReadError("workbook.too_many_strings", value=path, limit=limit))
                strings.append("".join(parts))
                parts.clear()
            elif local == "rPh":
                state["phonetic"] -= 1
            elif local == "t":
                state["text"] = False

        def text(data: str) -> None:
            if state["text"]:
                state["chars"] += len(data)
                if state["chars"] > EXCEL_MAX_CHARS:
                    raise _Stop(
                        WorkbookReadError(
                            "workbook.cell_too_long", value=path, string=len(strings) + 1, limit=EXCEL_MAX_CHARS
                        )
                    )
                parts.append(data)

        self._run(path, start, end, text)
        return strings

    def _read_date_styles(self, path: str) -> frozenset[int]:
        """Indices of cell styles whose number format shows a date; nothing else is kept."""
        custom: dict[int, str] = {}
        xf_formats: list[int] = []
        inside = {"cellXfs": False}
        limit = self.limits.max_styles

        def start(tag: str, attrs: dict[str, str]) -> None:
            local = _local(tag)
            if local == "numFmt":
                with contextlib.suppress(ValueError):
                    custom[int(attrs.get("numFmtId", "-1"))] = attrs.get("formatCode", "")[:256]
            elif local == "cellXfs":
                inside["cellXfs"] = True
            elif local == "xf" and inside["cellXfs"]:
                if len(xf_formats) >= limit:
                    raise _Stop(WorkbookReadError("workbook.too_many_styles", value=path, limit=limit))
                if len(xf_formats) % _CHECK_EVERY == 0:
                    self._check_time(path)
                try:
                    xf_formats.append(int(attrs.get("numFmtId", "0")))
                except ValueError:
                    xf_formats.append(0)

        def end(tag: str) -> None:
            if _local(tag) == "cellXfs":
                inside["cellXfs"] = False

        self._run(path, start, end)
        dates = set()
        for index, fmt in enumerate(xf_formats):
            code = custom.get(fmt, BUILTIN_FORMATS.get(fmt, ""))
            if code and is_date_format(code):
                dates.add(index)
        return frozenset(dates)

    # -- sheets -------------------------------------------------------------------------
    def rows(self, sheet: SheetInfo, max_col: int) -> Iterator[tuple[int, list[object]]]:
        """Every row of ``sheet`` holding a value in its first ``max_col`` columns, in order.

        Reads every ``<row>`` present: the size a sheet declares (``<dimension>``) is
        ignored, since it can be stale. Cells beyond ``max_col`` are skipped unread. Rows
        must come in increasing order, as every spreadsheet program writes them.
        """
        if sheet.path not in self._infos:
            raise WorkbookReadError("workbook.damaged_part", sheet=sheet.name, value=sheet.name, part=sheet.path)
        reader = _SheetParser(self, sheet, max_col)
        for _ in self._parse(sheet.path, reader.start, reader.end, reader.text, sheet=sheet.name):
            if reader.done:
                yield from reader.done
                reader.done.clear()


_LOCAL: dict[str, str] = {}


def _local_cached(tag: str) -> str:
    local = _LOCAL.get(tag)
    if local is None:
        local = tag.rsplit(" ", 1)[-1]
        if len(_LOCAL) < 1000:
            _LOCAL[tag] = local
    return local


class _SheetParser:
    """Expat handlers for one worksheet: keeps the current row only, hands finished rows over."""

    def __init__(self, book: BoundedWorkbook, sheet: SheetInfo, max_col: int) -> None:
        self.book = book
        self.title = sheet.name
        self.path = sheet.path
        self.max_col = max_col
        self.done: list[tuple[int, list[object]]] = []
        self.row = 0
        self.col = 0
        self.values: list[object] | None = None
        self.in_cell = False  # inside a <c> within max_col
        self.kind = "n"
        self.style = "0"
        self.v: str | None = None
        self.f: str | None = None
        self.f_shared: str | None = None
        self.inline: str | None = None
        self.collect = ""
        self.in_is = False
        self.phonetic = 0
        self.chars = 0
        self.parts: list[str] = []
        self.count = 0
        self.depth = 0
        self.shared_formulas: dict[str, str] = {}

    def fail(self, key: str, **fields: object) -> NoReturn:
        raise _Stop(
            WorkbookReadError(
                key,
                sheet=self.title,
                row=self.row or None,
                column=column_letter(self.col) if self.col else None,
                **fields,
            )
        )

    def start(self, tag: str, attrs: dict[str, str]) -> None:
        self.count += 1
        self.depth += 1
        if self.depth > _MAX_DEPTH:  # a worksheet nests about 6 deep; a deep nest only costs memory
            self.fail("workbook.damaged_xml", value=self.title, part=self.path, line=0)
        if not self.count % _CHECK_EVERY:
            self.book._check_time(self.title, self.row or None, sheet=self.title)
        local = _local_cached(tag)
        if local == "c":
            self._start_cell(attrs)
        elif not self.in_cell:
            if local == "row":
                self._start_row(attrs)
        elif local == "v" or local == "f":
            self.collect = local
            self.parts.clear()
            self.chars = 0
            if local == "f":
                self.f_shared = attrs.get("si") if attrs.get("t") == "shared" else None
                self.f = ""
        elif local == "is":
            self.in_is = True
            self.parts.clear()
            self.chars = 0
        elif local == "rPh":
            self.phonetic += 1
        elif local == "t" and self.in_is and not self.phonetic:
            self.collect = "t"

    def _start_row(self, attrs: dict[str, str]) -> None:
        number = self.row + 1
        if "r" in attrs:
            try:
                number = int(attrs["r"])
            except ValueError:
                self.fail("workbook.bad_reference", value=attrs["r"][:20])
        if not self.row < number <= EXCEL_MAX_ROW:
            self.fail("workbook.row_order", value=number)
        self.row = number
        self.col = 0
        self.values = None

    def _start_cell(self, attrs: dict[str, str]) -> None:
        if self.row == 0:
            self.fail("workbook.damaged_xml", value=self.title, part=self.path, line=0)
        ref = attrs.get("r")
        if ref:
            match = _REF.match(ref)
            if match is None or int(match.group(2)) != self.row:
                self.fail("workbook.bad_reference", value=ref[:20])
            col = column_index(match.group(1).upper())
        else:
            col = self.col + 1
        if not self.col < col <= EXCEL_MAX_COLUMN:
            self.fail("workbook.bad_reference", value=str(ref)[:20])
        self.col = col
        self.in_cell = col <= self.max_col
        if self.in_cell:
            self.kind = attrs.get("t", "n")
            self.style = attrs.get("s", "0")
            self.v = self.f = self.f_shared = self.inline = None

    def end(self, tag: str) -> None:
        self.depth -= 1
        local = _local_cached(tag)
        if local == "row":
            values = self.values
            if values is not None:
                self.done.append((self.row, values))
            self.values = None
            return
        if not self.in_cell:
            return
        if local == "c":
            value = self._value()
            if value is not None:
                if self.values is None:
                    self.values = [None] * self.max_col
                self.values[self.col - 1] = value
            self.in_cell = False
        elif local == self.collect and local in ("v", "f"):
            text = "".join(self.parts)
            if local == "v":
                self.v = text
            else:
                self.f = text
            self.collect = ""
        elif local == "t" and self.collect == "t":
            self.collect = ""
        elif local == "rPh":
            self.phonetic -= 1
        elif local == "is":
            self.inline = "".join(self.parts)
            self.in_is = False

    def text(self, data: str) -> None:
        if self.collect:
            self.chars += len(data)
            if self.chars > EXCEL_MAX_CHARS:
                self.fail("workbook.cell_too_long", value=data[:40], limit=EXCEL_MAX_CHARS)
            self.parts.append(data)

    def _value(self) -> object:
        if self.f is not None:
            formula = self.f
            key = self.f_shared
            if key is not None:
                if formula:
                    self.shared_formulas[key] = formula
                else:
                    formula = self.shared_formulas.get(key, "")
            return "=" + formula
        kind = self.kind
        if kind == "inlineStr":
            return self.inline
        raw = self.v
        if raw is None:
            return None
        if kind == "s":
            try:
                return self.book.shared_strings[int(raw)]
            except (ValueError, IndexError):
                self.fail("workbook.bad_shared_string", value=raw[:20])
        if kind in ("str", "e"):
            return raw
        if kind == "b":
            return raw.strip() in ("1", "true")
        if kind == "d":
            try:
                return from_ISO8601(raw)
            except (ValueError, TypeError, OverflowError):
                return raw
        return self._number(raw.strip())

    def _number(self, text: str) -> object:
        if len(text) > 400:  # no spreadsheet writes such a number; kept as text, refused by the validator
            return text
        try:
            number: int | float = float(text) if _FLOAT_HINT.search(text) else int(text)
        except ValueError:
            return text
        try:
            date_style = int(self.style) in self.book._date_styles
        except ValueError:
            date_style = False
        if date_style:
            try:
                return from_excel(number, self.book.epoch)
            except (OverflowError, ValueError, TypeError):
                return number
        return number


_FLOAT_HINT = re.compile(r"[.eEnNiI]")


def _mb(size: int) -> str:
    return f"{size / MB:.1f}"


__all__ = [
    "EXCEL_MAX_CHARS",
    "BoundedWorkbook",
    "Limits",
    "SheetInfo",
    "WorkbookReadError",
    "column_index",
    "column_letter",
]
