"""Read a Statistics Canada 2021 Census Profile download and keep the region's demand figures.

What Statistics Canada distributes (comprehensive download, e.g. 98-401-X2021006 for
CDs, CSDs and dissemination areas, 98-401-X2021007 for census tracts) is a ``.zip`` holding
one or more data CSVs (``*_CSV_data_*.csv``) beside a metadata text and a
``Geo_starting_row`` index, or the data CSV on its own. The data file has one row per
geography and characteristic::

    CENSUS_YEAR, DGUID, ALT_GEO_CODE, GEO_LEVEL, GEO_NAME, TNR_SF, TNR_LF,
    DATA_QUALITY_FLAG, CHARACTERISTIC_ID, CHARACTERISTIC_NAME, CHARACTERISTIC_NOTE,
    C1_COUNT_TOTAL, SYMBOL, C2_COUNT_MEN+, SYMBOL, C3_COUNT_WOMEN+, SYMBOL,
    C10_RATE_TOTAL, SYMBOL, C11_RATE_MEN+, SYMBOL, C12_RATE_WOMEN+, SYMBOL

Why it is read the way it is:

* the ``SYMBOL`` column name repeats, so columns are found by position in the header
  (the symbol of the total count is the column right after ``C1_COUNT_TOTAL``);
* the files are large (gigabytes) and only a few hundred thousand of their rows concern the
  region, so the file is streamed line by line: a line's ``DGUID`` is looked at first and
  only the region's lines are parsed as CSV. Memory stays flat whatever the file size;
* the files are Latin-1/Windows-1252 (older downloads) or UTF-8, with or without BOM, so
  UTF-8 is detected first on a sample and any byte that is not valid in the chosen encoding
  is read as Windows-1252 or Latin-1, which decode every byte: reading never fails on an
  encoding;
* a characteristic name is not unique ("French" is a first official language spoken, a
  mother tongue, a home language...). Names are indented with spaces to show the
  hierarchy, so each row is qualified by the unindented "Total - ..." heading of its section
  (for a file without indentation, by the last "Total - ..." row above it);
* counts carry symbols instead of numbers when suppressed or unavailable ("x", "F", "..",
  "..."): those are missing values (NaN), never zero.

Geographies kept: census subdivisions (``DGUID`` ``2021A0005`` + 7-digit CSDUID) and
dissemination areas (``2021S0512`` + 8-digit DAUID) whose code starts with one of the
region's census divisions, and census tracts (``2021S0507`` + CTUID ``5550001.00``) of the
London census metropolitan area (555). The import is all or nothing: the whole file is
read before the demand file is replaced (written to a temporary file, then renamed).
"""

from __future__ import annotations

import codecs
import csv
import functools
import io
import math
import os
import re
import sys
import time
import zipfile
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, TYPE_CHECKING, Literal

import pandas as pd

from cartography.errors import UserError
from cartography.geography import in_region_cd
from cartography.i18n import t
from cartography.paths import data_dir

if TYPE_CHECKING:
    from _typeshed import WriteableBuffer

#: Demand characteristics the tool understands: key -> (heading words, row name, FR, EN).
CHARACTERISTICS: dict[str, tuple[str, str, str, str]] = {
    "fols_french": (
        "first official language spoken",
        "french",
        "Première langue officielle parlée : français",
        "First official language spoken: French",
    ),
    "fols_english_french": (
        "first official language spoken",
        "english and french",
        "Première langue officielle parlée : français et anglais",
        "First official language spoken: English and French",
    ),
    "mother_tongue_french": (
        "mother tongue",
        "french",
        "Langue maternelle : français",
        "Mother tongue: French",
    ),
    "knowledge_english_french": (
        "knowledge of official languages",
        "english and french",
        "Connaissance des langues officielles : français et anglais",
        "Knowledge of official languages: English and French",
    ),
    "immigrants": ("immigrant status", "immigrants", "Immigrants", "Immigrants"),
    "recent_immigrants": (
        "immigrant status",
        "2016 to 2021",
        "Immigrants récents (2016 à 2021)",
        "Recent immigrants (2016 to 2021)",
    ),
}
REQUIRED = ("DGUID", "CHARACTERISTIC_NAME", "C1_COUNT_TOTAL")

Level = Literal["csd", "ct", "da"]
#: Geographic levels kept, finest last.
LEVELS: tuple[Level, ...] = ("csd", "ct", "da")
#: Census metropolitan areas whose tracts are kept (London, the region's only tracted CMA).
REGION_CMAS: frozenset[str] = frozenset({"555"})
#: Symbols Statistics Canada puts beside (or instead of) a count that is not published.
MISSING_SYMBOLS: frozenset[str] = frozenset({"x", "X", "F", "..", "..."})
#: Columns of the demand file (one row per level, geography and characteristic).
DEMAND_COLUMNS = ("level", "geo_id", "characteristic", "value")

_CSD = re.compile(r"2021A0005(\d{7})")
_CT = re.compile(r"2021S0507(\d{7})[._](\d{2})")
_DA = re.compile(r"2021S0512(\d{8})")
#: Longest line accepted: a census line is a few hundred characters; anything longer is not
#: a census profile (and reading it whole could exhaust memory).
_MAX_LINE = 1 << 16
_SAMPLE_BYTES = 1 << 20
_BUFFER = 1 << 20
_CHUNK = 1 << 22

ProgressCallback = Callable[[int, int], None]


# -- decoding --------------------------------------------------------------------------------

_BYTE_FALLBACK = "cartography-census-bytes"
_CP1252_OR_LATIN1 = tuple(
    bytes([b]).decode("cp1252", errors="strict") if b not in (0x81, 0x8D, 0x8F, 0x90, 0x9D) else chr(b)
    for b in range(256)
)


def _decode_byte_by_byte(exc: UnicodeError) -> tuple[str, int]:
    """Decode each byte the chosen encoding refuses as Windows-1252 (Latin-1 where undefined).

    Why: a census file must never fail to read on an encoding; a stray byte in a place name
    must not stop an import whose figures are plain ASCII.
    """
    if not isinstance(exc, UnicodeDecodeError):
        raise exc
    chunk = exc.object[exc.start : exc.end]
    return "".join(_CP1252_OR_LATIN1[b] for b in chunk), exc.end


codecs.register_error(_BYTE_FALLBACK, _decode_byte_by_byte)


def detect_encoding(sample: bytes) -> str:
    """Encoding of a census file from its first bytes: a BOM, else UTF-8 if valid, else cp1252.

    A UTF-8 sample cut in the middle of a character is still UTF-8 (the incremental decoder
    waits for the rest). Pure ASCII counts as UTF-8; bytes that later prove invalid are read
    by the fallback, so the choice can only affect accents, never the figures.
    """
    if sample.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    try:
        codecs.getincrementaldecoder("utf-8")().decode(sample, final=False)
    except UnicodeDecodeError:
        return "cp1252"
    return "utf-8"


ENCODING_NAMES = {"utf-8-sig": "UTF-8 (BOM)", "utf-16": "UTF-16", "utf-8": "UTF-8", "cp1252": "Windows-1252"}


# -- sources: a CSV or a zip of CSVs ----------------------------------------------------------


class _Counting(io.RawIOBase):
    """A raw stream that reports how many bytes were read from ``inner`` (progress bar)."""

    def __init__(self, inner: IO[bytes], on_bytes: Callable[[int], None]) -> None:
        self._inner = inner
        self._on_bytes = on_bytes

    def readable(self) -> bool:
        return True

    def close(self) -> None:
        try:
            self._inner.close()
        finally:
            super().close()

    def readinto(self, buffer: WriteableBuffer, /) -> int:
        view = memoryview(buffer).cast("B")  # any writable buffer, seen as bytes
        data = self._inner.read(len(view))
        n = len(data)
        view[:n] = data
        if n:
            self._on_bytes(n)
        return n


@dataclass(frozen=True)
class _Member:
    """One readable file: a plain CSV, or one member of a zip."""

    name: str
    size: int
    open: Callable[[], IO[bytes]]


_READ_ERRORS = (OSError, EOFError, zipfile.BadZipFile, zlib.error, RuntimeError)


@contextmanager
def _members(path: Path) -> Iterator[tuple[list[_Member], bool]]:
    """The files of a source and whether it is a zip: the CSV itself, or every file of a zip."""
    try:
        with path.open("rb") as handle:
            magic = handle.read(4)
    except OSError as exc:
        raise UserError("census.error.unreadable", detail=exc.strerror or type(exc).__name__) from exc
    if magic[:2] != b"PK":
        yield [_Member(path.name, path.stat().st_size, lambda: path.open("rb"))], False
        return
    try:
        archive = zipfile.ZipFile(path)
        infos = [i for i in archive.infolist() if not i.is_dir()]
    except (zipfile.BadZipFile, OSError, EOFError, ValueError) as exc:
        raise UserError("census.error.zip_damaged", name=path.name) from exc
    try:
        yield [_Member(info.filename, info.file_size, functools.partial(archive.open, info)) for info in infos], True
    finally:
        archive.close()


@dataclass(frozen=True)
class _Layout:
    """Where the needed columns are in a data file's header, and how to decode it."""

    encoding: str
    delimiter: str
    columns: int
    dguid: int
    name: int
    count: int
    symbol: int | None


def _layout(member: _Member) -> _Layout | str:
    """The layout of a census data file, or the missing column names if it is not one."""
    with member.open() as handle:
        sample = handle.read(_SAMPLE_BYTES)
    encoding = detect_encoding(sample)
    text = sample.decode(encoding, errors=_BYTE_FALLBACK)
    first = text.splitlines()[0] if text else ""
    delimiter = "\t" if first.count("\t") > first.count(",") else ","
    header = [h.strip().strip("\ufeff").upper() for h in next(csv.reader([first], delimiter=delimiter), [])]
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        return ", ".join(missing)
    count = header.index("C1_COUNT_TOTAL")
    symbol = count + 1 if count + 1 < len(header) and header[count + 1].startswith("SYMBOL") else None
    return _Layout(
        encoding=encoding,
        delimiter=delimiter,
        columns=len(header),
        dguid=header.index("DGUID"),
        name=header.index("CHARACTERISTIC_NAME"),
        count=count,
        symbol=symbol,
    )


# -- parsing ---------------------------------------------------------------------------------


def classify_dguid(dguid: str) -> tuple[Level, str] | None:
    """Level and id (CSDUID, CTUID ``5550001.00``, DAUID) of a DGUID kept by the tool, else None.

    Only the region's geographies are kept: CSDs and DAs of its census divisions, tracts of
    its census metropolitan area.
    """
    dguid = dguid.strip().strip('"')
    if match := _CSD.fullmatch(dguid):
        uid = match.group(1)
        return ("csd", uid) if in_region_cd(uid) else None
    if match := _DA.fullmatch(dguid):
        uid = match.group(1)
        return ("da", uid) if in_region_cd(uid) else None
    if match := _CT.fullmatch(dguid):
        uid = f"{match.group(1)}.{match.group(2)}"
        return ("ct", uid) if uid[:3] in REGION_CMAS else None
    return None


def parse_value(count: str, symbol: str = "") -> float:
    """A published count as a float; NaN when suppressed, unavailable or not a count.

    ``x`` (suppressed), ``F`` (too unreliable), ``..`` (not available) and ``...`` (not
    applicable) may stand in the count or in its ``SYMBOL`` column: the value is missing,
    never zero.
    """
    if symbol.strip() in MISSING_SYMBOLS:
        return math.nan
    text = count.strip().replace(",", "").replace("\u00a0", "").replace(" ", "")
    if not text or text in MISSING_SYMBOLS:
        return math.nan
    try:
        value = float(text)
    except ValueError:
        return math.nan
    return value if math.isfinite(value) and value >= 0 else math.nan


_BY_ROW_NAME: dict[str, list[tuple[str, str]]] = {}
for _key, (_words, _row, _fr, _en) in CHARACTERISTICS.items():
    _BY_ROW_NAME.setdefault(_row, []).append((_key, _words))


@dataclass
class _Block:
    """State while reading the rows of one geography (its rows are contiguous)."""

    dguid: str
    where: tuple[Level, str] | None
    rows: int = 0
    heading: str = ""
    indented: bool = False
    skippable: bool = True
    found: dict[str, float] = field(default_factory=dict)

    def add(self, name: str, count: str, symbol: str) -> None:
        """Qualify one row by its section heading and keep it if it is a wanted characteristic."""
        stripped = name.lstrip(" \u00a0")
        indent = len(name) - len(stripped)
        clean = stripped.rstrip().lower()
        if "  " in clean or "\t" in clean or "\u00a0" in clean:
            clean = " ".join(clean.split())
        if indent == 0:
            if clean.startswith("total - "):
                self.heading = clean
                return
            if self.indented:
                # a new top-level section that is not a "Total - " heading ends the previous one
                self.heading = ""
        else:
            self.indented = True
        candidates = _BY_ROW_NAME.get(clean)
        if not candidates or (indent == 0 and self.indented):
            return
        for key, words in candidates:
            if key not in self.found and words in self.heading:
                self.found[key] = parse_value(count, symbol)


@dataclass(frozen=True)
class CensusImport:
    """What a census profile file held for the region.

    ``frame`` has the columns of :data:`DEMAND_COLUMNS`; the other fields say what was read
    so the command can report it.
    """

    frame: pd.DataFrame
    files: tuple[str, ...]
    encodings: tuple[str, ...]
    rows_read: int
    geographies: dict[str, int]

    def summary(self) -> pd.DataFrame:
        """Places and suppressed values per level and characteristic (levels coarse to fine)."""
        frame = self.frame.assign(missing=self.frame["value"].isna())
        out = (
            frame.groupby(["level", "characteristic"], sort=False)
            .agg(places=("geo_id", "size"), missing=("missing", "sum"))
            .reset_index()
        )
        out["_l"] = out["level"].map({lv: i for i, lv in enumerate(LEVELS)})
        out["_c"] = out["characteristic"].map({k: i for i, k in enumerate(CHARACTERISTICS)})
        return out.sort_values(["_l", "_c"]).drop(columns=["_l", "_c"]).reset_index(drop=True)


class _Progress:
    """Adds up bytes read across files and calls back at most every 0.5 % (and at the end)."""

    def __init__(self, total: int, callback: ProgressCallback | None) -> None:
        self.total = max(total, 1)
        self.done = 0
        self._callback = callback
        self._step = max(self.total // 200, 1)
        self._next = 0

    def __call__(self, n: int) -> None:
        self.done += n
        if self._callback is not None and self.done >= self._next:
            self._next = self.done + self._step
            self._callback(min(self.done, self.total), self.total)

    def finish(self) -> None:
        if self._callback is not None:
            self._callback(self.total, self.total)


class _MemberReader:
    """Reading one data file: the geography block being read, where the reading is, and what
    was found, shared by the steps below (each line goes through :meth:`_take_line`)."""

    def __init__(self, member: _Member, layout: _Layout, rows: list[tuple]) -> None:
        self.member = member
        self.layout = layout
        self.rows = rows  # (level, geo_id, key, value), appended as each region block closes
        self.geos: dict[str, set[str]] = {lv: set() for lv in LEVELS}
        self.split_at = layout.dguid + 1
        self.shortest_block: int | None = None
        self.block: _Block | None = None
        self.prefix = ""  # the current block's lines start with this (fields up to the DGUID)
        self.lines = 0
        self.last = ""

    def error(self, key: str, at: int) -> UserError:
        return UserError(key, name=self.member.name, line=at)

    def read(self, progress: _Progress) -> tuple[int, dict]:
        """Read the whole file; return lines read and region geographies per level."""
        raw = _Counting(self.member.open(), progress)
        with io.TextIOWrapper(
            io.BufferedReader(raw, buffer_size=_BUFFER),
            encoding=self.layout.encoding,
            errors=_BYTE_FALLBACK,
            newline="",
        ) as text:
            header = text.readline(_MAX_LINE)
            if not header.endswith("\n"):
                raise self.error("census.error.truncated", 1)
            self._read_chunks(text)
        self._finish()
        return self.lines, {lv: len(ids) for lv, ids in self.geos.items()}

    def _read_chunks(self, text: io.TextIOWrapper) -> None:
        """Read the text in chunks cut after their last line end; what follows it (and a line
        whose quotes are still open) is carried over to the next chunk."""
        carry = ""
        final = False
        while not final:
            data = text.read(_CHUNK)
            final = not data
            work = carry + data
            if not final:
                cut = work.rfind("\n") + 1
                if cut == 0:
                    if len(work) > _MAX_LINE:
                        raise self.error("census.error.malformed", self.lines + 2)
                    carry = work
                    continue
                work, carry = work[:cut], work[cut:]
            else:
                carry = ""
            carry = self._read_chunk(work, final) + carry

    def _read_chunk(self, work: str, final: bool) -> str:
        """Read the lines of one chunk; return a last line whose quotes are still open (to be
        read with the next chunk), else an empty string."""
        pos = 0
        size = len(work)
        while pos < size:
            # fast path: the rest of a block outside the region within this chunk
            block = self.block
            if block is not None and block.where is None and block.skippable and work.startswith(self.prefix, pos):
                skipped_to = self._skip_outside(block, work, pos)
                if skipped_to is not None:
                    pos = skipped_to
                    continue
            stop = work.find("\n", pos) + 1 or size
            line = work[pos:stop]
            if '"' in line and line.count('"') % 2:
                # a quoted field spans lines: read on until the quotes close
                while line.count('"') % 2 and stop < size:
                    stop = work.find("\n", stop) + 1 or size
                    line = work[pos:stop]
                if line.count('"') % 2:
                    if final or len(line) > _MAX_LINE:
                        raise self.error("census.error.truncated", self.lines + 2)
                    return line
            pos = stop
            self._take_line(line)
        return ""

    def _skip_outside(self, block: _Block, work: str, pos: int) -> int | None:
        """Count the rest of a block outside the region in this chunk with one string search;
        return where reading resumes, or None (the block is then read line by line)."""
        size = len(work)
        marker = "\n" + self.prefix
        tail = work.rfind(marker, pos)
        if tail >= pos:
            stop = work.find("\n", tail + 1) + 1 or size
            skipped = work.count("\n", pos, stop) + (0 if work.endswith("\n", 0, stop) else 1)
            if work.count(marker, pos, stop) + 1 == skipped:
                self.lines += skipped
                block.rows += skipped
                self.last = work[tail + 1 : stop]
                return stop
            block.skippable = False  # not contiguous: read it line by line
        return None

    def _take_line(self, line: str) -> None:
        """One whole line: start a new block when its geography changes, keep a region row."""
        layout = self.layout
        self.lines += 1
        if len(line) > _MAX_LINE:
            raise self.error("census.error.malformed", self.lines + 1)
        self.last = line
        parts = line.split(layout.delimiter, self.split_at)
        if len(parts) <= layout.dguid:
            if not line.strip():
                return
            raise self.error("census.error.malformed", self.lines + 1)
        dguid = parts[layout.dguid]
        block = self.block
        if block is None or dguid != block.dguid:
            if block is not None:
                self._close(block)
            block = self.block = _Block(dguid, classify_dguid(dguid))
            self.prefix = line[: len(line) - len(parts[-1])] if len(parts) > self.split_at else line
        block.rows += 1
        if block.where is not None:
            self._add_row(block, line)

    def _add_row(self, block: _Block, line: str) -> None:
        """Parse a row of a region geography as CSV and give it to its block."""
        layout = self.layout
        if '"' in line:
            fields = next(csv.reader([line], delimiter=layout.delimiter))
        else:
            fields = line.rstrip("\r\n").split(layout.delimiter)
        if len(fields) != layout.columns:
            # the last line without its end is a cut file; elsewhere the row is malformed
            key = "census.error.malformed" if line.endswith("\n") else "census.error.truncated"
            raise self.error(key, self.lines + 1)
        symbol = fields[layout.symbol] if layout.symbol is not None else ""
        block.add(fields[layout.name], fields[layout.count], symbol)

    def _close(self, done: _Block) -> None:
        """A block ends: keep its figures if it is a region geography; note its length."""
        if done.where is not None:
            level, uid = done.where
            self.geos[level].add(uid)
            self.rows.extend((level, uid, key, value) for key, value in done.found.items())
        self.shortest_block = done.rows if self.shortest_block is None else min(self.shortest_block, done.rows)

    def _finish(self) -> None:
        """The last line must be whole, and the last geography as long as every other one."""
        block = self.block
        if block is None:
            return
        fields = next(csv.reader([self.last], delimiter=self.layout.delimiter), [])
        if len(fields) != self.layout.columns or (self.shortest_block is not None and block.rows < self.shortest_block):
            raise self.error("census.error.truncated", self.lines + 1)
        self._close(block)


def _read_member(member: _Member, layout: _Layout, progress: _Progress, rows: list[tuple]) -> tuple[int, dict]:
    """Stream one data file; append ``(level, geo_id, key, value)`` rows; return lines and geos.

    The text is read in chunks of a few megabytes. A geography's rows are contiguous, so
    once a line shows a geography outside the region, the rest of its rows in the chunk are
    found with one string search and counted without being looked at one by one (checked:
    the number of lines skipped equals the number of lines that start with that geography).
    Raises UserError when a line is malformed or the file ends in the middle of a geography.
    """
    return _MemberReader(member, layout, rows).read(progress)


def parse_census_profile(source: Path, progress: ProgressCallback | None = None) -> CensusImport:
    """Read a census profile (CSV or zip of CSVs) and return the region's figures; write nothing.

    ``progress(bytes_read, total_bytes)`` is called as the file is read (uncompressed bytes
    for a zip). Raises UserError for an unreadable, damaged, truncated or wrong file, or one
    without any of the region's figures.
    """
    path = Path(source)
    rows: list[tuple] = []
    files: list[str] = []
    encodings: list[str] = []
    lines = 0
    geographies: dict[str, int] = {lv: 0 for lv in LEVELS}
    with _members(path) as (members, is_zip):
        layouts: list[tuple[_Member, _Layout]] = []
        missing_columns = ""
        try:
            for member in members:
                found = _layout(member)
                if isinstance(found, _Layout):
                    layouts.append((member, found))
                else:
                    missing_columns = found
            if not layouts:
                if is_zip:
                    raise UserError("census.error.no_data_file", name=path.name, files=len(members))
                raise UserError("census.error.columns", columns=missing_columns)
            counter = _Progress(sum(m.size for m, _ in layouts), progress)
            for member, layout in layouts:
                read, geos = _read_member(member, layout, counter, rows)
                lines += read
                files.append(member.name)
                encodings.append(ENCODING_NAMES.get(layout.encoding, layout.encoding))
                for level, n in geos.items():
                    geographies[level] += n
            counter.finish()
        except UserError:
            raise
        except NotImplementedError as exc:
            # e.g. Deflate64, which some archivers use for files over 2 GB
            raise UserError("census.error.zip_method", name=path.name) from exc
        except (csv.Error, UnicodeError, *_READ_ERRORS) as exc:
            raise UserError("census.error.damaged", name=path.name, detail=type(exc).__name__) from exc
    frame = pd.DataFrame(rows, columns=list(DEMAND_COLUMNS)).drop_duplicates(
        ["level", "geo_id", "characteristic"], keep="first"
    )
    if frame.empty:
        if any(geographies.values()):
            raise UserError("census.error.no_characteristic", places=sum(geographies.values()))
        raise UserError("census.error.nothing")
    frame["value"] = frame["value"].astype(float)
    return CensusImport(
        frame=frame.reset_index(drop=True),
        files=tuple(files),
        encodings=tuple(dict.fromkeys(encodings)),
        rows_read=lines,
        geographies=geographies,
    )


# -- the demand file -----------------------------------------------------------------------------


def demand_file() -> Path:
    """Where imported census figures are kept (one file, merged across imports)."""
    return data_dir() / "census" / "demand_2021.csv"


def _read_demand_file(target: Path) -> pd.DataFrame:
    """The demand file in today's layout; a file of the first layout (``CSDUID``) is migrated."""
    try:
        frame = pd.read_csv(target, dtype={"geo_id": str, "CSDUID": str, "level": str, "characteristic": str})
    except (OSError, ValueError, pd.errors.ParserError) as exc:
        raise UserError("census.error.demand_file", path=str(target)) from exc
    if "CSDUID" in frame.columns and "geo_id" not in frame.columns:
        frame = frame.rename(columns={"CSDUID": "geo_id"}).assign(level="csd")
    if not set(DEMAND_COLUMNS) <= set(frame.columns):
        raise UserError("census.error.demand_file", path=str(target))
    frame = frame[list(DEMAND_COLUMNS)].copy()
    frame["geo_id"] = frame["geo_id"].astype(str)
    frame["value"] = pd.to_numeric(frame["value"], errors="coerce").astype(float)
    return frame


def import_census_profile(source: Path, progress: ProgressCallback | None = None) -> CensusImport:
    """Parse a census profile and merge it into the demand file; return what was imported.

    Figures already kept for other geographies or characteristics stay; the same (level,
    geography, characteristic) is replaced by the new import. Nothing is written unless the
    whole file was read: the merged file is written beside the target and renamed over it.
    """
    imported = parse_census_profile(source, progress)
    target = demand_file()
    new = imported.frame
    if target.exists():
        old = _read_demand_file(target)
        keys = pd.MultiIndex.from_frame(new[["level", "geo_id", "characteristic"]])
        stale = pd.MultiIndex.from_frame(old[["level", "geo_id", "characteristic"]]).isin(keys)
        merged = pd.concat([old[~stale], new], ignore_index=True)
    else:
        merged = new
    order = {lv: i for i, lv in enumerate(LEVELS)}
    merged = merged.sort_values(
        ["characteristic", "level", "geo_id"], key=lambda s: s.map(order) if s.name == "level" else s
    )
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(f".{target.name}.{os.getpid()}.partial")
    try:
        merged.to_csv(partial, index=False)
        os.replace(partial, target)
    finally:
        partial.unlink(missing_ok=True)
    return imported


def load_demand(characteristic: str) -> pd.DataFrame:
    """Imported figures for one characteristic: columns ``level``, ``geo_id``, ``value``.

    ``level`` is ``csd``, ``ct`` or ``da``; ``geo_id`` the CSDUID (7 digits), CTUID
    (``5550001.00``) or DAUID (8 digits); ``value`` NaN where Statistics Canada suppressed
    the count. Rows are ordered by level (coarse to fine), then id.
    """
    if characteristic not in CHARACTERISTICS:
        raise UserError("census.error.unknown_demand", key=characteristic, keys=", ".join(CHARACTERISTICS))
    target = demand_file()
    if not target.exists():
        raise UserError("census.error.not_imported", key=characteristic)
    frame = _read_demand_file(target)
    frame = frame[frame["characteristic"] == characteristic]
    if frame.empty:
        raise UserError("census.error.not_imported", key=characteristic)
    order = frame["level"].map({lv: i for i, lv in enumerate(LEVELS)})
    frame = frame.assign(_order=order).sort_values(["_order", "geo_id"])
    return frame[["level", "geo_id", "value"]].reset_index(drop=True)


# -- command-line progress ---------------------------------------------------------------------


class TerminalProgress:
    """A progress bar on a terminal (redrawn in place), or a line every 10 % elsewhere (logs)."""

    def __init__(self, stream: IO[str] | None = None, width: int = 30) -> None:
        self._stream = stream if stream is not None else sys.stderr
        self._width = width
        self._tty = bool(getattr(self._stream, "isatty", lambda: False)())
        self._last_tenth = -1
        self._start = time.monotonic()

    def __call__(self, done: int, total: int) -> None:
        share = done / total if total else 1.0
        label = t("census.progress", "fr") + " / " + t("census.progress", "en")
        mb = f"{done / 1e6:,.0f} / {total / 1e6:,.0f} Mo-MB".replace(",", " ")
        if self._tty:
            filled = int(share * self._width)
            bar = "#" * filled + "-" * (self._width - filled)
            self._stream.write(f"\r{label} [{bar}] {share:4.0%} {mb}")
            if done >= total:
                self._stream.write("\n")
        else:
            tenth = int(share * 10)
            if tenth == self._last_tenth:
                return
            self._last_tenth = tenth
            self._stream.write(f"{label} {share:4.0%} {mb}\n")
        self._stream.flush()


def level_label(level: str, lang: Literal["fr", "en"]) -> str:
    """Name of a geographic level in one language."""
    return t(f"census.level.{level}", lang)


__all__ = [
    "CHARACTERISTICS",
    "DEMAND_COLUMNS",
    "LEVELS",
    "CensusImport",
    "TerminalProgress",
    "classify_dguid",
    "demand_file",
    "detect_encoding",
    "import_census_profile",
    "level_label",
    "load_demand",
    "parse_census_profile",
    "parse_value",
]
