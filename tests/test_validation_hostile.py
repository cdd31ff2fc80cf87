"""A catalogue of hostile workbooks: each gives a clean located refusal or a legitimate acceptance.

Every workbook is built here from the demo member's filled template by one hostile change
(a bomb, a damaged part, a lie in the file's own bookkeeping, an absurd value). For each:
no exception escapes, reading and checking stay within a time bound, a refusal is located
and bilingual and leaves the store unchanged, and an acceptance is stored on SQLite and
PostgreSQL alike. The three bombs of issue 10 also run in a child process whose peak memory
is measured.
"""

from __future__ import annotations

import copy
import io
import json
import random
import re
import subprocess
import sys
import time
import zipfile
from collections.abc import Callable, Iterable
from datetime import datetime
from pathlib import Path

import pytest
from openpyxl import load_workbook

from cartography.io.template import answers_to_workbook, fill_template, write_template
from cartography.io.workbook_reader import BoundedWorkbook
from cartography.model import MAX_COUNT
from cartography.services.submissions import InvalidWorkbook, check_workbook, submit_workbook
from cartography.validation import MAX_PROBLEMS

TIME_BOUND = 10.0  # seconds for reading and checking one workbook (the issue allows 20)
MB = 1024 * 1024
Part = bytes | Callable[[], Iterable[bytes]]


# -- building hostile workbooks ------------------------------------------------------------


@pytest.fixture(scope="module")
def base(gazetteer, demo_org) -> bytes:
    """The demo member's filled template: valid, 2 sites, 7 services, 7 client rows, 4 needs."""
    blank = io.BytesIO()
    write_template(blank, gazetteer.municipality_names, cycle="2019-2020")
    filled = io.BytesIO()
    fill_template(blank, demo_org, target=filled)
    return filled.getvalue()


def _parts(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def _zip(parts: dict[str, Part], method: dict[str, int] | None = None) -> bytes:
    """A zip of ``parts``; a callable part is streamed in chunks (bombs are never held whole)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for name, part in parts.items():
            kind = (method or {}).get(name, zipfile.ZIP_DEFLATED)
            if callable(part):
                info = zipfile.ZipInfo(name)
                info.compress_type = kind
                with archive.open(info, "w", force_zip64=True) as handle:
                    for chunk in part():
                        handle.write(chunk)
            else:
                archive.writestr(zipfile.ZipInfo(name), part, compress_type=kind)
    return out.getvalue()


def _sheet(data: bytes, title: str) -> str:
    return next(s.path for s in BoundedWorkbook(data).sheets if s.name == title)


def _with_parts(data: bytes, changes: dict[str, Part]) -> bytes:
    return _zip({**_parts(data), **changes})


def _edit_sheet(data: bytes, title: str, change: Callable[[bytes], bytes]) -> bytes:
    path = _sheet(data, title)
    parts: dict[str, Part] = dict(_parts(data))
    parts[path] = change(parts[path])  # type: ignore[arg-type]
    return _zip(parts)


def _rows_appended(rows: Callable[[], Iterable[bytes]]) -> Callable[[bytes], Callable[[], Iterable[bytes]]]:
    def change(xml: bytes) -> Callable[[], Iterable[bytes]]:
        head, tail = xml.split(b"</sheetData>")

        def stream() -> Iterable[bytes]:
            yield head
            yield from rows()
            yield b"</sheetData>" + tail

        return stream

    return change


def _streamed_sheet(data: bytes, title: str, rows: Callable[[], Iterable[bytes]]) -> bytes:
    path = _sheet(data, title)
    parts: dict[str, Part] = dict(_parts(data))
    parts[path] = _rows_appended(rows)(parts[path])  # type: ignore[arg-type]
    return _zip(parts)


def _openpyxl(data: bytes, change: Callable) -> bytes:  # type: ignore[type-arg]
    wb = load_workbook(io.BytesIO(data))
    change(wb)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _cell(sheet: str, ref: str, value: object) -> Callable[[bytes], bytes]:
    def build(data: bytes) -> bytes:
        def change(wb) -> None:  # type: ignore[no-untyped-def]
            wb[sheet][ref] = value

        return _openpyxl(data, change)

    return build


SST_CT = (
    b'<Override PartName="/xl/sharedStrings.xml" '
    b'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
)
SST_REL = (
    b'<Relationship Id="rIdSST" Target="sharedStrings.xml" '
    b'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings"/>'
)


def _with_shared_strings(data: bytes, sst: Part) -> bytes:
    parts: dict[str, Part] = dict(_parts(data))
    parts["[Content_Types].xml"] = parts["[Content_Types].xml"].replace(b"</Types>", SST_CT + b"</Types>")  # type: ignore[union-attr]
    parts["xl/_rels/workbook.xml.rels"] = parts["xl/_rels/workbook.xml.rels"].replace(  # type: ignore[union-attr]
        b"</Relationships>", SST_REL + b"</Relationships>"
    )
    parts["xl/sharedStrings.xml"] = sst
    return _zip(parts)


def _sst_stream(megabytes: int) -> Callable[[], Iterable[bytes]]:
    def stream() -> Iterable[bytes]:
        yield b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        block = b"<si><t>bombe</t></si>" * (MB // 21)
        for _ in range(megabytes):
            yield block
        yield b"</sst>"

    return stream


def shared_strings_bomb(data: bytes, megabytes: int = 64) -> bytes:
    return _with_shared_strings(data, _sst_stream(megabytes))


def styles_bomb(data: bytes, megabytes: int = 64) -> bytes:
    styles = _parts(data)["xl/styles.xml"]
    head, tail = re.split(rb"<cellXfs[^>]*>", styles, maxsplit=1)

    def stream() -> Iterable[bytes]:
        yield head + b'<cellXfs count="1">'
        block = b'<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>' * (MB // 64)
        for _ in range(megabytes):
            yield block
        yield tail

    return _with_parts(data, {"xl/styles.xml": stream})


def styles_count_bomb(data: bytes) -> bytes:
    """120,000 distinct cell styles in under 4 MB: within the size limits, over the count limit."""
    styles = _parts(data)["xl/styles.xml"]
    head, tail = re.split(rb"<cellXfs[^>]*>", styles, maxsplit=1)
    rnd = random.Random(7)
    xfs = b"".join(b'<xf numFmtId="%d"/>' % rnd.randrange(200) for _ in range(120_000))
    return _with_parts(data, {"xl/styles.xml": head + b'<cellXfs count="120000">' + xfs + tail})


def blank_rows_bomb(data: bytes, megabytes: int = 64) -> bytes:
    """A Clients sheet of blank formatted rows, as a program writes when rows are formatted to the bottom."""
    block = b'<row spans="1:5" s="1" customFormat="1"><c s="1"/></row>' * (MB // 54)

    def stream() -> Iterable[bytes]:
        for _ in range(megabytes):
            yield block

    return _streamed_sheet(data, "Clients", stream)


def _lying_directory(data: bytes) -> bytes:
    """A 20 MB shared-strings part whose zip directory claims 1,000 bytes."""
    bomb = shared_strings_bomb(data, 20)
    name = b"xl/sharedStrings.xml"
    out = bytearray(bomb)
    for signature, size_at in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
        start = 0
        while True:
            local = out.find(signature, start)
            if local < 0:
                break
            name_at = local + (30 if signature == b"PK\x03\x04" else 46)
            if out[name_at : name_at + len(name)] == name:
                out[local + size_at : local + size_at + 4] = (1000).to_bytes(4, "little")
            start = local + 4
    return bytes(out)


def _flag_encrypted(data: bytes, part: bytes) -> bytes:
    out = bytearray(data)
    for signature, flag_at, name_at in ((b"PK\x03\x04", 6, 30), (b"PK\x01\x02", 8, 46)):
        start = 0
        while (at := out.find(signature, start)) >= 0:
            if out[at + name_at : at + name_at + len(part)] == part:
                out[at + flag_at] |= 0x01
            start = at + 4
    return bytes(out)


def _workbook_xml(data: bytes, change: Callable[[bytes], bytes]) -> bytes:
    parts = _parts(data)
    return _with_parts(data, {"xl/workbook.xml": change(parts["xl/workbook.xml"])})


def _organisme_is_a_chart(data: bytes) -> bytes:
    parts = _parts(data)
    path = _sheet(data, "Organisme").removeprefix("xl/")
    rels = parts["xl/_rels/workbook.xml.rels"].decode()
    rels = re.sub(
        r'(<Relationship[^>]*Target="/?(?:xl/)?' + re.escape(path) + r'"[^>]*>)',
        lambda m: m.group(1).replace("/worksheet", "/chartsheet"),
        rels,
    )
    rels = re.sub(
        r'Type="([^"]*)/worksheet"([^>]*Target="/?(?:xl/)?' + re.escape(path) + r'")',
        r'Type="\1/chartsheet"\2',
        rels,
    )
    return _with_parts(data, {"xl/_rels/workbook.xml.rels": rels.encode()})


def _rid_of(data: bytes, title: str) -> str:
    xml = _parts(data)["xl/workbook.xml"].decode()
    return re.search(r'<sheet[^>]*name="' + title + r'"[^>]*r:id="([^"]+)"', xml).group(1)  # type: ignore[union-attr]


def _duplicated_clients(data: bytes) -> bytes:
    rid = _rid_of(data, "Clients")
    ns = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    extra = f'<sheet xmlns:r="{ns}" name="Clients" sheetId="99" r:id="{rid}"/></sheets>'.encode()
    return _workbook_xml(data, lambda xml: xml.replace(b"</sheets>", extra))


def _without_besoins(data: bytes) -> bytes:
    return _workbook_xml(data, lambda xml: re.sub(rb'<sheet[^>]*name="Besoins"[^>]*/>', b"", xml))


def _hidden_extra_sheet(data: bytes) -> bytes:
    def change(wb) -> None:  # type: ignore[no-untyped-def]
        notes = wb.create_sheet("Notes cachées")
        notes["A1"] = "=1/0"
        notes.sheet_state = "veryHidden"

    return _openpyxl(data, change)


def _macros(data: bytes) -> bytes:
    parts = _parts(data)
    ct = parts["[Content_Types].xml"].replace(
        b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
        b"application/vnd.ms-excel.sheet.macroEnabled.main+xml",
    )
    return _with_parts(
        data, {"[Content_Types].xml": ct, "xl/vbaProject.bin": b"\xd0\xcf\x11\xe0" + b"Attribute VB_Name" * 10}
    )


def _docx(_data: bytes) -> bytes:
    return _zip({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document/>"})


def _truncated(data: bytes) -> bytes:
    return data[: len(data) // 2]


def _too_many_parts(data: bytes) -> bytes:
    parts: dict[str, Part] = dict(_parts(data))
    parts.update({f"xl/media/image{i}.png": b"x" for i in range(400)})
    return _zip(parts)


def _bzip2_part(data: bytes) -> bytes:
    return _zip(dict(_parts(data)), method={"xl/workbook.xml": zipfile.ZIP_BZIP2})


def _billion_laughs(data: bytes) -> bytes:
    doctype = (
        b'<?xml version="1.0"?><!DOCTYPE worksheet [<!ENTITY a "ha"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">'
        b'<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">'
        b'<!ENTITY e "&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;"><!ENTITY f "&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;">'
        b'<!ENTITY g "&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;"><!ENTITY h "&g;&g;&g;&g;&g;&g;&g;&g;&g;&g;">]>'
    )

    def change(xml: bytes) -> bytes:
        xml = re.sub(rb"^<\?xml[^>]*\?>", b"", xml)
        return doctype + xml.replace(b"<t>Clients</t>", b"<t>&h;</t>", 1)

    return _edit_sheet(data, "Clients", change)


def _external_entity(data: bytes) -> bytes:
    doctype = b'<?xml version="1.0"?><!DOCTYPE workbook [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
    return _workbook_xml(data, lambda xml: doctype + re.sub(rb"^<\?xml[^>]*\?>", b"", xml))


def _control_char_xml(data: bytes) -> bytes:
    return _edit_sheet(data, "Lieux", lambda xml: xml.replace(b"Bureau", b"Bur&#1;eau", 1))


def _damaged_sheet(data: bytes) -> bytes:
    return _edit_sheet(data, "Clients", lambda xml: xml[: len(xml) * 2 // 3])


def _stale_dimension(data: bytes) -> bytes:
    return _edit_sheet(
        data, "Clients", lambda xml: re.sub(rb'<dimension ref="[^"]*"/>', b'<dimension ref="A1:E4"/>', xml)
    )


def _far_row(data: bytes) -> bytes:
    row = b'<row r="1048576"><c r="D1048576" t="inlineStr"><is><t>beaucoup</t></is></c></row>'
    return _edit_sheet(data, "Clients", lambda xml: xml.replace(b"</sheetData>", row + b"</sheetData>"))


def _rows_out_of_order(data: bytes) -> bytes:
    row = b'<row r="2"><c r="B2" t="inlineStr"><is><t>London</t></is></c></row>'
    return _edit_sheet(data, "Clients", lambda xml: xml.replace(b"</sheetData>", row + b"</sheetData>"))


def _bad_shared_index(data: bytes) -> bytes:
    sst = b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>un</t></si></sst>'
    with_sst = _with_shared_strings(data, sst)
    row = b'<row r="40"><c r="B40" t="s"><v>99</v></c></row>'
    return _edit_sheet(with_sst, "Clients", lambda xml: xml.replace(b"</sheetData>", row + b"</sheetData>"))


def _merged(data: bytes) -> bytes:
    def change(wb) -> None:  # type: ignore[no-untyped-def]
        wb["Clients"].merge_cells("F4:H6")

    return _openpyxl(data, change)


def _under_limit_blank_rows(data: bytes) -> bytes:
    rnd = random.Random(10)

    def stream() -> Iterable[bytes]:
        for start in range(40, 100_040, 10_000):
            yield b"".join(
                b'<row r="%d" x="%d"><c r="A%d" s="%d"/></row>' % (i, rnd.randrange(10**9), i, rnd.randrange(3))
                for i in range(start, start + 10_000)
            )

    return _streamed_sheet(data, "Clients", stream)


def _many_rows(junk: bool) -> Callable[[bytes], bytes]:
    def build(data: bytes) -> bytes:
        def stream() -> Iterable[bytes]:
            value = b"beaucoup" if junk else b"3"
            yield b"".join(
                b'<row r="%d"><c r="B%d" t="inlineStr"><is><t>Londn</t></is></c>'
                b'<c r="D%d" t="inlineStr"><is><t>%s</t></is></c></row>' % (i, i, i, value)
                for i in range(40, 2_240)
            )

        return _streamed_sheet(data, "Clients", stream)

    return build


def _deep_nesting(data: bytes) -> bytes:
    """300,000 nested elements with varied names (the compression ratio stays low)."""
    rnd = random.Random(3)
    names = [b"x%d" % rnd.randrange(10**6) for _ in range(300_000)]

    def rows() -> Iterable[bytes]:
        yield b'<row r="40">' + b"".join(b"<%s>" % n for n in names)
        yield b"".join(b"</%s>" % n for n in reversed(names)) + b"</row>"

    return _streamed_sheet(data, "Clients", rows)


def _long_inline(data: bytes) -> bytes:
    text = b"a" * 100_000
    row = b'<row r="40"><c r="C40" t="inlineStr"><is><t>' + text + b"</t></is></c></row>"
    return _edit_sheet(data, "Services", lambda xml: xml.replace(b"</sheetData>", row + b"</sheetData>"))


def _formula_count(data: bytes) -> bytes:
    return _edit_sheet(
        data,
        "Clients",
        lambda xml: re.sub(rb'<c r="D4"([^>]*)>.*?</c>', rb'<c r="D4"><f>1+1</f><v>2</v></c>', xml, count=1),
    )


def _formula_name(data: bytes) -> bytes:
    return _edit_sheet(
        data,
        "Services",
        lambda xml: re.sub(
            rb'<c r="C4"[^>]*>.*?</c>', b'<c r="C4" t="str"><f>HYPERLINK("http://x")</f><v>x</v></c>', xml, count=1
        ),
    )


# (id, builder, expected): expected is "accepted" or (sheet, row, column, words in the English message)
CATALOGUE: list[tuple[str, Callable[[bytes], bytes], object]] = [
    ("shared-strings bomb", shared_strings_bomb, ("", None, None, "decompresses")),
    ("zip directory lies about a size", _lying_directory, ("", None, None, "damaged")),
    ("styles bomb", styles_bomb, ("", None, None, "decompresses")),
    ("styles count bomb", styles_count_bomb, ("", None, None, "cell styles")),
    ("blank rows bomb", blank_rows_bomb, ("", None, None, "decompresses")),
    ("blank rows under the limits", _under_limit_blank_rows, "accepted"),
    ("truncated zip", _truncated, ("", None, None, "not an Excel")),
    ("docx renamed", _docx, ("", None, None, "not an Excel")),
    ("xlsm with macros", _macros, ("", None, None, "macros")),
    ("encrypted (CDFV2)", lambda d: bytes.fromhex("D0CF11E0A1B11AE1") + b"\0" * 4096, ("", None, None, "password")),
    ("csv renamed", lambda d: b"PK,nom,ville\nA,London\n", ("", None, None, "not an Excel")),
    ("encrypted zip entry", lambda d: _flag_encrypted(d, b"xl/workbook.xml"), ("", None, None, "encrypted")),
    ("bzip2 part", _bzip2_part, ("", None, None, "damaged")),
    ("too many parts", _too_many_parts, ("", None, None, "parts")),
    ("count of 2^63", _cell("Clients", "D4", 2**63), ("Clients", 4, "Nombre de clients", "plausible maximum")),
    ("two counts of 5e18", _cell("Clients", "D5", 5e18), ("Clients", 5, "Nombre de clients", "plausible maximum")),
    (
        "count just over the maximum",
        _cell("Clients", "D4", MAX_COUNT + 1),
        ("Clients", 4, "Nombre de clients", "1 000 000"),
    ),
    ("capacity over 2^31", _cell("Services", "I4", 2**31), ("Services", 4, "Capacité (clients par an)", "maximum")),
    ("negative count", _cell("Clients", "D4", -3), ("Clients", 4, "Nombre de clients", "negative")),
    ("NaN count", _cell("Clients", "D4", "NaN"), ("Clients", 4, "Nombre de clients", "whole number")),
    ("infinite count", _cell("Clients", "D4", "1e400"), ("Clients", 4, "Nombre de clients", "whole number")),
    ("nan latitude", _cell("Lieux", "G4", "nan"), ("Lieux", 4, "Latitude", "not a number")),
    ("date in a count", _cell("Clients", "D4", datetime(2020, 1, 5)), ("Clients", 4, "Nombre de clients", "whole")),
    ("formula in a count", _formula_count, ("Clients", 4, "Nombre de clients", "whole number")),
    ("formula in a name", _formula_name, "accepted"),
    ("control character in the XML", _control_char_xml, ("Lieux", None, None, "damaged")),
    ("100,000-character text", _long_inline, ("Services", 40, "C", "more than 32767")),
    ("5,000-character name", _cell("Services", "C4", "n" * 5000), ("Services", 4, "Nom du service", "5000 characters")),
    ("address of 301 characters", _cell("Lieux", "D4", "a" * 301), ("Lieux", 4, "Adresse", "at most 300")),
    ("organisation name of 201", _cell("Organisme", "B3", "n" * 201), ("Organisme", 3, "Nom de l'organisme", "200")),
    ("chart sheet named Organisme", _organisme_is_a_chart, ("Organisme", None, None, "not a table")),
    ("duplicated sheet", _duplicated_clients, ("Clients", None, None, "twice")),
    ("missing sheet", _without_besoins, ("Besoins", None, None, "missing")),
    ("hidden extra sheet", _hidden_extra_sheet, "accepted"),
    ("merged cells", _merged, "accepted"),
    ("entity bomb in a sheet", _billion_laughs, ("Clients", None, None, "DOCTYPE")),
    ("external entity", _external_entity, ("", None, None, "DOCTYPE")),
    ("deeply nested XML", _deep_nesting, ("Clients", 40, None, "damaged")),
    ("damaged sheet XML", _damaged_sheet, ("Clients", None, None, "damaged")),
    ("stale dimension", _stale_dimension, "accepted"),
    ("content on the last row", _far_row, ("Clients", 1048576, "Municipalité de résidence", "Required")),
    ("rows out of order", _rows_out_of_order, ("Clients", None, None, "out of order")),
    ("shared string out of range", _bad_shared_index, ("Clients", 40, "B", "does not exist")),
    ("too many rows", _many_rows(junk=False), ("Clients", None, None, "Too many rows")),
    ("thousands of problems", _many_rows(junk=True), ("", None, None, f"More than {MAX_PROBLEMS}")),
]


_BUILT: dict[str, bytes] = {}


def _workbook(label: str, builder: Callable[[bytes], bytes], base: bytes) -> bytes:
    if label not in _BUILT:
        _BUILT[label] = builder(base)
    return _BUILT[label]


def _located(problems, expected) -> list:  # type: ignore[no-untyped-def]
    sheet, row, column, words = expected
    return [
        p
        for p in problems
        if (not sheet or p.sheet == sheet)
        and (row is None or p.row == row)
        and (column is None or p.column == column)
        and words.lower() in (p.message_en + " " + p.message_fr).lower()
    ]


@pytest.mark.parametrize(("label", "builder", "expected"), CATALOGUE, ids=[c[0] for c in CATALOGUE])
def test_hostile_workbook(label, builder, expected, base: bytes, gazetteer, store) -> None:
    data = _workbook(label, builder, base)
    assert len(data) <= 5 * MB, f"{label}: {len(data)} bytes, over the upload cap the test means to pass"
    started = time.monotonic()
    result = check_workbook(data, gazetteer)
    elapsed = time.monotonic() - started
    assert elapsed < TIME_BOUND, f"{label}: {elapsed:.1f} s"
    store.open_cycle("2019-2020", "coord")
    before = store.counts()
    if expected == "accepted":
        assert result.ok, [(p.sheet, p.row, p.column, p.message_en) for p in result.problems]
        stored = submit_workbook(store, data, "2019-2020", "membre", gazetteer, "hostile.xlsx")
        assert store.get(stored.submission_id).content == result.content
        return
    assert not result.ok and result.problems
    assert all(p.message_fr and p.message_en and p.message_fr != p.message_en for p in result.problems)
    assert _located(result.problems, expected), [(p.sheet, p.row, p.column, p.message_en) for p in result.problems]
    with pytest.raises(InvalidWorkbook):
        submit_workbook(store, data, "2019-2020", "membre", gazetteer, "hostile.xlsx")
    assert store.counts() == before


def test_problems_are_capped(base: bytes, gazetteer) -> None:
    data = _workbook("thousands of problems", _many_rows(junk=True), base)
    problems = check_workbook(data, gazetteer).problems
    assert len(problems) == MAX_PROBLEMS + 1
    assert "More than 500" in problems[-1].message_en


def test_stale_dimension_reads_every_row(base: bytes, gazetteer, demo_org) -> None:
    """Item 12: the sheet says it ends at row 4; the 7 client rows below are all read."""
    data = _workbook("stale dimension", _stale_dimension, base)
    assert b'<dimension ref="A1:E4"/>' in _parts(data)[_sheet(data, "Clients")]
    content = check_workbook(data, gazetteer).content
    assert content is not None and len(content.clients) == len(demo_org["clients"]) == 7


def test_formula_text_is_stored_as_typed(base: bytes, gazetteer) -> None:
    content = check_workbook(_workbook("formula in a name", _formula_name, base), gazetteer).content
    assert content is not None and content.services[0].name == '=HYPERLINK("http://x")'


def test_bounds_match_the_store(gazetteer, demo_org, store) -> None:
    """What validate accepts at the limits (300-character address, 200-character names,
    1,000,000 clients, 2,000-character comment) is stored on SQLite and PostgreSQL alike."""
    answers = copy.deepcopy(demo_org)
    answers["name"] = "N" * 200
    answers["sites"][0]["address"] = "a" * 300
    answers["sites"][0]["name"] = "s" * 200
    answers["services"][0]["name"] = "v" * 200
    answers["services"][0]["capacity"] = MAX_COUNT
    answers["clients"][0]["count"] = MAX_COUNT
    answers["clients"][1]["count"] = MAX_COUNT
    answers["needs"][0]["comment"] = "c" * 2000
    answers["needs"][0]["clients"] = MAX_COUNT
    data = answers_to_workbook(answers, gazetteer.municipality_names, "2019-2020")
    result = check_workbook(data, gazetteer)
    assert result.ok, [(p.sheet, p.row, p.column, p.message_en) for p in result.problems]
    store.open_cycle("2019-2020", "coord")
    stored = submit_workbook(store, data, "2019-2020", "membre", gazetteer, "limites.xlsx")
    assert store.get(stored.submission_id).content == result.content
    assert sum(c.count for c in stored.content.clients) >= 2 * MAX_COUNT


def test_online_form_control_characters_and_huge_numbers(gazetteer, demo_org) -> None:
    """The online form cannot put a control character in a workbook: it becomes a located problem, not a crash."""
    answers = copy.deepcopy(demo_org)
    answers["contact_name"] = "Jean\x01Dupont"
    answers["clients"][0]["count"] = 10**30
    data = answers_to_workbook(answers, gazetteer.municipality_names, "2019-2020")
    problems = check_workbook(data, gazetteer).problems
    where = {(p.sheet, p.row, p.column) for p in problems}
    assert ("Organisme", 5, "Personne-ressource") in where
    assert ("Clients", 4, "Nombre de clients") in where


_CHILD = """
import json, resource, sys, time
from pathlib import Path
from cartography.io.template import read_template
out = {}
for path in sys.argv[1:]:
    started = time.monotonic()
    raw = read_template(Path(path))
    out[Path(path).name] = {
        "seconds": time.monotonic() - started,
        "problems": [p.message_en for p in raw.problems],
        "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }
print(json.dumps(out))
"""


def test_issue_bombs_in_a_child_process(base: bytes, tmp_path: Path) -> None:
    """The three bombs of issue 10 at their size (about 0.4 to 0.7 MB uploads decompressing to
    hundreds of MB): each refused in well under a second, the process staying far below 1 GB."""
    bombs = {
        "sst.xlsx": shared_strings_bomb(base, 300),
        "styles.xlsx": styles_bomb(base, 500),
        "blank.xlsx": blank_rows_bomb(base, 200),
    }
    paths = []
    for name, data in bombs.items():
        assert len(data) < 5 * MB
        (tmp_path / name).write_bytes(data)
        paths.append(str(tmp_path / name))
    started = time.monotonic()
    done = subprocess.run(
        [sys.executable, "-c", _CHILD, *paths], capture_output=True, text=True, timeout=120, check=True
    )
    assert time.monotonic() - started < 60
    report = json.loads(done.stdout)
    for name, seen in report.items():
        assert seen["problems"], name
        assert seen["seconds"] < 2, (name, seen)
        assert seen["rss_mb"] < 1024, (name, seen)


def test_time_budget_stops_with_a_located_message(base: bytes) -> None:
    from cartography.io.template import read_template
    from cartography.io.workbook_reader import Limits

    data = _workbook("blank rows under the limits", _under_limit_blank_rows, base)
    started = time.monotonic()
    raw = read_template(data, limits=Limits(time_budget=0.05))
    assert time.monotonic() - started < 2
    assert len(raw.problems) == 1 and "took over 0.05 s" in raw.problems[0].message_en
    assert raw.problems[0].sheet  # where it stopped


def test_an_unexpected_failure_gives_an_error_id_not_a_traceback(base: bytes, monkeypatch, caplog) -> None:
    import cartography.io.template as template

    def broken(*_args, **_kwargs):  # type: ignore[no-untyped-def]
        raise RuntimeError("a defect of the reader")

    monkeypatch.setattr(template, "BoundedWorkbook", broken)
    raw = template.read_template(base)
    assert len(raw.problems) == 1
    error_id = raw.problems[0].value
    assert re.fullmatch(r"[0-9a-f]{8}", error_id) and error_id in raw.problems[0].message_en
    assert "Traceback" not in raw.problems[0].message_fr
    assert error_id in caplog.text and "a defect of the reader" in caplog.text
