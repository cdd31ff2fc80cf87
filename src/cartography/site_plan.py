"""A site recommendation for a compiled cycle: its inputs, its answer and the layers of ``plan.gpkg``.

:mod:`cartography.planning` answers "where should the next French service of this category
go?" on plain arrays; this module supplies them from the same truthful inputs as the gap map
(the compile's demand points, distances in ``geo.distance_crs``) and lays the answer out as the
layers of a GeoPackage a planner opens in QGIS (:mod:`cartography.io.plan` writes it):

- ``demand_points``: every demand point (``id``, ``demand``, ``covered_before``,
  ``covered_after``, its tract, municipality, region and demand source);
- ``candidates``: every candidate site (``id``, ``name``, ``kind``, ``municipality``,
  ``demand_newly_covered_alone``, ``recommended_rank``);
- ``recommended``: the chosen sites in the order of what they add (``rank``, ``candidate_id``,
  ``name``, ``municipality``, ``demand_newly_covered``, ``cumulative_covered``,
  ``share_of_uncovered``, ``cumulative_share``);
- ``existing_services``: the category's French in-person services, kept open;
- ``metadata``: radius, demand and its sources, solver, status, optimality gap, CRS.

Geometries are EPSG:3347 like every compiled layer; coverage was measured in the metadata's
``distance_crs``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

import geopandas as gpd
import numpy as np
import pandas as pd

from cartography import __version__
from cartography.compilation import POP_2021, Compiled, demand_label, demand_points, tract_municipalities
from cartography.errors import UserError
from cartography.gaps import GapParameters
from cartography.geography import CRS_DISPLAY, CRS_METRIC, as_geo_frame
from cartography.i18n import Lang, demo_label, t
from cartography.io.geo_source import Geography
from cartography.numbers import as_float, as_int, format_integer, format_number, format_percent
from cartography.planning import PlanSolution, coverage_table, recommend_sites
from cartography.vocabulary import SERVICE_CATEGORIES

#: Candidate kinds, in order of preference when two candidates would add the same demand:
#: a site a member already uses first (co-location is the cheapest start), then the places.
CANDIDATE_KINDS = ("site", "municipality", "community", "tract")
#: Gazetteer entries that are places where people live (not railway points or post offices).
COMMUNITY_TERMS = frozenset(
    {
        "Urban Community",
        "Suburban Community",
        "Compact Rural Community",
        "Dispersed Rural Community",
        "Community",
        "Locality",
        "Indian Reserve",
    }
)
MAX_NEW_SITES = 50
MAX_RADIUS_KM = 200.0
LAYERS = ("demand_points", "candidates", "recommended", "existing_services")


@dataclass
class Plan:
    """A site recommendation for one category of a compiled cycle: layers, metadata, solution."""

    cycle: str
    category: str
    layers: dict[str, gpd.GeoDataFrame]
    metadata: dict[str, object]
    solution: PlanSolution
    demo: bool = False

    @property
    def demand_key(self) -> str:
        return str(self.metadata["demand"])


def _empty_points(columns: dict[str, str]) -> gpd.GeoDataFrame:
    frame = pd.DataFrame({name: pd.Series(dtype=dtype) for name, dtype in columns.items()})
    return gpd.GeoDataFrame(frame, geometry=gpd.GeoSeries([], crs=CRS_METRIC), crs=CRS_METRIC)


def _points(frame: pd.DataFrame, x: np.ndarray, y: np.ndarray, crs: str) -> gpd.GeoDataFrame:
    """``frame`` with point geometries from metres in ``crs``, stored in EPSG:3347."""
    geometry = gpd.GeoSeries(gpd.points_from_xy(x, y), crs=crs).to_crs(CRS_METRIC)
    return gpd.GeoDataFrame(frame.reset_index(drop=True), geometry=geometry.to_numpy(), crs=CRS_METRIC)


def existing_services(service_points: gpd.GeoDataFrame, category: str) -> gpd.GeoDataFrame:
    """The category's French in-person services: the facilities that stay open."""
    if service_points.empty:
        return service_points.iloc[0:0]
    keep = service_points["french"].astype(bool) & (service_points["mode"] == "in_person")
    return service_points[keep & (service_points["category"] == category)].reset_index(drop=True)


def plan_candidates(geo: Geography, service_points: gpd.GeoDataFrame, category: str) -> gpd.GeoDataFrame:
    """Candidate sites, in order of preference, one per location.

    Members' sites (co-location: a site already used for other services, not already
    offering this category in French in person), municipality centres and census tract
    centres (representative points: always inside their polygon), and the gazetteer's
    communities (populated places of the region). Two candidates at the same metre keep the
    first.

    Returns
    -------
    geopandas.GeoDataFrame
        ``id``, ``name``, ``kind``, ``csd``, ``municipality``, ``region``, ``x``, ``y``
        (metres in ``geo.distance_crs``), geometry in EPSG:3347.
    """
    crs = geo.distance_crs
    munis = geo.municipalities.assign(CSDUID=geo.municipalities["CSDUID"].astype(str))
    names = dict(zip(munis["CSDUID"], munis["CSDNAME"].astype(str), strict=True))
    regions = dict(zip(munis["CSDUID"], munis["region"].astype(str), strict=True))
    parts: list[pd.DataFrame] = []
    if not service_points.empty:
        parts.append(_site_candidates(service_points, category, crs))
    parts.append(_municipality_candidates(munis, crs))
    communities = _community_candidates(geo.places, names, crs)
    if communities is not None:
        parts.append(communities)
    if len(geo.census_tracts):
        parts.append(_tract_candidates(geo, crs))
    out = pd.concat(parts, ignore_index=True)
    spot = pd.DataFrame({"x": out["x"].round(0), "y": out["y"].round(0)})
    out = out[~spot.duplicated()].drop_duplicates("id").reset_index(drop=True)
    out["municipality"] = out["csd"].map(names).fillna("")
    out["region"] = out["csd"].map(regions).fillna("")
    columns = ["id", "name", "kind", "csd", "municipality", "region", "x", "y"]
    return _points(out[columns], out["x"].to_numpy(), out["y"].to_numpy(), crs)


def _site_candidates(service_points: gpd.GeoDataFrame, category: str, crs: str) -> pd.DataFrame:
    """Members' sites not already offering ``category`` in French in person (co-location)."""
    existing = existing_services(service_points, category)
    hosting = set(zip(existing["org_id"], existing["site_code"], strict=True))
    sites = service_points.drop_duplicates(["org_id", "site_code"])
    sites = sites[[(o, s) not in hosting for o, s in zip(sites["org_id"], sites["site_code"], strict=True)]]
    local = sites.geometry.to_crs(crs)
    return pd.DataFrame(
        {
            "id": ("site:" + sites["org_id"].astype(str) + ":" + sites["site_code"].astype(str)).to_numpy(),
            "name": (sites["site_name"].astype(str) + " — " + sites["org_name"].astype(str)).to_numpy(),
            "kind": "site",
            "csd": sites["csd"].astype(str).to_numpy(),
            "x": local.x.to_numpy(),
            "y": local.y.to_numpy(),
        }
    )


def _municipality_candidates(munis: gpd.GeoDataFrame, crs: str) -> pd.DataFrame:
    """Each municipality's representative point (always inside it)."""
    reps = munis.geometry.representative_point().to_crs(crs)
    return pd.DataFrame(
        {
            "id": ("csd:" + munis["CSDUID"]).to_numpy(),
            "name": munis["CSDNAME"].astype(str).to_numpy(),
            "kind": "municipality",
            "csd": munis["CSDUID"].to_numpy(),
            "x": reps.x.to_numpy(),
            "y": reps.y.to_numpy(),
        }
    )


def _community_candidates(places: pd.DataFrame, names: dict[str, str], crs: str) -> pd.DataFrame | None:
    """The gazetteer's populated places of the region's municipalities (``None`` when there are none)."""
    csd_ids = places["CSDUID"].map(lambda v: "" if pd.isna(v) else str(v).split(".")[0].strip())
    term = places["generic_term"] if "generic_term" in places.columns else pd.Series(np.nan, index=places.index)
    community = (
        (places["place_type"].astype(str) == "populated_place")
        & csd_ids.isin(names)
        & (term.isna() | term.isin(COMMUNITY_TERMS))
    )
    chosen = places[community]
    if not len(chosen):
        return None
    local = gpd.GeoSeries(gpd.points_from_xy(chosen["lon"], chosen["lat"]), crs=CRS_DISPLAY).to_crs(crs)
    source_ids = chosen["source_id"].astype(str) if "source_id" in chosen.columns else chosen.index.astype(str)
    return pd.DataFrame(
        {
            "id": ("place:" + source_ids).to_numpy(),
            "name": chosen["name"].astype(str).to_numpy(),
            "kind": "community",
            "csd": csd_ids[community].to_numpy(),
            "x": local.x.to_numpy(),
            "y": local.y.to_numpy(),
        }
    )


def _tract_candidates(geo: Geography, crs: str) -> pd.DataFrame:
    """Each census tract's representative point, named by its code."""
    tracts = geo.census_tracts
    tract_ids = tracts["CTUID"].astype(str).to_numpy()
    centres = tracts.geometry.representative_point().to_crs(crs)
    return pd.DataFrame(
        {
            "id": np.char.add("ct:", tract_ids.astype(str)),
            "name": tract_ids,  # labelled in the reader's language where shown
            "kind": "tract",
            "csd": tract_municipalities(geo).reindex(tract_ids).fillna("").to_numpy(),
            "x": centres.x.to_numpy(),
            "y": centres.y.to_numpy(),
        }
    )


def _check(category: str, k: object, radius_km: float) -> int:
    if category not in SERVICE_CATEGORIES:
        raise UserError("plan.error.category", code=category, codes=", ".join(SERVICE_CATEGORIES.codes))
    try:
        whole = as_int(k)
    except (TypeError, ValueError):
        raise UserError("plan.error.k", k=k, max=MAX_NEW_SITES) from None
    if whole != k or not 0 <= whole <= MAX_NEW_SITES:
        raise UserError("plan.error.k", k=k, max=MAX_NEW_SITES)
    if not (np.isfinite(radius_km) and 0 < radius_km <= MAX_RADIUS_KM):
        raise UserError("plan.error.radius", radius=radius_km, max=format_number(MAX_RADIUS_KM, "fr", 0))
    return whole


def compiled_demand(compiled: Compiled) -> pd.DataFrame | None:
    """The demand the compile used: ``None`` for the 2021 population, else the imported figures."""
    key = str(compiled.metadata.get("demand", POP_2021))
    if key == POP_2021:
        return None
    from cartography.io.census import load_demand

    return load_demand(key)


def compiled_radius_km(compiled: Compiled) -> float:
    """The gap method's radius for this compile (km): the default radius of a plan."""
    method = compiled.metadata.get("method") or {}
    radius_m = method.get("radius_m", GapParameters().radius_m) if isinstance(method, dict) else None
    return float(radius_m or GapParameters().radius_m) / 1000.0


def plan_cycle(
    compiled: Compiled,
    geo: Geography,
    category: str,
    k: int,
    radius_km: float | None = None,
    demand: pd.DataFrame | pd.Series | None = None,
) -> Plan:
    """Recommend ``k`` new sites for ``category`` in a compiled cycle.

    Parameters
    ----------
    compiled
        The cycle's compiled layers (its ``service_points`` give the existing services and
        the members' sites; its metadata the demand key and the method's radius).
    geo
        The geography the cycle was compiled with.
    category
        Service category code.
    k
        Number of new sites, 0 to :data:`MAX_NEW_SITES` (0 gives an empty answer).
    radius_km
        Coverage radius; the compile's method radius by default.
    demand
        The compile's imported demand (``io.census.load_demand``); read again from the
        census import when ``None`` and the compile used one.
    """
    radius_km = compiled_radius_km(compiled) if radius_km is None else float(radius_km)
    k = _check(category, k, radius_km)
    key = str(compiled.metadata.get("demand", POP_2021))
    if demand is None and key != POP_2021:
        demand = compiled_demand(compiled)
    crs = geo.distance_crs
    points = demand_points(geo, demand)
    service_points = as_geo_frame(compiled.layers["service_points"])
    existing = existing_services(service_points, category)
    candidates = plan_candidates(geo, service_points, category)
    solution = _solve(points, existing, candidates, k, radius_km, crs)
    demand_layer = _demand_layer(geo, points, solution, crs)
    table = coverage_table(solution)
    asked, counts = _PlanAsked(category, k, radius_km, key), _Counts(len(existing), len(table))
    metadata = _plan_metadata(compiled, geo, asked, solution, demand_layer, counts, candidates)
    return Plan(
        cycle=compiled.cycle,
        category=category,
        layers={
            "demand_points": demand_layer,
            "candidates": _candidate_layer(candidates, solution, table),
            "recommended": _recommended_layer(candidates, solution, table),
            "existing_services": _existing_layer(existing),
        },
        metadata=metadata,
        solution=solution,
        demo=bool(compiled.demo),
    )


def _solve(
    points: pd.DataFrame, existing: gpd.GeoDataFrame, candidates: gpd.GeoDataFrame, k: int, radius_km: float, crs: str
) -> PlanSolution:
    """The MCLP on plain arrays: demand points, existing services kept open, candidates, in metres in ``crs``."""
    existing_local = existing.geometry.to_crs(crs) if len(existing) else gpd.GeoSeries([], crs=crs)
    return recommend_sites(
        points[["x", "y"]].to_numpy(),
        points["demand"].to_numpy(dtype=float),
        np.column_stack([existing_local.x.to_numpy(), existing_local.y.to_numpy()]) if len(existing) else [],
        candidates[["x", "y"]].to_numpy(),
        k,
        radius_km * 1000.0,
    )


@dataclass(frozen=True)
class _PlanAsked:
    """What a plan was asked for: the category, how many sites, the radius and the demand."""

    category: str
    k: int
    radius_km: float
    demand_key: str


@dataclass(frozen=True)
class _Counts:
    """How many existing services were kept open and how many sites the plan recommends."""

    existing: int
    recommended: int


def _demand_layer(geo: Geography, points: pd.DataFrame, solution: PlanSolution, crs: str) -> gpd.GeoDataFrame:
    """Every demand point with its place, its demand and whether it is covered before and after."""
    names = dict(zip(geo.municipalities["CSDUID"].astype(str), geo.municipalities["CSDNAME"].astype(str), strict=True))
    ct = points["ct"].astype(str)
    return _points(
        pd.DataFrame(
            {
                "id": np.arange(1, len(points) + 1),
                "area_id": np.where(ct != "", ct, points["csd"].astype(str)),
                "ct": ct.to_numpy(),
                "csd": points["csd"].astype(str).to_numpy(),
                "municipality": points["csd"].astype(str).map(names).fillna("").to_numpy(),
                "region": points["region"].fillna("").astype(str).to_numpy(),
                # A count the census did not publish is unknown, not 0 (it weighs 0 in the solve).
                "demand": np.where(points["enumerated"].to_numpy(dtype=bool), points["demand"].to_numpy(float), np.nan),
                "demand_source": points["demand_source"].astype(str).to_numpy(),
                "enumerated": points["enumerated"].to_numpy(dtype=bool),
                "covered_before": solution.covered_before,
                "covered_after": solution.covered_after,
            }
        ),
        points["x"].to_numpy(),
        points["y"].to_numpy(),
        crs,
    )


def _candidate_layer(candidates: gpd.GeoDataFrame, solution: PlanSolution, table: pd.DataFrame) -> gpd.GeoDataFrame:
    """Every candidate with what it would add on its own and its rank if recommended."""
    rank_of = pd.Series(table["rank"].to_numpy(), index=table["candidate"].to_numpy(), dtype="Int64")
    return candidates.drop(columns=["x", "y"]).assign(
        demand_newly_covered_alone=solution.alone,
        recommended_rank=pd.array(rank_of.reindex(np.arange(len(candidates))).to_numpy(), dtype="Int64"),
    )


#: Columns of the ``recommended`` layer and their types (an empty plan keeps them).
RECOMMENDED_COLUMNS = {
    "rank": "int64",
    "candidate_id": "object",
    "name": "object",
    "kind": "object",
    "municipality": "object",
    "region": "object",
    "demand_newly_covered_alone": "float64",
    "demand_newly_covered": "float64",
    "cumulative_covered": "float64",
    "share_of_uncovered": "float64",
    "cumulative_share": "float64",
}


def _recommended_layer(candidates: gpd.GeoDataFrame, solution: PlanSolution, table: pd.DataFrame) -> gpd.GeoDataFrame:
    """The chosen sites in the order of what they add (an empty point layer when none)."""
    if not len(table):
        return _empty_points(RECOMMENDED_COLUMNS)
    chosen = candidates.iloc[table["candidate"].to_numpy()].reset_index(drop=True)
    return gpd.GeoDataFrame(
        {
            "rank": table["rank"].to_numpy(),
            "candidate_id": chosen["id"].to_numpy(),
            "name": chosen["name"].to_numpy(),
            "kind": chosen["kind"].to_numpy(),
            "municipality": chosen["municipality"].to_numpy(),
            "region": chosen["region"].to_numpy(),
            "demand_newly_covered_alone": solution.alone[table["candidate"].to_numpy()],
            "demand_newly_covered": table["demand_newly_covered"].to_numpy(),
            "cumulative_covered": table["cumulative_covered"].to_numpy(),
            "share_of_uncovered": table["share_of_uncovered"].to_numpy(),
            "cumulative_share": table["cumulative_share"].to_numpy(),
        },
        geometry=chosen.geometry.to_numpy(),
        crs=CRS_METRIC,
    )


def _existing_layer(existing: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """The category's French in-person services, kept open (an empty point layer when none)."""
    open_columns = ["org_id", "org_name", "site_code", "site_name", "service_code", "service_name", "municipality"]
    if not len(existing):
        return _empty_points(dict.fromkeys(open_columns, "object"))
    return gpd.GeoDataFrame(existing[open_columns], geometry=existing.geometry.to_numpy(), crs=CRS_METRIC)


def _plan_metadata(
    compiled: Compiled,
    geo: Geography,
    asked: _PlanAsked,
    solution: PlanSolution,
    demand_layer: gpd.GeoDataFrame,
    counts: _Counts,
    candidates: gpd.GeoDataFrame,
) -> dict[str, object]:
    """The ``metadata`` table: what was asked, the demand, the solver's answer, provenance."""
    category, k, radius_km, key = asked.category, asked.k, asked.radius_km, asked.demand_key
    sources = demand_layer.loc[demand_layer["enumerated"], "demand_source"].value_counts()
    stub = metadata_stub(category, k, radius_km, key)
    metadata: dict[str, object] = {
        "cycle": compiled.cycle,
        "category": category,
        "category_fr": SERVICE_CATEGORIES.label(category, "fr"),
        "category_en": SERVICE_CATEGORIES.label(category, "en"),
        "new_sites_requested": k,
        "new_sites_recommended": counts.recommended,
        "radius_m": radius_km * 1000.0,
        "radius_km": radius_km,
        "coverage": "distance <= radius_m (inclusive), straight line, measured in distance_crs",
        "demand": key,
        "demand_label_fr": demand_label(key, "fr"),
        "demand_label_en": demand_label(key, "en"),
        "demand_source": dict(sorted((str(s), int(n)) for s, n in sources.items())),
        "demand_not_enumerated": sorted(set(demand_layer.loc[~demand_layer["enumerated"], "csd"])),
        **_coverage_metadata(solution),
        "existing_services": counts.existing,
        "existing_facilities": "French in-person services of the category (active offer or on request), fixed open",
        "candidates": {kind: int((candidates["kind"] == kind).sum()) for kind in CANDIDATE_KINDS},
        **_solver_metadata(solution),
        "ranking": "greedy order over the optimal set: first the site adding most on its own given existing "
        "services, then each by what it adds to those before it",
        "crs": CRS_METRIC,
        "distance_crs": geo.distance_crs,
        "compiled_at": compiled.metadata.get("compiled_at", ""),
        "planned_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "tool": f"cartography {__version__}",
        "message_fr": " ".join(plan_summary_lines_for(solution, stub, "fr")),
        "message_en": " ".join(plan_summary_lines_for(solution, stub, "en")),
        "attribution_fr": " ".join((geo.attribution("fr"), t("geo.attribution.cgndb", "fr"))),
        "attribution_en": " ".join((geo.attribution("en"), t("geo.attribution.cgndb", "en"))),
        "demo_data": bool(compiled.demo),
    }
    if compiled.demo:
        metadata["label"] = demo_label()
    return metadata


def _coverage_metadata(solution: PlanSolution) -> dict[str, object]:
    """The demand covered before the plan, what it adds and what is covered after."""
    return {
        "demand_total": solution.demand_total,
        "demand_covered_before": solution.covered_before_total,
        "demand_uncovered_before": solution.uncovered_before,
        "demand_newly_covered": solution.newly_covered,
        "demand_covered_after": solution.covered_before_total + solution.newly_covered,
    }


def _solver_metadata(solution: PlanSolution) -> dict[str, object]:
    """How the solver answered: which solver, its status and gap, the model's size."""
    return {
        "solver": solution.solver or "none (nothing to solve)",
        "status": solution.status,
        "solver_status": solution.solver_status,
        "optimality_gap": solution.optimality_gap,
        "objective_total_covered": solution.objective,
        "solve_seconds": round(solution.solve_seconds, 3),
        "model_size": {"rows": solution.model_rows, "columns": solution.model_columns},
        "chosen_adding_nothing": solution.chosen_adding_nothing,
    }


def radius_text(km: float, lang: Lang = "fr") -> str:
    """A radius for a reader: ``30`` rather than ``30,0``, ``12,5`` when it has a fraction."""
    return format_number(int(km) if float(km).is_integer() else float(km), lang, 1)


def metadata_stub(category: str, k: int, radius_km: float, demand_key: str) -> dict[str, object]:
    """What the summary needs to know of a plan beyond its solution."""
    return {"category": category, "new_sites_requested": k, "radius_km": radius_km, "demand": demand_key}


def plan_summary_lines_for(solution: PlanSolution, meta: dict[str, object], lang: Lang = "fr") -> list[str]:
    """The answer in words: coverage before and after, or why nothing is recommended."""
    radius = radius_text(as_float(meta["radius_km"]), lang)
    people = demand_label(str(meta["demand"]), lang, "people")
    total = solution.demand_total
    lines = []
    if solution.status in ("optimal", "feasible") or solution.status == "all_covered":
        lines.append(
            t(
                "plan.summary",
                lang,
                category=SERVICE_CATEGORIES.label(str(meta["category"]), lang),
                before=format_integer(solution.covered_before_total, lang),
                total=format_integer(total, lang),
                before_share=format_percent(solution.covered_before_total / total if total else float("nan"), lang),
                people=people,
                radius=radius,
                n=len(solution.chosen),
                added=format_integer(solution.newly_covered, lang),
                added_share=format_percent(
                    solution.newly_covered / solution.uncovered_before if solution.uncovered_before > 0 else 0.0,
                    lang,
                ),
            )
        )
    if solution.covered_before_total == 0 and solution.status != "no_sites_requested":
        lines.append(t("plan.no_existing", lang))
    lines.append(t(f"plan.status.{solution.status}", lang, radius=radius))
    requested = as_int(meta["new_sites_requested"])
    if solution.status in ("optimal", "feasible") and len(solution.chosen) < requested:
        lines.append(t("plan.fewer", lang, n=len(solution.chosen)))
    return lines


def plan_summary(plan: Plan, lang: Lang = "fr") -> list[str]:
    """The plan's answer in words, in ``lang`` (command line, panel, slide)."""
    return plan_summary_lines_for(plan.solution, plan.metadata, lang)


def site_label(row: pd.Series, lang: Lang = "fr") -> str:
    """A candidate's name for a reader: census tracts get their label, others their own name."""
    if row["kind"] == "tract":
        return t("plan.tract_name", lang, ct=row["name"])
    return str(row["name"])


def recommended_lines(plan: Plan, lang: Lang = "fr") -> list[str]:
    """One line per recommended site: rank, name, municipality, what it adds."""
    people = demand_label(plan.demand_key, lang, "people")
    return [
        t(
            "plan.line",
            lang,
            rank=int(row["rank"]),
            name=site_label(row, lang),
            municipality=row["municipality"],
            added=format_integer(row["demand_newly_covered"], lang),
            people=people,
            cumulative=format_integer(row["cumulative_covered"], lang),
            share=format_percent(row["share_of_uncovered"], lang, 1),
        )
        for _, row in plan.layers["recommended"].iterrows()
    ]


__all__ = [
    "CANDIDATE_KINDS",
    "LAYERS",
    "MAX_NEW_SITES",
    "Plan",
    "compiled_demand",
    "compiled_radius_km",
    "existing_services",
    "plan_candidates",
    "plan_cycle",
    "plan_summary",
    "radius_text",
    "recommended_lines",
    "site_label",
]
