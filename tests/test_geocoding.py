"""Offline geocoding on the real shared gazetteer (../shared/geo/places.csv, GeoNames and
Statistics Canada), with answers checkable by hand."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from cartography.cli import main
from cartography.geocoding import geocode, geocode_site
from cartography.i18n import UserError


def test_every_gazetteer_place_geocodes_to_its_own_municipality(gazetteer, geography) -> None:
    places = geography.places
    named = places[places["place_type"] != "fsa_centroid"]
    checked = 0
    for row in named.itertuples():
        if pd.isna(row.CSDUID):  # New Dundee: Waterloo Region, outside
            with pytest.raises(UserError):
                geocode(gazetteer, row.name)
            continue
        result = geocode(gazetteer, row.name)
        assert result.csduid == row.CSDUID, row.name
        checked += 1
    assert checked == 48


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


def test_uncertain_coordinates_say_so(gazetteer) -> None:
    # Downtown London: the generalised London polygon covers half the city, so the answer
    # must be flagged uncertain.
    result = geocode(gazetteer, "42.98339, -81.23304")
    assert result.csduid == "3539036"
    assert result.uncertain
    assert "incertaine" in result.note_fr and "Uncertain" in result.note_en


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


def test_unknown_names_suggest_the_closest(gazetteer) -> None:
    with pytest.raises(UserError) as info:
        geocode(gazetteer, "Strathroi")
    assert "Strathroy" in info.value.message("fr")


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
