"""How the compile builds its layers fast without changing them (issue 12): per-level gap rows,
one point per site, coordinates projected as arrays, each service read once."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest

from cartography.compilation import _service_areas, _service_points, _Services
from cartography.gaps import gap_indicators, gap_levels
from cartography.geography import CRS_DISPLAY, CRS_METRIC
from cartography.model import Submission
from cartography.vocabulary import french_service_languages


def _areas_and_points() -> tuple[pd.DataFrame, ...]:
    """Two towns 50 km apart in one region, a tract in town A; one health service in A."""
    areas = pd.DataFrame(
        {"level": ["region", "csd", "csd", "ct"], "area_id": ["r", "A", "B", "t1"], "name": ["R", "A", "B", "T1"]}
    )
    demand = pd.DataFrame(
        {"x": [0.0, 50_000.0], "y": [0.0, 0.0], "demand": [1000.0, 1000.0], "region": "r", "csd": ["A", "B"]}
    ).assign(ct=["t1", ""])
    supply = pd.DataFrame(
        {"x": [0.0], "y": [0.0], "category": ["health"], "capacity": [None], "region": "r", "csd": "A", "ct": "t1"}
    )
    remote = pd.DataFrame(columns=["service_key", "category", "mode", "region", "csd"])
    needs = pd.DataFrame(columns=["category", "severity", "status", "region", "csd"])
    return areas, demand, supply, remote, needs


def test_gap_levels_are_the_rows_of_each_level() -> None:
    inputs = _areas_and_points()
    levels = gap_levels(*inputs, categories=["health"])
    assert list(levels) == ["region", "csd", "ct"]
    whole = gap_indicators(*inputs, categories=["health"])
    for level, rows in levels.items():
        own = whole[whole["level"] == level].reset_index(drop=True)
        pd.testing.assert_frame_equal(rows, own, check_exact=True)
    # category-major: every area for "all", then every area for health
    assert levels["csd"][["area_id", "category"]].values.tolist() == [
        ["A", "all"],
        ["B", "all"],
        ["A", "health"],
        ["B", "health"],
    ]
    csd = levels["csd"].set_index(["area_id", "category"])
    assert csd.loc[("A", "health"), "gap_class"] == "covered"
    assert csd.loc[("B", "health"), "gap_class"] == "no_service"  # nothing within 30 km, nothing itinerant
    assert csd.loc[("B", "health"), "nearest_km"] == pytest.approx(50.0)


def _one_member(demo_store) -> list[Submission]:  # type: ignore[no-untyped-def]
    subs = demo_store.validated("2019-2020")
    return [next(s for s in subs if len(s.content.services) >= 2 and s.content.sites)]


def test_services_of_a_site_share_its_point_where_to_crs_puts_it(demo_store, geography) -> None:
    subs = _one_member(demo_store)
    points = _service_points(_Services.of(subs), geography)
    site = subs[0].content.sites[0]
    expected = gpd.GeoSeries(gpd.points_from_xy([site.longitude], [site.latitude]), crs=CRS_DISPLAY).to_crs(CRS_METRIC)
    at_site = points[points["site_code"] == site.site_code]
    assert len(at_site) >= 1
    assert (at_site.geometry.x == expected.x.iloc[0]).all()  # the very same coordinates, not approximately
    assert (at_site.geometry.y == expected.y.iloc[0]).all()
    assert len({id(g) for g in at_site.geometry.values}) == 1  # one shared point per site
    assert points.crs.to_epsg() == 3347


def test_service_areas_one_row_per_municipality_served(demo_store, geography) -> None:
    subs = _one_member(demo_store)
    areas = _service_areas(_Services.of(subs), geography)
    sites = {s.site_code: s.csduid for s in subs[0].content.sites}
    regions = dict(zip(geography.municipalities["CSDUID"], geography.municipalities["region"], strict=True))
    french = french_service_languages()
    for service in subs[0].content.services:
        rows = areas[areas["service_key"] == f"{subs[0].org_id}/{service.service_code}"]
        if service.mode == "in_person" or not service.areas_served:
            expected = [sites[service.site_code]] if service.site_code in sites else []
        else:  # a region stands for each of its municipalities, in layer order
            expected = []
            for code in service.areas_served:
                expected += [c for c, r in regions.items() if r == code] if code not in regions else [code]
            expected = list(dict.fromkeys(expected))
        assert rows["csd"].tolist() == expected
        assert rows["french"].tolist() == [service.language in french] * len(rows)
        assert rows["region"].tolist() == [regions[c] for c in expected]


def test_nothing_to_place_gives_empty_layers(demo_store, geography) -> None:
    subs = [
        s.model_copy(update={"content": s.content.model_copy(update={"services": ()})}) for s in _one_member(demo_store)
    ]
    table = _Services.of(subs)
    assert len(_service_points(table, geography)) == 0
    assert len(_service_areas(table, geography)) == 0
    assert np.array_equal(table.site, np.empty(0, dtype=np.intp))
