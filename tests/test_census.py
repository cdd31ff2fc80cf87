"""Census Profile import on a small file written here in Statistics Canada's 2021 Census
Profile CSV layout (columns and heading structure of 98-401-X2021006; the numbers are
invented for the test)."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from cartography.cli import main
from cartography.i18n import UserError
from cartography.io.census import load_demand, parse_census_profile

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
]


def _rows(dguid: str, code: str, name: str, fr_fols: int, fr_mt: int, immigrants: int) -> list[list[str]]:
    def row(cid: int, characteristic: str, value: int | str) -> list[str]:
        return [
            "2021",
            dguid,
            code,
            "Census subdivision",
            name,
            "3.1",
            "4.2",
            "0",
            str(cid),
            characteristic,
            "",
            str(value),
            "",
            "",
            "",
            "",
            "",
        ]

    return [
        row(1, "Population, 2021", 1000),
        row(383, "Total - Mother tongue for the total population excluding institutional residents", 990),
        row(386, "      English", 800),
        row(387, "      French", fr_mt),
        row(
            1525,
            "Total - First official language spoken for the total population excluding institutional "
            "residents - 100% data",
            990,
        ),
        row(1526, "  English", 900),
        row(1527, "  French", fr_fols),
        row(1528, "  English and French", 10),
        row(1529, "  Neither English nor French", 5),
        row(
            1527 + 1000,
            "Total - Immigrant status and period of immigration for the population in private "
            "households - 25% sample data",
            980,
        ),
        row(1528 + 1000, "  Non-immigrants", 700),
        row(1529 + 1000, "  Immigrants", immigrants),
        row(1536 + 1000, "    2016 to 2021", 40),
    ]


def write_profile(path: Path, encoding: str = "cp1252") -> Path:
    rows = (
        _rows("2021A00053539036", "3539036", "London", 5000, 6200, 90000)
        + _rows("2021A00053534021", "3534021", "St. Thomas", 310, 420, 3000)
        + _rows("2021A00053506008", "3506008", "Ottawa", 150000, 140000, 250000)
    )
    with path.open("w", newline="", encoding=encoding) as handle:
        writer = csv.writer(handle)
        writer.writerow(COLUMNS)
        writer.writerows(rows)
    return path


def test_parse_keeps_the_region_and_qualifies_by_heading(tmp_path: Path) -> None:
    frame = parse_census_profile(write_profile(tmp_path / "profile.csv"))
    values = {(r.CSDUID, r.characteristic): r.value for r in frame.itertuples()}
    assert values[("3539036", "fols_french")] == 5000
    assert values[("3539036", "mother_tongue_french")] == 6200
    assert values[("3534021", "immigrants")] == 3000
    assert values[("3534021", "recent_immigrants")] == 40
    assert values[("3539036", "fols_english_french")] == 10
    assert not any(c == "3506008" for c, _ in values)  # Ottawa is outside the region


def test_cli_import_then_demand(tmp_path: Path, capsys) -> None:
    assert main(["census", "import", str(write_profile(tmp_path / "p.csv", "utf-8-sig"))]) == 0
    assert "Importé" in capsys.readouterr().out
    demand = load_demand("fols_french")
    assert demand.to_dict() == {"3539036": 5000, "3534021": 310}


def test_bad_files(tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("a,b\n1,2\n", encoding="utf-8")
    with pytest.raises(UserError) as info:
        parse_census_profile(bad)
    assert "colonnes" in info.value.message("fr")
    with pytest.raises(UserError):
        load_demand("fols_french")  # nothing imported in this test's data folder
    with pytest.raises(UserError):
        load_demand("shoe_size")


def test_compile_with_imported_demand(tmp_path: Path, demo_store, monkeypatch, capsys) -> None:
    import pyogrio

    assert main(["census", "import", str(write_profile(tmp_path / "p.csv"))]) == 0
    monkeypatch.setenv("CARTO_DATABASE_URL", demo_store.url)
    target = tmp_path / "fr.gpkg"
    assert main(["compile", "--cycle", "2019-2020", "-o", str(target), "--demand", "fols_french"]) == 0
    gaps = pyogrio.read_dataframe(target, layer="gaps_region", read_geometry=False)
    demand = gaps[gaps["category"] == "all"].set_index("area_id")["demand"]
    assert demand["london"] == 5000 and demand["elgin"] == 310 and demand["oxford"] == 0
    meta = pyogrio.read_dataframe(target, layer="metadata", read_geometry=False)
    assert dict(zip(meta["key"], meta["value"], strict=True))["demand"] == "fols_french"
