"""2SFCA/E2SFCA: hand-checked answers, invariants, and equality with PySAL access."""

from __future__ import annotations

import numpy as np
import pytest

from cartography.access import catchment_pairs, pysal_reference, step_weights, two_stage_fca


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
