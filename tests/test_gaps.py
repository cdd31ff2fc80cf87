"""Gap indicators on a tiny hand-made world, with answers checkable by hand."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy.spatial import cKDTree

from cartography import gaps
from cartography.access import two_stage_fca
from cartography.gaps import ALL, GapParameters, gap_indicators, point_indicators

KM = 1000.0


def world(services_x: list[float], itinerant: bool = False, needs: list[dict] | None = None):  # type: ignore[no-untyped-def]
    # Two municipalities on a line in one region: A (x = 0, 1000 people) and B (x = 50 km,
    # 1000 people). Services are in-person at the given x positions, all in A.
    areas = pd.DataFrame(
        {"level": ["region", "csd", "csd"], "area_id": ["r", "A", "B"], "name": ["R", "Town A", "Town B"]}
    )
    demand = pd.DataFrame(
        {
            "x": [0.0, 50 * KM],
            "y": [0.0, 0.0],
            "demand": [1000.0, 1000.0],
            "region": ["r", "r"],
            "csd": ["A", "B"],
            "ct": ["", ""],
        }
    )
    supply = pd.DataFrame(
        {
            "x": services_x,
            "y": [0.0] * len(services_x),
            "category": "health",
            "capacity": [None] * len(services_x),
            "region": "r",
            "csd": "A",
            "ct": "",
        }
    )
    remote = (
        pd.DataFrame(
            {
                "service_key": ["it1"],
                "category": ["health"],
                "mode": ["itinerant"],
                "region": ["r"],
                "csd": ["B"],
            }
        )
        if itinerant
        else pd.DataFrame(columns=["service_key", "category", "mode", "region", "csd"])
    )
    need_frame = pd.DataFrame(needs or [], columns=["category", "severity", "status", "region", "csd"])
    return areas, demand, supply, remote, need_frame


def _row(out: pd.DataFrame, area: str, category: str = "health") -> pd.Series:
    return out[(out["area_id"] == area) & (out["category"] == category)].iloc[0]


def test_one_service_serves_its_town_only() -> None:
    out = gap_indicators(*world([0.0]), categories=["health"])
    a, b = _row(out, "A"), _row(out, "B")
    # 2SFCA, 30 km: the service sees A's 1000 people: 1/1000 per person = 10 per 10,000.
    assert a["access_2sfca_per_10k"] == pytest.approx(10.0)
    assert b["access_2sfca_per_10k"] == 0
    assert (a["services_in"], b["services_in"]) == (1, 0)
    assert a["nearest_km"] == 0 and b["nearest_km"] == pytest.approx(50.0)
    assert a["gap_class"] == "covered"
    assert b["gap_class"] == "no_service"
    # Region-wide: 1 service for 2000 people = 5 per 10,000 as the reference.
    assert a["reference_per_10k"] == pytest.approx(5.0)
    region = _row(out, "r")
    assert region["access_2sfca_per_10k"] == pytest.approx(5.0)  # (10*1000 + 0*1000) / 2000
    assert region["nearest_km"] == pytest.approx(25.0)


def test_far_service_and_itinerant_exemption() -> None:
    out = gap_indicators(*world([25 * KM]), categories=["health"])
    # Service at 25 km from both towns: both within 30 km, E2SFCA weight 0.22 each.
    b = _row(out, "B")
    assert b["nearest_km"] == pytest.approx(25.0)
    assert b["gap_class"] == "far"
    out = gap_indicators(*world([25 * KM], itinerant=True), categories=["health"])
    b = _row(out, "B")
    assert b["services_itinerant"] == 1 and b["gap_class"] != "far"


def test_unmet_needs_and_index() -> None:
    needs = [
        {"category": "health", "severity": "critical", "status": "unmet", "region": "r", "csd": "A"},
        {"category": "health", "severity": "low", "status": "partly_met", "region": "r", "csd": "A"},
        {"category": "health", "severity": "high", "status": "met", "region": "r", "csd": ""},
    ]
    out = gap_indicators(*world([0.0, 1.0], needs=needs), categories=["health"])
    a = _row(out, "A")
    assert a["needs_reported"] == 2 and a["needs_unmet"] == 2
    assert a["need_score"] == pytest.approx(4 * 1.0 + 1 * 0.5)
    assert a["gap_class"] == "unmet_need"
    region = _row(out, "r")
    assert region["needs_reported"] == 3 and region["needs_unmet"] == 2
    # A: access 20/10k vs reference 10 -> access gap 0; distance 0; needs 4.5/4.5 = 1 -> 0.3.
    assert a["gap_index"] == pytest.approx(0.3)
    # B: no access (gap 1), 50 km (capped at 1), no needs -> 0.4 + 0.3 = 0.7.
    assert _row(out, "B")["gap_index"] == pytest.approx(0.7)


def test_all_category_sums_services_and_inputs_unchanged() -> None:
    areas, demand, supply, remote, needs = world([0.0, 0.0])
    before = supply.copy()
    out = gap_indicators(areas, demand, supply, remote, needs, categories=["health", "housing"])
    assert _row(out, "A", "all")["services_in"] == 2
    assert _row(out, "A", "housing")["gap_class"] == "no_service"
    pd.testing.assert_frame_equal(supply, before)


def test_capacity_weighting() -> None:
    areas, demand, supply, remote, needs = world([0.0, 0.0])
    supply = supply.assign(capacity=[30.0, 10.0])
    out = gap_indicators(areas, demand, supply, remote, needs, GapParameters(use_capacity=True), categories=["health"])
    assert _row(out, "A")["access_2sfca_per_10k"] == pytest.approx(40 / 1000 * 10_000)


def test_unbounded_radius_equals_ratio_everywhere() -> None:
    areas, demand, supply, remote, needs = world([0.0, 7 * KM, 49 * KM])
    out = gap_indicators(areas, demand, supply, remote, needs, GapParameters(radius_m=np.inf), categories=["health"])
    health = out[out["category"] == "health"]
    assert np.allclose(health["access_2sfca_per_10k"], 3 / 2000 * 10_000)


# -- one pair search for every category (issue 12) -----------------------------------------


def _per_category_reference(dxy, demand, sxy, supply, category, categories, params):  # type: ignore[no-untyped-def]
    """Today's way, kept as the reference: one search per category and method."""
    columns = {"a2": [], "ae": [], "near": []}
    for code in [ALL, *categories]:
        mask = np.ones(len(sxy), bool) if code == ALL else category == code
        if not mask.any():
            columns["a2"].append(np.zeros(len(dxy)))
            columns["ae"].append(np.zeros(len(dxy)))
            columns["near"].append(np.full(len(dxy), np.inf))
            continue
        columns["a2"].append(two_stage_fca(dxy, demand, sxy[mask], supply[mask], params.radius_m))
        columns["ae"].append(two_stage_fca(dxy, demand, sxy[mask], supply[mask], params.radius_m, params.steps))
        columns["near"].append(cKDTree(sxy[mask]).query(dxy)[0])
    return {name: np.column_stack(values) for name, values in columns.items()}


@pytest.mark.parametrize("grid", [False, True], ids=["pair-table", "grid"])
@pytest.mark.parametrize("seed", range(3))
def test_one_search_equals_one_search_per_category(seed: int, grid: bool, monkeypatch: pytest.MonkeyPatch) -> None:
    if grid:  # the path a province takes: two_stage_fca's grid rather than one pair table
        monkeypatch.setattr(gaps, "PAIR_TABLE_LIMIT", 0)
    rng = np.random.default_rng(seed)
    dxy = rng.uniform(0, 80 * KM, (400, 2))
    demand = rng.integers(0, 3_000, 400).astype(float)  # some zero demand (reserves)
    sites = rng.uniform(0, 80 * KM, (60, 2))
    sxy = sites[rng.integers(0, 60, 150)]  # several services share a site
    supply = rng.integers(0, 40, 150).astype(float)  # capacities, some 0
    categories = ["health", "housing", "legal", "early_childhood"]
    category = rng.choice([*categories, "other"], 150)  # "other": counts in "all" only
    params = GapParameters(radius_m=20 * KM)  # some points have no service of a category in reach
    got = point_indicators(dxy, demand, sxy, supply, category, categories, params)
    ref = _per_category_reference(dxy, demand, sxy, supply, category, categories, params)
    assert got.categories == (ALL, *categories)
    np.testing.assert_allclose(got.access_2sfca, ref["a2"], rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(got.access_e2sfca, ref["ae"], rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(got.nearest_m, ref["near"], rtol=1e-12)
    assert np.isfinite(got.nearest_m).all() and (got.nearest_m.max(axis=0) > params.radius_m).any()


def test_counts_are_integers() -> None:
    needs = [{"category": "health", "severity": "high", "status": "unmet", "region": "r", "csd": "A"}]
    out = gap_indicators(*world([0.0], itinerant=True, needs=needs), categories=["health", "housing"])
    for column in ("services_in", "services_itinerant", "services_virtual", "services_serving"):
        assert pd.api.types.is_integer_dtype(out[column]), column
    for column in ("needs_reported", "needs_unmet"):
        assert pd.api.types.is_integer_dtype(out[column]), column
    a = _row(out, "A")
    assert (a["needs_reported"], a["needs_unmet"], a["services_in"]) == (1, 1, 1)
    assert _row(out, "B")["services_itinerant"] == 1 and _row(out, "B", "all")["services_serving"] == 1
