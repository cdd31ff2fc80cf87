"""Two compiled cycles compared: what changed between them, by area and service by service.

Both cycles come compiled as for publication (``cartography.services.compile``, privacy
protection included) and only their published layers and directory entries are compared
(:mod:`cartography.comparison` holds the rules); nothing here reads a member's exact counts.
:mod:`cartography.io.compare` writes the result as ``changes.gpkg``.
"""

from __future__ import annotations

import geopandas as gpd
import pandas as pd

from cartography.comparison import LEVELS, Comparison, compare_published
from cartography.compilation import Compiled
from cartography.geography import CRS_DISPLAY, CRS_METRIC
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


def compare_compiled(before: Compiled, after: Compiled, geo: Geography, levels: tuple[str, ...] = LEVELS) -> Comparison:
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


__all__ = ["compare_compiled", "comparison_layers", "services_frame"]
