"""Compiling the demo cycle (invented data) into a GeoPackage and exports, read back."""

from __future__ import annotations

import json
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import pytest
import shapely

from cartography.cli import main
from cartography.errors import UserError
from cartography.io.exports import write_layers
from cartography.services.compile import compile_cycle

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
# The GeoPackage holds each level's areas once and the per-category indicators in tables.
GPKG_LAYERS = LAYERS | {"gaps_region_categories", "gaps_csd_categories", "gaps_ct_categories", "layer_styles"}


def test_geopackage_reads_back(compiled_demo, tmp_path: Path) -> None:
    target = tmp_path / "demo.gpkg"
    write_layers(compiled_demo, target)
    names = {name for name, _ in pyogrio.list_layers(target)}
    assert names == GPKG_LAYERS
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
    shown = totals.notna()
    pd.testing.assert_series_equal(
        totals[shown].sort_index().astype(int), cells[shown.index[shown]].sort_index().astype(int), check_names=False
    )
    # A total made only of suppressed cells is suppressed too, never a published 0.
    assert (cells[shown.index[~shown]] == 0).all()
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
    import zipfile

    target = tmp_path / f"out.{fmt}"
    (written,) = write_layers(compiled_demo, target, fmt)
    if fmt == "xlsx":
        sheets = pd.read_excel(target, sheet_name=None)
        assert set(sheets) == LAYERS
        assert len(sheets["gaps_csd"]) == len(compiled_demo.layers["gaps_csd"])
        return
    # Several tables: one zip named after the file asked for, never a folder.
    assert written == tmp_path / f"out-{fmt}.zip" and written.is_file()
    zipfile.ZipFile(written).extractall(tmp_path / "x")
    if fmt == "csv":
        assert {f.stem for f in (tmp_path / "x").glob("*.csv")} == LAYERS
        frame = pd.read_csv(tmp_path / "x" / "gaps_ct.csv", encoding="utf-8-sig")
        assert len(frame) == len(compiled_demo.layers["gaps_ct"])
    else:
        frame = gpd.read_file(tmp_path / "x" / "gaps_csd.geojson")
        assert frame.crs.to_epsg() == 4326 and len(frame) == compiled_demo.layers["gaps_csd"]["area_id"].nunique()


def test_cli_compile(demo_store, monkeypatch, tmp_path: Path, capsys) -> None:
    monkeypatch.setenv("CARTO_DATABASE_URL", demo_store.url)
    assert main(["compile", "--cycle", "2019-2020", "-o", str(tmp_path / "x.gpkg")]) == 0
    out = capsys.readouterr().out
    assert "compilé" in out and "fictives" in out
    assert main(["compile", "--cycle", "1999-2000", "-o", str(tmp_path / "y.gpkg")]) == 1


# -- demand at the finest level, distances on the ground (issue 9) -------------------------

SHARED_CT = "census_2021_ct.csv"


def _tract_counts(shared_geo: Path) -> pd.DataFrame:
    return pd.read_csv(shared_geo / SHARED_CT, dtype={"CTUID": str, "CSDUID": str})


def test_every_tract_holds_its_census_count(compiled_demo, shared_geo: Path) -> None:
    counts = _tract_counts(shared_geo).set_index("CTUID")
    tracts = compiled_demo.layers["gaps_ct"].query("category == 'all'").set_index("area_id")
    assert set(tracts.index) == set(counts.index)
    pd.testing.assert_series_equal(
        tracts["demand"].sort_index(), counts["pop_2021"].astype(float).sort_index(), check_names=False
    )
    # Each tract's municipality is Statistics Canada's, not the nearest place's.
    assert (tracts["csd"].sort_index() == counts["CSDUID"].sort_index()).all()
    london = tracts[tracts["csd"] == "3539036"]["demand"]
    assert london.sum() == 422_324
    assert london.max() <= 0.10 * 422_324  # area split once put 42 % of London in one rural tract
    assert (tracts["demand_source"] == "census_ct").all()


def test_demand_source_on_every_gap_layer(compiled_demo) -> None:
    allowed = {"census_da", "census_ct", "census_csd", "apportioned_area"}
    for level in ("region", "csd", "ct"):
        layer = compiled_demo.layers[f"gaps_{level}"]
        assert set(layer["demand_source"]) <= allowed, level
        assert layer["demand_source"].notna().all() and (layer["demand_key"] == "pop_2021").all()
    csd = compiled_demo.layers["gaps_csd"].query("category == 'all'").set_index("area_id")
    assert csd.loc["3539036", "demand_source"] == "census_ct"  # London: sum of its tracts
    assert csd.loc["3532042", "demand_source"] == "census_csd"  # Woodstock: untracted, its own count
    regions = compiled_demo.layers["gaps_region"].query("category == 'all'").set_index("area_id")
    # A region says the coarsest source it aggregates, and the mix.
    assert regions.loc["london", "demand_source"] == "census_ct"
    assert regions.loc["elgin", "demand_source"] == "census_csd"
    assert regions.loc["elgin", "demand_sources"] == "census_ct 65 %; census_csd 35 %"


def test_reserves_without_count_are_flagged_not_zero(compiled_demo) -> None:
    csd = compiled_demo.layers["gaps_csd"].set_index("area_id")
    for reserve in ("3539017", "3539021"):  # ".." in census_2021_csd.csv
        rows = csd.loc[[reserve]]
        assert rows["demand"].isna().all()
        assert not rows["demand_enumerated"].any()
        assert rows["demand_note"].str.contains("Non dénombrée").all()
        assert rows["demand_note_en"].str.contains("Not enumerated").all()
    assert csd.loc["3539018", "demand"].iloc[0] == 129  # Munsee-Delaware is counted
    middlesex = compiled_demo.layers["gaps_region"].query("category == 'all' and area_id == 'middlesex'").iloc[0]
    assert middlesex["demand"] == pytest.approx(78_239)
    assert not middlesex["demand_enumerated"]
    assert "Oneida 41" in middlesex["demand_note"] and "Chippewas" in middlesex["demand_note"]
    assert compiled_demo.metadata["demand_not_enumerated"] == ["3539017", "3539021"]


def test_distance_crs_is_recorded(compiled_demo, tmp_path: Path) -> None:
    assert compiled_demo.metadata["distance_crs"] == "EPSG:2958"
    target = tmp_path / "demo.gpkg"
    write_layers(compiled_demo, target)
    meta = pyogrio.read_dataframe(target, layer="metadata", read_geometry=False)
    values = dict(zip(meta["key"], meta["value"], strict=True))
    assert values["distance_crs"] == "EPSG:2958" and values["crs"] == "EPSG:3347"
    gaps = gpd.read_file(target, layer="gaps_ct", engine="pyogrio")
    assert {"demand_source", "demand_enumerated", "demand_note"} <= set(gaps.columns)


def test_nearest_distance_is_on_the_ground(compiled_demo, geography) -> None:
    # Woodstock is one demand point; its nearest French in-person service, measured by the
    # compile, equals the geodesic distance (pyproj.Geod) within 0.1 %.
    from pyproj import Geod, Transformer

    from cartography.compilation import demand_points

    point = demand_points(geography).query("csd == '3532042'").iloc[0]
    lon, lat = Transformer.from_crs(geography.distance_crs, "EPSG:4326", always_xy=True).transform(
        point["x"], point["y"]
    )
    services = compiled_demo.layers["service_points"].query("french and mode == 'in_person'")
    geod = Geod(ellps="GRS80")
    _, _, metres = geod.inv(
        [lon] * len(services), [lat] * len(services), services["longitude"].tolist(), services["latitude"].tolist()
    )
    truth_km = min(metres) / 1000
    woodstock = compiled_demo.layers["gaps_csd"].query("category == 'all' and area_id == '3532042'").iloc[0]
    assert woodstock["nearest_km"] == pytest.approx(truth_km, rel=1e-3, abs=0.006)


def test_imported_tract_counts_are_kept_exactly(demo_store, geography, shared_geo: Path) -> None:
    tracts = _tract_counts(shared_geo)
    csds = pd.read_csv(shared_geo / "census_2021_csd.csv", dtype={"CSDUID": str})
    # An imported characteristic (as io.census.load_demand returns it): tract and CSD rows,
    # one tract suppressed by Statistics Canada.
    values = (tracts["pop_2021"] // 50).astype(float)
    values.iloc[0] = np.nan
    frame = pd.concat(
        [
            pd.DataFrame({"level": "csd", "geo_id": csds["CSDUID"], "value": pd.to_numeric(csds["pop_2021"]) // 50}),
            pd.DataFrame({"level": "ct", "geo_id": tracts["CTUID"], "value": values}),
        ],
        ignore_index=True,
    )
    compiled = compile_cycle(demo_store, geography, "2019-2020", demand=frame, demand_label="fols_french")
    got = compiled.layers["gaps_ct"].query("category == 'all'").set_index("area_id")
    expected = pd.Series(values.to_numpy(), index=tracts["CTUID"])
    counted = expected.dropna().index
    assert (got.loc[counted, "demand"] == expected[counted]).all()
    assert (got.loc[counted, "demand_source"] == "census_ct").all()
    # The suppressed tract gets what its municipality's count leaves, said as such.
    first = tracts.iloc[0]
    csd_value = float(pd.to_numeric(csds.set_index("CSDUID").loc[first["CSDUID"], "pop_2021"]) // 50)
    rest = expected[(tracts["CSDUID"] == first["CSDUID"]).to_numpy()].dropna().sum()
    assert got.loc[first["CTUID"], "demand"] == pytest.approx(max(csd_value - rest, 0), abs=0.1)
    assert got.loc[first["CTUID"], "demand_source"] == "census_csd"
    # Labels say what was counted.
    assert compiled.metadata["demand_label_fr"] == "Première langue officielle parlée : français"
    assert (compiled.layers["gaps_csd"]["demand_key"] == "fols_french").all()


def test_municipal_counts_only_are_split_by_tract_population(demo_store, geography, shared_geo: Path) -> None:
    tracts = _tract_counts(shared_geo)
    series = pd.Series({"3539036": 5000.0, "3534021": 310.0})  # the older CSD-only form
    compiled = compile_cycle(demo_store, geography, "2019-2020", demand=series, demand_label="fols_french")
    got = compiled.layers["gaps_ct"].query("category == 'all'").set_index("area_id")
    london = tracts[tracts["CSDUID"] == "3539036"].set_index("CTUID")["pop_2021"]
    expected = 5000.0 * london / 422_324
    assert got.loc[london.index, "demand"].to_numpy() == pytest.approx(expected.round(1).to_numpy(), abs=0.06)
    assert (got.loc[london.index, "demand_source"] == "census_csd").all()
    assert got.loc[london.index, "demand_note"].str.contains("population 2021 des secteurs").all()
    # A municipality the import has no count for is unknown, not 0, and not called "not enumerated".
    woodstock = compiled.layers["gaps_csd"].query("category == 'all' and area_id == '3532042'").iloc[0]
    assert pd.isna(woodstock["demand"]) and not woodstock["demand_enumerated"]
    assert "Aucun compte" in woodstock["demand_note"] and "dénombrée" not in woodstock["demand_note"]
    frame = pd.DataFrame({"level": "csd", "geo_id": series.index, "value": series.to_numpy()})
    again = compile_cycle(demo_store, geography, "2019-2020", demand=frame, demand_label="fols_french")
    pd.testing.assert_series_equal(
        again.layers["gaps_ct"]["demand"], compiled.layers["gaps_ct"]["demand"], check_names=False
    )


def test_demand_labels_say_what_is_counted(compiled_demo) -> None:
    from cartography.compilation import demand_label, demand_legend

    assert demand_label("pop_2021", "fr", "per_10k") == "pour 10 000 habitants"
    per = demand_label("fols_french", "fr", "per_10k")
    assert per == "pour 10 000 personnes de première langue officielle parlée français"
    assert "habitants" not in demand_label("fols_french", "fr", "field")
    assert demand_label("fols_french", "en", "people") == "people whose first official language spoken is French"
    legend = demand_legend(compiled_demo.layers["gaps_csd"], "fr")
    assert "secteur de recensement" in legend and "municipalité" in legend and "Oneida 41" in legend


def test_sums_of_counts_never_overflow(geography) -> None:
    # Two counts of 5e18 wrap around in int64 (their sum is over 2**63): the compile refuses
    # with a message naming the cell, instead of publishing a negative or wrong total.
    from types import SimpleNamespace

    from cartography.compilation import _clients

    def sub(count: int) -> SimpleNamespace:
        client = SimpleNamespace(csduid="3539036", profile="permanent_resident", count=count)
        return SimpleNamespace(content=SimpleNamespace(clients=(client,)))

    with pytest.raises(UserError) as caught:
        _clients([sub(5 * 10**18), sub(5 * 10**18)], geography, "s" * 64)
    assert caught.value.key == "demand.error.count_overflow"
    assert "3539036" in str(caught.value.fields["cell"])
    fine = _clients([sub(2**40), sub(2**40)], geography, "s" * 64)
    assert fine["clients_published"].max() == pytest.approx(2**41, abs=5)


def test_need_score_can_be_recomputed_from_the_geopackage(compiled_demo, tmp_path: Path) -> None:
    target = tmp_path / "demo.gpkg"
    write_layers(compiled_demo, target)
    meta = pyogrio.read_dataframe(target, layer="metadata", read_geometry=False)
    values = dict(zip(meta["key"], meta["value"], strict=True))
    weights = json.loads(values["severity_weights"])
    factors = json.loads(values["method"])["status_factors"]
    needs = pyogrio.read_dataframe(target, layer="needs_by_area", read_geometry=False)
    score = sum(
        needs[f"needs_{status}_{severity}"] * weights[severity] * factor
        for status, factor in factors.items()
        for severity in weights
    )
    needs = needs.assign(score=score)
    assert needs["score"].sum() > 0
    csd = pd.concat(
        [pyogrio.read_dataframe(target, layer=f"gaps_csd{s}", read_geometry=False) for s in ("", "_categories")]
    )
    for row in csd[csd["need_score"] > 0].itertuples():
        rows = needs[(needs["level"] == "csd") & (needs["area_id"] == row.area_id)]
        if row.category != "all":
            rows = rows[rows["category"] == row.category]
        assert rows["score"].sum() == pytest.approx(row.need_score), (row.area_id, row.category)
    region = pd.concat(
        [pyogrio.read_dataframe(target, layer=f"gaps_region{s}", read_geometry=False) for s in ("", "_categories")]
    )
    for row in region.itertuples():  # a region: its municipalities' needs and its own
        rows = needs[needs["region"] == row.area_id]
        if row.category != "all":
            rows = rows[rows["category"] == row.category]
        assert rows["score"].sum() == pytest.approx(row.need_score), (row.area_id, row.category)


def test_known_distance_equals_geodesic(geography) -> None:
    # London and Woodstock (GeoNames centres in places.csv): 42.76 km on the ellipsoid.
    # Measured in the geography's distance CRS by the code that finds catchments, it agrees
    # with pyproj.Geod within 0.1 %; Statistics Canada Lambert would be 2.7 % long.
    from pyproj import Geod, Transformer

    from cartography.access import catchment_pairs
    from cartography.geography import CRS_METRIC, utm_crs_at

    places = geography.places.set_index("source_id")
    london = places.loc["geonames:6058560", ["lon", "lat"]].astype(float).to_numpy()
    woodstock = places.loc["geonames:6184365", ["lon", "lat"]].astype(float).to_numpy()
    truth = Geod(ellps="GRS80").inv(*london, *woodstock)[2]
    assert truth == pytest.approx(42_756, abs=5)

    def measured(crs: str) -> float:
        to = Transformer.from_crs("EPSG:4326", crs, always_xy=True)
        a, b = np.array([to.transform(*london)]), np.array([to.transform(*woodstock)])
        _, _, distance = catchment_pairs(a, b, 100_000)
        return float(distance[0])

    assert geography.distance_crs == "EPSG:2958"
    assert measured(geography.distance_crs) == pytest.approx(truth, rel=1e-3)
    assert measured(CRS_METRIC) / truth > 1.02  # why EPSG:3347 is not used to measure
    assert utm_crs_at(-75.7, 45.4) == "EPSG:2959"  # Ottawa: another region gets its own zone


def test_map_and_deck_say_what_the_demand_is(compiled_demo, demo_store, geography, shared_geo: Path) -> None:
    from cartography.maps import gap_map
    from cartography.reports import table_deck

    html = gap_map(compiled_demo.layers, level="csd").get_root().render()
    assert "recensement 2021 par secteur de recensement" in html  # legend line from demand_source
    assert "non dénombrée" in html  # the reserves' tooltip, not a 0
    assert "Population 2021 (demande)" in html
    series = pd.Series({"3539036": 5000.0, "3534021": 310.0})
    imported = compile_cycle(demo_store, geography, "2019-2020", demand=series, demand_label="fols_french")
    html = gap_map(imported.layers, level="csd", indicator="access_e2sfca_per_10k").get_root().render()
    assert "pour 10 000 personnes de première langue officielle parlée français" in html
    assert "10 000 hab" not in html and "Population (demande)" not in html
    deck = table_deck(compiled_demo, [], geography, "fr")
    texts = [shape.text_frame.text for slide in deck.prs.slides for shape in slide.shapes if shape.has_text_frame]
    texts = [text.replace("\u00a0", " ").replace("\u202f", " ") for text in texts]  # French no-break spaces
    assert any("Demande : Population 2021" in text and "EPSG:2958" in text for text in texts)


def test_dissemination_area_counts_are_used_when_the_geography_has_them(geography) -> None:
    # An official build has a DA layer. Here: one "DA" per tract (its polygon) and one per
    # untracted municipality, with counts; one DA suppressed (NaN).
    import dataclasses

    from cartography.compilation import demand_points

    tracts = geography.census_tracts
    tracted = set(tracts["CSDUID"])
    others = geography.municipalities[~geography.municipalities["CSDUID"].isin(tracted)]
    das = gpd.GeoDataFrame(
        {
            "DAUID": [f"3539{i:04d}" for i in range(len(tracts) + len(others))],
            "LANDAREA": 1.0,
        },
        geometry=list(tracts.geometry.values) + list(others.geometry.values),
        crs=tracts.crs,
    )
    geo = dataclasses.replace(geography, dissemination_areas=das)
    values = np.arange(1, len(das) + 1, dtype=float) * 10
    values[0] = np.nan  # the first tract's DA is suppressed
    frame = pd.concat(
        [
            pd.DataFrame({"level": "da", "geo_id": das["DAUID"], "value": values}),
            pd.DataFrame({"level": "csd", "geo_id": ["3539036"], "value": [1_000_000.0]}),
        ]
    )
    points = demand_points(geo, frame)
    assert len(points) == len(das)
    counted = points.iloc[1:]
    assert (counted["demand_source"] == "census_da").all()
    assert counted["demand"].to_numpy() == pytest.approx(values[1:])
    # The suppressed DA gets what London's count leaves after its counted DAs, said so.
    first = points.iloc[0]
    assert first["csd"] == tracts["CSDUID"].iloc[0] == "3539036"
    london_counted = points[(points["csd"] == "3539036")].iloc[1:]["demand"].sum()
    assert first["demand"] == pytest.approx(1_000_000 - london_counted)
    assert first["demand_source"] == "apportioned_area"
    # Without the DA layer (the shared geography), DA rows cannot be placed: municipal count.
    assert set(demand_points(geography, frame)["demand_source"]) <= {"census_csd"}


# -- one engine pass, one geometry per area, integer counts (issue 12) -----------------------


def test_each_area_shape_is_held_once_per_level(compiled_demo) -> None:
    for level in ("region", "csd", "ct"):
        layer = compiled_demo.layers[f"gaps_{level}"]
        shapes = layer.geometry.values
        first = {}
        for area, shape in zip(layer["area_id"], shapes, strict=True):
            # every category's row of an area points at the very same shape object
            assert first.setdefault(area, shape) is shape, (level, area)
        assert len(first) * layer["category"].nunique() == len(layer)  # every area in every category


def test_gap_counts_are_integers(compiled_demo) -> None:
    for level in ("region", "csd", "ct"):
        layer = compiled_demo.layers[f"gaps_{level}"]
        for column in ("services_in", "services_itinerant", "services_virtual", "services_serving"):
            assert pd.api.types.is_integer_dtype(layer[column]), (level, column)
        for column in ("needs_reported", "needs_unmet"):  # nullable: tracts have no needs of their own
            assert pd.api.types.is_integer_dtype(layer[column]), (level, column)
    csd = compiled_demo.layers["gaps_csd"]
    assert csd["needs_reported"].notna().all() and csd["needs_reported"].sum() > 0


def test_member_totals_equal_each_members_own_published_total(compiled_demo, demo_store) -> None:
    # All members are protected in one call; each total must be what protecting that member's
    # cells alone gives (a cell's draw depends on its key and count only).
    from cartography.privacy import protect_counts, published_total

    salt = demo_store.rounding_salt()
    for sub in demo_store.validated("2019-2020"):
        cells: dict[tuple[str, str], int] = {}
        for c in sub.content.clients:
            cells[(c.csduid, c.profile)] = cells.get((c.csduid, c.profile), 0) + int(c.count)
        keys = pd.Series([f"{csd}|{profile}" for csd, profile in cells], dtype=object)
        alone = published_total(protect_counts(pd.Series(list(cells.values()), dtype=object), keys, salt))
        assert compiled_demo.member_totals[sub.org_id] == alone, sub.org_id
