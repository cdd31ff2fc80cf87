"""Floating catchment accessibility (2SFCA and its enhanced form E2SFCA), vectorised.

This is the contract other code and checks rely on (DESIGN.md section 5): numbers equal to
PySAL ``access`` (``two_stage_fca`` and ``enhanced_two_stage_fca``) on the same inputs, computed
with a KD-tree pair search and sparse products instead of a cross join or a row-wise apply.

The pair search is the expensive part, so it is done once (:func:`pair_table`) and both
methods are products on that one table: :func:`floating_catchment` computes the
accessibility of many supplies at once (one column per service category, ``W @ R`` with
``W`` the sparse demand x supply weight matrix). :func:`two_stage_fca` is the same
computation from coordinates.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy import sparse
from scipy.spatial import cKDTree

#: Demand points per block of the pair search: blocks run on all cores (the KD-tree releases
#: the GIL).
BLOCK = 2_500


def _validate(
    demand_xy: ArrayLike, demand: ArrayLike, supply_xy: ArrayLike, supply: ArrayLike, radius: float
) -> tuple[NDArray[np.float64], NDArray[np.float64], NDArray[np.float64], NDArray[np.float64]]:
    dxy = np.asarray(demand_xy, dtype=np.float64).reshape(-1, 2)
    sxy = np.asarray(supply_xy, dtype=np.float64).reshape(-1, 2)
    d = np.asarray(demand, dtype=np.float64).reshape(-1)
    s = np.asarray(supply, dtype=np.float64)
    if s.ndim not in (1, 2) or len(d) != len(dxy) or len(s) != len(sxy):
        raise ValueError("each point needs exactly one weight (or one row of weights)")
    if np.any(d < 0) or np.any(s < 0) or not (np.all(np.isfinite(d)) and np.all(np.isfinite(s))):
        raise ValueError("demand and supply must be finite and non-negative")
    if (not np.isfinite(radius) and radius != np.inf) or radius < 0:
        raise ValueError("radius must be non-negative")
    return dxy, d, sxy, s


@dataclass(frozen=True)
class PairTable:
    """Every (demand point, supply point) pair within the radius: three aligned columns.

    Pair ``p`` joins demand point ``demand[p]`` and supply point ``supply[p]`` at
    ``distance[p]`` metres. The pairs are in no particular order: the products below
    (coordinate-format sparse matrices, ``bincount``, ``minimum.at``) need none, so no sort
    of millions of pairs is ever paid.
    """

    demand: NDArray[np.int32]
    supply: NDArray[np.int32]
    distance: NDArray[np.float64]
    n_demand: int
    n_supply: int

    def matrix(self, weights: NDArray[np.float64] | None = None) -> sparse.coo_array:
        """The demand x supply matrix of pair weights (1 for every pair when ``weights`` is None)."""
        data = np.ones(len(self.supply)) if weights is None else np.asarray(weights, dtype=np.float64)
        return sparse.coo_array((data, (self.demand, self.supply)), shape=(self.n_demand, self.n_supply))


def _search_blocks(
    demand_xy: NDArray[np.float64], supply_xy: NDArray[np.float64], radius: float
) -> list[tuple[NDArray[np.int32], NDArray[np.int32], NDArray[np.float64]]]:
    """(demand index, supply index, distance) of every pair within ``radius``, by demand block.

    The search is widened by a hair and the distance decides, so a pair at exactly the
    radius is always in (the catchment boundary is inclusive).
    """
    n = len(demand_xy)
    tree_s = cKDTree(supply_xy)
    reach = radius * (1 + 1e-9) + 1e-9
    bounds = np.linspace(0, n, -(-n // BLOCK) + 1, dtype=np.intp)

    def search(block: int) -> tuple[NDArray[np.int32], NDArray[np.int32], NDArray[np.float64]]:
        lo, hi = int(bounds[block]), int(bounds[block + 1])
        pairs = cKDTree(demand_xy[lo:hi]).sparse_distance_matrix(tree_s, reach, output_type="ndarray")
        beyond = pairs["v"] > radius  # only within the hair: rare, so copy only when needed
        if beyond.any():
            pairs = pairs[~beyond]
        return (pairs["i"] + lo).astype(np.int32), pairs["j"].astype(np.int32), pairs["v"].copy()

    blocks = range(len(bounds) - 1)
    if len(blocks) == 1:
        return [search(0)]
    with ThreadPoolExecutor(max_workers=min(len(blocks), os.cpu_count() or 1)) as pool:
        return list(pool.map(search, blocks))


def pair_table(demand_xy: ArrayLike, supply_xy: ArrayLike, radius: float) -> PairTable:
    """Every pair within ``radius`` metres (inclusive), found once with a KD-tree.

    ``numpy.inf`` pairs every demand point with every supply point (no catchment limit).
    """
    dxy = np.asarray(demand_xy, dtype=np.float64).reshape(-1, 2)
    sxy = np.asarray(supply_xy, dtype=np.float64).reshape(-1, 2)
    n, m = len(dxy), len(sxy)
    if n == 0 or m == 0:
        empty = np.empty(0, np.int32)
        return PairTable(empty, empty, np.empty(0), n, m)
    if not np.isfinite(radius):
        i = np.repeat(np.arange(n, dtype=np.int32), m)
        j = np.tile(np.arange(m, dtype=np.int32), n)
        return PairTable(i, j, np.hypot(dxy[i, 0] - sxy[j, 0], dxy[i, 1] - sxy[j, 1]), n, m)
    chunks = _search_blocks(dxy, sxy, radius)
    if len(chunks) == 1:
        return PairTable(*chunks[0], n, m)
    return PairTable(*(np.concatenate([c[k] for c in chunks]) for k in range(3)), n, m)  # type: ignore[call-arg]


def catchment_pairs(
    demand_xy: ArrayLike, supply_xy: ArrayLike, radius: float
) -> tuple[NDArray[np.intp], NDArray[np.intp], NDArray[np.float64]]:
    """Every (demand, supply) pair within ``radius`` metres (inclusive) and its distance."""
    table = pair_table(demand_xy, supply_xy, radius)
    return table.demand.astype(np.intp), table.supply.astype(np.intp), table.distance


def step_weights(distances: NDArray[np.float64], steps: Sequence[tuple[float, float]]) -> NDArray[np.float64]:
    """Distance-decay weight of each distance: the weight of the first step whose upper
    bound is at least the distance (bounds inclusive), zero beyond the last step.

    Steps are applied from the farthest to the nearest, so the nearest bound that holds
    has the last word: a few vectorised comparisons, cheaper than a search per distance.
    """
    distances = np.asarray(distances, dtype=np.float64)
    out = np.zeros(distances.shape)
    for upper, weight in sorted(((float(u), float(w)) for u, w in steps), reverse=True):
        out[distances <= upper] = weight
    return out


def floating_catchment(
    pairs: PairTable,
    demand: ArrayLike,
    supply: ArrayLike,
    steps: Sequence[tuple[float, float]] | None = None,
) -> NDArray[np.float64]:
    """Two-step floating catchment on a pair table, for one or many supplies at once.

    With ``W`` the demand x supply matrix of pair weights (1, or the step weight of the
    pair's distance for the enhanced form), step one is each supply point's ratio
    ``R = S / (W.T @ D)`` and step two each demand point's ``A = W @ R``. ``S`` may have one
    column per service category: the demand a supply point sees does not depend on the
    category, so one pair table and one sparse product serve every category.

    Parameters
    ----------
    pairs
        From :func:`pair_table`.
    demand
        Shape (n,), non-negative.
    supply
        Shape (m,) or (m, k), non-negative.
    steps
        ``(upper distance in metres, weight)`` for E2SFCA; ``None`` for 2SFCA.

    Returns
    -------
    numpy.ndarray
        Shape (n,) or (n, k). A supply point whose catchment holds no (weighted) demand serves
        nobody and adds nothing (PySAL gives infinity there; documented difference).
    """
    d = np.asarray(demand, dtype=np.float64)
    s = np.asarray(supply, dtype=np.float64)
    weights = None if steps is None else step_weights(pairs.distance, steps)
    w = pairs.matrix(weights)
    seen = w.T @ d
    ratio = np.ascontiguousarray(np.divide(s.T, seen, out=np.zeros(s.T.shape), where=seen > 0).T)
    return np.asarray(w @ ratio)


def two_stage_fca(
    demand_xy: ArrayLike,
    demand: ArrayLike,
    supply_xy: ArrayLike,
    supply: ArrayLike,
    radius: float,
    steps: Sequence[tuple[float, float]] | None = None,
) -> NDArray[np.float64]:
    """Accessibility of each demand point: supply per unit of demand within reach.

    Parameters
    ----------
    demand_xy, supply_xy
        Coordinates in metres, shapes (n, 2) and (m, 2).
    demand, supply
        Non-negative weights, shapes (n,) and (m,) -- or (m, k) for k supplies at the same
        points (one per category), all computed from one pair search.
    radius
        Catchment in metres, inclusive (``numpy.inf`` for no limit).
    steps
        Optional ``(upper distance in metres, weight)`` pairs for the enhanced form: the
        weight multiplies both the demand each site sees and the ratio each demand point
        receives, as in PySAL's ``enhanced_two_stage_fca``.

    Returns
    -------
    numpy.ndarray
        Shape (n,) or (n, k). A demand point with no supply in reach gets 0; a site whose
        catchment holds no demand serves nobody and adds nothing.
    """
    dxy, d, sxy, s = _validate(demand_xy, demand, supply_xy, supply, radius)
    return floating_catchment(pair_table(dxy, sxy, radius), d, s, steps)


def pysal_reference(
    demand_xy: ArrayLike,
    demand: ArrayLike,
    supply_xy: ArrayLike,
    supply: ArrayLike,
    radius: float,
    steps: Sequence[tuple[float, float]] | None = None,
) -> NDArray[np.float64]:
    """The same accessibility computed by PySAL ``access``, the reference implementation.

    For checks and benchmarks only (needs the ``test`` extra). PySAL takes a cost table: it is
    given every pair within the radius (found with a KD-tree, the table a PySAL user would
    build rather than a full cross join), and its missing values (demand points with no
    supply in reach) are read as 0, as :func:`two_stage_fca` returns them.
    """
    import pandas as pd
    from access import Access, weights

    d = np.asarray(demand, dtype=np.float64)
    s = np.asarray(supply, dtype=np.float64)
    i, j, dist = catchment_pairs(demand_xy, supply_xy, radius)
    cost = pd.DataFrame({"origin": i, "dest": j, "cost": dist})
    demand_df = pd.DataFrame({"demand": d}, index=pd.RangeIndex(len(d), name="geoid"))
    supply_df = pd.DataFrame({"supply": s}, index=pd.RangeIndex(len(s), name="geoid"))
    model = Access(
        demand_df=demand_df,
        demand_value="demand",
        supply_df=supply_df,
        supply_value="supply",
        cost_df=cost,
        cost_origin="origin",
        cost_dest="dest",
        cost_name="cost",
    )
    if steps is None:
        result = model.two_stage_fca(name="x", max_cost=radius)
    else:
        result = model.enhanced_two_stage_fca(name="x", max_cost=radius, weight_fn=weights.step_fn(dict(steps)))
    return result.iloc[:, 0].reindex(range(len(d))).fillna(0).to_numpy()
