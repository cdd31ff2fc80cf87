"""The GeoPackage written mostly by SQLite is the one GDAL writes (issue 12: export speed).

The file starts as the empty GeoPackage GDAL creates (kept once made); every layer SQLite
can type goes through one SQLite transaction instead of one GDAL open each. These tests
write the same layers both ways (GDAL only: no kept empty file, every layer looking
untypeable) and compare the files.
"""

from __future__ import annotations

import sqlite3
import struct
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import pytest
import shapely
from pandas.testing import assert_frame_equal

from cartography.compilation import Compiled
from cartography.i18n import Lang
from cartography.io import exports
from cartography.io.exports import write_layers

#: Columns stamped with the time of writing.
STAMPS = {"last_change", "update_time"}
#: System tables whose row order means nothing (written by GDAL or SQLite in another order).
UNORDERED = {"gpkg_extensions", "gpkg_geometry_columns", "sqlite_sequence"}


def _gdal_only(compiled: Compiled, target: Path, monkeypatch: pytest.MonkeyPatch, lang: Lang = "fr") -> Path:
    """``write_layers`` with every layer written by GDAL, as before SQLite took them over."""
    with monkeypatch.context() as patch:
        patch.setattr(exports, "_attribute_columns", lambda frame: None)
        patch.setattr(exports, "_started", lambda tables, partial: (None, None))
        write_layers(compiled, target, lang=lang)
    return target


def _content(path: Path) -> dict[str, object]:
    """Everything a reader sees in a GeoPackage, time stamps and R-tree node layout aside."""
    with sqlite3.connect(path) as db:
        out: dict[str, object] = {
            "pragmas": [db.execute(f"PRAGMA {p}").fetchall() for p in ("application_id", "user_version")],
            "checks": [db.execute(f"PRAGMA {p}").fetchall() for p in ("integrity_check", "foreign_key_check")],
            "schema": sorted(db.execute("SELECT type, name, tbl_name, sql FROM sqlite_master").fetchall(), key=repr),
        }
        tables = [r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        for name in tables:
            if name.startswith("rtree_") and name.endswith(("_node", "_parent", "_rowid")):
                continue  # the tree's shape: GDAL bulk-loads it, SQLite inserts; rtreecheck below
            columns = [r[1] for r in db.execute(f'PRAGMA table_info("{name}")')]
            picked = ", ".join("NULL" if c in STAMPS else f'"{c}", typeof("{c}")' for c in columns)
            rows = db.execute(f'SELECT {picked} FROM "{name}"').fetchall()
            out[name] = sorted(rows, key=repr) if name in UNORDERED or name.startswith("rtree_") else rows
            if name.startswith("rtree_"):
                out[f"{name} check"] = db.execute(f"SELECT rtreecheck('{name}')").fetchall()
    db.close()
    return out


def _assert_same(fast: Path, gdal: Path) -> None:
    layers = pyogrio.list_layers(gdal).tolist()
    assert pyogrio.list_layers(fast).tolist() == layers
    for name, _ in layers:
        a, b = (pyogrio.read_dataframe(p, layer=name) for p in (fast, gdal))
        assert_frame_equal(a.drop(columns=list(STAMPS & set(a.columns))), b.drop(columns=list(STAMPS & set(b.columns))))
        if isinstance(a, gpd.GeoDataFrame):
            assert a.crs == b.crs and (a.geometry.to_wkb() == b.geometry.to_wkb()).all()
        assert str(pyogrio.read_info(fast, layer=name)) == str(pyogrio.read_info(gdal, layer=name))
    got, expected = _content(fast), _content(gdal)
    assert got.keys() == expected.keys()
    for key in expected:
        assert got[key] == expected[key], key
    assert got["checks"] == [[("ok",)], []]


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_demo_as_gdal_writes_it(
    compiled_demo: Compiled, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, lang: Lang
) -> None:
    fast = write_layers(compiled_demo, tmp_path / "fast.gpkg", lang=lang)[0]
    gdal = _gdal_only(compiled_demo, tmp_path / "gdal.gpkg", monkeypatch, lang)
    _assert_same(fast, gdal)
    with sqlite3.connect(fast) as db:
        assert db.execute("SELECT count(*) FROM gpkg_geometry_columns").fetchone()[0] == 7


def test_filtered_demo_as_gdal_writes_it(
    compiled_demo: Compiled, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A municipality's export has empty layers (GDAL writes those) between SQLite's."""
    town = sorted(compiled_demo.layers["gaps_csd"]["area_id"])[0]
    filtered = exports.filter_compiled(compiled_demo, exports.make_filters(compiled_demo, municipalities=[town]))
    fast = write_layers(filtered, tmp_path / "fast.gpkg")[0]
    _assert_same(fast, _gdal_only(filtered, tmp_path / "gdal.gpkg", monkeypatch))


def _small() -> Compiled:
    """Spatial layers by hand: polygons made multi, gaps in every kind of column, and a layer
    in another CRS (GDAL writes that one)."""
    first = gpd.GeoDataFrame({"n": [1]}, geometry=[shapely.Point(10, 20)], crs=3347)
    areas = gpd.GeoDataFrame(
        {
            "name": pd.array(["a", None, "c"], dtype="str"),
            "share": [0.5, np.nan, 2.0],
            "needs_count": pd.array([1, None, 3], dtype="Int64"),
            "french": [True, False, True],
        },
        geometry=[
            shapely.box(0, 0, 1, 2),
            shapely.MultiPolygon([shapely.box(2, 2, 3, 3), shapely.box(4, 4, 5, 6)]),
            shapely.box(-1, -3, 0, 0),
        ],
        crs=3347,
    )
    elsewhere = gpd.GeoDataFrame({"n": [2]}, geometry=[shapely.Point(-80, 43)], crs=4326)
    layers = {"first": first, "areas": areas, "elsewhere": elsewhere}
    return Compiled(cycle="2019-2020", layers=layers, metadata={"cycle": "2019-2020"})


def test_small_layers_by_hand(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fast = write_layers(_small(), tmp_path / "fast.gpkg")[0]
    _assert_same(fast, _gdal_only(_small(), tmp_path / "gdal.gpkg", monkeypatch))
    with sqlite3.connect(fast) as db:
        blob, name, share, count = db.execute("SELECT geom, name, share, needs_count FROM areas WHERE fid=2").fetchone()
        extent = db.execute("SELECT min_x, min_y, max_x, max_y FROM gpkg_contents WHERE table_name='areas'").fetchone()
        kind = db.execute("SELECT geometry_type_name FROM gpkg_geometry_columns WHERE table_name='areas'").fetchone()
        box = db.execute("SELECT minx, maxx, miny, maxy FROM rtree_areas_geom WHERE id = 3").fetchone()
    db.close()
    assert (name, share, count) == (None, None, None)  # missing text, NaN and NA are NULL
    assert blob[:4] == b"GP\x00\x03" and struct.unpack("<i4d", blob[4:40]) == (3347, 2.0, 5.0, 2.0, 6.0)
    assert shapely.from_wkb(blob[40:]).geom_type == "MultiPolygon"
    assert extent == (-1.0, -3.0, 5.0, 6.0) and kind == ("MULTIPOLYGON",)
    assert box == (-1.0, 0.0, -3.0, 0.0)  # whole numbers: exact in the 32-bit R-tree
    assert pyogrio.read_dataframe(fast, layer="areas", fid_as_index=True).index.tolist() == [1, 2, 3]
    assert pyogrio.read_dataframe(fast, layer="elsewhere").crs == "EPSG:4326"


def test_layers_without_crs_keep_their_geometry(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """No CRS to start the file from: GDAL creates it and writes the spatial layers."""
    shapes = gpd.GeoDataFrame({"n": [1, 2]}, geometry=[shapely.Point(0, 0), shapely.Point(1, 1)])
    compiled = Compiled(cycle="2019-2020", layers={"a": shapes, "b": shapes}, metadata={"cycle": "2019-2020"})
    with pytest.warns(UserWarning, match="crs"):
        fast = write_layers(compiled, tmp_path / "fast.gpkg")[0]
        gdal = _gdal_only(compiled, tmp_path / "gdal.gpkg", monkeypatch)
    _assert_same(fast, gdal)
    assert pyogrio.read_dataframe(fast, layer="b").geometry.to_wkt().tolist() == [
        "MULTIPOINT ((0 0))",
        "MULTIPOINT ((1 1))",
    ]


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        ([True, False], "BOOLEAN"),
        (np.array([1, 2], "int64"), "INTEGER"),
        (np.array([1, 2], "uint64"), "INTEGER"),
        (pd.array([1, None], "Int64"), "INTEGER"),
        ([1.0, np.nan], "REAL"),
        (pd.array([1.0, None], "Float64"), "REAL"),
        (pd.to_datetime(["2020-01-01", None]), "DATETIME"),
        (pd.array(["a", None], "str"), "TEXT"),
        (np.array(["a", None], object), "TEXT"),
        (np.array([None, None], object), "TEXT"),
        # left to GDAL: sizes and kinds SQLite would not type as GDAL does
        (np.array([1, 2], "int32"), None),
        (pd.array([1, None], "Int32"), None),
        (np.array([1, 2], "float32"), None),
        (pd.array([True, None], "boolean"), None),
        (pd.to_datetime(["2020-01-01", None]).tz_localize("UTC"), None),
        (pd.to_timedelta([1, 2], "s"), None),
        (np.array(["a", 1], object), None),
    ],
)
def test_column_types_sqlite_writes(values: object, expected: str | None) -> None:
    got = exports._sql_columns(pd.DataFrame({"c": values}))
    assert got == ([("c", expected)] if expected else None)
