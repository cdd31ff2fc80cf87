"""`geo build` on small zipped shapefiles that this test writes in the layout of Statistics
Canada's 2021 cartographic boundary files (lcd_000b21a_e, lcsd000b21a_e, lfsa000b21a_e,
lda_000b21a_e: same file names, documented columns, EPSG:3347). Geometries are invented
squares; one feature of each file lies outside the region (CD 3501) and must be clipped."""

from __future__ import annotations

import hashlib
import zipfile
from pathlib import Path

import geopandas as gpd
import pytest
from shapely.geometry import box

from cartography.cli import main
from cartography.errors import UserError
from cartography.io.geo_source import build_official, load_geography

KM = 1000.0
# Squares in Statistics Canada Lambert metres near London, Ontario.
X0, Y0 = 7_200_000.0, 900_000.0


def _square(i: int, j: int, size: float = 10 * KM):
    return box(X0 + i * size, Y0 + j * size, X0 + (i + 1) * size, Y0 + (j + 1) * size)


def _write_zip(folder: Path, stem: str, frame: gpd.GeoDataFrame) -> Path:
    shp_dir = folder / f"{stem}_shp"
    shp_dir.mkdir(parents=True)
    frame.to_file(shp_dir / f"{stem}.shp", engine="pyogrio")
    target = folder / f"{stem}.zip"
    with zipfile.ZipFile(target, "w") as archive:
        for part in shp_dir.iterdir():
            archive.write(part, part.name)
    return target


def make_official_files(folder: Path) -> Path:
    crs = "EPSG:3347"
    cd = gpd.GeoDataFrame(
        {
            "CDUID": ["3532", "3534", "3539", "3501"],
            "DGUID": ["2021A0003" + c for c in ("3532", "3534", "3539", "3501")],
            "CDNAME": ["Oxford", "Elgin", "Middlesex", "Stormont"],
            "CDTYPE": ["CTY", "CTY", "CTY", "UC"],
            "LANDAREA": [100.0] * 4,
            "PRUID": ["35"] * 4,
        },
        geometry=[_square(2, 0), _square(1, 0), _square(0, 0), _square(9, 9)],
        crs=crs,
    )
    csd = gpd.GeoDataFrame(
        {
            "CSDUID": ["3532042", "3534021", "3539036", "3539033", "3501005"],
            "DGUID": ["x"] * 5,
            "CSDNAME": ["Woodstock", "St. Thomas", "London", "Middlesex Centre", "Cornwall"],
            "CSDTYPE": ["CY", "CY", "CY", "MU", "CY"],
            "LANDAREA": [50.0] * 5,
            "PRUID": ["35"] * 5,
        },
        geometry=[_square(2, 0), _square(1, 0), _square(0, 0, 5 * KM), _square(1, 1, 5 * KM), _square(9, 9)],
        crs=crs,
    )
    fsa = gpd.GeoDataFrame(
        {
            "CFSAUID": ["N6A", "N5R", "K6H"],
            "DGUID": ["x"] * 3,
            "PRUID": ["35"] * 3,
            "PRNAME": ["Ontario"] * 3,
            "LANDAREA": [10.0] * 3,
        },
        geometry=[_square(0, 0, 5 * KM), _square(1, 0), _square(9, 9)],
        crs=crs,
    )
    da = gpd.GeoDataFrame(
        {
            "DAUID": ["35390001", "35340001", "35010001"],
            "DGUID": ["x"] * 3,
            "LANDAREA": [1.0] * 3,
            "PRUID": ["35"] * 3,
        },
        geometry=[_square(0, 0, 2 * KM), _square(5, 0, 2 * KM), _square(9, 9)],
        crs=crs,
    )
    for stem, frame in (
        ("lcd_000b21a_e", cd),
        ("lcsd000b21a_e", csd),
        ("lfsa000b21a_e", fsa),
        ("lda_000b21a_e", da),
    ):
        _write_zip(folder, stem, frame)
    return folder


@pytest.fixture
def official(tmp_path: Path) -> Path:
    return make_official_files(tmp_path / "statcan")


def test_build_from_folder_clips_to_the_region(official: Path, tmp_path: Path, shared_geo: Path) -> None:
    cache = tmp_path / "geo"
    counts = build_official(str(official), cache=cache)
    assert counts == {"census_divisions": 3, "census_subdivisions": 4, "dissemination_areas": 2, "fsa": 2}
    geo = load_geography(shared_geo, cache=cache)
    assert geo.fidelity == "official"
    assert geo.info()["fidelity"] == "official"
    assert set(geo.municipalities["CSDUID"]) == {"3532042", "3534021", "3539036", "3539033"}
    assert geo.municipalities.crs.to_epsg() == 3347
    assert geo.dissemination_areas is not None and len(geo.dissemination_areas) == 2
    london = geo.municipalities.set_index("CSDUID").loc["3539036"]
    assert london["pop_2021"] == 422_324 and london["region"] == "london"
    # With official boundaries, coordinates decide the municipality with a small tolerance.
    centre = gpd.GeoSeries([_square(0, 0, 5 * KM).centroid], crs="EPSG:3347").to_crs(4326)
    from cartography.geocoding import geocode_coordinates

    result = geocode_coordinates(geo.gazetteer(), centre.y[0], centre.x[0])
    assert result.csduid == "3539036" and not result.uncertain


def test_build_from_url_checks_the_checksum(official: Path, tmp_path: Path, capsys) -> None:
    digest = hashlib.sha256((official / "lcd_000b21a_e.zip").read_bytes()).hexdigest()
    cache = tmp_path / "geo"
    counts = build_official(official.as_uri() + "/", cache=cache, checksums={"lcd_000b21a_e": digest})
    assert counts["census_divisions"] == 3
    assert "lcd_000b21a_e.zip" in capsys.readouterr().err  # the progress bar
    with pytest.raises(UserError) as info:
        build_official(official.as_uri(), cache=tmp_path / "other", checksums={"lcd_000b21a_e": "0" * 64})
    assert "somme de contrôle" in info.value.message("fr")
    assert not (tmp_path / "other").exists()


def test_a_bad_file_changes_nothing(official: Path, tmp_path: Path, shared_geo: Path) -> None:
    cache = tmp_path / "geo"
    (official / "lda_000b21a_e.zip").write_bytes(b"not a zip")
    with pytest.raises(UserError) as info:
        build_official(str(official), cache=cache)
    assert "lda_000b21a_e.zip" in info.value.message("fr")
    assert load_geography(shared_geo, cache=cache).fidelity == "generalised"


def test_a_missing_file_is_named(official: Path, tmp_path: Path) -> None:
    (official / "lfsa000b21a_e.zip").unlink()
    with pytest.raises(UserError) as info:
        build_official(str(official), cache=tmp_path / "geo")
    assert "lfsa000b21a_e.zip" in info.value.message("fr")


def test_cli_build_then_info(official: Path, capsys) -> None:
    assert main(["geo", "build", "--from", str(official)]) == 0
    assert "Géographie officielle" in capsys.readouterr().out
    assert main(["geo", "info", "--json"]) == 0
    assert '"fidelity": "official"' in capsys.readouterr().out
