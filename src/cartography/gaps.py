"""Service-gap indicators per area and service category (DESIGN.md section 5). Pure.

Frames in, frames out. Demand is a set of points with a population (or any imported
characteristic) and the areas they belong to at every level; supply is the French-language
service points. Every indicator is computed once per demand point and then aggregated to
regions, municipalities and census tracts with population weights, so the three levels agree.
Coordinates are metres in a local metric CRS (a UTM zone, see ``Geography.distance_crs``) so
that "30 km" is 30 km on the ground.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

import numpy as np
import pandas as pd
from scipy.spatial import cKDTree

from cartography.access import two_stage_fca
from cartography.vocabulary import SERVICE_CATEGORIES, SEVERITIES

ALL = "all"
PER = 10_000.0
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


def _weighted_mean(values: np.ndarray, weights: np.ndarray, groups: np.ndarray, labels: np.ndarray) -> np.ndarray:
    """Population-weighted mean of ``values`` per group label (NaN where no weight)."""
    return _weighted_mean_coded(values, weights, pd.Index(labels).get_indexer(groups), len(labels))


def _weighted_mean_coded(values: np.ndarray, weights: np.ndarray, codes: np.ndarray, n: int) -> np.ndarray:
    """Weighted mean of ``values`` per group position ``codes`` (-1 = in no group).

    An area where someone has no service at all is ``inf``; an area with no counted
    residents (a reserve not enumerated) gets the plain mean of its points, so its
    indicators describe the place rather than vanish.
    """
    ok = codes >= 0
    finite_values = np.isfinite(values)
    finite = ok & finite_values
    infinite = ok & ~finite_values
    total_w = np.bincount(codes[ok], weights=weights[ok], minlength=n)
    sum_wv = np.bincount(codes[finite], weights=(weights * np.where(finite_values, values, 0))[finite], minlength=n)
    inf_w = np.bincount(codes[infinite], weights=weights[infinite], minlength=n)
    with np.errstate(invalid="ignore", divide="ignore"):
        out = sum_wv / total_w
    out[inf_w > 0] = np.inf  # someone in the area has no service at all
    empty = total_w == 0
    if empty.any():
        count = np.bincount(codes[ok], minlength=n).astype(float)
        plain_sum = np.bincount(codes[finite], weights=values[finite], minlength=n)
        with np.errstate(invalid="ignore", divide="ignore"):
            plain = plain_sum / count
        plain[np.bincount(codes[infinite], minlength=n) > 0] = np.inf
        out[empty] = plain[empty]
    return out


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
    rank = {name: i for i, name in enumerate(DEMAND_SOURCES)}
    point_rank = demand_points["demand_source"].map(rank).fillna(len(rank) - 1).astype(int).to_numpy()
    enumerated = demand_points["enumerated"].astype(bool).to_numpy()
    weight = demand_points["demand"].astype(float).to_numpy()
    point_csd = demand_points["csd"].astype(str).to_numpy()
    frames = []
    for level in ("region", "csd", "ct"):
        ids = areas.loc[areas["level"] == level, "area_id"].astype(str).to_numpy()
        if not len(ids) or level not in demand_points.columns:
            continue
        n = len(ids)
        codes = pd.Index(ids).get_indexer(demand_points[level].astype(str).to_numpy())
        ok = codes >= 0
        coarsest = np.full(n, -1)
        np.maximum.at(coarsest, codes[ok], point_rank[ok])
        n_points = np.bincount(codes[ok], minlength=n)
        n_counted = np.bincount(codes[ok & enumerated], minlength=n)
        total = np.bincount(codes[ok], weights=weight[ok], minlength=n)
        shares = {
            source: np.bincount(codes[ok & (point_rank == r)], weights=weight[ok & (point_rank == r)], minlength=n)
            for source, r in rank.items()
        }
        details = []
        for i in range(n):
            if total[i] > 0:
                parts = [f"{src} {100 * v[i] / total[i]:.0f} %" for src, v in shares.items() if v[i] > 0]
            else:
                parts = [DEMAND_SOURCES[coarsest[i]]] if coarsest[i] >= 0 else []
            details.append("; ".join(parts))
        missing: dict[int, set[str]] = {}
        for code, csd in zip(codes[ok & ~enumerated], point_csd[ok & ~enumerated], strict=True):
            missing.setdefault(int(code), set()).add(csd)
        frames.append(
            pd.DataFrame(
                {
                    "level": level,
                    "area_id": ids,
                    # an area with no point (cannot happen with tracts and CSDs) says the least
                    "demand_source": np.array(DEMAND_SOURCES, dtype=object)[
                        np.where(coarsest >= 0, coarsest, len(rank) - 1)
                    ],
                    "demand_sources": details,
                    "demand_enumerated": (n_points > 0) & (n_counted == n_points),
                    "any_enumerated": n_counted > 0,
                    "unenumerated_csd": [";".join(sorted(missing.get(i, ()))) for i in range(n)],
                }
            )
        )
    columns = [
        "level",
        "area_id",
        "demand_source",
        "demand_sources",
        "demand_enumerated",
        "any_enumerated",
        "unenumerated_csd",
    ]
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=columns)


def need_scores(needs: pd.DataFrame, params: GapParameters) -> pd.DataFrame:
    """One row per need with its severity score: severity weight x status factor."""
    if needs.empty:
        return needs.assign(score=pd.Series(dtype=float))
    weight = needs["severity"].map({t.code: float(t.attrs["weight"]) for t in SEVERITIES})
    factor = needs["status"].map(params.status_factors).fillna(0.0)
    return needs.assign(score=weight * factor)


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
        One row per (level, area_id, category).
    """
    params = params or GapParameters()
    categories = categories if categories is not None else list(SERVICE_CATEGORIES.codes)
    dxy = demand_points[["x", "y"]].to_numpy(float)
    demand = demand_points["demand"].to_numpy(float)
    scored = need_scores(needs, params)
    # Everything that does not depend on the category is indexed once: each demand point,
    # service and need gets the position of its area at every level, so the per-category
    # work below is numpy arithmetic (bincount), not pandas grouping.
    levels = [lv for lv in ("region", "csd", "ct") if (areas["level"] == lv).any()]
    ids = {lv: areas.loc[areas["level"] == lv, "area_id"].astype(str).to_numpy() for lv in levels}
    index = {lv: pd.Index(ids[lv]) for lv in levels}
    point_codes = {lv: index[lv].get_indexer(demand_points[lv].astype(str).to_numpy()) for lv in levels}
    service_codes = {lv: index[lv].get_indexer(service_points[lv].astype(str).to_numpy()) for lv in levels}
    need_codes = {
        lv: index[lv].get_indexer(scored[lv].astype(str).to_numpy()) for lv in levels if lv != "ct" and len(scored)
    }
    service_category = service_points["category"].astype(str).to_numpy()
    need_category = scored["category"].astype(str).to_numpy() if len(scored) else np.array([], dtype=str)
    need_open = (scored["status"] != "met").to_numpy() if len(scored) else np.array([], dtype=bool)
    need_score = scored["score"].astype(float).fillna(0.0).to_numpy() if len(scored) else np.array([])
    all_xy = service_points[["x", "y"]].to_numpy(float)
    all_supply = (
        pd.to_numeric(service_points["capacity"], errors="coerce").astype(float).fillna(1.0).to_numpy()
        if params.use_capacity
        else np.ones(len(service_points))
    )
    # Remote services are declared by municipality: a tract counts its municipality's.
    ct_csd = demand_points.drop_duplicates("ct").set_index("ct")["csd"].astype(str)
    remote = {}
    for mode in ("itinerant", "virtual"):  # a service counts once per area it serves
        served = remote_coverage[remote_coverage["mode"] == mode].drop_duplicates(["service_key", "csd"])
        first_region = ~served.duplicated(["service_key", "region"]).to_numpy()
        csd_index = pd.Index(served["csd"].astype(str).unique())
        codes_by_level = {}
        for lv in levels:
            if lv == "ct":
                codes_by_level[lv] = csd_index.get_indexer(served["csd"].astype(str).to_numpy())
            else:
                codes = index[lv].get_indexer(served[lv].astype(str).to_numpy())
                codes_by_level[lv] = np.where(first_region, codes, -1) if lv == "region" else codes
        tract_csd = (
            csd_index.get_indexer(ct_csd.reindex(ids["ct"]).fillna("").to_numpy()) if "ct" in levels else None
        )
        remote[mode] = (served["category"].astype(str).to_numpy(), codes_by_level, len(csd_index), tract_csd)
    columns: dict[str, list] = {}

    def emit(**values: object) -> None:
        for name, value in values.items():
            columns.setdefault(name, []).append(value)

    for category in [ALL, *categories]:
        in_category = np.ones(len(service_points), bool) if category == ALL else service_category == category
        sxy = all_xy[in_category]
        supply = all_supply[in_category]
        if len(sxy):
            a2 = two_stage_fca(dxy, demand, sxy, supply, params.radius_m)
            ae = two_stage_fca(dxy, demand, sxy, supply, params.radius_m, steps=params.steps)
            nearest, _ = cKDTree(sxy).query(dxy)
        else:
            a2 = ae = np.zeros(len(dxy))
            nearest = np.full(len(dxy), np.inf)
        reference = supply.sum() / demand.sum() * PER if demand.sum() > 0 else 0.0
        need_in = np.ones(len(need_category), bool) if category == ALL else need_category == category
        for level in levels:
            n = len(ids[level])
            codes = point_codes[level]
            ok = codes >= 0
            scodes = service_codes[level][in_category]
            remote_counts = {}
            for mode, (remote_category, remote_codes, n_csd, tract_csd) in remote.items():
                rc = remote_codes[level]
                rc = rc[(rc >= 0) & ((remote_category == category) | (category == ALL))]
                if level == "ct":
                    per_csd = np.append(np.bincount(rc, minlength=n_csd), 0)  # index -1: a tract's CSD unserved
                    remote_counts[mode] = per_csd[tract_csd]
                else:
                    remote_counts[mode] = np.bincount(rc, minlength=n)
            services_in = np.bincount(scodes[scodes >= 0], minlength=n)
            if level == "ct" or not len(need_category):
                empty = level == "ct"
                reported = np.full(n, np.nan) if empty else np.zeros(n)
                unmet = reported.copy()
                score = np.full(n, np.nan) if empty else np.zeros(n)
            else:
                nc = need_codes[level]
                keep = need_in & (nc >= 0)
                reported = np.bincount(nc[keep], minlength=n).astype(float)
                unmet = np.bincount(nc[keep & need_open], minlength=n).astype(float)
                score = np.bincount(nc[keep], weights=need_score[keep], minlength=n)
            emit(
                level=np.full(n, level, dtype=object),
                area_id=ids[level],
                category=np.full(n, category, dtype=object),
                demand=np.bincount(codes[ok], weights=demand[ok], minlength=n),
                access_2sfca_per_10k=_weighted_mean_coded(a2 * PER, demand, codes, n),
                access_e2sfca_per_10k=_weighted_mean_coded(ae * PER, demand, codes, n),
                nearest_km=_weighted_mean_coded(nearest / 1000.0, demand, codes, n),
                services_in=services_in,
                services_itinerant=remote_counts["itinerant"],
                services_virtual=remote_counts["virtual"],
                services_serving=services_in + remote_counts["itinerant"] + remote_counts["virtual"],
                needs_reported=reported,
                needs_unmet=unmet,
                need_score=score,
                reference_per_10k=np.full(n, reference),
            )
    result = pd.DataFrame({name: np.concatenate(parts) for name, parts in columns.items()})
    for name in ("needs_reported", "needs_unmet"):
        result[name] = pd.array(np.where(np.isnan(result[name]), 0, result[name]), dtype="Int64")
        result.loc[result["level"] == "ct", name] = pd.NA
    names = areas[["level", "area_id", "name"]].astype({"area_id": str}).drop_duplicates(["level", "area_id"])
    result = result.merge(names, on=["level", "area_id"], how="left")
    return _classify(result, params)


def _classify(frame: pd.DataFrame, params: GapParameters) -> pd.DataFrame:
    """Composite gap index and gap class of each row (documented in docs/methodologie.md)."""
    out = frame.copy()
    ref = out["reference_per_10k"].to_numpy(float)
    access = out["access_e2sfca_per_10k"].fillna(0).to_numpy(float)
    with np.errstate(invalid="ignore", divide="ignore"):
        access_gap = np.where(ref > 0, 1 - np.minimum(access / ref, 1), 1.0)
    nearest = out["nearest_km"].to_numpy(float)
    distance_gap = np.where(np.isfinite(nearest), np.minimum(nearest / (params.radius_m / 1000), 1), 1.0)
    distance_gap = np.where(np.isnan(nearest), 1.0, distance_gap)
    score = out["need_score"].astype(float).fillna(0).to_numpy()
    max_score = out.groupby(["level", "category"])["need_score"].transform("max").astype(float).fillna(0).to_numpy()
    need_gap = np.divide(score, max_score, out=np.zeros_like(score), where=max_score > 0)
    out["gap_index"] = np.round(
        params.weight_access * access_gap + params.weight_distance * distance_gap + params.weight_needs * need_gap,
        4,
    )
    no_service = (out["services_serving"] == 0) & (access == 0)
    far = ~no_service & (~np.isfinite(nearest) | (nearest > params.far_km)) & (out["services_itinerant"] == 0)
    low = ~no_service & ~far & (access < params.low_capacity_share * ref)
    unmet = ~no_service & ~far & ~low & (pd.to_numeric(out["needs_unmet"], errors="coerce").fillna(0) > 0)
    out["gap_class"] = np.select(
        [no_service, far, low, unmet], ["no_service", "far", "low_capacity", "unmet_need"], default="covered"
    )
    out["nearest_km"] = out["nearest_km"].replace(np.inf, np.nan).round(2)
    for column in ("access_2sfca_per_10k", "access_e2sfca_per_10k", "reference_per_10k"):
        out[column] = out[column].astype(float).round(6)
    return out


__all__ = ["ALL", "DEMAND_SOURCES", "GapParameters", "demand_provenance", "gap_indicators", "need_scores"]
