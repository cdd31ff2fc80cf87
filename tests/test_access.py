"""2SFCA/E2SFCA: hand-checked answers, invariants, and equality with PySAL access."""

from __future__ import annotations

import numpy as np
import pytest

from cartography import access
from cartography.access import (
    catchment_pairs,
    floating_catchment,
    pair_table,
    pysal_reference,
    step_weights,
    two_stage_fca,
)


def test_tiny_grid_by_hand() -> None:
    # Demand at x = 0, 10, 20 km (100, 200, 300 people); one site of 30 at x = 5 km;
    # radius 10 km reaches demand 0 and 10 (5 km each): ratio 30 / 300 = 0.1.
    demand_xy = [[0, 0], [10_000, 0], [20_000, 0]]
    result = two_stage_fca(demand_xy, [100, 200, 300], [[5_000, 0]], [30], radius=10_000)
    np.testing.assert_allclose(result, [0.1, 0.1, 0.0])


def test_boundary_is_inclusive() -> None:
    result = two_stage_fca([[0, 0], [3_000, 4_000]], [1, 1], [[0, 0]], [10], radius=5_000)
    np.testing.assert_allclose(result, [5.0, 5.0])  # (3, 4, 5) triangle: exactly on the radius


def test_two_sites_overlapping_by_hand() -> None:
    # A (0,0) demand 100; B (20 km, 0) demand 100. Site 1 at (0,0) supply 10, site 2 at
    # (10 km, 0) supply 20; radius 10 km. Site 1 sees A: R1 = 0.1. Site 2 sees A and B:
    # R2 = 20/200 = 0.1. A gets 0.2, B gets 0.1.
    result = two_stage_fca([[0, 0], [20_000, 0]], [100, 100], [[0, 0], [10_000, 0]], [10, 20], 10_000)
    np.testing.assert_allclose(result, [0.2, 0.1])


def test_enhanced_steps_by_hand() -> None:
    # Steps: <= 5 km weight 1, <= 10 km weight 0.5. Demand A at 0 (100), B at 8 km (100);
    # site at 0 with 30. Weighted demand = 100*1 + 100*0.5 = 150; R = 0.2.
    # A = 1 * 0.2 = 0.2; B = 0.5 * 0.2 = 0.1.
    result = two_stage_fca(
        [[0, 0], [8_000, 0]], [100, 100], [[0, 0]], [30], 10_000, steps=[(5_000, 1.0), (10_000, 0.5)]
    )
    np.testing.assert_allclose(result, [0.2, 0.1])


def test_step_weights() -> None:
    np.testing.assert_allclose(
        step_weights(np.array([0, 10, 15, 20, 25, 30, 31.0]), [(10, 1), (20, 0.68), (30, 0.22)]),
        [1, 1, 0.68, 0.68, 0.22, 0.22, 0],
    )


def _random(seed: int, n: int = 300, m: int = 60, extent: float = 80_000):
    rng = np.random.default_rng(seed)
    return (
        rng.uniform(0, extent, (n, 2)),
        rng.integers(1, 5_000, n).astype(float),
        rng.uniform(0, extent, (m, 2)),
        rng.integers(1, 50, m).astype(float),
    )


@pytest.mark.parametrize("seed", range(5))
def test_unbounded_catchment_equals_total_ratio(seed: int) -> None:
    dxy, d, sxy, s = _random(seed)
    result = two_stage_fca(dxy, d, sxy, s, radius=np.inf)
    np.testing.assert_allclose(result, s.sum() / d.sum(), rtol=1e-12)
    result = two_stage_fca(dxy, d, sxy, s, radius=1e9)
    np.testing.assert_allclose(result, s.sum() / d.sum(), rtol=1e-12)


@pytest.mark.parametrize("seed", range(5))
def test_demand_times_access_equals_reachable_supply(seed: int) -> None:
    dxy, d, sxy, s = _random(seed)
    for steps in (None, [(10_000, 1.0), (20_000, 0.6), (25_000, 0.2)]):
        result = two_stage_fca(dxy, d, sxy, s, radius=25_000, steps=steps)
        _, j, _ = catchment_pairs(dxy, sxy, 25_000)
        reachable = s[np.unique(j)].sum()
        np.testing.assert_allclose((d * result).sum(), reachable, rtol=1e-10)


def test_inputs_are_not_mutated_and_bad_inputs_refused() -> None:
    dxy, d, sxy, s = _random(1)
    copies = [a.copy() for a in (dxy, d, sxy, s)]
    two_stage_fca(dxy, d, sxy, s, 20_000)
    for a, b in zip((dxy, d, sxy, s), copies, strict=True):
        np.testing.assert_array_equal(a, b)
    with pytest.raises(ValueError):
        two_stage_fca(dxy, -d, sxy, s, 20_000)
    with pytest.raises(ValueError):
        two_stage_fca(dxy, d[:-1], sxy, s, 20_000)
    with pytest.raises(ValueError):
        two_stage_fca(np.where(dxy == dxy[0, 0], np.nan, dxy), d, sxy, s, 20_000)


@pytest.mark.parametrize("seed", range(4))
def test_equals_pysal_access(seed: int) -> None:
    dxy, d, sxy, s = _random(seed)
    ours = two_stage_fca(dxy, d, sxy, s, 20_000)
    np.testing.assert_allclose(ours, pysal_reference(dxy, d, sxy, s, 20_000), rtol=1e-9, atol=0)
    steps = [(5_000, 1.0), (12_000, 0.68), (20_000, 0.22)]
    ours = two_stage_fca(dxy, d, sxy, s, 20_000, steps=steps)
    np.testing.assert_allclose(ours, pysal_reference(dxy, d, sxy, s, 20_000, steps), rtol=1e-9, atol=0)


def test_catchment_without_demand_gives_zero_where_pysal_gives_infinity() -> None:
    # A site whose catchment holds only zero demand (a reserve the census did not enumerate)
    # has no ratio to hand out: we give 0 (documented in docs/methodologie.md); PySAL divides
    # by zero and reports infinity. Everything else agrees.
    dxy, d, sxy, s = [[0, 0], [50_000, 0]], [0, 100], [[0, 0], [50_000, 0]], [10, 5]
    ours = two_stage_fca(dxy, d, sxy, s, 1_000)
    ref = pysal_reference(dxy, d, sxy, s, 1_000)
    np.testing.assert_allclose(ours, [0.0, 0.05])
    assert np.isinf(ref[0]) and ref[1] == pytest.approx(0.05)


# -- one pair table, many categories (issue 12) -------------------------------------------

# Three demand points on a line and two sites, two categories (columns):
#   D0 x = 0 (100 people), D1 x = 14 km (200), D2 x = 30 km (100)
#   site A x = 5 km supplies [30, 6]; site B x = 25 km supplies [10, 4]; radius 12 km.
# Distances within reach: A-D0 5 km, A-D1 9 km, B-D1 11 km, B-D2 5 km (A-D2 25, B-D0 25: out).
HAND_DEMAND_XY = [[0, 0], [14_000, 0], [30_000, 0]]
HAND_DEMAND = [100, 200, 100]
HAND_SUPPLY_XY = [[5_000, 0], [25_000, 0]]
HAND_SUPPLY = [[30, 6], [10, 4]]
HAND_STEPS = [(6_000, 1.0), (12_000, 0.5)]


def test_two_categories_2sfca_by_hand() -> None:
    # A sees D0 + D1 = 300: R_A = [30, 6] / 300 = [0.1, 0.02]; B sees D1 + D2 = 300:
    # R_B = [10, 4] / 300 = [1/30, 1/75]. D0 gets R_A, D1 gets R_A + R_B, D2 gets R_B.
    result = two_stage_fca(HAND_DEMAND_XY, HAND_DEMAND, HAND_SUPPLY_XY, HAND_SUPPLY, 12_000)
    np.testing.assert_allclose(result, [[0.1, 0.02], [0.1 + 1 / 30, 0.02 + 1 / 75], [1 / 30, 1 / 75]], rtol=1e-12)
    # Supply is conserved: 100 * 0.1 + 200 * (2/15) + 100 * (1/30) = 40 = 30 + 10.
    np.testing.assert_allclose(np.asarray(HAND_DEMAND) @ result, [40, 10], rtol=1e-12)


def test_two_categories_e2sfca_by_hand() -> None:
    # Weights: <= 6 km 1, <= 12 km 0.5. A sees 100 * 1 + 200 * 0.5 = 200: R_A = [0.15, 0.03];
    # B sees 200 * 0.5 + 100 * 1 = 200: R_B = [0.05, 0.02].
    # D0 = 1 * R_A; D1 = 0.5 * R_A + 0.5 * R_B = [0.1, 0.025]; D2 = 1 * R_B.
    result = two_stage_fca(HAND_DEMAND_XY, HAND_DEMAND, HAND_SUPPLY_XY, HAND_SUPPLY, 12_000, steps=HAND_STEPS)
    np.testing.assert_allclose(result, [[0.15, 0.03], [0.1, 0.025], [0.05, 0.02]], rtol=1e-12)


def test_each_column_equals_its_own_run() -> None:
    supply = np.asarray(HAND_SUPPLY, float)
    for steps in (None, HAND_STEPS):
        both = two_stage_fca(HAND_DEMAND_XY, HAND_DEMAND, HAND_SUPPLY_XY, supply, 12_000, steps=steps)
        for column in range(2):
            alone = two_stage_fca(HAND_DEMAND_XY, HAND_DEMAND, HAND_SUPPLY_XY, supply[:, column], 12_000, steps=steps)
            np.testing.assert_allclose(both[:, column], alone, rtol=1e-12)


def test_pair_table_is_searched_once_for_both_methods() -> None:
    table = pair_table(HAND_DEMAND_XY, HAND_SUPPLY_XY, 12_000)
    found = sorted(zip(table.demand.tolist(), table.supply.tolist(), table.distance.tolist(), strict=True))
    assert found == [(0, 0, 5_000.0), (1, 0, 9_000.0), (1, 1, 11_000.0), (2, 1, 5_000.0)]
    d = np.asarray(HAND_DEMAND, float)
    np.testing.assert_allclose(
        floating_catchment(table, d, HAND_SUPPLY, HAND_STEPS),
        two_stage_fca(HAND_DEMAND_XY, d, HAND_SUPPLY_XY, HAND_SUPPLY, 12_000, steps=HAND_STEPS),
        rtol=1e-15,
    )


@pytest.mark.parametrize("seed", range(3))
def test_unbounded_catchment_equals_total_ratio_per_column(seed: int) -> None:
    dxy, d, sxy, _ = _random(seed)
    supply = np.random.default_rng(seed).integers(0, 9, (len(sxy), 4)).astype(float)
    result = two_stage_fca(dxy, d, sxy, supply, radius=np.inf)
    np.testing.assert_allclose(result, np.broadcast_to(supply.sum(0) / d.sum(), result.shape), rtol=1e-12)


# -- the grid path (no pair list) against the pair table and a brute-force dense answer ----

STEPS_25 = [(10_000.0, 1.0), (20_000.0, 0.68), (25_000.0, 0.22)]
# Offsets at exactly 10, 20 and 25 km with integer coordinates (Pythagorean triples), so the
# distance is exact in floating point and the pair is on the bound: it must be in.
ON_BOUNDS = [(6_000, 8_000), (-8_000, 6_000), (10_000, 0), (12_000, -16_000), (0, 20_000),
             (7_000, 24_000), (-15_000, -20_000), (24_000, 7_000), (-25_000, 0)]  # fmt: skip


def _brute_force(dxy, d, sxy, s, radius, steps=None):  # type: ignore[no-untyped-def]
    """Every demand x supply distance in one dense matrix, the way the pair path measures it."""
    dx = dxy[:, None, 0] - sxy[None, :, 0]
    dy = dxy[:, None, 1] - sxy[None, :, 1]
    dist = np.sqrt(dx * dx + dy * dy)
    w = (dist <= radius).astype(float) if steps is None else step_weights(dist, steps) * (dist <= radius)
    seen = w.T @ d
    ratio = np.divide(s.T, seen, out=np.zeros(s.T.shape), where=seen > 0).T
    return w @ ratio


def _with_points_on_bounds(seed: int, offset: float = 0.0):  # type: ignore[no-untyped-def]
    """Random integer points, plus demand points exactly 10, 20 and 25 km from some sites."""
    rng = np.random.default_rng(seed)
    sxy = rng.integers(0, 90_000, (70, 2)).astype(float)
    exact = np.concatenate([sxy[i % len(sxy)] + np.array(ON_BOUNDS) for i in range(6)])
    dxy = np.concatenate([rng.integers(0, 90_000, (400, 2)).astype(float), exact]) + offset
    d = rng.integers(0, 3_000, len(dxy)).astype(float)
    s = rng.integers(0, 9, (len(sxy), 3)).astype(float)
    return dxy, d, sxy + offset, s


@pytest.mark.parametrize("seed", range(4))
@pytest.mark.parametrize("offset", [0.0, 4_700_000.0])
@pytest.mark.parametrize("steps", [None, STEPS_25])
@pytest.mark.parametrize("cells", [1, 3])
def test_grid_path_equals_pair_table_and_brute_force(
    monkeypatch: pytest.MonkeyPatch, seed: int, offset: float, steps, cells: int
) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(access, "CELLS_PER_RADIUS", (cells,))
    dxy, d, sxy, s = _with_points_on_bounds(seed, offset)
    bounds, table = access._bands(25_000, steps)
    grid = access._grid_fca(dxy, d, sxy, s, bounds, table)
    assert grid is not None  # the grid path really ran
    pairs = floating_catchment(pair_table(dxy, sxy, 25_000), d, s, steps)
    brute = _brute_force(dxy, d, sxy, s, 25_000, steps)
    np.testing.assert_allclose(grid, brute, rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(pairs, brute, rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(two_stage_fca(dxy, d, sxy, s, 25_000, steps), brute, rtol=1e-12, atol=1e-15)


@pytest.mark.parametrize("steps", [None, STEPS_25])
def test_grid_path_exact_recheck_and_small_blocks(monkeypatch: pytest.MonkeyPatch, steps) -> None:  # type: ignore[no-untyped-def]
    # A re-check band a million times too wide sends many entries, those on the bounds among
    # them, through the exact re-check; tiny blocks cut every cell's demand into many blocks.
    dxy, d, sxy, s = _with_points_on_bounds(7, 4_700_000.0)
    brute = _brute_force(dxy, d, sxy, s, 25_000, steps)
    monkeypatch.setattr(access, "RECHECK", 2.0**-20)
    monkeypatch.setattr(access, "BLOCK_ENTRIES", 50)
    for cells in (1, 2, 5):
        monkeypatch.setattr(access, "CELLS_PER_RADIUS", (cells,))
        np.testing.assert_allclose(two_stage_fca(dxy, d, sxy, s, 25_000, steps), brute, rtol=1e-12, atol=1e-15)


def test_sparse_points_fall_back_to_the_pair_table() -> None:
    # Two towns 2,000 km apart with a 1 km catchment: the grid would be mostly empty cells.
    rng = np.random.default_rng(3)
    towns = np.array([[0.0, 0.0], [2_000_000.0, 0.0]])
    dxy = towns[rng.integers(0, 2, 300)] + rng.uniform(-2_000, 2_000, (300, 2))
    sxy = towns[rng.integers(0, 2, 40)] + rng.uniform(-2_000, 2_000, (40, 2))
    d, s = rng.uniform(1, 9, 300), rng.uniform(1, 9, 40)
    assert access._grid(dxy, sxy, access._box(dxy, sxy), 1_000.0) is None
    np.testing.assert_allclose(two_stage_fca(dxy, d, sxy, s, 1_000), _brute_force(dxy, d, sxy, s, 1_000), rtol=1e-12)


@pytest.mark.parametrize("seed", range(3))
def test_catchment_wider_than_the_region_equals_total_ratio(seed: int) -> None:
    # Every pair in reach (also for a single enhanced step): every value is S / D.
    dxy, d, sxy, s = _random(seed)
    for steps in (None, [(1e12, 0.4)]):
        result = two_stage_fca(dxy, d, sxy, s, radius=1e7, steps=steps)
        np.testing.assert_allclose(result, s.sum() / d.sum(), rtol=1e-12)
    # Just short of the region's span, the grid path runs and no longer hands out everything.
    partial = two_stage_fca(dxy, d, sxy, s, radius=60_000)
    np.testing.assert_allclose(partial, _brute_force(dxy, d, sxy, s, 60_000), rtol=1e-12)
    assert not np.allclose(partial, s.sum() / d.sum())


def test_zero_weight_bands_and_empty_inputs() -> None:
    dxy, d, sxy, s = _random(2)
    steps = [(10_000.0, 1.0), (20_000.0, 0.0), (30_000.0, 0.0)]
    np.testing.assert_allclose(
        two_stage_fca(dxy, d, sxy, s, 30_000, steps), _brute_force(dxy, d, sxy, s, 30_000, steps), rtol=1e-12
    )
    np.testing.assert_array_equal(two_stage_fca(dxy, d, sxy, s, 30_000, [(10_000.0, 0.0)]), 0.0)
    np.testing.assert_array_equal(two_stage_fca(dxy, d, sxy, s, 30_000, []), 0.0)
    assert two_stage_fca(np.empty((0, 2)), [], sxy, s, 30_000).shape == (0,)
    np.testing.assert_array_equal(two_stage_fca(dxy, d, np.empty((0, 2)), np.empty((0, 2)), 30_000), 0.0)
