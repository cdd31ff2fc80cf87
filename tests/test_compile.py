"""Compiling the demo cycle (invented data) into a GeoPackage and exports, read back."""

from __future__ import annotations

import json
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyogrio
import pytest
import shapely

from cartography.cli import main
from cartography.i18n import UserError
from cartography.io.compile import compile_cycle, write_layers

LAYERS = {
    "service_points",
    "service_areas",
    "clients_by_area",
    "needs_by_area",
    "gaps_region",
    "gaps_csd",
    "gaps_ct",
    "metadata",
}


def test_geopackage_reads_back(compiled_demo, tmp_path: Path) -> None:
    target = tmp_path / "demo.gpkg"
    write_layers(compiled_demo, target)
    names = {name for name, _ in pyogrio.list_layers(target)}
    assert names == LAYERS
    for name in LAYERS - {"metadata"}:
        frame = gpd.read_file(target, layer=name, engine="pyogrio")
        assert frame.crs.to_epsg() == 3347, name
        assert len(frame) > 0, name
        assert shapely.is_valid(frame.geometry.values).all(), name
    meta = pyogrio.read_dataframe(target, layer="metadata", read_geometry=False)
    values = dict(zip(meta["key"], meta["value"], strict=True))
    assert values["cycle"] == "2019-2020"
    assert "Statistique Canada" in values["attribution_fr"]
    assert json.loads(values["method"])["radius_m"] == 30_000
    assert "fictives" in values["label"]


def test_levels_and_categories(compiled_demo, geography) -> None:
    gaps = compiled_demo.layers
    assert set(gaps["gaps_region"]["area_id"]) == {"london", "middlesex", "elgin", "oxford"}
    assert gaps["gaps_csd"]["area_id"].nunique() == 28
    assert gaps["gaps_ct"]["area_id"].nunique() == len(geography.census_tracts)
    region_all = gaps["gaps_region"].query("category == 'all'").set_index("area_id")
    # Demand per region is the 2021 population (Statistics Canada).
    assert region_all.loc["london", "demand"] == pytest.approx(422_324)
    assert region_all["demand"].sum() == pytest.approx(717_096)
    csd_all = gaps["gaps_csd"].query("category == 'all'").set_index("area_id")
    # Real contrasts in the demo: rural municipalities with no in-person French service nearby.
    assert (csd_all["gap_class"] != "covered").sum() >= 5
    assert csd_all.loc["3539036", "services_in"] >= 10
    assert set(csd_all["gap_class"]) <= {"no_service", "far", "low_capacity", "unmet_need", "covered"}


def test_only_french_in_person_points_count_as_supply(compiled_demo) -> None:
    points = compiled_demo.layers["service_points"]
    interp = points[points["language"] == "fr_interpretation"]
    assert len(interp) >= 1 and not interp["french"].any()
    csd = compiled_demo.layers["gaps_csd"].query("category == 'all'").set_index("area_id")
    french_in_person = points[points["french"] & (points["mode"] == "in_person")]
    assert csd["services_in"].sum() == len(french_in_person)


def test_public_counts_are_protected(compiled_demo) -> None:
    clients = compiled_demo.layers["clients_by_area"]
    published = clients["clients_published"].dropna()
    assert (published % 5 == 0).all()
    # Central Elgin: 2 temporary workers in the demo (one member only): suppressed, not shown.
    cell = clients[(clients["csd"] == "3534020") & (clients["profile"] == "temporary_worker")]
    assert cell["clients_published"].isna().all()
    totals = clients[clients["profile"] == "all"].set_index("csd")["clients_published"]
    cells = clients[clients["profile"] != "all"].groupby("csd")["clients_published"].sum()
    pd.testing.assert_series_equal(totals.sort_index().astype(int), cells.sort_index().astype(int), check_names=False)
    assert "count" not in clients.columns


def test_missing_members_are_named(demo_store_copy, geography) -> None:
    demo_store = demo_store_copy
    demo_store.register_organisation("nouveau", "Organisme sans soumission", "community", "coord")
    compiled = compile_cycle(demo_store, geography, "2019-2020")
    assert [m["org_id"] for m in compiled.missing] == ["nouveau"]
    assert compiled.metadata["organisations_missing"] == ["nouveau"]


def test_unknown_or_empty_cycle(demo_store, geography) -> None:
    with pytest.raises(UserError):
        compile_cycle(demo_store, geography, "2030-2031")


@pytest.mark.parametrize("fmt", ["csv", "geojson", "xlsx"])
def test_exports(compiled_demo, tmp_path: Path, fmt: str) -> None:
    target = tmp_path / ("out.xlsx" if fmt == "xlsx" else "out")
    files = write_layers(compiled_demo, target, fmt)
    if fmt == "xlsx":
        sheets = pd.read_excel(target, sheet_name=None)
        assert set(sheets) == LAYERS
        assert len(sheets["gaps_csd"]) == len(compiled_demo.layers["gaps_csd"])
    elif fmt == "csv":
        assert {f.stem for f in files} == LAYERS
        assert len(pd.read_csv(target / "gaps_ct.csv")) == len(compiled_demo.layers["gaps_ct"])
    else:
        frame = gpd.read_file(target / "gaps_csd.geojson")
        assert frame.crs.to_epsg() == 4326 and len(frame) == len(compiled_demo.layers["gaps_csd"])


def test_cli_compile(demo_store, monkeypatch, tmp_path: Path, capsys) -> None:
    monkeypatch.setenv("CARTO_DATABASE_URL", demo_store.url)
    assert main(["compile", "--cycle", "2019-2020", "-o", str(tmp_path / "x.gpkg")]) == 0
    out = capsys.readouterr().out
    assert "compilé" in out and "fictives" in out
    assert main(["compile", "--cycle", "1999-2000", "-o", str(tmp_path / "y.gpkg")]) == 1
