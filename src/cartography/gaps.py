"""Service-gap indicators per area and service category (DESIGN.md section 5). Pure.

Frames in, frames out. Demand is a set of points with a population (or any imported
characteristic) and the areas they belong to at every level; supply is the French-language
service points. Every indicator is computed once per demand point and then aggregated to
regions, municipalities and census tracts with population weights, so the three levels agree.
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
    index = pd.Index(labels)
    codes = index.get_indexer(groups)
    ok = codes >= 0
    total_w = np.bincount(codes[ok], weights=weights[ok], minlength=len(labels))
    finite = ok & np.isfinite(values)
    sum_wv = np.bincount(
        codes[finite],
        weights=(weights * np.where(np.isfinite(values), values, 0))[finite],
        minlength=len(labels),
    )
    inf_w = np.bincount(
        codes[ok & ~np.isfinite(values)], weights=weights[ok & ~np.isfinite(values)], minlength=len(labels)
    )
    with np.errstate(invalid="ignore", divide="ignore"):
        out = sum_wv / total_w
    out[inf_w > 0] = np.inf  # someone in the area has no service at all
    empty = total_w == 0
    if empty.any():  # an area with no counted residents (a reserve not enumerated): plain mean
        count = np.bincount(codes[ok], minlength=len(labels)).astype(float)
        plain_sum = np.bincount(codes[finite], weights=values[finite], minlength=len(labels))
        with np.errstate(invalid="ignore", divide="ignore"):
            plain = plain_sum / count
        plain[np.bincount(codes[ok & ~np.isfinite(values)], minlength=len(labels)) > 0] = np.inf
        out[empty] = plain[empty]
    return out


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
        ``x``, ``y`` (EPSG:3347 metres), ``demand``, and one column per level
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
    frames = []
    for category in [ALL, *categories]:
        sp = service_points if category == ALL else service_points[service_points["category"] == category]
        rc = remote_coverage if category == ALL else remote_coverage[remote_coverage["category"] == category]
        nd = scored if category == ALL else scored[scored["category"] == category]
        sxy = sp[["x", "y"]].to_numpy(float)
        supply = sp["capacity"].fillna(1).to_numpy(float) if params.use_capacity else np.ones(len(sp))
        if len(sp):
            a2 = two_stage_fca(dxy, demand, sxy, supply, params.radius_m)
            ae = two_stage_fca(dxy, demand, sxy, supply, params.radius_m, steps=params.steps)
            nearest, _ = cKDTree(sxy).query(dxy)
        else:
            a2 = ae = np.zeros(len(dxy))
            nearest = np.full(len(dxy), np.inf)
        reference = supply.sum() / demand.sum() * PER if demand.sum() > 0 else 0.0
        for level in ("region", "csd", "ct"):
            level_areas = areas[areas["level"] == level]
            if level_areas.empty:
                continue
            ids = level_areas["area_id"].astype(str).to_numpy()
            groups = demand_points[level].astype(str).to_numpy()
            frame = pd.DataFrame({"level": level, "area_id": ids, "category": category})
            codes = pd.Index(ids).get_indexer(groups)
            frame["demand"] = np.bincount(codes[codes >= 0], weights=demand[codes >= 0], minlength=len(ids))
            frame["access_2sfca_per_10k"] = _weighted_mean(a2 * PER, demand, groups, ids)
            frame["access_e2sfca_per_10k"] = _weighted_mean(ae * PER, demand, groups, ids)
            frame["nearest_km"] = _weighted_mean(nearest / 1000.0, demand, groups, ids)
            frame["services_in"] = sp[level].astype(str).value_counts().reindex(ids, fill_value=0).to_numpy()
            for mode in ("itinerant", "virtual"):
                served = rc[rc["mode"] == mode].drop_duplicates(["service_key", "csd"])
                if level == "ct":  # remote services are declared by municipality: a tract gets its CSD's
                    ct_csd = demand_points.drop_duplicates("ct").set_index("ct")["csd"].astype(str)
                    per_csd = served["csd"].astype(str).value_counts()
                    counts = ct_csd.reindex(ids).map(per_csd).fillna(0).astype(int).to_numpy()
                else:
                    counts = (
                        served.drop_duplicates(["service_key", level])[level]
                        .astype(str)
                        .value_counts()
                        .reindex(ids, fill_value=0)
                        .to_numpy()
                    )
                frame[f"services_{mode}"] = counts
            frame["services_serving"] = frame["services_in"] + frame["services_itinerant"] + frame["services_virtual"]
            if level == "ct":
                frame["needs_reported"] = pd.NA
                frame["needs_unmet"] = pd.NA
                frame["need_score"] = np.nan
            else:
                matched = nd[nd[level].astype(str).isin(ids)] if not nd.empty else nd
                grouped = matched.groupby(matched[level].astype(str)) if not matched.empty else None
                frame["needs_reported"] = (
                    grouped.size().reindex(ids, fill_value=0).to_numpy() if grouped is not None else 0
                )
                frame["needs_unmet"] = (
                    matched[matched["status"] != "met"].groupby(level).size().reindex(ids, fill_value=0).to_numpy()
                    if grouped is not None
                    else 0
                )
                frame["need_score"] = (
                    grouped["score"].sum().reindex(ids, fill_value=0.0).to_numpy() if grouped is not None else 0.0
                )
            frame["reference_per_10k"] = reference
            frames.append(frame)
    result = pd.concat(frames, ignore_index=True)
    result = result.merge(
        areas[["level", "area_id", "name"]].astype({"area_id": str}), on=["level", "area_id"], how="left"
    )
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


__all__ = ["ALL", "GapParameters", "gap_indicators", "need_scores"]
