"""Census Profile import on small files written here in Statistics Canada's layout.

Source of the layout: the 2021 Census Profile comprehensive download (98-401-X2021006 for
CDs, CSDs and dissemination areas; 98-401-X2021007 for census tracts), as its
``README_meta.txt`` lists the data file's columns (``CENSUS_YEAR, DGUID, ALT_GEO_CODE, ...,
C1_COUNT_TOTAL, SYMBOL, C2_COUNT_MEN+, SYMBOL, ...``, ``SYMBOL`` six times), with
characteristic names indented by spaces under "Total - ..." headings and geographies
identified by DGUID (CSD ``2021A0005`` + CSDUID, CT ``2021S0507`` + CTUID, DA ``2021S0512`` +
DAUID). The zip holds the data CSV(s) beside ``*_meta.txt``, ``Geo_starting_row_*.CSV`` and
``README_meta.txt``. The numbers are invented for the tests.
"""

from __future__ import annotations

import csv
import io
import math
import zipfile
from pathlib import Path

import pandas as pd
import pytest

from cartography.cli import main
from cartography.errors import UserError
from cartography.io.census import (
    classify_dguid,
    demand_file,
    detect_encoding,
    import_census_profile,
    load_demand,
    parse_census_profile,
    parse_value,
)

COLUMNS = [
    "CENSUS_YEAR",
    "DGUID",
    "ALT_GEO_CODE",
    "GEO_LEVEL",
    "GEO_NAME",
    "TNR_SF",
    "TNR_LF",
    "DATA_QUALITY_FLAG",
    "CHARACTERISTIC_ID",
    "CHARACTERISTIC_NAME",
    "CHARACTERISTIC_NOTE",
    "C1_COUNT_TOTAL",
    "SYMBOL",
    "C2_COUNT_MEN+",
    "SYMBOL",
    "C3_COUNT_WOMEN+",
    "SYMBOL",
    "C10_RATE_TOTAL",
    "SYMBOL",
    "C11_RATE_MEN+",
    "SYMBOL",
    "C12_RATE_WOMEN+",
    "SYMBOL",
]


def geography(
    dguid: str,
    code: str,
    level: str,
    name: str,
    *,
    fols_fr: object,
    mt_fr: object,
    home_fr: object = 7,
    immigrants: object = 100,
    recent: object = 10,
    symbol: str = "",
) -> list[list[str]]:
    """All rows of one geography, in the profile's order and indentation (a short extract).

    ``symbol`` goes in the SYMBOL column of C1 for the FOLS French row; values may be a
    number or a symbol standing for it. The men+ and women+ SYMBOL columns carry "x" on the
    FOLS French row: only the SYMBOL right after C1_COUNT_TOTAL may count.
    """

    def row(cid: int, characteristic: str, value: object, sym: str = "", other_sym: str = "") -> list[str]:
        return [
            "2021",
            dguid,
            code,
            level,
            name,
            "3.1",
            "4.2",
            "00000",
            str(cid),
            characteristic,
            "",
            str(value),
            sym,
            "",
            other_sym,
            "",
            other_sym,
            "",
            "...",
            "",
            "...",
            "",
            "...",
        ]

    return [
        row(1, "Population, 2021", 1000),
        row(8, "Total - Age groups of the population - 100% data", 1000),
        row(9, "  0 to 14 years", 150),
        row(
            383,
            "Total - Knowledge of official languages for the total population excluding "
            "institutional residents - 100% data",
            990,
        ),
        row(384, "  English only", 900),
        row(385, "  French only", 0),
        row(386, "  English and French", 80),
        row(387, "  Neither English nor French", 10),
        row(
            388,
            "Total - First official language spoken for the total population excluding "
            "institutional residents - 100% data",
            990,
        ),
        row(389, "  English", 900),
        row(390, "  French", fols_fr, symbol, "x"),
        row(391, "  English and French", 15),
        row(392, "  Neither English nor French", 5),
        row(397, "Total - Mother tongue for the total population excluding institutional residents - 100% data", 990),
        row(398, "  Single responses", 980),
        row(399, "    Official languages", 960),
        row(400, "      English", 800),
        row(401, "      French", mt_fr),
        row(402, "    Non-official languages", 20),
        row(403, "      Indigenous languages", 1),
        row(404, "        Algonquian languages", 1),
        row(405, "          Cree-Montagnais languages", 1),
        row(406, "            Innu (Montagnais)", 0),
        row(700, "  Multiple responses", 10),
        row(701, "    English and French", 3),
        row(
            800,
            "Total - Language spoken most often at home for the total population excluding "
            "institutional residents - 100% data",
            990,
        ),
        row(801, "  Single responses", 980),
        row(802, "    Official languages", 960),
        row(803, "      English", 900),
        row(804, "      French", home_fr),
        row(1402, "Total - Indigenous identity for the population in private households - 25% sample data", 980),
        row(1405, "      Métis", 3),
        row(
            1527,
            "Total - Immigrant status and period of immigration for the population in private "
            "households - 25% sample data",
            980,
        ),
        row(1528, "  Non-immigrants", 700),
        row(1529, "  Immigrants", immigrants),
        row(1530, "    Before 1980", 20),
        row(1535, "    2011 to 2021", 30),
        row(1536, "      2011 to 2015", 20),
        row(1537, "      2016 to 2021", recent),
        row(1538, "  Non-permanent residents", 5),
    ]


def profile_rows() -> list[list[str]]:
    """Canada, a CD, three region CSDs and one outside, two London tracts and one of Toronto,
    two region DAs (one suppressed) and one outside, in the file's hierarchical order."""
    return (
        geography("2021A000011124", "1", "Country", "Canada", fols_fr=7_000_000, mt_fr=7_200_000)
        + geography("2021A00033539", "3539", "Census division", "Middlesex", fols_fr=9_000, mt_fr=9_500)
        + geography(
            "2021A00053539036",
            "3539036",
            "Census subdivision",
            "London (CY)",
            fols_fr=5000,
            mt_fr=6200,
            home_fr=1500,
            immigrants=90000,
            recent=20000,
        )
        + geography(
            "2021A00053534021",
            "3534021",
            "Census subdivision",
            "St. Thomas (CY)",
            fols_fr=310,
            mt_fr=420,
            immigrants=3000,
            recent=40,
        )
        + geography(
            "2021A00053532042", "3532042", "Census subdivision", "Woodstock (CY)", fols_fr="", mt_fr=250, symbol="x"
        )
        + geography("2021A00053506008", "3506008", "Census subdivision", "Ottawa (CV)", fols_fr=150000, mt_fr=140000)
        + geography("2021S05075550001.02", "5550001.02", "Census tract", "0001.02", fols_fr=41, mt_fr=52)
        + geography("2021S05075550120.00", "5550120.00", "Census tract", "0120.00", fols_fr=0, mt_fr="", symbol="F")
        + geography("2021S05075350001.00", "5350001.00", "Census tract", "0001.00", fols_fr=999, mt_fr=999)
        + geography("2021S051235390001", "35390001", "Dissemination area", "35390001", fols_fr=12, mt_fr=15)
        + geography(
            "2021S051235340101",
            "35340101",
            "Dissemination area",
            "35340101 – Île Élgin",
            fols_fr="",
            mt_fr="",
            symbol="..",
        )
        + geography("2021S051235060001", "35060001", "Dissemination area", "35060001", fols_fr=500, mt_fr=500)
    )


def csv_bytes(rows: list[list[str]], encoding: str = "cp1252", delimiter: str = ",") -> bytes:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    writer.writerows(rows)
    return buffer.getvalue().encode(encoding)


def write_profile(path: Path, encoding: str = "cp1252", rows: list[list[str]] | None = None) -> Path:
    path.write_bytes(csv_bytes(profile_rows() if rows is None else rows, encoding))
    return path


def write_zip(path: Path, parts: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return path


def official_zip(path: Path, data_files: dict[str, list[list[str]]]) -> Path:
    """A zip like the comprehensive download: data CSV(s), metadata, starting rows, readme."""
    parts = {
        "98-401-X2021006_English_meta.txt": "Census Profile, 2021 Census of Population\r\nFootnotes: ...\r\n".encode(
            "cp1252"
        ),
        "README_meta.txt": b"This zipped file contains the following files:\r\n",
        "98-401-X2021006_Geo_starting_row_Ontario.CSV": b"Geo Code,Geo Name,Line Number\r\n3539036,London,1\r\n",
    }
    parts.update({name: csv_bytes(rows) for name, rows in data_files.items()})
    return write_zip(path, parts)


def values(frame: pd.DataFrame) -> dict[tuple[str, str, str], float]:
    return {(r.level, r.geo_id, r.characteristic): r.value for r in frame.itertuples()}


# -- parsing ----------------------------------------------------------------------------------


def test_keeps_the_region_at_every_level_and_qualifies_by_heading(tmp_path: Path) -> None:
    got = values(parse_census_profile(write_profile(tmp_path / "profile.csv")).frame)
    # French as first official language, as mother tongue, as home language: three sections
    assert got[("csd", "3539036", "fols_french")] == 5000
    assert got[("csd", "3539036", "mother_tongue_french")] == 6200
    assert got[("csd", "3539036", "fols_english_french")] == 15
    assert got[("csd", "3539036", "knowledge_english_french")] == 80
    assert got[("csd", "3534021", "immigrants")] == 3000
    assert got[("csd", "3534021", "recent_immigrants")] == 40
    # tracts keep their CTUID with the decimal point; DAs their 8-digit DAUID
    assert got[("ct", "5550001.02", "fols_french")] == 41
    assert got[("ct", "5550001.02", "mother_tongue_french")] == 52
    assert got[("da", "35390001", "fols_french")] == 12
    places = {(level, geo) for level, geo, _ in got}
    assert places == {
        ("csd", "3539036"),
        ("csd", "3534021"),
        ("csd", "3532042"),
        ("ct", "5550001.02"),
        ("ct", "5550120.00"),
        ("da", "35390001"),
        ("da", "35340101"),
    }  # not Canada, the CD, Ottawa, a Toronto tract or an Ottawa DA
    assert len(got) == 7 * 6


def test_symbols_are_missing_values_never_zero(tmp_path: Path) -> None:
    got = values(parse_census_profile(write_profile(tmp_path / "profile.csv")).frame)
    assert math.isnan(got[("csd", "3532042", "fols_french")])  # "x" in SYMBOL, empty count
    assert math.isnan(got[("ct", "5550120.00", "fols_french")])  # "F" beside a 0
    assert math.isnan(got[("ct", "5550120.00", "mother_tongue_french")])  # empty count
    assert math.isnan(got[("da", "35340101", "fols_french")])  # ".."
    assert got[("csd", "3532042", "mother_tongue_french")] == 250
    # "x" in the men+ and women+ SYMBOL columns does not touch the total
    assert got[("csd", "3539036", "fols_french")] == 5000


@pytest.mark.parametrize(
    ("count", "symbol", "expected"),
    [
        ("1234", "", 1234.0),
        ("1,234", "", 1234.0),
        ("12.5", "E", 12.5),
        ("", "x", None),
        ("0", "F", None),
        ("..", "", None),
        ("...", "", None),
        ("x", "", None),
        ("-3", "", None),
        ("abc", "", None),
        ("0", "", 0.0),
    ],
)
def test_parse_value(count: str, symbol: str, expected: float | None) -> None:
    value = parse_value(count, symbol)
    assert math.isnan(value) if expected is None else value == expected


@pytest.mark.parametrize(
    ("dguid", "expected"),
    [
        ("2021A00053539036", ("csd", "3539036")),
        ("2021A00053506008", None),
        ("2021S05075550001.02", ("ct", "5550001.02")),
        ("2021S05075550001_02", ("ct", "5550001.02")),
        ("2021S05075350001.00", None),
        ("2021S051235320001", ("da", "35320001")),
        ("2021S051235060001", None),
        ("2021A00033539", None),
        ("2021S0503555", None),
    ],
)
def test_classify_dguid(dguid: str, expected: tuple[str, str] | None) -> None:
    assert classify_dguid(dguid) == expected


@pytest.mark.parametrize(
    ("encoding", "name"),
    [("cp1252", "Windows-1252"), ("utf-8-sig", "UTF-8 (BOM)"), ("utf-8", "UTF-8"), ("utf-16", "UTF-16")],
)
def test_encodings(tmp_path: Path, encoding: str, name: str) -> None:
    result = parse_census_profile(write_profile(tmp_path / "p.csv", encoding))
    assert result.encodings == (name,)
    assert values(result.frame)[("csd", "3539036", "fols_french")] == 5000


def test_bytes_neither_utf8_nor_cp1252_do_not_crash(tmp_path: Path) -> None:
    """Issue 10 item 8: 0x81 and 0x9D are undefined in cp1252 and invalid in UTF-8; the old
    reader ended with UnboundLocalError."""
    data = csv_bytes(profile_rows()).replace("Île Élgin".encode("cp1252"), b"\x81le \x9dlgin")
    assert b"\x81" in data
    path = tmp_path / "odd.csv"
    path.write_bytes(data)
    result = parse_census_profile(path)
    assert result.encodings == ("Windows-1252",)
    assert len(result.frame) == 7 * 6


def test_detect_encoding_utf8_first() -> None:
    assert detect_encoding("Métis".encode()) == "utf-8"
    assert detect_encoding("Métis".encode()[:2]) == "utf-8"  # cut inside "é"
    assert detect_encoding("Métis".encode("cp1252")) == "cp1252"
    assert detect_encoding(b"\xef\xbb\xbfCENSUS_YEAR") == "utf-8-sig"


def test_zip_as_distributed_picks_the_data_files_by_header(tmp_path: Path) -> None:
    rows = profile_rows()
    half = len(rows) // 2
    split = len(geography("x", "", "", "", fols_fr=0, mt_fr=0))
    half -= half % split  # geographies never straddle two files
    archive = official_zip(
        tmp_path / "98-401-X2021006_eng_CSV.zip",
        {
            "98-401-X2021006_English_CSV_data_Ontario.csv": rows[:half],
            "98-401-X2021006_English_CSV_data_Ontario2.csv": rows[half:],
        },
    )
    result = parse_census_profile(archive)
    assert result.files == (
        "98-401-X2021006_English_CSV_data_Ontario.csv",
        "98-401-X2021006_English_CSV_data_Ontario2.csv",
    )
    pd.testing.assert_frame_equal(result.frame, parse_census_profile(write_profile(tmp_path / "p.csv")).frame)


@pytest.mark.parametrize("chunk", [64, 1000, 4096, 100_000])
def test_chunk_boundaries_do_not_change_the_result(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, chunk: int) -> None:
    path = write_profile(tmp_path / "p.csv")
    expected = parse_census_profile(path)
    monkeypatch.setattr("cartography.io.census._CHUNK", chunk)
    got = parse_census_profile(path)
    pd.testing.assert_frame_equal(got.frame, expected.frame)
    assert got.rows_read == expected.rows_read == len(profile_rows())


def test_a_geography_split_in_two_runs_is_not_skipped_over(tmp_path: Path) -> None:
    """Rows outside the region are skipped by one search per block; a block that comes back
    after a region geography must not make the search jump over that region geography."""
    ottawa = geography("2021A00053506008", "3506008", "Census subdivision", "Ottawa", fols_fr=1, mt_fr=1)
    london = geography("2021A00053539036", "3539036", "Census subdivision", "London", fols_fr=5000, mt_fr=6200)
    rows = ottawa[:20] + london + ottawa[20:]
    got = values(parse_census_profile(write_profile(tmp_path / "p.csv", rows=rows)).frame)
    assert got[("csd", "3539036", "fols_french")] == 5000


def test_tab_delimited_download(tmp_path: Path) -> None:
    path = tmp_path / "p.tab"
    path.write_bytes(csv_bytes(profile_rows(), delimiter="\t"))
    assert values(parse_census_profile(path).frame)[("da", "35390001", "fols_french")] == 12


def test_no_indentation_falls_back_to_the_total_heading(tmp_path: Path) -> None:
    rows = [[*r[:9], r[9].strip(), *r[10:]] for r in profile_rows()]
    got = values(parse_census_profile(write_profile(tmp_path / "flat.csv", rows=rows)).frame)
    assert got[("csd", "3539036", "fols_french")] == 5000
    assert got[("csd", "3539036", "mother_tongue_french")] == 6200


def test_progress_reports_bytes_up_to_the_total(tmp_path: Path) -> None:
    path = write_profile(tmp_path / "p.csv")
    calls: list[tuple[int, int]] = []
    parse_census_profile(path, progress=lambda done, total: calls.append((done, total)))
    assert calls[-1] == (path.stat().st_size, path.stat().st_size)
    assert [d for d, _ in calls] == sorted(d for d, _ in calls)


def test_terminal_progress_bar_redraws_in_place_on_a_terminal() -> None:
    from cartography.io.census import TerminalProgress

    class Tty(io.StringIO):
        def isatty(self) -> bool:
            return True

    stream = Tty()
    bar = TerminalProgress(stream, width=10)
    bar(250_000_000, 1_000_000_000)
    bar(1_000_000_000, 1_000_000_000)
    out = stream.getvalue()
    assert out.startswith("\rLecture du recensement / Reading the census [##--------]  25% 250 / 1 000 Mo-MB")
    assert out.endswith("[##########] 100% 1 000 / 1 000 Mo-MB\n")


# -- import, merge, contract ------------------------------------------------------------------


def test_cli_import_prints_what_it_kept_then_demand(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["census", "import", str(write_profile(tmp_path / "p.csv", "utf-8-sig"))]) == 0
    captured = capsys.readouterr()
    assert "Importé\u00a0: 42 valeur(s) pour 7 lieu(x)" in captured.out
    assert "Imported: 42 value(s) for 7 place(s)" in captured.out
    assert (
        "Gardé — secteurs de recensement (SR), Première langue officielle parlée : français\u00a0: 2 lieu(x), "
        "dont 1 sans valeur publiée" in captured.out
    )
    assert "Kept — dissemination areas (DA), Mother tongue: French: 2 place(s), 1 of them" in captured.out
    assert "100%" in captured.err  # the progress bar goes to stderr
    demand = load_demand("fols_french")
    assert list(demand.columns) == ["level", "geo_id", "value"]
    assert demand["value"].dtype == float
    assert [(r.level, r.geo_id) for r in demand.itertuples()] == [
        ("csd", "3532042"),
        ("csd", "3534021"),
        ("csd", "3539036"),
        ("ct", "5550001.02"),
        ("ct", "5550120.00"),
        ("da", "35340101"),
        ("da", "35390001"),
    ]
    by_id = demand.set_index("geo_id")["value"]
    assert by_id["3539036"] == 5000 and by_id["5550001.02"] == 41 and math.isnan(by_id["3532042"])


def test_imports_merge_by_level_place_and_characteristic(tmp_path: Path) -> None:
    rows = profile_rows()
    csd_only = [r for r in rows if r[3] == "Census subdivision"]
    import_census_profile(write_profile(tmp_path / "csd.csv", rows=csd_only))
    assert set(load_demand("fols_french")["level"]) == {"csd"}
    tracts = geography("2021S05075550001.02", "5550001.02", "Census tract", "0001.02", fols_fr=43, mt_fr=50)
    import_census_profile(write_profile(tmp_path / "ct.csv", rows=tracts))
    demand = load_demand("fols_french").set_index(["level", "geo_id"])["value"]
    assert demand[("csd", "3539036")] == 5000  # kept from the first import
    assert demand[("ct", "5550001.02")] == 43
    assert len(demand) == 4
    tracts = geography("2021S05075550001.02", "5550001.02", "Census tract", "0001.02", fols_fr=44, mt_fr=50)
    import_census_profile(write_profile(tmp_path / "ct2.csv", rows=tracts))
    demand = load_demand("fols_french").set_index(["level", "geo_id"])["value"]
    assert demand[("ct", "5550001.02")] == 44 and len(demand) == 4  # replaced, not duplicated


def test_first_layout_of_the_demand_file_is_read_and_migrated(tmp_path: Path) -> None:
    target = demand_file()
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text("CSDUID,characteristic,value\n3539036,fols_french,4900\n3532042,immigrants,800\n")
    assert load_demand("fols_french").to_dict("records") == [{"level": "csd", "geo_id": "3539036", "value": 4900.0}]
    tracts = geography("2021S05075550001.02", "5550001.02", "Census tract", "0001.02", fols_fr=43, mt_fr=50)
    import_census_profile(write_profile(tmp_path / "ct.csv", rows=tracts))
    assert pd.read_csv(target).columns.tolist() == ["level", "geo_id", "characteristic", "value"]
    assert load_demand("immigrants").to_dict("records")[0] == {"level": "csd", "geo_id": "3532042", "value": 800.0}
    assert len(load_demand("fols_french")) == 2


# -- bad files: a clear error, the previous import untouched -------------------------------------


def _cut_mid_row(data: bytes) -> bytes:
    return data[: data.rindex(b"\r\n", 0, len(data) // 2) + 40]


def _cut_between_rows(data: bytes) -> bytes:
    return data[: data.rindex(b"\r\n", 0, len(data) - 2000) + 2]


BAD_FILES = {
    "wrong columns": ("bad.csv", lambda: b"a,b\n1,2\n", "census.error.columns"),
    "empty": ("empty.csv", lambda: b"", "census.error.columns"),
    "random bytes": ("noise.csv", lambda: bytes(range(256)) * 64, "census.error.columns"),
    "csv cut mid-row": ("cut.csv", lambda: _cut_mid_row(csv_bytes(profile_rows())), "census.error.truncated"),
    "csv cut between rows": (
        "cut2.csv",
        lambda: _cut_between_rows(csv_bytes(profile_rows())),
        "census.error.truncated",
    ),
    "zip cut": ("cut.zip", lambda: _zip_bytes()[: len(_zip_bytes()) // 2], "census.error.zip_damaged"),
    "zip without data": ("meta.zip", lambda: _zip_bytes(data=False), "census.error.no_data_file"),
    "zip with a corrupt member": ("crc.zip", lambda: _corrupt_zip(), "census.error.damaged"),
    "zip compressed with an unsupported method": ("d64.zip", lambda: _deflate64_zip(), "census.error.zip_method"),
    "profile of another region": (
        "ottawa.csv",
        lambda: csv_bytes(geography("2021A00053506008", "3506008", "Census subdivision", "Ottawa", fols_fr=1, mt_fr=1)),
        "census.error.nothing",
    ),
    "a region row with missing columns": ("short.csv", lambda: csv_bytes(_short_row()), "census.error.malformed"),
}


def _short_row() -> list[list[str]]:
    """London's "French only" row cut after its count (12 columns of 23)."""
    rows = profile_rows()
    at = next(i for i, r in enumerate(rows) if r[1] == "2021A00053539036" and r[8] == "385")
    rows[at] = rows[at][:12]
    return rows


def _zip_bytes(data: bool = True) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("README_meta.txt", b"This zipped file contains the following files:\r\n" * 50)
        if data:
            archive.writestr("98-401-X2021006_English_CSV_data_Ontario.csv", csv_bytes(profile_rows()))
    return buffer.getvalue()


def _deflate64_zip() -> bytes:
    """A zip whose member says it is Deflate64 (method 9), which Python's zipfile cannot read."""
    data = bytearray(_zip_bytes())
    for signature, offset in ((b"PK\x03\x04", 8), (b"PK\x01\x02", 10)):
        at = data.find(signature)
        while at >= 0:
            data[at + offset : at + offset + 2] = (9).to_bytes(2, "little")
            at = data.find(signature, at + 4)
    return bytes(data)


def _corrupt_zip() -> bytes:
    """A stored (uncompressed) member whose bytes were altered: the CRC check fails at the end."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_STORED) as archive:
        archive.writestr("data.csv", csv_bytes(profile_rows()))
    data = bytearray(buffer.getvalue())
    at = data.index(b"Immigrants,,100")
    data[at : at + 10] = b"Emigrants "
    return bytes(data)


@pytest.mark.parametrize("case", list(BAD_FILES))
def test_bad_files_give_a_clear_error_and_keep_the_previous_import(
    tmp_path: Path, case: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["census", "import", "--quiet", str(write_profile(tmp_path / "good.csv"))]) == 0
    before = demand_file().read_bytes()
    name, make, key = BAD_FILES[case]
    bad = tmp_path / name
    bad.write_bytes(make())
    with pytest.raises(UserError) as info:
        import_census_profile(bad)
    assert info.value.key == key
    capsys.readouterr()
    assert main(["census", "import", "--quiet", str(bad)]) == 1
    err = capsys.readouterr().err
    assert "[EN]" in err and "Traceback" not in err
    assert demand_file().read_bytes() == before
    assert sorted(p.name for p in demand_file().parent.iterdir()) == ["demand_2021.csv"]  # no temp file left


def test_missing_file_and_unknown_demand(tmp_path: Path) -> None:
    with pytest.raises(UserError) as info:
        parse_census_profile(tmp_path / "absent.csv")
    assert info.value.key == "census.error.unreadable"
    with pytest.raises(UserError):
        load_demand("fols_french")  # nothing imported in this test's data folder
    with pytest.raises(UserError):
        load_demand("shoe_size")


# -- compile -----------------------------------------------------------------------------------


def test_compile_gives_each_tract_its_imported_count(tmp_path: Path, shared_geo: Path, demo_store, monkeypatch) -> None:
    """Done-when of issue 9: a profile with tract rows, imported then compiled with --demand,
    gives each tract exactly its imported count."""
    import pyogrio

    tract_ids = pd.read_csv(shared_geo / "census_2021_ct.csv", dtype=str)
    rows: list[list[str]] = []
    expected = {}
    for i, ctuid in enumerate(tract_ids["CTUID"]):
        expected[ctuid] = 10 + i
        rows += geography(f"2021S0507{ctuid}", ctuid, "Census tract", ctuid, fols_fr=10 + i, mt_fr=1)
    assert main(["census", "import", "--quiet", str(write_profile(tmp_path / "ct.csv", rows=rows))]) == 0
    monkeypatch.setenv("CARTO_DATABASE_URL", demo_store.url)
    target = tmp_path / "fr.gpkg"
    assert main(["compile", "--cycle", "2019-2020", "-o", str(target), "--demand", "fols_french"]) == 0
    gaps = pyogrio.read_dataframe(target, layer="gaps_ct", read_geometry=False)
    demand = gaps[gaps["category"] == "all"].set_index("area_id")["demand"]
    assert {k: float(v) for k, v in demand.items()} == {k: float(v) for k, v in expected.items()}
    assert set(gaps["demand_source"]) == {"census_ct"}
    meta = pyogrio.read_dataframe(target, layer="metadata", read_geometry=False)
    assert dict(zip(meta["key"], meta["value"], strict=True))["demand"] == "fols_french"
