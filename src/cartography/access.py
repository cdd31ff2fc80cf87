"""Floating catchment accessibility (2SFCA and its enhanced form E2SFCA), vectorised.

This is the contract other code and checks rely on (DESIGN.md section 5): numbers equal to
PySAL ``access`` (``two_stage_fca`` and ``enhanced_two_stage_fca``) on the same inputs,
computed without a cross join or a row-wise apply. Two ways, same numbers (tests compare
both with a brute-force dense computation, pairs exactly on a bound included):

* From a pair table: :func:`pair_table` finds every pair within the radius once (KD-tree),
  and :func:`floating_catchment` computes both methods for many supplies at once as sparse
  products on it (one column per service category, ``W @ R`` with ``W`` the sparse demand x
  supply weight matrix).
* From coordinates, :func:`two_stage_fca` lists no pairs at all (issue 12): demand and sites
  are binned into grid cells a fraction of the radius wide, each demand cell meets the
  sites of the cells within reach in dense blocks whose squared distances come from one
  small matrix product, and both stages are matrix-vector products on those blocks, spread
  over the cores. Listing the pairs cost more than all of this.
"""

from __future__ import annotations

import contextlib
import functools
import math
import os
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any, TypeVar

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy import sparse
from scipy.spatial import cKDTree
from threadpoolctl import ThreadpoolController

_T = TypeVar("_T")

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
    if not (np.all(np.isfinite(dxy)) and np.all(np.isfinite(sxy))):
        raise ValueError("coordinates must be finite")  # the KD-tree refused them too
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
    demand, supply, distance = (np.concatenate([c[k] for c in chunks]) for k in range(3))
    return PairTable(demand, supply, distance, n, m)


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


# -- the grid path: no pair list at all (issue 12) -----------------------------------------

#: Grid cells per catchment radius to choose from. Finer cells prune more of the square of
#: cells around a demand cell (the candidates of a cell cover 9 r^2 for k = 1, 6.25 r^2 for
#: k = 2, 5.4 r^2 for k = 3) but make more, smaller blocks, each with a fixed cost
#: (:func:`_cells_per_radius` weighs the two).
CELLS_PER_RADIUS = (1, 2, 3, 4)
#: Fixed cost of a block, in block entries (measured: some 30-70 us a block against 4-9 ns
#: an entry, for 2SFCA and E2SFCA).
BLOCK_COST = 10_000
#: Most entries in one dense demand x candidate block (512 kB of float64, so a block and its
#: weights stay in cache); a cell with more demand than that allows is cut into several blocks.
BLOCK_ENTRIES = 1 << 16
#: Half-width, in units of the squared extent of the coordinates (relative to the region's
#: centre), of the band around each threshold in which a squared distance from the matrix
#: product is re-checked exactly. The product's error is a few tens of ulps of that extent
#: (about 1e-14 of it); the band is 100 times wider, and still thin: half a micrometre
#: around a 30 km bound over a 200 x 150 km region, so re-checks are rare.
RECHECK = 2.0**-40


@dataclass(frozen=True)
class _Grid:
    """Demand and sites sorted by grid cell, cut into dense blocks.

    Coordinates are augmented so that one matrix product gives squared distances: demand
    ``a = (-2x, -2y, |p|^2, 1)`` against sites ``b = (x, y, 1, |q|^2)``, both relative to the
    centre of the points' bounding box (the product's error then scales with the region,
    not with the coordinates' distance from the CRS origin, and :data:`RECHECK` covers it).
    A block is demand rows ``lo:hi`` against the sites ``cand`` (both in sorted order).
    """

    d_order: NDArray[np.intp]
    s_order: NDArray[np.intp]
    dxy: NDArray[np.float64]
    sxy: NDArray[np.float64]
    a: NDArray[np.float64]
    b: NDArray[np.float64]
    blocks: list[tuple[int, int, NDArray[np.intp]]]
    tol: float


def _bands(
    radius: float, steps: Sequence[tuple[float, float]] | None
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Upper bounds (ascending, inclusive) and weight of each distance band; beyond the last, 0.

    The bands are the step bounds below the radius, then the radius: :func:`step_weights` is
    constant on each band, so its value at the band's upper bound is the weight the pair
    path gives every pair of that band. Trailing bands of weight 0 are dropped (their pairs
    add nothing), which narrows the area searched.
    """
    if steps is None:
        return np.array([float(radius)]), np.array([1.0])
    if not steps:
        return np.empty(0), np.empty(0)
    cap = min(float(radius), max(float(u) for u, _ in steps))
    bounds = np.unique([float(u) for u, _ in steps if float(u) < cap] + [cap])
    table = step_weights(bounds, steps)
    keep = int(np.flatnonzero(table)[-1]) + 1 if np.any(table) else 0
    return bounds[:keep], table[:keep]


def _box(dxy: NDArray[np.float64], sxy: NDArray[np.float64]) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Lower-left and upper-right corners of both point sets together."""
    low = np.array([min(dxy[:, i].min(), sxy[:, i].min()) for i in (0, 1)])
    high = np.array([max(dxy[:, i].max(), sxy[:, i].max()) for i in (0, 1)])
    return low, high


def _augment(local: NDArray[np.float64], demand_side: bool) -> NDArray[np.float64]:
    x, y = local[:, 0], local[:, 1]
    out = np.empty((len(local), 4))
    if demand_side:
        np.multiply(x, -2.0, out=out[:, 0])
        np.multiply(y, -2.0, out=out[:, 1])
        out[:, 2], out[:, 3] = x * x + y * y, 1.0
    else:
        out[:, 0], out[:, 1], out[:, 2], out[:, 3] = x, y, 1.0, x * x + y * y
    return out


def _ranges(starts: NDArray[np.int64], ends: NDArray[np.int64]) -> NDArray[np.intp]:
    """``concatenate([arange(a, b) for a, b in zip(starts, ends)])`` in a few array operations."""
    lens = np.maximum(ends - starts, 0)
    return np.arange(int(lens.sum())) + np.repeat(starts - (np.cumsum(lens) - lens), lens)


def _stencil(k: int) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    """Row offsets of the candidate cells around a demand cell, and each row's half-width."""
    rows = np.arange(-k, k + 1)
    return rows, 1 + np.array([math.isqrt(k * k - 1 - max(abs(int(j)) - 1, 0) ** 2) for j in rows])


def _cells_per_radius(n: int, m: int, extent: NDArray[np.float64], reach: float) -> int:
    """The grid step (cells per radius) with the least estimated work for these sizes.

    Work is the block entries (demand x candidates, points taken as spread evenly over
    their bounding box) plus a fixed cost per block (:data:`BLOCK_COST`): few points over a
    wide area want coarse cells, many points fine ones.
    """
    area = max(float(extent[0] * extent[1]), reach * reach)
    best, best_cost = 1, math.inf
    for k in CELLS_PER_RADIUS:
        cell = reach / k
        cells = math.ceil(extent[0] / cell + 1) * math.ceil(extent[1] / cell + 1)
        entries = n * min(m, m * int((2 * _stencil(k)[1] + 1).sum()) * cell * cell / area)
        cost = entries + BLOCK_COST * max(min(cells, n), entries / BLOCK_ENTRIES)
        if cost < best_cost:
            best, best_cost = k, cost
    return best


def _candidates(
    cells: NDArray[np.int64], shape: tuple[int, int], s_start: NDArray[np.int64], k: int
) -> tuple[NDArray[np.intp], NDArray[np.int64]]:
    """Sites that may be within reach of each demand cell: one flat index array and each
    cell's offsets into it.

    Cells ``j`` rows and ``i`` columns apart leave gaps of ``gx = max(|i|-1, 0)`` and
    ``gy = max(|j|-1, 0)`` whole cells between them. Cells are a little wider than
    ``reach / k`` (see :func:`_grid`), so ``gx^2 + gy^2 >= k^2`` puts every pair farther than
    ``reach`` by a margin (a thousandth of it) far above any rounding of a point into the
    neighbouring cell; the cells kept are the others, decided in integers. Sites are sorted
    by cell, row-major, so each row of candidate cells is one run of sites.
    """
    nx, ny = shape
    rows, half = _stencil(k)
    cy, cx = np.divmod(cells, nx)
    row = cy[:, None] + rows
    inside = (row >= 0) & (row < ny)
    row = np.clip(row, 0, ny - 1) * nx
    starts = s_start[row + np.maximum(cx[:, None] - half, 0)]
    ends = np.where(inside, s_start[row + np.minimum(cx[:, None] + half, nx - 1) + 1], starts)
    offsets = np.concatenate([[0], np.cumsum((ends - starts).sum(1))])
    return _ranges(starts.ravel(), ends.ravel()), offsets


def _grid(
    dxy: NDArray[np.float64],
    sxy: NDArray[np.float64],
    box: tuple[NDArray[np.float64], NDArray[np.float64]],
    reach: float,
) -> _Grid | None:
    """Bin both point sets into cells of side ``reach / (k (1 - 1e-3))`` and cut the dense
    blocks; None when the grid would have far more cells than points (sparse data, the
    KD-tree's ground: few pairs, and per-block overhead would dominate)."""
    low, high = box
    k = _cells_per_radius(len(dxy), len(sxy), high - low, reach)
    cell = reach / (k * (1 - 1e-3))
    nx, ny = (np.floor((high - low) / cell).astype(np.int64) + 1).tolist()
    if nx * ny > 4 * (len(dxy) + len(sxy)) + 4096:
        return None
    d_ij, s_ij = (np.clip(np.floor((p - low) / cell).astype(np.int64), 0, [nx - 1, ny - 1]) for p in (dxy, sxy))
    d_id, s_id = d_ij[:, 1] * nx + d_ij[:, 0], s_ij[:, 1] * nx + s_ij[:, 0]
    d_order, s_order = np.argsort(d_id, kind="stable"), np.argsort(s_id, kind="stable")
    dxy, sxy, d_id = dxy[d_order], sxy[s_order], d_id[d_order]
    s_start = np.concatenate([[0], np.cumsum(np.bincount(s_id, minlength=nx * ny))])
    cells, d_lo, per_cell = np.unique(d_id, return_index=True, return_counts=True)
    cand, offsets = _candidates(cells, (nx, ny), s_start, k)
    centre = (low + high) / 2
    a, b = _augment(dxy - centre, demand_side=True), _augment(sxy - centre, demand_side=False)
    blocks = []
    for c, lo, count in zip(range(len(cells)), d_lo.tolist(), per_cell.tolist(), strict=True):
        c0, c1 = int(offsets[c]), int(offsets[c + 1])
        step = max(1, BLOCK_ENTRIES // max(c1 - c0, 1))
        blocks += [(r, min(r + step, lo + count), cand[c0:c1]) for r in range(lo, lo + count, step) if c1 > c0]
    scale = float(a[:, 2].max()) + float(b[:, 3].max()) + reach * reach
    return _Grid(d_order, s_order, dxy, sxy, a, b, blocks, RECHECK * scale)


class _Workspace:
    """One thread's scratch arrays, reused block after block.

    Fresh arrays of a few hundred kB per block come straight from the system (mapped, then
    faulted in page by page and unmapped again): that cost as much as the arithmetic, so
    every block-sized intermediate is written into these instead (``out=``).
    """

    def __init__(self, entries: int, candidates: int = 0) -> None:
        self.b = np.empty((candidates, 4))
        self.sq = np.empty(entries)
        self.weights = np.empty(entries)
        self.sure = np.empty(entries, dtype=np.bool_)
        self.maybe = np.empty(entries, dtype=np.bool_)

    def view(self, name: str, shape: tuple[int, int]) -> NDArray[Any]:
        return getattr(self, name)[: shape[0] * shape[1]].reshape(shape)


def _within(
    sq: NDArray[np.float64], grid: _Grid, lo: int, cand: NDArray[np.intp], bound: float, work: _Workspace
) -> NDArray[np.bool_]:
    """Which entries of a block are within ``bound``, exactly as the pair path decides.

    The pair path keeps a pair when ``sqrt(dx*dx + dy*dy) <= bound`` on the original
    coordinates. The product's squared distance decides every entry farther than ``tol``
    from ``bound**2``; the rare entries inside that band are recomputed that exact way.
    The result is a view of the workspace, valid until the next call.
    """
    threshold = bound * bound
    mask = np.less_equal(sq, threshold - grid.tol, out=work.view("sure", sq.shape))
    maybe = np.less_equal(sq, threshold + grid.tol, out=work.view("maybe", sq.shape))
    if np.count_nonzero(maybe) != np.count_nonzero(mask):
        rows, cols = np.nonzero(maybe & ~mask)
        p, q = grid.dxy[lo + rows], grid.sxy[cand[cols]]
        dx, dy = p[:, 0] - q[:, 0], p[:, 1] - q[:, 1]
        mask[rows, cols] = np.sqrt(dx * dx + dy * dy) <= bound
    return mask


def _levels(grid: _Grid, block: int, bounds: NDArray[np.float64], work: _Workspace) -> NDArray[np.uint8]:
    """How many band bounds each entry of the block is within (0: out of reach), as uint8."""
    lo, hi, cand = grid.blocks[block]
    b = np.take(grid.b, cand, axis=0, out=work.b[: len(cand)])
    sq = np.matmul(grid.a[lo:hi], b.T, out=work.view("sq", (hi - lo, len(cand))))
    level = _within(sq, grid, lo, cand, float(bounds[-1]), work).view(np.uint8).copy()
    for bound in bounds[-2::-1].tolist():
        level += _within(sq, grid, lo, cand, bound, work).view(np.uint8)
    return level


def _weights(level: NDArray[np.uint8], lookup: NDArray[np.float64], work: _Workspace) -> NDArray[np.float64]:
    """A block's weight matrix (a view of the workspace): ``lookup[level]``, where
    ``lookup[L]`` is the weight of an entry within ``L`` bounds (0 for none: out of reach),
    the very step weight the pair path gives, not a sum of differences."""
    weights = work.view("weights", level.shape)
    if len(lookup) == 2 and lookup[1] == 1.0:
        np.copyto(weights, level)  # plain 2SFCA: the level is the weight
    else:
        np.take(lookup, level, out=weights, mode="clip")  # "clip" skips a bounds check: levels fit
    return weights


def _threads(function: Callable[[int, int], _T], count: int) -> list[_T]:
    """``function(share, shares)`` for each share of ``count`` blocks, one share per core, with
    BLAS held to one thread meanwhile (the products and comparisons release the GIL, and
    BLAS threads on top of ours only queue behind each other)."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    workers = max(1, min(cores, count))
    with _one_blas_thread():
        if workers == 1:
            return [function(0, 1)]
        with ThreadPoolExecutor(max_workers=workers) as pool:
            return list(pool.map(function, range(workers), [workers] * workers))


@functools.cache
def _blas_controller() -> ThreadpoolController:
    """The loaded thread pools, inspected once: each inspection reads the process's memory map."""
    return ThreadpoolController()


def _one_blas_thread() -> contextlib.AbstractContextManager[object]:
    limits: contextlib.AbstractContextManager[object] = _blas_controller().limit(limits=1, user_api="blas")
    return limits


def _grid_fca(
    dxy: NDArray[np.float64],
    d: NDArray[np.float64],
    sxy: NDArray[np.float64],
    s: NDArray[np.float64],
    bounds: NDArray[np.float64],
    table: NDArray[np.float64],
    box: tuple[NDArray[np.float64], NDArray[np.float64]] | None = None,
) -> NDArray[np.float64] | None:
    """Both stages block by block, without a pair list; None when the grid does not suit.

    Stage one computes each block's squared distances (one small matrix product), its levels
    (uint8, kept: 1 byte per entry rather than the 8 of its weights) and adds the weighted
    demand each site sees; stage two turns the kept levels back into weights and gives each
    demand point its share of every ratio.
    """
    grid = _grid(dxy, sxy, box or _box(dxy, sxy), float(bounds[-1]))
    if grid is None:
        return None
    lookup = np.concatenate([[0.0], table[::-1]])
    d_s, s_s = d[grid.d_order], s[grid.s_order]
    kept: list[NDArray[np.uint8]] = [np.empty(0, np.uint8)] * len(grid.blocks)
    entries = max(((hi - lo) * len(cand) for lo, hi, cand in grid.blocks), default=0)
    widest = max((len(cand) for _, _, cand in grid.blocks), default=0)

    def stage_one(share: int, shares: int) -> NDArray[np.float64]:
        seen, work = np.zeros(len(grid.sxy)), _Workspace(entries, widest)
        for i in range(share, len(grid.blocks), shares):
            lo, hi, cand = grid.blocks[i]
            kept[i] = _levels(grid, i, bounds, work)
            seen[cand] += d_s[lo:hi] @ _weights(kept[i], lookup, work)
        return seen

    seen = np.sum(_threads(stage_one, len(grid.blocks)), axis=0)
    ratio = np.divide(s_s.T, seen, out=np.zeros(s_s.T.shape), where=seen > 0).T
    out = np.zeros((len(dxy), *s.shape[1:]))

    def stage_two(share: int, shares: int) -> None:
        work = _Workspace(entries)
        for i in range(share, len(grid.blocks), shares):
            lo, hi, cand = grid.blocks[i]
            np.matmul(_weights(kept[i], lookup, work), ratio[cand], out=out[lo:hi])

    _threads(stage_two, len(grid.blocks))
    result = np.empty_like(out)
    result[grid.d_order] = out
    return result


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
    bounds, table = _bands(radius, steps)
    if len(dxy) == 0 or len(sxy) == 0 or len(bounds) == 0:
        return np.zeros((len(dxy), *s.shape[1:]))
    box = _box(dxy, sxy)
    if float(np.hypot(*(box[1] - box[0]))) * (1 + 1e-9) <= bounds[0]:
        return _all_in_first_band(d, s, len(dxy), float(table[0]))
    if np.isfinite(bounds[-1]) and bounds[-1] > 0:
        result = _grid_fca(dxy, d, sxy, s, bounds, table, box)
        if result is not None:
            return result
    return floating_catchment(pair_table(dxy, sxy, radius), d, s, steps)


def _all_in_first_band(d: NDArray[np.float64], s: NDArray[np.float64], n: int, weight: float) -> NDArray[np.float64]:
    """The answer when every pair is in the first band (an unbounded or region-wide
    catchment, decided by the caller on the bounding box's diagonal with a margin far above
    rounding, so no pair near the bound is ever assumed in).

    Every site then sees the same weighted demand ``w * D`` and every demand point receives
    ``w * sum(S) / (w * D)``: no pair is searched.
    """
    seen = weight * d.sum()
    ratio = s / seen if seen > 0 else np.zeros(s.shape)
    return np.broadcast_to(weight * ratio.sum(0), (n, *s.shape[1:])).copy()


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
