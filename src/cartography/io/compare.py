"""Compare two compiled cycles and write the result (``changes.gpkg``).

Both cycles come compiled as for publication (``cartography.services.compile``, privacy
protection included) and only their published layers and directory entries are compared
(:mod:`cartography.comparison`); nothing here reads a member's exact counts.
"""

from __future__ import annotations

import json
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyogrio

from cartography.comparison import LEVELS, Comparison, compare_published
from cartography.compilation import Compiled
from cartography.geography import CRS_DISPLAY, CRS_METRIC
from cartography.io.atomic import written_aside
from cartography.io.geo_source import Geography
from cartography.vocabulary import french_service_languages


def services_frame(compiled: Compiled, geo: Geography) -> gpd.GeoDataFrame:
    """Every service of a compiled cycle (virtual ones too), one row each, for matching.

    ``service_points`` leaves out services without a site; a closed virtual service must
    still show as closed, so this reads the members' published directory entries.
    """
    french = french_service_languages()
    names = dict(zip(geo.municipalities["CSDUID"].astype(str), geo.municipalities["CSDNAME"], strict=True))
    rows = []
    for member in compiled.members:
        org = member.organisation
        sites = {s.site_code: s for s in member.sites}
        for service in member.services:
            site = sites.get(service.site_code)
            rows.append(
                {
                    "org_id": org.org_id,
                    "org_name": org.name,
                    "site_code": site.site_code if site else "",
                    "site_name": site.name if site else "",
                    "service_code": service.service_code,
                    "service_name": service.name,
                    "category": service.category,
                    "language": service.language,
                    "mode": service.mode,
                    "french": service.language in french,
                    "csd": site.csduid if site else "",
                    "municipality": names.get(site.csduid, "") if site else "",
                    "region": site.region if site else "",
                    "longitude": site.longitude if site else None,
                    "latitude": site.latitude if site else None,
                }
            )
    frame = pd.DataFrame(rows)
    if frame.empty:
        return gpd.GeoDataFrame(frame, geometry=gpd.GeoSeries([], crs=CRS_METRIC), crs=CRS_METRIC)
    points = gpd.GeoSeries(gpd.points_from_xy(frame["longitude"], frame["latitude"]), crs=CRS_DISPLAY)
    points = points.where(frame["longitude"].notna().to_numpy(), None)
    out = gpd.GeoDataFrame(frame.drop(columns=["longitude", "latitude"]), geometry=points.to_crs(CRS_METRIC))
    return out


def compare_compiled(
    before: Compiled, after: Compiled, geo: Geography, levels: tuple[str, ...] = LEVELS
) -> Comparison:
    """Compare two compiled cycles (the app passes its cached compiles)."""
    return compare_published(
        before.layers,
        after.layers,
        services_frame(before, geo),
        services_frame(after, geo),
        before.metadata,
        after.metadata,
        levels,
    )


def comparison_layers(comparison: Comparison) -> dict[str, gpd.GeoDataFrame]:
    """The layers written to the GeoPackage: ``changes_<level>`` and ``services_changed``."""
    layers = {f"changes_{level}": frame for level, frame in comparison.changes.items()}
    layers["services_changed"] = comparison.services_changed
    return layers


def _metadata_frame(comparison: Comparison) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {"key": k, "value": v if isinstance(v, str) else json.dumps(v, ensure_ascii=False, default=str)}
            for k, v in comparison.metadata.items()
        ]
    )


def _writable(frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Nullable columns GDAL can store (booleans and Int64 keep their empties)."""
    out = frame.copy()
    for column in out.columns:
        if column != out.geometry.name and out[column].dtype == object:
            out[column] = out[column].map(lambda v: None if v is None or (isinstance(v, float) and pd.isna(v)) else v)
    return out


def write_changes(comparison: Comparison, target: Path) -> Path:
    """Write the comparison as one GeoPackage (opens in QGIS); nothing half-written is left."""
    target = Path(target)
    with written_aside(target) as partial:
        for name, frame in comparison_layers(comparison).items():
            pyogrio.write_dataframe(_writable(frame), partial, layer=name, driver="GPKG", promote_to_multi=True)
        pyogrio.write_dataframe(_metadata_frame(comparison), partial, layer="metadata", driver="GPKG")
    return target


def changes_bytes(comparison: Comparison) -> tuple[bytes, str]:
    """The comparison GeoPackage as bytes and its file name, for a download button."""
    import tempfile

    name = f"changements-{comparison.from_cycle}-{comparison.to_cycle}.gpkg"
    with tempfile.TemporaryDirectory(prefix="carto-compare-") as tmp:
        path = write_changes(comparison, Path(tmp) / name)
        return path.read_bytes(), name


__all__ = [
    "changes_bytes",
    "compare_compiled",
    "comparison_layers",
    "services_frame",
    "write_changes",
]
