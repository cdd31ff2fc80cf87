"""Files users open: GeoPackage in QGIS, GeoJSON on the web, CSV in Excel (demo data, invented)."""

from __future__ import annotations

import dataclasses
import json
import shutil
import sqlite3
import subprocess
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyogrio
import pytest
import shapely

from cartography import palette
from cartography.cli import main
from cartography.errors import UserError
from cartography.io.exports import (
    export_bytes,
    export_name,
    field_title,
    make_filters,
    output_format,
    split_gaps,
    write_layers,
)
from cartography.vocabulary import GAP_CLASSES

QGIS_STYLE_COLUMNS = [
    "id",
    "f_table_catalog",
    "f_table_schema",
    "f_table_name",
    "f_geometry_column",
    "styleName",
    "styleQML",
    "styleSLD",
    "useAsDefault",
    "description",
    "owner",
    "ui",
    "update_time",
]


@pytest.fixture(scope="module")
def gpkg(compiled_demo, tmp_path_factory: pytest.TempPathFactory) -> Path:
    target = tmp_path_factory.mktemp("gpkg") / "demo.gpkg"
    write_layers(compiled_demo, target)
    return target


def _unzip(archive: Path, folder: Path) -> Path:
    zipfile.ZipFile(archive).extractall(folder)
    return folder


# -- GeoPackage --------------------------------------------------------------------------------


def test_each_area_once_per_level_and_categories_in_tables(compiled_demo, gpkg: Path) -> None:
    layers = dict(pyogrio.list_layers(gpkg))
    for level in ("region", "csd", "ct"):
        long = compiled_demo.layers[f"gaps_{level}"]
        areas = gpd.read_file(gpkg, layer=f"gaps_{level}", engine="pyogrio")
        assert len(areas) == long["area_id"].nunique() and areas["area_id"].is_unique
        assert set(areas["category"]) == {"all"} and areas.crs.to_epsg() == 3347
        assert layers[f"gaps_{level}_categories"] is None  # an attribute table, no geometry
        table = pyogrio.read_dataframe(gpkg, layer=f"gaps_{level}_categories")
        assert len(table) == (long["category"] != "all").sum()
        assert not table.duplicated(["area_id", "category"]).any()
        assert "demand_note" not in table and "gap_class" in table  # area facts stay on the map layer
    # 4 regions: London's all-category demand is its 2021 population (Statistics Canada).
    region = gpd.read_file(gpkg, layer="gaps_region", engine="pyogrio").set_index("area_id")
    assert region.loc["london", "demand"] == pytest.approx(422_324)


def test_counts_are_integers_when_read_back(gpkg: Path) -> None:
    def types(layer: str) -> dict[str, str]:
        info = pyogrio.read_info(gpkg, layer=layer)
        return dict(zip(info["fields"], info["dtypes"], strict=True))

    for layer in ("gaps_csd", "gaps_ct_categories", "needs_by_area"):
        got = types(layer)
        for column in ("needs_reported", "needs_unmet"):
            assert got[column] == "int64", (layer, column, got[column])
    assert types("gaps_csd")["services_in"] == "int64"
    assert types("clients_by_area")["clients_published"] == "int64"
    assert types("gaps_ct")["area_id"] == "object"  # codes stay text


def test_geopackage_version_qgis_322_reads(gpkg: Path) -> None:
    with sqlite3.connect(gpkg) as db:
        assert db.execute("PRAGMA application_id").fetchone()[0] == 0x47504B47  # "GPKG"
        assert db.execute("PRAGMA user_version").fetchone()[0] == 10200  # 1.2: GDAL >= 2.2


def test_qgis_styles_stored_in_the_file(gpkg: Path) -> None:
    with sqlite3.connect(gpkg) as db:
        columns = [row[1] for row in db.execute("PRAGMA table_info(layer_styles)")]
        styles = pd.read_sql("SELECT * FROM layer_styles", db)
        spatial = dict(db.execute("SELECT table_name, column_name FROM gpkg_geometry_columns"))
        registered = {r[0] for r in db.execute("SELECT table_name FROM gpkg_contents")}
    assert columns == QGIS_STYLE_COLUMNS and "layer_styles" in registered
    for table, geometry_column in spatial.items():
        mine = styles[styles["f_table_name"] == table]
        assert len(mine) == 2 and mine["useAsDefault"].sum() == 1, table  # French default, English beside
        assert set(mine["f_geometry_column"]) == {geometry_column}
        for qml in mine["styleQML"]:
            root = ET.fromstring(qml.split(">", 1)[1])  # after the DOCTYPE
            assert root.tag == "qgis" and root.find("renderer-v2") is not None, table
            assert root.find("aliases") is not None
    default = styles[(styles["f_table_name"] == "gaps_ct") & (styles["useAsDefault"] == 1)].iloc[0]
    renderer = ET.fromstring(default["styleQML"].split(">", 1)[1]).find("renderer-v2")
    assert renderer.get("type") == "categorizedSymbol" and renderer.get("attr") == "gap_class"
    categories = renderer.findall("categories/category")
    assert [c.get("value") for c in categories] == list(GAP_CLASSES.codes)
    assert categories[0].get("label") == "Aucun service en français à portée"  # the legend, in French
    symbols = {s.get("name"): s for s in renderer.findall("symbols/symbol")}
    for category, term in zip(categories, GAP_CLASSES, strict=True):
        colour = symbols[category.get("symbol")].find("layer/prop[@k='color']").get("v")
        hex_colour = palette.GAP_CLASS_COLOURS[term.code].lstrip("#")  # as on the app's map
        assert colour == ",".join(str(int(hex_colour[i : i + 2], 16)) for i in (0, 2, 4)) + ",255"


def test_titles_and_field_descriptions_in_french_and_english(gpkg: Path) -> None:
    with sqlite3.connect(gpkg) as db:
        contents = dict(db.execute("SELECT table_name, identifier FROM gpkg_contents"))
        title, description = db.execute(
            "SELECT title, description FROM gpkg_data_columns WHERE table_name='gaps_csd' AND column_name='nearest_km'"
        ).fetchone()
        extensions = {r[0] for r in db.execute("SELECT extension_name FROM gpkg_extensions")}
    assert contents["gaps_csd"] == "Lacunes par municipalité / Gaps by municipality"
    assert "secteur de recensement et catégorie" in contents["gaps_ct_categories"]
    assert "(km)" in title and "kilomètres" in description and "kilometres" in description
    assert "gpkg_schema" in extensions


def test_qgis_opens_each_layer_styled(gpkg: Path, tmp_path: Path) -> None:
    """With QGIS installed (Debian ``python3-qgis``), open the file as QGIS 3.22 does."""
    python = shutil.which("python3", path="/usr/bin")
    if python is None or subprocess.run([python, "-c", "import qgis.core"], capture_output=True).returncode:
        pytest.skip("QGIS (python3-qgis) not installed")
    script = tmp_path / "check.py"
    script.write_text(
        "import json, os, sys\n"
        "os.environ['QT_QPA_PLATFORM'] = 'offscreen'\n"
        "from qgis.core import QgsApplication, QgsVectorLayer\n"
        "app = QgsApplication([], False); app.initQgis(); log = []\n"
        "QgsApplication.messageLog().messageReceived.connect(lambda m, tag, level: log.append(m))\n"
        "out = {}\n"
        "for name in sys.argv[2:]:\n"
        "    layer = QgsVectorLayer(f'{sys.argv[1]}|layername={name}', name, 'ogr')\n"
        "    r = layer.renderer()\n"
        "    colours = [c.symbol().color().name() for c in getattr(r, 'categories', list)()]\n"
        "    out[name] = [layer.isValid(), r.type(), colours]\n"
        "print(json.dumps({'layers': out, 'log': log}))\n"
    )
    names = ["gaps_region", "gaps_csd", "gaps_ct", "service_points", "service_areas"]
    run = subprocess.run([python, str(script), str(gpkg), *names], capture_output=True, text=True, timeout=120)
    got = json.loads(run.stdout.strip().splitlines()[-1])
    assert got["log"] == []  # no warning from QGIS or its GDAL
    for name in ("gaps_region", "gaps_csd", "gaps_ct"):
        valid, renderer, colours = got["layers"][name]
        assert valid and renderer == "categorizedSymbol"
        assert colours == [palette.GAP_CLASS_COLOURS[term.code] for term in GAP_CLASSES]
    assert got["layers"]["service_points"][1] == "categorizedSymbol"


def test_formulas_neutralised_in_spreadsheets_only(compiled_demo, tmp_path: Path) -> None:
    points = compiled_demo.layers["service_points"].copy()
    points["note"] = '=HYPERLINK("http://x")'
    hostile = dataclasses.replace(compiled_demo, layers={"service_points": points})
    write_layers(hostile, tmp_path / "p.gpkg")
    assert pyogrio.read_dataframe(tmp_path / "p.gpkg", layer="service_points")["note"].iloc[0].startswith("=")
    (csv,) = write_layers(hostile, tmp_path / "p.csv", "csv", layer="service_points")
    assert "\"'=HYPERLINK" in csv.read_text(encoding="utf-8-sig")


# -- GeoJSON -----------------------------------------------------------------------------------


def _coordinates(node: object):
    if isinstance(node, list) and node and isinstance(node[0], (int, float)):
        yield node
    elif isinstance(node, list):
        for child in node:
            yield from _coordinates(child)


def test_geojson_is_rfc_7946(compiled_demo, tmp_path: Path) -> None:
    (path,) = write_layers(compiled_demo, tmp_path / "tracts.geojson", "geojson", layer="gaps_ct")
    assert path == tmp_path / "tracts.geojson"
    document = json.loads(path.read_text(encoding="utf-8"))
    assert "crs" not in document  # RFC 7946 §4: WGS 84 implied
    points = [c for f in document["features"] for c in _coordinates(f["geometry"]["coordinates"])]
    assert all(round(x, 6) == x and round(y, 6) == y for x, y in points)
    assert all(-82.5 < x < -80.0 and 42.3 < y < 43.5 for x, y in points)  # lon, lat of the region
    shapes = gpd.read_file(path).geometry
    polygons = [p for shape in shapes for p in getattr(shape, "geoms", [shape])]
    assert all(shapely.is_ccw(p.exterior) for p in polygons)  # RFC 7946 §3.1.6
    assert all(not shapely.is_ccw(hole) for p in polygons for hole in p.interiors)
    assert path.stat().st_size < 3_000_000
    assert len(document["features"]) == compiled_demo.layers["gaps_ct"]["area_id"].nunique()


def test_display_simplification_keeps_a_coverage(compiled_demo, tmp_path: Path) -> None:
    """Shared tract edges are simplified together: no gap or overlap opens between tracts."""
    (path,) = write_layers(compiled_demo, tmp_path / "t.geojson", "geojson", layer="gaps_ct")
    simple = gpd.read_file(path).to_crs(2958)
    assert shapely.coverage_is_valid(simple.geometry.values, gap_width=0)
    full = split_gaps(compiled_demo.layers["gaps_ct"])[0].to_crs(2958)
    assert simple.union_all().area == pytest.approx(full.union_all().area, rel=0.002)


# -- CSV and data package ----------------------------------------------------------------------


def test_csv_for_french_excel(compiled_demo, tmp_path: Path) -> None:
    (path,) = write_layers(compiled_demo, tmp_path / "regions.csv", "csv", csv_style="excel-fr", layer="gaps_region")
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # UTF-8 BOM: Excel reads accents right
    header, first = raw.decode("utf-8-sig").split("\r\n")[:2]
    assert header.split(";")[:2] == ['"Niveau"', '"Code de la zone"'] and field_title("area_id") == "Code de la zone"
    assert first.startswith('"region";"london";"all";422324,0;')  # text quoted, decimal comma
    back = pd.read_csv(path, sep=";", decimal=",", encoding="utf-8-sig", dtype={"Code de la zone": str})
    assert back["Demande"].sum() == pytest.approx(compiled_demo.layers["gaps_region"]["demand"].sum())


def test_csv_standard_keeps_codes_text(compiled_demo, tmp_path: Path) -> None:
    (path,) = write_layers(compiled_demo, tmp_path / "ct.csv", "csv", layer="gaps_ct")
    text = path.read_text(encoding="utf-8-sig")
    assert text.startswith('"level","area_id","category"')
    ids = compiled_demo.layers["gaps_ct"]["area_id"]
    assert f',"{ids.iloc[0]}",' in text and ',"3539036",' in text  # tract and CSD codes quoted


@pytest.mark.parametrize("style", ["excel-fr", "standard"])
def test_datapackage_validates(compiled_demo, tmp_path: Path, style: str) -> None:
    frictionless = pytest.importorskip("frictionless")
    (archive,) = write_layers(compiled_demo, tmp_path / "lacunes.csv", "csv", csv_style=style)
    folder = _unzip(archive, tmp_path / "pkg")
    package = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
    assert {r["path"] for r in package["resources"]} == {p.name for p in folder.glob("*.csv")}
    assert package["licenses"] and "Statistique Canada" in package["description"]
    gaps = next(r for r in package["resources"] if r["name"] == "gaps_ct")
    area = gaps["schema"]["fields"][1]
    assert area["type"] == "string" and area["title"] == "Code de la zone"
    report = frictionless.validate(str(folder / "datapackage.json"))
    assert report.valid, report.flatten(["type", "note"])[:5]
    if style == "excel-fr":  # the package says how to read a decimal comma: without it, invalid
        for resource in package["resources"]:
            for field in resource["schema"]["fields"]:
                field.pop("decimalChar", None)
        (folder / "datapackage.json").write_text(json.dumps(package), encoding="utf-8")
        assert not frictionless.validate(str(folder / "datapackage.json")).valid


# -- names: a file, never a folder; filters in the name and the metadata ---------------------


def test_the_name_asked_for_is_a_file(compiled_demo, tmp_path: Path) -> None:
    (one,) = write_layers(compiled_demo, tmp_path / "lacunes.csv", "csv", layer="gaps_csd")
    assert one == tmp_path / "lacunes.csv" and one.is_file()
    (several,) = write_layers(compiled_demo, tmp_path / "lacunes.csv", "csv")
    assert several == tmp_path / "lacunes-csv.zip" and zipfile.is_zipfile(several)
    assert all(p.is_file() for p in tmp_path.iterdir())  # never a folder
    (tmp_path / "dossier").mkdir()
    with pytest.raises(UserError):
        write_layers(compiled_demo, tmp_path / "dossier", "gpkg")
    with pytest.raises(UserError):
        output_format(tmp_path / "out.txt")
    assert output_format(tmp_path / "a.geojson") == "geojson" and output_format(tmp_path / "a") == "gpkg"


def test_cli_writes_the_file_the_name_says(demo_store, monkeypatch, tmp_path: Path, capsys) -> None:
    monkeypatch.setenv("CARTO_DATABASE_URL", demo_store.url)
    out = tmp_path / "lacunes.csv"
    argv = ["compile", "--cycle", "2019-2020", "-o", str(out), "--csv-style", "excel-fr", "--layer", "gaps_csd"]
    assert main(argv) == 0
    assert out.read_bytes().startswith(b"\xef\xbb\xbf") and b";" in out.read_bytes()[:100]
    assert main(["compile", "--cycle", "2019-2020", "-o", str(tmp_path / "tout.csv")]) == 0
    assert "tout-csv.zip" in capsys.readouterr().out
    assert main(["compile", "--cycle", "2019-2020", "-o", str(tmp_path / "x.gpkg"), "--region", "nulle-part"]) == 1
    assert "london" in capsys.readouterr().err


def test_filtered_export_is_named_and_recorded(compiled_demo, tmp_path: Path) -> None:
    data, name = export_bytes(compiled_demo, "gpkg", regions=["elgin"])
    assert name == "lacunes-2019-2020-elgin.gpkg"
    path = tmp_path / name
    path.write_bytes(data)
    csd = pyogrio.read_dataframe(path, layer="gaps_csd", read_geometry=False)
    assert set(csd["region"]) == {"elgin"} and len(csd) == 8  # Elgin's 8 municipalities
    assert set(pyogrio.read_dataframe(path, layer="gaps_region", read_geometry=False)["area_id"]) == {"elgin"}
    meta = pyogrio.read_dataframe(path, layer="metadata", read_geometry=False)
    recorded = json.loads(dict(zip(meta["key"], meta["value"], strict=True))["export_filters"])
    assert recorded == {"regions": ["elgin"], "municipalities": [], "category": "all"}


def test_category_and_municipality_filters(compiled_demo) -> None:
    data, name = export_bytes(compiled_demo, "csv", municipalities=["3534021"], category="housing", lang="fr")
    assert name == "lacunes-2019-2020-st-thomas-housing-csv.zip"
    with zipfile.ZipFile(__import__("io").BytesIO(data)) as archive:
        csd = pd.read_csv(archive.open("gaps_csd.csv"), sep=";", decimal=",", encoding="utf-8-sig", dtype=str)
    assert csd["Code de la zone"].tolist() == ["3534021"] and csd["Catégorie (code)"].tolist() == ["housing"]
    filters = make_filters(compiled_demo, category="all")
    assert export_name(compiled_demo, filters, "gpkg", "en") == "gaps-2019-2020.gpkg"
    with pytest.raises(UserError) as caught:
        export_bytes(compiled_demo, "gpkg", category="knitting")
    assert caught.value.key == "exports.error.filter"


def test_demo_file_sizes(compiled_demo, gpkg: Path, tmp_path: Path) -> None:
    assert gpkg.stat().st_size < 2_000_000
    (tracts,) = write_layers(compiled_demo, tmp_path / "ct.geojson", "geojson", layer="gaps_ct")
    assert tracts.stat().st_size < 3_000_000


def test_service_territories_once_each(compiled_demo, gpkg: Path) -> None:
    """One feature per service (its served municipalities dissolved), municipalities listed."""
    rows = compiled_demo.layers["service_areas"]
    areas = gpd.read_file(gpkg, layer="service_areas", engine="pyogrio").set_index("service_key")
    assert len(areas) == rows["service_key"].nunique() and areas.index.is_unique
    widest = rows.groupby("service_key")["csd"].nunique().idxmax()
    served = rows.loc[rows["service_key"] == widest, "csd"]
    assert set(areas.loc[widest, "csd"].split("; ")) == set(served) and len(served) > 1
    munis = split_gaps(compiled_demo.layers["gaps_csd"])[0].set_index("area_id")
    expected = munis.loc[list(served)].geometry.area.sum()
    assert areas.loc[widest].geometry.area == pytest.approx(expected, rel=0.01)  # drawn at 25 m
