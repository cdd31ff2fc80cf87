"""Service-gap indicators per area and service category (DESIGN.md section 5). Pure.

Frames in, frames out. Demand is a set of points with a population (or any imported
characteristic) and the areas they belong to at every level; supply is the French-language
service points. Every indicator is computed once per demand point and then aggregated to
regions, municipalities and census tracts with population weights, so the three levels agree.
Coordinates are metres in a local metric CRS (a UTM zone, see ``Geography.distance_crs``) so
that "30 km" is 30 km on the ground.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass, field

import numpy as np
import pandas as pd
from pandas.api.extensions import ExtensionArray
from scipy import sparse
from scipy.spatial import cKDTree

from cartography.access import floating_catchment, pair_table, two_stage_fca
from cartography.vocabulary import SERVICE_CATEGORIES, SEVERITIES

ALL = "all"
PER = 10_000.0
#: Largest demand points x sites product computed on one pair table rather than by
#: ``two_stage_fca``'s grid: the demo (129 x 13) takes 1 ms that way against 30 ms.
PAIR_TABLE_LIMIT = 1_000_000
#: Where a demand figure comes from, finest first (a coarser source is less precise).
DEMAND_SOURCES = ("census_da", "census_ct", "census_csd", "apportioned_area")


@dataclass(frozen=True)
class GapParameters:
    """The method's parameters; written into every compiled output's metadata.

    The composite index weights sum to 1: an area's gap index is
    ``w_access * access_gap + w_distance * distance_gap + w_needs * need_gap`` with each
    part in [0, 1] (see docs/methodologie.md).
    """

    radius_m: float = 30_000.0
    steps: tuple[tuple[float, float], ...] = ((10_000.0, 1.0), (20_000.0, 0.68), (30_000.0, 0.22))
    far_km: float = 20.0
    low_capacity_share: float = 0.5
    use_capacity: bool = False
    weight_access: float = 0.4
    weight_distance: float = 0.3
    weight_needs: float = 0.3
    partly_met_factor: float = 0.5
    status_factors: dict[str, float] = field(default_factory=lambda: {"unmet": 1.0, "partly_met": 0.5, "met": 0.0})

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


def _weighted_means(values: np.ndarray, weights: np.ndarray, codes: np.ndarray, n: int) -> np.ndarray:
    """Demand-weighted mean of every column of ``values`` (points x categories) per area.

    ``codes`` is each point's area position (-1 = in no area). One sparse area x point
    matrix sums every category in one product. An area where someone (with weight) has no
    service at all is ``inf``; an area with no counted residents (a reserve not enumerated)
    gets the plain mean of its points, so its indicators describe the place rather than
    vanish.
    """
    values = np.asarray(values, dtype=float).reshape(len(codes), -1)
    ok = np.flatnonzero(codes >= 0)
    members = sparse.csr_array((np.ones(len(ok)), (codes[ok], ok)), shape=(n, len(codes)))
    finite = np.isfinite(values)
    clean = np.where(finite, values, 0.0)
    w = np.asarray(weights, dtype=float)[:, None]
    total_w = members @ np.asarray(weights, dtype=float)
    everywhere = bool(finite.all())  # accessibility always is: no product for what is not there
    with np.errstate(invalid="ignore", divide="ignore"):
        out = (members @ (w * clean)) / total_w[:, None]
        if not everywhere:
            out[(members @ (w * ~finite)) > 0] = np.inf  # someone in the area has no service at all
        empty = total_w == 0
        if empty.any():
            # a sparse array times a dense one is dense; asarray says so to the type checker
            counts = np.asarray(members @ np.ones(len(codes)))
            plain = np.asarray(members @ clean) / counts[:, None]
            if not everywhere:
                plain[(members @ (~finite).astype(float)) > 0] = np.inf
            out[empty] = plain[empty]
    return out


def _share_texts(shares: dict[str, np.ndarray], total: np.ndarray, coarsest: np.ndarray) -> np.ndarray:
    """Each area's ``"census_ct 62 %; census_csd 38 %"`` (sources with a share, in
    :data:`DEMAND_SOURCES` order); an area without demand names its coarsest source alone.

    Shares are rounded half to even like ``f"{x:.0f}"`` (``numpy.rint`` on the same double),
    and the text is built once per distinct combination of rounded shares, not once per area:
    a province has tens of thousands of areas but few combinations.
    """
    n = len(total)
    counted = total > 0
    with np.errstate(invalid="ignore", divide="ignore"):
        percent = (
            np.column_stack(
                [
                    np.where(counted & (v > 0), np.rint(100 * v / np.where(counted, total, 1.0)), -1)
                    for v in shares.values()
                ]
            ).astype(np.int64)
            if n
            else np.empty((0, len(shares)), np.int64)
        )
    names = list(shares)
    combos, inverse = np.unique(percent, axis=0, return_inverse=True)
    texts = np.array(
        ["; ".join(f"{names[j]} {p} %" for j, p in enumerate(row.tolist()) if p >= 0) for row in combos] or [""],
        dtype=object,
    )
    out = texts[inverse.reshape(-1)] if n else np.empty(0, dtype=object)
    bare = np.append(np.array(DEMAND_SOURCES, dtype=object), "")  # coarsest -1: no point
    out[~counted] = bare[coarsest[~counted]]
    return out


#: Each demand source's rank, finest first (:data:`DEMAND_SOURCES` order).
_SOURCE_RANK = {name: i for i, name in enumerate(DEMAND_SOURCES)}
_PROVENANCE_COLUMNS = [
    "level",
    "area_id",
    "demand_source",
    "demand_sources",
    "demand_enumerated",
    "any_enumerated",
    "unenumerated_csd",
]


def demand_provenance(demand_points: pd.DataFrame, areas: pd.DataFrame) -> pd.DataFrame:
    """Where each area's demand comes from, for the ``demand_source`` column of every gap layer.

    Parameters
    ----------
    demand_points
        As for :func:`gap_indicators`, plus ``demand_source`` (one of :data:`DEMAND_SOURCES`)
        and ``enumerated`` (False where the census has no count, e.g. a reserve marked "..").
    areas
        ``level``, ``area_id``.

    Returns
    -------
    pandas.DataFrame
        ``level``, ``area_id``; ``demand_source``: the *coarsest* source among the area's
        points, so that a label never claims more precision than the figure has (a region
        mixing tract and municipal counts says ``census_csd``); ``demand_sources``: each
        source with its share of the area's demand (``"census_ct 62 %; census_csd 38 %"``);
        ``demand_enumerated``: every point of the area has a count; ``any_enumerated``: at
        least one has (else the area's demand is unknown, never 0); ``unenumerated_csd``:
        the municipalities without a count, ``;``-joined.
    """
    sources = _PointSources(
        rank=demand_points["demand_source"].map(_SOURCE_RANK).fillna(len(_SOURCE_RANK) - 1).astype(int).to_numpy(),
        enumerated=demand_points["enumerated"].astype(bool).to_numpy(),
        weight=demand_points["demand"].astype(float).to_numpy(),
        csd=demand_points["csd"].astype(str).to_numpy(),
    )
    frames = []
    for level in ("region", "csd", "ct"):
        ids = areas.loc[areas["level"] == level, "area_id"].astype(str).to_numpy()
        if not len(ids) or level not in demand_points.columns:
            continue
        codes = pd.Index(ids).get_indexer(pd.Index(demand_points[level].astype(str)))
        frames.append(_level_provenance(level, ids, codes, sources))
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=_PROVENANCE_COLUMNS)


@dataclass(frozen=True)
class _PointSources:
    """Of every demand point: its source's rank, whether it has a count, its demand and its CSDUID."""

    rank: np.ndarray
    enumerated: np.ndarray
    weight: np.ndarray
    csd: np.ndarray


def _level_provenance(level: str, ids: np.ndarray, codes: np.ndarray, points: _PointSources) -> pd.DataFrame:
    """:func:`demand_provenance` of the areas ``ids`` of one level; ``codes`` is each demand
    point's position in ``ids`` (-1 = in none of them)."""
    n = len(ids)
    ok = codes >= 0
    coarsest = np.full(n, -1)
    np.maximum.at(coarsest, codes[ok], points.rank[ok])
    n_points = np.bincount(codes[ok], minlength=n)
    n_counted = np.bincount(codes[ok & points.enumerated], minlength=n)
    total = np.bincount(codes[ok], weights=points.weight[ok], minlength=n)
    shares = {
        source: np.bincount(codes[ok & (points.rank == r)], weights=points.weight[ok & (points.rank == r)], minlength=n)
        for source, r in _SOURCE_RANK.items()
    }
    details = _share_texts(shares, total, coarsest)
    unenumerated = np.full(n, "", dtype=object)
    missing = pd.Series(points.csd[ok & ~points.enumerated]).groupby(codes[ok & ~points.enumerated]).unique()
    unenumerated[missing.index.to_numpy()] = [";".join(sorted(set(c))) for c in missing]
    return pd.DataFrame(
        {
            "level": level,
            "area_id": ids,
            # an area with no point (cannot happen with tracts and CSDs) says the least
            "demand_source": np.array(DEMAND_SOURCES, dtype=object)[
                np.where(coarsest >= 0, coarsest, len(_SOURCE_RANK) - 1)
            ],
            "demand_sources": details,
            "demand_enumerated": (n_points > 0) & (n_counted == n_points),
            "any_enumerated": n_counted > 0,
            "unenumerated_csd": unenumerated,
        }
    )


def need_scores(needs: pd.DataFrame, params: GapParameters) -> pd.DataFrame:
    """One row per need with its severity score: severity weight x status factor."""
    if needs.empty:
        return needs.assign(score=pd.Series(dtype=float))
    weight = needs["severity"].map({t.code: float(t.attrs["weight"]) for t in SEVERITIES})
    factor = needs["status"].map(params.status_factors).fillna(0.0)
    return needs.assign(score=weight * factor)


@dataclass(frozen=True)
class PointIndicators:
    """Indicators of every demand point (rows) for every category (columns).

    Column 0 is every category together (:data:`ALL`); column ``k`` is ``categories[k]``.
    Accessibility is supply per person (multiply by :data:`PER` for "per 10,000"); distances
    are metres, ``inf`` where the category has no in-person service at all.
    """

    categories: tuple[str, ...]
    access_2sfca: np.ndarray
    access_e2sfca: np.ndarray
    nearest_m: np.ndarray


def _both_methods(
    demand_xy: np.ndarray, demand: np.ndarray, site_xy: np.ndarray, supply: np.ndarray, params: GapParameters
) -> tuple[np.ndarray, np.ndarray]:
    """2SFCA and E2SFCA of every demand point for every column of ``supply`` (sites x categories).

    A small problem (the demo, a region by municipality) shares one pair table between both
    methods; a large one lets each method bin demand and sites once (two_stage_fca's grid
    path, whose threads cost more than a whole small pair search).
    """
    if len(demand_xy) * len(site_xy) <= PAIR_TABLE_LIMIT:
        pairs = pair_table(demand_xy, site_xy, params.radius_m)
        return (
            floating_catchment(pairs, demand, supply),
            floating_catchment(pairs, demand, supply, steps=params.steps),
        )
    return (
        two_stage_fca(demand_xy, demand, site_xy, supply, params.radius_m),
        two_stage_fca(demand_xy, demand, site_xy, supply, params.radius_m, steps=params.steps),
    )


def point_indicators(
    demand_xy: np.ndarray,
    demand: np.ndarray,
    supply_xy: np.ndarray,
    supply: np.ndarray,
    supply_category: np.ndarray,
    categories: list[str],
    params: GapParameters,
) -> PointIndicators:
    """2SFCA, E2SFCA and nearest distance of every demand point for every category, from one
    search per method (not one per category).

    Services at the same place are one supply point with a supply per category (a sites x
    categories matrix, the "all" column being every service); each method finds the demand
    x site neighbourhoods once and gives every category from that one search, as products
    with the whole matrix (:func:`_both_methods`: one pair table for both methods when the
    problem is small, else :func:`cartography.access.two_stage_fca`, which blocks demand and
    sites on a grid, without a pair list). The nearest service of a category is one
    nearest-neighbour query on the category's sites (not a pair search).

    Parameters
    ----------
    demand_xy, demand
        Demand points (metres) and their non-negative demand.
    supply_xy, supply
        One row per service: its place (metres) and its supply (1, or its capacity).
    supply_category
        Each service's category code; a code not in ``categories`` counts in "all" only.
    categories
        The categories to report, in order (column ``k + 1`` of the result).
    """
    k = len(categories) + 1
    code = pd.Index(categories).get_indexer(pd.Index(np.asarray(supply_category, dtype=object)))
    if len(supply_xy):
        site_xy, site = np.unique(np.asarray(supply_xy, float).reshape(-1, 2), axis=0, return_inverse=True)
        site = site.reshape(-1)
    else:
        site_xy, site = np.empty((0, 2)), np.empty(0, dtype=np.intp)
    n_sites = len(site_xy)
    listed = code >= 0
    supply_matrix = np.zeros((n_sites, k))
    np.add.at(supply_matrix, (site, np.zeros_like(site)), supply)
    np.add.at(supply_matrix, (site[listed], code[listed] + 1), supply[listed])
    a2, ae = _both_methods(demand_xy, demand, site_xy, supply_matrix, params)
    # Nearest service: one nearest-neighbour (k = 1) query per category on a tree of that
    # category's sites. It is not a pair search (one answer per point, found in log time)
    # and it also answers beyond the radius; deriving it from the pair table instead means
    # expanding every pair once per category of its site, measured 3-4x slower.
    nearest = np.full((len(demand_xy), k), np.inf)
    members = [np.arange(n_sites)] + [np.unique(site[code == c]) for c in range(k - 1)]
    for column, in_group in enumerate(members):
        if len(in_group) and len(demand_xy):
            nearest[:, column] = cKDTree(site_xy[in_group]).query(demand_xy, workers=-1)[0]
    return PointIndicators((ALL, *categories), a2, ae, nearest)


def _per_area(codes: np.ndarray, columns: np.ndarray, n: int, k: int, weights: np.ndarray | None = None) -> np.ndarray:
    """Sum of ``weights`` (or a count) per (area position ``codes``, category column ``columns``).

    Rows with a negative code or column are in no area / no category. Returns shape (n, k).
    """
    ok = (codes >= 0) & (columns >= 0)
    w = None if weights is None else np.asarray(weights, float)[ok]
    return np.bincount(codes[ok] * k + columns[ok], weights=w, minlength=n * k).reshape(n, k)


def _long(matrix: np.ndarray) -> np.ndarray:
    """An (areas x categories) matrix as one long column, category-major (every area for
    the first category, then every area for the next)."""
    return np.ascontiguousarray(np.asarray(matrix).T).reshape(-1)


def gap_indicators(
    areas: pd.DataFrame,
    demand_points: pd.DataFrame,
    service_points: pd.DataFrame,
    remote_coverage: pd.DataFrame,
    needs: pd.DataFrame,
    params: GapParameters | None = None,
    categories: list[str] | None = None,
) -> pd.DataFrame:
    """Gap indicators for every area and category (plus ``"all"`` categories).

    Parameters
    ----------
    areas
        ``level``, ``area_id``, ``name``: every area to report, at every level.
    demand_points
        ``x``, ``y`` (metres, local metric CRS), ``demand``, and one column per level
        (``region``, ``csd``, ``ct``) naming the area the point falls in (blank if none).
    service_points
        French-language in-person service points: ``x``, ``y``, ``category``,
        ``capacity`` and the area columns ``region``, ``csd``, ``ct``.
    remote_coverage
        One row per (itinerant or virtual French service, municipality served):
        ``service_key``, ``category``, ``mode``, ``region``, ``csd``.
    needs
        ``category``, ``severity``, ``status``, ``region``, ``csd`` (blank for a need
        reported for a whole region).

    Returns
    -------
    pandas.DataFrame
        One row per (level, area_id, category): levels in the order region, csd, ct; within
        a level, every area for ``"all"``, then every area for each category in turn.
    """
    levels = gap_levels(areas, demand_points, service_points, remote_coverage, needs, params, categories)
    return pd.concat(list(levels.values()), ignore_index=True)


def gap_levels(
    areas: pd.DataFrame,
    demand_points: pd.DataFrame,
    service_points: pd.DataFrame,
    remote_coverage: pd.DataFrame,
    needs: pd.DataFrame,
    params: GapParameters | None = None,
    categories: list[str] | None = None,
) -> dict[str, pd.DataFrame]:
    """:func:`gap_indicators` level by level: ``{level: rows}``, each with its own 0-based index.

    What a compile publishes is one layer per level; taking each level's rows back out of
    the concatenation cost a province over 0.1 s of CPU (every column of 340,000 rows
    copied), so the levels are handed over as they are built. Same parameters and rows as
    :func:`gap_indicators`, which concatenates these frames.
    """
    params = params or GapParameters()
    categories = categories if categories is not None else list(SERVICE_CATEGORIES.codes)
    demand = demand_points["demand"].to_numpy(float)
    supply = _supply(service_points, params)
    points = point_indicators(
        demand_points[["x", "y"]].to_numpy(float),
        demand,
        service_points[["x", "y"]].to_numpy(float),
        supply,
        service_points["category"].astype(str).to_numpy(),
        categories,
        params,
    )
    columns = _Columns(pd.Index(categories), len(points.categories))
    reported = _reported_areas(areas)
    service_columns = columns.of(service_points["category"])
    inputs = _LevelInputs(
        demand_points=demand_points,
        demand=demand,
        points=points,
        columns=columns,
        areas=reported,
        service_points=service_points,
        service_columns=service_columns,
        needs=_NeedColumns.of(need_scores(needs, params), columns),
        remote=_remote_counts(remote_coverage, demand_points, reported, columns),
        reference=_reference(columns, service_columns, supply, demand),
    )
    return {level: _level_rows(level, inputs, params) for level in reported.levels}


def _supply(service_points: pd.DataFrame, params: GapParameters) -> np.ndarray:
    """Each service's supply: its capacity (1 when unknown) if the method uses capacity, else 1."""
    if params.use_capacity:
        return pd.to_numeric(service_points["capacity"], errors="coerce").astype(float).fillna(1.0).to_numpy()
    return np.ones(len(service_points))


def _reference(columns: _Columns, service_columns: np.ndarray, supply: np.ndarray, demand: np.ndarray) -> np.ndarray:
    """Each category column's whole supply per 10,000 of the whole demand (0 without demand)."""
    supply_by_column = columns.with_all(np.zeros(len(service_columns), np.intp), service_columns, 1, supply)[0]
    return supply_by_column / demand.sum() * PER if demand.sum() > 0 else np.zeros(columns.k)


@dataclass(frozen=True)
class _Columns:
    """The reported categories as matrix columns: column 0 is every category (:data:`ALL`),
    column ``i + 1`` is ``index[i]``; ``k`` columns in all."""

    index: pd.Index
    k: int

    def of(self, values: pd.Series) -> np.ndarray:
        """Category column (1..k-1) of each row, -1 for a category not reported."""
        found = self.index.get_indexer(pd.Index(values.astype(str)))
        return np.where(found >= 0, found + 1, -1)

    def with_all(self, codes: np.ndarray, columns: np.ndarray, n: int, weights: np.ndarray | None = None) -> np.ndarray:
        """Per area and category column; column 0 ("all") counts every row, listed or not."""
        out = _per_area(codes, columns, n, self.k, weights)
        out[:, 0] = _per_area(codes, np.zeros_like(codes), n, 1, weights)[:, 0]
        return out


@dataclass(frozen=True)
class _ReportedAreas:
    """The levels present, and each level's area ids, names and id index, in reporting order."""

    levels: list[str]
    ids: dict[str, np.ndarray]
    names: dict[str, np.ndarray]
    index: dict[str, pd.Index]


def _reported_areas(areas: pd.DataFrame) -> _ReportedAreas:
    """The areas to report at each level; an area listed twice is reported once, with its first name."""
    area_level = areas["level"].astype(str).to_numpy()
    area_ids = areas["area_id"].astype(str).to_numpy()
    area_names = areas["name"].to_numpy(dtype=object)
    levels = [lv for lv in ("region", "csd", "ct") if (area_level == lv).any()]
    firsts = {lv: np.unique(area_ids[area_level == lv], return_index=True)[1] for lv in levels}
    ids = {lv: area_ids[area_level == lv][np.sort(firsts[lv])] for lv in levels}
    names = {lv: area_names[area_level == lv][np.sort(firsts[lv])] for lv in levels}
    return _ReportedAreas(levels, ids, names, {lv: pd.Index(ids[lv]) for lv in levels})


@dataclass(frozen=True)
class _NeedColumns:
    """The scored needs (:func:`need_scores`) with each one's category column, whether it is
    still open (not met) and its score; empty arrays when no need is reported."""

    scored: pd.DataFrame
    present: bool
    columns: np.ndarray
    open: np.ndarray
    score: np.ndarray

    @classmethod
    def of(cls, scored: pd.DataFrame, columns: _Columns) -> _NeedColumns:
        present = len(scored) > 0
        return cls(
            scored=scored,
            present=present,
            columns=columns.of(scored["category"]) if present else np.empty(0, np.intp),
            open=(scored["status"] != "met").to_numpy() if present else np.empty(0, bool),
            score=scored["score"].astype(float).fillna(0.0).to_numpy() if present else np.empty(0),
        )


def _remote_counts(
    remote_coverage: pd.DataFrame, demand_points: pd.DataFrame, reported: _ReportedAreas, columns: _Columns
) -> dict[str, dict[str, np.ndarray]]:
    """Itinerant and virtual services serving each area (per mode, level, area and category
    column). A service counts once per area it serves; remote services are declared by
    municipality, so a tract counts its municipality's."""
    ct_csd = demand_points.drop_duplicates("ct").set_index("ct")["csd"].astype(str)
    remote_counts: dict[str, dict[str, np.ndarray]] = {}
    for mode in ("itinerant", "virtual"):
        served = remote_coverage[remote_coverage["mode"] == mode].drop_duplicates(["service_key", "csd"])
        first_region = ~served.duplicated(["service_key", "region"]).to_numpy()
        remote_columns = columns.of(served["category"])
        csd_index = pd.Index(served["csd"].astype(str).unique())
        per_level = {}
        for lv in reported.levels:
            if lv == "ct":
                csd_codes = csd_index.get_indexer(pd.Index(served["csd"].astype(str)))
                per_csd = np.vstack(
                    [columns.with_all(csd_codes, remote_columns, len(csd_index)), np.zeros((1, columns.k))]
                )
                tract_csd = csd_index.get_indexer(ct_csd.reindex(reported.ids["ct"]).fillna("").to_numpy())
                per_level[lv] = per_csd[tract_csd]  # -1 (a tract's CSD unserved): the zero row
            else:
                codes = reported.index[lv].get_indexer(pd.Index(served[lv].astype(str)))
                codes = np.where(first_region, codes, -1) if lv == "region" else codes
                per_level[lv] = columns.with_all(codes, remote_columns, len(reported.ids[lv]))
        remote_counts[mode] = per_level
    return remote_counts


@dataclass(frozen=True)
class _LevelInputs:
    """What every level's rows are computed from (prepared once by :func:`gap_indicators`)."""

    demand_points: pd.DataFrame
    demand: np.ndarray
    points: PointIndicators
    columns: _Columns
    areas: _ReportedAreas
    service_points: pd.DataFrame
    service_columns: np.ndarray
    needs: _NeedColumns
    remote: dict[str, dict[str, np.ndarray]]
    reference: np.ndarray


def _need_counts(level: str, n: int, inputs: _LevelInputs) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Needs reported, needs not met and need score per area of ``level`` and category column:
    blank (NaN) for tracts (needs are reported by municipality or region), 0 without needs."""
    needs, k = inputs.needs, inputs.columns.k
    if level == "ct" or not needs.present:
        fill = np.nan if level == "ct" else 0.0
        blank = np.full((n, k), fill)
        return blank, blank, blank
    ncodes = inputs.areas.index[level].get_indexer(pd.Index(needs.scored[level].astype(str)))
    reported = inputs.columns.with_all(ncodes, needs.columns, n)
    unmet = inputs.columns.with_all(np.where(needs.open, ncodes, -1), needs.columns, n)
    score = inputs.columns.with_all(ncodes, needs.columns, n, needs.score)
    return reported, unmet, score


def _level_rows(level: str, inputs: _LevelInputs, params: GapParameters) -> pd.DataFrame:
    """The classified rows of one level: every area for ``"all"``, then for each category.

    Built from (areas x categories) matrices; the text columns are taken from their few
    distinct values (:func:`repeated`) rather than converted from a Python string per row.
    """
    ids, index, k, demand = inputs.areas.ids[level], inputs.areas.index[level], inputs.columns.k, inputs.demand
    n = len(ids)
    codes = index.get_indexer(pd.Index(inputs.demand_points[level].astype(str)))
    ok = codes >= 0
    scodes = index.get_indexer(pd.Index(inputs.service_points[level].astype(str)))
    services_in = inputs.columns.with_all(scodes, inputs.service_columns, n).astype(np.int64)
    itinerant = inputs.remote["itinerant"][level].astype(np.int64)
    virtual = inputs.remote["virtual"][level].astype(np.int64)
    reported, unmet, score = _need_counts(level, n, inputs)

    def mean(values: np.ndarray, scale: float) -> np.ndarray:
        return _weighted_means(values * scale, demand, codes, n)

    area_demand = np.bincount(codes[ok], weights=demand[ok], minlength=n)
    points = inputs.points
    category = np.repeat(np.arange(k), n)
    rows = _Measures(
        access_2sfca=_long(mean(points.access_2sfca, PER)),
        access_e2sfca=_long(mean(points.access_e2sfca, PER)),
        nearest_km=_long(mean(points.nearest_m, 1 / 1000.0)),
        services_serving=_long(services_in + itinerant + virtual),
        services_itinerant=_long(itinerant),
        needs_unmet=_long(unmet),
        need_score=_long(score),
        reference=np.repeat(inputs.reference, n),
    )
    gap_index, gap_class = _classify(rows, n, k, params)
    return pd.DataFrame(
        {
            "level": repeated([level], np.zeros(n * k, np.intp)),
            "area_id": tiled(ids, k),
            "category": repeated(points.categories, category),
            "demand": np.tile(area_demand, k),
            "access_2sfca_per_10k": rows.access_2sfca.round(6),
            "access_e2sfca_per_10k": rows.access_e2sfca.round(6),
            "nearest_km": np.where(rows.nearest_km == np.inf, np.nan, rows.nearest_km).round(2),
            "services_in": _long(services_in),
            "services_itinerant": rows.services_itinerant,
            "services_virtual": _long(virtual),
            "services_serving": rows.services_serving,
            "needs_reported": pd.array(_long(reported), dtype="Float64").astype("Int64"),
            "needs_unmet": pd.array(rows.needs_unmet, dtype="Float64").astype("Int64"),
            "need_score": rows.need_score,
            "reference_per_10k": rows.reference.round(6),
            "name": tiled(inputs.areas.names[level], k),
            "gap_index": gap_index,
            "gap_class": repeated(_GAP_CLASSES, gap_class),
        }
    )


def repeated(values: Sequence[object] | np.ndarray, positions: np.ndarray) -> ExtensionArray:
    """``values[positions]`` as a frame column, with the dtype a frame would infer for it.

    The dtype is inferred once, on the distinct ``values`` (a few categories, an id per
    area), and the column taken from them: for text, an Arrow ``take`` instead of turning
    hundreds of thousands of Python strings into Arrow strings one by one.
    """
    return pd.Series(np.asarray(values, dtype=object)).array.take(positions)


#: Rows from which laying copies end to end (a concat: ~0.4 ms whatever the size) is cheaper
#: than taking every row (~0.01 microsecond a row): a province's tracts, not the demo's.
TILE_ROWS = 50_000


def tiled(values: Sequence[object] | np.ndarray, times: int) -> ExtensionArray:
    """``values`` laid end to end ``times`` times as a frame column, with the dtype a frame
    would infer for them: converted once, and for text the copies share one Arrow buffer,
    where :func:`repeated` would copy every string once per copy (it does below
    :data:`TILE_ROWS` rows, where that is cheaper)."""
    if len(values) * times < TILE_ROWS:
        return repeated(values, np.tile(np.arange(len(values)), times))
    return pd.concat([pd.Series(np.asarray(values, dtype=object))] * times, ignore_index=True).array


@dataclass(frozen=True)
class _Measures:
    """What classifying a level's rows reads, each as one long column (category-major),
    unrounded: the class is decided on the exact values, the published ones are rounded."""

    access_2sfca: np.ndarray
    access_e2sfca: np.ndarray
    nearest_km: np.ndarray
    services_serving: np.ndarray
    services_itinerant: np.ndarray
    needs_unmet: np.ndarray
    need_score: np.ndarray
    reference: np.ndarray


#: The gap classes, in the order :func:`_classify` tests them (the last one is the default).
_GAP_CLASSES = ("no_service", "far", "low_capacity", "unmet_need", "covered")


def _classify(rows: _Measures, n: int, k: int, params: GapParameters) -> tuple[np.ndarray, np.ndarray]:
    """Composite gap index and gap class (its position in :data:`_GAP_CLASSES`) of each row
    of one level of ``n`` areas and ``k`` category columns (documented in docs/methodologie.md).

    The need part divides by the level's highest need score of the row's category: the rows
    are category-major, so that is the maximum of each of ``k`` blocks of ``n`` rows.
    """
    ref = rows.reference
    access = np.where(np.isnan(rows.access_e2sfca), 0.0, rows.access_e2sfca)
    with np.errstate(invalid="ignore", divide="ignore"):
        access_gap = np.where(ref > 0, 1 - np.minimum(access / ref, 1), 1.0)
    nearest = rows.nearest_km
    distance_gap = np.where(np.isfinite(nearest), np.minimum(nearest / (params.radius_m / 1000), 1), 1.0)
    distance_gap = np.where(np.isnan(nearest), 1.0, distance_gap)
    score = np.where(np.isnan(rows.need_score), 0.0, rows.need_score)
    # only a positive maximum divides: starting from 0 changes no quotient taken
    max_score = np.repeat(score.reshape(k, n).max(axis=1, initial=0.0), n)
    need_gap = np.divide(score, max_score, out=np.zeros_like(score), where=max_score > 0)
    gap_index = np.round(
        params.weight_access * access_gap + params.weight_distance * distance_gap + params.weight_needs * need_gap,
        4,
    )
    no_service = (rows.services_serving == 0) & (access == 0)
    far = ~no_service & (~np.isfinite(nearest) | (nearest > params.far_km)) & (rows.services_itinerant == 0)
    low = ~no_service & ~far & (access < params.low_capacity_share * ref)
    unmet = ~no_service & ~far & ~low & (np.where(np.isnan(rows.needs_unmet), 0.0, rows.needs_unmet) > 0)
    return gap_index, np.select([no_service, far, low, unmet], [0, 1, 2, 3], default=4)


__all__ = [
    "ALL",
    "DEMAND_SOURCES",
    "TILE_ROWS",
    "GapParameters",
    "PointIndicators",
    "demand_provenance",
    "gap_indicators",
    "gap_levels",
    "need_scores",
    "point_indicators",
    "repeated",
    "tiled",
]
