"""Compile a cycle's validated submissions into the layers of the gap map.

``compile_cycle`` gathers the store's validated versions and the geography into frames,
runs the pure gap computation, protects small counts, and returns named layers;
``write_layers`` writes them as a GeoPackage (one layer each, CRS set, opens in QGIS) or as
CSV, GeoJSON or Excel exports of the same content.
"""

from __future__ import annotations

import json
import zipfile
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio

from cartography import __version__
from cartography.gaps import ALL, GapParameters, gap_indicators
from cartography.geography import CRS_DISPLAY, CRS_METRIC
from cartography.i18n import UserError, t
from cartography.io.geo_source import Geography
from cartography.io.store import Store
from cartography.model import Submission
from cartography.privacy import protect_counts, published_total
from cartography.vocabulary import (
    CLIENT_PROFILES,
    GAP_CLASSES,
    REGIONS,
    SERVICE_CATEGORIES,
    SERVICE_LANGUAGES,
    SERVICE_MODES,
    french_service_languages,
    stage_of,
)

FORMATS = ("gpkg", "csv", "geojson", "xlsx")


@dataclass
class Compiled:
    """Every layer of a compiled cycle, all geometries in EPSG:3347."""

    cycle: str
    layers: dict[str, pd.DataFrame]
    metadata: dict[str, object]
    missing: list[dict[str, str]] = field(default_factory=list)
    demo: bool = False
    submissions: list[Submission] = field(default_factory=list)


def _region_name(code: str) -> str:
    return REGIONS.label(code) if code in REGIONS else code


def _service_points(subs: list[Submission], geo: Geography) -> gpd.GeoDataFrame:
    french = french_service_languages()
    names = dict(zip(geo.municipalities["CSDUID"], geo.municipalities["CSDNAME"], strict=True))
    rows = []
    for sub in subs:
        org = sub.content.organisation
        sites = {s.site_code: s for s in sub.content.sites}
        for service in sub.content.services:
            site = sites.get(service.site_code)
            if site is None:  # a virtual service with no site has no point
                continue
            rows.append(
                {
                    "org_id": org.org_id,
                    "org_name": org.name,
                    "site_code": site.site_code,
                    "site_name": site.name,
                    "service_code": service.service_code,
                    "service_name": service.name,
                    "category": service.category,
                    "category_fr": SERVICE_CATEGORIES.label(service.category, "fr"),
                    "category_en": SERVICE_CATEGORIES.label(service.category, "en"),
                    "stage": stage_of(service.category),
                    "language": service.language,
                    "language_fr": SERVICE_LANGUAGES.label(service.language, "fr"),
                    "french": service.language in french,
                    "mode": service.mode,
                    "mode_fr": SERVICE_MODES.label(service.mode, "fr"),
                    "capacity": service.capacity,
                    "csd": site.csduid,
                    "region": site.region,
                    "municipality": names[site.csduid],
                    "precision": site.precision,
                    "latitude": site.latitude,
                    "longitude": site.longitude,
                    "description": service.description,
                }
            )
    frame = pd.DataFrame(rows)
    if frame.empty:
        return gpd.GeoDataFrame(frame, geometry=gpd.GeoSeries([], crs=CRS_METRIC), crs=CRS_METRIC)
    points = gpd.points_from_xy(frame["longitude"], frame["latitude"], crs=CRS_DISPLAY)
    out = gpd.GeoDataFrame(frame, geometry=gpd.GeoSeries(points).to_crs(CRS_METRIC), crs=CRS_METRIC)
    tracts = geo.census_tracts[["CTUID", "geometry"]]
    joined = gpd.sjoin(out, tracts, how="left", predicate="within")
    out["ct"] = joined.groupby(level=0)["CTUID"].first().reindex(out.index).fillna("").astype(str)
    out["capacity"] = pd.array(out["capacity"], dtype="Int64")
    return out


def _expand_areas(codes: tuple[str, ...], geo: Geography) -> list[str]:
    munis = geo.municipalities
    out: list[str] = []
    for code in codes:
        if code in REGIONS:
            out.extend(munis.loc[munis["region"] == code, "CSDUID"])
        else:
            out.append(code)
    return list(dict.fromkeys(out))


def _service_areas(subs: list[Submission], geo: Geography) -> gpd.GeoDataFrame:
    french = french_service_languages()
    rows = []
    for sub in subs:
        org = sub.content.organisation
        sites = {s.site_code: s for s in sub.content.sites}
        for service in sub.content.services:
            site = sites.get(service.site_code)
            if service.mode == "in_person" or not service.areas_served:
                csds = [site.csduid] if site else []
            else:
                csds = _expand_areas(service.areas_served, geo)
            for csd in csds:
                rows.append(
                    {
                        "service_key": f"{org.org_id}/{service.service_code}",
                        "org_id": org.org_id,
                        "org_name": org.name,
                        "service_name": service.name,
                        "category": service.category,
                        "language": service.language,
                        "french": service.language in french,
                        "mode": service.mode,
                        "csd": csd,
                    }
                )
    frame = pd.DataFrame(
        rows,
        columns=[
            "service_key",
            "org_id",
            "org_name",
            "service_name",
            "category",
            "language",
            "french",
            "mode",
            "csd",
        ],
    )
    munis = geo.municipalities.set_index("CSDUID")
    frame["region"] = frame["csd"].map(munis["region"])
    frame["municipality"] = frame["csd"].map(munis["CSDNAME"])
    geometry = gpd.GeoSeries(frame["csd"].map(munis.geometry), crs=CRS_METRIC)
    return gpd.GeoDataFrame(frame, geometry=geometry, crs=CRS_METRIC)


def demand_points(geo: Geography, demand: pd.Series | None = None) -> pd.DataFrame:
    """Where people live, as points with a demand and their region, CSD and tract.

    Tracted municipalities (the London CMA is fully tracted) are represented by their census
    tracts, each given its municipality's demand in proportion to its official land area;
    the others by one point each. ``demand`` (by CSDUID) replaces the 2021 population.
    """
    munis = geo.municipalities.set_index("CSDUID")
    per_csd = (demand if demand is not None else munis["pop_2021"]).reindex(munis.index)
    per_csd = pd.to_numeric(per_csd, errors="coerce").fillna(0).astype(float)
    tracts = geo.census_tracts
    centres = tracts.geometry.representative_point()
    xy = np.column_stack([centres.x, centres.y])
    tract_csd = geo.gazetteer().municipalities_of(xy)
    tract_frame = pd.DataFrame(
        {
            "x": xy[:, 0],
            "y": xy[:, 1],
            "ct": tracts["CTUID"].astype(str).to_numpy(),
            "csd": tract_csd,
            "area": tracts["LANDAREA"].astype(float).to_numpy(),
        }
    )
    share = tract_frame["area"] / tract_frame.groupby("csd")["area"].transform("sum")
    tract_frame["demand"] = share * tract_frame["csd"].map(per_csd).fillna(0)
    untracted = munis.loc[~munis.index.isin(tract_frame["csd"])]
    reps = untracted.geometry.representative_point()
    csd_frame = pd.DataFrame(
        {
            "x": reps.x.to_numpy(),
            "y": reps.y.to_numpy(),
            "ct": "",
            "csd": untracted.index.astype(str),
            "demand": per_csd.reindex(untracted.index).to_numpy(),
        }
    )
    out = pd.concat([tract_frame.drop(columns="area"), csd_frame], ignore_index=True)
    out["region"] = out["csd"].map(munis["region"])
    return out


def _needs(subs: list[Submission], geo: Geography) -> pd.DataFrame:
    munis = geo.municipalities.set_index("CSDUID")
    rows = []
    for sub in subs:
        for need in sub.content.needs:
            is_region = need.area in REGIONS
            rows.append(
                {
                    "org_id": sub.org_id,
                    "category": need.category,
                    "severity": need.severity,
                    "status": need.status,
                    "clients": need.clients,
                    "comment": need.comment,
                    "csd": "" if is_region else need.area,
                    "region": need.area if is_region else munis.at[need.area, "region"],
                }
            )
    return pd.DataFrame(
        rows, columns=["org_id", "category", "severity", "status", "clients", "comment", "csd", "region"]
    )


def _areas(geo: Geography) -> gpd.GeoDataFrame:
    regions = geo.regions.assign(level="region", area_id=geo.regions["region"], name=geo.regions["name_fr"])
    munis = geo.municipalities.assign(
        level="csd", area_id=geo.municipalities["CSDUID"], name=geo.municipalities["CSDNAME"]
    )
    tracts = geo.census_tracts.assign(
        level="ct",
        area_id=geo.census_tracts["CTUID"].astype(str),
        name="SR " + geo.census_tracts["CTNAME"].astype(str),
    )
    cols = ["level", "area_id", "name", "geometry"]
    return gpd.GeoDataFrame(pd.concat([regions[cols], munis[cols], tracts[cols]], ignore_index=True), crs=CRS_METRIC)


def _clients(subs: list[Submission], geo: Geography, cycle: str) -> gpd.GeoDataFrame:
    rows = [{"csd": c.csduid, "profile": c.profile, "count": c.count} for s in subs for c in s.content.clients]
    frame = pd.DataFrame(rows, columns=["csd", "profile", "count"])
    cells = frame.groupby(["csd", "profile"], as_index=False)["count"].sum()
    cells["clients_published"] = protect_counts(cells["count"], cells["csd"] + "|" + cells["profile"], cycle)
    totals = cells.groupby("csd")["clients_published"].apply(published_total).rename("clients_published")
    totals = totals.reset_index().assign(profile=ALL)
    out = pd.concat([cells.drop(columns="count"), totals], ignore_index=True)
    munis = geo.municipalities.set_index("CSDUID")
    out["municipality"] = out["csd"].map(munis["CSDNAME"])
    out["region"] = out["csd"].map(munis["region"])
    out["profile_fr"] = out["profile"].map(
        lambda p: CLIENT_PROFILES.label(p, "fr") if p != ALL else t("compile.all_profiles", "fr")
    )
    out["clients_published"] = out["clients_published"].astype("Int64")
    geometry = gpd.GeoSeries(out["csd"].map(munis.geometry), crs=CRS_METRIC)
    return gpd.GeoDataFrame(out, geometry=geometry, crs=CRS_METRIC)


def _needs_by_area(needs: pd.DataFrame, geo: Geography, cycle: str) -> gpd.GeoDataFrame:
    frame = needs.assign(
        level=np.where(needs["csd"] == "", "region", "csd"),
        area_id=np.where(needs["csd"] == "", needs["region"], needs["csd"]),
    )
    frame["unmet"] = (frame["status"] == "unmet").astype(int)
    frame["partly_met"] = (frame["status"] == "partly_met").astype(int)
    grouped = frame.groupby(["level", "area_id", "category"], as_index=False).agg(
        needs_reported=("status", "size"),
        needs_unmet=("unmet", "sum"),
        needs_partly_met=("partly_met", "sum"),
        clients=("clients", "sum"),
        comments=("comment", lambda c: " | ".join(x for x in c if x)),
    )
    grouped["clients_published"] = protect_counts(
        grouped["clients"], grouped["level"] + "|" + grouped["area_id"] + "|" + grouped["category"], cycle
    )
    grouped = grouped.drop(columns="clients")
    grouped["category_fr"] = grouped["category"].map(lambda c: SERVICE_CATEGORIES.label(c, "fr"))
    csd_region = geo.municipalities.set_index("CSDUID")["region"]
    is_region = grouped["level"] == "region"
    grouped["csd"] = grouped["area_id"].where(~is_region, "")
    grouped["region"] = grouped["area_id"].where(is_region, grouped["area_id"].map(csd_region))
    areas = _areas(geo).set_index(["level", "area_id"])
    keys = pd.MultiIndex.from_frame(grouped[["level", "area_id"]])
    grouped["name"] = areas["name"].reindex(keys).to_numpy()
    geometry = gpd.GeoSeries(areas.geometry.reindex(keys).to_numpy(), crs=CRS_METRIC)
    return gpd.GeoDataFrame(grouped, geometry=geometry, crs=CRS_METRIC)


def compile_cycle(
    store: Store,
    geo: Geography,
    cycle: str,
    params: GapParameters | None = None,
    demand: pd.Series | None = None,
    demand_label: str = "pop_2021",
) -> Compiled:
    """Compile the validated submissions of ``cycle``; say which members are missing."""
    params = params or GapParameters()
    if cycle not in {c.code for c in store.cycles()}:
        raise UserError("store.error.no_cycle", code=cycle)
    subs = store.validated(cycle)
    if not subs:
        raise UserError("compile.error.nothing_validated", cycle=cycle)
    validated = {s.org_id for s in subs}
    missing = [o for o in store.organisations() if o["org_id"] not in validated]
    points = _service_points(subs, geo)
    areas_served = _service_areas(subs, geo)
    needs = _needs(subs, geo)
    dpoints = demand_points(geo, demand)
    supply = points[points["french"] & (points["mode"] == "in_person")]
    supply = pd.DataFrame(supply.drop(columns="geometry")).assign(x=supply.geometry.x, y=supply.geometry.y)
    remote = areas_served[areas_served["french"] & areas_served["mode"].isin(["itinerant", "virtual"])]
    areas = _areas(geo)
    gaps = gap_indicators(areas.drop(columns="geometry"), dpoints, supply, remote, needs, params)
    gaps["gap_class_fr"] = gaps["gap_class"].map(lambda c: GAP_CLASSES.label(c, "fr"))
    gaps["category_fr"] = gaps["category"].map(
        lambda c: t("compile.all_categories", "fr") if c == ALL else SERVICE_CATEGORIES.label(c, "fr")
    )
    geometry_by_key = areas.set_index(["level", "area_id"]).geometry
    layers: dict[str, pd.DataFrame] = {"service_points": points, "service_areas": areas_served}
    layers["clients_by_area"] = _clients(subs, geo, cycle)
    layers["needs_by_area"] = _needs_by_area(needs, geo, cycle)
    ct_csd = dpoints[dpoints["ct"] != ""].drop_duplicates("ct").set_index("ct")["csd"]
    csd_region = geo.municipalities.set_index("CSDUID")["region"]
    gaps["csd"] = np.select(
        [gaps["level"] == "csd", gaps["level"] == "ct"],
        [gaps["area_id"], gaps["area_id"].map(ct_csd).fillna("")],
        default="",
    )
    gaps["region"] = np.where(gaps["level"] == "region", gaps["area_id"], gaps["csd"].map(csd_region).fillna(""))
    for level in ("region", "csd", "ct"):
        part = gaps[gaps["level"] == level].reset_index(drop=True)
        keys = pd.MultiIndex.from_frame(part[["level", "area_id"]])
        part["demand"] = part["demand"].round(1)
        layers[f"gaps_{level}"] = gpd.GeoDataFrame(
            part,
            geometry=gpd.GeoSeries(geometry_by_key.reindex(keys).to_numpy(), crs=CRS_METRIC),
            crs=CRS_METRIC,
        )
    demo = any(s.author.startswith("demo:") for s in subs)
    metadata: dict[str, object] = {
        "cycle": cycle,
        "compiled_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "tool": f"cartography {__version__}",
        "organisations_included": sorted(validated),
        "organisations_missing": [m["org_id"] for m in missing],
        "submissions": [{"org_id": s.org_id, "version": s.version, "validated_at": str(s.validated_at)} for s in subs],
        "geography_source": geo.source,
        "geography_fidelity": geo.fidelity,
        "geography_vintage": geo.vintage,
        "crs": CRS_METRIC,
        "demand": demand_label,
        "attribution_fr": geo.attribution("fr"),
        "attribution_en": geo.attribution("en"),
        "method": params.as_dict(),
        "privacy": "counts 1-4 suppressed, others randomly rounded to base 5 (seeded by cycle); "
        "totals are sums of published cells",
        "limits_fr": t("compile.limits", "fr"),
        "limits_en": t("compile.limits", "en"),
        "demo_data": demo,
    }
    if demo:
        metadata["label"] = f"{t('demo.label', 'fr')} / {t('demo.label', 'en')}"
    return Compiled(cycle=cycle, layers=layers, metadata=metadata, missing=missing, demo=demo, submissions=subs)


def _metadata_frame(compiled: Compiled) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {"key": k, "value": v if isinstance(v, str) else json.dumps(v, ensure_ascii=False, default=str)}
            for k, v in compiled.metadata.items()
        ]
    )


def _plain(frame: pd.DataFrame) -> pd.DataFrame:
    """Attribute table only: points keep lat/lon, polygons are left to the spatial formats."""
    out = pd.DataFrame(frame.drop(columns="geometry", errors="ignore"))
    for column in out.columns:
        if out[column].dtype == object:
            out[column] = out[column].map(lambda v: v if not isinstance(v, (list, tuple)) else "; ".join(v))
    return out


def _safe_cell(value: object) -> object:
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def write_layers(compiled: Compiled, target: Path, fmt: str = "gpkg") -> list[Path]:
    """Write every layer and the metadata table; return the files written.

    ``gpkg``: one GeoPackage. ``csv`` and ``geojson``: a folder with one file per layer
    (GeoJSON in EPSG:4326 as RFC 7946 requires). ``xlsx``: one workbook, a sheet per layer.
    Text cells that look like formulas are neutralised in CSV and Excel.
    """
    if fmt not in FORMATS:
        raise UserError("compile.error.format", fmt=fmt, formats=", ".join(FORMATS))
    target = Path(target)
    written: list[Path] = []
    if fmt == "gpkg":
        partial = target.with_suffix(".partial.gpkg")
        partial.unlink(missing_ok=True)
        for name, frame in compiled.layers.items():
            pyogrio.write_dataframe(frame, partial, layer=name, driver="GPKG", promote_to_multi=True)
        pyogrio.write_dataframe(_metadata_frame(compiled), partial, layer="metadata", driver="GPKG")
        partial.replace(target)
        return [target]
    if fmt == "xlsx":
        with pd.ExcelWriter(target, engine="openpyxl") as writer:
            _metadata_frame(compiled).map(_safe_cell).to_excel(writer, sheet_name="metadata", index=False)
            for name, frame in compiled.layers.items():
                _plain(frame).map(_safe_cell).to_excel(writer, sheet_name=name[:31], index=False)
        return [target]
    target.mkdir(parents=True, exist_ok=True)
    meta = target / "metadata.csv"
    _metadata_frame(compiled).map(_safe_cell).to_csv(meta, index=False)
    written.append(meta)
    for name, frame in compiled.layers.items():
        if fmt == "csv":
            path = target / f"{name}.csv"
            _plain(frame).map(_safe_cell).to_csv(path, index=False)
        else:
            path = target / f"{name}.geojson"
            frame.to_crs(CRS_DISPLAY).to_file(path, driver="GeoJSON", engine="pyogrio")
        written.append(path)
    return written


def export_bytes(compiled: Compiled, fmt: str) -> tuple[bytes, str]:
    """One downloadable file of ``compiled`` in ``fmt`` (folders are zipped) and its name."""
    import tempfile

    stem = f"cartographie-{compiled.cycle}"
    with tempfile.TemporaryDirectory(prefix="carto-export-") as tmp:
        folder = Path(tmp)
        if fmt in ("gpkg", "xlsx"):
            target = folder / f"{stem}.{fmt}"
            write_layers(compiled, target, fmt)
            return target.read_bytes(), target.name
        files = write_layers(compiled, folder / stem, fmt)
        archive = zip_files(files, folder / f"{stem}-{fmt}.zip")
        return archive.read_bytes(), archive.name


def zip_files(files: list[Path], target: Path) -> Path:
    """Bundle exported files for a single download."""
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in files:
            archive.write(path, path.name)
    return target


__all__ = ["Compiled", "compile_cycle", "demand_points", "write_layers"]
