"""The region's geography on the real shared Statistics Canada data (../shared/geo)."""

from __future__ import annotations

import json

import pytest

from cartography.cli import main
from cartography.geography import place_key, region_of


def test_twenty_eight_municipalities_with_official_ids(geography) -> None:
    munis = geography.municipalities
    assert len(munis) == 28
    assert munis["CSDUID"].is_unique
    assert set(munis["CSDUID"].str[:4]) == {"3532", "3534", "3539"}
    assert {"3539017", "3539018", "3539021", "3534021", "3539036"} <= set(munis["CSDUID"])
    assert geography.municipalities.crs.to_epsg() == 3347


def test_population_per_region_equals_statistics_canada(geography) -> None:
    pops = dict(zip(geography.regions["region"], geography.regions["pop_2021"], strict=True))
    assert pops["london"] == 422_324
    assert pops["elgin"] == 94_752
    assert pops["oxford"] == 121_781
    # Middlesex CD (3539) including London, as published in Table 98-10-0002-01.
    assert pops["middlesex"] + pops["london"] == 500_563


def test_regions_are_derived_from_ids() -> None:
    assert region_of("3539036") == "london"
    assert region_of("3539017") == "middlesex"
    assert region_of("3534021") == "elgin"
    assert region_of("3532042") == "oxford"
    assert region_of("3506008") is None


@pytest.mark.parametrize(
    ("variant", "canonical"),
    [
        ("St. Thomas", "Saint-Thomas"),
        ("ST THOMAS, ON", "st-thomas"),
        ("Sainte-Marie", "Ste. Marie"),
        ("Dutton/Dunwich", "dutton dunwich"),
        ("Town of Aylmer", "AYLMER, Ontario"),
        ("Élgin", "elgin"),
        ("Mt Brydges", "Mount Brydges"),
        ("Mt. Elgin", "mount elgin"),
        ("Pt Stanley", "Port Stanley"),
        ("Browns Corners", "Brown's Corners"),
        ("Thames Center", "Thames Centre"),
        ("Zorra Township", "Township of Zorra"),
        ("Elgin County", "comté d'Elgin"),
        ("KOMOKA, ON, Canada", "Komoka"),
        ("The Gore", "the gore"),
    ],
)
def test_place_key_forgives_spelling(variant: str, canonical: str) -> None:
    assert place_key(variant) == place_key(canonical)


def test_place_key_keeps_distinct_names_apart() -> None:
    assert place_key("Port Stanley") != place_key("Port Burwell")
    assert place_key("Berkshire Village") != place_key("Berkshire")
    assert place_key("Oxford Centre") != place_key("Oxford")
    assert place_key("Talbotville Royal") != place_key("Talbotville")


def test_geo_info_json(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["geo", "info", "--json"]) == 0
    info = json.loads(capsys.readouterr().out)
    assert info["fidelity"] == "generalised"
    assert info["vintage"] == "2021"
    assert len(info["municipalities"]) == 28
    assert [r["code"] for r in info["regions"]] == ["london", "middlesex", "elgin", "oxford"]
    assert "Statistique Canada" in info["attribution"]["fr"]
    assert "does not constitute an endorsement by Statistics Canada" in info["attribution"]["en"]
    assert "GeoNames" in info["attribution"]["en"]
    london = next(m for m in info["municipalities"] if m["csduid"] == "3539036")
    assert london == {
        "csduid": "3539036",
        "name": "London",
        "type": "CY",
        "cduid": "3539",
        "region": "london",
        "pop_2021": 422324,
    }


def test_geo_info_text_is_french_first(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["geo", "info"]) == 0
    out = capsys.readouterr().out
    assert "Municipalité" in out and "généralisée" in out
    assert "422 324" in out


def test_missing_source_is_a_clear_error(monkeypatch, tmp_path, capsys) -> None:
    monkeypatch.setenv("CARTO_GEO_SOURCE", str(tmp_path / "nowhere"))
    assert main(["geo", "info"]) == 1
    err = capsys.readouterr().err
    assert "CARTO_GEO_SOURCE" in err and "Traceback" not in err


def test_municipalities_carry_their_boundary_tolerance(geography) -> None:
    # Version 2: the 8 exact London-CMA municipalities 50 m, the 20 generalised ones 600 m.
    tolerance = geography.municipalities.set_index("CSDUID")["boundary_tolerance_m"]
    assert tolerance.value_counts().to_dict() == {600.0: 20, 50.0: 8}
    assert tolerance["3539036"] == 50 and tolerance["3532042"] == 600
    assert geography.municipalities["geometry_source"].str.startswith(("exact", "generalised")).all()


def test_official_boundaries_get_their_own_small_tolerance(geography) -> None:
    from cartography.io.geo_source import OFFICIAL_TOLERANCE_M, _municipalities

    official = geography.municipalities[["CSDUID", "CSDNAME", "CSDTYPE", "geometry"]]
    population = geography.municipalities[["CSDUID", "CSDNAME", "CSDTYPE", "CDUID", "pop_2021", "land_area_km2_2021"]]
    built = _municipalities(official, population)
    assert OFFICIAL_TOLERANCE_M == 25.0
    assert (built["boundary_tolerance_m"] == 25.0).all()
    assert built["geometry_source"].str.startswith("official").all()
