"""Where would one more French service close the most gap? Maximal covering location. Pure.

The question after a gap map is "where should the next service go?". This module answers it
as a maximal covering location problem (MCLP, Church and ReVelle 1974): the existing French
in-person services of a category stay open (PySAL ``spopt``'s *predefined facilities*), and
``k`` new sites are chosen among candidates so that the demand newly within ``radius`` of a
service is as large as possible. The model is built and solved by PySAL ``spopt``
(``MCLP.from_cost_matrix``) with its default open solver, COIN-OR CBC through ``pulp``: no
home-made optimiser decides anything here.

Before the solve the problem is made smaller without changing its answer, so that the region
solves in well under 10 s for ``k <= 5``:

- demand already covered by an existing service is fixed (``X_i = 1`` whatever is chosen): it
  is kept as **one** aggregated demand row, covered by the existing services (so the
  predefined facilities still carry the demand they serve and the objective is total coverage);
- demand no candidate can reach, and demand of zero (a reserve the census did not enumerate),
  cannot change the objective and is left out;
- uncovered points reached by exactly the same candidates are one row (their demand summed);
- a candidate that reaches no uncovered demand is left out, a candidate reaching the same
  demand as an earlier one is a duplicate, and one whose reach is strictly inside another's is
  dominated (swapping it for the larger one never loses demand), so some optimal solution uses
  only the candidates kept.

Every number of the model's cost matrix is a real ground distance (for a row standing for
several points, the shortest of their distances) or infinity beyond the radius; coverage is
inclusive (``d <= radius``), as everywhere in the method.

The recommended sites are then listed in the order of what they add: first the site that
adds the most on its own given the existing services, then each next one by what it adds to
those before it (greedy order over the optimal set). A chosen site that adds nothing once the
others are open is not recommended. Coordinates are metres in a local metric CRS
(``Geography.distance_crs``, EPSG:2958 here) so that "30 km" is 30 km on the ground.
"""

from __future__ import annotations

import time
import warnings
from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike, NDArray
from scipy import sparse
from scipy.spatial import cKDTree

from cartography.access import catchment_pairs
from cartography.errors import UserError

#: Statuses of a plan, codes of the message catalogue (``plan.status.<code>``).
STATUSES = ("optimal", "feasible", "no_sites_requested", "all_covered", "out_of_reach")
#: Longest the solver may run; the region solves in well under a second.
TIME_LIMIT_S = 120.0
#: Largest reduced model (demand rows x site columns) built: spopt writes one term per cell
#: in Python, about 20 s for this many on this machine. The region needs a few thousand.
MAX_MODEL_CELLS = 500_000
#: Most work (sum over demand rows of the squared number of candidates reaching them) spent
#: looking for dominated candidates.
DOMINANCE_BUDGET = 20_000_000.0


@dataclass(frozen=True)
class PlanSolution:
    """What the MCLP chose and what each choice adds, with the solver's own account.

    Attributes
    ----------
    covered_before, covered_after
        Per demand point: within the radius of an existing service; of an existing or a
        recommended one.
    alone
        Per candidate: demand newly covered if that candidate alone were added.
    chosen
        Positions of the recommended candidates, in rank order.
    added
        Demand each recommended candidate adds to those ranked before it (and to the
        existing services).
    status
        One of :data:`STATUSES`. ``optimal``: the solver proved the choice optimal;
        ``feasible``: it stopped at its time limit with a solution (gap unknown); the three
        others are honest empty answers (no site requested, nothing left uncovered, no
        candidate reaches the uncovered demand).
    optimality_gap
        Relative gap between the solution and the best bound: 0 when proven optimal (the
        solver is asked for a relative gap of 0), NaN when not known or not solved.
    """

    covered_before: NDArray[np.bool_]
    covered_after: NDArray[np.bool_]
    alone: NDArray[np.float64]
    chosen: NDArray[np.intp]
    added: NDArray[np.float64]
    requested: int
    radius_m: float
    demand_total: float
    covered_before_total: float
    status: str
    solver: str = ""
    solver_status: str = ""
    optimality_gap: float = float("nan")
    objective: float = float("nan")
    solve_seconds: float = 0.0
    model_rows: int = 0
    model_columns: int = 0
    chosen_adding_nothing: int = 0
    notes: dict[str, float] = field(default_factory=dict)

    @property
    def uncovered_before(self) -> float:
        """Demand outside the radius of every existing service."""
        return self.demand_total - self.covered_before_total

    @property
    def newly_covered(self) -> float:
        """Demand the recommended sites bring within reach, all together."""
        return float(self.added.sum())

    @property
    def empty(self) -> bool:
        """No site is recommended (the answer is still an answer)."""
        return len(self.chosen) == 0


def _as_xy(values: ArrayLike) -> NDArray[np.float64]:
    return np.asarray(values, dtype=np.float64).reshape(-1, 2)


def _nearest(points: NDArray[np.float64], targets: NDArray[np.float64]) -> NDArray[np.float64]:
    """Distance from each point to its nearest target (infinity when there is none)."""
    if len(targets) == 0 or len(points) == 0:
        return np.full(len(points), np.inf)
    distance, _ = cKDTree(targets).query(points, k=1)
    return np.asarray(distance, dtype=np.float64)


def _group_codes(columns_by_row: list[NDArray[np.intp]]) -> tuple[NDArray[np.intp], int]:
    """Same code for rows with the same set of columns (the sets are sorted arrays)."""
    seen: dict[bytes, int] = {}
    codes = np.empty(len(columns_by_row), dtype=np.intp)
    for row, cols in enumerate(columns_by_row):
        codes[row] = seen.setdefault(cols.tobytes(), len(seen))
    return codes, len(seen)


def _kept_columns(rows: NDArray[np.intp], cols: NDArray[np.intp], n_rows: int, n_cols: int) -> NDArray[np.intp]:
    """Columns that are neither a duplicate of an earlier column nor strictly dominated.

    A column's reach is the set of rows it covers. Column ``a`` is dropped when an earlier
    column has the same reach, or when some column's reach strictly contains ``a``'s: some
    optimal solution of the MCLP then avoids ``a`` (replace it by the larger one, or by any
    unused column if the larger one is already open). Duplicates are found by hashing each
    reach; dominance by a sparse product whose work grows with the square of how many
    columns reach each row, so it is skipped (the answer is the same, the model larger) when
    that would exceed :data:`DOMINANCE_BUDGET`.
    """
    if n_cols == 0 or len(rows) == 0:
        return np.empty(0, dtype=np.intp)
    order = np.lexsort((rows, cols))
    rows, cols = rows[order], cols[order]
    present = np.unique(cols)
    starts = np.searchsorted(cols, present)
    stops = np.searchsorted(cols, present, side="right")
    codes, _ = _group_codes([rows[a:b] for a, b in zip(starts, stops, strict=True)])
    _, first = np.unique(codes, return_index=True)
    unique_cols = present[np.sort(first)]  # first column of each distinct reach, in order
    keep = np.isin(cols, unique_cols)
    rows, cols = rows[keep], cols[keep]
    per_row = np.bincount(rows, minlength=n_rows).astype(np.float64)
    if float((per_row**2).sum()) > DOMINANCE_BUDGET:
        return unique_cols
    reach = sparse.csc_matrix((np.ones(len(rows), dtype=np.int32), (rows, cols)), shape=(n_rows, n_cols))
    size = np.asarray(reach.sum(axis=0)).ravel()
    overlap = sparse.coo_matrix(reach.T @ reach)  # the product of two sparse matrices, as (row, col, data)
    a, b, shared = overlap.row, overlap.col, overlap.data
    strictly = (a != b) & (shared == size[a]) & (size[b] > size[a])  # reach(a) strictly inside reach(b)
    dropped = np.zeros(n_cols, dtype=bool)
    dropped[a[strictly]] = True
    return unique_cols[~dropped[unique_cols]]


def _greedy_order(
    chosen: NDArray[np.intp],
    pair_demand: NDArray[np.intp],
    pair_site: NDArray[np.intp],
    demand: NDArray[np.float64],
    covered: NDArray[np.bool_],
) -> tuple[NDArray[np.intp], NDArray[np.float64], NDArray[np.bool_]]:
    """Rank chosen sites by what each adds: the largest on its own first, then marginal.

    Ties keep the candidates' order (the caller lists its preferred kinds first).
    """
    covered = covered.copy()
    remaining = [int(j) for j in chosen]
    order: list[int] = []
    added: list[float] = []
    by_site = {j: pair_demand[pair_site == j] for j in remaining}
    while remaining:
        gains = [float(demand[np.unique(by_site[j][~covered[by_site[j]]])].sum()) for j in remaining]
        best = int(np.argmax(gains))  # first of equal gains: candidate order decides
        site = remaining.pop(best)
        order.append(site)
        added.append(gains[best])
        covered[by_site[site]] = True
    return np.asarray(order, dtype=np.intp), np.asarray(added, dtype=np.float64), covered


def solver_name() -> str:
    """The solver chain, with versions, for the plan's metadata."""
    import pulp
    import spopt

    return (
        f"PySAL spopt {getattr(spopt, '__version__', '?')} MCLP (predefined facilities); "
        f"pulp {pulp.__version__} PULP_CBC_CMD (COIN-OR CBC)"
    )


def _check_inputs(dxy: NDArray[np.float64], weight: NDArray[np.float64], k: int, radius_m: float) -> None:
    """Refuse what the model cannot mean: a demand per point, finite and non-negative; a
    whole non-negative ``k``; a positive radius."""
    if len(weight) != len(dxy):
        raise ValueError("each demand point needs exactly one demand")
    if not np.all(np.isfinite(weight)) or np.any(weight < 0):
        raise ValueError("demand must be finite and non-negative")
    if int(k) != k or k < 0:
        raise ValueError("k must be a non-negative integer")
    if not np.isfinite(radius_m) or radius_m <= 0:
        raise ValueError("radius must be positive")


@dataclass(frozen=True)
class _Reach:
    """Pairs (uncovered demand point with demand, candidate) within the radius, with their
    distance: the only pairs the model needs."""

    point: NDArray[np.intp]
    site: NDArray[np.intp]
    distance: NDArray[np.float64]


def _uncovered_reach(
    dxy: NDArray[np.float64],
    cxy: NDArray[np.float64],
    weight: NDArray[np.float64],
    covered_before: NDArray[np.bool_],
    radius_m: float,
) -> _Reach:
    """Pairs only for the demand still to cover: a province where most people are already
    within reach never lists the millions of pairs around them."""
    open_points = np.flatnonzero(~covered_before & (weight > 0))
    ui, uj, ud = catchment_pairs(dxy[open_points], cxy, radius_m)
    return _Reach(open_points[ui], uj, ud)


@dataclass(frozen=True)
class _Model:
    """The reduced MCLP handed to spopt: cost matrix (rows: the aggregated held demand if
    any, then the groups of uncovered demand; columns: the fixed existing services, then the
    kept candidates), row weights, and which existing services and candidates the columns are."""

    cost: NDArray[np.float64]
    weights: NDArray[np.float64]
    fixed: NDArray[np.intp]
    kept: NDArray[np.intp]


@dataclass(frozen=True)
class _Groups:
    """Uncovered demand grouped by the set of kept candidates reaching it: per pair on a kept
    candidate its group, column among the kept and distance; per group its demand."""

    group: NDArray[np.intp]
    column: NDArray[np.intp]
    distance: NDArray[np.float64]
    weight: NDArray[np.float64]


def _uncovered_groups(reach: _Reach, kept: NDArray[np.intp], n: int, m: int, weight: NDArray[np.float64]) -> _Groups:
    """Uncovered points reached by exactly the same kept candidates become one row (their
    demand summed); pairs on dropped candidates are left out."""
    col_of = np.full(m, -1, dtype=np.intp)
    col_of[kept] = np.arange(len(kept))
    on_kept = col_of[reach.site] >= 0
    ri, rc, rd = reach.point[on_kept], col_of[reach.site[on_kept]], reach.distance[on_kept]
    reached = np.unique(ri)  # uncovered points with demand that a kept candidate reaches
    order = np.lexsort((rc, ri))
    ri, rc, rd = ri[order], rc[order], rd[order]
    starts = np.searchsorted(ri, reached)
    stops = np.searchsorted(ri, reached, side="right")
    codes, n_groups = _group_codes([rc[a:b] for a, b in zip(starts, stops, strict=True)])
    group_of_point = np.full(n, -1, dtype=np.intp)
    group_of_point[reached] = codes
    group_weight = np.asarray(np.bincount(codes, weights=weight[reached], minlength=n_groups), dtype=np.float64)
    return _Groups(group_of_point[ri], rc, rd, group_weight)


def _fixed_services(
    held: NDArray[np.float64], sxy: NDArray[np.float64], radius_m: float
) -> tuple[NDArray[np.intp], NDArray[np.float64]]:
    """Existing services that cover some held demand, each location once: the predefined
    facilities; with every existing service's distance to its closest held point."""
    to_held = _nearest(sxy, held)
    covering = np.flatnonzero(to_held <= radius_m)
    _, first_of = np.unique(sxy[covering], axis=0, return_index=True)
    return covering[np.sort(first_of)], to_held


def _reduced_model(
    dxy: NDArray[np.float64],
    sxy: NDArray[np.float64],
    cxy: NDArray[np.float64],
    weight: NDArray[np.float64],
    covered_before: NDArray[np.bool_],
    reach: _Reach,
    radius_m: float,
) -> _Model:
    """The exact reduction described in the module's docstring, as a cost matrix whose every
    number is a real ground distance (the shortest of a row's points) or infinity."""
    kept = _kept_columns(reach.point, reach.site, len(dxy), len(cxy))  # candidate positions, in candidate order
    groups = _uncovered_groups(reach, kept, len(dxy), len(cxy), weight)
    before = float(weight[covered_before].sum())
    held = dxy[covered_before & (weight > 0)]  # the demand existing services already hold
    fixed, to_held = _fixed_services(held, sxy, radius_m)
    has_fixed_row = before > 0 and len(fixed) > 0
    offset = 1 if has_fixed_row else 0
    n_rows, n_cols = offset + len(groups.weight), len(fixed) + len(kept)
    if n_rows * n_cols > MAX_MODEL_CELLS:
        raise UserError("plan.error.too_large", rows=n_rows, columns=n_cols, limit=MAX_MODEL_CELLS)
    cost = np.full((n_rows, n_cols), np.inf)
    # Uncovered rows against candidates: the shortest distance of the row's points.
    np.minimum.at(cost, (offset + groups.group, len(fixed) + groups.column), groups.distance)
    weights = groups.weight
    if has_fixed_row:
        # The aggregated held row: each site's shortest distance to a held point (beyond the
        # radius: infinity, the same "not within reach" for the model).
        cost[0, : len(fixed)] = to_held[fixed]
        to_candidates = _nearest(cxy[kept], held)
        cost[0, len(fixed) :] = np.where(to_candidates <= radius_m, to_candidates, np.inf)
        weights = np.concatenate([[before], groups.weight])
    return _Model(cost, weights, fixed, kept)


@dataclass(frozen=True)
class _Solved:
    """What spopt and CBC returned: the candidates picked and the solver's own account."""

    picked: NDArray[np.intp]
    proven: bool
    solver_status: str
    objective: float
    seconds: float


def _solve(model: _Model, k: int, radius_m: float, time_limit_s: float) -> _Solved:
    """Solve the reduced MCLP with spopt and CBC, the fixed services kept open."""
    import pulp
    from spopt.locate import MCLP

    fixed, kept = model.fixed, model.kept
    k_eff = min(k, len(kept))
    predefined = np.concatenate([np.ones(len(fixed), dtype=int), np.zeros(len(kept), dtype=int)])
    started = time.perf_counter()
    with warnings.catch_warnings():
        # pulp 3 announces API changes for pulp 4 (pinned below 4 in pyproject): not the user's business.
        warnings.simplefilter("ignore", DeprecationWarning)
        mclp = MCLP.from_cost_matrix(
            model.cost,
            model.weights,
            service_radius=float(radius_m),
            p_facilities=len(fixed) + k_eff,
            predefined_facilities_arr=predefined if len(fixed) else None,
            name="plan",
        )
        mclp.solve(pulp.PULP_CBC_CMD(msg=False, gapRel=0.0, timeLimit=time_limit_s), results=False)
    seconds = time.perf_counter() - started
    values = np.array([v.value() or 0.0 for v in mclp.fac_vars])
    problem = mclp.problem
    return _Solved(
        picked=kept[np.flatnonzero(values[len(fixed) :] > 0.5)],
        proven=problem.sol_status == pulp.LpSolutionOptimal,
        solver_status=f"{pulp.LpStatus[problem.status]} / {pulp.LpSolution[problem.sol_status]}",
        objective=float(pulp.value(problem.objective) or 0.0),
        seconds=seconds,
    )


def recommend_sites(
    demand_xy: ArrayLike,
    demand: ArrayLike,
    existing_xy: ArrayLike,
    candidate_xy: ArrayLike,
    k: int,
    radius_m: float,
    time_limit_s: float = TIME_LIMIT_S,
) -> PlanSolution:
    """Choose ``k`` new sites among candidates to cover the most demand not yet covered.

    Parameters
    ----------
    demand_xy, demand
        Demand points (metres in a local metric CRS) and their demand (finite, >= 0; a point
        with an unknown count weighs 0).
    existing_xy
        Existing services of the category: fixed open facilities (none is allowed).
    candidate_xy
        Candidate sites, in order of preference: equal gains go to the earlier one.
    k
        Number of new sites (0 gives an empty answer).
    radius_m
        Coverage radius, inclusive.
    time_limit_s
        Guard on the solver's time; the status says ``feasible`` if it is reached.

    Returns
    -------
    PlanSolution
    """
    dxy, sxy, cxy = _as_xy(demand_xy), _as_xy(existing_xy), _as_xy(candidate_xy)
    weight = np.asarray(demand, dtype=np.float64).reshape(-1)
    _check_inputs(dxy, weight, k, radius_m)
    k = int(k)
    covered_before = _nearest(dxy, sxy) <= radius_m
    reach = _uncovered_reach(dxy, cxy, weight, covered_before, radius_m)
    alone = np.bincount(reach.site, weights=weight[reach.point], minlength=len(cxy)).astype(np.float64)
    total = float(weight.sum())
    before = float(weight[covered_before].sum())
    base = PlanSolution(  # the empty answer; a solved plan replaces what the solver found
        covered_before=covered_before,
        covered_after=covered_before.copy(),
        alone=alone,
        chosen=np.empty(0, dtype=np.intp),
        added=np.empty(0, dtype=np.float64),
        requested=k,
        radius_m=float(radius_m),
        demand_total=total,
        covered_before_total=before,
        status="no_sites_requested",
    )
    if k == 0:
        return base
    if total - before <= 0:
        return replace(base, status="all_covered")
    if not np.any(alone > 0):
        return replace(base, status="out_of_reach")
    model = _reduced_model(dxy, sxy, cxy, weight, covered_before, reach, radius_m)
    solved = _solve(model, k, radius_m, time_limit_s)
    return _solved_plan(base, model, solved, reach, weight)


def _solved_plan(
    base: PlanSolution, model: _Model, solved: _Solved, reach: _Reach, weight: NDArray[np.float64]
) -> PlanSolution:
    """The empty answer completed with what the solver chose, ranked by what each site adds
    (greedy order over the optimal set); a chosen site adding nothing is not recommended."""
    ranked, added, after = _greedy_order(solved.picked, reach.point, reach.site, weight, base.covered_before)
    useful = added > 0
    return replace(
        base,
        status="optimal" if solved.proven else "feasible",
        solver=solver_name(),
        solver_status=solved.solver_status,
        optimality_gap=0.0 if solved.proven else float("nan"),
        objective=solved.objective,
        solve_seconds=solved.seconds,
        model_rows=model.cost.shape[0],
        model_columns=model.cost.shape[1],
        chosen_adding_nothing=int((~useful).sum()),
        notes={"fixed_facilities": float(len(model.fixed)), "candidates_kept": float(len(model.kept))},
        chosen=ranked[useful],
        added=added[useful],
        covered_after=after,
    )


def coverage_table(solution: PlanSolution) -> pd.DataFrame:
    """Rank, what each recommended site adds, the running total and shares of the uncovered.

    ``share_of_uncovered`` is the site's own addition over the demand uncovered before any
    new site; ``cumulative_share`` the running total over the same.
    """
    added = solution.added
    cumulative = np.cumsum(added)
    uncovered = solution.uncovered_before
    with np.errstate(invalid="ignore", divide="ignore"):
        share = added / uncovered if uncovered > 0 else np.full(len(added), np.nan)
        cumulative_share = cumulative / uncovered if uncovered > 0 else np.full(len(added), np.nan)
    return pd.DataFrame(
        {
            "rank": np.arange(1, len(added) + 1),
            "candidate": solution.chosen,
            "demand_newly_covered": added,
            "cumulative_covered": cumulative,
            "share_of_uncovered": share,
            "cumulative_share": cumulative_share,
        }
    )


__all__ = ["STATUSES", "PlanSolution", "coverage_table", "recommend_sites", "solver_name"]
