"""Compile a cycle's validated submissions into the published layers of the gap map.

Pure: submissions and the geography in, named frames out; no store, no files.
:func:`compile_submissions` places services, demand and needs, runs the gap computation,
protects small counts and returns a :class:`Compiled` that holds **only published data**:
protected counts, and each member's directory entry (:class:`MemberListing`: names,
sites, services, how many needs) without a single exact count. A member's exact view is
built from its own submission, for that member only (``cartography.services``).
The store-reading workflow is ``cartography.services.compile.compile_cycle``;
``cartography.io.exports`` writes the layers as files.
"""

from __future__ import annotations

import operator
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import partial
from typing import TypeVar, cast

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from geopandas.array import GeometryArray
from pandas.api.typing import NAType
from pyproj import CRS, Transformer

from cartography import __version__
from cartography.errors import UserError
from cartography.gaps import (
    ALL,
    DEMAND_SOURCES,
    TILE_ROWS,
    GapParameters,
    demand_provenance,
    gap_levels,
    repeated,
)
from cartography.geography import CRS_DISPLAY, CRS_METRIC
from cartography.i18n import LANGS, Lang, demo_label, t
from cartography.io.geo_source import Geography
from cartography.model import Organisation, Service, Site, Submission
from cartography.numbers import as_int
from cartography.privacy import protect_counts, published_total
from cartography.rules import is_demo_author
from cartography.vocabulary import (
    CLIENT_PROFILES,
    GAP_CLASSES,
    NEED_STATUSES,
    REGIONS,
    SERVICE_CATEGORIES,
    SERVICE_LANGUAGES,
    SERVICE_MODES,
    SEVERITIES,
    french_service_languages,
    stage_of,
)

_T = TypeVar("_T")


@dataclass(frozen=True)
class MemberListing:
    """What the table may see of one member's validated version: its directory entry.

    Names, sites and services are public directory information; of its clients and needs
    only what is published is kept (``clients_published``: the sum of the member's own
    protected cells, ``None`` when all are suppressed; how many needs, how many not met).
    No exact client count is kept, so a :class:`Compiled` can be shared by every user.
    """

    org_id: str
    version: int
    demo: bool
    organisation: Organisation
    sites: tuple[Site, ...]
    services: tuple[Service, ...]
    needs_reported: int
    needs_not_met: int
    clients_published: int | None


@dataclass
class Compiled:
    """Every published layer of a compiled cycle, geometries in EPSG:3347 (measured in ``distance_crs``).

    Holds protected data only (see :class:`MemberListing`); safe to cache for all users.
    """

    cycle: str
    layers: dict[str, pd.DataFrame]
    metadata: dict[str, object]
    missing: list[dict[str, str]] = field(default_factory=list)
    demo: bool = False
    members: tuple[MemberListing, ...] = ()

    @property
    def member_totals(self) -> dict[str, int | None]:
        """Each member's published client total (never a rounded true total), for the table deck."""
        return {m.org_id: m.clients_published for m in self.members}


def _labels(codes: pd.Series, label: Callable[[str], str]) -> pd.Series:
    """``label`` of each code, looked up once per distinct code rather than once per row.

    The distinct codes are numbered once and their labels taken by number: three times
    cheaper than a dictionary lookup per row on a province's 340,000 gap rows.
    """
    if codes.empty or codes.isna().any():
        return codes.map({code: label(code) for code in codes.unique()})
    position, distinct = pd.factorize(codes)
    labels = pd.Series([label(code) for code in distinct]).array
    return pd.Series(labels.take(position), index=codes.index, name=codes.name)


_SERVICE_POINT_COLUMNS = [
    "org_id",
    "org_name",
    "site_code",
    "site_name",
    "service_code",
    "service_name",
    "category",
    "category_fr",
    "category_en",
    "stage",
    "language",
    "language_fr",
    "french",
    "mode",
    "mode_fr",
    "capacity",
    "csd",
    "region",
    "municipality",
    "precision",
    "latitude",
    "longitude",
    "description",
]


#: The service points' columns derived from the submitted ones (labels and lookups).
_POINT_LABELS = ("category_fr", "category_en", "stage", "language_fr", "french", "mode_fr", "municipality")


def _service_points(table: _Services, geo: Geography) -> gpd.GeoDataFrame:
    names = dict(zip(geo.municipalities["CSDUID"], geo.municipalities["CSDNAME"], strict=True))
    kept = np.flatnonzero(table.site >= 0)  # a virtual service with no site has no point
    if not len(kept):
        submitted = [c for c in _SERVICE_POINT_COLUMNS if c not in _POINT_LABELS]
        frame = pd.DataFrame([], columns=submitted).reindex(columns=_SERVICE_POINT_COLUMNS)
        return gpd.GeoDataFrame(frame, geometry=gpd.GeoSeries([], crs=CRS_METRIC), crs=CRS_METRIC)
    frame = pd.DataFrame(_point_columns(table, kept))
    # Labels are joined once per code (17 categories, 4 languages, 3 modes), not once per row.
    frame["category_fr"] = _labels(frame["category"], lambda c: SERVICE_CATEGORIES.label(c, "fr"))
    frame["category_en"] = _labels(frame["category"], lambda c: SERVICE_CATEGORIES.label(c, "en"))
    frame["stage"] = _labels(frame["category"], stage_of)
    frame["language_fr"] = _labels(frame["language"], lambda c: SERVICE_LANGUAGES.label(c, "fr"))
    frame["french"] = frame["language"].isin(list(french_service_languages()))
    frame["mode_fr"] = _labels(frame["mode"], lambda c: SERVICE_MODES.label(c, "fr"))
    frame["municipality"] = frame["csd"].map(names)
    frame = frame[_SERVICE_POINT_COLUMNS]
    site = table.site[kept]
    shapes, tracts = _site_points(table.sites, geo)
    out = gpd.GeoDataFrame(frame, geometry=gpd.GeoSeries(shapes[site], crs=CRS_METRIC), crs=CRS_METRIC)
    out["ct"] = pd.Series(tracts[site], index=out.index).astype(str)
    out["capacity"] = out["capacity"].astype("Int64")
    return out


def _site_points(sites: list[Site], geo: Geography) -> tuple[np.ndarray, np.ndarray]:
    """Each site's point in EPSG:3347 and the tract it lies in, once per site.

    The services of a site share its point (geometries are immutable, as the gap layers'
    shared polygons): a province's 25,000 services make 5,000 points, not 25,000 built in
    degrees then 25,000 more reprojected. The coordinates are projected as arrays with the
    very transformer GeoSeries.to_crs uses, so the values are the ones it gives.
    """
    longitude = np.array([x.longitude for x in sites], dtype=float)
    latitude = np.array([x.latitude for x in sites], dtype=float)
    x, y = _projected(longitude, latitude, CRS_DISPLAY, CRS_METRIC)
    shapes = np.asarray(shapely.points(x, y), dtype=object)  # an array for arrays (the stubs say a point too)
    return shapes, _tract_of(GeometryArray(shapes, crs=CRS_METRIC), geo)


#: What is read of every submitted service, in :class:`_Services` columns.
_SERVICE_FIELDS = ("service_code", "name", "category", "language", "mode", "capacity", "description", "areas_served")


@dataclass(frozen=True)
class _Services:
    """Every submitted service as columns, read once for both the points and the areas.

    ``orgs`` and ``sites`` (each organisation's sites, the last one of a code) are listed
    once; ``org`` and ``site`` give each service's position in them (``site`` -1: no site);
    ``values`` holds one tuple per field of :data:`_SERVICE_FIELDS`, in service order.
    """

    orgs: list[Organisation]
    sites: list[Site]
    org: np.ndarray
    site: np.ndarray
    values: dict[str, tuple[object, ...]]

    @classmethod
    def of(cls, subs: list[Submission]) -> _Services:
        read = operator.attrgetter(*_SERVICE_FIELDS)  # one C call per service for every field
        orgs: list[Organisation] = []
        sites: list[Site] = []
        columns: list[list[object]] = [[] for _ in _SERVICE_FIELDS]
        org_at: list[int] = []
        site_at: list[int] = []
        for sub in subs:
            content = sub.content
            own = {s.site_code: s for s in content.sites}
            position = {code: len(sites) + i for i, code in enumerate(own)}
            sites.extend(own.values())
            org_at.extend([len(orgs)] * len(content.services))
            orgs.append(content.organisation)
            site_at.extend([position.get(v.site_code, -1) for v in content.services])
            # transposed per member (none without services), so no tuple per service outlives it
            for column, values in zip(columns, zip(*map(read, content.services), strict=True), strict=False):
                column.extend(values)
        org, site = np.array(org_at, dtype=np.intp), np.array(site_at, dtype=np.intp)
        return cls(orgs, sites, org, site, {f: tuple(c) for f, c in zip(_SERVICE_FIELDS, columns, strict=True)})


def _point_columns(table: _Services, kept: np.ndarray) -> dict[str, object]:
    """The submitted columns of the service points: the services ``kept`` (those with a site).

    Each organisation's and each site's values are listed once and taken per service
    (:func:`~cartography.gaps.repeated`), rather than converted once per service.
    """
    o, s = table.org[kept], table.site[kept]

    def own(field: str) -> np.ndarray:
        return np.array(table.values[field], dtype=object)[kept]

    sites = table.sites
    return {
        "org_id": repeated([x.org_id for x in table.orgs], o),
        "org_name": repeated([x.name for x in table.orgs], o),
        "site_code": repeated([x.site_code for x in sites], s),
        "site_name": repeated([x.name for x in sites], s),
        "service_code": own("service_code"),
        "service_name": own("name"),
        "category": own("category"),
        "language": own("language"),
        "mode": own("mode"),
        "capacity": own("capacity"),
        "csd": repeated([x.csduid for x in sites], s),
        "region": repeated([x.region for x in sites], s),
        "precision": repeated([x.precision for x in sites], s),
        "latitude": np.array([x.latitude for x in sites], dtype=float)[s],
        "longitude": np.array([x.longitude for x in sites], dtype=float)[s],
        "description": own("description"),
    }


_TRANSFORMERS = threading.local()


def _projected(x: np.ndarray, y: np.ndarray, source: str, target: str) -> tuple[np.ndarray, np.ndarray]:
    """Coordinates ``x``, ``y`` from CRS ``source`` to ``target``: the very values
    GeoSeries.to_crs gives (its transformer, on the same coordinates; none for the same
    CRS), without building a geometry per point on either side.

    The transformer is kept per thread (building one reads PROJ's database: tens of
    milliseconds; pyproj transformers are not to be shared between threads).
    """
    cache: dict[tuple[str, str], Transformer | None] = _TRANSFORMERS.__dict__.setdefault("cache", {})
    if (source, target) not in cache:
        crs_from, crs_to = CRS.from_user_input(source), CRS.from_user_input(target)
        same = crs_from.is_exact_same(crs_to)
        cache[source, target] = None if same else Transformer.from_crs(crs_from, crs_to, always_xy=True)
    transformer = cache[source, target]
    if transformer is None or not len(x):
        return np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    return transformer.transform(x, y)


def _tract_of(points: GeometryArray, geo: Geography) -> np.ndarray:
    """CTUID of the tract each point lies within, blank outside every tract (as a left spatial
    join on ``within`` keeps the first tract matched), on a tree of the tracts built once per
    geography rather than at every compile."""

    def build() -> tuple[shapely.STRtree, np.ndarray]:
        tracts = geo.census_tracts
        return shapely.STRtree(tracts.geometry.values), tracts["CTUID"].to_numpy(dtype=object)

    tree, ids = _of_geography(geo, ("tract_tree",), build)
    point, tract = tree.query(np.asarray(points), predicate="within")
    out = np.full(len(points), "", dtype=object)
    first = np.lexsort((tract, point))  # per point, the first tract in layer order
    keep = np.ones(len(first), dtype=bool)
    keep[1:] = point[first][1:] != point[first][:-1]
    out[point[first][keep]] = ids[tract[first][keep]]
    return out


def _expand_areas(codes: tuple[str, ...], geo: Geography) -> list[str]:
    """The municipalities a service's declared areas cover (a region stands for all of its own)."""
    out: list[str] = []
    for code in codes:
        if code in REGIONS:
            out.extend(_region_municipalities(geo).get(code, ()))
        else:
            out.append(code)
    return list(dict.fromkeys(out))


def _region_municipalities(geo: Geography) -> dict[str, list[str]]:
    """Each region's CSDUIDs in layer order, once per geography (not once per service)."""

    def build() -> dict[str, list[str]]:
        munis = geo.municipalities
        grouped: dict[str, list[str]] = {}
        for region, csd in zip(munis["region"], munis["CSDUID"], strict=True):
            grouped.setdefault(region, []).append(csd)
        return grouped

    return _of_geography(geo, ("region_municipalities",), build)


_SERVICE_AREA_COLUMNS = [
    "service_key",
    "org_id",
    "org_name",
    "service_name",
    "category",
    "language",
    "french",
    "mode",
    "csd",
]


def _service_areas(table: _Services, geo: Geography) -> gpd.GeoDataFrame:
    """One row per service and municipality it serves: its site's for an in-person service
    or one without declared areas, else the municipalities of its areas (each distinct set
    of areas expanded once)."""
    site_csd = [x.csduid for x in table.sites]
    expanded: dict[tuple[str, ...], list[str]] = {}
    at: list[int] = []
    csds: list[str] = []
    modes, served = table.values["mode"], table.values["areas_served"]
    for i, (mode, areas, site) in enumerate(zip(modes, served, table.site.tolist(), strict=True)):
        if mode == "in_person" or not areas:
            covered = [site_csd[site]] if site >= 0 else []
        else:
            key = cast(tuple[str, ...], areas)
            covered = expanded[key] if key in expanded else expanded.setdefault(key, _expand_areas(key, geo))
        at.extend([i] * len(covered))
        csds.extend(covered)
    frame = _area_rows(table, np.array(at, dtype=np.intp), csds)
    munis = geo.municipalities.set_index("CSDUID")
    frame["region"] = frame["csd"].map(munis["region"])
    frame["municipality"] = frame["csd"].map(munis["CSDNAME"])
    geometry = gpd.GeoSeries(frame["csd"].map(munis.geometry), crs=CRS_METRIC)
    return gpd.GeoDataFrame(frame, geometry=geometry, crs=CRS_METRIC)


def _area_rows(table: _Services, at: np.ndarray, csds: list[str]) -> pd.DataFrame:
    """The service-area rows: service ``at[i]`` of ``table`` serving ``csds[i]``."""
    if not csds:
        return pd.DataFrame([], columns=_SERVICE_AREA_COLUMNS)
    french = french_service_languages()
    values, org_ids = table.values, [x.org_id for x in table.orgs]
    keys = [f"{org_ids[o]}/{code}" for o, code in zip(table.org.tolist(), values["service_code"], strict=True)]
    org = table.org[at]
    return pd.DataFrame(
        {
            "service_key": repeated(keys, at),
            "org_id": repeated(org_ids, org),
            "org_name": repeated([x.name for x in table.orgs], org),
            "service_name": repeated(values["name"], at),
            "category": repeated(values["category"], at),
            "language": repeated(values["language"], at),
            "french": np.array([lang in french for lang in values["language"]], dtype=bool)[at],
            "mode": repeated(values["mode"], at),
            "csd": csds,
        }
    )


# -- demand ------------------------------------------------------------------------------

#: Largest count a published sum may reach: float64 (privacy rounding, GeoPackage readers,
#: spreadsheets) is exact up to 2**53; beyond, a sum would be silently wrong.
MAX_COUNT = 2**53
POP_2021 = "pop_2021"


@dataclass(frozen=True)
class DemandCounts:
    """Census counts of the demand by level, ``NaN`` where Statistics Canada has none.

    ``csd`` is indexed by CSDUID (every municipality of the geography); ``ct`` by CTUID and
    ``da`` by DAUID, or ``None`` when that level has no counts.
    """

    csd: pd.Series
    ct: pd.Series | None
    da: pd.Series | None


def demand_counts(geo: Geography, demand: pd.Series | pd.DataFrame | None = None) -> DemandCounts:
    """The demand's counts at every level that has them.

    ``None`` is the 2021 population: municipalities from ``census_2021_csd.csv`` (the
    reserves marked ".." stay unknown) and tracts from the tract layer's ``pop_2021``. A
    Series indexed by CSDUID is a municipal count only. A frame ``level, geo_id, value``
    (``io.census.load_demand``) gives each level its own rows; dissemination-area rows are
    used only when the geography has a dissemination-area layer (official build).
    """
    munis = geo.municipalities["CSDUID"].astype(str)
    if demand is None:
        csd = pd.to_numeric(geo.municipalities["pop_2021"], errors="coerce").astype(float)
        csd.index = munis.to_numpy()
        tracts = geo.census_tracts
        ct = None
        if "pop_2021" in tracts.columns:
            ct = pd.Series(
                pd.to_numeric(tracts["pop_2021"], errors="coerce").astype(float).to_numpy(),
                index=tracts["CTUID"].astype(str).to_numpy(),
            )
        return DemandCounts(csd=csd, ct=ct, da=None)
    if isinstance(demand, pd.Series):
        values = pd.to_numeric(demand, errors="coerce").astype(float)
        values.index = values.index.astype(str)
        return DemandCounts(csd=values.groupby(level=0).first().reindex(munis.to_numpy()), ct=None, da=None)
    if not {"level", "geo_id", "value"} <= set(demand.columns):
        raise UserError("demand.error.bad_demand", columns=", ".join(map(str, demand.columns)))
    frame = demand.assign(
        level=demand["level"].astype(str).str.lower(),
        geo_id=demand["geo_id"].astype(str).str.strip(),
        value=pd.to_numeric(demand["value"], errors="coerce").astype(float),
    )

    def level_values(level: str) -> pd.Series | None:
        rows = frame[frame["level"] == level].drop_duplicates("geo_id", keep="last")
        return None if rows.empty else pd.Series(rows["value"].to_numpy(), index=rows["geo_id"].to_numpy())

    given = level_values("csd")
    csd = given.reindex(munis.to_numpy()) if given is not None else pd.Series(np.nan, index=munis.to_numpy())
    da = level_values("da") if geo.dissemination_areas is not None else None
    return DemandCounts(csd=csd, ct=level_values("ct"), da=da)


def _in_polygons(points: gpd.GeoSeries, polygons: gpd.GeoDataFrame, id_column: str) -> np.ndarray:
    """Id of the polygon holding each point; the nearest polygon for a point in none."""
    frame = gpd.GeoDataFrame(geometry=points.reset_index(drop=True))
    found = gpd.sjoin(frame, polygons[[id_column, "geometry"]], how="left", predicate="within")
    ids = found.groupby(level=0)[id_column].first().reindex(frame.index)
    if ids.isna().any():
        lost = frame[ids.isna().to_numpy()]
        nearest = gpd.sjoin_nearest(lost, polygons[[id_column, "geometry"]], how="left")
        ids.loc[lost.index] = nearest.groupby(level=0)[id_column].first().reindex(lost.index)
    return ids.fillna("").astype(str).to_numpy()


def tract_municipalities(geo: Geography) -> pd.Series:
    """Municipality (CSDUID) of each census tract, indexed by CTUID.

    The tract layer's own ``CSDUID`` (Statistics Canada's) when it has one; else, for a
    layer without it, the municipality holding the tract's representative point.
    """
    tracts = geo.census_tracts
    ids = tracts["CTUID"].astype(str).to_numpy()
    own = tracts["CSDUID"].astype("string") if "CSDUID" in tracts.columns else pd.Series(pd.NA, index=tracts.index)
    out = pd.Series(own.to_numpy(dtype=object), index=ids)
    missing = out.isna().to_numpy() | (out.astype(str).str.strip() == "").to_numpy()
    if missing.any():
        reps = tracts[missing].geometry.representative_point()
        out[missing] = _in_polygons(reps, geo.municipalities, "CSDUID")
    return out.astype(str)


def _fill_from_parent(
    units: pd.DataFrame, parent: str, totals: pd.Series, weight: pd.Series, label: str
) -> pd.DataFrame:
    """Give units without a count their share of what their parent's count leaves over.

    ``units`` has ``value`` (NaN = no count) and ``demand_source``; the remainder of each
    parent (its count minus its counted units, never negative) is split among its uncounted
    units in proportion to ``weight`` (equally if every weight is 0), and labelled ``label``.
    """
    out = units.copy()
    parent_total = out[parent].map(totals).astype(float)
    unknown = out["value"].isna() & parent_total.notna()
    if not unknown.any():
        return out
    counted = out["value"].fillna(0.0).groupby(out[parent]).transform("sum")
    remainder = (parent_total - counted).clip(lower=0.0)
    w = weight.astype(float).where(unknown, 0.0).fillna(0.0)
    w_sum = w.groupby(out[parent]).transform("sum")
    n_unknown = unknown.astype(float).groupby(out[parent]).transform("sum")
    share = np.where(w_sum > 0, w / w_sum.where(w_sum > 0, 1.0), unknown / n_unknown.where(n_unknown > 0, 1.0))
    out.loc[unknown, "value"] = (remainder * share)[unknown]
    out.loc[unknown, "demand_source"] = label
    return out


def demand_points(
    geo: Geography, demand: pd.Series | pd.DataFrame | None = None, tract_csd: pd.Series | None = None
) -> pd.DataFrame:
    """Where people live, as points with a demand, its source, and their region, CSD and tract.

    Demand is taken at the finest level that has counts and never moved between areas:

    - dissemination areas, when the demand has DA rows and the geography a DA layer
      (``census_da``); a DA without a count (suppressed) gets its share of its tract's,
      else its municipality's, remaining count by land area (``apportioned_area``);
    - census tracts (tracted municipalities: the London CMA) take their municipality from
      the layer's ``CSDUID`` and their count from the tract rows or the layer's
      ``pop_2021`` (``census_ct``); with a municipal count only, the municipality's count is
      split in proportion to the tracts' 2021 population (``census_csd``), or by land area
      when the layer has no population (``apportioned_area``);
    - every other municipality is one point with its own count (``census_csd``).

    Points without any count (a reserve marked ".." by the census) have ``demand`` 0 in the
    computation and ``enumerated`` False, so no area shows them as a real 0.

    ``tract_csd`` is :func:`tract_municipalities` when the caller already has it (a compile
    needs it twice; without a municipality column in the tract layer it is a spatial join).

    Returns
    -------
    pandas.DataFrame
        ``x``, ``y`` (metres in ``geo.distance_crs``), ``ct``, ``csd``, ``region``,
        ``demand``, ``demand_source``, ``enumerated``.
    """
    counts = demand_counts(geo, demand)
    crs = geo.distance_crs
    munis = geo.municipalities.set_index(geo.municipalities["CSDUID"].astype(str))
    tract_csd = tract_municipalities(geo) if tract_csd is None else tract_csd
    das = geo.dissemination_areas
    if counts.da is not None and das is not None and len(das):
        fine = _da_points(das, geo, counts, counts.da)
    else:
        fine = _tract_points(geo, counts, tract_csd)
    out = pd.concat([fine, _untracted_points(munis, set(fine["csd"]), counts, crs)], ignore_index=True)
    out["enumerated"] = out["value"].notna()
    out["demand_source"] = out["demand_source"].replace("", "census_csd")
    out["demand"] = out["value"].fillna(0.0).clip(lower=0.0)
    out["region"] = out["csd"].map(munis["region"])
    return out.drop(columns="value")


def _da_points(das: gpd.GeoDataFrame, geo: Geography, counts: DemandCounts, da_counts: pd.Series) -> pd.DataFrame:
    """One point per dissemination area with its count (``census_da``); a DA without one gets
    its share, by land area, of what its tract's count leaves, else its municipality's
    (``apportioned_area``). Columns ``x``, ``y``, ``ct``, ``csd``, ``value``, ``demand_source``."""
    crs = geo.distance_crs
    reps = das.geometry.representative_point()
    local = reps.to_crs(crs)
    units = pd.DataFrame(
        {
            "x": local.x.to_numpy(),
            "y": local.y.to_numpy(),
            "id": das["DAUID"].astype(str).to_numpy(),
            "ct": _in_tracts(reps, geo.census_tracts),
            "csd": _in_polygons(reps, geo.municipalities, "CSDUID"),
            "area": das.geometry.to_crs(crs).area.to_numpy(),
        }
    )
    units["value"] = units["id"].map(da_counts).astype(float)
    units["demand_source"] = np.where(units["value"].notna(), "census_da", "")
    if counts.ct is not None:
        in_tract = units[units["ct"] != ""]
        filled = _fill_from_parent(in_tract, "ct", counts.ct, in_tract["area"], "apportioned_area")
        units.loc[filled.index, ["value", "demand_source"]] = filled[["value", "demand_source"]]
    units = _fill_from_parent(units, "csd", counts.csd, units["area"], "apportioned_area")
    return units.drop(columns=["id", "area"])


def _tract_points(geo: Geography, counts: DemandCounts, tract_csd: pd.Series) -> pd.DataFrame:
    """One point per census tract with its count (``census_ct``); a tract without one gets its
    share of what its municipality's count leaves, by the tracts' 2021 population
    (``census_csd``) or, when the layer has none, by land area (``apportioned_area``)."""
    crs = geo.distance_crs
    tracts = geo.census_tracts
    tract_ids = tracts["CTUID"].astype(str).to_numpy()
    tract_pop = (
        pd.Series(pd.to_numeric(tracts["pop_2021"], errors="coerce").astype(float).to_numpy(), index=tract_ids)
        if "pop_2021" in tracts.columns
        else None
    )
    centres = tracts.geometry.representative_point().to_crs(crs)
    fine = pd.DataFrame(
        {
            "x": centres.x.to_numpy(),
            "y": centres.y.to_numpy(),
            "ct": tract_ids,
            "csd": tract_csd.reindex(tract_ids).to_numpy(),
        }
    )
    fine["value"] = fine["ct"].map(counts.ct).astype(float) if counts.ct is not None else np.nan
    fine["demand_source"] = np.where(fine["value"].notna(), "census_ct", "")
    if tract_pop is not None and (tract_pop.fillna(0) > 0).any():
        weight, label = fine["ct"].map(tract_pop), "census_csd"
    else:  # land area measured on the ground
        weight = fine["ct"].map(pd.Series(tracts.geometry.to_crs(crs).area.to_numpy(), index=tract_ids))
        label = "apportioned_area"
    return _fill_from_parent(fine, "csd", counts.csd, weight, label)


def _untracted_points(munis: gpd.GeoDataFrame, covered: set[str], counts: DemandCounts, crs: str) -> pd.DataFrame:
    """One point per municipality not ``covered`` by finer points, with its own count (``census_csd``)."""
    untracted = munis.loc[~munis.index.isin(covered)]
    reps = untracted.geometry.representative_point().to_crs(crs)
    return pd.DataFrame(
        {
            "x": reps.x.to_numpy(),
            "y": reps.y.to_numpy(),
            "ct": "",
            "csd": untracted.index.to_numpy(),
            "value": counts.csd.reindex(untracted.index).to_numpy(dtype=float),
            "demand_source": "census_csd",
        }
    )


def _in_tracts(points: gpd.GeoSeries, tracts: gpd.GeoDataFrame) -> np.ndarray:
    """CTUID of the tract holding each point, blank outside every tract (untracted areas)."""
    frame = gpd.GeoDataFrame(geometry=points.reset_index(drop=True))
    found = gpd.sjoin(frame, tracts[["CTUID", "geometry"]], how="left", predicate="within")
    return found.groupby(level=0)["CTUID"].first().reindex(frame.index).fillna("").astype(str).to_numpy()


def demand_label(key: str, lang: Lang = "fr", form: str = "name") -> str:
    """What the demand is, in words, for legends, tooltips and slides.

    Parameters
    ----------
    key
        ``pop_2021`` or an imported characteristic (``io.census.CHARACTERISTICS``).
    form
        ``name`` ("Population 2021", "Première langue officielle parlée : français"),
        ``people`` ("habitants", "personnes de première langue officielle parlée français"),
        ``per_10k`` ("pour 10 000 habitants") or ``field`` (a tooltip heading).
    """
    if key == POP_2021:
        name = t("demand.name.pop_2021", lang)
    else:
        from cartography.io.census import CHARACTERISTICS

        spec = CHARACTERISTICS.get(key)
        name = (spec[2] if lang == "fr" else spec[3]) if spec else key
    if form == "name":
        return name
    people_key = f"demand.people.{key}"
    from cartography.i18n import MESSAGES

    people = t(people_key, lang) if people_key in MESSAGES else t("demand.people.other", lang, name=name)
    if form == "people":
        return people
    if form == "per_10k":
        return t("demand.per_10k", lang, people=people)
    if form == "field":
        return t("demand.field.pop_2021", lang) if key == POP_2021 else t("demand.field", lang, name=name)
    raise ValueError(f"unknown form {form!r}")


def _source_names(sources: list[str], lang: Lang) -> str:
    ordered = [s for s in DEMAND_SOURCES if s in set(sources)]
    return "; ".join(t(f"demand.source.{s}", lang) for s in ordered)


def demand_legend(gaps: pd.DataFrame, lang: Lang = "fr") -> str:
    """One line saying what the demand is and where its figures come from, read from a gap
    layer's ``demand_key``, ``demand_source`` and ``demand_enumerated`` columns."""
    key = str(gaps["demand_key"].iloc[0]) if "demand_key" in gaps.columns and len(gaps) else POP_2021
    sources = gaps["demand_source"].dropna().astype(str).tolist() if "demand_source" in gaps.columns else []
    line = t("demand.legend", lang, name=demand_label(key, lang), sources=_source_names(sources, lang))
    if "demand_enumerated" in gaps.columns:
        missing = gaps.loc[~gaps["demand_enumerated"].astype(bool)]
        names = sorted(set(missing.loc[missing["level"] == "csd", "name"].astype(str))) if "level" in gaps else []
        if not names and "unenumerated_names" in gaps.columns:
            names = sorted({n for v in gaps["unenumerated_names"].dropna() for n in str(v).split("; ") if n})
        if names:
            which = "demand.legend.unenumerated" if key == POP_2021 else "demand.legend.no_count"
            line += ". " + t(which, lang, names=", ".join(names))
    return line


def demand_method(compiled: Compiled, lang: Lang = "fr") -> str:
    """The method slide's sentence on demand and distances."""
    sources = []
    for name in ("gaps_ct", "gaps_csd"):
        if name in compiled.layers:
            sources += compiled.layers[name]["demand_source"].astype(str).tolist()
    key = str(compiled.metadata.get("demand", POP_2021))
    line = t(
        "demand.method",
        lang,
        name=demand_label(key, lang),
        sources=_source_names(sources, lang),
        crs=str(compiled.metadata.get("distance_crs", "")),
    )
    csd = compiled.layers.get("gaps_csd")
    if csd is not None and "demand_enumerated" in csd.columns:
        names = sorted(set(csd.loc[~csd["demand_enumerated"].astype(bool), "name"].astype(str)))
        if names:
            which = "demand.legend.unenumerated" if key == POP_2021 else "demand.legend.no_count"
            line += " " + t(which, lang, names=", ".join(names)) + "."
    return line


def _safe_total(values: Iterable[int | float | NAType | None], cell: str) -> int:
    """Exact sum of non-negative counts as a Python int, refused beyond :data:`MAX_COUNT`.

    int64 sums wrap around silently (two counts of 5e18 give a negative total); a Python
    int cannot, and a total no float64 can hold exactly is an error to fix, not to publish.
    """
    total = sum(_exact_int(v) for v in values if not pd.isna(v))
    if total > MAX_COUNT:
        raise UserError("demand.error.count_overflow", cell=cell, total=total, limit=MAX_COUNT)
    return total


def _area_info(dpoints: pd.DataFrame, areas: pd.DataFrame, geo: Geography, key: str, ct_csd: pd.Series) -> pd.DataFrame:
    """What every gap row of an area repeats, once per area (``level``, ``area_id``).

    Its municipality and region (``csd``, ``region``: blank above the level), ``demand_source``,
    ``demand_sources``, ``demand_enumerated``, ``any_enumerated``, ``unenumerated_names`` and the
    notes. Computed on the areas (20,000 in a province) rather than on the gap rows (every area
    times 18 categories), and each note's text built once per distinct value.
    """
    prov = demand_provenance(dpoints, areas.drop(columns="geometry"))
    names = geo.municipalities.set_index(geo.municipalities["CSDUID"].astype(str))["CSDNAME"]
    unknown = ~prov["any_enumerated"].astype(bool)
    listed = _labels(prov["unenumerated_csd"], lambda ids: "; ".join(str(names.get(i, i)) for i in ids.split(";") if i))
    prov["unenumerated_names"] = listed
    split_csd = prov["demand_sources"].str.contains("census_csd") & (prov["level"] == "ct")
    split_area = prov["demand_sources"].str.contains("apportioned_area")
    partial = (listed != "") & ~unknown
    census = key == POP_2021  # the census did not enumerate vs. the import has no count
    excludes = "demand.note.excludes" if census else "demand.note.excludes_no_count"
    for lang, column in zip(LANGS, ("demand_note", "demand_note_en"), strict=True):
        note = pd.Series("", index=prov.index, dtype=object)
        note = note.mask(split_csd, t("demand.note.split_csd", lang))
        note = note.mask(split_area, t("demand.note.split_area", lang))
        note = note.mask(partial, _labels(listed, _naming(excludes, lang)))
        prov[column] = note.mask(unknown, t("demand.note.unenumerated" if census else "demand.note.no_count", lang))
    level = prov["level"].to_numpy()
    csd = np.select([level == "csd", level == "ct"], [prov["area_id"], prov["area_id"].map(ct_csd).fillna("")], "")
    csd_region = geo.municipalities.set_index("CSDUID")["region"]
    prov["csd"] = csd
    prov["region"] = np.where(level == "region", prov["area_id"], prov["csd"].map(csd_region).fillna(""))
    return prov.drop(columns="unenumerated_csd")


def _naming(key: str, lang: Lang) -> Callable[[str], str]:
    """The message ``key`` in ``lang`` for the ``names`` it is given: a label function for :func:`_labels`."""

    def message(names: str) -> str:
        return t(key, lang, names=names)

    return message


#: Each column :func:`_area_info` gives every gap row, in the layer's order, and its value for
#: an area it does not know.
_AREA_COLUMNS = {
    "csd": "",
    "region": "",
    "demand_source": DEMAND_SOURCES[-1],
    "demand_sources": "",
    "demand_enumerated": False,
    "unenumerated_names": "",
    "demand_note": "",
    "demand_note_en": "",
}


def _needs(subs: list[Submission], geo: Geography) -> pd.DataFrame:
    region_of = dict(zip(geo.municipalities["CSDUID"], geo.municipalities["region"], strict=True))
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
                    "region": need.area if is_region else region_of[need.area],
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


def _clients(subs: list[Submission], geo: Geography, salt: str) -> gpd.GeoDataFrame:
    """Clients by municipality and profile, protected with the store's rounding ``salt``.

    Each municipality's total (profile ``all``) is the sum of its published cells, ``<NA>``
    (suppressed) when only suppressed cells make it up; ``clients_published`` is a nullable
    Int64 column with ``<NA>`` for every suppressed value, never 0.
    """
    rows = [{"csd": c.csduid, "profile": c.profile, "count": c.count} for s in subs for c in s.content.clients]
    frame = pd.DataFrame(rows, columns=["csd", "profile", "count"]).astype({"count": object})
    cells = frame.groupby(["csd", "profile"], as_index=False).agg(count=("count", _exact_sum))
    for csd, profile, count in zip(cells["csd"], cells["profile"], cells["count"], strict=True):
        _safe_total([count], f"{csd} / {profile}")  # name the cell in the error, not a group number
    cells["clients_published"] = protect_counts(cells["count"], cells["csd"] + "|" + cells["profile"], salt)
    for csd, published in cells.groupby("csd")["clients_published"]:
        _safe_total(published, f"{csd!s} / {ALL}")
    totals = cells.groupby("csd")["clients_published"].apply(published_total).rename("clients_published")
    total_rows = totals.reset_index().assign(profile=ALL)
    out = pd.concat([cells.drop(columns="count"), total_rows], ignore_index=True)
    munis = geo.municipalities.set_index("CSDUID")
    out["municipality"] = out["csd"].map(munis["CSDNAME"])
    out["region"] = out["csd"].map(munis["region"])
    out["profile_fr"] = _labels(
        out["profile"], lambda p: CLIENT_PROFILES.label(p, "fr") if p != ALL else t("compile.all_profiles", "fr")
    )
    out["clients_published"] = out["clients_published"].astype("Int64")
    geometry = gpd.GeoSeries(out["csd"].map(munis.geometry), crs=CRS_METRIC)
    return gpd.GeoDataFrame(out, geometry=geometry, crs=CRS_METRIC)


def _exact_sum(counts: pd.Series) -> int:
    """Sum of a cell's counts as a Python int (exact, never wraps as int64 would)."""
    return sum(_exact_int(v) for v in counts)


def _exact_int(value: object) -> int:
    """:func:`~cartography.numbers.as_int` of a count, a Python int passed as it is: the type
    check of ``as_int`` (protocols) cost a province's thousands of counts tens of milliseconds."""
    return value if type(value) is int else as_int(value)


def _member_totals(subs: list[Submission], salt: str) -> dict[str, int | None]:
    """Each member's published client total: the sum of its own cells, each protected.

    The cells are keyed like ``clients_by_area`` so a member alone in a cell publishes the
    same value there and here (two different roundings of one true count would narrow it).
    Every member's cells are protected in one call (a cell's draw depends only on its key
    and count) and totalled in one grouping, so the cost does not grow with one pandas
    grouping per member.
    """
    cells: dict[tuple[str, str, str], int] = {}
    for sub in subs:
        for c in sub.content.clients:
            key = (sub.org_id, c.csduid, c.profile)
            cells[key] = cells.get(key, 0) + int(c.count)  # Python ints: exact, never wrap
    frame = pd.DataFrame(
        [(*key, count) for key, count in cells.items()], columns=["org_id", "csd", "profile", "count"]
    ).astype({"count": object})
    out: dict[str, int | None] = {sub.org_id: 0 for sub in subs}
    if frame.empty:
        return out
    protected = protect_counts(frame["count"], frame["csd"] + "|" + frame["profile"], salt)
    by_org = pd.DataFrame({"org_id": frame["org_id"], "value": protected, "suppressed": protected.isna()})
    grouped = by_org.groupby("org_id").agg(total=("value", "sum"), suppressed=("suppressed", "any"))
    for org_id, total, suppressed in zip(grouped.index, grouped["total"], grouped["suppressed"], strict=True):
        out[str(org_id)] = None if int(total) == 0 and bool(suppressed) else int(total)  # as published_total
    return out


def _needs_by_area(
    needs: pd.DataFrame, geo: Geography, salt: str, areas: gpd.GeoDataFrame | None = None
) -> gpd.GeoDataFrame:
    frame = needs.assign(
        level=np.where(needs["csd"] == "", "region", "csd"),
        area_id=np.where(needs["csd"] == "", needs["region"], needs["csd"]),
    )
    frame["unmet"] = (frame["status"] == "unmet").astype(int)
    frame["partly_met"] = (frame["status"] == "partly_met").astype(int)
    frame["clients"] = frame["clients"].astype(object)
    keys = ["level", "area_id", "category"]
    grouped = frame.groupby(keys, as_index=False).agg(
        needs_reported=("status", "size"),
        needs_unmet=("unmet", "sum"),
        needs_partly_met=("partly_met", "sum"),
        clients=("clients", lambda c: sum(int(v) for v in c if not pd.isna(v))),
        comments=("comment", lambda c: " | ".join(x for x in c if x)),
    )
    # One count per (status, severity) so that need_score can be recomputed from the
    # GeoPackage with the published weights (docs/methodologie.md).
    wanted = [f"needs_{st}_{sv}" for st in NEED_STATUSES.codes for sv in SEVERITIES.codes]
    breakdown = (
        frame.assign(_cell="needs_" + frame["status"].astype(str) + "_" + frame["severity"].astype(str))
        .groupby([*keys, "_cell"])
        .size()
        .unstack("_cell", fill_value=0)
        .reindex(columns=wanted, fill_value=0)
        .astype(int)
        .reset_index()
    )
    breakdown.columns.name = None
    grouped = grouped.merge(breakdown, on=keys, how="left")
    for area_id, category, clients in zip(grouped["area_id"], grouped["category"], grouped["clients"], strict=True):
        _safe_total([clients], f"{area_id} / {category}")
    grouped["clients_published"] = protect_counts(
        grouped["clients"], grouped["level"] + "|" + grouped["area_id"] + "|" + grouped["category"], salt
    )
    grouped = grouped.drop(columns="clients")
    grouped["category_fr"] = _labels(grouped["category"], lambda c: SERVICE_CATEGORIES.label(c, "fr"))
    csd_region = geo.municipalities.set_index("CSDUID")["region"]
    is_region = grouped["level"] == "region"
    grouped["csd"] = grouped["area_id"].where(~is_region, "")
    grouped["region"] = grouped["area_id"].where(is_region, grouped["area_id"].map(csd_region))
    areas = areas if areas is not None else _areas(geo)
    known = pd.Index(areas["level"].astype(str) + "|" + areas["area_id"].astype(str))
    position = known.get_indexer(pd.Index(grouped["level"].astype(str) + "|" + grouped["area_id"].astype(str)))
    grouped["name"] = areas["name"].array.take(position, allow_fill=True).to_numpy()
    geometry = gpd.GeoSeries(areas.geometry.values.take(position, allow_fill=True), crs=CRS_METRIC)
    return gpd.GeoDataFrame(grouped, geometry=geometry)


def _category_label(code: str) -> str:
    return t("compile.all_categories", "fr") if code == ALL else SERVICE_CATEGORIES.label(code, "fr")


def _gap_layer(
    part: pd.DataFrame, info: pd.DataFrame, shapes: tuple[pd.Index, GeometryArray], level: str, key: str
) -> gpd.GeoDataFrame:
    """The long gap layer of one level from its rows ``part`` (:func:`gap_levels`) and its
    areas' ``shapes`` (:func:`_level_shapes`): one row per area and category.

    Labels are joined once per code and the area's columns (:func:`_area_info`) taken by
    position, not merged. The level's shapes are held once: every category's row points at
    the same shapely object (``take`` copies references, not geometries), so 18 categories
    cost 18 pointers per area, not 18 polygons.
    """
    columns: dict[str, object] = {name: part[name] for name in part.columns}  # one frame built at the end
    columns["gap_class_fr"] = _labels(part["gap_class"], lambda c: GAP_CLASSES.label(c, "fr"))
    columns["category_fr"] = _labels(part["category"], _category_label)
    codes, area_ids = pd.factorize(part["area_id"].astype(str))  # each area looked up once
    own = info[info["level"] == level]
    per_area = pd.Index(own["area_id"].astype(str)).get_indexer(area_ids)
    if (per_area < 0).any():  # an area without provenance: cannot happen (both from the same areas)
        blank = pd.DataFrame([{"level": level, "any_enumerated": False, **_AREA_COLUMNS}])
        own = pd.concat([own, blank], ignore_index=True)
        per_area = np.where(per_area >= 0, per_area, len(own) - 1)
    columns.update(_area_columns(own, per_area, codes))
    enumerated = own["any_enumerated"].to_numpy(dtype=bool)[per_area[codes]]
    columns["demand"] = part["demand"].astype(float).where(enumerated, np.nan).round(1)
    columns["demand_key"] = key
    ids, geometries = shapes
    geometry = geometries.take(ids.get_indexer(area_ids)[codes], allow_fill=True)
    return gpd.GeoDataFrame(pd.DataFrame(columns), geometry=gpd.GeoSeries(geometry, crs=CRS_METRIC))


def _area_columns(own: pd.DataFrame, per_area: np.ndarray, codes: np.ndarray) -> dict[str, pd.Series]:
    """Each :data:`_AREA_COLUMNS` column of ``own`` for every gap row: row ``per_area[c]`` of
    ``own`` for a row of area code ``c`` (``codes``), each column keeping its dtype.

    A level's rows are its areas over and over, once per category: each column is then
    taken once per area and its copies laid end to end (text shares one Arrow buffer),
    rather than every string copied once per row (from :data:`~cartography.gaps.TILE_ROWS` rows).
    """
    n = len(per_area)
    times, rest = divmod(len(codes), n) if n else (0, 1)
    big = len(codes) >= TILE_ROWS
    repeats = big and rest == 0 and times > 0 and np.array_equal(codes, np.tile(np.arange(n), times))
    out: dict[str, pd.Series] = {}
    for column in _AREA_COLUMNS:
        if repeats:
            once = own[column].take(per_area).reset_index(drop=True)
            out[column] = pd.concat([once] * times, ignore_index=True)
        else:
            out[column] = own[column].take(per_area[codes]).reset_index(drop=True)
    return out


def _rows_of(gaps: dict[str, pd.DataFrame], level: str) -> pd.DataFrame:
    """The gap rows of ``level``; none (with every column) for a level without areas."""
    return gaps[level] if level in gaps else next(iter(gaps.values())).iloc[:0]


def _level_shapes(areas: gpd.GeoDataFrame, level: str) -> tuple[pd.Index, GeometryArray]:
    """The area ids of one level and their shapes (a geometry array), in ``areas`` order; kept
    per geography by the compile (the ids' strings alone cost a province 10 ms a level)."""
    own = areas["level"].to_numpy() == level
    return pd.Index(areas["area_id"].astype(str).to_numpy()[own]), areas.geometry.values[own]


#: What a compile derives from the geography alone (tract municipalities, demand points of
#: the 2021 population, the areas, their provenance), kept for the next compile with the same
#: geography object: the app and the command line load it once. Values are shared, so
#: callers only read them. Keyed by the geography's identity; the geography is held with
#: its values, so that identity cannot be reused while they live.
_GEO_MEMO: OrderedDict[tuple[int, tuple[str, ...]], tuple[Geography, object]] = OrderedDict()
_GEO_MEMO_LOCK = threading.Lock()
GEO_MEMO_ENTRIES = 16


def _of_geography(geo: Geography, key: tuple[str, ...], compute: Callable[[], _T]) -> _T:
    """``compute()`` once per geography object and ``key``."""
    slot = (id(geo), key)
    with _GEO_MEMO_LOCK:
        hit = _GEO_MEMO.get(slot)
        if hit is not None and hit[0] is geo:
            _GEO_MEMO.move_to_end(slot)
            return hit[1]  # type: ignore[return-value]
    value = compute()
    with _GEO_MEMO_LOCK:
        _GEO_MEMO[slot] = (geo, value)
        while len(_GEO_MEMO) > GEO_MEMO_ENTRIES:
            _GEO_MEMO.popitem(last=False)
    return value


def compile_submissions(
    subs: list[Submission],
    organisations: list[dict[str, str]],
    geo: Geography,
    cycle: str,
    salt: str,
    params: GapParameters | None = None,
    demand: pd.Series | pd.DataFrame | None = None,
    demand_label: str = POP_2021,
) -> Compiled:
    """Compile the validated versions ``subs`` of ``cycle``; say which ``organisations`` are missing.

    ``salt`` seeds the random rounding of small counts (from the store's secret, never put
    into the outputs). ``demand`` is ``None`` (2021 population), a Series by CSDUID, or the
    frame ``level, geo_id, value`` of an imported characteristic (``io.census.load_demand``);
    ``demand_label`` is its key (``pop_2021`` or the characteristic's), recorded in the
    metadata and in every gap layer's ``demand_key`` so labels can say what was counted.
    """
    params = params or GapParameters()
    if not subs:
        raise UserError("compile.error.nothing_validated", cycle=cycle)
    validated = {s.org_id for s in subs}
    missing = [o for o in organisations if o["org_id"] not in validated]
    table = _Services.of(subs)
    points = _service_points(table, geo)
    areas_served = _service_areas(table, geo)
    needs = _needs(subs, geo)
    ct_csd = _of_geography(geo, ("tract_csd",), lambda: tract_municipalities(geo))
    dpoints = _demand_points_of(geo, demand, ct_csd)
    supply, remote = _french_supply(points, areas_served, geo)
    areas = _of_geography(geo, ("areas",), lambda: _areas(geo))
    gaps = gap_levels(areas.drop(columns="geometry"), dpoints, supply, remote, needs, params)
    layers: dict[str, pd.DataFrame] = {"service_points": points, "service_areas": areas_served}
    layers["clients_by_area"] = _clients(subs, geo, salt)
    layers["needs_by_area"] = _needs_by_area(needs, geo, salt, areas)
    info = _area_info_of(dpoints, areas, geo, demand, demand_label, ct_csd)
    for level in ("region", "csd", "ct"):
        shapes = _of_geography(geo, ("level_shapes", level), partial(_level_shapes, areas, level))
        layers[f"gaps_{level}"] = _gap_layer(_rows_of(gaps, level), info, shapes, level, demand_label)
    demo = any(is_demo_author(s.author) for s in subs)
    metadata = _metadata(subs, cycle, missing, geo, params, demand_label, layers, dpoints, demo)
    return Compiled(
        cycle=cycle,
        layers=layers,
        metadata=metadata,
        missing=missing,
        demo=demo,
        members=_listings(subs, _member_totals(subs, salt)),
    )


def _demand_points_of(geo: Geography, demand: pd.Series | pd.DataFrame | None, ct_csd: pd.Series) -> pd.DataFrame:
    """:func:`demand_points` of the compile: the 2021 population depends on the geography
    alone and is kept for the next compile; an imported demand is computed anew."""
    if demand is None:
        return _of_geography(geo, ("demand_points",), lambda: demand_points(geo, None, ct_csd))
    return demand_points(geo, demand, ct_csd)


def _area_info_of(
    dpoints: pd.DataFrame,
    areas: gpd.GeoDataFrame,
    geo: Geography,
    demand: pd.Series | pd.DataFrame | None,
    key: str,
    ct_csd: pd.Series,
) -> pd.DataFrame:
    """:func:`_area_info` of the compile, kept per geography and demand key for the 2021
    population (as its demand points are), computed anew for an imported demand."""
    if demand is None:
        return _of_geography(geo, ("area_info", key), lambda: _area_info(dpoints, areas, geo, key, ct_csd))
    return _area_info(dpoints, areas, geo, key, ct_csd)


def _french_supply(
    points: gpd.GeoDataFrame, areas_served: gpd.GeoDataFrame, geo: Geography
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """What the gap computation counts as supply: French in-person service points with ``x``,
    ``y`` in the geography's distance CRS, and the French itinerant and virtual services'
    municipalities served (attributes only: filtering copies no polygons)."""
    in_person = points[points["french"] & (points["mode"] == "in_person")]
    shapes = in_person.geometry.values
    x, y = _projected(shapely.get_x(shapes), shapely.get_y(shapes), CRS_METRIC, geo.distance_crs)  # on the ground
    supply = pd.DataFrame(in_person.drop(columns="geometry")).assign(x=x, y=y)
    served = areas_served[areas_served["french"] & areas_served["mode"].isin(["itinerant", "virtual"])]
    return supply, pd.DataFrame(served.drop(columns="geometry"))


def _demand_sources(layers: dict[str, pd.DataFrame]) -> dict[str, dict[str, int]]:
    """How many areas of each level take their ``all``-categories demand from each source."""
    return {
        level: dict(
            sorted(
                layers[f"gaps_{level}"]
                .loc[lambda g: g["category"] == ALL, "demand_source"]
                .value_counts()
                .astype(int)
                .items()
            )
        )
        for level in ("region", "csd", "ct")
    }


def _metadata(
    subs: list[Submission],
    cycle: str,
    missing: list[dict[str, str]],
    geo: Geography,
    params: GapParameters,
    demand_key: str,
    layers: dict[str, pd.DataFrame],
    dpoints: pd.DataFrame,
    demo: bool,
) -> dict[str, object]:
    """What a compiled cycle says of itself: members, geography, demand, method, privacy, limits
    (and, for demonstration data, the label that says so)."""
    metadata: dict[str, object] = {
        "cycle": cycle,
        "compiled_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "tool": f"cartography {__version__}",
        "organisations_included": sorted({s.org_id for s in subs}),
        "organisations_missing": [m["org_id"] for m in missing],
        "submissions": [{"org_id": s.org_id, "version": s.version, "validated_at": str(s.validated_at)} for s in subs],
        "geography_source": geo.source,
        "geography_fidelity": geo.fidelity,
        "geography_vintage": geo.vintage,
        "crs": CRS_METRIC,
        "distance_crs": geo.distance_crs,
        "demand": demand_key,
        "demand_label_fr": demand_label(demand_key, "fr"),
        "demand_label_en": demand_label(demand_key, "en"),
        "demand_sources": _demand_sources(layers),
        "demand_not_enumerated": sorted(set(dpoints.loc[~dpoints["enumerated"], "csd"])),
        "severity_weights": {term.code: float(term.attrs["weight"]) for term in SEVERITIES},
        "need_score": "sum over needs of severity_weights[severity] * method.status_factors[status]; "
        "csd: needs of the municipality; region: needs of its municipalities and of the whole region; "
        "counts per status and severity in needs_by_area (needs_<status>_<severity>)",
        "attribution_fr": geo.attribution("fr"),
        "attribution_en": geo.attribution("en"),
        "method": params.as_dict(),
        "privacy": "counts 1-4 suppressed (empty), others randomly rounded to base 5 (seeded by a secret "
        "kept in the store); totals are sums of published cells, suppressed when only suppressed cells make them",
        "limits_fr": t("compile.limits", "fr"),
        "limits_en": t("compile.limits", "en"),
        "demo_data": demo,
    }
    if demo:
        metadata["label"] = demo_label()
    return metadata


def member_listing(sub: Submission, clients_published: int | None) -> MemberListing:
    """The published directory entry of one validated version (no exact count kept)."""
    content = sub.content
    return MemberListing(
        org_id=sub.org_id,
        version=sub.version,
        demo=is_demo_author(sub.author),
        organisation=content.organisation,
        sites=content.sites,
        services=content.services,
        needs_reported=len(content.needs),
        needs_not_met=sum(1 for n in content.needs if n.status != "met"),
        clients_published=clients_published,
    )


def _listings(subs: list[Submission], totals: dict[str, int | None]) -> tuple[MemberListing, ...]:
    """Each member's directory entry, sorted by name as the deck lists them."""
    listings = (member_listing(s, totals.get(s.org_id)) for s in subs)
    return tuple(sorted(listings, key=lambda m: m.organisation.name))


__all__ = ["Compiled", "MemberListing", "compile_submissions", "demand_points", "member_listing"]
