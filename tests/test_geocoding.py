"""Offline geocoding on the real shared gazetteer (../shared/geo/places.csv, GeoNames and
Statistics Canada), with answers checkable by hand."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from cartography.cli import main
from cartography.geocoding import geocode, geocode_coordinates, geocode_site
from cartography.geography import place_key
from cartography.i18n import UserError


def test_every_gazetteer_place_geocodes_to_its_own_municipality(gazetteer, geography) -> None:
    # Version 2 of places.csv: 339 populated places (21 GeoNames + 318 CGNDB) and 28
    # municipalities. Every one is found by its name. A name held by places of several
    # municipalities (Springfield, Brown's Corners, Westmount, The Gore) is ambiguous: the
    # answer lists each candidate with its municipality, and the name qualified by that
    # municipality resolves to the row's CSDUID.
    places = geography.places
    named = places[places["place_type"] != "fsa_centroid"]
    populated = places[places["place_type"] == "populated_place"]
    csds_of_name = populated.groupby(populated["name"].map(place_key))["CSDUID"].agg(lambda s: set(s.dropna()))
    municipalities = {place_key(n): csd for csd, n in gazetteer.municipality_names.items()}
    checked = ambiguous = 0
    for row in named.itertuples():
        if pd.isna(row.CSDUID):  # New Dundee: Waterloo Region, outside
            with pytest.raises(UserError) as info:
                geocode(gazetteer, row.name)
            assert info.value.key == "geocode.error.outside_place"
            continue
        key = place_key(row.name)
        if key not in municipalities and len(csds_of_name.get(key, set())) > 1:
            with pytest.raises(UserError) as info:
                geocode(gazetteer, row.name)
            assert info.value.key == "geocode.error.ambiguous", row.name
            for csd in csds_of_name[key]:
                assert f"{row.name} ({gazetteer.name_of(csd)})" in info.value.message("fr")
            qualified = geocode(gazetteer, f"{row.name}, {gazetteer.name_of(row.CSDUID)}")
            assert qualified.csduid == row.CSDUID and qualified.precision == "place", row.name
            ambiguous += 1
            continue
        result = geocode(gazetteer, row.name)
        assert result.csduid == row.CSDUID, row.name
        expected = "municipality" if key in municipalities else "place"
        assert result.precision == expected, row.name
        checked += 1
    assert (checked, ambiguous) == (28 + 339 - 1 - 8, 8)


@pytest.mark.parametrize("text", ["n6a3k7", "N6A 3K7", "N6A", " n6a-3k7 "])
def test_london_postal_codes(gazetteer, text: str) -> None:
    result = geocode(gazetteer, text)
    assert (result.csduid, result.municipality, result.region) == ("3539036", "London", "london")
    assert result.precision == "postal_fsa"


@pytest.mark.parametrize("text", ["st thomas", "Saint-Thomas", "ST. THOMAS, ON", "St Thomas, Ontario"])
def test_st_thomas_variants(gazetteer, text: str) -> None:
    result = geocode(gazetteer, text)
    assert result.csduid == "3534021"
    assert result.region == "elgin"
    assert result.precision == "municipality"


def test_port_stanley_is_in_central_elgin(gazetteer) -> None:
    result = geocode(gazetteer, "Port Stanley")
    assert (result.csduid, result.municipality, result.precision) == ("3534020", "Central Elgin", "place")


def test_coordinates(gazetteer) -> None:
    # The GeoNames point of Woodstock; the polygon test plus the nearest known place agree.
    result = geocode(gazetteer, "43.13339, -80.7497")
    assert result.precision == "coordinates"
    assert result.csduid == "3532042"
    assert result.region == "oxford"


def test_uncertain_coordinates_say_so(gazetteer, geography) -> None:
    # Downtown London lies deep inside London's exact polygon (tolerance 50 m): certain.
    downtown = geocode(gazetteer, "42.98339, -81.23304")
    assert (downtown.csduid, downtown.uncertain, downtown.note_fr) == ("3539036", False, "")
    # places.csv flags 46 CGNDB places nearer to their polygon's edge than its own
    # boundary_tolerance_m (csd_uncertain): their coordinates, and only theirs, are
    # uncertain, and every point lands in the place's own municipality.
    cgndb = geography.places[geography.places["source"] == "CGNDB"]
    flagged = 0
    for row in cgndb.itertuples():
        result = geocode_coordinates(gazetteer, float(row.lat), float(row.lon))
        assert result.csduid == row.CSDUID, row.name
        assert result.uncertain == (str(row.csd_uncertain) == "True"), row.name
        flagged += result.uncertain
    assert flagged == 46
    # Bowood lies in Middlesex Centre (exact polygon, 50 m) about 39 m from its edge with
    # North Middlesex: uncertain, and the message names that possible neighbour.
    bowood = cgndb[cgndb["name"] == "Bowood"].iloc[0]
    result = geocode_coordinates(gazetteer, float(bowood.lat), float(bowood.lon))
    assert (result.csduid, result.uncertain, result.candidates) == ("3539033", True, ("3539041",))
    assert "incertaine" in result.note_fr and "Uncertain" in result.note_en
    assert "North Middlesex" in result.note_fr and "North Middlesex" in result.note_en


def test_rural_fsa_needs_the_municipality(gazetteer) -> None:
    with pytest.raises(UserError) as info:
        geocode(gazetteer, "N0L 1R0")
    assert "municipalité" in info.value.message("fr")
    assert "municipality" in info.value.message("en")
    result = geocode(gazetteer, "N0L 1R0, Mount Brydges")
    assert result.csduid == "3539015"


@pytest.mark.parametrize("text", ["K1A 0B1", "Toronto", "45.50, -73.57", "New Dundee", "N4X"])
def test_outside_the_region_is_a_clear_error(gazetteer, text: str) -> None:
    with pytest.raises(UserError):
        geocode(gazetteer, text)


def test_plain_typos_are_read_with_a_note_and_others_suggest_with_the_municipality(gazetteer) -> None:
    # One letter off a single known name: read as that name, and the member is told.
    result = geocode(gazetteer, "Strathroi")
    assert result.csduid == "3539015"
    assert "Strathroy" in result.note_fr and "Strathroy" in result.note_en
    # Too short to correct safely: suggestions, each with its municipality.
    with pytest.raises(UserError) as info:
        geocode(gazetteer, "Embo")
    assert info.value.key == "geocode.error.did_you_mean"
    assert "Embro (Zorra)" in info.value.message("fr")


def test_malformed_postal_code(gazetteer) -> None:
    with pytest.raises(UserError) as info:
        geocode(gazetteer, "N6A 3K")
    assert "A1A 1A1" in info.value.message("fr")


def test_site_uses_the_members_municipality_when_the_point_is_uncertain(gazetteer) -> None:
    result = geocode_site(gazetteer, latitude=42.98339, longitude=-81.23304, municipality="London")
    assert result.csduid == "3539036" and not result.uncertain
    assert geocode_site(gazetteer, postal_code="N5R 1A1").csduid == "3534021"
    assert geocode_site(gazetteer, postal_code="N0L 1R0", municipality="Glencoe").csduid == "3539005"


def test_cli_geocode_json(capsys) -> None:
    assert main(["geocode", "ST. THOMAS, ON", "--json"]) == 0
    document = json.loads(capsys.readouterr().out)
    assert document["csduid"] == "3534021"
    assert set(document) >= {"latitude", "longitude", "precision", "csduid", "municipality", "region"}


@pytest.mark.parametrize("text", ["K1A 0B1", "Toronto"])
def test_cli_geocode_error_exit_and_french_message(capsys, text: str) -> None:
    assert main(["geocode", text]) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "région" in captured.err and "[EN]" in captured.err
